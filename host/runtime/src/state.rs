//! The data a store holds for one call, and the one place that knows every
//! capability: WASI state, the HTTP hooks, the limiter, the effective
//! capabilities, what the call's context lends, and a handle to its audit.
//!
//! Like Spin's runtime state over its factors, it prepares each capability's
//! view when the guest calls in ([`CallState::approvals`] and its siblings)
//! and links each import to its own view ([`add_to_linker`]). A capability
//! reaches the grants, the context and the audit only through the view it
//! is handed, never through this struct. This module never decides what a
//! skill may do.

use super::audit::SharedAudit;
use super::bindings::baton::skill::{approvals, context, llm, log, types};
use super::call::CallContext;
use super::capability::CapabilitySet;
use super::imports::approvals::Approvals;
use super::imports::context::Context;
use super::imports::http::HttpPolicy;
use super::imports::llm::Llm;
use super::imports::log::Log;
use super::imports::{Grant, Types};
use super::limits::CallLimiter;
use std::sync::Arc;
use std::time::Instant;
use wasmtime::component::{Linker, ResourceTable};
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
    /// When the call's wall-clock deadline passes.
    pub(crate) deadline: Instant,
}

impl CallState {
    fn grant(&self) -> Grant<'_> {
        Grant {
            skill: &self.skill,
            caps: &self.caps,
            audit: &self.audit,
        }
    }

    /// The `approvals` import's view.
    fn approvals(&mut self) -> Approvals<'_> {
        Approvals {
            grant: self.grant(),
            decisions: &self.context.decisions,
            audit: &self.audit,
        }
    }

    /// The `context` import's view.
    fn context(&mut self) -> Context<'_> {
        Context {
            grant: self.grant(),
            org: self.context.org.as_ref(),
            contact: self.context.contact.as_ref(),
            external: &self.context.external,
            attachments: self.context.attachments.as_deref(),
        }
    }

    /// The `llm` import's view.
    fn llm(&mut self) -> Llm<'_> {
        Llm {
            grant: self.grant(),
            client: self.context.llm.as_ref(),
            audit: &self.audit,
            deadline: self.deadline,
        }
    }

    /// The `log` import's view.
    fn log(&mut self) -> Log<'_> {
        Log { audit: &self.audit }
    }
}

/// Link every `baton:skill` import, each to its own capability's view.
pub(crate) fn add_to_linker(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    types::add_to_linker::<_, Types>(linker, |_| Types)?;
    context::add_to_linker::<_, Context<'static>>(linker, CallState::context)?;
    approvals::add_to_linker::<_, Approvals<'static>>(linker, CallState::approvals)?;
    llm::add_to_linker::<_, Llm<'static>>(linker, CallState::llm)?;
    log::add_to_linker::<_, Log<'static>>(linker, CallState::log)?;
    Ok(())
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
