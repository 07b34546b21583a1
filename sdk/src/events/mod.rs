//! The payload of each event type, as skills read it (`input.payload()`).
//!
//! The host checks only that a payload is a JSON object; the webhook
//! adapters and the scheduler build these shapes. Every field a source may
//! leave out is optional, and a field of the wrong type is `invalid-input`.
//! One module per event type; a skill that handles several (a follow-up
//! event carries its parent's fields) reads the type of the event it is
//! sequenced for. These types only describe payloads; they never fetch or
//! send anything.

/// Payload fields that may say when the event happened (RFC 3339), in the
/// order a skill should try them; which are present depends on the source.
pub const EVENT_TIME_FIELDS: [&str; 4] = ["event_time", "received_at", "sent_at", "occurred_at"];

/// When the event happened: the first of [`EVENT_TIME_FIELDS`] in `payload`
/// that parses as `T` (a skill's timestamp type, e.g. `jiff::Timestamp`).
pub fn event_time<T: std::str::FromStr>(payload: &serde_json::Value) -> Option<T> {
    EVENT_TIME_FIELDS
        .iter()
        .find_map(|k| payload[*k].as_str()?.parse::<T>().ok())
}

pub mod calendar_find_times;
pub mod campaign_check;
pub mod coaching_digest;
pub mod email_received;
pub mod morning_brief;
pub mod pre_meeting;
pub mod proposal_viewed;
mod request;
pub mod stale_deal_revival;

pub use request::{Request, content_retrieval, proposal_generation};

/// `meeting_ended`: a finished meeting and its transcript. Built by the
/// meeting-bot webhooks and the API; read by the meeting skills.
pub mod meeting_ended {
    pub use crate::meeting::{
        MAX_UTTERANCES, Meeting as Payload, MeetingHeader, Speaker, Utterance,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_field_that_parses_is_the_event_time() {
        let p = json!({ "event_time": "soon", "received_at": "7", "sent_at": "9" });
        assert_eq!(event_time::<u32>(&p), Some(7));
        assert_eq!(event_time::<u32>(&json!({ "occurred_at": 3 })), None);
    }
}
