//! The LLM review against a fake model: what it may add, what is dropped,
//! and that every failure leaves exactly the rules' answer.

use crate::DetectIntents;
use baton_sdk::host::{CompletionRequest, HostError};
use baton_sdk::llm::Meter;
use baton_sdk::prelude::*;
use baton_sdk::testing::FakeHost;

/// A rep's proposal promise (the rules label it), small talk, and a
/// prospect's competitive line the rules leave unlabelled.
const CALL: &[(&str, &str)] = &[
    ("rep", "Thanks for joining, how was your weekend?"),
    ("prospect", "Good, thanks. The weather was lovely."),
    (
        "rep",
        "I'll put together a formal quote and send it over by Friday.",
    ),
    ("prospect", "Honestly, Gong keeps coming up in our chats."),
    ("rep", "Great to hear the budget's been approved!"),
];

/// Never sent: a rep's recap carries no label of theirs.
const REP_RECAP: usize = 4;

const QUOTE: usize = 2;
const NEAR: usize = 3;

fn call(params: Value) -> Input {
    let utterances: Vec<_> = CALL
        .iter()
        .map(|(s, t)| json!({ "speaker": s, "text": t }))
        .collect();
    Input::for_event(
        "meeting_ended",
        json!({ "meeting_id": "m-7", "utterances": utterances }),
    )
    .with_params(params)
}

/// A fake model answering `labels` (as the JSON the prompt asks for).
fn model(labels: Value) -> FakeHost {
    let answer = json!({ "labels": labels }).to_string();
    FakeHost::for_skill::<DetectIntents>().llm(move |_| Ok(answer.clone()))
}

fn run(host: FakeHost) -> Output {
    host.run::<DetectIntents>(call(json!({}))).expect("runs")
}

/// The rules' answer: the same call with the model switched off.
fn rules_only() -> Value {
    let out = FakeHost::for_skill::<DetectIntents>()
        .run::<DetectIntents>(call(json!({ "use_llm": false })))
        .expect("runs");
    assert_eq!(out.data["llm"]["path"], "off");
    out.data["intents"].clone()
}

