use super::said::mss;
use super::*;
use serde_json::json;

#[test]
fn a_time_in_the_call_reads_as_minutes_and_seconds() {
    assert_eq!(mss(0.0), "0:00");
    assert_eq!(mss(252.4), "4:12");
    assert_eq!(mss(1279.0), "21:19");
}

#[test]
fn a_quote_is_placed_in_the_call_and_named_by_its_speaker() {
    let payload = json!({ "utterances": [
        { "speaker": "rep", "text": "Thanks for the time.", "start": 0.0 },
        { "speaker": "prospect", "text": "Budget is set aside for Q1. Can you send pricing?", "start": 125.0 },
        { "speaker": "rep", "text": "I'll send the security pack today.", "start": 190.5 },
    ] });
    let runs = [json!({ "intents": [
        { "utterance": 2, "confidence": 0.95, "speaker": "rep" },
        { "utterance": 1, "confidence": 0.9, "speaker": "prospect" },
    ] })];
    let said = Said::from(&payload, &runs, Some("Marta Ruiz"));
    let q = said.quote("send the security pack");
    assert_eq!(
        (q.who.as_str(), q.at.as_deref(), q.confidence),
        ("You", Some("at 3:11"), Some(0.95))
    );
    let best = said.strongest().expect("an intent");
    assert_eq!(best.who, "Marta Ruiz", "the prospect's words lead");
    assert_eq!(best.at.as_deref(), Some("at 2:05"));
    assert_eq!(best.confidence, Some(0.9));
    let missing = said.quote("not in the call");
    assert_eq!((missing.at, missing.confidence), (None, None));
    // An action's evidence says its own speaker, place and confidence;
    // what it leaves out is read from the line that holds its words.
    let e = baton_types::evidence::Evidence {
        quote: "Budget is set aside".into(),
        speaker: None,
        at: None,
        line: None,
        confidence: Some(0.7),
    };
    let q = said.evidence(&e);
    assert_eq!(
        (q.who.as_str(), q.at.as_deref(), q.confidence),
        ("Marta Ruiz", Some("at 2:05"), Some(0.7))
    );
}

#[test]
fn an_email_is_quoted_from_the_line_that_asks() {
    let body =
        "Thanks for the numbers. Could you send over the answers before Thursday?\n\n> old text?";
    assert_eq!(
        asking_line(body).as_deref(),
        Some("Could you send over the answers before Thursday?")
    );
    assert_eq!(asking_line("Just a note.").as_deref(), Some("Just a note."));
}

#[test]
fn who_was_on_the_call_comes_from_the_payload_or_the_crm() {
    let p = json!({ "speakers": ["Jordan Avery", { "name": "Marta Ruiz" }, "Jordan Avery"] });
    assert_eq!(attendees(&p, None), ["Jordan Avery", "Marta Ruiz"]);
    assert_eq!(
        attendees(&json!({}), Some("Marta Ruiz")),
        ["Marta Ruiz", "you"]
    );
}
