//! Shadow replay: run a candidate version of a skill over the recorded
//! inputs of the live version's recent step runs and report, run by run,
//! whether its output is the same, how it differs (a structural diff), its
//! errors, and its fuel and time against the live version's; and, asked
//! to, how each run meets what a rep decided at its gate (`decided.rs`).
//!
//! The candidate runs in the sandbox with each run's recorded limits and
//! the grants the live version has, but without effects: its actions and
//! follow-ups are only compared, it is lent no LLM client, and outbound
//! HTTP is denied (each denial is reported). Inputs never leave the
//! database except into the candidate. [`Shadows`] does the same on new
//! calls, beside the live version, for a while.

mod decided;
mod diff;
mod input;
mod live;

pub use decided::{Decided, Judged, Scored, Totals};
pub use diff::{Change, changes};
pub use input::{RecordedLimits, StepInput};
pub use live::{LiveCall, MAX_KEPT, ShadowReport, Shadows};

use crate::registry::LoadedSkill;
use crate::report::Cause;
use crate::runtime::{
    CallResult, Capability, CapabilitySet, Denial, EventInput, PreviousOutput, RuntimeError,
};
use crate::store::{OrgId, RecordedQuery, RecordedRun, StepRunStatus, Store, StoreError};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// Runs replayed when no limit is given.
pub const DEFAULT_LIMIT: i64 = 100;
/// The most runs one replay takes.
pub const MAX_LIMIT: i64 = 5_000;

/// How a candidate's run compares with the live one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The same output, or the same kind of failure.
    Same,
    /// Both produced an output, and they differ (see the changes).
    Different,
    /// The candidate failed where the live version did not, or failed
    /// differently.
    Error,
    /// The live version failed and the candidate produced an output.
    Fixed,
    /// What the run's event carried by reference (a meeting's transcript)
    /// was erased since: the run is not replayed, and the candidate's
    /// error is the tombstone's words.
    Erased,
}

/// One side's measurements.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub version: String,
    pub sha256: String,
    pub fuel: u64,
    pub duration_ms: f64,
    /// The failure's kind and message, if the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One replayed run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub org: OrgId,
    pub job: String,
    pub step: String,
    pub attempt: i64,
    pub started_at: i64,
    pub verdict: Verdict,
    pub live: Side,
    pub candidate: Side,
    /// What changed from the live output to the candidate's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Capabilities the candidate used that replay withholds or it lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denials: Vec<Denial>,
    /// Against the rep's decision at the run's gate, when asked for and a
    /// rep decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Scored>,
}

/// Totals over the runs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub runs: usize,
    pub same: usize,
    pub different: usize,
    pub errors: usize,
    pub fixed: usize,
    /// Runs whose event's words were erased, not replayed.
    pub erased: usize,
    pub live_fuel: u64,
    pub candidate_fuel: u64,
    pub live_ms: f64,
    pub candidate_ms: f64,
    /// The runs scored against reps' decisions, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Totals>,
}

/// A whole replay.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub skill: String,
    pub candidate: Candidate,
    pub since: i64,
    pub summary: Summary,
    pub runs: Vec<RunReport>,
}

/// The version replayed.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub version: String,
    pub sha256: String,
}

/// Why a replay could not run.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("limit must be 1-{MAX_LIMIT}")]
    Limit,
    #[error("since `{0}` is not a duration like `7d`, `36h` or `90m`")]
    Since(String),
}

/// The start of the window `spec` (`7d`, `36h`, `90m`, `1d 12h`) ending at
/// `now` (unix ms).
pub fn since(spec: &str, now: i64) -> Result<i64, ReplayError> {
    duration_ms(spec)
        .map(|ms| now - ms)
        .ok_or_else(|| ReplayError::Since(spec.escape_debug().to_string()))
}

