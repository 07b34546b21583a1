//! Run one claimed job from its last checkpoint until it rests (waits for
//! a person or a retry, or is over), stage by stage. Each stage's results —
//! step runs, state, effects, costs, follow-ups, gates — are one checkpoint,
//! written in one transaction; a job whose worker dies is resumed by
//! another at its last checkpoint when the lease runs out.
//!
//! One state change per file, each taking the [`record::Stage`] it reads
//! and writes: [`stage`] runs a stage, [`resolve`] applies decisions on
//! resume, [`park`] opens gates, [`fail`] retries or stops, [`accept`] puts
//! effects into the outbox, [`prepare`] has the apps complete a new job's
//! event before its first step, [`checkpoint`] writes the stage down under the
//! claim's lease, which [`heartbeat`] keeps alive meanwhile. This file is
//! the loop: the budget check, one stage, and where the job goes next.

mod accept;
mod checkpoint;
mod fail;
mod heartbeat;
mod park;
mod prepare;
mod record;
mod resolve;
mod stage;

use crate::orchestrator::budget;
use crate::orchestrator::conductor::{Orchestrator, OrchestratorError};
use crate::orchestrator::context;
use crate::orchestrator::sequence::Sequence;
use crate::orchestrator::state::JobState;
use crate::runtime::{SharedJson, SkillOutput};
use crate::store::{Job, JobStatus, StepRunStatus, StoreError, Transition};
use record::{Done, Stage, Turn};
use std::collections::BTreeMap;
use std::sync::Arc;

impl Orchestrator {
    /// Run `job` from its last checkpoint until it rests.
    pub(crate) async fn run_job(self: &Arc<Self>, mut job: Job) -> Result<(), OrchestratorError> {
        let _heartbeat = self.heartbeat(&job);
        let Some(seq) = self.sequence_for_job(&job).await else {
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
            if job.current_step == 0 {
                let Some(ready) = self.prepare(job).await? else {
                    return Ok(());
                };
                job = ready;
            }
            state.started_at = Some(self.clock.now_ms());
        }
        // The budget is read with the context, or on its own when a job
        // resumes with its context already kept.
        let limit = if state.context.is_none() {
            let (loaded, budget) =
                context::load(self.extensions(), &self.store, &job, &seq).await?;
            state.context = Some(loaded);
            budget
        } else {
            self.store.budget(&job.org_id).await?
        };
        let mut done = self.completed_outputs(&job, &seq).await?;
        let payload = SharedJson::new(job.payload.clone());
        let attachments = crate::attachments::lent(&self.store, &job.org_id);
        let stages = seq.stages();
        let mut current = usize::try_from(job.current_step).unwrap_or(0);
        loop {
            let now = self.clock.now_ms();
            let Some(steps) = stages.iter().find(|r| r.contains(&current)).cloned() else {
                let mut cp = self.checkpoint(
                    &job,
                    now,
                    Transition::Finish {
                        status: JobStatus::Completed,
                        error: None,
                    },
                );
                cp.current_step = seq.steps.len() as i64;
                cp.state = serde_json::to_value(&state)?;
                return self.commit(cp).await;
            };
            if let Some(limit) = limit
                && budget::is_spent(&self.store, &job.org_id, limit, now).await?
            {
                let lease_ms = self.config.runner.lease_ms;
                let mut cp = self.checkpoint(&job, now, Transition::Continue { lease_ms });
                budget::halt(&mut cp, limit);
                cp.current_step = steps.start as i64;
                cp.state = serde_json::to_value(&state)?;
                return self.commit(cp).await;
            }
            let cp = self.checkpoint(
                &job,
                now,
                Transition::Continue {
                    lease_ms: self.config.runner.lease_ms,
                },
            );
            let mut st = Stage {
                job: &job,
                payload: &payload,
                seq: &seq,
                steps: steps.clone(),
                state: &mut state,
                done: &mut done,
                cp,
                extensions: self.extensions(),
                attachments: &attachments,
            };
            let turns = self.run_stage(&mut st).await?;
            let mut cp = st.cp;
            let (advance, transition) = combine(&turns);
            if let Some(t) = transition {
                cp.transition = t;
            }
            cp.current_step = if advance { steps.end } else { steps.start } as i64;
            if advance && steps.end >= seq.steps.len() {
                cp.transition = Transition::Finish {
                    status: JobStatus::Completed,
                    error: None,
                };
            }
            if let Transition::Finish { status, .. } = &cp.transition
                && *status == JobStatus::Failed
            {
                cp.notifications
                    .push(self.failed_notice(&job, "a step failed."));
            }
            cp.state = serde_json::to_value(&state)?;
            let keep_going = matches!(cp.transition, Transition::Continue { .. });
            let checked = cp.gates.iter().any(|g| g.basis.is_some());
            self.commit(cp).await?;
            if checked {
                self.check_opened(&job).await;
            }
            if !keep_going {
                return Ok(());
            }
            current = steps.end;
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
            if run.status != StepRunStatus::Completed || idx >= seq.steps.len() {
                continue;
            }
            if let Some(output) = run.output {
                let output: SkillOutput = serde_json::from_value(output)
                    .map_err(StoreError::json(format!("step {} output", run.step_name)))?;
                out.insert(idx, Done::of(run.skill_name, output));
            }
        }
        Ok(out)
    }
}

/// Whether the stage is over, and where the job goes if it is not simply
/// continuing.
fn combine(turns: &[Turn]) -> (bool, Option<Transition>) {
    if let Some(Turn::Stop(m)) = turns.iter().find(|v| matches!(v, Turn::Stop(_))) {
        return (
            false,
            Some(Transition::Finish {
                status: JobStatus::Failed,
                error: Some(m.clone()),
            }),
        );
    }
    if let Some(Turn::Cancel(m)) = turns.iter().find(|v| matches!(v, Turn::Cancel(_))) {
        return (
            false,
            Some(Transition::Finish {
                status: JobStatus::Cancelled,
                error: Some(m.clone()),
            }),
        );
    }
    if turns.contains(&Turn::Park) {
        return (false, Some(Transition::Park));
    }
    let retry_at = turns
        .iter()
        .filter_map(|v| match v {
            Turn::Retry(at) => Some(*at),
            _ => None,
        })
        .min();
    match retry_at {
        Some(at) => (false, Some(Transition::Reschedule { at })),
        None => (true, None),
    }
}
