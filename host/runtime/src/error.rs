//! The one error type of a skill call and its one [`Verdict`]: whether
//! another attempt may help. It classifies; it never decides how often or
//! when to retry (the sequence step does, in the runner).

use super::schema::Violations;
use baton_concepts::report::{Cause, Report, SharedCause};
use std::fmt;

/// A limit a call can exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// The fuel budget ran out.
    Fuel,
    /// Linear memory or tables would grow past the cap.
    Memory,
    /// The wall-clock deadline passed.
    Deadline,
    /// The output is larger than allowed.
    Output,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::Fuel => "fuel",
            LimitKind::Memory => "memory",
            LimitKind::Deadline => "deadline",
            LimitKind::Output => "output",
        })
    }
}

/// How a guest trapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrapKind {
    /// The guest panicked (Rust panics end in `unreachable`).
    Panic,
    /// The guest's call stack overflowed.
    StackOverflow,
    /// Any other trap (out-of-bounds access, bad cast, …).
    Other,
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrapKind::Panic => "panic",
            TrapKind::StackOverflow => "stack overflow",
            TrapKind::Other => "trap",
        })
    }
}

/// The error a skill returned, as the `skill-error` variant it chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillErrorKind {
    /// The skill refused its input: the same input fails the same way.
    InvalidInput,
    /// Something the skill needs is down; a later attempt may succeed.
    Unavailable,
    /// Any other failure the skill reports.
    Failed,
}

impl SkillErrorKind {
    /// The stable name stored and shown (`invalid_input`, `unavailable`, `failed`).
    pub fn as_str(self) -> &'static str {
        match self {
            SkillErrorKind::InvalidInput => "invalid_input",
            SkillErrorKind::Unavailable => "unavailable",
            SkillErrorKind::Failed => "failed",
        }
    }
}

impl fmt::Display for SkillErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use crate::verdict::Verdict;

/// Why a skill call did not produce an output.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuntimeError {
    /// The skill returned an error of its own.
    #[error("skill error ({kind}): {message}")]
    Skill {
        kind: SkillErrorKind,
        message: String,
    },
    /// A limit was exceeded and the call was stopped.
    #[error("limit exceeded: {kind} ({detail})")]
    Limit { kind: LimitKind, detail: String },
    /// The guest trapped.
    #[error("trap: {kind}: {message}")]
    Trap { kind: TrapKind, message: String },
    /// The skill used a capability it does not have.
    #[error("capability denied: {message}")]
    Denied {
        /// The capability, in text form.
        capability: String,
        message: String,
    },
    /// The file is not a valid baton skill.
    #[error("invalid component: {0}")]
    InvalidComponent(String),
    /// The skill returned something that breaks the contract (e.g. data that is not JSON).
    #[error("invalid output: {0}")]
    InvalidOutput(String),
    /// The output data breaks the skill's declared output schema. Terminal:
    /// the same code given the same input writes the same shape again.
    #[error("output does not match the skill's output schema: {0}")]
    OutputSchema(Violations),
    /// The host failed to set up or run the call (not the skill's fault):
    /// what it was doing, and the error that stopped it as the source.
    #[error("host error: {message}")]
    Host {
        message: String,
        #[source]
        cause: Option<SharedCause>,
    },
}

impl RuntimeError {
    /// A host fault with no error under it.
    pub fn host(message: impl Into<String>) -> Self {
        RuntimeError::Host {
            message: message.into(),
            cause: None,
        }
    }

    /// A host fault caused by `cause`.
    pub fn host_by(message: impl Into<String>, cause: impl Into<Cause>) -> Self {
        RuntimeError::Host {
            message: message.into(),
            cause: Some(SharedCause::new(cause)),
        }
    }

    /// The error with each cause under it, as it is recorded and shown.
    pub fn report(&self) -> String {
        Report(self).to_string()
    }

    /// The one answer the runner's retry policy asks: [`Verdict::Stop`] when
    /// the component is broken, the skill lacks a capability, it refused
    /// its input, or its output breaks its schema; [`Verdict::Retry`] for everything else (limits, traps, the
    /// skill's other failures, host faults), when a sequence step asks for it.
    pub fn verdict(&self) -> Verdict {
        match self {
            RuntimeError::InvalidComponent(_)
            | RuntimeError::Denied { .. }
            | RuntimeError::OutputSchema(_) => Verdict::Stop,
            RuntimeError::Skill {
                kind: SkillErrorKind::InvalidInput,
                ..
            } => Verdict::Stop,
            RuntimeError::Skill { .. }
            | RuntimeError::Limit { .. }
            | RuntimeError::Trap { .. }
            | RuntimeError::InvalidOutput(_)
            | RuntimeError::Host { .. } => Verdict::Retry,
        }
    }

    /// Stable short name of the error's kind, for records and metrics.
    pub fn kind_name(&self) -> &'static str {
        match self {
            RuntimeError::Skill { .. } => "skill",
            RuntimeError::Limit { kind, .. } => match kind {
                LimitKind::Fuel => "limit_fuel",
                LimitKind::Memory => "limit_memory",
                LimitKind::Deadline => "limit_deadline",
                LimitKind::Output => "limit_output",
            },
            RuntimeError::Trap { .. } => "trap",
            RuntimeError::Denied { .. } => "denied",
            RuntimeError::InvalidComponent(_) => "invalid_component",
            RuntimeError::InvalidOutput(_) => "invalid_output",
            RuntimeError::OutputSchema(_) => "output_schema",
            RuntimeError::Host { .. } => "host",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_fault_keeps_its_cause_and_records_the_same_text() {
        let cause = wasmtime::Error::msg("the pool is exhausted").context("instantiate");
        // What the step run recorded when the cause was flattened into the message.
        let flattened = format!("host error: `echo`: {cause:#}");
        let e = RuntimeError::host_by("`echo`", cause);
        assert_eq!(e.to_string(), "host error: `echo`");
        let source = std::error::Error::source(&e).expect("the cause is the source");
        assert_eq!(source.to_string(), "instantiate");
        assert_eq!(e.report(), flattened);
        assert_eq!(e.clone(), e);
        assert_ne!(e, RuntimeError::host("`echo`"));
        assert_eq!(e.verdict(), Verdict::Retry);
    }
}
