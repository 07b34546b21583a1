//! The lease heartbeat: while a job runs here, its lease is pushed out by a
//! whole `runner.lease_ms` every third of it, so a long stage (a slow step,
//! a busy database) never lets the lease lapse while this process is alive,
//! and a process that dies or stalls loses the job within one lease. Every
//! beat names the claim's fencing token and is refused once the lease was
//! taken over or had already run out; the beat then stops, and the run's
//! next checkpoint is refused the same way.

use crate::orchestrator::conductor::Orchestrator;
use crate::store::{Job, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// A running heartbeat; it stops when dropped (the run is over).
pub(super) struct Heartbeat(tokio::task::JoinHandle<()>);

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Orchestrator {
    /// Keep `job`'s lease alive until the returned guard is dropped.
    pub(super) fn heartbeat(self: &Arc<Self>, job: &Job) -> Heartbeat {
        let me = self.clone();
        let (org, id, lease) = (job.org_id.clone(), job.id.clone(), self.lease_of(job));
        let lease_ms = self.config.runner.lease_ms;
        let every = Duration::from_millis(u64::try_from(lease_ms / 3).unwrap_or(1_000).max(100));
        Heartbeat(tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let now = me.clock.now_ms();
                match me
                    .store
                    .extend_lease(&org, &id, &lease, lease_ms, now)
                    .await
                {
                    Ok(()) => {}
                    // Finished, parked, or taken over: nothing left to keep.
                    Err(StoreError::Stale(m)) => {
                        tracing::debug!(job = %id, reason = %m, "lease heartbeat stops");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(job = %id, error = %e, "lease heartbeat failed; retrying");
                    }
                }
            }
        }))
    }
}
