//! Before a job's first step: the apps complete its event
//! ([`crate::orchestrator::conductor::Extension::prepare`]). A completed
//! payload is stored under the worker's lease before any step reads it
//! (what an app stores once, set aside first: `attachments.rs`); a
//! job with nothing to run is skipped, and one whose event cannot be
//! completed fails, each with the app's reason on the job.

use super::super::conductor::{Orchestrator, OrchestratorError};
use super::super::extension::Prepared;
use crate::store::{Job, JobStatus, StoreError, Transition};

impl Orchestrator {
    /// `job` ready to run (its payload completed if an app completed it),
    /// or `None` when it ended here.
    pub(super) async fn prepare(&self, mut job: Job) -> Result<Option<Job>, OrchestratorError> {
        let mut answer = Prepared::AsItIs;
        for app in self.extensions().iter() {
            answer = app.prepare(&self.store, &job).await?;
            if answer != Prepared::AsItIs {
                break;
            }
        }
        match answer {
            Prepared::AsItIs => Ok(Some(job)),
            Prepared::Completed(mut payload) => {
                let Some(lease) = job.lease() else {
                    return Ok(None);
                };
                let now = self.clock.now_ms();
                // Stored before the payload that refers to it; a lease
                // lost in between leaves a row the same words reuse.
                if let Some(row) = super::super::set_aside::set_aside(
                    self.extensions(),
                    &job.org_id,
                    &job.event_type,
                    &mut payload,
                    now,
                ) {
                    self.store.write_rows(&[row]).await?;
                }
                match self
                    .store
                    .complete_payload(&job.org_id, &job.id, &lease, &payload, now)
                    .await
                {
                    Ok(()) => {
                        job.payload = payload;
                        Ok(Some(job))
                    }
                    Err(StoreError::Stale(m)) => {
                        tracing::warn!(reason = %m, "completed payload refused: lease lost");
                        Ok(None)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Prepared::Nothing(reason) => {
                self.finish_now(&job, JobStatus::Skipped, reason).await?;
                Ok(None)
            }
            Prepared::Failed(reason) => {
                let mut cp = self.checkpoint(
                    &job,
                    self.clock.now_ms(),
                    Transition::Finish {
                        status: JobStatus::Failed,
                        error: Some(reason.clone()),
                    },
                );
                cp.current_step = job.current_step;
                cp.state = job.state.clone();
                cp.notifications.push(self.failed_notice(&job, &reason));
                self.commit(cp).await?;
                Ok(None)
            }
        }
    }
}
