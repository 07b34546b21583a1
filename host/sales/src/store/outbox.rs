//! `engagement_outbox`: what a finished step says happened to a deal's
//! engagement (a billing dispute an email raised), written with the step's
//! checkpoint ([`outbox_row`]) and applied later by the sales app's
//! engagement worker, which deletes each row once applied. Scoped to an
//! org on every query but the worker's scan of what waits.

use baton_store::{OrgId, Row, Store, StoreError, on_pool};

/// One happening waiting to be applied.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Pending {
    pub org_id: OrgId,
    /// Unique per org: the engagement's key for it too.
    pub key: String,
    /// The workflow event (`billing_dispute`).
    pub event: String,
    /// Whom it came from, to find their deal.
    pub address: String,
    pub evidence: String,
    pub at: i64,
}

const INSERT: &str = "INSERT INTO engagement_outbox (org_id, key, event, address, evidence, at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, key) DO NOTHING";

/// The row that records `p` with a step's checkpoint.
pub fn outbox_row(p: &Pending) -> Row {
    Row {
        statement: INSERT,
        values: vec![
            p.org_id.as_str().into(),
            p.key.as_str().into(),
            p.event.as_str().into(),
            p.address.as_str().into(),
            p.evidence.as_str().into(),
            p.at.into(),
        ],
    }
}

#[easy_ext::ext(OutboxTables)]
impl Store {
    /// The oldest `limit` happenings waiting, of every org.
    pub async fn pending_happenings(&self, limit: i64) -> Result<Vec<Pending>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT org_id, key, event, address, evidence, at FROM engagement_outbox
                 ORDER BY at, key LIMIT $1")
            .bind(limit).fetch_all(pool).await)?)
    }

    /// Forget a happening once applied (or found to concern no deal).
    pub async fn applied_happening(&self, org: &OrgId, key: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "DELETE FROM engagement_outbox WHERE org_id = $1 AND key = $2")
            .bind(org).bind(key).execute(pool).await.map(drop))?;
        Ok(())
    }
}
