//! Property tests of every webhook body reader: arbitrary bytes and real
//! payloads (`tests/data/shared/`, `examples/webhooks/`) with one value
//! replaced anywhere inside never panic, and every refusal is a 4xx (a
//! client's mistake, never a 500). 256 cases per property;
//! `PROPTEST_CASES` raises it (`cargo xtask fuzz` runs 10 000).

use super::generic;
use super::google::{Push, gmail_note};
use super::meetingbaas::{meeting_ended, owner};
use super::slack::{Interaction, interaction, parse_value};
use crate::sources::transcript::role;
use crate::web::problem::Problem;
use base64::Engine;
use baton_engine::wire::decode_base64_any;
use baton_strategies::{json, mutated, replace_somewhere};
use proptest::prelude::*;
use serde_json::{Value, json};

const GOOGLE: &str =
    include_str!("../../../../../tests/data/shared/webhooks/google_push_gmail_pubsub_svix.json");
const SLACK: &str =
    include_str!("../../../../../tests/data/shared/slack/slack_signing_vectors.json");
const MEETINGBAAS_DOCS: &str =
    include_str!("../../../../../tests/data/shared/webhooks/meetingbaas/payload_examples.json");
const MEETINGBAAS_DEMO: &str =
    include_str!("../../../../../examples/webhooks/meetingbaas-complete.json");

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("the test data is JSON")
}

/// Every Meeting BaaS example body: the docs' (v1 and v2 events) and the
/// demo's.
fn meetingbaas_bodies() -> Vec<Value> {
    let mut out = vec![doc(MEETINGBAAS_DEMO)];
    for examples in doc(MEETINGBAAS_DOCS)["files"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        out.extend(
            examples
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| e.get("event").is_some())
                .cloned(),
        );
    }
    out
}

/// The Slack `block_actions` payload of the signing vectors, decoded.
fn slack_payload() -> Value {
    doc(SLACK)["block_actions_form_encoded"]["decoded_payload"].clone()
}

fn gmail_push() -> Value {
    doc(GOOGLE)["gmail_pubsub_push"]["push_body_example"].clone()
}

/// A refusal is the client's mistake.
fn client_error<T>(r: Result<T, Problem>) -> Result<(), TestCaseError> {
    if let Err(p) = r {
        prop_assert!(p.status.is_client_error(), "{} {}", p.status, p.detail);
    }
    Ok(())
}

/// `payload=<json>`, form-encoded as Slack sends it.
fn slack_form(payload: &Value) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload.to_string())
        .finish()
        .into_bytes()
}

#[test]
fn the_real_payloads_read_as_their_sources_say() {
    let bodies = meetingbaas_bodies();
    assert!(bodies.len() >= 3, "{} Meeting BaaS examples", bodies.len());
    let demo = &bodies[0];
    let p = meeting_ended(&demo["data"], &["Jordan Avery".to_owned()]).expect("the demo's meeting");
    assert!(p["utterances"].as_array().is_some_and(|u| !u.is_empty()));
    assert!(owner(demo).is_some(), "the demo names its org and user");

    let push: Push = serde_json::from_value(gmail_push()).expect("a push envelope");
    let note = gmail_note(push).expect("the documented push");
    assert_eq!(
        (note.mailbox.as_str(), note.history_id.as_str()),
        ("user@example.com", "1234567890")
    );

    let raw = doc(SLACK)["block_actions_form_encoded"]["raw_body"]
        .as_str()
        .map(str::to_owned)
        .expect("raw body");
    assert!(
        matches!(interaction(raw.as_bytes()), Ok(Interaction::Ignored)),
        "its buttons are not ours"
    );
    let mut ours = slack_payload();
    ours["actions"][0]["value"] = json!("org1:act9:approve");
    match interaction(&slack_form(&ours)).expect("a click") {
        Interaction::Clicks {
            slack_user, clicks, ..
        } => {
            assert_eq!(slack_user, "W111");
            assert_eq!(clicks[0].decision, "approve");
        }
        other => panic!("{other:?}"),
    }
    let slash = doc(SLACK)["slack_docs_vector"]["body"]
        .as_str()
        .map(str::to_owned)
        .expect("body");
    assert!(matches!(
        interaction(slash.as_bytes()),
        Ok(Interaction::Command(_))
    ));
}

