//! The data of the extension seam: when an app's scheduled fires are due
//! ([`Fire`], [`When`]), what a finished step shows the checkpoint hook
//! ([`Finished`]), and a gate about to open, to be named for a person
//! ([`GateDraft`]), and the rules of an action kind an app owns
//! ([`KindRules`]), and the labels a correction of an app's suggestion
//! may name ([`Labels`]), and what an app makes of a job's event before
//! its first step ([`Prepared`]), and what of a payload it stores once
//! ([`Attach`]). The seam itself,
//! [`super::conductor::Extension`], lives
//! with the [`super::conductor::Orchestrator`] it is composed into. A leaf.

use crate::address::{is_address, recipients};
use crate::runtime::LlmClient;
use crate::store::{JobId, NewSuppression, Org, OrgId, Pattern, User, UserId};
use jiff::civil::Weekday;
use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;

/// What an async hook of the seam returns.
pub type Hook<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an app makes of a new job's event before its first step runs
/// ([`super::conductor::Extension::prepare`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Prepared {
    /// Not this app's to complete: run it as it stands.
    AsItIs,
    /// Run it on this payload instead (what the event only linked to,
    /// fetched); stored with the job before any step reads it.
    Completed(Value),
    /// There is nothing to run: the job is skipped, for this reason.
    Nothing(String),
    /// The event could not be completed: the job fails, for this reason
    /// (a person reads it on the job).
    Failed(String),
}

/// What of a payload an app stores once, as an attachment, and leaves in
/// the payload by reference ([`super::conductor::Extension::attach`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Attach {
    /// The app's word for it (`transcript`): what retention and erasure
    /// select by.
    pub kind: &'static str,
    /// What it is about (a meeting's id), when the payload says.
    pub subject: Option<String>,
    /// The payload's fields moved into the attachment, as one object.
    pub fields: &'static [&'static str],
    /// The payload's field that gets the attachment's id.
    pub id_field: &'static str,
}

/// When a scheduled fire is due, in the user's local time.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// Every day at the minute after midnight that this app's preferences
    /// of the user give under this key (say, a time each user chooses).
    Preference(&'static str),
    /// Every day at this minute after midnight.
    Daily(i16),
    /// Every week on this day at this minute.
    Weekly(Weekday, i16),
}

/// One event an extension fires on each user's local schedule. The engine
/// claims it once per user and local date (a restart or a second replica
/// never fires it twice) and skips it when no sequence handles the event.
#[derive(Debug, Clone, Copy)]
pub struct Fire {
    pub event: &'static str,
    pub when: When,
}

/// A step that finished, as the checkpoint hook sees it.
pub struct Finished<'a> {
    pub org_id: &'a OrgId,
    pub user_id: &'a UserId,
    pub job_id: &'a JobId,
    /// The job's event type and payload.
    pub event_type: &'a str,
    pub payload: &'a Value,
    /// The skill that ran and its output's data.
    pub skill: &'a str,
    pub data: &'a Value,
    /// When the checkpoint is written.
    pub now: i64,
}

/// A gate about to open, as the words hook sees it (what a person will
/// read is its title) and the basis hook (what its suggestion was based
/// on).
pub struct GateDraft<'a> {
    /// The gate's body (a step gate's `{data, actions}`, or what a skill
    /// asked with).
    pub body: &'a Value,
    pub pattern: Pattern,
    /// The title the skill gave (empty for a step gate).
    pub title: &'a str,
    /// The job's event type and payload.
    pub event_type: &'a str,
    pub payload: &'a Value,
    /// The contact tier the job's steps were shown, if loaded.
    pub contact: Option<&'a Value>,
}

/// A person's request in their own words (a chat command, the inbox's
/// request box), as an app's [`super::conductor::Extension::understand`]
/// reads it.
pub struct Request<'a> {
    pub org: &'a Org,
    pub user: &'a User,
    pub text: &'a str,
    pub now: i64,
    /// The model an app may ask when its rules do not read the request:
    /// lent only when the operator granted it (`[runner] request_llm`), an
    /// LLM is configured and the org's budget is not spent; its tokens are
    /// charged to the org. The app checks what it answers.
    pub llm: Option<&'a dyn LlmClient>,
}

