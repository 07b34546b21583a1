//! Events refused at the door, each with its reason, so nothing is dropped
//! silently.

use super::{Store, StoreError, new_id, on_pool};
use serde::Serialize;

/// A refused event.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Refusal {
    pub id: String,
    pub org_slug: String,
    pub user_handle: String,
    pub event_type: String,
    pub event_source: String,
    pub idempotency_key: String,
    /// A stable reason code (unknown_org, disabled, duplicate, …).
    pub reason: String,
    pub detail: String,
    pub created_at: i64,
}

/// What to record about a refused event.
#[derive(Debug, Clone)]
pub struct NewRefusal<'a> {
    pub org_slug: &'a str,
    pub org_id: Option<&'a super::OrgId>,
    pub user_handle: &'a str,
    pub event_type: &'a str,
    pub event_source: &'a str,
    pub idempotency_key: &'a str,
    pub reason: &'a str,
    pub detail: &'a str,
    pub now: i64,
}

impl Store {
    /// Record a refused event.
    pub async fn record_refusal(&self, r: &NewRefusal<'_>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO skipped_events (id, org_slug, org_id, user_handle, event_type, event_source,
                     idempotency_key, reason, detail, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(new_id()).bind(r.org_slug).bind(r.org_id).bind(r.user_handle).bind(r.event_type)
            .bind(r.event_source).bind(r.idempotency_key).bind(r.reason).bind(r.detail).bind(r.now)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Events refused for the org with `org_slug`, newest first. (Refusals
    /// of unknown orgs are listed under the slug that was sent.)
    pub async fn refusals(&self, org_slug: &str, limit: i64) -> Result<Vec<Refusal>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_slug, user_handle, event_type, event_source, idempotency_key, reason, detail,
                     created_at FROM skipped_events WHERE org_slug = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(org_slug).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }
}
