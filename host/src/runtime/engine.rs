//! The engine (one per process), its epoch ticker, the shared linker, and
//! [`SkillPre`]: a compiled, linked skill ready to be instantiated per call.

use super::bindings::{Skill, SkillPre as WitSkillPre, baton::skill::types as wit};
use super::call::{CallContext, CallInput, CallReport, CallResult};
use super::capability::{Capability, CapabilitySet};
use super::error::{LimitKind, RuntimeError, SkillErrorKind, TrapKind};
use super::imports::http::HttpPolicy;
use super::limits::{CallLimiter, Limits};
use super::output::SkillOutput;
use super::state::{Audit, CallState};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap,
    UpdateDeadline,
};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi_http::WasiHttpCtx;

/// How often the epoch ticks; the granularity of wall-clock deadlines.
const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Bytes of guest stderr kept per call (panic messages).
const STDERR_BYTES: usize = 16 * 1024;

/// Process-wide runtime settings.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// The largest memory cap any call may have; sizes the pool's slots.
    pub max_memory_bytes: usize,
    /// Component instances alive at once (calls in flight).
    pub max_instances: u32,
    /// Where compiled components are cached; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Use the pooling allocator (faster instantiation).
    pub pooling: bool,
    /// Meter fuel. Off only for benchmarks.
    pub fuel: bool,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            max_memory_bytes: 512 << 20,
            max_instances: 64,
            cache_dir: None,
            pooling: true,
            fuel: true,
        }
    }
}

/// The wasmtime engine and linker shared by every skill.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    linker: Arc<Linker<CallState>>,
    config: Arc<RuntimeConfig>,
}

impl Runtime {
    /// Build the engine, start its epoch ticker and link every host import.
    pub fn new(config: RuntimeConfig) -> Result<Self, RuntimeError> {
        let mut wt = Config::new();
        wt.wasm_component_model(true);
        wt.consume_fuel(config.fuel);
        wt.epoch_interruption(true);
        wt.max_wasm_stack(1 << 20);
        if config.pooling {
            let mut pool = PoolingAllocationConfig::new();
            pool.total_component_instances(config.max_instances);
            pool.total_core_instances(config.max_instances * 8);
            pool.total_memories(config.max_instances * 2);
            pool.total_tables(config.max_instances * 4);
            pool.total_stacks(config.max_instances);
            pool.max_memory_size(config.max_memory_bytes);
            pool.max_core_instances_per_component(32);
            pool.max_memories_per_component(4);
            pool.max_tables_per_component(8);
            pool.max_component_instance_size(1 << 20);
            pool.max_core_instance_size(1 << 20);
            // Reset the first MiB of a slot by zeroing it rather than
            // madvise: fewer syscalls and TLB shootdowns per call (the slot
            // is wiped either way).
            pool.linear_memory_keep_resident(1 << 20);
            pool.table_keep_resident(64 << 10);
            pool.async_stack_keep_resident(64 << 10);
            wt.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        let engine = Engine::new(&wt).map_err(|e| RuntimeError::Host(format!("engine: {e}")))?;
        spawn_ticker(&engine);

        let mut linker = Linker::<CallState>::new(&engine);
        let link = |e: wasmtime::Error| RuntimeError::Host(format!("linker: {e}"));
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(link)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).map_err(link)?;
        Skill::add_to_linker::<_, HasSelf<CallState>>(&mut linker, |s| s).map_err(link)?;
        Ok(Runtime {
            engine,
            linker: Arc::new(linker),
            config: Arc::new(config),
        })
    }

