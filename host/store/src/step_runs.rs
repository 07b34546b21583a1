//! A job's step attempts as recorded: one row per attempt of each step,
//! written by the checkpoint (`checkpoint.rs`), read here.

use super::vocab::StepRunStatus;
use super::{JobId, OrgId, Store, StoreError, on_pool};
use serde::Serialize;
use serde_json::Value;

impl Store {
    /// The step attempts of a job, in order.
    pub async fn step_runs(&self, org: &OrgId, job: &JobId) -> Result<Vec<StepRun>, StoreError> {
        let rows: Vec<StepRunRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT step_index, step_name, attempt, skill_name, skill_version, skill_sha256, status,
                     error_kind, error, fuel, cost_micros, duration_ms, output, started_at, finished_at
                 FROM step_runs WHERE org_id = $1 AND job_id = $2 ORDER BY step_index, attempt")
            .bind(org).bind(job).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(StepRun {
                    output: match &r.output {
                        Some(o) => {
                            Some(serde_json::from_str(o).map_err(StoreError::json(format!(
                                "step {} output",
                                r.step_name
                            )))?)
                        }
                        None => None,
                    },
                    step_index: r.step_index,
                    step_name: r.step_name,
                    attempt: r.attempt,
                    skill_name: r.skill_name,
                    skill_version: r.skill_version,
                    skill_sha256: r.skill_sha256,
                    status: StepRunStatus::parse(&r.status)?,
                    error_kind: r.error_kind,
                    error: r.error,
                    fuel: r.fuel,
                    cost_micros: r.cost_micros,
                    duration_ms: r.duration_ms,
                    started_at: r.started_at,
                    finished_at: r.finished_at,
                })
            })
            .collect()
    }
}

/// One attempt of one step, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct StepRun {
    pub step_index: i64,
    pub step_name: String,
    pub attempt: i64,
    pub skill_name: String,
    pub skill_version: String,
    pub skill_sha256: String,
    pub status: StepRunStatus,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    pub fuel: i64,
    pub cost_micros: i64,
    pub duration_ms: i64,
    #[serde(skip)]
    pub output: Option<Value>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct StepRunRow {
    step_index: i64,
    step_name: String,
    attempt: i64,
    skill_name: String,
    skill_version: String,
    skill_sha256: String,
    status: String,
    error_kind: Option<String>,
    error: Option<String>,
    fuel: i64,
    cost_micros: i64,
    duration_ms: i64,
    output: Option<String>,
    started_at: i64,
    finished_at: Option<i64>,
}
