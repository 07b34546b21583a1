//! `approvals`: gates requested by the skill are recorded for the caller,
//! which parks the job; decisions already taken are read back on resume.

use crate::runtime::bindings::baton::skill::approvals::{Decision, Gate, Host, Pattern};
use crate::runtime::bindings::baton::skill::types::HostError;
use crate::runtime::call::{GatePattern, GateRequest};
use crate::runtime::capability::Capability;
use crate::runtime::state::CallState;

/// Gates one call may request.
const MAX_GATES: usize = 64;

impl Host for CallState {
    async fn request(&mut self, gate: Gate) -> wasmtime::Result<Result<(), HostError>> {
        if let Err(denied) = self.require(&Capability::Approvals) {
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
                Pattern::Confirm => GatePattern::Confirm,
                Pattern::Choose => GatePattern::Choose,
                Pattern::Batch => GatePattern::Batch,
                Pattern::Inform => GatePattern::Inform,
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
    ) -> wasmtime::Result<Result<Option<Decision>, HostError>> {
        if let Err(denied) = self.require(&Capability::Approvals) {
            return Ok(Err(denied));
        }
        Ok(Ok(self.context.decisions.get(&key).map(|d| d.to_wit())))
    }
}
