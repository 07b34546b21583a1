//! The leased life of a job (see the fencing rules in `jobs.rs`): claimed
//! by a worker, its event completed, checkpointed, finished, its lease
//! extended. Each write
//! takes only while its lease still holds the job.

use super::{COLUMNS, Job, JobRow, JobStatus, Lease, Progress};
use crate::{JobId, OrgId, Store, StoreError, on_pool};

impl Store {
    /// Claim up to `max` jobs due at `now` for `worker` until `now + lease_ms`: pending
    /// jobs whose time has come, and running jobs whose lease expired (their
    /// worker died; they resume at the last checkpoint). Each claim bumps
    /// the job's fencing token, so the lease it hands out ([`Job::lease`])
    /// is this claim's alone.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        max: i64,
        lease_ms: i64,
        now: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let due = "(status = 'pending' AND scheduled_at <= $2) OR (status = 'running' AND lease_expires_at < $2)";
        let lock = self.skip_locked();
        let sql = format!(
            "UPDATE sequence_jobs SET status = 'running', lease_owner = $1, lease_token = lease_token + 1, lease_expires_at = $3,
                 updated_at = $2
             WHERE id IN (SELECT id FROM sequence_jobs WHERE {due} ORDER BY scheduled_at LIMIT $4 {lock})
             RETURNING {COLUMNS}"
        );
        let rows: Vec<JobRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(worker).bind(now).bind(now + lease_ms).bind(max).fetch_all(pool).await)?;
        rows.into_iter().map(JobRow::into_job).collect()
    }

    /// Record `progress` at `now`, extending the lease by `lease_ms`. Fails
    /// with `Stale` unless `lease` still holds the job (see the module's
    /// fencing).
    pub async fn checkpoint_job(
        &self,
        org: &OrgId,
        id: &JobId,
        lease: &Lease,
        progress: Progress<'_>,
        lease_ms: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let Progress {
            current_step,
            state,
        } = progress;
        let sql = "UPDATE sequence_jobs SET state = $1, current_step = $2, lease_expires_at = $3, updated_at = $4
                   WHERE org_id = $5 AND id = $6 AND status = 'running' AND lease_owner = $7 AND lease_token = $8
                     AND lease_expires_at >= $4";
        let state = state.to_string();
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(&state).bind(current_step).bind(now + lease_ms).bind(now).bind(org).bind(id)
            .bind(&lease.owner).bind(lease.token)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, id, lease)
    }

    /// Replace a running job's payload with `payload` (its event completed
    /// before any step read it). Fails with `Stale` unless `lease` still
    /// holds the job at `now`.
    pub async fn complete_payload(
        &self,
        org: &OrgId,
        id: &JobId,
        lease: &Lease,
        payload: &serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE sequence_jobs SET payload = $1, updated_at = $2
                   WHERE org_id = $3 AND id = $4 AND status = 'running' AND lease_owner = $5 AND lease_token = $6
                     AND lease_expires_at >= $2";
        let payload = payload.to_string();
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(&payload).bind(now).bind(org).bind(id).bind(&lease.owner).bind(lease.token)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, id, lease)
    }

    /// End a running job at `now` with a final status, releasing its lease.
    /// Fails with `Stale` unless `lease` still holds the job.
    pub async fn finish_job(
        &self,
        org: &OrgId,
        id: &JobId,
        lease: &Lease,
        status: JobStatus,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        if !status.is_final() {
            return Err(StoreError::Corrupt(format!(
                "{} is not a final status",
                status.as_str()
            )));
        }
        let sql = "UPDATE sequence_jobs SET status = $1, error = $2, lease_owner = NULL, lease_expires_at = NULL,
                       finished_at = $3, updated_at = $3
                   WHERE org_id = $4 AND id = $5 AND status = 'running' AND lease_owner = $6 AND lease_token = $7
                     AND lease_expires_at >= $3";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(status.as_str()).bind(error).bind(now).bind(org).bind(id).bind(&lease.owner).bind(lease.token)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, id, lease)
    }

    /// The heartbeat: extend `lease` on a running job to `now + lease_ms`.
    /// Fails with `Stale` unless the lease still holds the job at `now`: a
    /// lease that ran out stays out, for whoever claims the job next.
    pub async fn extend_lease(
        &self,
        org: &OrgId,
        id: &JobId,
        lease: &Lease,
        lease_ms: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "UPDATE sequence_jobs SET lease_expires_at = $1
                 WHERE org_id = $2 AND id = $3 AND status = 'running' AND lease_owner = $4 AND lease_token = $5
                   AND lease_expires_at >= $6")
            .bind(now + lease_ms).bind(org).bind(id).bind(&lease.owner).bind(lease.token).bind(now)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, id, lease)
    }
}

/// `Ok` if a write guarded by `lease` touched the job's row, else `Stale`.
fn held(rows: u64, id: &JobId, lease: &Lease) -> Result<(), StoreError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(stale(id, lease))
    }
}

/// The error of a write in the name of a lease that no longer holds `id`.
pub(crate) fn stale(id: &JobId, lease: &Lease) -> StoreError {
    StoreError::Stale(format!(
        "job {id} is no longer leased to {} (claim {}): it was claimed again or the lease expired",
        lease.owner, lease.token
    ))
}
