//! Pending actions: gates waiting for a person. A decision is written once,
//! guarded in SQL by the action still being open; when a job's last open
//! gate is answered the job becomes due again.

use super::feedback::{self, FeedbackRecord};
use super::reach::{Reach, team_filter};
use super::text::{storable, storable_opt};
use super::vocab::{ActionKind, GateKind, GateStatus, OnExpiry, Pattern, parse_pattern, sql_list};
use super::{GateId, JobId, OrgId, Store, StoreError, UserId, on_pool};
use serde::Serialize;
use serde_json::Value;
use std::sync::LazyLock;

mod requests;

pub use requests::Announced;

/// Rows per multi-row statement (9 parameters a row stays far below both
/// backends' limits).
const ROWS_PER_STATEMENT: usize = 500;

/// Make an awaiting job due if it has no open gate left (inside `$tx`).
macro_rules! wake_if_answered {
    ($tx:expr, $org:expr, $job:expr, $step:expr, $now:expr) => {
        sqlx::query(
            "UPDATE sequence_jobs SET status = 'pending', scheduled_at = $1, updated_at = $1
             WHERE org_id = $2 AND id = $3 AND status = 'awaiting_approval'
               AND NOT EXISTS (SELECT 1 FROM pending_actions
                               WHERE job_id = $3 AND step_index = $4 AND status = 'open')",
        )
        .bind($now)
        .bind($org)
        .bind($job)
        .bind($step)
        .execute(&mut *$tx)
        .await
    };
}

/// Recipients a rep has emailed, or has approved emails to, since `$3`
/// (unix ms): the outbox's emails not cancelled, and the reservations of
/// approvals whose emails are not queued yet.
static SENDS_TODAY: LazyLock<String> = LazyLock::new(|| {
    let kinds = sql_list(&ActionKind::MAY_EMAIL);
    format!(
        "SELECT
    CAST(COALESCE((SELECT SUM(o.recipients) FROM outbox o
        WHERE o.org_id = $1 AND o.user_id = $2 AND o.kind IN ({kinds})
          AND o.created_at >= $3 AND o.status <> 'cancelled'), 0) AS BIGINT)
  + CAST(COALESCE((SELECT SUM(p.recipients_reserved) FROM pending_actions p
        WHERE p.org_id = $1 AND p.user_id = $2 AND p.status = 'decided'
          AND p.decided_at >= $3 AND p.recipients_reserved > 0
          AND NOT EXISTS (SELECT 1 FROM outbox q
              WHERE q.org_id = p.org_id AND q.job_id = p.job_id
                AND q.step_index = p.step_index AND q.kind IN ({kinds}))), 0) AS BIGINT)"
    )
});

/// A decision to record on a gate.
#[derive(Debug, Clone, Copy)]
pub struct DecisionRecord<'a> {
    pub decision: &'a Value,
    /// The credential that decided (`api:<token>`, `inbox:<handle>`,
    /// `slack:<user id>`, `cli`).
    pub by: &'a str,
    /// What the person wrote with it, if anything.
    pub note: Option<&'a str>,
    /// The recipients an approval sends to, reserved against the rep's
    /// daily send cap in the same transaction.
    pub reserve: Option<SendReservation<'a>>,
    /// Why a skip was "Not right", written with it.
    pub feedback: Option<FeedbackRecord<'a>>,
    /// When what an approval sends by email is to leave (Unix ms; send
    /// later), if the person chose a time.
    pub send_at: Option<i64>,
}

/// Recipients to reserve against a rep's daily send cap.
#[derive(Debug, Clone, Copy)]
pub struct SendReservation<'a> {
    pub user: &'a UserId,
    pub recipients: i64,
    pub cap: i64,
    /// The rep's local midnight (unix ms): the cap's day.
    pub since: i64,
}

/// A decision not recorded: its reservation would take the user past
/// their daily send cap (`cap` recipients, `used` today, `wanted` more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverCap {
    pub cap: i64,
    pub used: i64,
    pub wanted: i64,
}

/// A gate as stored.
#[derive(Debug, Clone, Serialize)]
pub struct PendingAction {
    pub id: GateId,
    pub org_id: OrgId,
    pub job_id: JobId,
    pub user_id: UserId,
    pub step_index: i64,
    pub step_name: String,
    pub gate_key: String,
    pub kind: GateKind,
    pub pattern: Pattern,
    pub title: String,
    pub body: Value,
    pub options: Vec<String>,
    pub status: GateStatus,
    pub decision: Option<Value>,
    pub decided_by: Option<String>,
    /// What the person wrote with the decision.
    pub decision_note: Option<String>,
    pub decided_at: Option<i64>,
    pub expires_at: i64,
    pub on_expiry: OnExpiry,
    pub created_at: i64,
    /// What its suggestion was based on, when the app said.
    pub basis: Option<Value>,
    /// When the person asked for what it sends by email to leave (Unix
    /// ms; send later).
    pub send_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: GateId,
    org_id: OrgId,
    job_id: JobId,
    user_id: UserId,
    step_index: i64,
    step_name: String,
    gate_key: String,
    kind: String,
    pattern: String,
    title: String,
    body: String,
    options: String,
    status: String,
    decision: Option<String>,
    decided_by: Option<String>,
    decision_note: Option<String>,
    decided_at: Option<i64>,
    expires_at: i64,
    on_expiry: String,
    created_at: i64,
    basis: Option<String>,
    send_at: Option<i64>,
}

