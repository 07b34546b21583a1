//! A gate's approval request: the notifier's queue of gates whose request
//! has not gone out, and what it records once a request reached the rep
//! (or failed to).

use super::{COLUMNS, PendingAction, ROWS_PER_STATEMENT, Row};
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
    /// per gate) and its `notified_at`. `message` is each request's
    /// notification text.
    pub async fn record_announced(
        &self,
        sent: &[(&PendingAction, String)],
        now: i64,
    ) -> Result<(), StoreError> {
        if sent.is_empty() {
            return Ok(());
        }
        let mut orgs: Vec<&OrgId> = sent.iter().map(|(g, _)| &g.org_id).collect();
        orgs.sort();
        orgs.dedup();
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for chunk in sent.chunks(ROWS_PER_STATEMENT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO notifications (id, org_id, user_id, job_id, kind, channel, created_at,
                         dedupe_key, message) ");
                q.push_values(chunk, |mut b, (g, message)| {
                    b.push_bind(crate::new_id()).push_bind(&g.org_id).push_bind(&g.user_id)
                        .push_bind(&g.job_id).push_bind("approval_request").push_bind("slack")
                        .push_bind(now).push_bind(format!("approval:{}", g.id)).push_bind(storable(message));
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await?;
            }
            for org in orgs {
                let ids: Vec<&GateId> =
                    sent.iter().filter(|(g, _)| &g.org_id == org).map(|(g, _)| &g.id).collect();
                for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                    let mut q = sqlx::QueryBuilder::new("UPDATE pending_actions SET notified_at = ");
                    q.push_bind(now).push(" WHERE org_id = ").push_bind(org).push(" AND id IN (");
                    let mut list = q.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    q.push(")");
                    q.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await
        }.await)?;
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
