//! Open and click tracking's tables (`email_tracking`, `tracked_links`):
//! each org's choice (off unless it says so) and the tokens a sent email's
//! pixel and wrapped links carry. A token is looked up by itself (it is
//! the credential, as a proposal's share token is); everything else is
//! scoped to an org.

use baton_store::{OrgId, Store, StoreError, UserId, on_pool};
use serde::Serialize;

/// What an org tracks in the emails its reps send. Both off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrackingChoice {
    pub opens: bool,
    pub clicks: bool,
}

impl TrackingChoice {
    /// Whether anything is tracked.
    pub fn any(&self) -> bool {
        self.opens || self.clicks
    }
}

/// What a token stands for: the pixel of one sent email, or one link in it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Tracked {
    pub token: String,
    pub org_id: OrgId,
    pub effect_id: String,
    pub user_id: UserId,
    /// `open` (the pixel) or `click` (a link).
    pub kind: String,
    /// Where a click goes.
    pub url: Option<String>,
    pub subject: String,
    /// The email's recipients, space-separated.
    pub recipients: String,
    pub created_at: i64,
}

/// The pixel's kind.
pub const OPEN: &str = "open";
/// A wrapped link's kind.
pub const CLICK: &str = "click";

const COLUMNS: &str =
    "token, org_id, effect_id, user_id, kind, url, subject, recipients, created_at";

/// Open and click tracking's tables.
pub trait TrackingTables {
    /// `org`'s choice (off when it never made one).
    async fn tracking(&self, org: &OrgId) -> Result<TrackingChoice, StoreError>;
    /// Record `org`'s choice.
    async fn set_tracking(
        &self,
        org: &OrgId,
        choice: TrackingChoice,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The tokens already minted for one sent email (a redelivery reuses
    /// them).
    async fn tracked_of_effect(
        &self,
        org: &OrgId,
        effect: &str,
    ) -> Result<Vec<Tracked>, StoreError>;
    /// Keep freshly minted tokens.
    async fn insert_tracked(&self, rows: &[Tracked]) -> Result<(), StoreError>;
    /// What `token` stands for, if anything.
    async fn tracked(&self, token: &str) -> Result<Option<Tracked>, StoreError>;
    /// Count a hit on `token` at `now`; `true` when it is the first.
    async fn hit_tracked(&self, token: &str, now: i64) -> Result<bool, StoreError>;
}

impl TrackingTables for Store {
    async fn tracking(&self, org: &OrgId) -> Result<TrackingChoice, StoreError> {
        let row: Option<(bool, bool)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT opens, clicks FROM email_tracking WHERE org_id = $1")
            .bind(org).fetch_optional(pool).await)?;
        Ok(
            row.map_or_else(TrackingChoice::default, |(opens, clicks)| TrackingChoice {
                opens,
                clicks,
            }),
        )
    }

    async fn set_tracking(
        &self,
        org: &OrgId,
        choice: TrackingChoice,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO email_tracking (org_id, opens, clicks, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (org_id) DO UPDATE SET opens = excluded.opens, clicks = excluded.clicks,
                     updated_at = excluded.updated_at")
            .bind(org).bind(choice.opens).bind(choice.clicks).bind(now)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    async fn tracked_of_effect(
        &self,
        org: &OrgId,
        effect: &str,
    ) -> Result<Vec<Tracked>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tracked_links WHERE org_id = $1 AND effect_id = $2 ORDER BY created_at, token"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(effect).fetch_all(pool).await)?)
    }

    async fn insert_tracked(&self, rows: &[Tracked]) -> Result<(), StoreError> {
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for r in rows {
                sqlx::query(
                        "INSERT INTO tracked_links (token, org_id, effect_id, user_id, kind, url, subject,
                             recipients, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(&r.token).bind(&r.org_id).bind(&r.effect_id).bind(&r.user_id)
                    .bind(&r.kind).bind(&r.url).bind(&r.subject).bind(&r.recipients)
                    .bind(r.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)?;
        Ok(())
    }

    async fn tracked(&self, token: &str) -> Result<Option<Tracked>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM tracked_links WHERE token = $1");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(token).fetch_optional(pool).await)?)
    }

    async fn hit_tracked(&self, token: &str, now: i64) -> Result<bool, StoreError> {
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let first = sqlx::query(
                    "UPDATE tracked_links SET first_hit_at = $2 WHERE token = $1 AND first_hit_at IS NULL")
                .bind(token).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            sqlx::query("UPDATE tracked_links SET hits = hits + 1 WHERE token = $1")
                .bind(token).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(first)
        }.await)?)
    }
}
