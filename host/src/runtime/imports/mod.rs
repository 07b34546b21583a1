//! Host implementations of the `baton:skill` imports and the outbound HTTP
//! policy. Each checks the call's effective capabilities first; a denial is
//! returned to the guest as `host-error.denied` and recorded in the audit.

mod approvals;
mod context;
pub(crate) mod http;
mod llm;
mod log;

use super::bindings::baton::skill::types;
use super::state::CallState;

impl types::Host for CallState {}
