//! The data a store holds for one call: WASI state, the HTTP policy, the
//! limiter, the effective capabilities, the call's context and its audit.

use super::call::{CallContext, Denial, GateRequest, LogLine};
use super::capability::{Capability, CapabilitySet};
use super::limits::CallLimiter;
use std::sync::{Arc, Mutex};
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// What a call did that the caller must know about, besides its result.
#[derive(Debug, Default)]
pub(crate) struct Audit {
    pub(crate) denials: Vec<Denial>,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) log_bytes: usize,
    pub(crate) gates: Vec<GateRequest>,
    pub(crate) llm_input_tokens: u64,
    pub(crate) llm_output_tokens: u64,
}

/// Shared between the store and the HTTP hooks, which live in separate borrows.
pub(crate) type SharedAudit = Arc<Mutex<Audit>>;

/// Record a denial in the audit; returns the message for the guest.
pub(crate) fn deny(audit: &SharedAudit, skill: &str, capability: &Capability) -> String {
    let message = format!(
        "skill `{skill}` used `{capability}` but does not have it (declare it in the manifest and grant it in grants.toml)"
    );
    tracing::warn!(skill, capability = %capability, "capability denied");
    if let Ok(mut audit) = audit.lock() {
        audit.denials.push(Denial {
            capability: capability.to_string(),
            message: message.clone(),
        });
    }
    message
}

/// The store data of one call.
pub(crate) struct CallState {
    pub(crate) skill: Arc<str>,
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) http: WasiHttpCtx,
    pub(crate) http_policy: super::imports::http::HttpPolicy,
    pub(crate) limiter: CallLimiter,
    pub(crate) caps: Arc<CapabilitySet>,
    pub(crate) context: Arc<CallContext>,
    pub(crate) audit: SharedAudit,
    pub(crate) stderr: MemoryOutputPipe,
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for CallState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.http_policy,
        }
    }
}
