//! A candidate sequence replayed over its event's recent recorded jobs,
//! beside the version each job ran: which steps it adds, drops, moves to
//! another stage or changes (skill, params, condition, gate, fallback);
//! where its conditions decide differently on the job's recorded event and
//! results; and each step whose skill, params or earlier outputs change
//! called again on its recorded input with the candidate's settings, its
//! output compared with what the live step made (as a candidate skill is
//! compared, [`crate::replay`]). Nothing is served, written or sent: the
//! steps run without effects, as a candidate skill's replay does.
//! `baton skill replay FILE.toml` and `POST
//! /v1/admin/sequences/{event}/shadow` read it.

use super::conductor::{Orchestrator, OrchestratorError};
use super::sequence::{Approval, Sequence, Step};
use super::state::{CONDITION_FALSE, JobState, StepStatus};
use crate::replay::{self, ReplayError, RunReport, StepInput, Summary, Verdict};
use crate::runtime::PreviousOutput;
use crate::store::{Job, JobStatus, OrgId, RecordedRun, StepRunStatus};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;

/// A candidate sequence against its event's recent jobs.
#[derive(Debug, Clone, Serialize)]
pub struct SequenceReplay {
    pub event: String,
    /// The candidate's version hash (its text and layout).
    pub candidate: String,
    pub since: i64,
    /// How the candidate differs from each version the jobs ran.
    pub against: Vec<Against>,
    pub jobs: Vec<JobReplay>,
    pub summary: SequenceSummary,
}

/// The candidate against one version the jobs ran.
#[derive(Debug, Clone, Serialize)]
pub struct Against {
    /// The recorded version (`None`: a job started before versions were
    /// recorded, compared with the version serving).
    pub version: Option<i64>,
    pub hash: String,
    /// How many of the jobs ran it.
    pub jobs: usize,
    pub changes: Vec<StepChange>,
}

/// One way a step differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepChange {
    pub step: String,
    pub what: Changed,
    /// As the job's version had it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    /// As the candidate has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
}

/// What differs about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Changed {
    Added,
    Dropped,
    /// It runs in another stage (1-based).
    Stage,
    Skill,
    Params,
    Condition,
    Gate,
    Fallback,
}

impl Changed {
    pub fn as_str(self) -> &'static str {
        match self {
            Changed::Added => "added",
            Changed::Dropped => "dropped",
            Changed::Stage => "stage",
            Changed::Skill => "skill",
            Changed::Params => "params",
            Changed::Condition => "condition",
            Changed::Gate => "gate",
            Changed::Fallback => "fallback",
        }
    }
}

/// One job replayed.
#[derive(Debug, Clone, Serialize)]
pub struct JobReplay {
    pub org: OrgId,
    pub job: String,
    pub status: JobStatus,
    pub version: Option<i64>,
    pub created_at: i64,
    /// Steps the candidate would run where the job did not, or skip where
    /// it ran.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decided: Vec<Decided>,
    /// Steps called again with the candidate's settings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunReport>,
    /// Steps that change but cannot be called again, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_replayed: Vec<NotReplayed>,
}

/// A step the candidate decides otherwise on a job.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub step: String,
    /// `ran`, `skipped by its condition` or `not in the version it ran`.
    pub live: &'static str,
    /// Whether the candidate runs it.
    pub runs: bool,
}

/// A changed step not called again.
#[derive(Debug, Clone, Serialize)]
pub struct NotReplayed {
    pub step: String,
    pub why: String,
}

/// The totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SequenceSummary {
    pub jobs: usize,
    /// Jobs on which the candidate decides a step otherwise or a step's
    /// output differs.
    pub jobs_changed: usize,
    pub decided_otherwise: usize,
    /// The steps called again, as a candidate skill's replay sums them.
    pub runs: Summary,
}

/// What a live job did with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    Ran,
    SkippedByCondition,
    Absent,
    NotReached,
}

