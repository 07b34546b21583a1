//! The baseline of the runtime bench: a skill component under bare
//! wasmtime, with WASI, no fuel, no epochs, no limiter, and baton's own
//! imports stubbed.

use ::baton::runtime::CallInput;
use std::path::Path;

wasmtime::component::bindgen!({
    path: "../wit",
    world: "skill",
    exports: { default: async },
});

use self::baton::skill::{approvals, context, llm, log, types as wit};

/// The store data: WASI and nothing else.
pub(crate) struct BareState {
    wasi: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

// Bare wasmtime answers each `baton:skill` import the way baton answers a
// call without the grant, with no audit: a skill takes the same path in both.

impl wit::Host for BareState {}

impl log::Host for BareState {
    fn write(&mut self, _: log::Level, _: String) {}
}

fn not_granted() -> wit::HostError {
    wit::HostError::Denied("not granted".into())
}

impl llm::Host for BareState {
    fn complete(&mut self, _: llm::Request) -> Result<llm::Completion, wit::HostError> {
        Err(not_granted())
    }
}

impl context::Host for BareState {
    fn read(&mut self, _: context::Tier) -> Result<String, wit::HostError> {
        Err(not_granted())
    }

    fn attachment(&mut self, _: String) -> Result<String, wit::HostError> {
        Err(not_granted())
    }
}

impl approvals::Host for BareState {
    fn request(&mut self, _: approvals::Gate) -> Result<(), wit::HostError> {
        Err(not_granted())
    }

    fn read_decision(&mut self, _: String) -> Result<Option<approvals::Decision>, wit::HostError> {
        Err(not_granted())
    }
}

impl wasmtime_wasi::WasiView for BareState {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// A component under bare wasmtime: an engine with the pooling allocator
/// and WASI, no fuel, no epochs, no limiter, baton's imports stubbed.
pub(crate) struct Bare {
    engine: wasmtime::Engine,
    pre: SkillPre<BareState>,
}

impl Bare {
    /// Compile the component at `path` for an engine with `pool`.
    pub(crate) fn new(path: &Path, pool: wasmtime::PoolingAllocationConfig) -> Self {
        let mut config = wasmtime::Config::new();
        config.wasm_component_model(true);
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
        let engine = wasmtime::Engine::new(&config).expect("engine");
        let component =
            wasmtime::component::Component::from_file(&engine, path).expect("component");
        let mut linker = wasmtime::component::Linker::<BareState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).expect("wasi");
        Skill::add_to_linker::<_, wasmtime::component::HasSelf<_>>(&mut linker, |s| s)
            .expect("baton:skill stubs");
        let pre = linker.instantiate_pre(&component).expect("instantiate_pre");
        let pre = SkillPre::new(pre).expect("skill exports");
        Bare { engine, pre }
    }

    /// One call in a fresh instance; the skill must succeed.
    pub(crate) async fn call(&self, input: &wit::Input) {
        let state = BareState {
            wasi: wasmtime_wasi::WasiCtxBuilder::new().build(),
            table: wasmtime::component::ResourceTable::new(),
        };
        let mut store = wasmtime::Store::new(&self.engine, state);
        let skill = self
            .pre
            .instantiate_async(&mut store)
            .await
            .expect("instantiate");
        let out = skill.call_run(&mut store, input).await.expect("call");
        assert!(out.is_ok());
    }
}

/// `input` as the WIT value the guest receives, built once for the bare
/// side (baton builds it in each call).
pub(crate) fn input(input: &CallInput) -> wit::Input {
    let params = if input.params.is_null() {
        "{}".to_owned()
    } else {
        input.params.to_string()
    };
    wit::Input {
        event: wit::Event {
            id: input.event.id.clone(),
            event_type: input.event.event_type.clone(),
            source: input.event.source.clone(),
            org: input.event.org.clone(),
            user: input.event.user.clone(),
            payload: input.event.payload.to_string(),
            chain_depth: input.event.chain_depth,
        },
        params,
        previous: input
            .previous
            .iter()
            .map(|p| wit::StepOutput {
                step: p.step.clone(),
                skill: p.skill.clone(),
                data: p.data.to_string(),
            })
            .collect(),
    }
}
