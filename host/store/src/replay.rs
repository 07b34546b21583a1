//! The recorded step runs of one skill, for shadow replay: each run's input
//! (`step_runs.input`), its job's event and what the live version made of
//! it. Replay is an operator's tool over the whole deployment; `org`
//! narrows it to one org.

use super::{JobId, OrgId, StepRunStatus, Store, StoreError, UserId, on_pool};
use serde_json::Value;

/// Which runs to replay.
#[derive(Debug, Clone)]
pub struct RecordedQuery<'a> {
    pub skill: &'a str,
    /// Runs started at or after this (unix ms).
    pub since: i64,
    pub limit: i64,
    pub org: Option<&'a OrgId>,
    /// Take the runs a person skipped at their gate too (their draft was
    /// made; nobody sent it).
    pub skipped: bool,
}

/// One recorded step run with its job's event.
#[derive(Debug, Clone)]
pub struct RecordedRun {
    pub org_id: OrgId,
    pub job_id: JobId,
    pub user_id: UserId,
    pub step_name: String,
    pub attempt: i64,
    /// The skill that ran (a step's fallback runs under its own name).
    pub skill_name: String,
    pub skill_version: String,
    pub skill_sha256: String,
    /// `completed` or `failed`.
    pub status: StepRunStatus,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    pub fuel: i64,
    pub duration_ms: i64,
    pub output: Option<Value>,
    /// The recorded input (see `replay::StepInput`).
    pub input: Value,
    pub started_at: i64,
    pub event_type: String,
    pub event_source: String,
    pub payload: Value,
    pub chain_depth: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    org_id: OrgId,
    job_id: JobId,
    user_id: UserId,
    step_name: String,
    attempt: i64,
    skill_name: String,
    skill_version: String,
    skill_sha256: String,
    status: String,
    error_kind: Option<String>,
    error: Option<String>,
    fuel: i64,
    duration_ms: i64,
    output: Option<String>,
    input: String,
    started_at: i64,
    event_type: String,
    event_source: String,
    payload: String,
    chain_depth: i64,
}

impl Row {
    fn into_run(self) -> Result<RecordedRun, StoreError> {
        let json = |what: &str, text: &str| -> Result<Value, StoreError> {
            serde_json::from_str(text).map_err(StoreError::json(format!(
                "job {} step {} {what}",
                self.job_id, self.step_name
            )))
        };
        Ok(RecordedRun {
            status: StepRunStatus::parse(&self.status)?,
            output: self
                .output
                .as_deref()
                .map(|o| json("output", o))
                .transpose()?,
            input: json("input", &self.input)?,
            payload: json("payload", &self.payload)?,
            org_id: self.org_id,
            job_id: self.job_id,
            user_id: self.user_id,
            step_name: self.step_name,
            attempt: self.attempt,
            skill_name: self.skill_name,
            skill_version: self.skill_version,
            skill_sha256: self.skill_sha256,
            error_kind: self.error_kind,
            error: self.error,
            fuel: self.fuel,
            duration_ms: self.duration_ms,
            started_at: self.started_at,
            event_type: self.event_type,
            event_source: self.event_source,
            chain_depth: self.chain_depth,
        })
    }
}

/// The columns a [`Row`] reads, from `step_runs r` joined to its job `j`.
const COLUMNS: &str =
    "r.org_id, r.job_id, j.user_id, r.step_name, r.attempt, r.skill_name, r.skill_version,
     r.skill_sha256, r.status, r.error_kind, r.error, r.fuel, r.duration_ms, r.output,
     r.input, r.started_at, j.event_type, j.event_source, j.payload, j.chain_depth
     FROM step_runs r JOIN sequence_jobs j ON j.id = r.job_id AND j.org_id = r.org_id";

impl Store {
    /// The newest runs of `q.skill` that ran to an end (completed or
    /// failed, and skipped with `q.skipped`) with their input recorded,
    /// newest first.
    pub async fn recorded_runs(
        &self,
        q: &RecordedQuery<'_>,
    ) -> Result<Vec<RecordedRun>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}
             WHERE r.skill_name = $1 AND r.started_at >= $2 AND r.input IS NOT NULL
                 AND (r.status IN ('completed', 'failed') OR ($5 AND r.status = 'skipped'))
                 AND ($3 IS NULL OR r.org_id = $3)
             ORDER BY r.started_at DESC, r.id LIMIT $4"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(q.skill).bind(q.since).bind(q.org).bind(q.limit).bind(q.skipped)
            .fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_run).collect()
    }

    /// Every run of `job` that ran to an end (completed, failed or skipped)
    /// with its input recorded, oldest first: what a candidate sequence is
    /// replayed over.
    pub async fn recorded_runs_of_job(
        &self,
        org: &OrgId,
        job: &JobId,
    ) -> Result<Vec<RecordedRun>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}
             WHERE r.org_id = $1 AND r.job_id = $2 AND r.input IS NOT NULL
                 AND r.status IN ('completed', 'failed', 'skipped')
             ORDER BY r.started_at, r.id"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(job).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_run).collect()
    }
}
