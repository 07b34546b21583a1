//! Exit codes of the `baton` CLI, and the mapping from every error type to
//! them. Documented in README.md.

use crate::registry::LoadError;
use crate::runtime::RuntimeError;

/// What a failed command exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: an unexpected failure of baton itself.
    Internal,
    /// 2: bad arguments or input, or a file that is not a valid baton skill.
    Usage,
    /// 3: the skill returned an error (or an output that breaks the contract).
    Skill,
    /// 4: a limit was exceeded (fuel, memory, deadline, output).
    Limit,
    /// 5: a capability was denied.
    Denied,
    /// 6: the skill trapped (panic, stack overflow, …).
    Trap,
    /// 7: refused by policy or state: an event refused at the door, a gate
    /// already decided, the daily send cap.
    Refused,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Internal => 1,
            Exit::Usage => 2,
            Exit::Skill => 3,
            Exit::Limit => 4,
            Exit::Denied => 5,
            Exit::Trap => 6,
            Exit::Refused => 7,
        }
    }
}

/// A failed command: how to exit and the one line to print.
#[derive(Debug)]
pub(super) struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    /// A failure with this exit code and message.
    pub(super) fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
        }
    }

    /// Bad arguments or input.
    pub(super) fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
}

impl From<RuntimeError> for Failure {
    fn from(e: RuntimeError) -> Self {
        let exit = match &e {
            RuntimeError::Skill { .. }
            | RuntimeError::InvalidOutput(_)
            | RuntimeError::OutputSchema(_) => Exit::Skill,
            RuntimeError::Limit { .. } => Exit::Limit,
            RuntimeError::Trap { .. } => Exit::Trap,
            RuntimeError::Denied { .. } => Exit::Denied,
            RuntimeError::InvalidComponent(_) => Exit::Usage,
            RuntimeError::Host { .. } => Exit::Internal,
        };
        Failure::new(exit, e.report())
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        let exit = match &e {
            LoadError::Read { .. } | LoadError::Manifest { .. } | LoadError::Undeclared { .. } => {
                Exit::Usage
            }
            LoadError::Invalid { error, .. } => Failure::from(error.clone()).exit,
            LoadError::NotGranted { .. } => Exit::Denied,
        };
        let message = match &e {
            LoadError::NotGranted { .. } => format!("denied: {e}"),
            _ => e.to_string(),
        };
        Failure::new(exit, message)
    }
}
