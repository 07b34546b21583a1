//! What the scheduler needs: fires claimed once per key (a user and a
//! local date), exactly once across replicas.

use super::{OrgId, Store, StoreError, UserId, on_pool};

impl Store {
    /// Claim the fire of `event_type` for `user` under `fire_key` (e.g. a
    /// local date). True for exactly one caller, across replicas.
    pub async fn claim_fire(
        &self,
        org: &OrgId,
        user: &UserId,
        event_type: &str,
        fire_key: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => sqlx::query(
                "INSERT INTO schedule_fires (org_id, user_id, event_type, fire_key, fired_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
            .bind(org).bind(user).bind(event_type).bind(fire_key).bind(now).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }
}
