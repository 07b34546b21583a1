//! What the morning brief reads, all scoped to one org and one rep: the
//! preparation job of each of today's meetings, the rep's open gates, the
//! email jobs classified as needing a reply, the rep's open deals with
//! their activity and tasks, proposals awaiting an answer, and what ended
//! or was viewed since the previous brief. Read-only; the snapshot itself
//! is put together by `host/sales/src/brief.rs`.

use baton_store::{GateId, JobId, OrgId, Store, StoreError, UserId, on_pool};
use serde_json::Value;

/// The `pre_meeting_90min` job of one meeting.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PrepJob {
    pub id: JobId,
    pub status: String,
}

/// An open gate of the rep.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OpenGate {
    pub id: GateId,
    pub job_id: JobId,
    pub title: String,
    pub step_name: String,
    pub pattern: String,
    pub created_at: i64,
}

/// An `email_received` job whose classification said what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifiedEmail {
    pub job_id: JobId,
    pub payload: Value,
    pub created_at: i64,
    /// The classifier's output data.
    pub classified: Value,
}

#[derive(sqlx::FromRow)]
struct ClassifiedRow {
    id: JobId,
    payload: String,
    created_at: i64,
    output: Option<String>,
}

/// An open deal of the rep, with its activity and tasks.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OpenDeal {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub company: Option<String>,
    pub amount_cents: Option<i64>,
    pub currency: String,
    pub close_date: Option<String>,
    pub last_activity_at: Option<i64>,
    pub recent_activities: i64,
    pub open_tasks: i64,
    pub overdue_tasks: i64,
    pub proposal_status: Option<String>,
}

/// Jobs of one type that ended with one status.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FinishedCount {
    pub event_type: String,
    pub status: String,
    pub count: i64,
}

/// A proposal viewed in a window.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ViewedProposal {
    pub id: String,
    pub title: String,
    pub deal_name: Option<String>,
    pub views: i64,
    pub first_viewed_at: i64,
}

/// A contact's name and company.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Named {
    pub name: String,
    pub company: Option<String>,
}

/// A composed brief, as its step wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestBrief {
    pub job_id: JobId,
    pub user_id: UserId,
    pub created_at: i64,
    /// The compose step's output data.
    pub data: Value,
}

#[derive(sqlx::FromRow)]
struct LatestRow {
    id: JobId,
    user_id: UserId,
    created_at: i64,
    output: Option<String>,
}

impl LatestRow {
    /// The step's output data as a [`LatestBrief`].
    fn into_brief(self) -> Result<LatestBrief, StoreError> {
        let output: Value = match &self.output {
            Some(o) => {
                serde_json::from_str(o).map_err(StoreError::json(format!("brief {}", self.id)))?
            }
            None => Value::Null,
        };
        Ok(LatestBrief {
            job_id: self.id,
            user_id: self.user_id,
            created_at: self.created_at,
            data: output.get("data").cloned().unwrap_or(Value::Null),
        })
    }
}

/// Statuses of a proposal awaiting the prospect's answer.
const AWAITING: &str = "'sent', 'viewed'";