impl Live {
    fn as_str(self) -> &'static str {
        match self {
            Live::Ran => "ran",
            Live::SkippedByCondition => "skipped by its condition",
            Live::Absent => "not in the version it ran",
            Live::NotReached => "not reached",
        }
    }
}

impl Orchestrator {
    /// Replay the sequence in `text` (checked as a publish checks it) over
    /// the newest jobs of its event that `scope` selects (its `limit`
    /// counts jobs); `progress(done, total)` after each job. Reads only.
    pub async fn replay_sequence(
        &self,
        text: &str,
        scope: &replay::Scope<'_>,
        progress: impl Fn(usize, usize),
    ) -> Result<SequenceReplay, SequenceReplayError> {
        if !(1..=replay::MAX_LIMIT).contains(&scope.limit) {
            return Err(ReplayError::Limit.into());
        }
        let candidate = self.checked_sequence(text)?;
        let missing: Vec<String> = candidate
            .skills()
            .filter(|(skill, _)| self.registry.get(skill).is_none())
            .map(|(skill, line)| format!("line {line}: skill `{skill}` is not installed"))
            .collect();
        if !missing.is_empty() {
            return Err(OrchestratorError::Invalid(format!(
                "the candidate cannot be replayed: {}",
                missing.join("; ")
            ))
            .into());
        }
        let jobs = self
            .store
            .jobs_of_event(&candidate.event, scope.since, scope.limit, scope.org)
            .await
            .map_err(OrchestratorError::from)?;
        let serving = self.sequences().get(&candidate.event).cloned();
        let mut versions: BTreeMap<Option<i64>, Option<Sequence>> = BTreeMap::new();
        let mut against: BTreeMap<Option<i64>, Against> = BTreeMap::new();
        let mut out = SequenceReplay {
            event: candidate.event.clone(),
            candidate: candidate.hash.clone(),
            since: scope.since,
            against: Vec::new(),
            jobs: Vec::with_capacity(jobs.len()),
            summary: SequenceSummary::default(),
        };
        let total = jobs.len();
        for (done, job) in jobs.into_iter().enumerate() {
            progress(done + 1, total);
            if let Entry::Vacant(slot) = versions.entry(job.sequence_version) {
                // A version no longer recorded, or none: the one serving.
                let ran = match job.sequence_version {
                    Some(v) => self.version_of(&job.sequence_name, v).await?,
                    None => None,
                };
                slot.insert(ran.or_else(|| serving.clone()));
            }
            let Some(Some(ran)) = versions.get(&job.sequence_version) else {
                continue;
            };
            against
                .entry(job.sequence_version)
                .or_insert_with(|| Against {
                    version: job.sequence_version,
                    hash: ran.hash.clone(),
                    jobs: 0,
                    changes: changes(ran, &candidate),
                })
                .jobs += 1;
            out.jobs.push(self.replay_job(&job, ran, &candidate).await?);
        }
        out.against = against.into_values().rev().collect();
        for j in &out.jobs {
            out.summary.jobs += 1;
            out.summary.decided_otherwise += j.decided.len();
            let differs = j.runs.iter().any(|r| r.verdict != Verdict::Same);
            if differs || !j.decided.is_empty() {
                out.summary.jobs_changed += 1;
            }
        }
        out.summary.runs = Summary::of(out.jobs.iter().flat_map(|j| &j.runs));
        Ok(out)
    }

