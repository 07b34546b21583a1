//! Sequence jobs: created once per idempotency key, claimed by workers under
//! a lease, checkpointed step by step, finished. Every transition is one
//! function guarded in SQL by the state it expects; a stale worker's write
//! affects no row and is reported as [`StoreError::Stale`].
//!
//! Fencing: every claim bumps the job's `lease_token`, and a write in the
//! name of a lease ([`Lease`]: owner and token) takes only while the job is
//! running under that very claim *and* the lease has not expired at the
//! writer's clock. The token refuses a holder whose job was claimed again
//! (by another replica, or by its own process: the owner alone is per
//! process); the expiry refuses a holder that overran its lease even when
//! nobody has claimed the job yet, so a lease that ran out can never be
//! revived by the worker that lost it.

use super::reach::{Reach, team_filter};
use super::{JobId, OrgId, Store, StoreError, UserId, on_pool};
use crate::text_enum;
use serde::Serialize;
use serde_json::Value;

text_enum!(
    /// A job's lifecycle state.
    JobStatus, "job status" {
        Pending => "pending",
        Running => "running",
        AwaitingApproval => "awaiting_approval",
        Completed => "completed",
        Failed => "failed",
        Cancelled => "cancelled",
        Skipped => "skipped",
        BudgetExceeded => "budget_exceeded",
    }
);

impl JobStatus {
    /// Whether the job will never run again.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            JobStatus::Pending | JobStatus::Running | JobStatus::AwaitingApproval
        )
    }
}

/// What a new job is made of.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub org_id: OrgId,
    pub user_id: UserId,
    pub event_type: String,
    pub event_source: String,
    pub idempotency_key: String,
    pub parent_job_id: Option<JobId>,
    pub chain_depth: i64,
    pub payload: Value,
    pub sequence_name: String,
    pub sequence_hash: String,
    /// When it may first run (unix ms); later than now for deferred events.
    pub scheduled_at: i64,
}

/// Whether an insert made a new job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    New(JobId),
    /// A job with the same idempotency key exists: its id.
    Duplicate(JobId),
}

/// A worker's hold on a running job, as its claim handed it out: the
/// owner (the process's worker id) and the claim's fencing token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub owner: String,
    pub token: i64,
}

/// A job as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: JobId,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub event_type: String,
    pub event_source: String,
    pub idempotency_key: String,
    pub parent_job_id: Option<JobId>,
    pub chain_depth: i64,
    #[serde(skip)]
    pub payload: Value,
    pub state: Value,
    pub status: JobStatus,
    pub current_step: i64,
    pub sequence_name: String,
    /// The sha256 of the sequence file the job started with.
    #[serde(skip)]
    pub sequence_hash: String,
    pub scheduled_at: i64,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<i64>,
    /// Bumped by every claim: the fencing token of the newest one.
    pub lease_token: i64,
    pub error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

impl Job {
    /// The lease the job is held under, if it is running.
    pub fn lease(&self) -> Option<Lease> {
        self.lease_owner.as_ref().map(|owner| Lease {
            owner: owner.clone(),
            token: self.lease_token,
        })
    }
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: JobId,
    org_id: OrgId,
    user_id: UserId,
    event_type: String,
    event_source: String,
    idempotency_key: String,
    parent_job_id: Option<JobId>,
    chain_depth: i64,
    payload: String,
    state: String,
    status: String,
    current_step: i64,
    sequence_name: String,
    sequence_hash: String,
    scheduled_at: i64,
    lease_owner: Option<String>,
    lease_expires_at: Option<i64>,
    lease_token: i64,
    error: Option<String>,
    created_at: i64,
    finished_at: Option<i64>,
}

impl JobRow {
    fn into_job(self) -> Result<Job, StoreError> {
        let json = |what: &str, text: &str| {
            serde_json::from_str(text)
                .map_err(|e| StoreError::Corrupt(format!("job {} {what}: {e}", self.id)))
        };
        Ok(Job {
            payload: json("payload", &self.payload)?,
            state: json("state", &self.state)?,
            status: JobStatus::parse(&self.status)?,
            id: self.id,
            org_id: self.org_id,
            user_id: self.user_id,
            event_type: self.event_type,
            event_source: self.event_source,
            idempotency_key: self.idempotency_key,
            parent_job_id: self.parent_job_id,
            chain_depth: self.chain_depth,
            current_step: self.current_step,
            sequence_name: self.sequence_name,
            sequence_hash: self.sequence_hash,
            scheduled_at: self.scheduled_at,
            lease_owner: self.lease_owner,
            lease_expires_at: self.lease_expires_at,
            lease_token: self.lease_token,
            error: self.error,
            created_at: self.created_at,
            finished_at: self.finished_at,
        })
    }
}