impl Row {
    fn into_action(self) -> Result<PendingAction, StoreError> {
        let bad = |what: &str, e: serde_json::Error| {
            StoreError::json(format!("pending action {} {what}", self.id))(e)
        };
        Ok(PendingAction {
            body: serde_json::from_str(&self.body).map_err(|e| bad("body", e))?,
            options: serde_json::from_str(&self.options).map_err(|e| bad("options", e))?,
            decision: match &self.decision {
                Some(d) => Some(serde_json::from_str(d).map_err(|e| bad("decision", e))?),
                None => None,
            },
            basis: match &self.basis {
                Some(b) => Some(serde_json::from_str(b).map_err(|e| bad("basis", e))?),
                None => None,
            },
            id: self.id,
            org_id: self.org_id,
            job_id: self.job_id,
            user_id: self.user_id,
            step_index: self.step_index,
            step_name: self.step_name,
            gate_key: self.gate_key,
            kind: GateKind::parse(&self.kind)?,
            pattern: parse_pattern(&self.pattern)?,
            title: self.title,
            status: GateStatus::parse(&self.status)?,
            decided_by: self.decided_by,
            decision_note: self.decision_note,
            decided_at: self.decided_at,
            expires_at: self.expires_at,
            on_expiry: OnExpiry::parse(&self.on_expiry)?,
            created_at: self.created_at,
            send_at: self.send_at,
        })
    }
}

const COLUMNS: &str =
    "id, org_id, job_id, user_id, step_index, step_name, gate_key, kind, pattern, title, body,
    options, status, decision, decided_by, decision_note, decided_at, expires_at, on_expiry, created_at,
    basis, send_at";

