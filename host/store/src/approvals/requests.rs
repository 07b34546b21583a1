//! A gate's approval request: the notifier's queue of gates whose request
//! has not gone out, and what it records once a request reached the rep
//! (or failed to).

use super::{COLUMNS, PendingAction, ROWS_PER_STATEMENT, Row};

/// An approval request that reached its rep: the gate, the notification's
/// text, and where the message is (channel and message id).
#[derive(Debug, Clone)]
pub struct Announced<'a> {
    pub gate: &'a PendingAction,
    pub message: String,
    pub channel: String,
    pub ts: String,
}

/// A gate with where its chat request is.
#[derive(sqlx::FromRow)]
struct ChatRow {
    #[sqlx(flatten)]
    gate: Row,
    chat_channel: String,
    chat_ts: String,
}
use crate::text::storable;
use crate::{GateId, OrgId, Store, StoreError, on_pool};

impl Store {
    /// Open gates whose approval request has not gone out yet, across orgs,
    /// oldest first (the notifier's queue): at most `limit`, after the gate
    /// `after` (its `created_at` and id) when given, so a pass can page
    /// through the whole queue.
    pub async fn unnotified_actions(
        &self,
        after: Option<(i64, &GateId)>,
        limit: i64,
    ) -> Result<Vec<PendingAction>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM pending_actions WHERE status = 'open' AND notified_at IS NULL
               AND (created_at > $1 OR (created_at = $1 AND id > $2))
             ORDER BY created_at, id LIMIT $3"
        );
        // From the start: before any gate's time.
        let (at, id) = after.map_or((i64::MIN, ""), |(at, id)| (at, id.0.as_str()));
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(at).bind(id).bind(limit).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_action).collect()
    }

    /// Record that the approval requests of `sent` reached their reps, in
    /// one transaction: each gate's `approval_request` notification (once
    /// per gate), its `notified_at`, and where its message is in chat.
    pub async fn record_announced(
        &self,
        sent: &[Announced<'_>],
        now: i64,
    ) -> Result<(), StoreError> {
        if sent.is_empty() {
            return Ok(());
        }
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for chunk in sent.chunks(ROWS_PER_STATEMENT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO notifications (id, org_id, user_id, job_id, kind, channel, created_at,
                         dedupe_key, message) ");
                q.push_values(chunk, |mut b, a| {
                    let g = a.gate;
                    b.push_bind(crate::new_id()).push_bind(&g.org_id).push_bind(&g.user_id)
                        .push_bind(&g.job_id).push_bind("approval_request").push_bind("slack")
                        .push_bind(now).push_bind(format!("approval:{}", g.id)).push_bind(storable(&a.message));
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await?;
            }
            for a in sent {
                sqlx::query(
                    "UPDATE pending_actions SET notified_at = $1, chat_channel = $2, chat_ts = $3
                     WHERE org_id = $4 AND id = $5")
                    .bind(now).bind(&a.channel).bind(&a.ts).bind(&a.gate.org_id).bind(&a.gate.id)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)?;
        Ok(())
    }

    /// Gates that closed (decided, expired, cancelled, withdrawn) while
    /// their approval request still asks in chat, across orgs, oldest
    /// first: each with the channel and message id, at most `limit`.
    pub async fn chat_requests_to_close(
        &self,
        limit: i64,
    ) -> Result<Vec<(PendingAction, String, String)>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, chat_channel, chat_ts FROM pending_actions
             WHERE chat_ts IS NOT NULL AND chat_closed_at IS NULL AND status <> 'open'
             ORDER BY created_at, id LIMIT $1"
        );
        let rows: Vec<ChatRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(limit).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| Ok((r.gate.into_action()?, r.chat_channel, r.chat_ts)))
            .collect()
    }

    /// Record that gate `id`'s chat message says what became of it (or
    /// cannot be told: it is not asked again).
    pub async fn mark_chat_closed(
        &self,
        org: &OrgId,
        id: &GateId,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE pending_actions SET chat_closed_at = $1 WHERE org_id = $2 AND id = $3")
            .bind(now).bind(org).bind(id).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Record that a gate's approval request reached the rep.
    pub async fn mark_notified(
        &self,
        org: &OrgId,
        id: &GateId,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE pending_actions SET notified_at = $1 WHERE org_id = $2 AND id = $3")
            .bind(now).bind(org).bind(id).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Count a failed attempt to deliver a gate's approval request; returns
    /// the attempts so far.
    pub async fn notify_failed(&self, org: &OrgId, id: &GateId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "UPDATE pending_actions SET notify_attempts = notify_attempts + 1
                 WHERE org_id = $1 AND id = $2 RETURNING notify_attempts")
            .bind(org).bind(id).fetch_one(pool).await)?)
    }
}
