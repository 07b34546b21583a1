//! The engine (one per process), its epoch ticker, the shared linker, and
//! the on-disk cache of compiled components. It compiles and links skills
//! into components; linking one into a [`super::SkillPre`] and running a call
//! is `skill_pre`'s work, never this one's.

use super::error::RuntimeError;
use super::failure::root_message;
use super::limits::EPOCH_TICK;
use super::state::CallState;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use wasmtime::component::{Component, Linker};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Strategy,
};

/// Core module instances one component may create. A Rust skill makes a
/// handful; a componentize-py interpreter makes 38.
const CORE_INSTANCES_PER_COMPONENT: u32 = 64;

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

impl RuntimeConfig {
    /// The pooling allocator's settings (used when `pooling` is on); public
    /// so a benchmark can give bare wasmtime the same pool.
    pub fn pooling_allocation(&self) -> PoolingAllocationConfig {
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(self.max_instances);
        // A counter, not a reservation: room for every live call to be
        // an interpreter costs nothing until it is used.
        pool.total_core_instances(self.max_instances * CORE_INSTANCES_PER_COMPONENT);
        pool.total_memories(self.max_instances * 2);
        pool.total_tables(self.max_instances * 4);
        pool.total_stacks(self.max_instances);
        pool.max_memory_size(self.max_memory_bytes);
        pool.max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT);
        pool.max_memories_per_component(4);
        pool.max_tables_per_component(8);
        pool.max_component_instance_size(1 << 20);
        pool.max_core_instance_size(1 << 20);
        // When a call ends, reset the pages it wrote in the first MiB of
        // its slot by hand and madvise only the rest: fewer syscalls, TLB
        // shootdowns and page faults per call (the slot is wiped either
        // way). The PAGEMAP_SCAN ioctl (Linux 6.7+) finds which pages were
        // written; without it wasmtime would zero the whole first MiB on
        // every call, which cost the trivial call 20 µs of its 30
        // (docs/performance.md). Where the ioctl is missing, the first MiB
        // is zeroed as before.
        pool.pagemap_scan(Enabled::Auto);
        pool.linear_memory_keep_resident(1 << 20);
        pool.table_keep_resident(64 << 10);
        pool.async_stack_keep_resident(64 << 10);
        pool
    }
}

/// Which compiler made a skill's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Winch, wasmtime's baseline compiler: many times faster to compile
    /// than Cranelift, slower to run, never cached. A new database's
    /// skills start on it, and Cranelift's code replaces it in the
    /// background ([`crate::registry::Registry::optimize`]).
    Quick,
    /// Cranelift, cached on disk.
    Optimized,
}

/// How [`crate::registry::Registry::load_folder`] compiles a skill whose
/// Cranelift code is not cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compile {
    /// Cranelift, whatever it takes (one-shot commands).
    Optimized,
    /// Winch now, when the cache has nothing (a service's start).
    QuickFirst,
}

/// The wasmtime engine and linker shared by every skill.
#[derive(Clone)]
pub struct Runtime {
    pub(super) engine: Engine,
    pub(super) linker: Arc<Linker<CallState>>,
    pub(super) config: Arc<RuntimeConfig>,
    tier: Tier,
    /// One permit per instance the pool holds (`max_instances`): a call
    /// waits for one instead of failing when every slot is in use.
    slots: Arc<tokio::sync::Semaphore>,
    /// The Winch engine, made the first time a quick compile is asked for
    /// (`None` if it cannot be made); unused on a quick runtime itself.
    quick: Arc<OnceLock<Option<Runtime>>>,
}

impl Runtime {
    /// Build the engine, start its epoch ticker and link every host import.
    pub fn new(config: RuntimeConfig) -> Result<Self, RuntimeError> {
        Runtime::with_tier(config, Tier::Optimized)
    }

