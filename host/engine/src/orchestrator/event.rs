//! An event as it arrives at the door, and what became of it: accepted
//! as a job, or refused with a [`Reason`]. The checks themselves are
//! `events.rs`'s. A leaf.

use crate::store::JobId;
use serde::Serialize;
use serde_json::Value;

/// An event as it arrives.
#[derive(Debug, Clone)]
pub struct Event {
    pub event_type: String,
    /// The org's slug.
    pub org: String,
    /// The user's handle.
    pub user: String,
    pub payload: Value,
    /// Where it came from, e.g. `webhook:meetingbaas`, `cli`.
    pub source: String,
    /// Overrides the default key (type + the sequence's `dedupe_key` field).
    pub idempotency_key: Option<String>,
}

/// How far a feed has been read, recorded with the events it gave.
#[derive(Debug, Clone, Copy)]
pub struct FeedCursor<'a> {
    /// The connected account.
    pub account: &'a str,
    /// Its feed, e.g. `gmail`, `imap:INBOX`.
    pub feed: &'a str,
    pub cursor: &'a Value,
    /// The lease the account is read under: nothing is written unless it
    /// still holds the account (none: unfenced).
    pub lease: Option<&'a crate::store::AccountLease>,
}

/// Why an event was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UnknownOrg,
    UnknownUser,
    UnknownType,
    Disabled,
    SequenceUnavailable,
    InvalidPayload,
    Budget,
    Duplicate,
}

impl Reason {
    /// The stable code stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            Reason::UnknownOrg => "unknown_org",
            Reason::UnknownUser => "unknown_user",
            Reason::UnknownType => "unknown_type",
            Reason::Disabled => "disabled",
            Reason::SequenceUnavailable => "sequence_unavailable",
            Reason::InvalidPayload => "invalid_payload",
            Reason::Budget => "budget",
            Reason::Duplicate => "duplicate",
        }
    }
}

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Submitted {
    /// A job was created; it runs at `scheduled_at` (later than now when
    /// quiet hours deferred it).
    Accepted {
        job_id: JobId,
        scheduled_at: i64,
        deferred: bool,
    },
    /// Refused (duplicates too: `job_id` names the job already handling it).
    Refused {
        reason: Reason,
        detail: String,
        job_id: Option<JobId>,
    },
}
