//! The reads behind the live success metrics (the service's `success` metrics): the gates
//! of an org answered or expired since a time, with the facts that name
//! their skill and label; the org's meetings and when their follow-up went
//! out; pre-meeting briefs and when they reached the rep; scheduling
//! requests and whether they got anywhere. Read-only, every query scoped to
//! one org. JSON fields are read in SQL (one expression per backend, in
//! [`Store::json_text`]) so transcripts and drafts never leave the database
//! for a count; only an edited gate's draft and edit are read, to measure
//! the edit.

use baton_store::reach::team_filter;
use baton_store::{Backend, OrgId, Reach, Store, StoreError, on_pool};

/// The notification kind that records a pre-meeting briefing shown in
/// the rep's inbox (`web/inbox/upcoming.rs`): it counts as delivered.
pub const BRIEF_SHOWN: &str = "brief_shown";

/// A gate answered or expired, with what names its skill and label.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FinishedGate {
    /// `decided`, `expired` or `superseded`.
    pub status: String,
    /// The decision's tag (`approved`, `edited`, `skipped`, …) when decided.
    pub decision: Option<String>,
    /// The decision's value when it is a list of items kept (`per_item`).
    pub kept: Option<String>,
    /// When it was answered, or when it expired (unix ms).
    pub decided_at: i64,
    /// The skill of the step that raised the gate.
    pub skill: Option<String>,
    /// The kind of the gate's first proposed action, when it shows one.
    pub action_kind: Option<String>,
    /// The event type of the gate's job.
    pub event_type: String,
    /// The `label` of the job's event payload, for a job queued by another
    /// (a detection's follow-up).
    pub chained_label: Option<String>,
    /// The classifier's intent for the email the job (or its parent)
    /// handles.
    pub email_intent: Option<String>,
    /// For an edited gate only: its body (the draft) and the edit, to
    /// measure how far the edit moved it. Never kept or logged.
    pub draft: Option<String>,
    pub edit: Option<String>,
}

/// A meeting that ended (a `meeting_ended` job) and when its follow-up
/// email went out.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MeetingFollowUp {
    /// When the job was created (unix ms).
    pub created_at: i64,
    /// The event's `ended_at` (RFC 3339), when the source said.
    pub ended_at: Option<String>,
    /// The first delivery of an email of the job.
    pub sent_at: Option<i64>,
    /// The first delivery of an email of a job it queued.
    pub child_sent_at: Option<i64>,
    /// The first delivery of a CRM update of the job.
    pub crm_updated_at: Option<i64>,
}

