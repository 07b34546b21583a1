//! A job's state as checkpointed in `sequence_jobs.state`: small, so a
//! checkpoint stays cheap. Step outputs live in `step_runs`.

use super::context::Loaded;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Completed,
    /// Its condition was false, or a person skipped it, or its gate expired.
    Skipped,
    /// Failed with `on_failure = "continue"`.
    Failed,
    /// Waiting for a decision.
    Awaiting,
    /// Failed, waiting for its next attempt.
    Retrying,
}

impl StepStatus {
    /// Whether the step is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StepStatus::Completed | StepStatus::Skipped | StepStatus::Failed
        )
    }
}

/// The reason a step skipped by its condition records.
pub const CONDITION_FALSE: &str = "condition false";

/// One step's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepState {
    pub status: StepStatus,
    /// Attempts made so far.
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The step failed for good and runs its `on_failure` fallback skill.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

/// The execution metadata of the spec, kept as the job runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub steps_attempted: u32,
    pub steps_completed: u32,
    pub steps_failed: u32,
    pub steps_skipped: u32,
    pub approval_gates_hit: u32,
    pub followups_queued: u32,
    /// Follow-ups not created: the chain was at its maximum depth, or no
    /// sequence handles their type.
    pub followups_dropped: u32,
    /// Actions and follow-ups withheld as less sure than the org's
    /// confidence floor (`floor.rs`).
    #[serde(default)]
    pub withheld: u32,
    pub fuel: u64,
    pub cost_micros: i64,
    /// Time spent running steps (waits for people excluded).
    pub run_ms: u64,
}

/// Everything the runner keeps between checkpoints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobState {
    /// Context tiers, loaded at the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Loaded>,
    #[serde(default)]
    pub steps: BTreeMap<String, StepState>,
    #[serde(default)]
    pub meta: Meta,
    /// When the first step started (unix ms).
    #[serde(default)]
    pub started_at: Option<i64>,
    /// With `pin = "job"`: the sha256 of the version each skill first ran
    /// on in this job.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pins: BTreeMap<String, String>,
}
