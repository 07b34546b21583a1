//! `approvals`: gates requested by the skill are recorded for the caller,
//! which parks the job; decisions already taken are read back on resume.

use super::Grant;
use crate::audit::SharedAudit;
use crate::bindings::baton::skill::approvals::{self as wit, Gate, Host};
use crate::bindings::baton::skill::types::HostError;
use crate::call::GateRequest;
use crate::capability::Capability;
use baton_types::{Decision, Pattern};
use std::collections::BTreeMap;
use wasmtime::component::HasData;

/// Gates one call may request.
const MAX_GATES: usize = 64;

/// What `approvals` works with: its grant, the decisions the job already
/// holds, and the call's audit, where requested gates are kept.
pub(crate) struct Approvals<'a> {
    pub(crate) grant: Grant<'a>,
    pub(crate) decisions: &'a BTreeMap<String, Decision>,
    pub(crate) audit: &'a SharedAudit,
}

impl HasData for Approvals<'static> {
    type Data<'a> = Approvals<'a>;
}

impl Host for Approvals<'_> {
    async fn request(&mut self, gate: Gate) -> wasmtime::Result<Result<(), HostError>> {
        if let Err(denied) = self.grant.require(&Capability::Approvals) {
            return Ok(Err(denied));
        }
        if gate.key.is_empty() {
            return Ok(Err(HostError::Invalid(
                "a gate needs a non-empty key".into(),
            )));
        }
        let body = match serde_json::from_str(&gate.body) {
            Ok(v) => v,
            Err(e) => {
                return Ok(Err(HostError::Invalid(format!(
                    "gate body is not JSON: {e}"
                ))));
            }
        };
        let Ok(mut audit) = self.audit.lock() else {
            return Ok(Err(HostError::Unavailable("audit lock poisoned".into())));
        };
        if audit.gates.len() >= MAX_GATES {
            return Ok(Err(HostError::Invalid(format!(
                "a call may request at most {MAX_GATES} gates"
            ))));
        }
        if audit.gates.iter().any(|g| g.key == gate.key) {
            return Ok(Err(HostError::Invalid(format!(
                "gate `{}` was already requested in this call",
                gate.key
            ))));
        }
        audit.gates.push(GateRequest {
            key: gate.key,
            pattern: match gate.pattern {
                wit::Pattern::Confirm => Pattern::Confirm,
                wit::Pattern::Choose => Pattern::Choose,
                wit::Pattern::Batch => Pattern::Batch,
                wit::Pattern::Inform => Pattern::Inform,
            },
            title: gate.title,
            body,
            options: gate.options,
        });
        Ok(Ok(()))
    }

    async fn read_decision(
        &mut self,
        key: String,
    ) -> wasmtime::Result<Result<Option<wit::Decision>, HostError>> {
        if let Err(denied) = self.grant.require(&Capability::Approvals) {
            return Ok(Err(denied));
        }
        Ok(Ok(self.decisions.get(&key).map(decision_to_wit)))
    }
}

/// A decision as the skill reads it back.
fn decision_to_wit(d: &Decision) -> wit::Decision {
    match d {
        Decision::Approved => wit::Decision::Approved,
        Decision::Edited(v) => wit::Decision::Edited(v.to_string()),
        Decision::Skipped => wit::Decision::Skipped,
        Decision::Cancelled => wit::Decision::Cancelled,
        Decision::Chosen(i) => wit::Decision::Chosen(*i),
        Decision::PerItem(v) => wit::Decision::PerItem(v.clone()),
    }
}
