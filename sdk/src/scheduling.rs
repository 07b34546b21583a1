//! The scheduling group's shared vocabulary: what `parse-scheduling-request`
//! says to reply to and the free slots `find-available-slots` offers, as
//! those skills write them (their output schemas are derived from these
//! types) and `present-time-options` reads them. Only shapes; nothing here
//! reads a calendar or sends anything.

use serde::{Deserialize, Serialize};

/// The email a scheduling request came in, for answering in its thread.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplyTo {
    /// The request's `Message-ID`, angle brackets included.
    pub message_id: String,
    #[serde(default)]
    pub thread_id: Option<String>,
    /// The request's subject without its `Re:`/`Fwd:` prefixes.
    #[serde(default)]
    pub subject: Option<String>,
}

/// One free slot offered for a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Slot {
    /// RFC 3339 instant, UTC.
    pub start: String,
    /// RFC 3339 instant, UTC.
    pub end: String,
    /// The slot in the rep's zone, e.g. `Wed 25 Nov 10:00–10:30 EST`.
    #[serde(default)]
    pub rep_local: Option<String>,
    /// The slot in the prospect's zone, when it is known.
    #[serde(default)]
    pub prospect_local: Option<String>,
    /// How well the slot suits both sides, from 0 to 1, two decimals.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub score: f64,
    /// Why it scored as it did (`sooner`, `morning`, …).
    #[serde(default)]
    pub reasons: Vec<String>,
    /// What is awkward about it for the prospect, e.g. `⚠️ late for them`.
    #[serde(default)]
    pub warning: Option<String>,
}
