//! `hubspot_objects`: which HubSpot note or task an effect created, so
//! that delivering it again updates that object instead of creating one
//! more (HubSpot's search, the other way to find it, lags its writes).

use baton_store::{OrgId, Store, StoreError, on_pool};

/// The HubSpot objects effects created.
pub trait HubSpotTables {
    /// The id of the `object` (`notes`, `tasks`) the effect with `uid`
    /// created in `org`'s HubSpot, if one was recorded.
    async fn hubspot_object(
        &self,
        org: &OrgId,
        uid: &str,
        object: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Record that the effect with `uid` created `object` `id` (the first
    /// record stands).
    async fn record_hubspot_object(
        &self,
        org: &OrgId,
        uid: &str,
        object: &str,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError>;
}

impl HubSpotTables for Store {
    async fn hubspot_object(
        &self,
        org: &OrgId,
        uid: &str,
        object: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT hubspot_id FROM hubspot_objects WHERE org_id = $1 AND uid = $2 AND object = $3")
            .bind(org).bind(uid).bind(object).fetch_optional(pool).await)?)
    }

    async fn record_hubspot_object(
        &self,
        org: &OrgId,
        uid: &str,
        object: &str,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO hubspot_objects (org_id, uid, object, hubspot_id, created_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, uid, object) DO NOTHING")
            .bind(org).bind(uid).bind(object).bind(id).bind(now)
            .execute(pool).await.map(drop))?;
        Ok(())
    }
}