/// What an app made of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Understood {
    /// The event to submit once the person confirms, and what the job will
    /// do, in their words (the engine checks a sequence handles it and
    /// shows its plan).
    Run {
        event_type: String,
        payload: Value,
        summary: String,
    },
    /// Not enough to go on, or more than one reading: what to ask back.
    Ask(String),
}

/// The rules the engine applies to an action kind an app owns (the app
/// answers [`super::conductor::Extension::kind`] for it). The engine keeps
/// its own rules for the kinds it carries itself (email, tasks, invites,
/// chat posts); a kind no app owns waits for a person and takes any edit
/// that is a JSON object.
pub trait KindRules: Send + Sync {
    /// Whether an effect of this kind with `payload` may only happen after
    /// a person approved it.
    fn needs_approval(&self, _payload: &Value) -> bool {
        true
    }

    /// What is wrong with `edit` as an edit of the draft `original`, said
    /// after "the edit …" ("has no `title`").
    fn check_edit(&self, _edit: &Edit<'_>, _original: &Value) -> Result<(), String> {
        Ok(())
    }

    /// The address an effect of this kind puts on the do-not-contact list
    /// at once, with its checkpoint and without a person.
    fn suppression(&self, _payload: &Value) -> Option<NewSuppression> {
        None
    }

    /// A few lines under the action's title in a chat approval request.
    fn summary(&self, _payload: &Value) -> Option<String> {
        None
    }
}

/// An edit of a draft: a JSON object, with the checks every kind's rules
/// share. Its problems read after "the edit …".
#[derive(Debug, Clone, Copy)]
pub struct Edit<'a> {
    value: &'a Value,
    fields: &'a Map<String, Value>,
}

impl<'a> Edit<'a> {
    /// `value` as an edit, if it is a JSON object.
    pub fn of(value: &'a Value) -> Option<Edit<'a>> {
        Some(Edit {
            value,
            fields: value.as_object()?,
        })
    }

    /// The edit as sent.
    pub fn value(&self) -> &'a Value {
        self.value
    }

    /// One field, if present.
    pub fn get(&self, field: &str) -> Option<&'a Value> {
        self.fields.get(field)
    }

    /// Whether it has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// A non-empty text field.
    pub fn text(&self, field: &str) -> Result<&'a str, String> {
        match self.fields.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
            Some(Value::String(_)) => Err(format!("has an empty `{field}`")),
            Some(_) => Err(format!("has a `{field}` that is not text")),
            None => Err(format!("has no `{field}`")),
        }
    }

    /// Every address in a recipients field is an address; `required`
    /// needs one.
    pub fn recipients(&self, field: &str, required: bool) -> Result<(), String> {
        let list = recipients(self.fields.get(field).unwrap_or(&Value::Null))
            .map_err(|m| format!("has a bad `{field}`: {m}"))?;
        if required && list.is_empty() {
            return Err(format!("has no recipient in `{field}`"));
        }
        match list.iter().find(|a| !is_address(a)) {
            Some(bad) => Err(format!(
                "has `{bad}` in `{field}`, which is not an email address"
            )),
            None => Ok(()),
        }
    }
}

/// What is wrong with an app's part of a preferences document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreferenceProblem {
    /// A value the app does not know (a choice not among its choices).
    #[error("{0}")]
    Unknown(String),
    /// A value of the right kind out of range, or of the wrong kind.
    #[error("{0}")]
    Invalid(String),
}

/// What labels a correction of a gate's suggestion may name: the app that
/// made the suggestion says ([`super::conductor::Extension::labels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// The labels, in the labelling table's order.
    pub vocabulary: &'static [&'static str],
    /// Exactly one label (say, an email's), or any number, none included
    /// (say, a meeting's detections).
    pub one: bool,
    /// One label, as a message names it ("an intent label").
    pub a_label: &'static str,
    /// A case with exactly one label, as a message names it ("an email").
    pub a_case: &'static str,
}
