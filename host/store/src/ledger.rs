//! Budgets and the cost ledger, per org and period (a UTC month,
//! `YYYY-MM`), and the notifications sent.

use super::{JobId, OrgId, Store, StoreError, UserId, on_pool};
use serde::Serialize;

/// The period label budgets use for "every month".
pub const MONTHLY: &str = "monthly";

/// What one completed step run took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StepFigures {
    pub fuel: i64,
    pub cost_micros: i64,
    /// LLM tokens in and out charged to the run's step.
    pub tokens: i64,
}

/// A notification as stored (the message, never customer data).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub user_id: UserId,
    pub job_id: Option<JobId>,
    pub kind: String,
    pub channel: String,
    pub message: String,
    pub created_at: i64,
}

impl Store {
    /// Set `org`'s monthly budget in micro-dollars (`None` removes it).
    pub async fn set_budget(
        &self,
        org: &OrgId,
        limit_micros: Option<i64>,
    ) -> Result<(), StoreError> {
        match limit_micros {
            Some(limit) => on_pool!(self, pool => sqlx::query(
                    "INSERT INTO org_budgets (org_id, period, limit_micros) VALUES ($1, $2, $3)
                     ON CONFLICT (org_id, period) DO UPDATE SET limit_micros = excluded.limit_micros")
                .bind(org).bind(MONTHLY).bind(limit).execute(pool).await.map(drop))?,
            None => on_pool!(self, pool => sqlx::query(
                    "DELETE FROM org_budgets WHERE org_id = $1 AND period = $2")
                .bind(org).bind(MONTHLY).execute(pool).await.map(drop))?,
        };
        Ok(())
    }

    /// `org`'s monthly budget in micro-dollars, if it has one.
    pub async fn budget(&self, org: &OrgId) -> Result<Option<i64>, StoreError> {
        let limit: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT limit_micros FROM org_budgets WHERE org_id = $1 AND period = $2")
            .bind(org).bind(MONTHLY).fetch_optional(pool).await)?;
        Ok(limit)
    }

    /// Charge `org` for work done outside a job (a request read by a
    /// model, say): the ledger rows (no job) and the running total the
    /// budget check reads, in one transaction, written as `writer`.
    pub async fn charge_org(
        &self,
        org: &OrgId,
        charges: &[crate::NewCharge],
        writer: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        if charges.is_empty() {
            return Ok(());
        }
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for c in charges {
                sqlx::query(
                    "INSERT INTO cost_ledger (id, org_id, period, job_id, step_index, kind, quantity,
                         amount_micros, created_at) VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6, $7)")
                    .bind(crate::new_id()).bind(org).bind(&c.period).bind(&c.kind)
                    .bind(c.quantity).bind(c.amount_micros).bind(now)
                    .execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO org_spend (org_id, period, writer, spent_micros) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (org_id, period, writer) DO UPDATE
                     SET spent_micros = org_spend.spent_micros + excluded.spent_micros")
                    .bind(org).bind(&c.period).bind(writer).bind(c.amount_micros)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)?;
        Ok(())
    }

    /// What `org` has spent in `period`, in micro-dollars: the running
    /// totals each checkpoint keeps beside its ledger rows (a row per
    /// writer), not a sum over the period's ledger.
    pub async fn spent(&self, org: &OrgId, period: &str) -> Result<i64, StoreError> {
        let n: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT CAST(SUM(spent_micros) AS BIGINT) FROM org_spend WHERE org_id = $1 AND period = $2")
            .bind(org).bind(period).fetch_one(pool).await)?;
        Ok(n.unwrap_or(0))
    }

    /// The mean cost of `skill`'s recent completed runs in `org`, if any.
    pub async fn mean_step_cost(
        &self,
        org: &OrgId,
        skill: &str,
    ) -> Result<Option<i64>, StoreError> {
        let n: Option<f64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT CAST(AVG(cost_micros) AS DOUBLE PRECISION) FROM (
                     SELECT cost_micros FROM step_runs WHERE org_id = $1 AND skill_name = $2
                       AND status = 'completed' ORDER BY started_at DESC LIMIT 50) recent")
            .bind(org).bind(skill).fetch_one(pool).await)?;
        Ok(n.map(|v| v.round() as i64))
    }

    /// `skill`'s recent completed runs in `org` (at most `limit`, newest
    /// first): fuel, cost and the LLM tokens charged to each run's step.
    pub async fn recent_step_figures(
        &self,
        org: &OrgId,
        skill: &str,
        limit: i64,
    ) -> Result<Vec<StepFigures>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(
                "SELECT r.fuel, r.cost_micros,
                        CAST(COALESCE((SELECT SUM(l.quantity) FROM cost_ledger l
                            WHERE l.org_id = r.org_id AND l.job_id = r.job_id
                              AND l.step_index = r.step_index
                              AND l.kind IN ('llm_input', 'llm_output')), 0) AS BIGINT) AS tokens
                 FROM step_runs r WHERE r.org_id = $1 AND r.skill_name = $2
                   AND r.status = 'completed' ORDER BY r.started_at DESC LIMIT $3")
            .bind(org).bind(skill).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Notifications recorded for `org`, newest first.
    pub async fn notifications(
        &self,
        org: &OrgId,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, user_id, job_id, kind, channel, message, created_at FROM notifications
                 WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(org).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// `user`'s notifications of `kind` since `since`, newest first.
    pub async fn notifications_of(
        &self,
        org: &OrgId,
        user: &UserId,
        kind: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, user_id, job_id, kind, channel, message, created_at FROM notifications
                 WHERE org_id = $1 AND user_id = $2 AND kind = $3 AND created_at >= $4
                 ORDER BY created_at DESC, id DESC LIMIT $5")
            .bind(org).bind(user).bind(kind).bind(since).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Record a notification sent outside a job's checkpoint (an effect
    /// the outbox delivered); the same `dedupe_key` is kept once.
    pub async fn record_notification(
        &self,
        org: &OrgId,
        user: &UserId,
        job: Option<&JobId>,
        n: &super::NewNotification,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO notifications (id, org_id, user_id, job_id, kind, channel, created_at,
                     dedupe_key, message)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (org_id, dedupe_key) DO NOTHING")
            .bind(super::new_id()).bind(org).bind(user).bind(job).bind(&n.kind).bind(&n.channel)
            .bind(now).bind(super::text::storable_opt(n.dedupe_key.as_deref()))
            .bind(super::text::storable(&n.message))
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Notifications sent to `user` on `channel` since `since` (the hourly
    /// rate limit).
    pub async fn notifications_since(
        &self,
        org: &OrgId,
        user: &UserId,
        channel: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM notifications WHERE org_id = $1 AND user_id = $2 AND channel = $3
                 AND created_at >= $4")
            .bind(org).bind(user).bind(channel).bind(since).fetch_one(pool).await)?)
    }
}