    /// `candidate` on `job`, which ran `ran`.
    async fn replay_job(
        &self,
        job: &Job,
        ran: &Sequence,
        candidate: &Sequence,
    ) -> Result<JobReplay, OrchestratorError> {
        let state: JobState = serde_json::from_value(job.state.clone()).unwrap_or_default();
        let recorded = self
            .store
            .recorded_runs_of_job(&job.org_id, &job.id)
            .await?;
        // Each step's last run, by name.
        let mut last: BTreeMap<&str, &RecordedRun> = BTreeMap::new();
        for r in &recorded {
            last.insert(r.step_name.as_str(), r);
        }
        let scope = condition_scope(job, &state, &last);
        let stages = candidate.stages();
        let mut out = JobReplay {
            org: job.org_id.clone(),
            job: job.id.0.clone(),
            status: job.status,
            version: job.sequence_version,
            created_at: job.created_at,
            decided: Vec::new(),
            runs: Vec::new(),
            not_replayed: Vec::new(),
        };
        for (i, step) in candidate.steps.iter().enumerate() {
            let before = ran.steps.iter().find(|s| s.name == step.name);
            let live = match (before, state.steps.get(&step.name)) {
                (None, _) => Live::Absent,
                (Some(_), None) => Live::NotReached,
                (Some(_), Some(s)) => match s.status {
                    StepStatus::Skipped if s.reason.as_deref() == Some(CONDITION_FALSE) => {
                        Live::SkippedByCondition
                    }
                    _ => Live::Ran,
                },
            };
            let runs = step.condition.as_ref().is_none_or(|c| c.eval(&scope));
            let otherwise = match live {
                Live::Ran => !runs,
                Live::SkippedByCondition | Live::Absent => runs,
                Live::NotReached => false,
            };
            if otherwise {
                out.decided.push(Decided {
                    step: step.name.clone(),
                    live: live.as_str(),
                    runs,
                });
            }
            if runs && live == Live::SkippedByCondition {
                out.not_replayed.push(NotReplayed {
                    step: step.name.clone(),
                    why: "it did not run on this job: there is no recorded call to make again"
                        .into(),
                });
            }
            let (Some(before), Live::Ran, true) = (before, live, runs) else {
                continue;
            };
            let Some(run) = last.get(step.name.as_str()) else {
                continue;
            };
            let recorded_input: StepInput = match serde_json::from_value(run.input.clone()) {
                Ok(r) => r,
                Err(e) => {
                    out.not_replayed.push(NotReplayed {
                        step: step.name.clone(),
                        why: format!("its recorded input cannot be read: {e}"),
                    });
                    continue;
                }
            };
            let was_given = given_before(ran, &recorded_input);
            let earlier = earlier_for(candidate, &stages, i, &last, &was_given);
            let given: Vec<&str> = earlier.iter().map(|p| p.step.as_str()).collect();
            if step.skill == before.skill && step.params == before.params && given == was_given {
                continue;
            }
            let Some(skill) = self.registry.get(&step.skill) else {
                out.not_replayed.push(NotReplayed {
                    step: step.name.clone(),
                    why: format!("its skill `{}` is not installed", step.skill),
                });
                continue;
            };
            let input = StepInput {
                params: step.params.clone(),
                previous: Vec::new(),
                previous_steps: Vec::new(),
                ..recorded_input
            };
            let shadow = replay::without_effects(&skill);
            let (report, _) =
                replay::call_with(&self.store, &shadow, (*run).clone(), input, earlier).await;
            out.runs.push(report);
        }
        Ok(out)
    }
}

/// Why a candidate sequence cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum SequenceReplayError {
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error(transparent)]
    Orchestrator(#[from] OrchestratorError),
}

