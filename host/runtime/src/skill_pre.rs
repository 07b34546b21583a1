//! [`SkillPre`]: a skill version compiled and linked, ready to be
//! instantiated per call. It builds each call's store (WASI context, host
//! policies, memory limiter, fuel, epoch deadline), runs `describe` or `run`
//! in a fresh instance, and returns the outcome with what the call cost. It
//! never touches the database or performs an effect.

use super::bindings::{SkillPre as WitSkillPre, baton::skill::types as wit};
use super::call::{CallContext, CallInput, CallReport, CallResult};
use super::capability::{Capability, CapabilitySet};
use super::engine::Runtime;
use super::error::{LimitKind, RuntimeError};
use super::failure::{classify, root_message, skill_error, tail_utf8};
use super::imports::http::HttpPolicy;
use super::limits::{CallLimiter, EPOCH_TICK, Limits, STDERR_BYTES, input_fuel};
use super::output::SkillOutput;
use super::{audit::Audit, state::CallState};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Store, UpdateDeadline};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi_http::WasiHttpCtx;

impl Runtime {
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
}

/// A skill version compiled and linked, ready to be instantiated per call.
#[derive(Clone)]
pub struct SkillPre {
    pub(super) runtime: Runtime,
    pub(super) pre: WitSkillPre<CallState>,
}

impl SkillPre {
    /// Which compiler made this code.
    pub fn tier(&self) -> crate::Tier {
        self.runtime.tier()
    }

    /// Names of the interfaces the component imports.
    pub fn imports(&self) -> Vec<String> {
        self.runtime.imports(self.pre.instance_pre().component())
    }

    /// Call `describe` under tight limits and no capabilities.
    pub async fn describe(&self) -> Result<wit::Manifest, RuntimeError> {
        let limits = Limits {
            fuel: 100_000_000,
            memory_bytes: 64 << 20,
            timeout: Duration::from_secs(5),
            output_bytes: 1 << 20,
        };
        let _slot = self.runtime.instance_slot().await?;
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
            Ok(Err(e)) => Err(classify(e, &store, "describe")),
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
        // Held until the store is dropped: the instance's slot in the pool.
        let _slot = match self.runtime.instance_slot().await {
            Ok(slot) => slot,
            Err(e) => {
                return CallResult {
                    outcome: Err(e),
                    report: CallReport::default(),
                };
            }
        };
        let started = Instant::now();
        let skill: Arc<str> = Arc::from(skill);
        let wit_input = input.to_wit();
        // Reading the input (its JSON: payload, params, earlier outputs) is
        // lent on top of the limit, so a limit sized for the skill's work
        // also covers reading the largest input.
        let json_bytes = wit_input.event.payload.len()
            + wit_input.params.len()
            + wit_input
                .previous
                .iter()
                .map(|p| p.data.len())
                .sum::<usize>();
        let limits = &Limits {
            fuel: limits.fuel.saturating_add(input_fuel(json_bytes)),
            ..*limits
        };
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
            Ok(Err(e)) => Err(classify(e, &store, &skill)),
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
        if context.clock_offset_ms != 0 {
            wasi.wall_clock(OffsetWallClock(context.clock_offset_ms));
        }
        wasi.allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false);
        if let Some(dir) = data_dir.filter(|_| caps.permits(&Capability::Files)) {
            wasi.preopened_dir(dir, "/data", wasmtime_wasi::FsPerms::ReadOnly)
                .map_err(|e| RuntimeError::host_by(format!("data folder {}", dir.display()), e))?;
            // The skill's own read-only data (a model, templates) on local
            // disk: read on the call's thread rather than handed to tokio's
            // blocking pool and back, which under load made a call wait for
            // a worker once per file operation (docs/performance.md).
            wasi.allow_blocking_current_thread(true);
        }
        let audit = Arc::new(Mutex::new(Audit::default()));
        let deadline = Instant::now() + limits.timeout;
        let state = CallState {
            skill: skill.clone(),
            wasi: wasi.build(),
            table: ResourceTable::new(),
            http: WasiHttpCtx::new(),
            http_policy: HttpPolicy {
                skill,
                caps: caps.clone(),
                audit: audit.clone(),
                keys: context.keys.clone(),
            },
            limiter: CallLimiter::new(limits.memory_bytes),
            caps,
            context,
            audit: audit.clone(),
            stderr,
            deadline,
        };
        let mut store = Store::new(&self.runtime.engine, state);
        store.limiter(|s| &mut s.limiter);
        if self.runtime.config.fuel {
            store
                .set_fuel(limits.fuel)
                .map_err(|e| RuntimeError::host_by("fuel", e))?;
        }
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

/// The system's wall clock moved by a fixed offset: the service's clock,
/// as a skill reads it.
struct OffsetWallClock(i64);

impl wasmtime_wasi::HostWallClock for OffsetWallClock {
    fn resolution(&self) -> std::time::Duration {
        std::time::Duration::from_millis(1)
    }

    fn now(&self) -> std::time::Duration {
        let ms = crate::clock::now_ms().saturating_add(self.0).max(0);
        std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    }
}
