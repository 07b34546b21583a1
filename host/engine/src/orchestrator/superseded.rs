//! Suggestions that know their inputs. A gate an app gave a basis (what
//! its suggestion read: [`super::conductor::Extension::basis`]) is checked
//! with the app ([`super::conductor::Extension::moved_on`]) as it opens,
//! before anyone decides it, after an event whose app recorded what
//! happened, and on each scheduler pass. When the app says its inputs moved on, the gate is
//! withdrawn as `superseded` with the app's reason (the inbox and a click
//! in Slack show it), and the runner skips its step: nothing it proposed
//! goes out.

use super::conductor::{Orchestrator, OrchestratorError};
use crate::store::{GateStatus, Job, OrgId, PendingAction};

/// Open gates looked at per check.
const SWEEP: i64 = 500;

impl Orchestrator {
    /// Why open gate `gate`'s inputs no longer hold, if an app says so.
    async fn moved_on(&self, gate: &PendingAction) -> Result<Option<String>, OrchestratorError> {
        if gate.basis.is_none() || gate.status != GateStatus::Open {
            return Ok(None);
        }
        for app in self.extensions().iter() {
            if let Some(reason) = app.moved_on(&self.store, gate).await? {
                return Ok(Some(reason));
            }
        }
        Ok(None)
    }

    /// Withdraw open gate `gate` if its inputs moved on: the reason when
    /// they did (whether this call or another closed it).
    pub(super) async fn supersede_if_moved(
        &self,
        gate: &PendingAction,
    ) -> Result<Option<String>, OrchestratorError> {
        let Some(reason) = self.moved_on(gate).await? else {
            return Ok(None);
        };
        let now = self.clock.now_ms();
        if self
            .store
            .supersede(&gate.org_id, &gate.id, &reason, now)
            .await?
        {
            tracing::info!(gate = %gate.id, job = %gate.job_id, "a suggestion was withdrawn: what it was based on moved on");
            // The job goes on past the step, and the rep's chat request
            // is told why.
            self.to_run.notify_one();
            self.to_announce.notify_one();
        }
        Ok(Some(reason))
    }

    /// Check `job`'s open gates that carry a basis, right after they
    /// opened: inputs that moved on while the step ran withdraw them at
    /// once. A failed check is logged and left to the next pass.
    pub(super) async fn check_opened(&self, job: &Job) {
        let gates = match self.store.job_actions(&job.org_id, &job.id).await {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(job = %job.id, error = %e, "new suggestions not checked; the scheduler's pass will");
                return;
            }
        };
        for gate in gates
            .iter()
            .filter(|g| g.status == GateStatus::Open && g.basis.is_some())
        {
            if let Err(e) = self.supersede_if_moved(gate).await {
                tracing::warn!(gate = %gate.id, error = %e, "a new suggestion not checked; the scheduler's pass will");
            }
        }
    }

    /// Check the open gates that carry a basis, of `org` (of every org if
    /// `None`), oldest first; returns how many were withdrawn.
    pub async fn supersede_moved_on(
        &self,
        org: Option<&OrgId>,
    ) -> Result<usize, OrchestratorError> {
        let mut withdrawn = 0;
        for gate in self.store.open_gates_with_basis(org, SWEEP).await? {
            if self.supersede_if_moved(&gate).await?.is_some() {
                withdrawn += 1;
            }
        }
        Ok(withdrawn)
    }
}
