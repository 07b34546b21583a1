//! The sandbox: a wasmtime engine with the component model, fuel, epoch
//! interruption and the pooling allocator, and the per-call machinery that
//! runs one skill invocation under limits with only its effective
//! capabilities.
//!
//! The runtime never touches the database or performs an effect: it returns
//! what the skill proposed, and what the call cost, to its caller.

mod bindings;
mod call;
pub mod capability;
mod engine;
mod error;
mod imports;
mod limits;
mod output;
mod state;

pub use bindings::baton::skill::types::Manifest as RawManifest;
pub use call::{
    CallContext, CallReport, CallResult, Decision, Denial, GatePattern, GateRequest, LlmClient,
    LlmCompletion, LlmFuture, LlmRequest, LogLevel, LogLine,
};
pub use capability::{Capability, CapabilitySet};
pub use engine::{Runtime, RuntimeConfig, SkillPre};
pub use error::{LimitKind, RuntimeError, SkillErrorKind, TrapKind, Verdict};
pub use limits::Limits;
pub use output::{ActionKind, FollowUp, ProposedAction, SkillOutput};

/// The typed input of one call, as the orchestrator builds it.
pub use call::{CallInput, EventInput, PreviousOutput};
