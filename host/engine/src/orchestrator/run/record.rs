//! The vocabulary of a run, shared by its files: the [`Stage`] being built,
//! a completed step's [`Done`] output, a step's [`Turn`], and the few
//! helpers that write a step's state and its `step_runs` row. A leaf: no
//! store or runtime calls, nothing from the files that decide.

use crate::orchestrator::conductor::Extensions;
use crate::orchestrator::config::RunnerConfig;
use crate::orchestrator::sequence::{Sequence, Step};
use crate::orchestrator::state::{JobState, StepState, StepStatus};
use crate::runtime::{Attachments, SharedJson, SkillOutput};
use crate::store::{Checkpoint, Job, NewStepRun, StepRunStatus};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

/// One stage of one job as it runs: what every state change reads (the job,
/// its sequence, the steps of the stage) and writes (the job's state, the
/// completed outputs, the stage's checkpoint).
pub(super) struct Stage<'a> {
    pub job: &'a Job,
    /// The job's event payload, shared by every step's input.
    pub payload: &'a SharedJson,
    pub seq: &'a Sequence,
    /// The step indices of this stage (run side by side).
    pub steps: Range<usize>,
    pub state: &'a mut JobState,
    /// Outputs of the completed steps, by index, as later steps see them.
    pub done: &'a mut BTreeMap<usize, Done>,
    /// Everything the stage produced, written in one transaction.
    pub cp: Checkpoint,
    /// The apps on the engine's seam (a gate's title is theirs to give).
    pub extensions: &'a Extensions,
    /// What the job's payload refers to, lent to every call of its run.
    pub attachments: &'a Arc<dyn Attachments>,
}

/// The output of a completed step, as later steps see it.
#[derive(Debug, Clone)]
pub(super) struct Done {
    pub skill: String,
    /// Its `data`, shared with every later step's input.
    pub data: SharedJson,
    /// How many effects and follow-ups it proposed (a condition reads these).
    pub actions: usize,
    pub follow_ups: usize,
}

impl Done {
    /// `output` of `skill`, as later steps see it.
    pub(super) fn of(skill: String, output: SkillOutput) -> Done {
        Done {
            skill,
            actions: output.actions.len(),
            follow_ups: output.follow_ups.len(),
            data: SharedJson::new(output.data),
        }
    }
}

/// What one step's turn in a stage came to.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Turn {
    /// Over (completed, skipped or failed-and-continue).
    Done,
    /// Waiting for a person.
    Park,
    /// Run again at this time.
    Retry(i64),
    /// Halt the sequence: failed.
    Stop(String),
    /// A person cancelled the sequence.
    Cancel(String),
}

pub(super) fn set_step(
    state: &mut JobState,
    step: &Step,
    status: StepStatus,
    reason: Option<&str>,
) {
    let entry = state.steps.entry(step.name.clone()).or_insert(StepState {
        status,
        attempts: 0,
        reason: None,
        fallback: false,
    });
    entry.status = status;
    entry.reason = reason.map(str::to_owned);
}

pub(super) fn bump_attempts(state: &mut JobState, step: &Step) -> u32 {
    let entry = state.steps.entry(step.name.clone()).or_insert(StepState {
        status: StepStatus::Retrying,
        attempts: 0,
        reason: None,
        fallback: false,
    });
    entry.attempts += 1;
    entry.attempts
}

/// The skill step `step` runs now: its own, or its fallback once it has
/// failed for good.
pub(super) fn skill_of<'s>(state: &JobState, step: &'s Step) -> &'s str {
    match step.on_failure.fallback() {
        Some(f) if state.steps.get(&step.name).is_some_and(|s| s.fallback) => f,
        _ => &step.skill,
    }
}

/// A `status` run of step `i` on `attempt`, started at `now`, with nothing
/// measured yet.
pub(super) fn blank_run(
    i: usize,
    step: &Step,
    attempt: u32,
    now: i64,
    status: StepRunStatus,
) -> NewStepRun {
    NewStepRun {
        step_index: i as i64,
        step_name: step.name.clone(),
        attempt: i64::from(attempt),
        skill_name: step.skill.clone(),
        skill_version: String::new(),
        skill_sha256: String::new(),
        status,
        error_kind: None,
        error: None,
        fuel: 0,
        cost_micros: 0,
        duration_ms: 0,
        output: None,
        input: None,
        started_at: now,
    }
}

/// Skip step `i` for `why`: its state, the meta count, and a `skipped` run
/// recorded on `attempt`.
pub(super) fn skip(st: &mut Stage<'_>, i: usize, attempt: u32, why: &str) -> Turn {
    let seq = st.seq;
    let step = &seq.steps[i];
    set_step(st.state, step, StepStatus::Skipped, Some(why));
    st.state.meta.steps_skipped += 1;
    st.cp.step_runs.push(NewStepRun {
        error: Some(why.into()),
        ..blank_run(i, step, attempt, st.cp.now, StepRunStatus::Skipped)
    });
    Turn::Done
}

/// The attempts step `i` has had so far (0 if it never ran).
pub(super) fn attempts(st: &Stage<'_>, i: usize) -> u32 {
    st.state
        .steps
        .get(&st.seq.steps[i].name)
        .map_or(0, |s| s.attempts)
}

/// Step `step`'s deadline: its own, or the runner's default.
pub(super) fn step_timeout(runner: &RunnerConfig, step: &Step) -> Duration {
    step.timeout
        .unwrap_or(Duration::from_millis(runner.step_timeout_ms))
}

pub(super) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}
