//! The data of the extension seam: when an app's scheduled fires are due
//! ([`Fire`], [`When`]), what a finished step shows the checkpoint hook
//! ([`Finished`]), and a gate about to open, to be named for a person
//! ([`GateDraft`]). The seam itself, [`super::conductor::Extension`], lives
//! with the [`super::conductor::Orchestrator`] it is composed into. A leaf.

use crate::store::{JobId, OrgId, Pattern, Preferences, UserId};
use jiff::civil::Weekday;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// What an async hook of the seam returns.
pub type Hook<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// When a scheduled fire is due, in the user's local time.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// Every day at the minute after midnight that the user's preferences
    /// give (say, a time each user chooses).
    Preference(fn(&Preferences) -> i64),
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

/// A gate about to open, as the words hook sees it: what a person will
/// read is its title.
pub struct GateDraft<'a> {
    /// The gate's body (a step gate's `{data, actions}`, or what a skill
    /// asked with).
    pub body: &'a Value,
    pub pattern: Pattern,
    /// The title the skill gave (empty for a step gate).
    pub title: &'a str,
    /// The job's event payload.
    pub payload: &'a Value,
    /// The contact tier the job's steps were shown, if loaded.
    pub contact: Option<&'a Value>,
}