#[easy_ext::ext(BriefTables)]
impl Store {
    /// The job the scheduler made for a meeting's preparation (its
    /// idempotency key is `pre_meeting_90min:<meeting id>`).
    pub async fn prep_job(
        &self,
        org: &OrgId,
        user: &UserId,
        meeting_id: &str,
    ) -> Result<Option<PrepJob>, StoreError> {
        let key = format!("pre_meeting_90min:{meeting_id}");
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, status FROM sequence_jobs
                 WHERE org_id = $1 AND user_id = $2 AND idempotency_key = $3")
            .bind(org).bind(user).bind(&key).fetch_optional(pool).await)?)
    }

    /// The rep's open gates, oldest first, and how many there are.
    pub async fn open_gates_of(
        &self,
        org: &OrgId,
        user: &UserId,
        limit: i64,
    ) -> Result<(i64, Vec<OpenGate>), StoreError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM pending_actions WHERE org_id = $1 AND user_id = $2 AND status = 'open'")
            .bind(org).bind(user).fetch_one(pool).await)?;
        let gates = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, job_id, title, step_name, pattern, created_at FROM pending_actions
                 WHERE org_id = $1 AND user_id = $2 AND status = 'open'
                 ORDER BY created_at, id LIMIT $3")
            .bind(org).bind(user).bind(limit).fetch_all(pool).await)?;
        Ok((count, gates))
    }

    /// The rep's `email_received` jobs whose `skill` step completed since
    /// `since`, newest first, with that step's output data and when it
    /// finished (`created_at`).
    pub async fn classified_emails(
        &self,
        org: &OrgId,
        user: &UserId,
        skill: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<ClassifiedEmail>, StoreError> {
        let rows: Vec<ClassifiedRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT j.id, j.payload, r.finished_at AS created_at, r.output FROM sequence_jobs j
                 JOIN step_runs r ON r.org_id = j.org_id AND r.job_id = j.id
                 WHERE j.org_id = $1 AND j.user_id = $2 AND j.event_type = 'email_received'
                   AND r.finished_at >= $3 AND r.skill_name = $4 AND r.status = 'completed'
                 ORDER BY r.finished_at DESC, j.id DESC LIMIT $5")
            .bind(org).bind(user).bind(since).bind(skill).bind(limit).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                let bad = |e: serde_json::Error| StoreError::json(format!("job {}", r.id))(e);
                let output: Value = match &r.output {
                    Some(o) => serde_json::from_str(o).map_err(bad)?,
                    None => Value::Null,
                };
                Ok(ClassifiedEmail {
                    payload: serde_json::from_str(&r.payload).map_err(bad)?,
                    classified: output.get("data").cloned().unwrap_or(Value::Null),
                    job_id: r.id,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// The statuses of a job's gates, oldest first.
    pub async fn gate_statuses(
        &self,
        org: &OrgId,
        job: &JobId,
    ) -> Result<Vec<(GateId, String)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, status FROM pending_actions WHERE org_id = $1 AND job_id = $2
                 ORDER BY created_at, id")
            .bind(org).bind(job).fetch_all(pool).await)?)
    }

    /// The CRM name and company of the contact with `email`.
    pub async fn contact_named(
        &self,
        org: &OrgId,
        email: &str,
    ) -> Result<Option<Named>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT c.name, co.name AS company FROM contacts c
                 LEFT JOIN companies co ON co.org_id = c.org_id AND co.id = c.company_id
                 WHERE c.org_id = $1 AND lower(c.email) = lower($2) ORDER BY c.id LIMIT 1")
            .bind(org).bind(email).fetch_optional(pool).await)?)
    }

    /// The CRM name and company of contact `id`.
    pub async fn contact_named_by_id(
        &self,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<Named>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT c.name, co.name AS company FROM contacts c
                 LEFT JOIN companies co ON co.org_id = c.org_id AND co.id = c.company_id
                 WHERE c.org_id = $1 AND c.id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?)
    }

    /// The rep's open deals, by name: the latest activity (there is no
    /// last-activity column; `activities` is indexed on (org, deal, time)),
    /// activities since `since`, open tasks and those due before `today`
    /// (`YYYY-MM-DD`), and the status of the newest proposal awaiting an
    /// answer.
    pub async fn open_deals_of(
        &self,
        org: &OrgId,
        user: &UserId,
        since: i64,
        today: &str,
    ) -> Result<Vec<OpenDeal>, StoreError> {
        let sql = format!(
            "SELECT d.id, d.name, d.stage, co.name AS company, d.amount_cents, d.currency, d.close_date,
                (SELECT MAX(a.occurred_at) FROM activities a
                  WHERE a.org_id = d.org_id AND a.deal_id = d.id) AS last_activity_at,
                (SELECT COUNT(*) FROM activities a
                  WHERE a.org_id = d.org_id AND a.deal_id = d.id AND a.occurred_at >= $3) AS recent_activities,
                (SELECT COUNT(*) FROM tasks t
                  WHERE t.org_id = d.org_id AND t.deal_id = d.id AND t.status = 'open') AS open_tasks,
                (SELECT COUNT(*) FROM tasks t
                  WHERE t.org_id = d.org_id AND t.deal_id = d.id AND t.status = 'open'
                    AND t.due_date IS NOT NULL AND t.due_date < $4) AS overdue_tasks,
                (SELECT p.status FROM proposals p
                  WHERE p.org_id = d.org_id AND p.deal_id = d.id AND p.status IN ({AWAITING})
                  ORDER BY p.version DESC, p.created_at DESC LIMIT 1) AS proposal_status
             FROM deals d LEFT JOIN companies co ON co.org_id = d.org_id AND co.id = d.company_id
             WHERE d.org_id = $1 AND d.owner_user_id = $2
               AND d.stage NOT IN ('closed_won', 'closed_lost')
             ORDER BY d.name, d.id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(user).bind(since).bind(today).fetch_all(pool).await)?)
    }

    /// When the rep's previous brief was due, before `now` (its
    /// `scheduled_at`, on the orchestrator's clock).
    pub async fn previous_brief_at(
        &self,
        org: &OrgId,
        user: &UserId,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT MAX(scheduled_at) FROM sequence_jobs
                 WHERE org_id = $1 AND user_id = $2 AND event_type = 'morning_brief' AND scheduled_at < $3")
            .bind(org).bind(user).bind(now).fetch_one(pool).await)?)
    }

    /// The rep's jobs that ended in `[from, to)`, per event type and status.
    pub async fn jobs_finished_between(
        &self,
        org: &OrgId,
        user: &UserId,
        from: i64,
        to: i64,
    ) -> Result<Vec<FinishedCount>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT event_type, status, COUNT(*) AS count FROM sequence_jobs
                 WHERE org_id = $1 AND user_id = $2 AND finished_at >= $3 AND finished_at < $4
                 GROUP BY event_type, status ORDER BY event_type, status")
            .bind(org).bind(user).bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// The rep's proposals opened in `[from, to)`, with how often.
    pub async fn proposals_viewed_between(
        &self,
        org: &OrgId,
        user: &UserId,
        from: i64,
        to: i64,
    ) -> Result<Vec<ViewedProposal>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT p.id, p.title, d.name AS deal_name, COUNT(v.id) AS views,
                     MIN(v.viewed_at) AS first_viewed_at
                 FROM proposal_views v
                 JOIN proposals p ON p.org_id = v.org_id AND p.id = v.proposal_id
                 LEFT JOIN deals d ON d.org_id = p.org_id AND d.id = p.deal_id
                 WHERE v.org_id = $1 AND p.user_id = $2 AND v.viewed_at >= $3 AND v.viewed_at < $4
                 GROUP BY p.id, p.title, d.name ORDER BY MIN(v.viewed_at), p.id")
            .bind(org).bind(user).bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// The newest composed brief in `org` (of `user` when given): the
    /// output of the `morning_brief` job's `skill` step.
    pub async fn latest_brief(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        skill: &str,
    ) -> Result<Option<LatestBrief>, StoreError> {
        self.latest_composed(org, user, "morning_brief", skill)
            .await
    }

    /// The completed outputs of `skill` in `user`'s `event_type` jobs
    /// created at or after `since`, newest first, at most `limit`: the
    /// pre-meeting briefings still worth showing.
    pub async fn recent_composed(
        &self,
        org: &OrgId,
        user: &UserId,
        event_type: &str,
        skill: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<LatestBrief>, StoreError> {
        let rows: Vec<LatestRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT j.id, j.user_id, j.created_at, r.output FROM sequence_jobs j
                 JOIN step_runs r ON r.org_id = j.org_id AND r.job_id = j.id
                 WHERE j.org_id = $1 AND j.user_id = $2 AND j.event_type = $3
                   AND r.skill_name = $4 AND r.status = 'completed' AND j.created_at >= $5
                 ORDER BY j.created_at DESC, j.id DESC LIMIT $6")
            .bind(org).bind(user).bind(event_type).bind(skill).bind(since).bind(limit)
            .fetch_all(pool).await)?;
        rows.into_iter().map(LatestRow::into_brief).collect()
    }

    /// The newest completed output of `skill` in an `event_type` job of
    /// `org` (of `user` when given): a composed brief or digest.
    pub async fn latest_composed(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        event_type: &str,
        skill: &str,
    ) -> Result<Option<LatestBrief>, StoreError> {
        let row: Option<LatestRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT j.id, j.user_id, j.created_at, r.output FROM sequence_jobs j
                 JOIN step_runs r ON r.org_id = j.org_id AND r.job_id = j.id
                 WHERE j.org_id = $1 AND ($2 IS NULL OR j.user_id = $2)
                   AND j.event_type = $4 AND r.skill_name = $3 AND r.status = 'completed'
                 ORDER BY j.created_at DESC, j.id DESC LIMIT 1")
            .bind(org).bind(user).bind(skill).bind(event_type).fetch_optional(pool).await)?;
        row.map(LatestRow::into_brief).transpose()
    }
}