    /// The engine (for inspection of component types).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compile component bytes, through the on-disk cache when configured.
    /// The cache key is the bytes' sha256 and the engine's compatibility hash.
    pub fn compile(&self, bytes: &[u8]) -> Result<Component, RuntimeError> {
        check_is_component(bytes)?;
        let Some(dir) = &self.config.cache_dir else {
            return Component::new(&self.engine, bytes).map_err(invalid_component);
        };
        let path = self.cache_path(dir, bytes);
        if path.exists() {
            // SAFETY: the file was written by `Component::serialize` of this
            // same engine configuration (the key includes the engine's
            // compatibility hash) into a directory only baton writes; wasmtime
            // still checks the header and rejects an incompatible artifact.
            match unsafe { Component::deserialize_file(&self.engine, &path) } {
                Ok(c) => return Ok(c),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "discarding unusable cached component");
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let component = Component::new(&self.engine, bytes).map_err(invalid_component)?;
        if let Ok(serialized) = component.serialize()
            && let Err(e) = write_atomically(dir, &path, &serialized)
        {
            tracing::warn!(path = %path.display(), error = %e, "could not cache a compiled component");
        }
        Ok(component)
    }

    fn cache_path(&self, dir: &Path, bytes: &[u8]) -> PathBuf {
        let mut engine_hash = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(
            &self.engine.precompile_compatibility_hash(),
            &mut engine_hash,
        );
        let engine_key = std::hash::Hasher::finish(&engine_hash);
        let digest = hex::encode(Sha256::digest(bytes));
        dir.join(format!("{digest}-{engine_key:016x}.cwasm"))
    }

    /// Link a compiled component and check that it exports the skill world.
    pub fn prepare(
        &self,
        name_hint: &str,
        component: &Component,
    ) -> Result<SkillPre, RuntimeError> {
        let instance_pre = self.linker.instantiate_pre(component).map_err(|e| {
            RuntimeError::InvalidComponent(format!(
                "{name_hint}: imports something baton does not provide: {}",
                root_message(&e)
            ))
        })?;
        let pre = WitSkillPre::new(instance_pre).map_err(|e| {
            RuntimeError::InvalidComponent(format!(
                "{name_hint} is not a baton skill: it does not export the `baton:skill/skill` world's `describe` and `run` ({})",
                root_message(&e)
            ))
        })?;
        Ok(SkillPre {
            runtime: self.clone(),
            pre,
        })
    }

    /// Names of the interfaces `component` imports.
    pub fn imports(&self, component: &Component) -> Vec<String> {
        component
            .component_type()
            .imports(&self.engine)
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// Names of the items `component` exports.
    pub fn exports(&self, component: &Component) -> Vec<String> {
        component
            .component_type()
            .exports(&self.engine)
            .map(|(name, _)| name.to_owned())
            .collect()
    }
}

fn spawn_ticker(engine: &Engine) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("baton-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .map(drop)
        .unwrap_or_else(|e| tracing::error!(error = %e, "could not start the epoch ticker"));
}

fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

/// Refuse early, with a clear reason, anything that is not a component.
fn check_is_component(bytes: &[u8]) -> Result<(), RuntimeError> {
    const MAGIC: &[u8] = b"\0asm";
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err(RuntimeError::InvalidComponent(
            "not a WebAssembly file (no `\\0asm` header)".into(),
        ));
    }
    // Core modules have layer 0, components layer 1 (bytes 6..8).
    if bytes[6..8] == [0, 0] {
        return Err(RuntimeError::InvalidComponent(
            "a core WebAssembly module, not a component: build the skill with `--target wasm32-wasip2`".into(),
        ));
    }
    Ok(())
}

fn invalid_component(e: wasmtime::Error) -> RuntimeError {
    RuntimeError::InvalidComponent(format!("could not compile: {}", root_message(&e)))
}

fn root_message(e: &wasmtime::Error) -> String {
    format!("{e:#}")
}

/// A skill version compiled and linked, ready to be instantiated per call.
#[derive(Clone)]
pub struct SkillPre {
    runtime: Runtime,
    pre: WitSkillPre<CallState>,
}

impl SkillPre {
    /// Call `describe` under tight limits and no capabilities.
    pub async fn describe(&self) -> Result<wit::Manifest, RuntimeError> {
        let limits = Limits {
            fuel: 100_000_000,
            memory_bytes: 64 << 20,
            timeout: Duration::from_secs(5),
            output_bytes: 1 << 20,
        };
        let (mut store, _) = self.new_store(
            "describe".into(),
            &limits,
            Arc::new(CapabilitySet::new()),
            Arc::new(CallContext::default()),
            None,
        )?;
        let fut = async {
            let skill = self.pre.instantiate_async(&mut store).await?;
            skill.call_describe(&mut store).await
        };
        match tokio::time::timeout(limits.timeout, fut).await {
            Ok(Ok(m)) => Ok(m),
            Ok(Err(e)) => Err(classify(&e, &store, "describe")),
            Err(_) => Err(RuntimeError::Limit {
                kind: LimitKind::Deadline,
                detail: "describe did not return in time".into(),
            }),
        }
    }