/// How `candidate` differs from `ran`, step by step (`ran`'s order, then
/// the steps it adds).
pub fn changes(ran: &Sequence, candidate: &Sequence) -> Vec<StepChange> {
    let stage_of = |seq: &Sequence, name: &str| {
        seq.stages()
            .iter()
            .position(|r| r.clone().any(|i| seq.steps[i].name == name))
            .map(|n| n + 1)
    };
    let mut out = Vec::new();
    let change = |step: &str, what, live: Option<String>, candidate: Option<String>| StepChange {
        step: step.to_owned(),
        what,
        live,
        candidate,
    };
    for was in &ran.steps {
        let Some(now) = candidate.steps.iter().find(|s| s.name == was.name) else {
            out.push(change(
                &was.name,
                Changed::Dropped,
                Some(was.skill.clone()),
                None,
            ));
            continue;
        };
        let (a, b) = (stage_of(ran, &was.name), stage_of(candidate, &was.name));
        if a != b {
            let n = |s: Option<usize>| s.map(|s| s.to_string());
            out.push(change(&was.name, Changed::Stage, n(a), n(b)));
        }
        if was.skill != now.skill {
            out.push(change(
                &was.name,
                Changed::Skill,
                Some(was.skill.clone()),
                Some(now.skill.clone()),
            ));
        }
        if was.params != now.params {
            out.push(change(
                &was.name,
                Changed::Params,
                Some(was.params.to_string()),
                Some(now.params.to_string()),
            ));
        }
        let cond = |s: &Step| s.condition.as_ref().map(|c| c.source().to_owned());
        if cond(was) != cond(now) {
            out.push(change(&was.name, Changed::Condition, cond(was), cond(now)));
        }
        if was.approval != now.approval {
            out.push(change(
                &was.name,
                Changed::Gate,
                gate(was.approval),
                gate(now.approval),
            ));
        }
        let fallback = |s: &Step| s.on_failure.fallback().map(str::to_owned);
        if fallback(was) != fallback(now) {
            out.push(change(
                &was.name,
                Changed::Fallback,
                fallback(was),
                fallback(now),
            ));
        }
    }
    for now in &candidate.steps {
        if !ran.steps.iter().any(|s| s.name == now.name) {
            out.push(change(
                &now.name,
                Changed::Added,
                None,
                Some(now.skill.clone()),
            ));
        }
    }
    out
}

/// A gate's name, none for no gate.
fn gate(a: Approval) -> Option<String> {
    (a != Approval::None).then(|| {
        serde_json::to_value(a)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    })
}

/// The earlier outputs step `i` of `candidate` would be handed on the job:
/// every step laid out before it that completed in the job, of an earlier
/// stage or (as when a job resumes after a gate) one `was_given` already.
fn earlier_for(
    candidate: &Sequence,
    stages: &[Range<usize>],
    i: usize,
    last: &BTreeMap<&str, &RecordedRun>,
    was_given: &[&str],
) -> Vec<PreviousOutput> {
    let start = stages
        .iter()
        .find(|r| r.contains(&i))
        .map_or(i, |r| r.start);
    candidate.steps[..i]
        .iter()
        .enumerate()
        .filter(|(j, s)| *j < start || was_given.contains(&s.name.as_str()))
        .filter_map(|(_, s)| {
            let run = last.get(s.name.as_str())?;
            if run.status != StepRunStatus::Completed {
                return None;
            }
            Some(PreviousOutput {
                step: s.name.clone(),
                skill: run.skill_name.clone(),
                data: run.output.as_ref()?.get("data")?.clone().into(),
            })
        })
        .collect()
}

/// The names of the steps whose outputs the recorded call was handed.
fn given_before<'a>(ran: &'a Sequence, input: &'a StepInput) -> Vec<&'a str> {
    if !input.previous.is_empty() {
        return input.previous.iter().map(|p| p.step.as_str()).collect();
    }
    input
        .previous_steps
        .iter()
        .filter_map(|&i| ran.steps.get(i).map(|s| s.name.as_str()))
        .collect()
}

/// What a condition reads on `job`: its event and its steps' recorded
/// results, as the runner shows them.
fn condition_scope(job: &Job, state: &JobState, last: &BTreeMap<&str, &RecordedRun>) -> Value {
    let mut steps = serde_json::Map::new();
    for (name, s) in &state.steps {
        let out = last
            .get(name.as_str())
            .filter(|r| r.status == StepRunStatus::Completed)
            .and_then(|r| r.output.as_ref());
        let count = |key: &str| {
            out.and_then(|o| o.get(key))
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        steps.insert(
            name.clone(),
            json!({
                "status": s.status,
                "data": out.and_then(|o| o.get("data")).cloned(),
                "actions": count("actions"),
                "follow_ups": count("follow_ups"),
            }),
        );
    }
    json!({
        "event": { "type": job.event_type, "source": job.event_source, "payload": job.payload },
        "steps": steps,
    })
}
