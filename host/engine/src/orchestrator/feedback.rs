//! "Not right" on a gate: a skip that records why. What a gate suggested
//! decides which labels a correction may name — a detection in a meeting
//! (the nine intent labels, any number, possibly none) or an inbound email
//! (one of the eight email labels) — and where the case's words are found
//! for `baton eval export` ([`suggested`]). This file reads transcript and
//! email text from jobs: it hands it to the caller and never logs it.

use super::approvals::{Decider, MAX_NOTE, decide, gate_for};
use super::conductor::{Orchestrator, OrchestratorError};
use crate::runtime::Decision;
use crate::store::{
    FeedbackReason, FeedbackRecord, GateId, GateStatus, Job, JobId, OrgId, PendingAction, Store,
    StoreError,
};
use baton_types::labels::{EMAIL_LABELS, INTENT_LABELS};
use serde_json::Value;

/// What a rep said was wrong with a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub reason: FeedbackReason,
    /// The labels it should have had: `Some(vec![])` is "none of them",
    /// `None` is "not said". Only with [`FeedbackReason::WrongIntent`].
    pub labels: Option<Vec<String>>,
    /// Free text, at most [`MAX_NOTE`] characters.
    pub note: Option<String>,
}

/// What a gate suggested, as far as a correction can name its labels.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggested {
    /// A detection in a meeting transcript queued the gate's job: the
    /// utterance that triggered it, and who said it (as the transcript names the speaker),
    /// where the job or its meeting still holds them.
    Intent {
        label: Option<String>,
        speaker: Option<String>,
        text: Option<String>,
    },
    /// An inbound email: the gate's own job, or the job it queued.
    Email {
        from: String,
        subject: String,
        body: String,
    },
    /// Anything else (a follow-up email after a meeting, a daily digest, …): it
    /// takes a reason and a note, no labels.
    Other,
}

impl Suggested {
    /// Which vocabulary a correction uses.
    pub fn kind(&self) -> SuggestedKind {
        match self {
            Suggested::Intent { .. } => SuggestedKind::Intent,
            Suggested::Email { .. } => SuggestedKind::Email,
            Suggested::Other => SuggestedKind::Other,
        }
    }
}

/// [`Suggested`] without its text: what the inbox needs to draw the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestedKind {
    Intent,
    Email,
    Other,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn email_of(payload: &Value) -> Suggested {
    let field = |k: &str| text(payload, k).unwrap_or_default();
    Suggested::Email {
        from: field("from"),
        subject: field("subject"),
        body: field("body"),
    }
}

/// What a gate of job `job` (of `org`) suggests, from what the job was
/// made from: a `detect-intents` follow-up (its payload names the
/// utterance; the speaker and words come from the payload, else from the
/// parent meeting's transcript), an `email_received` job, or a job an
/// inbound email queued.
pub async fn suggested(store: &Store, org: &OrgId, job: &JobId) -> Result<Suggested, StoreError> {
    let Some(job) = store.job(org, job).await? else {
        return Ok(Suggested::Other);
    };
    if job.event_type == "email_received" {
        return Ok(email_of(&job.payload));
    }
    let parent = match &job.parent_job_id {
        Some(id) => store.job(org, id).await?,
        None => None,
    };
    if let Some(i) = job.payload.get("utterance").and_then(Value::as_u64) {
        return Ok(intent_of(&job, parent.as_ref(), i as usize));
    }
    match parent {
        Some(p)
            if p.event_type == "email_received"
                && text(&job.payload, "source").as_deref() == Some("email") =>
        {
            Ok(email_of(&p.payload))
        }
        _ => Ok(Suggested::Other),
    }
}

fn intent_of(job: &Job, parent: Option<&Job>, i: usize) -> Suggested {
    let said = parent
        .filter(|p| p.event_type == "meeting_ended")
        .and_then(|p| p.payload.get("utterances"))
        .and_then(|u| u.get(i));
    Suggested::Intent {
        label: text(&job.payload, "label"),
        speaker: text(&job.payload, "speaker").or_else(|| said.and_then(|u| text(u, "speaker"))),
        text: text(&job.payload, "request").or_else(|| said.and_then(|u| text(u, "text"))),
    }
}

/// Check `feedback` against what the gate suggested: labels only with
/// `wrong_intent`, each from the gate's vocabulary (intent labels, any
/// number, put in the labelling table's order; one email label); a note
/// within [`MAX_NOTE`]. Returns the labels as they are stored.
fn check(
    gate: &PendingAction,
    suggested: SuggestedKind,
    feedback: &Feedback,
) -> Result<Option<Vec<String>>, OrchestratorError> {
    let bad = |m: String| Err(OrchestratorError::Invalid(m));
    if let Some(note) = &feedback.note
        && note.chars().count() > MAX_NOTE
    {
        return bad(format!("the note is longer than {MAX_NOTE} characters"));
    }
    let Some(labels) = &feedback.labels else {
        return Ok(None);
    };
    if feedback.reason != FeedbackReason::WrongIntent {
        return bad(format!(
            "labels go with the reason `wrong_intent`, not `{}`: they say what the suggestion should have been",
            feedback.reason
        ));
    }
    match suggested {
        SuggestedKind::Other => bad(format!(
            "approval {} did not come from a detected intent or an inbound email: it takes a reason and a note, no labels",
            gate.id
        )),
        SuggestedKind::Intent => {
            if let Some(l) = labels.iter().find(|l| !INTENT_LABELS.contains(&l.as_str())) {
                return bad(format!(
                    "`{}` is not an intent label: use any of {} (or none)",
                    l.escape_debug(),
                    INTENT_LABELS.join(", ")
                ));
            }
            // The labelling table's order, each once.
            Ok(Some(
                INTENT_LABELS
                    .iter()
                    .filter(|l| labels.iter().any(|x| x == *l))
                    .map(|l| (*l).to_owned())
                    .collect(),
            ))
        }
        SuggestedKind::Email => match labels.as_slice() {
            [one] if EMAIL_LABELS.contains(&one.as_str()) => Ok(Some(labels.clone())),
            [one] => bad(format!(
                "`{}` is not an email label: use one of {}",
                one.escape_debug(),
                EMAIL_LABELS.join(", ")
            )),
            _ => bad(format!(
                "an email has exactly one label; {} were given",
                labels.len()
            )),
        },
    }
}

impl Orchestrator {
    /// Mark gate `id` of `org` "Not right": skip it (the suggestion is not
    /// carried out) and record `feedback` with the decision, once. Refused
    /// like any decision on a gate that is not open; labels that do not fit
    /// the gate are refused naming them.
    pub async fn mark_not_right(
        &self,
        org: &OrgId,
        id: &GateId,
        feedback: &Feedback,
        who: &Decider,
    ) -> Result<PendingAction, OrchestratorError> {
        let gate = gate_for(&self.store, org, id, who).await?;
        // A gate that is not open is refused as decided, whatever the
        // feedback says.
        let labels = if gate.status == GateStatus::Open {
            let kind = suggested(&self.store, org, &gate.job_id).await?.kind();
            check(&gate, kind, feedback)?
        } else {
            None
        };
        let record = FeedbackRecord {
            reason: feedback.reason,
            labels: labels.as_deref(),
            note: feedback.note.as_deref(),
        };
        let decided = decide(
            self,
            self.clock.now_ms(),
            org,
            id,
            Decision::Skipped,
            who,
            Some(record),
        )
        .await?;
        self.to_run.notify_one();
        Ok(decided)
    }
}
