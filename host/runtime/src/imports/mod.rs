//! Host implementations of the `baton:skill` imports and the outbound HTTP
//! policy, one capability per file.
//!
//! Each capability owns its per-call state: it is a small view (`Approvals`,
//! `Context`, `Llm`, `Log`, the `HttpPolicy` hooks) holding exactly what it
//! works with, which the call state hands it through an explicit getter
//! when the guest calls in (see `state.rs`). A capability never sees the
//! call state or another capability's fields. Those behind a capability
//! check it first through their [`Grant`]: a refusal is recorded in the
//! audit and returned to the guest as `host-error.denied`.

pub(crate) mod approvals;
pub(crate) mod context;
pub(crate) mod http;
pub(crate) mod llm;
pub(crate) mod log;

use super::audit::{SharedAudit, deny};
use super::bindings::baton::skill::types::{self, HostError};
use super::capability::{Capability, CapabilitySet};
use wasmtime::component::HasData;

/// A capability's lookup of the call's effective grants.
pub(crate) struct Grant<'a> {
    pub(crate) skill: &'a str,
    pub(crate) caps: &'a CapabilitySet,
    pub(crate) audit: &'a SharedAudit,
}

impl Grant<'_> {
    /// Whether the call holds `capability`; a refusal is recorded in the
    /// audit and its message returned.
    pub(crate) fn check(&self, capability: &Capability) -> Result<(), String> {
        if self.caps.permits(capability) {
            Ok(())
        } else {
            Err(deny(self.audit, self.skill, capability))
        }
    }

    /// [`Grant::check`] for a `baton:skill` import: a refusal comes back as
    /// the guest's `host-error.denied`.
    pub(crate) fn require(&self, capability: &Capability) -> Result<(), HostError> {
        self.check(capability).map_err(HostError::Denied)
    }
}

/// The `types` interface: types only, no state.
pub(crate) struct Types;

impl types::Host for Types {}

impl HasData for Types {
    type Data<'a> = Types;
}