impl MeetingFollowUp {
    /// The first delivery of an email of the job or of its follow-up jobs.
    pub fn first_sent(&self) -> Option<i64> {
        match (self.sent_at, self.child_sent_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A pre-meeting brief (a `pre_meeting_90min` job).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MeetingBrief {
    pub created_at: i64,
    /// The event's `starts_at` (RFC 3339), when it has one.
    pub starts_at: Option<String>,
    /// The meeting's start as the calendar has it (unix ms), when the
    /// event's `meeting_id` names a synced meeting.
    pub meeting_starts_at: Option<i64>,
    /// The first delivery of the job's Slack post.
    pub delivered_at: Option<i64>,
}

/// A stale deal's revival (a `stale_deal_revival` job) and whether its
/// email went out.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Revival {
    pub created_at: i64,
    /// The first delivery of the job's email.
    pub sent_at: Option<i64>,
}

/// A scheduling request (a `calendar_find_times` job).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SchedulingRequest {
    pub created_at: i64,
    /// The job's status.
    pub status: String,
    /// Whether it reached a gate (the times proposed to the rep).
    pub gated: i64,
}

/// SQL for the text at `path` inside the JSON text column `column`
/// (object keys, or array indexes as digits); NULL when absent.
fn json_text(store: &Store, column: &str, path: &[&str]) -> String {
    match store.backend() {
        Backend::Sqlite => {
            let mut p = String::from("$");
            for seg in path {
                if seg.bytes().all(|b| b.is_ascii_digit()) {
                    p.push_str(&format!("[{seg}]"));
                } else {
                    p.push_str(&format!(".{seg}"));
                }
            }
            // Text whatever the JSON holds there (a number, a list), so
            // an odd payload reads as text rather than failing to decode.
            format!("CAST(json_extract({column}, '{p}') AS TEXT)")
        }
        Backend::Postgres => format!("(({column})::json #>> '{{{}}}')", path.join(",")),
    }
}

#[easy_ext::ext(SuccessTables)]
impl Store {
    /// `org`'s last computed success figures (JSON) and when they were
    /// computed.
    pub async fn success_snapshot(&self, org: &OrgId) -> Result<Option<(String, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT summary, computed_at FROM success_snapshots WHERE org_id = $1")
            .bind(org).fetch_optional(pool).await)?)
    }

    /// Claim the recomputing of `org`'s figures until `until`, unless
    /// another replica holds an unexpired claim; whether this one got it.
    pub async fn claim_success_snapshot(
        &self,
        org: &OrgId,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let claimed = on_pool!(self, pool => sqlx::query(
                "INSERT INTO success_snapshots (org_id, summary, computed_at, claimed_until)
                 VALUES ($1, '', 0, $3)
                 ON CONFLICT (org_id) DO UPDATE SET claimed_until = excluded.claimed_until
                 WHERE success_snapshots.claimed_until <= $2")
            .bind(org).bind(now).bind(until)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(claimed == 1)
    }

    /// Keep `org`'s figures computed at `now` and let the claim go.
    pub async fn put_success_snapshot(
        &self,
        org: &OrgId,
        summary: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE success_snapshots SET summary = $2, computed_at = $3, claimed_until = 0
                 WHERE org_id = $1")
            .bind(org).bind(summary).bind(now)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// The gates of `org` answered, expired or withdrawn as superseded at
    /// or after `since`;
    /// `classifier` is the skill whose output's `data.intent` labels an
    /// email.
    pub async fn finished_gates(
        &self,
        org: &OrgId,
        reach: &Reach,
        since: i64,
        classifier: &str,
    ) -> Result<Vec<FinishedGate>, StoreError> {
        let mine = team_filter("p.user_id", "$4");
        let tag = json_text(self, "p.decision", &["decision"]);
        let value = json_text(self, "p.decision", &["value"]);
        let kind = json_text(self, "p.body", &["actions", "0", "kind"]);
        let label = json_text(self, "j.payload", &["label"]);
        let intent = json_text(self, "r.output", &["data", "intent"]);
        let sql = format!(
            "SELECT p.status, {tag} AS decision,
                CASE WHEN {tag} = 'per_item' THEN {value} END AS kept,
                p.decided_at,
                CASE WHEN {tag} = 'edited' THEN p.body END AS draft,
                CASE WHEN {tag} = 'edited' THEN {value} END AS edit,
                (SELECT s.skill_name FROM step_runs s
                  WHERE s.org_id = p.org_id AND s.job_id = p.job_id AND s.step_index = p.step_index
                  ORDER BY s.attempt DESC LIMIT 1) AS skill,
                {kind} AS action_kind, j.event_type,
                CASE WHEN j.parent_job_id IS NOT NULL THEN {label} END AS chained_label,
                COALESCE(
                  CASE WHEN j.event_type = 'email_received' THEN
                    (SELECT MAX({intent}) FROM step_runs r
                      WHERE r.org_id = j.org_id AND r.job_id = j.id AND r.skill_name = $3
                        AND r.status = 'completed') END,
                  CASE WHEN par.event_type = 'email_received' THEN
                    (SELECT MAX({intent}) FROM step_runs r
                      WHERE r.org_id = par.org_id AND r.job_id = par.id AND r.skill_name = $3
                        AND r.status = 'completed') END) AS email_intent
             FROM pending_actions p
             JOIN sequence_jobs j ON j.org_id = p.org_id AND j.id = p.job_id
             LEFT JOIN sequence_jobs par ON par.org_id = j.org_id AND par.id = j.parent_job_id
             WHERE p.org_id = $1 AND p.status IN ('decided', 'expired', 'superseded') AND p.decided_at >= $2
               AND {mine}
             ORDER BY p.decided_at, p.id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(since).bind(classifier).bind(reach.head()).fetch_all(pool).await)?)
    }

    /// The `meeting_ended` jobs of `org` created at or after `since`, each
    /// with the first delivery of an `email_send` of the job or of a job it
    /// queued.
    pub async fn meeting_follow_ups(
        &self,
        org: &OrgId,
        reach: &Reach,
        since: i64,
    ) -> Result<Vec<MeetingFollowUp>, StoreError> {
        let ended = json_text(self, "j.payload", &["ended_at"]);
        let mine = team_filter("j.user_id", "$3");
        let sql = format!(
            "SELECT j.created_at, {ended} AS ended_at,
                (SELECT MIN(o.delivered_at) FROM outbox o
                  WHERE o.org_id = j.org_id AND o.job_id = j.id AND o.kind = 'email_send'
                    AND o.status = 'delivered') AS sent_at,
                (SELECT MIN((SELECT MIN(o.delivered_at) FROM outbox o
                              WHERE o.org_id = c.org_id AND o.job_id = c.id AND o.kind = 'email_send'
                                AND o.status = 'delivered'))
                  FROM sequence_jobs c WHERE c.org_id = j.org_id AND c.parent_job_id = j.id) AS child_sent_at,
                (SELECT MIN(o.delivered_at) FROM outbox o
                  WHERE o.org_id = j.org_id AND o.job_id = j.id AND o.kind = 'crm_update'
                    AND o.status = 'delivered') AS crm_updated_at
             FROM sequence_jobs j
             WHERE j.org_id = $1 AND j.event_type = 'meeting_ended' AND j.created_at >= $2
               AND {mine}
             ORDER BY j.created_at, j.id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(since).bind(reach.head()).fetch_all(pool).await)?)
    }

    /// The `pre_meeting_90min` jobs of `org` created at or after `since`,
    /// with the meeting's start and when the rep first had the briefing:
    /// its Slack post delivered, or shown in their inbox
    /// ([`BRIEF_SHOWN`]), whichever came first.
    pub async fn meeting_briefs(
        &self,
        org: &OrgId,
        reach: &Reach,
        since: i64,
    ) -> Result<Vec<MeetingBrief>, StoreError> {
        let starts = json_text(self, "j.payload", &["starts_at"]);
        let meeting = json_text(self, "j.payload", &["meeting_id"]);
        let mine = team_filter("j.user_id", "$3");
        let sql = format!(
            "SELECT j.created_at, {starts} AS starts_at,
                COALESCE(
                  (SELECT m.starts_at FROM meetings m WHERE m.org_id = j.org_id AND m.id = {meeting}),
                  (SELECT m.starts_at FROM meetings m
                    WHERE m.org_id = j.org_id AND m.external_id = {meeting})) AS meeting_starts_at,
                (SELECT MIN(d.at) FROM (
                    SELECT o.delivered_at AS at FROM outbox o
                     WHERE o.org_id = j.org_id AND o.job_id = j.id AND o.kind = 'slack_post'
                       AND o.status = 'delivered'
                    UNION ALL
                    SELECT n.created_at AS at FROM notifications n
                     WHERE n.org_id = j.org_id AND n.job_id = j.id AND n.kind = '{BRIEF_SHOWN}') d) AS delivered_at
             FROM sequence_jobs j
             WHERE j.org_id = $1 AND j.event_type = 'pre_meeting_90min' AND j.created_at >= $2
               AND {mine}
             ORDER BY j.created_at, j.id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(since).bind(reach.head()).fetch_all(pool).await)?)
    }

    /// The `stale_deal_revival` jobs of `org` created at or after `since`,
    /// each with the first delivery of its email.
    pub async fn revivals(
        &self,
        org: &OrgId,
        reach: &Reach,
        since: i64,
    ) -> Result<Vec<Revival>, StoreError> {
        let sql = format!(
            "SELECT j.created_at,
                (SELECT MIN(o.delivered_at) FROM outbox o
                  WHERE o.org_id = j.org_id AND o.job_id = j.id AND o.kind = 'email_send'
                    AND o.status = 'delivered') AS sent_at
             FROM sequence_jobs j
             WHERE j.org_id = $1 AND j.event_type = 'stale_deal_revival' AND j.created_at >= $2
               AND {}
             ORDER BY j.created_at, j.id",
            team_filter("j.user_id", "$3")
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(since).bind(reach.head()).fetch_all(pool).await)?)
    }

    /// The `calendar_find_times` jobs of `org` created at or after `since`,
    /// with their status and whether they reached a gate.
    pub async fn scheduling_requests(
        &self,
        org: &OrgId,
        reach: &Reach,
        since: i64,
    ) -> Result<Vec<SchedulingRequest>, StoreError> {
        let sql = format!(
            "SELECT j.created_at, j.status,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM pending_actions p
                                       WHERE p.org_id = j.org_id AND p.job_id = j.id)
                     THEN 1 ELSE 0 END AS BIGINT) AS gated
             FROM sequence_jobs j
             WHERE j.org_id = $1 AND j.event_type = 'calendar_find_times' AND j.created_at >= $2
               AND {}
             ORDER BY j.created_at, j.id",
            team_filter("j.user_id", "$3")
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(since).bind(reach.head()).fetch_all(pool).await)?)
    }
}
