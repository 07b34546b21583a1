//! The outbox: effects approved for delivery, each once per idempotency
//! key. Delivery claims a row under a short lease, so a crashed deliverer's
//! row is retried; receivers get the key and can drop a redelivery.

use super::reach::{Reach, team_filter};
use super::vocab::{ActionKind, parse_action_kind};
use super::{EffectId, JobId, OrgId, Store, StoreError, UserId, on_pool};
use crate::text_enum;
use serde::Serialize;
use serde_json::Value;

text_enum!(
    /// Where an effect stands in the outbox (`outbox.status`).
    EffectStatus, "effect status" {
        /// Waiting for its time (the undo window) or a retry.
        Pending => "pending",
        /// Claimed by a deliverer under a lease.
        Delivering => "delivering",
        Delivered => "delivered",
        /// Given up: a terminal error or too many attempts.
        Failed => "failed",
        /// Undone inside its window, or its recipient opted out.
        Cancelled => "cancelled",
    }
);

/// An effect as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub id: EffectId,
    pub org_id: OrgId,
    pub job_id: JobId,
    pub user_id: UserId,
    pub idempotency_key: String,
    pub kind: ActionKind,
    #[serde(skip)]
    pub payload: Value,
    pub status: EffectStatus,
    pub not_before: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: EffectId,
    org_id: OrgId,
    job_id: JobId,
    user_id: UserId,
    idempotency_key: String,
    kind: String,
    payload: String,
    status: String,
    not_before: i64,
    attempts: i64,
    last_error: Option<String>,
    created_at: i64,
    delivered_at: Option<i64>,
}

impl Row {
    fn into_effect(self) -> Result<Effect, StoreError> {
        Ok(Effect {
            payload: serde_json::from_str(&self.payload)
                .map_err(StoreError::json(format!("effect {} payload", self.id)))?,
            id: self.id,
            org_id: self.org_id,
            job_id: self.job_id,
            user_id: self.user_id,
            idempotency_key: self.idempotency_key,
            kind: parse_action_kind(&self.kind)?,
            status: EffectStatus::parse(&self.status)?,
            not_before: self.not_before,
            attempts: self.attempts,
            last_error: self.last_error,
            created_at: self.created_at,
            delivered_at: self.delivered_at,
        })
    }
}

const COLUMNS: &str =
    "id, org_id, job_id, user_id, idempotency_key, kind, payload, status, not_before,
    attempts, last_error, created_at, delivered_at";

/// Delivery attempts before an effect is marked failed.
pub const MAX_DELIVERY_ATTEMPTS: i64 = 5;

impl Store {
    /// Effects of `org`, newest first; only those of `job` if given.
    pub async fn effects(
        &self,
        org: &OrgId,
        job: Option<&JobId>,
        limit: i64,
    ) -> Result<Vec<Effect>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND ($2 IS NULL OR job_id = $2)
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(job).bind(limit).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_effect).collect()
    }

    /// Effect `id` of `org`.
    pub async fn effect(&self, org: &OrgId, id: &EffectId) -> Result<Option<Effect>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND id = $2");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(Row::into_effect).transpose()
    }

    /// Effects of `org` within `reach` not delivered yet (pending or being delivered),
    /// next due first: what is waiting to go out, each with the error of
    /// its last attempt (why it waits).
    pub async fn waiting_effects(
        &self,
        org: &OrgId,
        reach: &Reach,
        limit: i64,
    ) -> Result<Vec<Effect>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND status IN ('pending', 'delivering')
             AND {} ORDER BY not_before, id LIMIT $2",
            team_filter("user_id", "$3")
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(limit).bind(reach.head()).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_effect).collect()
    }

    /// Claim up to `max` effects due at `now` (pending, or delivering with
    /// an expired lease) for `lease_ms`.
    pub async fn claim_effects(
        &self,
        now: i64,
        max: i64,
        lease_ms: i64,
    ) -> Result<Vec<Effect>, StoreError> {
        let lock = self.skip_locked();
        let sql = format!(
            "UPDATE outbox SET status = 'delivering', lease_expires_at = $2, attempts = attempts + 1
             WHERE id IN (SELECT id FROM outbox
                          WHERE (status = 'pending' AND not_before <= $1)
                             OR (status = 'delivering' AND lease_expires_at < $1)
                          ORDER BY not_before LIMIT $3 {lock})
             RETURNING {COLUMNS}"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(now).bind(now + lease_ms).bind(max).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_effect).collect()
    }

    /// Record a delivery attempt's result: delivered, or back to pending
    /// at `retry_at` (failed for good after [`MAX_DELIVERY_ATTEMPTS`], or at
    /// once when the error is terminal: `Err((message, terminal))`).
    pub async fn finish_effect(
        &self,
        org: &OrgId,
        id: &EffectId,
        result: Result<(), (&str, bool)>,
        now: i64,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        match result {
            Ok(()) => on_pool!(self, pool => sqlx::query(
                    "UPDATE outbox SET status = 'delivered', delivered_at = $1, lease_expires_at = NULL
                     WHERE org_id = $2 AND id = $3 AND status = 'delivering'")
                .bind(now).bind(org).bind(id).execute(pool).await.map(drop))?,
            Err((e, terminal)) => on_pool!(self, pool => sqlx::query(
                    "UPDATE outbox SET status = CASE WHEN $6 OR attempts >= $1 THEN 'failed' ELSE 'pending' END,
                         not_before = $2, lease_expires_at = NULL, last_error = $3
                     WHERE org_id = $4 AND id = $5 AND status = 'delivering'")
                .bind(MAX_DELIVERY_ATTEMPTS).bind(retry_at).bind(e).bind(org).bind(id).bind(terminal)
                .execute(pool).await.map(drop))?,
        };
        Ok(())
    }

    /// Put a claimed effect back to wait until `until` without counting
    /// the claim as an attempt (nothing was sent: a policy held it back),
    /// `why` kept as its last error.
    pub async fn defer_effect(
        &self,
        org: &OrgId,
        id: &EffectId,
        until: i64,
        why: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE outbox SET status = 'pending', not_before = $1, lease_expires_at = NULL,
                     attempts = attempts - 1, last_error = $2
                 WHERE org_id = $3 AND id = $4 AND status = 'delivering'")
            .bind(until).bind(why).bind(org).bind(id).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Cancel an effect still waiting (inside its undo window).
    pub async fn cancel_effect(&self, org: &OrgId, id: &EffectId) -> Result<(), StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "UPDATE outbox SET status = 'cancelled' WHERE org_id = $1 AND id = $2 AND status = 'pending'")
            .bind(org).bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        if n == 1 {
            return Ok(());
        }
        let status: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT status FROM outbox WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?;
        match status {
            None => Err(StoreError::NotFound(format!("effect {id}"))),
            Some(s) => Err(StoreError::Stale(format!(
                "effect {id} is {}; only a pending effect can be cancelled",
                EffectStatus::parse(&s)?
            ))),
        }
    }

    /// How long the oldest effect due for delivery has waited (0 when none
    /// is due): the outbox lag gauge.
    pub async fn outbox_lag_ms(&self, now: i64) -> Result<i64, StoreError> {
        let oldest: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT MIN(not_before) FROM outbox WHERE status IN ('pending', 'delivering') AND not_before <= $1")
            .bind(now).fetch_one(pool).await)?;
        Ok(oldest.map(|t| (now - t).max(0)).unwrap_or(0))
    }
}
