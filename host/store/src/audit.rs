//! The audit trail: every email sent and message posted on someone's
//! behalf, with what identifies it outside (a Message-ID, a Slack `ts`).

use super::{JobId, OrgId, Store, StoreError, UserId, new_id, on_pool};
use serde::Serialize;
use serde_json::Value;

/// One audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: Option<UserId>,
    pub job_id: Option<JobId>,
    /// e.g. `email_sent`, `slack_posted`.
    pub kind: String,
    pub detail: Value,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    org_id: OrgId,
    user_id: Option<UserId>,
    job_id: Option<JobId>,
    kind: String,
    detail: String,
    created_at: i64,
}

impl Store {
    /// Append to the org's audit trail.
    pub async fn audit(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        job: Option<&JobId>,
        kind: &str,
        detail: &Value,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO audit_log (id, org_id, user_id, job_id, kind, detail, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(new_id()).bind(org).bind(user).bind(job).bind(kind).bind(detail.to_string()).bind(now)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// The org's audit trail, newest first.
    pub async fn audit_log(&self, org: &OrgId, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, user_id, job_id, kind, detail, created_at FROM audit_log
                 WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(org).bind(limit).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(AuditEntry {
                    detail: serde_json::from_str(&r.detail)
                        .map_err(StoreError::json(format!("audit {}", r.id)))?,
                    id: r.id,
                    org_id: r.org_id,
                    user_id: r.user_id,
                    job_id: r.job_id,
                    kind: r.kind,
                    created_at: r.created_at,
                })
            })
            .collect()
    }
}