proptest! {
    #[test]
    fn any_bytes_to_any_reader(body in prop::collection::vec(any::<u8>(), 0..512)) {
        client_error(interaction(&body))?;
        client_error(generic::read("crm", &body))?;
        if let Ok(push) = serde_json::from_slice::<Push>(&body) {
            client_error(gmail_note(push))?;
        }
        let _ = decode_base64_any(&String::from_utf8_lossy(&body));
    }

    #[test]
    fn any_text_as_a_button_value_or_a_speaker(text in "\\PC{0,64}", people in prop::collection::vec("\\PC{0,16}", 0..4)) {
        if let Some(c) = parse_value(&text) {
            prop_assert_eq!(format!("{}:{}:{}", c.org.0, c.approval.as_str(), c.decision), text.clone());
        }
        let r = role(&text, &people);
        prop_assert!(r == "rep" || r == "prospect");
    }

    #[test]
    fn mutated_meetingbaas_bodies(
        pick in any::<prop::sample::Index>(),
        path in prop::collection::vec(any::<usize>(), 1..12),
        with in json(),
    ) {
        let bodies = meetingbaas_bodies();
        let mut body = bodies[pick.index(bodies.len())].clone();
        replace_somewhere(&mut body, &mut path.into_iter(), with);
        let _ = owner(&body);
        if let Ok(p) = meeting_ended(&body["data"], &["Jordan Avery".to_owned(), String::new()]) {
            prop_assert!(p["meeting_id"].is_string());
            prop_assert!(p["utterances"].is_array());
        }
    }

    #[test]
    fn arbitrary_meetingbaas_data(data in json(), people in prop::collection::vec("\\PC{0,16}", 0..3)) {
        client_error(meeting_ended(&data, &people))?;
        let _ = owner(&json!({ "data": data }));
    }

    #[test]
    fn mutated_gmail_pushes(envelope in mutated(gmail_push()), note in mutated(json!({"emailAddress": "user@example.com", "historyId": 1234567890}))) {
        if let Ok(push) = serde_json::from_value::<Push>(envelope) {
            client_error(gmail_note(push))?;
        }
        // The notification inside, mutated, in either alphabet.
        let text = note.to_string();
        for data in [
            base64::engine::general_purpose::STANDARD.encode(&text),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&text),
        ] {
            let push: Push = serde_json::from_value(json!({"message": {"data": data, "messageId": "1"}})).expect("envelope");
            match gmail_note(push) {
                Ok(n) => prop_assert_eq!(Some(n.mailbox.as_str()), note["emailAddress"].as_str()),
                Err(p) => prop_assert!(p.status.is_client_error()),
            }
        }
    }

    #[test]
    fn mutated_slack_interactions(payload in mutated(slack_payload()), value in "\\PC{0,24}") {
        client_error(interaction(&slack_form(&payload)))?;
        let mut ours = payload;
        if ours.is_object() {
            ours["type"] = json!("block_actions");
            ours["actions"] = json!([{ "value": value }]);
            match interaction(&slack_form(&ours)) {
                Ok(Interaction::Clicks { clicks, .. }) => {
                    prop_assert_eq!(Some(clicks[0].clone()), parse_value(&value));
                }
                Ok(Interaction::Ignored) => prop_assert!(parse_value(&value).is_none()),
                Ok(Interaction::Command(_)) => prop_assert!(false, "no command field"),
                Ok(Interaction::Confirm(_)) => prop_assert!(false, "no request button"),
                Ok(Interaction::NotRight(_)) => prop_assert!(false, "not a modal's submission"),
                Err(p) => prop_assert!(p.status.is_client_error()),
            }
        }
    }

    #[test]
    fn mutated_generic_events(event in mutated(json!({
        "type": "deal_updated", "org": "acme", "user": "rep1",
        "payload": { "deal_id": "d1", "stage": "proposal" }, "idempotency_key": "k1"
    }))) {
        match generic::read("crm", event.to_string().as_bytes()) {
            Ok(e) => prop_assert_eq!(e.source, "webhook:crm"),
            Err(p) => prop_assert!(p.status.is_client_error()),
        }
    }
}