impl Store {
    /// One gate of `org`.
    pub async fn pending_action(
        &self,
        org: &OrgId,
        id: &GateId,
    ) -> Result<Option<PendingAction>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM pending_actions WHERE org_id = $1 AND id = $2");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(Row::into_action).transpose()
    }

    /// Gates of `org` within `reach` with `status` (all if `None`),
    /// oldest first.
    pub async fn pending_actions(
        &self,
        org: &OrgId,
        reach: &Reach,
        status: Option<GateStatus>,
        limit: i64,
    ) -> Result<Vec<PendingAction>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM pending_actions WHERE org_id = $1 AND ($2 IS NULL OR status = $2)
             AND {} ORDER BY created_at, id LIMIT $3",
            team_filter("user_id", "$4")
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(status.map(GateStatus::as_str)).bind(limit).bind(reach.head()).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_action).collect()
    }

    /// The gates of one job.
    pub async fn job_actions(
        &self,
        org: &OrgId,
        job: &JobId,
    ) -> Result<Vec<PendingAction>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM pending_actions WHERE org_id = $1 AND job_id = $2 ORDER BY created_at, id"
        );
        let rows: Vec<Row> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(job).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_action).collect()
    }

    /// Record a decision on an open gate. `Stale` if the gate is not open
    /// (decided, expired, cancelled); `NotFound` if `org` has no such gate;
    /// `Ok(Err(OverCap))`, recording nothing, if the decision's
    /// [`SendReservation`] does not fit in what is left of the user's day. When the gate's step has no other open gate
    /// the job becomes due at `now`: steps of a parallel group are decided
    /// one by one, and each goes on as soon as it is answered while the
    /// others keep waiting.
    pub async fn decide(
        &self,
        org: &OrgId,
        id: &GateId,
        record: &DecisionRecord<'_>,
        now: i64,
    ) -> Result<Result<(), OverCap>, StoreError> {
        let decision = record.decision.to_string();
        let reserved = record.reserve.map_or(0, |r| r.recipients);
        let outcome: Result<Option<(JobId, i64)>, OverCap> = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            if let Some(r) = record.reserve {
                // One rep's approvals are recorded one at a time (a row lock
                // on Postgres, the write lock on SQLite), so two at once
                // cannot both fit in the same remaining cap.
                sqlx::query("UPDATE users SET role = role WHERE org_id = $1 AND id = $2")
                    .bind(org).bind(r.user).execute(&mut *tx).await?;
                let used: i64 = sqlx::query_scalar(SENDS_TODAY.as_str())
                    .bind(org).bind(r.user).bind(r.since).fetch_one(&mut *tx).await?;
                if used + r.recipients > r.cap {
                    tx.rollback().await?;
                    return Ok(Err(OverCap { cap: r.cap, used, wanted: r.recipients }));
                }
            }
            let job: Option<(JobId, i64)> = sqlx::query_as(
                "UPDATE pending_actions SET status = 'decided', decision = $1, decided_by = $2, decided_at = $3,
                     decision_note = $6, recipients_reserved = $7, send_at = $8
                 WHERE org_id = $4 AND id = $5 AND status = 'open' RETURNING job_id, step_index")
                .bind(&decision).bind(storable(record.by)).bind(now).bind(org).bind(id)
                .bind(storable_opt(record.note)).bind(reserved).bind(record.send_at)
                .fetch_optional(&mut *tx).await?;
            if let Some((job, step)) = &job {
                if let Some(f) = &record.feedback {
                    sqlx::query(feedback::INSERT)
                        .bind(id).bind(org).bind(f.reason.as_str()).bind(feedback::labels_text(f))
                        .bind(feedback::note_text(f)).bind(now)
                        .execute(&mut *tx).await?;
                }
                wake_if_answered!(tx, org, job, step, now)?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Ok(job))
        }.await)?;
        let done = match outcome {
            Ok(done) => done,
            Err(over) => return Ok(Err(over)),
        };
        if done.is_some() {
            return Ok(Ok(()));
        }
        match self.pending_action(org, id).await? {
            None => Err(StoreError::NotFound(format!("approval {id}"))),
            Some(a) => Err(StoreError::Stale(match a.status {
                GateStatus::Decided => format!(
                    "approval {id} was already decided{}",
                    a.decided_by.map(|b| format!(" by {b}")).unwrap_or_default()
                ),
                GateStatus::Expired => format!("approval {id} expired unanswered"),
                GateStatus::Cancelled => format!("approval {id} was cancelled with its sequence"),
                GateStatus::Superseded => format!(
                    "approval {id} was withdrawn: {}",
                    a.decision_note
                        .as_deref()
                        .unwrap_or("what it was based on has moved on")
                ),
                GateStatus::Open => format!("approval {id} is open"),
            })),
        }
    }

    /// Expire open gates past their time; their jobs become due so the
    /// runner applies each step's `on_expiry`. Returns how many expired.
    pub async fn expire_actions(&self, now: i64) -> Result<u64, StoreError> {
        let n = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let jobs: Vec<(OrgId, JobId, i64)> = sqlx::query_as(
                "UPDATE pending_actions SET status = 'expired', decided_at = $1
                 WHERE status = 'open' AND expires_at <= $1 RETURNING org_id, job_id, step_index")
                .bind(now).fetch_all(&mut *tx).await?;
            for (org, job, step) in &jobs {
                wake_if_answered!(tx, org, job, step, now)?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(jobs.len() as u64)
        }.await)?;
        Ok(n)
    }

    /// Withdraw open gate `id` of `org` at `now`, for `reason` (what it
    /// was based on moved on): it closes as `superseded`, and its job
    /// becomes due when its step has no other open gate, so the runner
    /// skips the step. `false` when it was not open.
    pub async fn supersede(
        &self,
        org: &OrgId,
        id: &GateId,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let job: Option<(JobId, i64)> = sqlx::query_as(
                "UPDATE pending_actions SET status = 'superseded', decided_at = $1, decision_note = $2
                 WHERE org_id = $3 AND id = $4 AND status = 'open' RETURNING job_id, step_index")
                .bind(now).bind(storable(reason)).bind(org).bind(id)
                .fetch_optional(&mut *tx).await?;
            if let Some((job, step)) = &job {
                wake_if_answered!(tx, org, job, step, now)?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(job.is_some())
        }.await)?)
    }

    /// Open gates that carry a basis to check, of `org` (of every org if
    /// `None`), oldest first, at most `limit`.
    pub async fn open_gates_with_basis(
        &self,
        org: Option<&OrgId>,
        limit: i64,
    ) -> Result<Vec<PendingAction>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM pending_actions
             WHERE status = 'open' AND basis IS NOT NULL AND ($1 IS NULL OR org_id = $1)
             ORDER BY created_at, id LIMIT $2"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(limit).fetch_all(pool).await)?;
        rows.into_iter().map(Row::into_action).collect()
    }

    /// Open gates across orgs (a gauge for `/metrics`).
    pub async fn open_actions_count(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM pending_actions WHERE status = 'open'")
            .fetch_one(pool).await)?)
    }
}
