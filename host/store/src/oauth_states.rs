//! OAuth authorizations in progress: kept under their state's hash when a
//! connection starts, taken (once) when the provider calls back.

use super::{OrgId, Store, StoreError, UserId, on_pool};

/// An OAuth authorization in progress.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OAuthState {
    pub org_id: OrgId,
    pub user_id: UserId,
    pub provider: String,
    /// The PKCE verifier, sealed (bound to the state's hash).
    pub verifier: String,
    pub scopes: String,
    pub expires_at: i64,
}

impl Store {
    /// Keep an OAuth authorization in progress under its state's hash.
    pub async fn insert_oauth_state(
        &self,
        state_hash: &str,
        state: &OAuthState,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO oauth_states (state_hash, org_id, user_id, provider, verifier, scopes, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(state_hash).bind(&state.org_id).bind(&state.user_id).bind(&state.provider)
            .bind(&state.verifier).bind(&state.scopes).bind(now).bind(state.expires_at)
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Take (and remove) the authorization under `state_hash`: it is used
    /// once. Expired ones are removed and not returned.
    pub async fn take_oauth_state(
        &self,
        state_hash: &str,
        now: i64,
    ) -> Result<Option<OAuthState>, StoreError> {
        // Written first (DELETE … RETURNING), never read then written: a
        // SQLite transaction that reads and then writes cannot take the
        // write lock once another connection has committed since its read
        // (SQLITE_BUSY at once, whatever the busy timeout), which a busy
        // service met as a 503 on this callback.
        let row: Option<OAuthState> = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as(
                    "DELETE FROM oauth_states WHERE state_hash = $1
                     RETURNING org_id, user_id, provider, verifier, scopes, expires_at")
                .bind(state_hash).fetch_optional(&mut *tx).await?;
            sqlx::query("DELETE FROM oauth_states WHERE expires_at < $1")
                .bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        }.await)?;
        Ok(row.filter(|s| s.expires_at >= now))
    }
}
