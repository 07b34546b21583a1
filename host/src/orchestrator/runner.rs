//! The runner: claims due jobs under a lease and runs each, stage by stage,
//! until it rests (waits for a person or a retry, or is over). Each stage's
//! results — step runs, state, effects, costs, follow-ups, gates — are one
//! checkpoint, written in one transaction; a job whose worker dies is
//! resumed by another at its last checkpoint when the lease runs out.

use super::context::{self, Loaded};
use super::policy;
use super::sequence::{Approval, OnExpiry, OnFailure, Sequence, Step};
use super::state::{JobState, StepState, StepStatus};
use super::{Orchestrator, OrchestratorError};
use crate::registry::LoadedSkill;
use crate::runtime::{
    ActionKind, CallContext, CallInput, CallResult, Decision, EventInput, GatePattern, Limits,
    PreviousOutput, RuntimeError, SkillOutput,
};
use crate::store::{
    Checkpoint, Job, JobStatus, NewCharge, NewEffect, NewJob, NewNotification, NewPendingAction,
    NewStepRun, PendingAction, StoreError, Transition,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// The message the spec asks for when a budget halts work.
const BUDGET_MESSAGE: &str =
    "AI budget limit reached. Pausing proactive workflows until next billing period.";
/// Longest wait between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// What one step's turn in a stage came to.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
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

/// The output of a completed step, as later steps see it.
#[derive(Debug, Clone)]
struct Done {
    skill: String,
    output: SkillOutput,
}

impl Orchestrator {
    /// One pass: expire unanswered gates, claim due jobs and run each until
    /// it rests. Returns how many jobs were claimed.
    pub async fn tick(self: &Arc<Self>) -> Result<usize, OrchestratorError> {
        let slots = self.config.runner.concurrency.max(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(slots));
        let claimed = self.claim_into(&permits).await?;
        let _all = permits
            .acquire_many(u32::try_from(slots).unwrap_or(u32::MAX))
            .await
            .map_err(internal)?;
        Ok(claimed)
    }

    /// Run `job` from its last checkpoint until it rests.
    pub(crate) async fn run_job(self: &Arc<Self>, job: Job) -> Result<(), OrchestratorError> {
        let Some(seq) = self.sequences.get(&job.sequence_name).cloned() else {
            let reason = format!("no sequence handles `{}` any more", job.sequence_name);
            return self.finish_now(&job, JobStatus::Failed, reason).await;
        };
        let mut state: JobState = match serde_json::from_value(job.state.clone()) {
            Ok(s) => s,
            Err(e) => {
                let reason = format!("stored job state is not valid: {e}");
                return self.finish_now(&job, JobStatus::Failed, reason).await;
            }
        };
        if state.started_at.is_none() {
            state.started_at = Some(self.clock.now_ms());
        }
        if state.context.is_none() {
            state.context = Some(context::load(&self.store, &job, &seq).await?);
        }
        let mut done = self.completed_outputs(&job, &seq).await?;
        let budget = self.store.budget(&job.org_id).await?;
        let stages = seq.stages();
        let mut current = usize::try_from(job.current_step).unwrap_or(0);
        loop {
            let now = self.clock.now_ms();
            let Some(stage) = stages.iter().find(|r| r.contains(&current)).cloned() else {
                let mut cp = self.checkpoint(
                    &job,
                    now,
                    Transition::Finish {
                        status: JobStatus::Completed,
                        error: None,
                    },
                );
                cp.current_step = seq.steps.len() as i64;
                cp.state = serde_json::to_value(&state).map_err(internal)?;
                return self.commit(cp).await;
            };
            if let Some(limit) = budget {
                let spent = self.store.spent(&job.org_id, &period(now)).await?;
                if spent >= limit {
                    let mut cp = self.checkpoint(
                        &job,
                        now,
                        Transition::Finish {
                            status: JobStatus::BudgetExceeded,
                            error: Some(format!(
                                "the org's budget of ${:.2} for {} is spent",
                                limit as f64 / 1e6,
                                period(now)
                            )),
                        },
                    );
                    cp.current_step = stage.start as i64;
                    cp.state = serde_json::to_value(&state).map_err(internal)?;
                    cp.notifications.push(NewNotification {
                        kind: "budget_exceeded".into(),
                        channel: "slack".into(),
                        message: BUDGET_MESSAGE.into(),
                        dedupe_key: Some(format!("budget_exceeded:{}", period(now))),
                    });
                    return self.commit(cp).await;
                }
            }
            let mut cp = self.checkpoint(
                &job,
                now,
                Transition::Continue {
                    lease_ms: self.config.runner.lease_ms,
                },
            );
            self.extend_lease_for(&job, &seq, &stage, now).await?;
            let verdicts = self
                .run_stage(&job, &seq, stage.clone(), &mut state, &mut done, &mut cp)
                .await?;
            let (advance, transition) = combine(&verdicts);
            if let Some(t) = transition {
                cp.transition = t;
            }
            cp.current_step = if advance { stage.end } else { stage.start } as i64;
            if advance && stage.end >= seq.steps.len() {
                cp.transition = Transition::Finish {
                    status: JobStatus::Completed,
                    error: None,
                };
            }
            if let Transition::Finish { status, .. } = &cp.transition
                && *status == JobStatus::Failed
            {
                cp.notifications.push(NewNotification {
                    kind: "sequence_failed".into(),
                    channel: "slack".into(),
                    message: format!("The {} sequence stopped: a step failed.", seq.event),
                    dedupe_key: Some(format!("failed:{}", job.id)),
                });
            }
            cp.state = serde_json::to_value(&state).map_err(internal)?;
            let keep_going = matches!(cp.transition, Transition::Continue { .. });
            self.commit(cp).await?;
            if !keep_going {
                return Ok(());
            }
            current = stage.end;
        }
    }

    /// Outputs of the steps already completed, by step index.
    async fn completed_outputs(
        &self,
        job: &Job,
        seq: &Sequence,
    ) -> Result<BTreeMap<usize, Done>, OrchestratorError> {
        let mut out = BTreeMap::new();
        for run in self.store.step_runs(&job.org_id, &job.id).await? {
            let idx = usize::try_from(run.step_index).unwrap_or(usize::MAX);
            if run.status != "completed" || idx >= seq.steps.len() {
                continue;
            }
            if let Some(output) = run.output {
                let output: SkillOutput = serde_json::from_value(output).map_err(|e| {
                    OrchestratorError::Store(StoreError::Corrupt(format!(
                        "step {} output: {e}",
                        run.step_name
                    )))
                })?;
                out.insert(
                    idx,
                    Done {
                        skill: run.skill_name,
                        output,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Make sure the lease outlasts the stage's longest step.
    async fn extend_lease_for(
        &self,
        job: &Job,
        seq: &Sequence,
        stage: &Range<usize>,
        now: i64,
    ) -> Result<(), OrchestratorError> {
        let longest = seq.steps[stage.clone()]
            .iter()
            .map(|s| self.step_timeout(s))
            .max()
            .unwrap_or_default();
        let need = i64::try_from(longest.as_millis()).unwrap_or(i64::MAX / 2) + 5_000;
        if need > self.config.runner.lease_ms {
            self.store
                .extend_lease(&job.org_id, &job.id, &self.worker_id, now + need)
                .await?;
        }
        Ok(())
    }

    fn step_timeout(&self, step: &Step) -> Duration {
        step.timeout
            .unwrap_or(Duration::from_millis(self.config.runner.step_timeout_ms))
    }

    /// Run one stage: resolve decisions, evaluate conditions, call the
    /// skills (side by side), and fold the results into `cp`.
    async fn run_stage(
        self: &Arc<Self>,
        job: &Job,
        seq: &Sequence,
        stage: Range<usize>,
        state: &mut JobState,
        done: &mut BTreeMap<usize, Done>,
        cp: &mut Checkpoint,
    ) -> Result<Vec<Verdict>, OrchestratorError> {
        let mut verdicts = Vec::new();
        let mut to_run: Vec<(usize, BTreeMap<String, Decision>)> = Vec::new();
        let gates = if stage.clone().any(|i| {
            state
                .steps
                .get(&seq.steps[i].name)
                .is_some_and(|s| s.status == StepStatus::Awaiting)
        }) {
            self.store.job_actions(&job.org_id, &job.id).await?
        } else {
            Vec::new()
        };
        for i in stage.clone() {
            let step = &seq.steps[i];
            let status = state.steps.get(&step.name).map(|s| s.status);
            match status {
                Some(s) if s.is_final() => continue,
                Some(StepStatus::Awaiting) => {
                    let mine: Vec<&PendingAction> =
                        gates.iter().filter(|g| g.step_index == i as i64).collect();
                    match self.resolve(job, i, step, &mine, state, done, cp).await? {
                        Resolved::Verdict(v) => verdicts.push(v),
                        Resolved::Rerun(decisions) => to_run.push((i, decisions)),
                    }
                }
                _ => {
                    if let Some(cond) = &step.condition {
                        let scope = condition_scope(job, seq, state, done);
                        if !cond.eval(&scope) {
                            set_step(state, step, StepStatus::Skipped, Some("condition false"));
                            state.meta.steps_skipped += 1;
                            cp.step_runs
                                .push(skipped_run(i, step, 0, cp.now, "condition false"));
                            verdicts.push(Verdict::Done);
                            continue;
                        }
                    }
                    to_run.push((i, BTreeMap::new()));
                }
            }
        }
        let loaded = state.context.clone().unwrap_or_default();
        let mut set = JoinSet::new();
        for (i, decisions) in to_run {
            let step = &seq.steps[i];
            let Some(skill) = self.registry.get(&step.skill) else {
                // Installed when the event came in, gone now.
                let attempts = bump_attempts(state, step);
                state.meta.steps_attempted += 1;
                let message = format!("skill `{}` is not installed", step.skill);
                cp.step_runs.push(NewStepRun {
                    error_kind: Some("not_installed".into()),
                    error: Some(message.clone()),
                    status: "failed".into(),
                    ..blank_run(i, step, attempts, cp.now)
                });
                verdicts.push(Verdict::Stop(message));
                continue;
            };
            let input = self.step_input(job, seq, i, done);
            let context = call_context(&loaded, step, &decisions, self.llm.clone());
            let limits = Limits {
                fuel: step.fuel.unwrap_or(skill.manifest.default_fuel),
                memory_bytes: self.config.runner.step_memory_mib << 20,
                timeout: self.step_timeout(step),
                ..Limits::default()
            };
            // The person approved what this call will propose (a skip or
            // a cancel approves nothing).
            let approved = !decisions.is_empty()
                && decisions
                    .values()
                    .all(|d| !matches!(d, Decision::Skipped | Decision::Cancelled));
            let decided: BTreeSet<String> = decisions.keys().cloned().collect();
            set.spawn(async move {
                let result = skill.call(&input, &limits, Arc::new(context)).await;
                (i, skill, decided, approved, result)
            });
        }
        let mut results = Vec::new();
        while let Some(r) = set.join_next().await {
            results.push(r.map_err(|e| internal(format!("step task failed: {e}")))?);
        }
        results.sort_by_key(|r| r.0);
        for (i, skill, decided, approved, result) in results {
            let asked = Asked { decided, approved };
            let v = self.fold_result(job, seq, i, &skill, asked, result, state, done, cp);
            verdicts.push(v);
        }
        Ok(verdicts)
    }

    /// Apply the decisions on a parked step.
    #[allow(clippy::too_many_arguments)]
    async fn resolve(
        &self,
        job: &Job,
        i: usize,
        step: &Step,
        gates: &[&PendingAction],
        state: &mut JobState,
        done: &mut BTreeMap<usize, Done>,
        cp: &mut Checkpoint,
    ) -> Result<Resolved, OrchestratorError> {
        if gates.is_empty() || gates.iter().any(|g| g.status == "open") {
            return Ok(Resolved::Verdict(Verdict::Park));
        }
        // Expired first: the step's on_expiry decides.
        if gates.iter().any(|g| g.status == "expired") {
            return Ok(Resolved::Verdict(match step.on_expiry {
                OnExpiry::Skip => {
                    let attempt = state.steps.get(&step.name).map_or(0, |s| s.attempts);
                    set_step(state, step, StepStatus::Skipped, Some("approval expired"));
                    state.meta.steps_skipped += 1;
                    cp.step_runs
                        .push(skipped_run(i, step, attempt, cp.now, "approval expired"));
                    Verdict::Done
                }
                OnExpiry::Cancel => Verdict::Cancel(format!(
                    "the approval for step `{}` expired unanswered",
                    step.name
                )),
            }));
        }
        let mut decisions = BTreeMap::new();
        for g in gates {
            let d: Decision = match g.decision.clone().map(serde_json::from_value) {
                Some(Ok(d)) => d,
                _ => {
                    return Err(OrchestratorError::Store(StoreError::Corrupt(format!(
                        "approval {} has no valid decision",
                        g.id
                    ))));
                }
            };
            if d == Decision::Cancelled {
                return Ok(Resolved::Verdict(Verdict::Cancel(format!(
                    "cancelled at step `{}`{}",
                    step.name,
                    g.decided_by
                        .as_ref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default()
                ))));
            }
            decisions.insert(g.gate_key.clone(), d);
        }
        if gates[0].kind == "skill" {
            return Ok(Resolved::Rerun(decisions));
        }
        // A step gate: the held output meets its decision.
        let Some(held) = self.held_output(job, i).await? else {
            return Err(OrchestratorError::Store(StoreError::Corrupt(format!(
                "step `{}` waits for approval but its output is gone",
                step.name
            ))));
        };
        let (skill, output) = held;
        let decision = decisions.into_values().next().unwrap_or(Decision::Skipped);
        let Some(output) = apply_decision(output, &decision) else {
            let attempt = state.steps.get(&step.name).map_or(0, |s| s.attempts);
            set_step(
                state,
                step,
                StepStatus::Skipped,
                Some("skipped by a person"),
            );
            state.meta.steps_skipped += 1;
            cp.step_runs
                .push(skipped_run(i, step, attempt, cp.now, "skipped by a person"));
            return Ok(Resolved::Verdict(Verdict::Done));
        };
        let attempts = state.steps.get(&step.name).map_or(1, |s| s.attempts);
        cp.step_runs.push(NewStepRun {
            status: "completed".into(),
            output: Some(serde_json::to_value(&output).map_err(internal)?),
            ..blank_run(i, step, attempts, cp.now)
        });
        self.accept(job, i, step, &skill, output, state, done, cp);
        Ok(Resolved::Verdict(Verdict::Done))
    }

    /// The output held at a step's gate (its latest attempt's).
    async fn held_output(
        &self,
        job: &Job,
        i: usize,
    ) -> Result<Option<(String, SkillOutput)>, OrchestratorError> {
        let runs = self.store.step_runs(&job.org_id, &job.id).await?;
        let Some(run) = runs
            .into_iter()
            .filter(|r| r.step_index == i as i64 && r.status == "awaiting_approval")
            .max_by_key(|r| r.attempt)
        else {
            return Ok(None);
        };
        let Some(output) = run.output else {
            return Ok(None);
        };
        let output = serde_json::from_value(output).map_err(|e| {
            OrchestratorError::Store(StoreError::Corrupt(format!("held output: {e}")))
        })?;
        Ok(Some((run.skill_name, output)))
    }

    /// Fold one call's result into the checkpoint.
    #[allow(clippy::too_many_arguments)]
    fn fold_result(
        &self,
        job: &Job,
        seq: &Sequence,
        i: usize,
        skill: &LoadedSkill,
        asked: Asked,
        result: CallResult,
        state: &mut JobState,
        done: &mut BTreeMap<usize, Done>,
        cp: &mut Checkpoint,
    ) -> Verdict {
        let step = &seq.steps[i];
        let attempts = bump_attempts(state, step);
        state.meta.steps_attempted += 1;
        let report = &result.report;
        let cost = self.charge(cp, i, report);
        state.meta.fuel += report.fuel_used;
        state.meta.cost_micros += cost;
        state.meta.run_ms += report.duration.as_millis() as u64;
        let run = NewStepRun {
            skill_version: skill.manifest.version.to_string(),
            skill_sha256: skill.sha256.clone(),
            fuel: i64::try_from(report.fuel_used).unwrap_or(i64::MAX),
            cost_micros: cost,
            duration_ms: i64::try_from(report.duration.as_millis()).unwrap_or(i64::MAX),
            ..blank_run(i, step, attempts, cp.now)
        };
        let output = match result.outcome {
            Ok(output) => output,
            Err(e) => return self.failed(step, attempts, e, run, state, cp),
        };
        let output_json = serde_json::to_value(&output).unwrap_or(Value::Null);
        let decision = asked;
        // Gates the skill asked for and that are not decided yet.
        let asked: Vec<_> = report
            .gates
            .iter()
            .filter(|g| g.pattern != GatePattern::Inform && !decision.decided.contains(&g.key))
            .collect();
        for g in report
            .gates
            .iter()
            .filter(|g| g.pattern == GatePattern::Inform)
        {
            cp.notifications.push(NewNotification {
                kind: "inform".into(),
                channel: "slack".into(),
                message: g.title.clone(),
                dedupe_key: Some(format!("inform:{}:{i}:{}", job.id, g.key)),
            });
        }
        if !asked.is_empty() {
            state.meta.approval_gates_hit += asked.len() as u32;
            for g in asked {
                cp.gates.push(NewPendingAction {
                    step_index: i as i64,
                    step_name: step.name.clone(),
                    gate_key: g.key.clone(),
                    kind: "skill".into(),
                    pattern: pattern_name(g.pattern).into(),
                    title: g.title.clone(),
                    body: g.body.clone(),
                    options: g.options.clone(),
                    expires_at: cp.now + millis(step.expires_after),
                    on_expiry: on_expiry_name(step.on_expiry).into(),
                });
            }
            set_step(state, step, StepStatus::Awaiting, None);
            cp.step_runs.push(NewStepRun {
                status: "awaiting_approval".into(),
                output: Some(output_json),
                ..run
            });
            return Verdict::Park;
        }
        // A person already approved this call's effects through its gates.
        let gate = if decision.approved {
            Approval::None
        } else {
            policy::effective_gate(step.approval, &output.actions)
        };
        match gate {
            Approval::Confirm | Approval::Choose | Approval::Batch => {
                state.meta.approval_gates_hit += 1;
                cp.gates.push(step_gate(i, step, gate, &output, cp.now));
                set_step(state, step, StepStatus::Awaiting, None);
                cp.step_runs.push(NewStepRun {
                    status: "awaiting_approval".into(),
                    output: Some(output_json),
                    ..run
                });
                Verdict::Park
            }
            Approval::Inform | Approval::None => {
                if gate == Approval::Inform {
                    cp.notifications.push(NewNotification {
                        kind: "inform".into(),
                        channel: "slack".into(),
                        message: format!("{}: {}", seq.event, step.name),
                        dedupe_key: Some(format!("inform:{}:{i}", job.id)),
                    });
                }
                cp.step_runs.push(NewStepRun {
                    status: "completed".into(),
                    output: Some(output_json),
                    ..run
                });
                self.accept(job, i, step, &step.skill, output, state, done, cp);
                Verdict::Done
            }
        }
    }

    /// A failed call: retry, continue or stop, per the step.
    fn failed(
        &self,
        step: &Step,
        attempts: u32,
        e: RuntimeError,
        run: NewStepRun,
        state: &mut JobState,
        cp: &mut Checkpoint,
    ) -> Verdict {
        let message = e.to_string();
        cp.step_runs.push(NewStepRun {
            status: "failed".into(),
            error_kind: Some(e.kind_name().into()),
            error: Some(message.clone()),
            ..run
        });
        if matches!(e, RuntimeError::InvalidComponent(_)) {
            state.meta.steps_failed += 1;
            set_step(state, step, StepStatus::Failed, Some(&message));
            return Verdict::Stop(format!("step `{}`: {message}", step.name));
        }
        match step.on_failure {
            OnFailure::Retry {
                max_attempts,
                backoff,
            } if attempts < max_attempts && !e.is_terminal() => {
                set_step(state, step, StepStatus::Retrying, Some(&message));
                let wait = backoff
                    .saturating_mul(1 << (attempts - 1).min(20))
                    .min(MAX_BACKOFF);
                Verdict::Retry(cp.now + millis(wait))
            }
            OnFailure::Continue => {
                state.meta.steps_failed += 1;
                set_step(state, step, StepStatus::Failed, Some(&message));
                Verdict::Done
            }
            _ => {
                state.meta.steps_failed += 1;
                set_step(state, step, StepStatus::Failed, Some(&message));
                Verdict::Stop(format!(
                    "step `{}` failed after {attempts} attempt(s): {message}",
                    step.name
                ))
            }
        }
    }

    /// A step's output is final: record it, queue its effects and follow-ups.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        job: &Job,
        i: usize,
        step: &Step,
        skill: &str,
        output: SkillOutput,
        state: &mut JobState,
        done: &mut BTreeMap<usize, Done>,
        cp: &mut Checkpoint,
    ) {
        set_step(state, step, StepStatus::Completed, None);
        state.meta.steps_completed += 1;
        for (n, action) in output.actions.iter().enumerate() {
            // An opt-out is honoured here and now, with this checkpoint: the
            // address goes on the do-not-contact list and what is queued to
            // it stops. The CRM write itself still goes out below.
            if let Some(s) = policy::suppression(action) {
                cp.suppressions.push(s);
            }
            let kind = action_kind(action.kind);
            let undo = if action.kind == ActionKind::EmailSend {
                self.config.runner.undo_window_ms
            } else {
                0
            };
            cp.effects.push(NewEffect {
                idempotency_key: format!("{}:{i}:{n}", job.id),
                step_index: i as i64,
                kind: kind.into(),
                payload: json!({ "preview": action.preview, "payload": action.payload }),
                not_before: cp.now + undo,
            });
            let price = self.config.pricing.per_effect;
            if price > 0 {
                cp.charges.push(NewCharge {
                    period: period(cp.now),
                    step_index: Some(i as i64),
                    kind: "effect".into(),
                    quantity: 1,
                    amount_micros: price,
                });
                state.meta.cost_micros += price;
            }
        }
        for (n, f) in output.follow_ups.iter().enumerate() {
            let Some(target) = self.sequences.get(&f.event_type) else {
                state.meta.followups_dropped += 1;
                tracing::warn!(job = %job.id, event = %f.event_type, "follow-up dropped: no sequence handles it");
                continue;
            };
            // Refused as an event would be at the door: a child job whose
            // skills are not installed could only fail.
            let missing = self.missing_skills(target);
            if !missing.is_empty() {
                state.meta.followups_dropped += 1;
                tracing::warn!(
                    job = %job.id, event = %f.event_type, missing = ?missing,
                    "follow-up dropped: its sequence needs skills that are not installed"
                );
                continue;
            }
            if job.chain_depth >= self.config.runner.max_chain_depth {
                state.meta.followups_dropped += 1;
                tracing::warn!(
                    job = %job.id, event = %f.event_type, depth = job.chain_depth,
                    "follow-up dropped: the event chain is at its maximum depth"
                );
                continue;
            }
            state.meta.followups_queued += 1;
            cp.children.push(NewJob {
                org_id: job.org_id.clone(),
                user_id: job.user_id.clone(),
                event_type: f.event_type.clone(),
                event_source: "orchestrator:chain".into(),
                idempotency_key: format!("{}:{i}:{n}:{}", job.id, f.event_type),
                parent_job_id: Some(job.id.clone()),
                chain_depth: job.chain_depth + 1,
                payload: f.payload.clone(),
                sequence_name: target.event.clone(),
                sequence_hash: target.hash.clone(),
                scheduled_at: cp.now,
            });
        }
        done.insert(
            i,
            Done {
                skill: skill.to_owned(),
                output,
            },
        );
    }

    /// Charge a call's fuel and tokens; returns the total.
    fn charge(&self, cp: &mut Checkpoint, i: usize, report: &crate::runtime::CallReport) -> i64 {
        let p = &self.config.pricing;
        let items = [
            ("fuel", report.fuel_used, p.fuel_per_billion, 1_000_000_000),
            (
                "llm_input",
                report.llm_tokens.0,
                p.llm_input_per_million,
                1_000_000,
            ),
            (
                "llm_output",
                report.llm_tokens.1,
                p.llm_output_per_million,
                1_000_000,
            ),
        ];
        let mut total = 0;
        for (kind, quantity, price, per) in items {
            let amount = super::config::Pricing::charge(quantity, price, per);
            if amount > 0 {
                total += amount;
                cp.charges.push(NewCharge {
                    period: period(cp.now),
                    step_index: Some(i as i64),
                    kind: kind.into(),
                    quantity: i64::try_from(quantity).unwrap_or(i64::MAX),
                    amount_micros: amount,
                });
            }
        }
        total
    }

    /// The input of step `i`: the event, its params, completed outputs.
    fn step_input(
        &self,
        job: &Job,
        seq: &Sequence,
        i: usize,
        done: &BTreeMap<usize, Done>,
    ) -> CallInput {
        CallInput {
            event: EventInput {
                id: job.id.clone(),
                event_type: job.event_type.clone(),
                source: job.event_source.clone(),
                org: job.org_id.0.clone(),
                user: job.user_id.0.clone(),
                payload: job.payload.clone(),
                chain_depth: u8::try_from(job.chain_depth).unwrap_or(u8::MAX),
            },
            params: seq.steps[i].params.clone(),
            previous: done
                .range(..i)
                .map(|(j, d)| PreviousOutput {
                    step: seq.steps[*j].name.clone(),
                    skill: d.skill.clone(),
                    data: d.output.data.clone(),
                })
                .collect(),
        }
    }

    fn checkpoint(&self, job: &Job, now: i64, transition: Transition) -> Checkpoint {
        Checkpoint::new(
            job.org_id.clone(),
            job.user_id.clone(),
            job.id.clone(),
            self.worker_id.clone(),
            now,
            transition,
        )
    }

    async fn commit(&self, cp: Checkpoint) -> Result<(), OrchestratorError> {
        let runs: Vec<(String, String, i64, i64)> = cp
            .step_runs
            .iter()
            .map(|r| {
                (
                    r.skill_name.clone(),
                    r.status.clone(),
                    r.fuel,
                    r.duration_ms,
                )
            })
            .collect();
        let announce = !cp.gates.is_empty() || !cp.notifications.is_empty();
        let failed = (
            cp.org_id.clone(),
            cp.user_id.clone(),
            cp.job_id.clone(),
            cp.current_step,
        );
        match self.committer.commit(cp).await {
            Ok(()) => {
                for (skill, status, fuel, ms) in runs {
                    crate::metrics::step(&skill, &status, fuel, ms);
                }
                if announce {
                    self.to_announce.notify_one();
                }
                Ok(())
            }
            // Another worker owns the job now; our work is discarded.
            Err(StoreError::Stale(m)) => {
                tracing::warn!(reason = %m, "checkpoint refused: lease lost");
                Ok(())
            }
            // This job's own rows cannot be stored (not a busy database):
            // running it again would fail the same way, so it fails now,
            // alone, with the reason; its stored state is kept.
            Err(e) if !e.is_retriable() => {
                let (org_id, user_id, job_id, step) = failed;
                tracing::error!(job = %job_id, error = %e, "checkpoint cannot be stored; the job fails");
                let mut cp = Checkpoint::new(
                    org_id,
                    user_id,
                    job_id,
                    self.worker_id.clone(),
                    self.clock.now_ms(),
                    Transition::Finish {
                        status: JobStatus::Failed,
                        error: Some(format!("the job's checkpoint could not be stored: {e}")),
                    },
                );
                cp.current_step = step;
                match self.committer.commit(cp).await {
                    Ok(()) | Err(StoreError::Stale(_)) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn finish_now(
        &self,
        job: &Job,
        status: JobStatus,
        reason: String,
    ) -> Result<(), OrchestratorError> {
        let mut cp = self.checkpoint(
            job,
            self.clock.now_ms(),
            Transition::Finish {
                status,
                error: Some(reason),
            },
        );
        cp.current_step = job.current_step;
        cp.state = job.state.clone();
        self.commit(cp).await
    }
}

/// What a person said before this call, through the skill's own gates.
#[derive(Debug, Clone)]
struct Asked {
    /// The gate keys decided and handed to the call.
    decided: BTreeSet<String>,
    /// ... and none of them was a skip or a cancel.
    approved: bool,
}

enum Resolved {
    Verdict(Verdict),
    Rerun(BTreeMap<String, Decision>),
}

/// Whether the stage is over, and where the job goes if it is not simply
/// continuing.
fn combine(verdicts: &[Verdict]) -> (bool, Option<Transition>) {
    if let Some(Verdict::Stop(m)) = verdicts.iter().find(|v| matches!(v, Verdict::Stop(_))) {
        return (
            false,
            Some(Transition::Finish {
                status: JobStatus::Failed,
                error: Some(m.clone()),
            }),
        );
    }
    if let Some(Verdict::Cancel(m)) = verdicts.iter().find(|v| matches!(v, Verdict::Cancel(_))) {
        return (
            false,
            Some(Transition::Finish {
                status: JobStatus::Cancelled,
                error: Some(m.clone()),
            }),
        );
    }
    if verdicts.contains(&Verdict::Park) {
        return (false, Some(Transition::Park));
    }
    let retry_at = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Retry(at) => Some(*at),
            _ => None,
        })
        .min();
    match retry_at {
        Some(at) => (false, Some(Transition::Reschedule { at })),
        None => (true, None),
    }
}

/// What a decision does to a held output; `None` means skip the step.
/// An edit replaces the draft: the first proposed action's payload, or the
/// step's data if it proposed no action.
fn apply_decision(mut output: SkillOutput, decision: &Decision) -> Option<SkillOutput> {
    match decision {
        Decision::Approved => Some(output),
        Decision::Edited(v) => {
            match output.actions.first_mut() {
                Some(a) => a.payload = v.clone(),
                None => output.data = v.clone(),
            }
            Some(output)
        }
        Decision::Chosen(n) => {
            let n = *n as usize;
            output.actions = output.actions.into_iter().skip(n).take(1).collect();
            Some(output)
        }
        Decision::PerItem(keep) => {
            output.actions = output
                .actions
                .into_iter()
                .zip(keep.iter().chain(std::iter::repeat(&false)))
                .filter(|(_, k)| **k)
                .map(|(a, _)| a)
                .collect();
            Some(output)
        }
        Decision::Skipped | Decision::Cancelled => None,
    }
}

/// The gate a step's result waits at.
fn step_gate(
    i: usize,
    step: &Step,
    gate: Approval,
    output: &SkillOutput,
    now: i64,
) -> NewPendingAction {
    let title = match output.actions.iter().find(|a| policy::needs_approval(a)) {
        Some(a) => format!("{}: {}", action_kind(a.kind), a.preview),
        None => format!("Review the result of `{}`", step.name),
    };
    let options = match gate {
        Approval::Choose | Approval::Batch => {
            output.actions.iter().map(|a| a.preview.clone()).collect()
        }
        _ => Vec::new(),
    };
    NewPendingAction {
        step_index: i as i64,
        step_name: step.name.clone(),
        gate_key: format!("step:{}", step.name),
        kind: "step".into(),
        pattern: match gate {
            Approval::Choose => "choose",
            Approval::Batch => "batch",
            _ => "confirm",
        }
        .into(),
        title,
        body: json!({
            "data": output.data,
            "actions": output.actions.iter().map(|a| json!({
                "kind": action_kind(a.kind), "preview": a.preview, "payload": a.payload,
            })).collect::<Vec<_>>(),
        }),
        options,
        expires_at: now + millis(step.expires_after),
        on_expiry: on_expiry_name(step.on_expiry).into(),
    }
}

/// What a condition may read: the event and earlier steps' results.
fn condition_scope(
    job: &Job,
    seq: &Sequence,
    state: &JobState,
    done: &BTreeMap<usize, Done>,
) -> Value {
    let mut steps = serde_json::Map::new();
    for (i, step) in seq.steps.iter().enumerate() {
        let Some(st) = state.steps.get(&step.name) else {
            continue;
        };
        let d = done.get(&i);
        steps.insert(
            step.name.clone(),
            json!({
                "status": st.status,
                "data": d.map(|d| d.output.data.clone()),
                "actions": d.map_or(0, |d| d.output.actions.len()),
                "follow_ups": d.map_or(0, |d| d.output.follow_ups.len()),
            }),
        );
    }
    json!({
        "event": { "type": job.event_type, "source": job.event_source, "payload": job.payload },
        "steps": steps,
    })
}

fn call_context(
    loaded: &Loaded,
    step: &Step,
    decisions: &BTreeMap<String, Decision>,
    llm: Option<Arc<dyn crate::runtime::LlmClient>>,
) -> CallContext {
    let shown = loaded.for_step(&step.context);
    CallContext {
        org: shown.org,
        contact: shown.contact,
        external: shown.external,
        decisions: decisions.clone(),
        llm,
    }
}

fn set_step(state: &mut JobState, step: &Step, status: StepStatus, reason: Option<&str>) {
    let entry = state.steps.entry(step.name.clone()).or_insert(StepState {
        status,
        attempts: 0,
        reason: None,
    });
    entry.status = status;
    entry.reason = reason.map(str::to_owned);
}

fn bump_attempts(state: &mut JobState, step: &Step) -> u32 {
    let entry = state.steps.entry(step.name.clone()).or_insert(StepState {
        status: StepStatus::Retrying,
        attempts: 0,
        reason: None,
    });
    entry.attempts += 1;
    entry.attempts
}

fn blank_run(i: usize, step: &Step, attempt: u32, now: i64) -> NewStepRun {
    NewStepRun {
        step_index: i as i64,
        step_name: step.name.clone(),
        attempt: i64::from(attempt),
        skill_name: step.skill.clone(),
        skill_version: String::new(),
        skill_sha256: String::new(),
        status: String::new(),
        error_kind: None,
        error: None,
        fuel: 0,
        cost_micros: 0,
        duration_ms: 0,
        output: None,
        started_at: now,
    }
}

/// A skip, recorded on the step's last attempt (0 if it never ran).
fn skipped_run(i: usize, step: &Step, attempt: u32, now: i64, why: &str) -> NewStepRun {
    NewStepRun {
        status: "skipped".into(),
        error: Some(why.into()),
        ..blank_run(i, step, attempt, now)
    }
}

fn action_kind(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::EmailSend => "email_send",
        ActionKind::CrmUpdate => "crm_update",
        ActionKind::TaskCreate => "task_create",
        ActionKind::SlackPost => "slack_post",
        ActionKind::CalendarInvite => "calendar_invite",
    }
}

fn pattern_name(p: GatePattern) -> &'static str {
    match p {
        GatePattern::Confirm => "confirm",
        GatePattern::Choose => "choose",
        GatePattern::Batch => "batch",
        GatePattern::Inform => "inform",
    }
}

fn on_expiry_name(e: OnExpiry) -> &'static str {
    match e {
        OnExpiry::Skip => "skip",
        OnExpiry::Cancel => "cancel",
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}

/// The budget period of `now`: its UTC month, `YYYY-MM`.
pub fn period(now_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(now_ms)
        .map(|t| t.strftime("%Y-%m").to_string())
        .unwrap_or_else(|_| "invalid".into())
}

fn internal(e: impl std::fmt::Display) -> OrchestratorError {
    OrchestratorError::Internal(e.to_string())
}
