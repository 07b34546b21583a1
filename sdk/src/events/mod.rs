//! The payload of each event type, as skills read it (`input.payload()`).
//!
//! The webhook adapters and the scheduler build these shapes; the host
//! checks a payload against the schema its sequence declares, which the
//! shipped sequences take from these types ([`payload_schemas`]). Every field a source may
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
/// `contract_drafting`: the accepted terms and the deal's known facts, built
/// by the host's engagement when a deal reaches the contract stage or a
/// fact the contract needs changes; read by `draft-contract`.
pub mod contract_drafting {
    pub use baton_types::contract::ContractTerms as Payload;
}
pub mod email_received;
/// `invoice_drafting`: the deposit invoice's terms, built by the host once
/// the deal's legal approval permits `deposit_invoice`; read by
/// `draft-invoice`.
pub mod invoice_drafting {
    pub use baton_types::invoice::InvoiceTerms as Payload;
}
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

/// The JSON Schema of each payload that comes from outside (the API, the
/// webhooks, the mail and calendar feeds), by event type, as these types
/// read it. The shipped sequences declare them (`payload_schema =
/// "payloads/<type>.schema.json"`), so the host refuses a payload of the
/// wrong shape at the door; a test keeps the files in step with the types
/// (`BATON_BLESS=1 cargo test -p baton-sdk` writes them). Events only the
/// host's scheduler builds have none.
pub fn payload_schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn of<T: schemars::JsonSchema>() -> serde_json::Value {
        schemars::generate::SchemaSettings::draft2020_12()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value()
    }
    vec![
        ("calendar_find_times", of::<calendar_find_times::Payload>()),
        ("campaign_reply", of::<email_received::Payload>()),
        ("content_retrieval", of::<content_retrieval::Payload>()),
        ("email_received", of::<email_received::Payload>()),
        ("meeting_ended", of::<meeting_ended::Payload>()),
        ("pre_meeting_90min", of::<pre_meeting::Payload>()),
        ("proposal_generation", of::<proposal_generation::Payload>()),
        ("stale_deal_revival", of::<stale_deal_revival::Payload>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_shipped_payload_schemas_are_what_the_types_give() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../sequences/payloads");
        let bless = std::env::var_os("BATON_BLESS").is_some();
        for (event, schema) in payload_schemas() {
            let file = dir.join(format!("{event}.schema.json"));
            let text = serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n";
            if bless {
                std::fs::create_dir_all(&dir).expect("mkdir sequences/payloads");
                std::fs::write(&file, &text).expect("write a schema");
            }
            let shipped = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(
                shipped == text,
                "{} is not what baton_sdk::events gives: run `BATON_BLESS=1 cargo test -p baton-sdk`",
                file.display()
            );
        }
    }

    #[test]
    fn the_first_field_that_parses_is_the_event_time() {
        let p = json!({ "event_time": "soon", "received_at": "7", "sent_at": "9" });
        assert_eq!(event_time::<u32>(&p), Some(7));
        assert_eq!(event_time::<u32>(&json!({ "occurred_at": 3 })), None);
    }
}
