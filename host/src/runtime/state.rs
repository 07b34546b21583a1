//! The data a store holds for one call: WASI state, the HTTP hooks (which
//! own their own copy of what they check), the limiter, the effective
//! capabilities, what the call's context lends, and a handle to its audit.
//!
//! The `baton:skill` imports reach the grants only through
//! [`CallState::require`], which audits a refusal; none reads another
//! capability's fields. This module holds state and never decides what a
//! skill may do beyond that one check.

use super::audit::{SharedAudit, deny};
use super::bindings::baton::skill::types::HostError;
use super::call::CallContext;
use super::capability::{Capability, CapabilitySet};
use super::imports::http::HttpPolicy;
use super::limits::CallLimiter;
use std::sync::Arc;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// The store data of one call.
pub(crate) struct CallState {
    pub(crate) skill: Arc<str>,
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) http: WasiHttpCtx,
    pub(crate) http_policy: HttpPolicy,
    pub(crate) limiter: CallLimiter,
    pub(crate) caps: Arc<CapabilitySet>,
    pub(crate) context: Arc<CallContext>,
    pub(crate) audit: SharedAudit,
    pub(crate) stderr: MemoryOutputPipe,
}

impl CallState {
    /// Whether this call holds `capability`; a refusal is recorded in the
    /// audit and comes back as the guest's `host-error.denied`.
    pub(crate) fn require(&self, capability: &Capability) -> Result<(), HostError> {
        if self.caps.permits(capability) {
            Ok(())
        } else {
            Err(HostError::Denied(deny(
                &self.audit,
                &self.skill,
                capability,
            )))
        }
    }
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
