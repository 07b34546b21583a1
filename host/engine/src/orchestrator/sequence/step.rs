//! One step of a sequence and the settings it carries: the context tiers it
//! reads, its approval pattern, what a failure does, what an unanswered gate
//! does. Plain data, serialized for `baton sequences` and the API; this file
//! never reads a file or checks a value (that is `parse.rs` and
//! `validate.rs`).

use super::super::condition::Condition;
use crate::runtime::Capability;
/// What an unanswered gate does when it expires (stored with each gate).
pub use crate::store::OnExpiry;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// A context tier a step reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Tier 1: org profile, user and preferences, features, budget.
    Org,
    /// Tier 2: the person the job is about, as the app that keeps contacts
    /// gives it (their company, meetings, emails, activities).
    Contact,
    /// Tier 3: one external provider.
    External(String),
}

impl Tier {
    /// Read a tier as written in a sequence file.
    pub(super) fn parse(s: &str) -> Result<Tier, String> {
        match s {
            "org" => Ok(Tier::Org),
            "contact" => Ok(Tier::Contact),
            _ => match s.strip_prefix("external:") {
                Some(p) if !p.is_empty() => Ok(Tier::External(p.to_owned())),
                _ => Err(format!(
                    "unknown context tier `{s}`: use `org`, `contact` or `external:<provider>`"
                )),
            },
        }
    }

    /// The capability a skill needs to read this tier.
    pub fn capability(&self) -> Capability {
        match self {
            Tier::Org => Capability::ContextOrg,
            Tier::Contact => Capability::ContextContact,
            Tier::External(p) => Capability::ContextExternal(p.clone()),
        }
    }
}

/// How a step's result is put to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// No gate (the non-negotiable policy may still add one).
    #[default]
    None,
    /// Approve, edit, skip or cancel the whole result.
    Confirm,
    /// Pick one of the proposed actions.
    Choose,
    /// Decide each proposed action.
    Batch,
    /// Tell the person; do not wait.
    Inform,
}

/// What a failed step does to its sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum OnFailure {
    /// Halt the sequence (status failed) and notify the rep.
    Stop,
    /// Record the failure and go on with the next step.
    Continue,
    /// Try again after `backoff`, doubling each time, up to `max_attempts`
    /// attempts in all; then stop. Terminal errors stop at once.
    Retry {
        max_attempts: u32,
        #[serde(with = "millis")]
        backoff: Duration,
    },
    /// Once the step has failed for good (after `max_attempts` tries, a
    /// retry each `backoff` doubling), run `skill` instead with the same
    /// inputs; if that fails too, stop, or go on when `continue_after`.
    Fallback {
        skill: String,
        max_attempts: u32,
        #[serde(with = "millis")]
        backoff: Duration,
        continue_after: bool,
    },
}

impl OnFailure {
    /// The fallback skill, if the step has one.
    pub fn fallback(&self) -> Option<&str> {
        match self {
            OnFailure::Fallback { skill, .. } => Some(skill),
            _ => None,
        }
    }
}

/// How a sequence's steps are put in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// As listed: each step after the one before, consecutive steps of one
    /// `group` side by side.
    #[default]
    Listed,
    /// From the data flow the skills declare (`needs`, `uses`,
    /// `produces`), `after` and the conditions: each step after what it
    /// reads, side by side with whatever nothing orders it against.
    Flow,
}

/// One step of a sequence.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: String,
    pub skill: String,
    pub context: Vec<Tier>,
    pub approval: Approval,
    pub on_failure: OnFailure,
    #[serde(serialize_with = "condition_source")]
    pub condition: Option<Condition>,
    pub fuel: Option<u64>,
    #[serde(with = "opt_millis")]
    pub timeout: Option<Duration>,
    pub params: Value,
    /// Consecutive steps with the same group run side by side.
    pub group: Option<String>,
    /// Steps it runs after without reading them (`order = "flow"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// Its stage, once the sequence is laid out by flow (`None` when the
    /// steps run as listed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<usize>,
    /// The steps it runs after and why, once laid out by flow.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waits_on: Vec<WaitsOn>,
    #[serde(with = "millis")]
    pub expires_after: Duration,
    pub on_expiry: OnExpiry,
    /// Line of the step's `[[step]]` table, for messages.
    #[serde(skip)]
    pub line: usize,
    /// Line of its `skill = …`, for messages about the skill.
    #[serde(skip)]
    pub(super) skill_line: usize,
    /// Line and column of its `params` value (the step's line when it has
    /// none), for messages about the params.
    #[serde(skip)]
    pub(super) params_at: (usize, usize),
}

/// A step a step runs after, and why (`reads `meeting.intents` of`, `runs
/// after`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitsOn {
    pub step: String,
    pub because: String,
}

/// A condition serializes as its source text.
fn condition_source<S: serde::Serializer>(c: &Option<Condition>, s: S) -> Result<S::Ok, S::Error> {
    match c {
        Some(c) => s.serialize_some(c.source()),
        None => s.serialize_none(),
    }
}

/// A duration serializes as whole milliseconds.
mod millis {
    use std::time::Duration;
    pub(super) fn serialize<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u128(d.as_millis())
    }
}

/// An optional duration serializes as whole milliseconds or `null`.
mod opt_millis {
    use std::time::Duration;
    pub(super) fn serialize<S: serde::Serializer>(
        d: &Option<Duration>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&(d.as_millis() as u64)),
            None => s.serialize_none(),
        }
    }
}

/// Which version of a skill a job resumed after a swap runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pin {
    /// Each step runs the version live when it starts.
    #[default]
    Step,
    /// Each skill runs, for the whole job, the version the job first ran it
    /// on (kept loaded, or loaded from the release log, while jobs need it).
    Job,
}
