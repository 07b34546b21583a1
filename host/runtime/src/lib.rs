//! baton-runtime: the sandbox and the skills it runs. A wasmtime engine
//! with the component model, fuel, epoch interruption and the pooling
//! allocator, and the per-call machinery that runs one skill invocation
//! under limits with only its effective capabilities.
//!
//! The runtime never touches the database or performs an effect: it returns
//! what the skill proposed, and what the call cost, to its caller.
//!
//! Inside, dependencies run one way: `capability`, `audit`, `limits` and
//! `failure` are leaves; each host import in `imports/` owns its per-call
//! view and knows only those leaves; `state` composes the views into the
//! store data and links them; `engine` compiles a skill; `skill_pre` links
//! it and runs the call; `schema` (a leaf) checks values against a skill's
//! compiled JSON Schemas.
//!
//! Beside the sandbox: [`registry`] (loading skills, manifests, grants, hot
//! swap), [`watch`] (debounced folder watches) and [`metrics`] (the
//! runtime's own Prometheus counters); it re-exports `baton-concepts`'
//! [`clock`] and [`verdict`]. No database, no HTTP server: this crate depends on neither
//! sqlx nor axum.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod audit;
mod bindings;
mod call;
pub mod capability;
mod engine;
mod error;
mod failure;
mod imports;
mod limits;
pub mod metrics;
mod output;
pub mod registry;
mod schema;
mod skill_pre;
mod state;
pub mod watch;

/// The clock and the retry verdict, shared with the store (`baton-concepts`).
pub use baton_concepts::{clock, report, verdict};

/// The vocabulary shared with the skills, defined once in `baton-types`.
pub use baton_types::{ActionKind, Decision, FollowUp, Pattern, ProposedAction};
pub use bindings::baton::skill::types::Manifest as RawManifest;
pub use call::{
    Attachment, AttachmentFuture, Attachments, CallContext, CallReport, CallResult, Denial,
    GateRequest, InjectedHeader, KeyFuture, KeyTarget, LlmClient, LlmCompletion, LlmFuture,
    LlmRequest, LogLevel, LogLine, ProviderKeys, SharedJson,
};
pub use capability::{Capability, CapabilitySet};
pub use engine::{Compile, Runtime, RuntimeConfig, Tier};
pub use error::{LimitKind, RuntimeError, SkillErrorKind, TrapKind, Verdict};
pub use limits::Limits;
pub use output::SkillOutput;
pub use schema::{Schema, Violation, Violations};
pub use skill_pre::SkillPre;

/// The typed input of one call, as the orchestrator builds it.
pub use call::{CallInput, EventInput, PreviousOutput};
