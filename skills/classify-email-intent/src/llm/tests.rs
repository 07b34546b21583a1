//! The LLM review against a fake model: when its label counts, when it is
//! dropped, and that every failure leaves exactly the rules' answer.

use crate::ClassifyEmailIntent;
use baton_sdk::host::{CompletionRequest, HostError};
use baton_sdk::prelude::*;
use baton_sdk::testing::FakeHost;

/// An email the rules are unsure of: they call it `fyi`, and it asks what
/// the whole team would cost.
const UNSURE: &str = "Thanks for the overview, it was useful.\n\nWe'd be looking at the whole support team on this, about 40 people, so I'd want to understand the numbers for that before we go further.\n\nOn Tue, 3 Jun 2025, Jordan <jordan@acme.example> wrote:\n> Happy to share a case study.";

/// An email the rules are sure of: a meeting request.
const SURE: &str = "Could we do a 30-minute call on Tuesday afternoon?";

fn email(body: &str, params: Value) -> Input {
    Input::for_event(
        "email_received",
        json!({ "message_id": "m-1", "thread_id": "t-1", "from": "Kit Ames <kit@harbour.example>",
                "subject": "Re: Support desk", "body": body }),
    )
    .with_params(params)
}

/// A fake model answering `answer` as the JSON the prompt asks for.
fn model(answer: Value) -> FakeHost {
    let text = answer.to_string();
    FakeHost::for_skill::<ClassifyEmailIntent>().llm(move |_| Ok(text.clone()))
}

fn run(host: FakeHost, body: &str) -> Output {
    host.run::<ClassifyEmailIntent>(email(body, json!({})))
        .expect("runs")
}

/// The rules' answer: the same email with the model switched off.
fn rules_only(body: &str) -> Output {
    let out = FakeHost::for_skill::<ClassifyEmailIntent>()
        .run::<ClassifyEmailIntent>(email(body, json!({ "use_llm": false })))
        .expect("runs");
    assert_eq!(out.data["llm"]["path"], "off");
    out
}

/// The output without its `llm` record: what later steps read.
fn verdict(out: &Output) -> (Value, usize) {
    let mut data = out.data.clone();
    if let Some(d) = data.as_object_mut() {
        d.remove("llm");
    }
    (data, out.follow_ups.len())
}

#[test]
fn the_examples_are_what_the_tests_say() {
    let unsure = rules_only(UNSURE);
    assert_eq!(unsure.data["intent"], "fyi");
    assert!(unsure.data["confidence"].as_f64().is_some_and(|c| c < 0.8));
    let sure = rules_only(SURE);
    assert_eq!(sure.data["intent"], "meeting_request");
    assert!(sure.data["confidence"].as_f64().is_some_and(|c| c >= 0.8));
}

#[test]
fn the_model_confirms_the_rules_label() {
    let out = run(
        model(json!({ "label": "meeting_request", "quote": "Could we do a 30-minute call" })),
        SURE,
    );
    assert_eq!(out.data["llm"]["path"], "confirmed");
    assert_eq!(verdict(&out), verdict(&rules_only(SURE)));
    assert_eq!(out.data["llm"]["calls"], 1);
    assert_eq!(out.data["llm"]["quote"], "Could we do a 30-minute call");
}

#[test]
fn a_quoted_label_replaces_an_unsure_rules_label() {
    let out = run(
        model(json!({ "label": "proposal_request",
                      "quote": "I'd want to understand the numbers for that" })),
        UNSURE,
    );
    assert_eq!(out.data["llm"]["path"], "replaced");
    assert_eq!(out.data["intent"], "proposal_request");
    assert_eq!(out.data["confidence"], 0.75);
    assert_eq!(out.data["llm"]["rules"]["intent"], "fyi");
    // The label's follow-up is queued like the rules' would be.
    assert_eq!(out.follow_ups.len(), 1);
    assert_eq!(out.follow_ups[0].event_type, "proposal_generation");
    let reasons = out.data["reasons"].to_string();
    assert!(reasons.contains("the model's label"), "{reasons}");
    assert!(
        !reasons.contains("numbers for that"),
        "no email text: {reasons}"
    );
}

#[test]
fn a_sure_rules_label_is_kept() {
    let out = run(
        model(json!({ "label": "positive_interest", "quote": "Could we do a 30-minute call" })),
        SURE,
    );
    assert_eq!(out.data["llm"]["path"], "kept");
    assert_eq!(verdict(&out), verdict(&rules_only(SURE)));
}

#[test]
fn a_quoted_opt_out_always_counts() {
    let body = "Could we do a 30-minute call on Tuesday afternoon? Also, I'd rather not get the marketing newsletters any more.";
    let rules = rules_only(body);
    assert_eq!(rules.data["intent"], "meeting_request");
    assert!(rules.data["confidence"].as_f64().is_some_and(|c| c >= 0.8));
    let out = run(
        model(json!({ "label": "unsubscribe",
                      "quote": "I'd rather not get the marketing newsletters any more" })),
        body,
    );
    assert_eq!(out.data["llm"]["path"], "replaced");
    assert_eq!(out.data["intent"], "unsubscribe");
    assert!(out.follow_ups.is_empty());
}

