//! Capability denials stored with their job: one row per capability a
//! skill used without having it, written by the checkpoint of the step that
//! was denied (so a step re-run after a crash records its own attempt) and
//! read where the job is shown. The message names the skill and the
//! capability (a host at most) and the fix; it never carries a secret, a
//! request body or a URL's path.

use super::{JobId, OrgId, Store, StoreError, on_pool};
use serde::Serialize;

/// A denial to record with a checkpoint.
#[derive(Debug, Clone)]
pub struct NewDenial {
    pub step_index: i64,
    pub step_name: String,
    pub attempt: i64,
    pub skill_name: String,
    pub capability: String,
    pub message: String,
}

/// A denial as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Denial {
    pub step_index: i64,
    pub step_name: String,
    pub attempt: i64,
    pub skill_name: String,
    pub capability: String,
    pub message: String,
    pub created_at: i64,
}

impl Store {
    /// The capability denials of `org`'s job `job`, in step order.
    pub async fn denials(&self, org: &OrgId, job: &JobId) -> Result<Vec<Denial>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(
                "SELECT step_index, step_name, attempt, skill_name, capability, message, created_at
                 FROM capability_denials WHERE org_id = $1 AND job_id = $2
                 ORDER BY step_index, attempt, created_at, id")
            .bind(org).bind(job).fetch_all(pool).await)?;
        Ok(rows)
    }
}