    /// [`Runtime::new`] for one compiler. Both tiers have the same limits,
    /// fuel and epochs; each has its own pool.
    fn with_tier(config: RuntimeConfig, tier: Tier) -> Result<Self, RuntimeError> {
        let mut wt = Config::new();
        wt.strategy(match tier {
            Tier::Quick => Strategy::Winch,
            Tier::Optimized => Strategy::Cranelift,
        });
        wt.wasm_component_model(true);
        wt.consume_fuel(config.fuel);
        wt.epoch_interruption(true);
        wt.max_wasm_stack(1 << 20);
        if config.pooling {
            wt.allocation_strategy(InstanceAllocationStrategy::Pooling(
                config.pooling_allocation(),
            ));
        }
        let engine = Engine::new(&wt).map_err(|e| RuntimeError::host_by("engine", e))?;
        spawn_ticker(&engine);

        let mut linker = Linker::<CallState>::new(&engine);
        let link = |e: wasmtime::Error| RuntimeError::host_by("linker", e);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(link)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).map_err(link)?;
        super::state::add_to_linker(&mut linker).map_err(link)?;
        Ok(Runtime {
            engine,
            linker: Arc::new(linker),
            slots: Arc::new(tokio::sync::Semaphore::new(config.max_instances as usize)),
            config: Arc::new(config),
            tier,
            quick: Arc::new(OnceLock::new()),
        })
    }

    /// Wait for room for one more live instance, held until the permit is
    /// dropped (after the call's store). Under a burst of calls beyond the
    /// pool's `max_instances`, the calls past it queue here: wasmtime would
    /// refuse their instantiation outright.
    pub(super) async fn instance_slot(
        &self,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, RuntimeError> {
        self.slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| RuntimeError::host_by("instance slots", e))
    }

    /// Which compiler this runtime's components come from.
    pub fn tier(&self) -> Tier {
        self.tier
    }

    /// The Winch runtime beside this one, made on first use.
    fn quick(&self) -> Option<&Runtime> {
        self.quick
            .get_or_init(|| {
                Runtime::with_tier((*self.config).clone(), Tier::Quick)
                    .inspect_err(|e| tracing::warn!(error = %e.report(), "no quick compiler: skills start on Cranelift"))
                    .ok()
            })
            .as_ref()
    }

    /// Compile `bytes` (whose hex sha256 is `sha256`) as `how` asks:
    /// with [`Compile::QuickFirst`], the cached Cranelift code when there
    /// is some, else Winch's (Cranelift's if Winch refuses the component).
    /// Returns the component with the runtime it belongs to: link it there.
    pub fn compile_as(
        &self,
        bytes: &[u8],
        sha256: &str,
        how: Compile,
    ) -> Result<(Component, Runtime), RuntimeError> {
        check_is_component(bytes)?;
        if how == Compile::QuickFirst && self.tier == Tier::Optimized {
            let cached = self.artifact_of(sha256);
            if let Some(c) = cached.as_deref().and_then(|p| self.load_cached(p)) {
                return Ok((c, self.clone()));
            }
            // Made only now: a start on a warm cache never needs it.
            if let Some(quick) = self.quick() {
                match Component::new(&quick.engine, bytes) {
                    Ok(c) => return Ok((c, quick.clone())),
                    Err(e) => {
                        tracing::info!(error = %root_message(&e), "Winch cannot compile a skill; Cranelift does");
                    }
                }
            }
        }
        Ok((self.compile_keyed(bytes, sha256)?, self.clone()))
    }

    /// The engine (for inspection of component types).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compile component bytes, through the on-disk cache when configured.
    ///
    /// The cache key is the bytes' sha256 and the engine's compatibility
    /// hash: wasmtime's hash of exactly what it checks before it accepts an
    /// artifact (target, compiler flags, tunables such as fuel, epochs and
    /// memory reservation, wasm features, its own version). Settings outside
    /// it (the pool's sizes, the allocator) do not change the artifact, so
    /// the CLI and `baton serve` share one. A compile holds a lock on the
    /// key, so replicas and test processes sharing the folder compile a
    /// component once (an interpreter takes half a minute), not once each.
    pub fn compile(&self, bytes: &[u8]) -> Result<Component, RuntimeError> {
        check_is_component(bytes)?;
        self.compile_keyed(bytes, &hex::encode(Sha256::digest(bytes)))
    }

    /// [`Runtime::compile`] of `bytes` whose hex sha256 is `sha256`.
    fn compile_keyed(&self, bytes: &[u8], sha256: &str) -> Result<Component, RuntimeError> {
        let Some(path) = self.artifact_of(sha256) else {
            return Component::new(&self.engine, bytes).map_err(invalid_component);
        };
        if let Some(c) = self.load_cached(&path) {
            return Ok(c);
        }
        let lock = lock_key(&path);
        if lock.is_some()
            && let Some(c) = self.load_cached(&path)
        {
            return Ok(c);
        }
        let component = Component::new(&self.engine, bytes).map_err(invalid_component)?;
        if let Ok(serialized) = component.serialize()
            && let Err(e) = write_atomically(&path, &serialized)
        {
            tracing::warn!(path = %path.display(), error = %e, "could not cache a compiled component");
        }
        if lock.is_some() {
            // Whoever waits on this lock finds the artifact once it has it.
            let _ = std::fs::remove_file(path.with_extension("lock"));
        }
        drop(lock);
        Ok(component)
    }

    /// Where the compiled artifact of `bytes` for this engine lives in the
    /// cache, if the cache is on.
    pub fn cached_artifact(&self, bytes: &[u8]) -> Option<PathBuf> {
        self.artifact_of(&hex::encode(Sha256::digest(bytes)))
    }

    /// [`Runtime::cached_artifact`] of the bytes whose hex sha256 is `digest`.
    fn artifact_of(&self, digest: &str) -> Option<PathBuf> {
        let dir = self.config.cache_dir.as_ref()?;
        let mut engine_hash = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(
            &self.engine.precompile_compatibility_hash(),
            &mut engine_hash,
        );
        let engine_key = std::hash::Hasher::finish(&engine_hash);
        Some(dir.join(format!("{digest}-{engine_key:016x}.cwasm")))
    }

    /// The cached artifact at `path`, if there is one this engine accepts;
    /// one it refuses is removed.
    fn load_cached(&self, path: &Path) -> Option<Component> {
        if !path.exists() {
            return None;
        }
        // SAFETY: the file was written by `Component::serialize` of an
        // engine with the same compatibility hash (it is in the name) into
        // a directory only baton writes; wasmtime still checks the header
        // and refuses an incompatible artifact.
        match unsafe { Component::deserialize_file(&self.engine, path) } {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "discarding unusable cached component");
                let _ = std::fs::remove_file(path);
                None
            }
        }
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

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

/// An exclusive lock on the cache key of `artifact` (`<artifact>.lock`,
/// held until dropped), waiting for a compile in progress elsewhere. `None`
/// when the lock cannot be had (a read-only folder): compiling without it
/// is only slower.
fn lock_key(artifact: &Path) -> Option<std::fs::File> {
    if let Some(dir) = artifact.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        tracing::warn!(path = %dir.display(), error = %e, "cannot create the compile cache");
        return None;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(artifact.with_extension("lock"))
        .ok()?;
    file.lock().ok()?;
    Some(file)
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