const COLUMNS: &str = "id, org_id, user_id, event_type, event_source, idempotency_key, parent_job_id, chain_depth,
    payload, state, status, current_step, sequence_name, sequence_hash, scheduled_at, lease_owner, lease_expires_at, lease_token,
    error, created_at, finished_at";

/// How far a running job got: its state after `current_step` steps.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub current_step: i64,
    pub state: &'a Value,
}

impl Store {
    /// Create a job unless one with the same idempotency key exists in the
    /// org, made at `now` (the orchestrator's clock).
    pub async fn insert_job(&self, job: &NewJob, now: i64) -> Result<Inserted, StoreError> {
        let mut out = self
            .insert_jobs_and_cursor(&[job], "", "", &serde_json::Value::Null, now)
            .await?;
        out.pop()
            .ok_or_else(|| StoreError::Corrupt("an insert gave no result".into()))
    }

    /// Insert `jobs` (each new or a duplicate of the job holding its key)
    /// and, in the same transaction, set the sync cursor `feed` of
    /// `account` (unless `account` is empty).
    pub async fn insert_jobs_and_cursor(
        &self,
        jobs: &[&NewJob],
        account: &str,
        feed: &str,
        cursor: &serde_json::Value,
        now: i64,
    ) -> Result<Vec<Inserted>, StoreError> {
        let sql = "INSERT INTO sequence_jobs (id, org_id, user_id, event_type, event_source, idempotency_key,
                parent_job_id, chain_depth, payload, state, status, sequence_name, sequence_hash, scheduled_at,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', 'pending', $10, $11, $12, $13, $13)
             ON CONFLICT (org_id, idempotency_key) DO NOTHING";
        let cursor_text = cursor.to_string();
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut out = Vec::with_capacity(jobs.len());
            for job in jobs {
                let id = JobId::fresh();
                let payload = job.payload.to_string();
                let inserted = sqlx::query(sql)
                    .bind(&id).bind(&job.org_id).bind(&job.user_id).bind(&job.event_type).bind(&job.event_source)
                    .bind(&job.idempotency_key).bind(&job.parent_job_id).bind(job.chain_depth).bind(&payload)
                    .bind(&job.sequence_name).bind(&job.sequence_hash).bind(job.scheduled_at).bind(now)
                    .execute(&mut *tx).await?.rows_affected();
                if inserted == 1 {
                    out.push(Inserted::New(id));
                    continue;
                }
                let existing: JobId = sqlx::query_scalar(
                        "SELECT id FROM sequence_jobs WHERE org_id = $1 AND idempotency_key = $2")
                    .bind(&job.org_id).bind(&job.idempotency_key).fetch_one(&mut *tx).await?;
                out.push(Inserted::Duplicate(existing));
            }
            if !account.is_empty() {
                sqlx::query(super::accounts::SET_CURSOR)
                    .bind(account).bind(feed).bind(&cursor_text).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(out)
        }.await)?)
    }

    /// One job of `org`.
    pub async fn job(&self, org: &OrgId, id: &JobId) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sequence_jobs WHERE org_id = $1 AND id = $2");
        let row: Option<JobRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(JobRow::into_job).transpose()
    }

    /// The jobs of `org` within `reach`, newest first.
    pub async fn jobs(
        &self,
        org: &OrgId,
        reach: &Reach,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sequence_jobs WHERE org_id = $1 AND {}
             ORDER BY created_at DESC, id DESC LIMIT $2",
            team_filter("user_id", "$3")
        );
        let rows: Vec<JobRow> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(limit).bind(reach.head()).fetch_all(pool).await)?;
        rows.into_iter().map(JobRow::into_job).collect()
    }

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

    /// The ids of the jobs `job` queued as follow-ups, oldest first.
    pub async fn children(&self, org: &OrgId, job: &JobId) -> Result<Vec<JobId>, StoreError> {
        let ids = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT id FROM sequence_jobs WHERE org_id = $1 AND parent_job_id = $2 ORDER BY created_at, id")
            .bind(org).bind(job).fetch_all(pool).await)?;
        Ok(ids)
    }

    /// Jobs of `org` with `status`, newest first.
    pub async fn jobs_with_status(
        &self,
        org: &OrgId,
        reach: &Reach,
        status: JobStatus,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sequence_jobs WHERE org_id = $1 AND status = $2 AND {}
             ORDER BY created_at DESC, id DESC LIMIT $3",
            team_filter("user_id", "$4")
        );
        let rows: Vec<JobRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(status.as_str()).bind(limit).bind(reach.head()).fetch_all(pool).await)?;
        rows.into_iter().map(JobRow::into_job).collect()
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
