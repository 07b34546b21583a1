//! The org's documents: one JSON body per org and kind (the price book,
//! the content library; see `baton_types::catalog`). Imported with the org,
//! read by the context loader as tier-3 providers of the same names.

use super::{OrgId, Store, StoreError, on_pool};
use serde_json::Value;

impl Store {
    /// Store `body` as the org's document `kind`, replacing the one there.
    pub async fn put_org_document(
        &self,
        org: &OrgId,
        kind: &str,
        body: &Value,
        now: i64,
    ) -> Result<(), StoreError> {
        let body = body.to_string();
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO org_documents (org_id, kind, body, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (org_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                 WHERE org_documents.body <> excluded.body")
            .bind(org).bind(kind).bind(&body).bind(now).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// The org's document `kind`, if it has one.
    pub async fn org_document(&self, org: &OrgId, kind: &str) -> Result<Option<Value>, StoreError> {
        let body: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT body FROM org_documents WHERE org_id = $1 AND kind = $2")
            .bind(org).bind(kind).fetch_optional(pool).await)?;
        body.map(|b| serde_json::from_str(&b))
            .transpose()
            .map_err(StoreError::json(format!("org document {kind}")))
    }
}
