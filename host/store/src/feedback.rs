//! Feedback on gates: a "Not right" is a skip plus why (a reason, the
//! labels the suggestion should have had, a note). It is written with the
//! decision, in the decision's transaction ([`super::approvals`]), once per
//! gate; here it is read back, for the gate's page and for
//! `baton eval export`. Every query is scoped to an org.

use super::text::storable_opt;
use super::{GateId, JobId, OrgId, Store, StoreError, on_pool};
use crate::text_enum;
use serde::Serialize;

/// Among the labels a person ticks to correct a suggestion, the choice
/// that says "none of them" (alone).
pub const NONE_OF_THEM: &str = "none";

text_enum!(
    /// Why a rep marked a suggestion "Not right".
    FeedbackReason, "feedback reason" {
        /// The detection or classification was wrong (labels may say
        /// what it should have been).
        WrongIntent => "wrong_intent",
        /// The suggestion was for, or went to, the wrong person.
        WrongPerson => "wrong_person",
        /// Right idea, wrong moment.
        WrongTiming => "wrong_timing",
        /// The draft itself was poor.
        BadDraft => "bad_draft",
        Other => "other",
    }
);

impl FeedbackReason {
    /// Read the wire form; the error names the word and the choices.
    pub fn from_wire(s: &str) -> Result<FeedbackReason, String> {
        FeedbackReason::parse(s).map_err(|_| {
            let all: Vec<&str> = FeedbackReason::ALL.iter().map(|r| r.as_str()).collect();
            format!(
                "`{}` is not a reason: use {}",
                s.escape_debug(),
                all.join(", ")
            )
        })
    }

    /// How a person reads it (the Slack menu, the inbox form).
    pub fn describe(self) -> &'static str {
        match self {
            FeedbackReason::WrongIntent => "Wrong intent or label",
            FeedbackReason::WrongPerson => "Wrong person",
            FeedbackReason::WrongTiming => "Wrong timing",
            FeedbackReason::BadDraft => "Bad draft",
            FeedbackReason::Other => "Something else",
        }
    }
}

/// Feedback to write with a skip (see [`super::DecisionRecord`]).
#[derive(Debug, Clone, Copy)]
pub struct FeedbackRecord<'a> {
    pub reason: FeedbackReason,
    /// The labels the suggestion should have had, checked against the
    /// gate's vocabulary; `Some(&[])` is "none", `None` is "not said".
    pub labels: Option<&'a [String]>,
    pub note: Option<&'a str>,
}

/// Feedback as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateFeedback {
    pub gate_id: GateId,
    pub reason: FeedbackReason,
    pub labels: Option<Vec<String>>,
    pub note: Option<String>,
    pub created_at: i64,
}

/// Feedback with the job its gate belongs to (what the export reads).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackCase {
    pub feedback: GateFeedback,
    pub job_id: JobId,
}

#[derive(sqlx::FromRow)]
struct Row {
    gate_id: GateId,
    reason: String,
    labels: Option<String>,
    note: Option<String>,
    created_at: i64,
}

impl Row {
    fn into_feedback(self) -> Result<GateFeedback, StoreError> {
        let labels = match &self.labels {
            Some(text) => Some(serde_json::from_str(text).map_err(StoreError::json(format!(
                "feedback on {} labels",
                self.gate_id
            )))?),
            None => None,
        };
        Ok(GateFeedback {
            reason: FeedbackReason::parse(&self.reason)?,
            gate_id: self.gate_id,
            labels,
            note: self.note,
            created_at: self.created_at,
        })
    }
}

/// The statement that writes a gate's feedback, run inside the decision's
/// transaction: gate, org, reason, [`labels_text`], [`note_text`], time.
pub(super) const INSERT: &str =
    "INSERT INTO gate_feedback (gate_id, org_id, reason, labels, note, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// The labels column's text.
pub(super) fn labels_text(f: &FeedbackRecord<'_>) -> Option<String> {
    f.labels
        .map(|l| serde_json::Value::from(l.to_vec()).to_string())
}

/// The note column's text.
pub(super) fn note_text<'a>(f: &FeedbackRecord<'a>) -> Option<std::borrow::Cow<'a, str>> {
    storable_opt(f.note)
}

impl Store {
    /// The feedback given on gate `gate` of `org`, if any.
    pub async fn gate_feedback(
        &self,
        org: &OrgId,
        gate: &GateId,
    ) -> Result<Option<GateFeedback>, StoreError> {
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
                "SELECT gate_id, reason, labels, note, created_at FROM gate_feedback
                 WHERE org_id = $1 AND gate_id = $2")
            .bind(org).bind(gate).fetch_optional(pool).await)?;
        row.map(Row::into_feedback).transpose()
    }

    /// The feedback `org`'s reps gave at or after `since` (unix ms), oldest
    /// first, each with its gate's job.
    pub async fn feedback_since(
        &self,
        org: &OrgId,
        since: i64,
    ) -> Result<Vec<FeedbackCase>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct CaseRow {
            #[sqlx(flatten)]
            row: Row,
            job_id: JobId,
        }
        let rows: Vec<CaseRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT f.gate_id, f.reason, f.labels, f.note, f.created_at, p.job_id
                 FROM gate_feedback f JOIN pending_actions p ON p.org_id = f.org_id AND p.id = f.gate_id
                 WHERE f.org_id = $1 AND f.created_at >= $2
                 ORDER BY f.created_at, f.gate_id")
            .bind(org).bind(since).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(FeedbackCase {
                    feedback: r.row.into_feedback()?,
                    job_id: r.job_id,
                })
            })
            .collect()
    }
}
