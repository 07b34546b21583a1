//! `baton-sdk`: everything a skill author needs.
//!
//! A skill is a type implementing [`Skill`], exported with [`export_skill!`]:
//!
//! ```ignore
//! use baton_sdk::prelude::*;
//!
//! struct Hello;
//!
//! impl Skill for Hello {
//!     fn manifest() -> Manifest {
//!         Manifest::new("hello", "0.1.0", "Says hello to the rep.")
//!     }
//!     fn run(input: Input) -> Result<Output, SkillError> {
//!         Ok(Output::new(json!({ "greeting": format!("hello {}", input.event.user) })))
//!     }
//! }
//!
//! export_skill!(Hello);
//! ```
//!
//! The vocabulary is typed: each event type's payload is in [`events`], the
//! context tiers in [`context`], the meeting skills' shared outputs in
//! [`meeting`] (and the coaching analysis in [`coaching`]), the scheduling and briefing skills' in [`scheduling`] and
//! [`briefing`], the proposal chain's in [`proposal`], the shared readings of free text in [`text`] and [`numbers`], and the types the host speaks too (action kinds, gate
//! patterns, decisions) come from the `baton-types` crate. A skill's params
//! and output schemas are derived from its Rust types
//! ([`Manifest::params`], [`Manifest::output`]).
//!
//! Host imports (context, approvals, LLM, log) live in [`host`], and what a
//! skill's optional LLM path needs (a token meter, strict answers, verbatim
//! quotes) in [`llm`]. On the host target (`cargo test`) they are served by
//! [`testing::FakeHost`], so a skill's logic is unit-tested natively without
//! wasm. The SDK never performs an effect: skills propose, the host decides.

#[doc(hidden)]
pub mod bindings;
pub mod briefing;
pub mod calendar;
mod calls;
pub mod coaching;
pub mod commitments;
pub mod content;
pub mod context;
pub mod crm;
pub mod events;
#[doc(hidden)]
pub mod export;
pub mod hash;
pub mod host;
pub mod http;
mod lenient;
pub mod llm;
pub mod meeting;
pub mod news;
pub mod numbers;
pub mod proposal;
pub mod revival;
pub mod scheduling;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod text;
mod types;
mod url;

pub use baton_types::{
    Decision, Pattern, contract, decision, evidence, flow, invoice, slack, task, tone, words,
};
pub use schemars::{self, JsonSchema};
pub use serde_json::{Value, json};
pub use types::{
    ActionKind, Event, FollowUp, Input, Manifest, Output, ProposedAction, SkillError, StepOutput,
    to_data, two_decimals,
};

/// A baton skill: who it is, and how it handles one step.
pub trait Skill {
    /// The manifest returned by `describe`. Must not call host imports.
    fn manifest() -> Manifest;

    /// Handle one step.
    fn run(input: Input) -> Result<Output, SkillError>;
}

/// The usual imports for a skill crate.
pub mod prelude {
    pub use crate::host::{self, HostError};
    pub use crate::{
        ActionKind, Event, FollowUp, Input, JsonSchema, Manifest, Output, ProposedAction, Skill,
        SkillError, StepOutput, Value, export_skill, flow, json, to_data,
    };
}