#[test]
fn an_invented_quote_or_a_quote_from_the_history_is_dropped() {
    for quote in [
        "please send your pricing for 40 seats",
        "Happy to share a case study",
    ] {
        let out = run(
            model(json!({ "label": "proposal_request", "quote": quote })),
            UNSURE,
        );
        assert_eq!(
            out.data["llm"]["path"], "dropped: quote not in the newest text",
            "{quote}"
        );
        assert_eq!(out.data["llm"]["quote"], Value::Null);
        assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)), "{quote}");
    }
}

#[test]
fn an_unknown_label_is_dropped() {
    let out = run(
        model(json!({ "label": "pricing_request", "quote": "understand the numbers" })),
        UNSURE,
    );
    assert_eq!(out.data["llm"]["path"], "dropped: unknown label");
    assert_eq!(out.data["llm"]["label"], "pricing_request");
    assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)));
}

#[test]
fn a_malformed_answer_leaves_the_rules_answer() {
    for answer in [
        "proposal_request",
        "{\"label\": \"proposal_request\"}",
        "{\"labels\": [{\"label\": \"fyi\", \"quote\": \"Thanks for the overview\"}]}",
        "The label is {\"label\": \"fyi\", \"quote\": \"Thanks for the overview\"}",
    ] {
        let host = FakeHost::for_skill::<ClassifyEmailIntent>().llm(move |_| Ok(answer.into()));
        let out = run(host, UNSURE);
        let path = out.data["llm"]["path"].as_str().unwrap_or_default();
        assert!(path.starts_with("malformed: "), "{answer}: {path}");
        assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)), "{answer}");
    }
}

#[test]
fn an_error_or_a_timeout_leaves_the_rules_answer() {
    let error = HostError::Unavailable("the LLM did not answer within 500 ms".into());
    let host = FakeHost::for_skill::<ClassifyEmailIntent>().llm(move |_| Err(error.clone()));
    let out = run(host, UNSURE);
    assert_eq!(
        out.data["llm"]["path"],
        "unavailable: the LLM did not answer within 500 ms"
    );
    assert_eq!(out.data["llm"]["calls"], 0);
    assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)));
}

#[test]
fn without_llm_granted_the_answer_is_the_rules() {
    let (out, host) = FakeHost::for_skill::<ClassifyEmailIntent>()
        .revoke("llm")
        .run_with::<ClassifyEmailIntent>(email(UNSURE, json!({})));
    let out = out.expect("runs");
    assert!(
        out.data["llm"]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("denied: "))
    );
    assert_eq!(host.denied, ["llm"]);
    assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)));
}

#[test]
fn a_final_rules_label_costs_no_call() {
    let out = FakeHost::for_skill::<ClassifyEmailIntent>()
        .llm(|_| panic!("no call expected"))
        .run::<ClassifyEmailIntent>(email("Please remove me from your mailing list.", json!({})))
        .expect("runs");
    assert_eq!(out.data["intent"], "unsubscribe");
    assert_eq!(
        out.data["llm"]["path"],
        "skipped: the rules' unsubscribe is final"
    );
}

#[test]
fn the_model_sees_the_newest_text_and_the_budget_holds() {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::<CompletionRequest>::new()));
    let kept = seen.clone();
    let host = FakeHost::for_skill::<ClassifyEmailIntent>().llm(move |req| {
        kept.borrow_mut().push(req.clone());
        Ok("{\"label\": \"fyi\", \"quote\": \"Thanks for the overview\"}".into())
    });
    let out = host
        .run::<ClassifyEmailIntent>(email(UNSURE, json!({ "llm": { "max_tokens": 80 } })))
        .expect("runs");
    assert_eq!(out.data["llm"]["path"], "confirmed");
    let requests = seen.borrow().clone();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].max_tokens, 80);
    let prompt = &requests[0].prompt;
    assert!(prompt.contains("the whole support team"), "{prompt}");
    assert!(
        !prompt.contains("case study"),
        "no quoted history: {prompt}"
    );
    assert!(prompt.contains("The classifier's label: fyi"), "{prompt}");
    // A budget too small for the prompt makes no call.
    let out = FakeHost::for_skill::<ClassifyEmailIntent>()
        .llm(|_| panic!("no call expected"))
        .run::<ClassifyEmailIntent>(email(UNSURE, json!({ "llm": { "run_tokens": 200 } })))
        .expect("runs");
    assert!(
        out.data["llm"]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("budget: "))
    );
    assert_eq!(verdict(&out), verdict(&rules_only(UNSURE)));
}
