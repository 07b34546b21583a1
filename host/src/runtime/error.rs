//! The one error type of a skill call, typed so the orchestrator can decide
//! between retrying and stopping.

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

/// Why a skill call did not produce an output.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuntimeError {
    /// The skill returned an error of its own.
    #[error("skill error ({kind}): {message}")]
    Skill {
        /// `invalid_input`, `unavailable` or `failed`.
        kind: &'static str,
        message: String,
        /// The skill said a retry may help.
        retriable: bool,
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
    /// The host failed to set up or run the call (not the skill's fault).
    #[error("host error: {0}")]
    Host(String),
}

impl RuntimeError {
    /// Whether retrying the same call may succeed: deadlines, the skill's own
    /// `unavailable`, and host faults. Everything else is terminal.
    pub fn is_retriable(&self) -> bool {
        match self {
            RuntimeError::Skill { retriable, .. } => *retriable,
            RuntimeError::Limit { kind, .. } => *kind == LimitKind::Deadline,
            RuntimeError::Host(_) => true,
            RuntimeError::Trap { .. }
            | RuntimeError::Denied { .. }
            | RuntimeError::InvalidComponent(_)
            | RuntimeError::InvalidOutput(_) => false,
        }
    }

    /// Whether no retry of any kind can help: the component is broken, the
    /// skill lacks a capability, or it refused its input. (Limits and other
    /// failures may be retried when a sequence step asks for it.)
    pub fn is_terminal(&self) -> bool {
        match self {
            RuntimeError::InvalidComponent(_) | RuntimeError::Denied { .. } => true,
            RuntimeError::Skill { kind, .. } => *kind == "invalid_input",
            _ => false,
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
            RuntimeError::Host(_) => "host",
        }
    }
}
