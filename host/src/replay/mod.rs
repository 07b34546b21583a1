//! Shadow replay: run a candidate version of a skill over the recorded
//! inputs of the live version's recent step runs and report, run by run,
//! whether its output is the same, how it differs (a structural diff), its
//! errors, and its fuel and time against the live version's.
//!
//! The candidate runs in the sandbox with each run's recorded limits and
//! the grants the live version has, but without effects: its actions and
//! follow-ups are only compared, it is lent no LLM client, and outbound
//! HTTP is denied (each denial is reported). Inputs never leave the
//! database except into the candidate.

mod diff;
mod input;

pub use diff::{Change, changes};
pub use input::{RecordedLimits, StepInput};

use crate::registry::LoadedSkill;
use crate::runtime::{Capability, CapabilitySet, Denial, EventInput};
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
}

/// Totals over the runs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub runs: usize,
    pub same: usize,
    pub different: usize,
    pub errors: usize,
    pub fixed: usize,
    pub live_fuel: u64,
    pub candidate_fuel: u64,
    pub live_ms: f64,
    pub candidate_ms: f64,
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
/// `now` (unix ms); a day is 24 hours.
pub fn since(spec: &str, now: i64) -> Result<i64, ReplayError> {
    let bad = || ReplayError::Since(spec.escape_debug().to_string());
    let span: jiff::Span = spec.trim().parse().map_err(|_| bad())?;
    let ms = span
        .total((
            jiff::Unit::Millisecond,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .map_err(|_| bad())?;
    if !(0.0..=1e15).contains(&ms) {
        return Err(bad());
    }
    Ok(now - ms as i64)
}

/// Replay `candidate` over the recorded runs of its skill that `q` selects
/// (`q.skill` is the candidate's name); `progress(done, total)` is called
/// after each run.
pub async fn replay(
    store: &Store,
    candidate: &LoadedSkill,
    since: i64,
    limit: i64,
    org: Option<&OrgId>,
    progress: impl Fn(usize, usize),
) -> Result<Report, ReplayError> {
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ReplayError::Limit);
    }
    let runs = store
        .recorded_runs(&RecordedQuery {
            skill: &candidate.manifest.name,
            since,
            limit,
            org,
        })
        .await?;
    let shadow = without_effects(candidate);
    let mut report = Report {
        skill: candidate.manifest.name.clone(),
        candidate: Candidate {
            version: candidate.manifest.version.to_string(),
            sha256: candidate.sha256.clone(),
        },
        since,
        summary: Summary::default(),
        runs: Vec::with_capacity(runs.len()),
    };
    let total = runs.len();
    for (done, run) in runs.into_iter().enumerate() {
        let one = replay_one(&shadow, run).await;
        let s = &mut report.summary;
        s.runs += 1;
        match one.verdict {
            Verdict::Same => s.same += 1,
            Verdict::Different => s.different += 1,
            Verdict::Error => s.errors += 1,
            Verdict::Fixed => s.fixed += 1,
        }
        s.live_fuel += one.live.fuel;
        s.candidate_fuel += one.candidate.fuel;
        s.live_ms += one.live.duration_ms;
        s.candidate_ms += one.candidate.duration_ms;
        report.runs.push(one);
        progress(done + 1, total);
    }
    Ok(report)
}

/// The candidate as replay runs it: its capabilities without outbound HTTP.
fn without_effects(candidate: &LoadedSkill) -> LoadedSkill {
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

async fn replay_one(candidate: &LoadedSkill, run: RecordedRun) -> RunReport {
    let live = Side {
        version: run.skill_version.clone(),
        sha256: run.skill_sha256.clone(),
        fuel: u64::try_from(run.fuel).unwrap_or(0),
        duration_ms: run.duration_ms as f64,
        error: (run.status == StepRunStatus::Failed).then(|| {
            format!(
                "{}: {}",
                run.error_kind.as_deref().unwrap_or("failed"),
                run.error.as_deref().unwrap_or("")
            )
        }),
    };
    let mut candidate_side = Side {
        version: candidate.manifest.version.to_string(),
        sha256: candidate.sha256.clone(),
        fuel: 0,
        duration_ms: 0.0,
        error: None,
    };
    let mut report = RunReport {
        org: run.org_id.clone(),
        job: run.job_id.0.clone(),
        step: run.step_name.clone(),
        attempt: run.attempt,
        started_at: run.started_at,
        verdict: Verdict::Error,
        live,
        candidate: candidate_side.clone(),
        changes: Vec::new(),
        denials: Vec::new(),
    };
    let recorded: StepInput = match serde_json::from_value(run.input.clone()) {
        Ok(r) => r,
        Err(e) => {
            candidate_side.error = Some(format!("the recorded input cannot be read: {e}"));
            report.candidate = candidate_side;
            return report;
        }
    };
    let event = EventInput {
        id: run.job_id.0.clone(),
        event_type: run.event_type.clone(),
        source: run.event_source.clone(),
        org: run.org_id.0.clone(),
        user: run.user_id.0.clone(),
        payload: run.payload,
        chain_depth: u8::try_from(run.chain_depth).unwrap_or(u8::MAX),
    };
    let (input, context, limits) = recorded.call(event);
    let result = candidate.call(&input, &limits, Arc::new(context)).await;
    candidate_side.fuel = result.report.fuel_used;
    candidate_side.duration_ms = result.report.duration.as_secs_f64() * 1000.0;
    report.denials = result.report.denials;
    report.verdict = match (&result.outcome, &run.output, run.status) {
        (Ok(out), Some(live_out), StepRunStatus::Completed) => {
            let mine = serde_json::to_value(out).unwrap_or(Value::Null);
            report.changes = changes(live_out, &mine);
            if report.changes.is_empty() {
                Verdict::Same
            } else {
                Verdict::Different
            }
        }
        (Ok(_), _, _) => Verdict::Fixed,
        (Err(e), _, status) => {
            candidate_side.error = Some(format!("{}: {e}", e.kind_name()));
            if status == StepRunStatus::Failed && run.error_kind.as_deref() == Some(e.kind_name()) {
                Verdict::Same
            } else {
                Verdict::Error
            }
        }
    };
    report.candidate = candidate_side;
    report
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