/// `spec` (`7d`, `36h`, `90m`, `1d 12h`) in milliseconds, a day being 24
/// hours; `None` if it is not such a duration or is negative.
pub fn duration_ms(spec: &str) -> Option<i64> {
    let span: jiff::Span = spec.trim().parse().ok()?;
    let ms = span
        .total((
            jiff::Unit::Millisecond,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .ok()?;
    (0.0..=1e15).contains(&ms).then_some(ms as i64)
}

/// What runs a replay takes, and what it measures them by.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Runs started at or after this (unix ms).
    pub since: i64,
    /// The most runs, newest first.
    pub limit: i64,
    /// Only this org's runs.
    pub org: Option<&'a OrgId>,
    /// Score each run whose gate a rep decided against the decision.
    pub against_decisions: bool,
}

/// Replay `candidate` over the recorded runs of its skill that `scope`
/// selects; `progress(done, total)` is called after each run.
pub async fn replay(
    store: &Store,
    candidate: &LoadedSkill,
    scope: &Scope<'_>,
    progress: impl Fn(usize, usize),
) -> Result<Report, ReplayError> {
    let Scope {
        since,
        limit,
        org,
        against_decisions,
    } = *scope;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ReplayError::Limit);
    }
    let runs = store
        .recorded_runs(&RecordedQuery {
            skill: &candidate.manifest.name,
            since,
            limit,
            org,
            skipped: against_decisions,
        })
        .await?;
    let shadow = without_effects(candidate);
    let total = runs.len();
    let mut reports = Vec::with_capacity(total);
    for (done, run) in runs.into_iter().enumerate() {
        reports.push(replay_one(store, &shadow, run, against_decisions).await?);
        progress(done + 1, total);
    }
    let mut report = Report::of(candidate, since, reports);
    if against_decisions {
        let mut totals = Totals::default();
        report
            .runs
            .iter()
            .filter_map(|r| r.decision.as_ref())
            .for_each(|s| totals.add(s));
        report.summary.decisions = Some(totals);
    }
    Ok(report)
}

impl Report {
    /// The report of `runs` of `candidate` since `since`, with their totals.
    pub fn of(candidate: &LoadedSkill, since: i64, runs: Vec<RunReport>) -> Report {
        Report {
            skill: candidate.manifest.name.clone(),
            candidate: Candidate {
                version: candidate.manifest.version.to_string(),
                sha256: candidate.sha256.clone(),
            },
            since,
            summary: Summary::of(&runs),
            runs,
        }
    }
}

impl Summary {
    /// The totals of `runs`.
    pub fn of<'a>(runs: impl IntoIterator<Item = &'a RunReport>) -> Summary {
        let mut summary = Summary::default();
        for one in runs {
            summary.runs += 1;
            match one.verdict {
                Verdict::Same => summary.same += 1,
                Verdict::Different => summary.different += 1,
                Verdict::Error => summary.errors += 1,
                Verdict::Fixed => summary.fixed += 1,
                Verdict::Erased => summary.erased += 1,
            }
            summary.live_fuel += one.live.fuel;
            summary.candidate_fuel += one.candidate.fuel;
            summary.live_ms += one.live.duration_ms;
            summary.candidate_ms += one.candidate.duration_ms;
        }
        summary
    }
}

/// The candidate as replay runs it: its capabilities without outbound HTTP.
pub(crate) fn without_effects(candidate: &LoadedSkill) -> LoadedSkill {
    let mut kept = CapabilitySet::new();
    for c in candidate.effective.iter() {
        if !matches!(c, Capability::Http { .. } | Capability::HttpGranted) {
            kept.insert(c.clone());
        }
    }
    LoadedSkill {
        effective: Arc::new(kept),
        ..candidate.clone()
    }
}

/// Which run of which job a comparison is about.
#[derive(Debug, Clone)]
pub(crate) struct RunOf {
    pub org: OrgId,
    pub job: String,
    pub step: String,
    pub attempt: i64,
    pub started_at: i64,
}

/// What the live version made of a call: its output if it produced one,
/// else its failure's kind.
#[derive(Debug, Clone)]
pub(crate) struct LiveOutcome {
    pub side: Side,
    pub output: Option<Value>,
    pub error_kind: Option<String>,
    /// The output is the draft a gate showed (`{data, actions}`), for a
    /// run a person skipped.
    pub draft_only: bool,
}

