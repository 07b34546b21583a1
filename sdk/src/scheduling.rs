//! The scheduling group's shared vocabulary: what `parse-scheduling-request`
//! says to reply to and the free slots `find-available-slots` offers, as
//! those skills write them (their output schemas are derived from these
//! types) and `present-time-options` reads them. Only shapes; nothing here
//! reads a calendar or sends anything.

use serde::{Deserialize, Serialize};

/// The part of the day asked for.
// Written by `parse-scheduling-request` (`part_of_day`), read by
// `find-available-slots`. The doc line above is the schema's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartOfDay {
    Morning,
    Afternoon,
}

impl PartOfDay {
    /// `morning` or `afternoon`, exactly as written on the wire.
    pub fn parse(s: &str) -> Option<PartOfDay> {
        match s {
            "morning" => Some(PartOfDay::Morning),
            "afternoon" => Some(PartOfDay::Afternoon),
            _ => None,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_of_day_reads_as_it_is_written() {
        for p in [PartOfDay::Morning, PartOfDay::Afternoon] {
            let written = crate::to_data(&p).expect("serializes");
            assert_eq!(PartOfDay::parse(written.as_str().expect("text")), Some(p));
        }
        assert_eq!(PartOfDay::parse("Morning"), None);
        assert_eq!(PartOfDay::parse("evening"), None);
    }
}
