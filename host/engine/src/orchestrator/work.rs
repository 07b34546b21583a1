//! The worker loops: claim due jobs under a lease into a fixed number of
//! slots and run each on its own task ([`Orchestrator::run_job`] in `run/`),
//! deliver due effects, and wait on a poll or a wake-up when idle. It owns
//! the concurrency; it never looks inside a job.

use super::conductor::{Orchestrator, OrchestratorError};
use crate::connectors::Deliver;
use crate::store::{JobId, JobStatus, OrgId};
use std::sync::Arc;
use std::time::Duration;

impl Orchestrator {
    /// One pass: expire unanswered gates, claim due jobs and run each until
    /// it rests. Returns how many jobs were claimed.
    pub async fn tick(self: &Arc<Self>) -> Result<usize, OrchestratorError> {
        let slots = self.config.runner.concurrency.max(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(slots));
        let claimed = self.claim_into(&permits).await?;
        let _all = permits
            .acquire_many(u32::try_from(slots).unwrap_or(u32::MAX))
            .await?;
        Ok(claimed)
    }

    /// Run due jobs until none is due now. Returns how many were claimed.
    pub async fn drain(self: &Arc<Self>) -> Result<usize, OrchestratorError> {
        let mut total = 0;
        loop {
            let n = self.tick().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// Run jobs until `job` rests (waits for a person or is over), waiting
    /// for retries' backoff in real time, for at most `limit`.
    pub async fn run_until_rest(
        self: &Arc<Self>,
        org: &OrgId,
        job: &JobId,
        limit: Duration,
    ) -> Result<JobStatus, OrchestratorError> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            self.tick().await?;
            let j = self
                .store
                .job(org, job)
                .await?
                .ok_or_else(|| OrchestratorError::NotFound(format!("job {job}")))?;
            if j.status.is_final() || j.status == JobStatus::AwaitingApproval {
                return Ok(j.status);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(j.status);
            }
            tokio::time::sleep(self.config.runner.poll()).await;
        }
    }

    /// Work until `stop` turns true: keep up to `runner.concurrency` jobs
    /// running (a slow job never holds back the others' claims) and, with a
    /// deliverer, deliver due effects. On stop, the jobs in flight run to
    /// their next rest or checkpoint before this returns.
    pub async fn work(
        self: &Arc<Self>,
        deliver: Option<Arc<dyn Deliver>>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), OrchestratorError> {
        let slots = self.config.runner.concurrency.max(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(slots));
        let poll = self.config.runner.poll();
        // The time-driven passes (expiring gates, delivering due effects)
        // run once per poll interval, and again at once while a delivery
        // pass finds work: a loop woken by every accepted event would
        // otherwise scan the gates and the outbox for each one.
        let mut swept_at: Option<tokio::time::Instant> = None;
        let mut delivered = 0;
        while !*stop.borrow() {
            let sweep = delivered > 0 || swept_at.is_none_or(|at| at.elapsed() >= poll);
            if sweep {
                swept_at = Some(tokio::time::Instant::now());
                if let Err(e) = self.store.expire_actions(self.clock.now_ms()).await {
                    tracing::warn!(error = %e, "expiring gates failed; retrying");
                }
            }
            let claimed = self.claim_due(&permits).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "claiming jobs failed; retrying");
                0
            });
            delivered = match &deliver {
                Some(d) if sweep => self.deliver_due(d.as_ref()).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "delivery pass failed; retrying");
                    0
                }),
                _ => 0,
            };
            if claimed == 0 && delivered == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.runner.poll()) => {}
                    _ = self.to_run.notified() => {}
                    _ = stop.changed() => {}
                }
            }
        }
        // Wait for the jobs in flight.
        let _all = permits
            .acquire_many(u32::try_from(slots).unwrap_or(u32::MAX))
            .await?;
        Ok(())
    }

    /// Expire unanswered gates, then claim as many due jobs as there are
    /// free slots and start each on its own task. Returns how many were
    /// claimed.
    pub(crate) async fn claim_into(
        self: &Arc<Self>,
        permits: &Arc<tokio::sync::Semaphore>,
    ) -> Result<usize, OrchestratorError> {
        if permits.available_permits() == 0 {
            return Ok(0);
        }
        self.store.expire_actions(self.clock.now_ms()).await?;
        self.claim_due(permits).await
    }

    /// Claim due jobs into the free slots and start each on its own task,
    /// without expiring gates first. Returns how many were claimed.
    async fn claim_due(
        self: &Arc<Self>,
        permits: &Arc<tokio::sync::Semaphore>,
    ) -> Result<usize, OrchestratorError> {
        let free = permits.available_permits();
        if free == 0 {
            return Ok(0);
        }
        let now = self.clock.now_ms();
        let runner = &self.config.runner;
        let jobs = self
            .store
            .claim_jobs(&self.worker_id, free as i64, runner.lease_ms, now)
            .await?;
        let claimed = jobs.len();
        for job in jobs {
            let permit = permits.clone().acquire_owned().await?;
            let me = self.clone();
            tokio::spawn(async move {
                let _slot = permit;
                let id = job.id.clone();
                if let Err(e) = me.run_job(job).await {
                    // The job keeps its lease and is resumed when it expires.
                    tracing::warn!(job = %id, error = %e, "job run interrupted");
                }
            });
        }
        Ok(claimed)
    }
}
