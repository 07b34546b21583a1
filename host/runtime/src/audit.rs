//! The audit of one call: what the call did that its caller must know
//! besides its result (denials, log lines, gates, LLM tokens), and [`deny`],
//! the one way a capability check records a refusal.
//!
//! A leaf of the runtime: it knows the call's report types and capabilities
//! and nothing of the store data or of any import, so every capability (the
//! `baton:skill` imports and the outbound HTTP hooks, which live in separate
//! borrows) can hold a handle to it without importing one another. It never
//! decides what is permitted; the capability holding the handle does.

use super::call::{Denial, GateRequest, LogLine};
use super::capability::Capability;
use std::sync::{Arc, Mutex};

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

/// Shared between the store data and the HTTP hooks, which live in separate
/// borrows.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denial_is_recorded_and_names_the_fix() {
        let audit = SharedAudit::default();
        let message = deny(&audit, "enrich", &Capability::Llm);
        assert!(message.contains("skill `enrich` used `llm`"), "{message}");
        assert!(message.contains("grants.toml"), "{message}");
        let audit = audit.lock().expect("not poisoned");
        assert_eq!(audit.denials.len(), 1);
        assert_eq!(audit.denials[0].capability, "llm");
        assert_eq!(audit.denials[0].message, message);
    }
}
