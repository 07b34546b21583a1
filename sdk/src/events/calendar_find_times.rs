//! `calendar_find_times`: someone wants a meeting. Queued by
//! `detect-intents` (from a transcript) and `classify-email-intent` (from an
//! email), or sent through the API; read by `parse-scheduling-request`.

use baton_types::evidence::Evidence;
use serde::{Deserialize, Serialize};

/// A request for meeting times. The parent event's contact, deal and thread
/// fields ride along so the child job loads the same context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payload {
    /// The request in the prospect's words.
    #[serde(default)]
    pub request: Option<String>,
    /// The phrase that triggered the follow-up (from `detect-intents`).
    #[serde(default)]
    pub trigger_phrase: Option<String>,
    /// The words that asked, who said or wrote them, where, and how sure
    /// the detector was: shown on the gate that offers the times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    /// The email's subject, when the request came by email.
    #[serde(default)]
    pub subject: Option<String>,
    /// The meeting's title, when it came from a meeting.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub deal_name: Option<String>,
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub thread_id: Option<String>,
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// Everyone from outside to invite besides `contact_email`: the other
    /// outside attendees of the meeting the request came from.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// When the request was made (RFC 3339): "next week" is read from
    /// here. Absent, from when the job runs.
    #[serde(default)]
    pub event_time: Option<String>,
}
