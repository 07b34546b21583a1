//! Coaching: the rep's coaching preference, one `coaching_analyses` row per
//! analysed meeting (written only by a job's checkpoint, see
//! `checkpoint.rs`, from what `sales::coaching` read out of the
//! `coaching-analysis` step), and the reads the weekly digest makes: a
//! rep's analyses in a window, the outcome of the deals they touched, and
//! how soon each meeting's follow-up went out. Every query is scoped to one
//! org and one rep; quotes stay in `detail` and never reach a log.

use baton_store::{JobId, OrgId, Store, StoreError, UserId, new_id, on_pool};
use baton_store::{Param, Row};
use serde::Serialize;

pub use baton_types::coaching::Coaching;

/// One meeting's analysis, as the checkpoint writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCoachingAnalysis {
    /// The event's `meeting_id`.
    pub meeting_id: String,
    pub deal_id: Option<String>,
    pub contact_id: Option<String>,
    /// The deal by name, when the event names it so (as the contact tier
    /// reads it), for a meeting without a `deal_id`.
    pub deal_name: Option<String>,
    /// The contact by address, for a meeting without a `contact_id`.
    pub contact_email: Option<String>,
    pub title: Option<String>,
    /// When the meeting ended (unix ms), when the source said.
    pub ended_at: Option<i64>,
    /// `timestamps` or `word_counts`.
    pub method: String,
    pub rep_share: Option<f64>,
    pub questions: i64,
    pub discovery_questions: i64,
    pub longest_monologue_ms: Option<i64>,
    pub unanswered: i64,
    pub objections: i64,
    pub objections_answered_with_evidence: i64,
    pub current_process_at_ms: Option<i64>,
    /// The whole analysis (the skill's output data), as JSON text.
    pub detail: String,
}

/// A stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CoachingAnalysis {
    pub id: String,
    pub user_id: UserId,
    pub meeting_id: String,
    pub job_id: String,
    pub deal_id: Option<String>,
    pub contact_id: Option<String>,
    pub title: Option<String>,
    pub analysed_at: i64,
    pub ended_at: Option<i64>,
    pub method: String,
    pub rep_share: Option<f64>,
    pub questions: i64,
    pub discovery_questions: i64,
    pub longest_monologue_ms: Option<i64>,
    pub unanswered: i64,
    pub objections: i64,
    pub objections_answered_with_evidence: i64,
    pub current_process_at_ms: Option<i64>,
    /// The analysis as JSON text (quotes: never logged).
    #[serde(skip)]
    pub detail: String,
}

/// A deal the rep's analysed meetings were about, with how it went.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CoachedDeal {
    pub deal_id: String,
    pub name: String,
    pub stage: String,
    /// Its newest activity (unix ms), if any.
    pub last_activity_at: Option<i64>,
    /// Its newest analysed meeting's end (unix ms), if any.
    pub last_meeting_at: Option<i64>,
    /// `current_process_at_ms` of the deal's first analysed meeting.
    pub first_process_at_ms: Option<i64>,
}

/// A meeting's end and its follow-up email's first delivery.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FollowUpTiming {
    pub meeting_id: String,
    /// When the meeting ended, or else when its job was created (unix ms).
    pub ended_at: i64,
    /// The first delivered `email_send` of the meeting's job.
    pub sent_at: Option<i64>,
    /// ... of a job it queued.
    pub child_sent_at: Option<i64>,
}

