//! Calls into the host: context tiers, approval gates, LLM completions, logs.
//!
//! In a component these are the `baton:skill` imports; natively (unit tests)
//! they are answered by the [`crate::testing::FakeHost`] installed for the
//! current thread. Every call may be refused with [`HostError::Denied`] when
//! the capability it needs was not declared or not granted.

use serde_json::Value;

pub use crate::calls::{
    Completion, CompletionRequest, Decision, Gate, HostError, Level, Pattern, Tier,
};

/// Read a context tier as JSON.
pub fn context(tier: Tier) -> Result<Value, HostError> {
    imp::context(tier)
}

/// Read a context tier that may be absent: `Ok(None)` when the host knows
/// nothing for it (`not-found`), an error for anything else (a denial is
/// never a silent gap).
pub fn context_if_known(tier: Tier) -> Result<Option<Value>, HostError> {
    match context(tier) {
        Ok(v) => Ok(Some(v)),
        Err(HostError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Read an attachment: what the event carries by reference (a meeting's
/// transcript), by its id. Needs `context:attachments`; `not-found` when
/// the org holds none under the id or it was erased (the message says).
pub fn attachment(id: &str) -> Result<Value, HostError> {
    imp::attachment(id)
}

/// Ask for an approval gate; the step runs again once it is decided.
pub fn request_approval(gate: Gate) -> Result<(), HostError> {
    imp::request_approval(gate)
}

/// The decision on the gate with `key`, once there is one.
pub fn decision(key: &str) -> Result<Option<Decision>, HostError> {
    imp::decision(key)
}

/// Complete a prompt through the host's LLM connector.
pub fn complete(req: CompletionRequest) -> Result<Completion, HostError> {
    imp::complete(req)
}

/// Write a log line. Never log transcript text or email addresses.
pub fn log(level: Level, message: &str) {
    imp::log(level, message)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use crate::bindings::baton::skill::{approvals, context as ctx, llm, log as wlog, types};

    fn err(e: types::HostError) -> HostError {
        match e {
            types::HostError::Denied(m) => HostError::Denied(m),
            types::HostError::NotFound(m) => HostError::NotFound(m),
            types::HostError::Unavailable(m) => HostError::Unavailable(m),
            types::HostError::Invalid(m) => HostError::Invalid(m),
        }
    }

    pub fn context(tier: Tier) -> Result<Value, HostError> {
        let tier = match tier {
            Tier::Org => ctx::Tier::Org,
            Tier::Contact => ctx::Tier::Contact,
            Tier::External(p) => ctx::Tier::External(p),
        };
        let text = ctx::read(&tier).map_err(err)?;
        serde_json::from_str(&text).map_err(|e| HostError::Invalid(format!("context JSON: {e}")))
    }

    pub fn attachment(id: &str) -> Result<Value, HostError> {
        let text = ctx::attachment(id).map_err(err)?;
        serde_json::from_str(&text).map_err(|e| HostError::Invalid(format!("attachment JSON: {e}")))
    }

    pub fn request_approval(gate: Gate) -> Result<(), HostError> {
        let gate = approvals::Gate {
            key: gate.key,
            pattern: match gate.pattern {
                Pattern::Confirm => approvals::Pattern::Confirm,
                Pattern::Choose => approvals::Pattern::Choose,
                Pattern::Batch => approvals::Pattern::Batch,
                Pattern::Inform => approvals::Pattern::Inform,
            },
            title: gate.title,
            body: gate.body.to_string(),
            options: gate.options,
        };
        approvals::request(&gate).map_err(err)
    }

    pub fn decision(key: &str) -> Result<Option<Decision>, HostError> {
        let decision = approvals::read_decision(key).map_err(err)?;
        decision
            .map(|d| {
                Ok(match d {
                    approvals::Decision::Approved => Decision::Approved,
                    approvals::Decision::Edited(text) => Decision::Edited(
                        serde_json::from_str(&text)
                            .map_err(|e| HostError::Invalid(format!("edited draft: {e}")))?,
                    ),
                    approvals::Decision::Skipped => Decision::Skipped,
                    approvals::Decision::Cancelled => Decision::Cancelled,
                    approvals::Decision::Chosen(i) => Decision::Chosen(i),
                    approvals::Decision::PerItem(v) => Decision::PerItem(v),
                })
            })
            .transpose()
    }

    pub fn complete(req: CompletionRequest) -> Result<Completion, HostError> {
        let c = llm::complete(&llm::Request {
            system: req.system,
            prompt: req.prompt,
            max_tokens: req.max_tokens,
            temperature: req.temperature,
        })
        .map_err(err)?;
        Ok(Completion {
            text: c.text,
            input_tokens: c.input_tokens,
            output_tokens: c.output_tokens,
        })
    }

    pub fn log(level: Level, message: &str) {
        let level = match level {
            Level::Debug => wlog::Level::Debug,
            Level::Info => wlog::Level::Info,
            Level::Warn => wlog::Level::Warn,
            Level::Error => wlog::Level::Error,
        };
        wlog::write(level, message)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    use crate::testing::with_host;

    pub(super) fn context(tier: Tier) -> Result<Value, HostError> {
        with_host(|h| h.context(&tier))
    }
    pub(super) fn attachment(id: &str) -> Result<Value, HostError> {
        with_host(|h| h.read_attachment(id))
    }
    pub(super) fn request_approval(gate: Gate) -> Result<(), HostError> {
        with_host(|h| h.request_approval(gate))
    }
    pub(super) fn decision(key: &str) -> Result<Option<Decision>, HostError> {
        with_host(|h| h.decision(key))
    }
    pub(super) fn complete(req: CompletionRequest) -> Result<Completion, HostError> {
        with_host(|h| h.complete(req))
    }
    pub(super) fn log(level: Level, message: &str) {
        with_host(|h| h.log(level, message))
    }
}