fn labels_on(out: &Output, utterance: usize) -> Vec<String> {
    out.data["intents"]
        .as_array()
        .expect("intents")
        .iter()
        .filter(|d| d["utterance"] == utterance)
        .map(|d| d["label"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const PROPOSAL: &str = "commitment:send_proposal";
const COMPETITIVE: &str = "signal:competitive";

#[test]
fn the_rules_find_the_proposal_and_miss_the_competitor() {
    let rules = rules_only();
    let found: Vec<_> = rules
        .as_array()
        .expect("intents")
        .iter()
        .map(|d| (d["utterance"].as_u64(), d["label"].as_str()))
        .collect();
    assert!(
        found.contains(&(Some(QUOTE as u64), Some(PROPOSAL))),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(u, _)| *u == Some(NEAR as u64)),
        "the example needs a line the rules miss: {found:?}"
    );
}

#[test]
fn the_model_confirms_the_rules_labels() {
    let out = run(model(json!([
        { "label": PROPOSAL, "quote": "I'll put together a formal quote", "utterance": QUOTE }
    ])));
    assert_eq!(out.data["llm"]["path"], "confirmed");
    assert_eq!(out.data["intents"], rules_only());
    assert_eq!(out.data["llm"]["calls"], 1);
    assert!(out.data["llm"]["tokens"].as_u64().is_some_and(|t| t > 0));
}

#[test]
fn a_label_added_with_a_quote_from_the_utterance_is_kept() {
    let out = run(model(json!([
        { "label": PROPOSAL, "quote": "I'll put together a formal quote", "utterance": QUOTE },
        { "label": COMPETITIVE, "quote": "Gong keeps coming up", "utterance": NEAR }
    ])));
    assert_eq!(out.data["llm"]["path"], "added");
    assert_eq!(labels_on(&out, NEAR), [COMPETITIVE]);
    let added = out.data["intents"]
        .as_array()
        .expect("intents")
        .iter()
        .find(|d| d["utterance"] == NEAR)
        .expect("the added label");
    assert_eq!(added["phrase"], "Gong keeps coming up");
    assert_eq!(added["confidence"], 0.7);
    assert_eq!(added["speaker"], "prospect");
    assert_eq!(
        out.data["llm"]["added"],
        json!([{ "utterance": NEAR, "label": COMPETITIVE }])
    );
    assert_eq!(out.data["counts"][COMPETITIVE], 1);
    // Below the follow-up threshold: reported, nothing queued for it.
    assert!(
        out.follow_ups
            .iter()
            .all(|f| f.payload["utterance"] != NEAR)
    );
}

#[test]
fn a_label_with_an_invented_quote_is_dropped() {
    let out = run(model(json!([
        { "label": PROPOSAL, "quote": "I'll put together a formal quote", "utterance": QUOTE },
        { "label": COMPETITIVE, "quote": "we are trialling Gong", "utterance": NEAR }
    ])));
    assert_eq!(out.data["intents"], rules_only());
    assert_eq!(out.data["llm"]["path"], "confirmed");
    assert_eq!(
        out.data["llm"]["dropped"],
        json!([{ "utterance": NEAR, "label": COMPETITIVE, "reason": "quote not in the utterance" }])
    );
}

#[test]
fn a_signal_given_to_the_rep_is_dropped() {
    // A timeline is the prospect's to give, even with the rep's words
    // quoted exactly.
    let out = run(model(json!([
        { "label": PROPOSAL, "quote": "I'll put together a formal quote", "utterance": QUOTE },
        { "label": "signal:timeline", "quote": "send it over by Friday", "utterance": QUOTE }
    ])));
    assert_eq!(out.data["intents"], rules_only());
    assert_eq!(
        out.data["llm"]["dropped"][0]["reason"],
        "the speaker may not carry this label"
    );
}

#[test]
fn unknown_labels_and_unsent_utterances_are_dropped() {
    let out = run(model(json!([
        { "label": "signal:urgency", "quote": "Gong keeps coming up", "utterance": NEAR },
        { "label": "commitment:schedule_meeting", "quote": "how was your weekend", "utterance": 0 },
        { "label": COMPETITIVE, "utterance": NEAR }
    ])));
    assert_eq!(out.data["intents"], rules_only());
    let reasons: Vec<_> = out.data["llm"]["dropped"]
        .as_array()
        .expect("dropped")
        .iter()
        .map(|d| d["reason"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        reasons,
        ["unknown label", "utterance not sent", "malformed item"]
    );
}

#[test]
fn the_model_cannot_remove_a_rules_label() {
    let out = run(model(json!([])));
    assert_eq!(out.data["intents"], rules_only());
    assert_eq!(out.data["llm"]["path"], "unconfirmed");
    assert_eq!(
        out.data["llm"]["unconfirmed"],
        json!([{ "utterance": QUOTE, "label": PROPOSAL }])
    );
    // Its proposal follow-up is still queued.
    assert!(
        out.follow_ups
            .iter()
            .any(|f| f.event_type == "proposal_generation")
    );
}

#[test]
fn a_malformed_answer_leaves_the_rules_answer() {
    for answer in [
        "Sure! Here are the labels: []",
        "{\"labels\": \"none\"}",
        "{\"labels\": [], \"note\": \"extra\"}",
        "",
    ] {
        let host = FakeHost::for_skill::<DetectIntents>().llm(move |_| Ok(answer.into()));
        let out = run(host);
        assert_eq!(out.data["intents"], rules_only(), "{answer}");
        let path = out.data["llm"]["path"].as_str().unwrap_or_default();
        assert!(path.starts_with("malformed: "), "{answer}: {path}");
    }
}

#[test]
fn an_error_or_a_timeout_leaves_the_rules_answer() {
    for error in [
        HostError::Unavailable("the LLM did not answer within 500 ms".into()),
        HostError::Unavailable("the LLM answered 500 Internal Server Error".into()),
    ] {
        let shown = error.to_string();
        let host = FakeHost::for_skill::<DetectIntents>().llm(move |_| Err(error.clone()));
        let out = run(host);
        assert_eq!(out.data["intents"], rules_only());
        assert_eq!(out.data["llm"]["path"], shown);
        assert_eq!(out.data["llm"]["calls"], 0);
    }
}

#[test]
fn without_llm_granted_or_configured_the_answer_is_the_rules() {
    let (out, host) = FakeHost::for_skill::<DetectIntents>()
        .revoke("llm")
        .run_with::<DetectIntents>(call(json!({})));
    let out = out.expect("runs");
    assert_eq!(out.data["intents"], rules_only());
    assert!(
        out.data["llm"]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("denied: ")),
        "{}",
        out.data["llm"]
    );
    assert_eq!(host.denied, ["llm"]);
    let out = run(FakeHost::for_skill::<DetectIntents>());
    assert_eq!(out.data["intents"], rules_only());
    assert!(
        out.data["llm"]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("unavailable: ")),
    );
}

/// What the model was asked, by a host that answers `answer`.
fn asked_with(params: Value, answer: String) -> (Output, Vec<CompletionRequest>) {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let kept = seen.clone();
    let out = FakeHost::for_skill::<DetectIntents>()
        .llm(move |req| {
            kept.borrow_mut().push(req.clone());
            Ok(answer.clone())
        })
        .run::<DetectIntents>(call(params))
        .expect("runs");
    let requests = seen.borrow().clone();
    (out, requests)
}

/// What the model was asked, by a host that answers no labels.
fn asked(params: Value) -> (Output, Vec<CompletionRequest>) {
    asked_with(params, "{\"labels\": []}".into())
}

#[test]
fn only_labelled_lines_and_near_misses_are_sent() {
    let (out, requests) = asked(json!({}));
    assert_eq!(requests.len(), 1);
    let prompt = &requests[0].prompt;
    assert!(prompt.contains("[2] rep: \"I'll put together"), "{prompt}");
    assert!(
        prompt.contains("[3] prospect: \"Honestly, Gong"),
        "{prompt}"
    );
    assert!(prompt.contains(&format!("[2] {PROPOSAL}")), "{prompt}");
    assert!(
        !prompt.contains("weekend") && !prompt.contains("weather"),
        "{prompt}"
    );
    assert!(!prompt.contains(CALL[REP_RECAP].1), "{prompt}");
    assert_eq!(requests[0].max_tokens, 300);
    assert_eq!(out.data["llm"]["reviewed"], json!([QUOTE, NEAR]));
}

#[test]
fn calls_are_bounded_by_the_batch_and_the_run_budget() {
    let (out, requests) = asked(json!({ "llm": { "batch": 1, "max_tokens": 50 } }));
    assert_eq!(requests.len(), 2, "one call per utterance sent");
    assert_eq!(out.data["llm"]["calls"], 2);
    assert!(requests.iter().all(|r| r.max_tokens == 50));
    // A budget that holds the first call and not what its answer leaves:
    // the second is not made. (The fake host counts an answer's words.)
    let first = Meter::estimate(&requests[0]);
    let long = format!(
        "{{\"labels\": [{{\"label\": \"x\", \"quote\": \"{}\", \"utterance\": 9}}]}}",
        "word ".repeat(100)
    );
    let params = json!({ "llm": { "batch": 1, "max_tokens": 50, "run_tokens": first + 50 } });
    let (out, requests) = asked_with(params, long);
    assert_eq!(requests.len(), 1);
    assert_eq!(out.data["llm"]["path"], "unconfirmed");
    assert_eq!(out.data["llm"]["reviewed"], json!([QUOTE]));
    let failure = out.data["llm"]["failures"][0].as_str().unwrap_or_default();
    assert!(failure.starts_with("budget: "), "{failure}");
    // A budget too small for one call: none is made.
    let (out, requests) = asked(json!({ "llm": { "run_tokens": 100 } }));
    assert!(requests.is_empty());
    assert_eq!(out.data["intents"], rules_only());
    assert!(
        out.data["llm"]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("budget: "))
    );
}

#[test]
fn a_transcript_with_nothing_to_review_costs_no_call() {
    let input = Input::for_event(
        "meeting_ended",
        json!({ "utterances": [{ "speaker": "prospect", "text": "The weather was lovely." }] }),
    );
    let out = FakeHost::for_skill::<DetectIntents>()
        .llm(|_| panic!("no call expected"))
        .run::<DetectIntents>(input)
        .expect("runs");
    assert_eq!(out.data["llm"]["path"], "skipped: nothing to review");
}
