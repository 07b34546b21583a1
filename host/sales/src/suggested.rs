//! What a gate of the sales app suggested, as far as a "Not right" can
//! name its labels: a detection in a meeting (the nine intent labels, any
//! number, possibly none) or an inbound email (one of the eight email
//! labels); and where the case's words are found for `baton eval export`
//! ([`suggested`]). This file reads transcript and email text from jobs:
//! it hands it to the caller and never logs it.

use baton_engine::orchestrator::Labels;
use baton_store::{Job, JobId, OrgId, Store, StoreError};
use baton_types::labels::{EMAIL_LABELS, INTENT_LABELS};
use serde_json::Value;

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
        // An erased call's words are gone: nothing to suggest from, nor
        // to export.
        if crate::transcripts::erased(store, org, &job.payload).await?
            || match &parent {
                Some(p) => crate::transcripts::erased(store, org, &p.payload).await?,
                None => false,
            }
        {
            return Ok(Suggested::Other);
        }
        let parent = match parent {
            Some(mut p) if p.event_type == "meeting_ended" => {
                let payload = std::mem::take(&mut p.payload);
                p.payload = crate::transcripts::restored(store, org, payload).await?;
                Some(p)
            }
            other => other,
        };
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

/// The labels a correction of a `kind` suggestion may name.
pub fn labels(kind: SuggestedKind) -> Option<Labels> {
    match kind {
        SuggestedKind::Intent => Some(Labels {
            vocabulary: &INTENT_LABELS,
            one: false,
            a_label: "an intent label",
            a_case: "a detection",
        }),
        SuggestedKind::Email => Some(Labels {
            vocabulary: &EMAIL_LABELS,
            one: true,
            a_label: "an email label",
            a_case: "an email",
        }),
        SuggestedKind::Other => None,
    }
}