/// Compare the candidate's `result` with the live outcome of the same call.
pub(crate) fn compare(
    of: RunOf,
    live: LiveOutcome,
    candidate: &LoadedSkill,
    result: CallResult,
) -> RunReport {
    let mut side = Side {
        version: candidate.manifest.version.to_string(),
        sha256: candidate.sha256.clone(),
        fuel: result.report.fuel_used,
        duration_ms: result.report.duration.as_secs_f64() * 1000.0,
        error: None,
    };
    let mut changes_found = Vec::new();
    let verdict = match (&result.outcome, &live.output) {
        (Ok(out), Some(live_out)) => {
            let mut mine = serde_json::to_value(out).unwrap_or(Value::Null);
            // A skipped run's live side is the draft its gate showed.
            if live.draft_only {
                mine = serde_json::json!({ "data": mine["data"], "actions": mine["actions"] });
            }
            changes_found = changes(live_out, &mine);
            if changes_found.is_empty() {
                Verdict::Same
            } else {
                Verdict::Different
            }
        }
        (Ok(_), None) => Verdict::Fixed,
        (Err(e), live_output) => {
            side.error = Some(format!("{}: {}", e.kind_name(), e.report()));
            if live_output.is_none() && live.error_kind.as_deref() == Some(e.kind_name()) {
                Verdict::Same
            } else {
                Verdict::Error
            }
        }
    };
    RunReport {
        org: of.org,
        job: of.job,
        step: of.step,
        attempt: of.attempt,
        started_at: of.started_at,
        verdict,
        live: live.side,
        candidate: side,
        changes: changes_found,
        denials: result.report.denials,
        decision: None,
    }
}

/// Replay one run; with `against_decisions`, score it against the
/// decision at its gate.
async fn replay_one(
    store: &Store,
    candidate: &LoadedSkill,
    run: RecordedRun,
    against_decisions: bool,
) -> Result<RunReport, StoreError> {
    if !against_decisions {
        return Ok(call_one(store, candidate, run).await.0);
    }
    let gates = store.job_actions(&run.org_id, &run.job_id).await?;
    // What the live version drafted is what the gate showed the rep
    // (`{data, actions}`); the step's run holds what the rep made of it (an
    // edit replaced the draft; a skip left no output).
    let gate = decided::gate_of(&gates, &run.step_name).cloned();
    let mut run = run;
    if run.status == StepRunStatus::Skipped {
        run.output = gate.as_ref().map(|g| g.body.clone());
    }
    let (mut report, output) = call_one(store, candidate, run).await;
    if let (Some(gate), Some(output)) = (gate, output) {
        report.decision = decided::score(&gate, &gate.body, &output);
    }
    Ok(report)
}

/// Call the candidate with `run`'s recorded input: the comparison, and the
/// candidate's output when it made one.
async fn call_one(
    store: &Store,
    candidate: &LoadedSkill,
    run: RecordedRun,
) -> (RunReport, Option<Value>) {
    let recorded: StepInput = match serde_json::from_value(run.input.clone()) {
        Ok(r) => r,
        Err(e) => return (unreadable(candidate, run, e.into()), None),
    };
    match earlier_outputs(store, &run, &recorded.previous_steps).await {
        Ok(earlier) => call_with(store, candidate, run, recorded, earlier).await,
        Err(why) => (unreadable(candidate, run, why), None),
    }
}

/// Call the candidate with `recorded` (`run`'s input, perhaps with other
/// params) and the `earlier` outputs (used when `recorded` does not hold
/// them itself): the comparison with what the live call made, and the
/// candidate's output when it made one. What the event carries by
/// reference is read from `store` again: an erased transcript is not
/// replayed, and the call says it was erased.
pub(crate) async fn call_with(
    store: &Store,
    candidate: &LoadedSkill,
    run: RecordedRun,
    recorded: StepInput,
    earlier: Vec<PreviousOutput>,
) -> (RunReport, Option<Value>) {
    let (of, live) = live_of(&run);
    if let Some(words) = erased(store, &run).await {
        let result = CallResult {
            outcome: Err(RuntimeError::host(format!(
                "not replayed: its event's {words}"
            ))),
            report: Default::default(),
        };
        let mut report = compare(of, live, candidate, result);
        report.verdict = Verdict::Erased;
        return (report, None);
    }
    let event = EventInput {
        id: run.job_id.0.clone(),
        event_type: run.event_type.clone(),
        source: run.event_source.clone(),
        org: run.org_id.0.clone(),
        user: run.user_id.0.clone(),
        payload: run.payload.into(),
        chain_depth: u8::try_from(run.chain_depth).unwrap_or(u8::MAX),
    };
    let (input, mut context, limits) = recorded.call(event, earlier);
    context.attachments = Some(crate::attachments::lent(store, &run.org_id));
    let result = candidate.call(&input, &limits, Arc::new(context)).await;
    let output = result
        .outcome
        .as_ref()
        .ok()
        .and_then(|o| serde_json::to_value(o).ok());
    (compare(of, live, candidate, result), output)
}