impl FollowUpTiming {
    /// The first follow-up email delivered, by the job or a job it queued.
    pub fn first_sent(&self) -> Option<i64> {
        match (self.sent_at, self.child_sent_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Upsert one analysis (inside a checkpoint's transaction): a meeting
/// analysed again keeps its row and takes the newer figures. The deal and
/// contact are the event's ids, else the synced meeting's, else the deal
/// by name and the contact by address the event gave ($21, $22).
const UPSERT_ANALYSIS: &str = "INSERT INTO coaching_analyses (id, org_id, user_id, meeting_id, job_id,
        deal_id, contact_id, title, analysed_at, ended_at, method, rep_share, questions, discovery_questions,
        longest_monologue_ms, unanswered, objections, objections_answered_with_evidence,
        current_process_at_ms, detail)
     VALUES ($1, $2, $3, $4, $5,
        COALESCE($6, (SELECT m.deal_id FROM meetings m WHERE m.org_id = $2 AND m.external_id = $4 LIMIT 1),
                 (SELECT d.id FROM deals d WHERE d.org_id = $2 AND d.name = $21 ORDER BY d.id LIMIT 1)),
        COALESCE($7, (SELECT m.contact_id FROM meetings m WHERE m.org_id = $2 AND m.external_id = $4 LIMIT 1),
                 (SELECT c.id FROM contacts c WHERE c.org_id = $2 AND lower(c.email) = lower($22) ORDER BY c.id LIMIT 1)),
        $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (org_id, meeting_id) DO UPDATE SET job_id = excluded.job_id, deal_id = excluded.deal_id,
        contact_id = excluded.contact_id, title = excluded.title, analysed_at = excluded.analysed_at,
        ended_at = excluded.ended_at, method = excluded.method, rep_share = excluded.rep_share,
        questions = excluded.questions, discovery_questions = excluded.discovery_questions,
        longest_monologue_ms = excluded.longest_monologue_ms, unanswered = excluded.unanswered,
        objections = excluded.objections,
        objections_answered_with_evidence = excluded.objections_answered_with_evidence,
        current_process_at_ms = excluded.current_process_at_ms, detail = excluded.detail";

/// The row that keeps analysis `c`, made by job `job` of `user` in `org`,
/// written with the job's checkpoint at `now`.
pub fn analysis_row(
    org: &OrgId,
    user: &UserId,
    job: &JobId,
    now: i64,
    c: &NewCoachingAnalysis,
) -> Row {
    let values: Vec<Param> = vec![
        new_id().into(),
        org.as_str().into(),
        user.as_str().into(),
        c.meeting_id.as_str().into(),
        job.as_str().into(),
        c.deal_id.clone().into(),
        c.contact_id.clone().into(),
        c.title.clone().into(),
        now.into(),
        c.ended_at.into(),
        c.method.as_str().into(),
        c.rep_share.into(),
        c.questions.into(),
        c.discovery_questions.into(),
        c.longest_monologue_ms.into(),
        c.unanswered.into(),
        c.objections.into(),
        c.objections_answered_with_evidence.into(),
        c.current_process_at_ms.into(),
        c.detail.as_str().into(),
        c.deal_name.clone().into(),
        c.contact_email.clone().into(),
    ];
    Row {
        statement: UPSERT_ANALYSIS,
        values,
    }
}

const COLUMNS: &str =
    "id, user_id, meeting_id, job_id, deal_id, contact_id, title, analysed_at, ended_at,
    method, rep_share, questions, discovery_questions, longest_monologue_ms, unanswered, objections,
    objections_answered_with_evidence, current_process_at_ms, detail";

#[easy_ext::ext(CoachingTables)]
impl Store {
    /// The rep's analyses of meetings that ended (or, without an end, were
    /// analysed) in `[from, to)`, oldest first.
    pub async fn coaching_analyses(
        &self,
        org: &OrgId,
        user: &UserId,
        from: i64,
        to: i64,
    ) -> Result<Vec<CoachingAnalysis>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM coaching_analyses
             WHERE org_id = $1 AND user_id = $2 AND COALESCE(ended_at, analysed_at) >= $3
               AND COALESCE(ended_at, analysed_at) < $4
             ORDER BY COALESCE(ended_at, analysed_at), id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(user).bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// The analysis of meeting `meeting_id` (the event's id).
    pub async fn coaching_analysis(
        &self,
        org: &OrgId,
        meeting_id: &str,
    ) -> Result<Option<CoachingAnalysis>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM coaching_analyses WHERE org_id = $1 AND meeting_id = $2"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(meeting_id).fetch_optional(pool).await)?)
    }

    /// The rep's newest analyses (the inbox's coaching panel), at most `limit`.
    pub async fn latest_coaching(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        limit: i64,
    ) -> Result<Vec<CoachingAnalysis>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM coaching_analyses
             WHERE org_id = $1 AND ($2 IS NULL OR user_id = $2)
             ORDER BY analysed_at DESC, id DESC LIMIT $3"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(user).bind(limit).fetch_all(pool).await)?)
    }

    /// The deals of the rep's meetings analysed since `since`, with their
    /// stage, newest activity and the first analysed meeting's
    /// `current_process_at_ms`.
    pub async fn coached_deals(
        &self,
        org: &OrgId,
        user: &UserId,
        since: i64,
    ) -> Result<Vec<CoachedDeal>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT d.id AS deal_id, d.name, d.stage,
                    (SELECT MAX(a.occurred_at) FROM activities a
                      WHERE a.org_id = d.org_id AND a.deal_id = d.id) AS last_activity_at,
                    (SELECT MAX(COALESCE(c.ended_at, c.analysed_at)) FROM coaching_analyses c
                      WHERE c.org_id = d.org_id AND c.deal_id = d.id) AS last_meeting_at,
                    (SELECT c.current_process_at_ms FROM coaching_analyses c
                      WHERE c.org_id = d.org_id AND c.user_id = $2 AND c.deal_id = d.id
                      ORDER BY COALESCE(c.ended_at, c.analysed_at), c.id LIMIT 1) AS first_process_at_ms
                 FROM deals d
                 WHERE d.org_id = $1 AND d.id IN (
                     SELECT c.deal_id FROM coaching_analyses c
                     WHERE c.org_id = $1 AND c.user_id = $2 AND c.deal_id IS NOT NULL
                       AND COALESCE(c.ended_at, c.analysed_at) >= $3)
                 ORDER BY d.name, d.id")
            .bind(org).bind(user).bind(since).fetch_all(pool).await)?)
    }

    /// For the rep's meetings that ended in `[from, to)`: when each ended
    /// and when its follow-up email was first delivered (by its job or a
    /// job it queued).
    pub async fn follow_up_timings(
        &self,
        org: &OrgId,
        user: &UserId,
        from: i64,
        to: i64,
    ) -> Result<Vec<FollowUpTiming>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT c.meeting_id, COALESCE(c.ended_at, j.created_at) AS ended_at,
                    (SELECT MIN(o.delivered_at) FROM outbox o
                      WHERE o.org_id = j.org_id AND o.job_id = j.id AND o.kind = 'email_send'
                        AND o.status = 'delivered') AS sent_at,
                    (SELECT MIN(o.delivered_at) FROM outbox o JOIN sequence_jobs k
                         ON k.org_id = o.org_id AND k.id = o.job_id
                      WHERE k.org_id = j.org_id AND k.parent_job_id = j.id AND o.kind = 'email_send'
                        AND o.status = 'delivered') AS child_sent_at
                 FROM coaching_analyses c
                 JOIN sequence_jobs j ON j.org_id = c.org_id AND j.id = c.job_id
                 WHERE c.org_id = $1 AND c.user_id = $2
                   AND COALESCE(c.ended_at, j.created_at) >= $3 AND COALESCE(c.ended_at, j.created_at) < $4
                 ORDER BY 2, c.meeting_id")
            .bind(org).bind(user).bind(from).bind(to).fetch_all(pool).await)?)
    }
}
