//! Writing a stage down: build a job's [`Checkpoint`] under the lease the
//! job was claimed with, hand it to the group committer at the time it is
//! written, and count its step runs once it is stored. A checkpoint the
//! store refuses for a stale lease is dropped (the job was claimed again,
//! or the lease ran out and whoever claims it next resumes it); one the
//! database cannot take for now (it is unreachable) is written again while
//! the lease allows; one whose own rows cannot be stored fails its job
//! alone, with the reason. It never decides what a stage did; it only
//! records it.

use crate::orchestrator::conductor::{Orchestrator, OrchestratorError};
use crate::store::{
    Backoff, Checkpoint, Job, JobStatus, Lease, NewNotification, StepRunStatus, StoreError,
    Transition,
};
use crate::verdict::Verdict;
use std::time::Duration;

impl Orchestrator {
    /// The lease this process claimed `job` under: its worker id and the
    /// claim's fencing token.
    pub(super) fn lease_of(&self, job: &Job) -> Lease {
        Lease {
            owner: self.worker_id.clone(),
            token: job.lease_token,
        }
    }

    /// An empty checkpoint of `job` at `now`, going to `transition`.
    pub(super) fn checkpoint(&self, job: &Job, now: i64, transition: Transition) -> Checkpoint {
        Checkpoint::new(
            job.org_id.clone(),
            job.user_id.clone(),
            job.id.clone(),
            self.lease_of(job),
            now,
            transition,
        )
    }

    /// Give `cp` to the committer; while the database is unreachable (a
    /// transient error), write it again with a doubling wait, for at most
    /// half the job's lease: work done while the database was away is kept
    /// and the job goes on as soon as it is back, instead of being run
    /// again when its lease expires. The lease still fences: a checkpoint
    /// written after another worker took the job is refused as stale.
    async fn commit_through_outage(&self, cp: Checkpoint) -> Result<(), StoreError> {
        let half_lease =
            Duration::from_millis(u64::try_from(self.config.runner.lease_ms / 2).unwrap_or(0));
        let mut backoff = Backoff::within(half_lease);
        let mut cp = cp;
        loop {
            // Written as of now: a lease that ran out meanwhile refuses it.
            cp.now = cp.now.max(self.clock.now_ms());
            match self.committer.try_commit(cp).await {
                Ok(()) => return Ok(()),
                Err((e, Some(again))) if backoff.again(&e, "a checkpoint").await => cp = *again,
                Err((e, _)) => return Err(e),
            }
        }
    }

    /// Store `cp` as of now (its lease must not have run out meanwhile);
    /// on success record its step runs in the metrics and wake
    /// the notifier if it opened a gate or queued a notification.
    pub(super) async fn commit(&self, cp: Checkpoint) -> Result<(), OrchestratorError> {
        let runs: Vec<(String, StepRunStatus, i64, i64)> = cp
            .step_runs
            .iter()
            .map(|r| (r.skill_name.clone(), r.status, r.fuel, r.duration_ms))
            .collect();
        let announce = !cp.gates.is_empty() || !cp.notifications.is_empty();
        let failed = (
            cp.org_id.clone(),
            cp.user_id.clone(),
            cp.job_id.clone(),
            cp.lease.clone(),
            cp.current_step,
        );
        match self.commit_through_outage(cp).await {
            Ok(()) => {
                for (skill, status, fuel, ms) in runs {
                    crate::metrics::step(&skill, status.as_str(), fuel, ms);
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
            Err(e) if e.verdict() == Verdict::Stop => {
                let (org_id, user_id, job_id, lease, step) = failed;
                tracing::error!(job = %job_id, error = %e, "checkpoint cannot be stored; the job fails");
                let mut cp = Checkpoint::new(
                    org_id,
                    user_id,
                    job_id,
                    lease,
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

    /// The notice a person gets when `job` stopped: `why` after the
    /// event's title (no payload text).
    pub(super) fn failed_notice(&self, job: &Job, why: &str) -> NewNotification {
        NewNotification {
            kind: "sequence_failed".into(),
            channel: "slack".into(),
            message: format!("{} stopped: {why}", self.event_title(&job.event_type)),
            dedupe_key: Some(format!("failed:{}", job.id)),
        }
    }

    /// End `job` now with `status` and `reason`, keeping its stored state.
    pub(super) async fn finish_now(
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
