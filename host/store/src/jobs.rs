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

use super::account_leases::{AccountLease, STILL_HELD, stale as stale_lease};
use super::reach::{Reach, team_filter};
use super::rows::{Row, write_rows};
use super::{JobId, OrgId, Store, StoreError, UserId, on_pool};
use crate::text_enum;
use serde::Serialize;
use serde_json::Value;

mod lease;

pub(crate) use lease::stale;

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
    /// The recorded version of the sequence it starts on, if recorded.
    pub sequence_version: Option<i64>,
    /// When it may first run (unix ms); later than now for deferred events.
    pub scheduled_at: i64,
    /// Rows written with the job in its transaction when it is new (an
    /// app's record of what its event says happened); never for a
    /// duplicate.
    pub rows: Vec<Row>,
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
    /// The recorded version of the sequence it runs (`None`: started
    /// before versions were recorded).
    pub sequence_version: Option<i64>,
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
    sequence_version: Option<i64>,
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
            serde_json::from_str(text).map_err(StoreError::json(format!("job {} {what}", self.id)))
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
            sequence_version: self.sequence_version,
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
    payload, state, status, current_step, sequence_name, sequence_hash, sequence_version, scheduled_at, lease_owner, lease_expires_at, lease_token,
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
            .insert_jobs_and_cursor(&[job], "", "", &serde_json::Value::Null, None, now)
            .await?;
        out.pop()
            .ok_or_else(|| StoreError::Corrupt("an insert gave no result".into()))
    }

    /// Insert `jobs` (each new or a duplicate of the job holding its key)
    /// and, in the same transaction, set the sync cursor `feed` of
    /// `account` (unless `account` is empty). With a `fence`, nothing is
    /// written (`Stale`) unless that lease still holds the account.
    pub async fn insert_jobs_and_cursor(
        &self,
        jobs: &[&NewJob],
        account: &str,
        feed: &str,
        cursor: &serde_json::Value,
        fence: Option<&AccountLease>,
        now: i64,
    ) -> Result<Vec<Inserted>, StoreError> {
        let sql = "INSERT INTO sequence_jobs (id, org_id, user_id, event_type, event_source, idempotency_key,
                parent_job_id, chain_depth, payload, state, status, sequence_name, sequence_hash, scheduled_at,
                created_at, updated_at, sequence_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', 'pending', $10, $11, $12, $13, $13, $14)
             ON CONFLICT (org_id, idempotency_key) DO NOTHING";
        let cursor_text = cursor.to_string();
        let still_held = format!("{STILL_HELD} {}", self.for_share());
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            if let Some(lease) = fence {
                // Checked first, and on Postgres the row is locked until
                // commit: no claim can slip in between.
                let held: Option<i32> = sqlx::query_scalar(&still_held)
                    .bind(&lease.account_id).bind(&lease.owner).bind(lease.token)
                    .fetch_optional(&mut *tx).await?;
                if held.is_none() {
                    return Ok(Err(stale_lease(lease)));
                }
            }
            let mut out = Vec::with_capacity(jobs.len());
            for job in jobs {
                let id = JobId::fresh();
                let payload = job.payload.to_string();
                let inserted = sqlx::query(sql)
                    .bind(&id).bind(&job.org_id).bind(&job.user_id).bind(&job.event_type).bind(&job.event_source)
                    .bind(&job.idempotency_key).bind(&job.parent_job_id).bind(job.chain_depth).bind(&payload)
                    .bind(&job.sequence_name).bind(&job.sequence_hash).bind(job.scheduled_at).bind(now)
                    .bind(job.sequence_version)
                    .execute(&mut *tx).await?.rows_affected();
                if inserted == 1 {
                    write_rows!(tx, &job.rows);
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
            Ok::<_, sqlx::Error>(Ok(out))
        }.await)?
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

    /// The newest jobs of event type `event` created at or after `since`
    /// (unix ms), of `org` or of every org: what a candidate sequence is
    /// replayed over (an operator's tool over the whole deployment).
    pub async fn jobs_of_event(
        &self,
        event: &str,
        since: i64,
        limit: i64,
        org: Option<&OrgId>,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sequence_jobs
             WHERE event_type = $1 AND created_at >= $2 AND ($4 IS NULL OR org_id = $4)
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows: Vec<JobRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(event).bind(since).bind(limit).bind(org).fetch_all(pool).await)?;
        rows.into_iter().map(JobRow::into_job).collect()
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