    /// Run one call: a fresh instance with `limits`, the effective
    /// capabilities `caps`, and what `context` lends.
    pub async fn call(
        &self,
        skill: &str,
        input: &CallInput,
        limits: &Limits,
        caps: Arc<CapabilitySet>,
        context: Arc<CallContext>,
        data_dir: Option<&Path>,
    ) -> CallResult {
        let started = Instant::now();
        let skill: Arc<str> = Arc::from(skill);
        let (mut store, audit) =
            match self.new_store(skill.clone(), limits, caps, context, data_dir) {
                Ok(s) => s,
                Err(e) => {
                    return CallResult {
                        outcome: Err(e),
                        report: CallReport {
                            duration: started.elapsed(),
                            ..CallReport::default()
                        },
                    };
                }
            };
        let wit_input = input.to_wit();
        let fut = async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            instance.call_run(&mut store, &wit_input).await
        };
        // The epoch callback stops guest code at the deadline; this outer
        // timeout also covers time spent blocked in a host call.
        let grace = EPOCH_TICK * 4;
        let raw = tokio::time::timeout(limits.timeout + grace, fut).await;
        let outcome = match raw {
            Ok(Ok(Ok(out))) => SkillOutput::from_wit(out, limits.output_bytes),
            Ok(Ok(Err(e))) => Err(skill_error(e)),
            Ok(Err(e)) => Err(classify(&e, &store, &skill)),
            Err(_) => Err(RuntimeError::Limit {
                kind: LimitKind::Deadline,
                detail: format!("no result within {} ms", limits.timeout.as_millis()),
            }),
        };
        let fuel_used = if self.runtime.config.fuel {
            limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0))
        } else {
            0
        };
        let stderr = tail_utf8(&store.data().stderr.contents(), 2048);
        drop(store);
        let audit = std::mem::take(&mut *audit.lock().unwrap_or_else(|p| p.into_inner()));
        // A skill that failed after being denied a capability failed because of it.
        let outcome = match outcome {
            Err(RuntimeError::Skill { .. } | RuntimeError::Trap { .. })
                if !audit.denials.is_empty() =>
            {
                let d = &audit.denials[0];
                Err(RuntimeError::Denied {
                    capability: d.capability.clone(),
                    message: d.message.clone(),
                })
            }
            other => other,
        };
        CallResult {
            outcome,
            report: CallReport {
                fuel_used,
                duration: started.elapsed(),
                llm_tokens: (audit.llm_input_tokens, audit.llm_output_tokens),
                denials: audit.denials,
                gates: audit.gates,
                logs: audit.logs,
                stderr,
            },
        }
    }

    fn new_store(
        &self,
        skill: Arc<str>,
        limits: &Limits,
        caps: Arc<CapabilitySet>,
        context: Arc<CallContext>,
        data_dir: Option<&Path>,
    ) -> Result<(Store<CallState>, Arc<Mutex<Audit>>), RuntimeError> {
        let stderr = MemoryOutputPipe::new(STDERR_BYTES);
        let mut wasi = WasiCtxBuilder::new();
        wasi.stderr(stderr.clone());
        wasi.allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false);
        if let Some(dir) = data_dir.filter(|_| caps.permits(&Capability::Files)) {
            wasi.preopened_dir(dir, "/data", wasmtime_wasi::FsPerms::ReadOnly)
                .map_err(|e| RuntimeError::Host(format!("data folder {}: {e}", dir.display())))?;
        }
        let audit = Arc::new(Mutex::new(Audit::default()));
        let state = CallState {
            skill: skill.clone(),
            wasi: wasi.build(),
            table: ResourceTable::new(),
            http: WasiHttpCtx::new(),
            http_policy: HttpPolicy {
                skill,
                caps: caps.clone(),
                audit: audit.clone(),
            },
            limiter: CallLimiter::new(limits.memory_bytes),
            caps,
            context,
            audit: audit.clone(),
            stderr,
        };
        let mut store = Store::new(&self.runtime.engine, state);
        store.limiter(|s| &mut s.limiter);
        if self.runtime.config.fuel {
            store
                .set_fuel(limits.fuel)
                .map_err(|e| RuntimeError::Host(format!("fuel: {e}")))?;
        }
        let deadline = Instant::now() + limits.timeout;
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            Ok(if Instant::now() >= deadline {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::Yield(1)
            })
        });
        Ok((store, audit))
    }
}

fn skill_error(e: wit::SkillError) -> RuntimeError {
    let (kind, message) = match e {
        wit::SkillError::InvalidInput(m) => (SkillErrorKind::InvalidInput, m),
        wit::SkillError::Unavailable(m) => (SkillErrorKind::Unavailable, m),
        wit::SkillError::Failed(m) => (SkillErrorKind::Failed, m),
    };
    RuntimeError::Skill { kind, message }
}

/// Map a wasmtime error from instantiate or call to what happened.
fn classify(e: &wasmtime::Error, store: &Store<CallState>, skill: &str) -> RuntimeError {
    let memory_hit = store.data().limiter.memory_hit;
    let stderr = tail_utf8(&store.data().stderr.contents(), 512);
    match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => RuntimeError::Limit {
            kind: LimitKind::Fuel,
            detail: format!("`{skill}` ran out of fuel"),
        },
        Some(Trap::Interrupt) => RuntimeError::Limit {
            kind: LimitKind::Deadline,
            detail: format!("`{skill}` passed its wall-clock deadline"),
        },
        _ if memory_hit => RuntimeError::Limit {
            kind: LimitKind::Memory,
            detail: format!("`{skill}` tried to grow memory past its cap"),
        },
        Some(Trap::StackOverflow) => RuntimeError::Trap {
            kind: TrapKind::StackOverflow,
            message: format!("`{skill}` overflowed its call stack"),
        },
        Some(Trap::UnreachableCodeReached) => RuntimeError::Trap {
            kind: TrapKind::Panic,
            message: match panic_message(&stderr) {
                Some(m) => format!("`{skill}` panicked: {m}"),
                None => format!("`{skill}` panicked"),
            },
        },
        Some(trap) => RuntimeError::Trap {
            kind: TrapKind::Other,
            message: format!("`{skill}`: {trap}"),
        },
        None => RuntimeError::Host(format!("`{skill}`: {}", root_message(e))),
    }
}

/// The panic message in a Rust guest's stderr, on one line.
fn panic_message(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    (!lines.is_empty()).then(|| lines.join(" | "))
}

fn tail_utf8(bytes: &[u8], max: usize) -> String {
    let start = bytes.len().saturating_sub(max);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}