/// The tombstone's words when what `run`'s event carried by reference
/// was erased (a store that cannot say replays the run, which then fails
/// on its own if the words are gone).
async fn erased(store: &Store, run: &RecordedRun) -> Option<String> {
    for id in crate::attachments::referenced(&run.payload) {
        if let Ok(Some(found)) = store.attachment(&run.org_id, id).await
            && let crate::store::Content::Erased(t) = &found.content
        {
            return Some(format!(
                "{} was {}",
                found.kind,
                crate::attachments::erased_words(t)
            ));
        }
    }
    None
}

/// The comparison for a run whose recorded input cannot be read (`why`).
pub(crate) fn unreadable(candidate: &LoadedSkill, run: RecordedRun, why: Cause) -> RunReport {
    let (of, live) = live_of(&run);
    let result = CallResult {
        outcome: Err(RuntimeError::host_by(
            "the recorded input cannot be read",
            why,
        )),
        report: Default::default(),
    };
    compare(of, live, candidate, result)
}

/// Which run `run` is, and what the live version made of it.
fn live_of(run: &RecordedRun) -> (RunOf, LiveOutcome) {
    let failed = run.status == StepRunStatus::Failed;
    let live = LiveOutcome {
        draft_only: run.status == StepRunStatus::Skipped,
        side: Side {
            version: run.skill_version.clone(),
            sha256: run.skill_sha256.clone(),
            fuel: u64::try_from(run.fuel).unwrap_or(0),
            duration_ms: run.duration_ms as f64,
            error: failed.then(|| {
                format!(
                    "{}: {}",
                    run.error_kind.as_deref().unwrap_or("failed"),
                    run.error.as_deref().unwrap_or("")
                )
            }),
        },
        output: if failed { None } else { run.output.clone() },
        error_kind: run.error_kind.clone(),
    };
    let of = RunOf {
        org: run.org_id.clone(),
        job: run.job_id.0.clone(),
        step: run.step_name.clone(),
        attempt: run.attempt,
        started_at: run.started_at,
    };
    (of, live)
}

/// The outputs of `run`'s job's steps at `steps`, in order, as the runner
/// handed them to the call: each step's completed run.
async fn earlier_outputs(
    store: &Store,
    run: &RecordedRun,
    steps: &[usize],
) -> Result<Vec<PreviousOutput>, Cause> {
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    let runs = store.step_runs(&run.org_id, &run.job_id).await?;
    steps
        .iter()
        .map(|&i| {
            runs.iter()
                .rev()
                .find(|r| {
                    usize::try_from(r.step_index).ok() == Some(i)
                        && r.status == StepRunStatus::Completed
                })
                .and_then(|r| {
                    Some(PreviousOutput {
                        step: r.step_name.clone(),
                        skill: r.skill_name.clone(),
                        data: r.output.as_ref()?.get("data")?.clone().into(),
                    })
                })
                .ok_or_else(|| {
                    format!("step {i}'s output, which the call was given, is gone").into()
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_days_hours_and_minutes() {
        let now = 1_000_000_000_000;
        assert_eq!(since("7d", now).unwrap(), now - 7 * 86_400_000);
        assert_eq!(since("36h", now).unwrap(), now - 36 * 3_600_000);
        assert_eq!(since("1d 12h", now).unwrap(), now - 36 * 3_600_000);
        assert_eq!(since("90m", now).unwrap(), now - 90 * 60_000);
    }

    #[test]
    fn since_refuses_what_is_not_a_duration() {
        for bad in ["", "yesterday", "-7d", "7", "9999999999999d"] {
            assert!(since(bad, 0).is_err(), "{bad}");
        }
    }
}
