//! The LLM path of the two judgement skills in `baton serve`, against a
//! loopback chat-completions peer: a label the model adds with a quote from
//! the utterance is kept, one with an invented quote is dropped, the tokens
//! are charged to the job, and a model that stalls (past
//! `BATON_LLM_TIMEOUT_MS`, or past what the step's deadline leaves it)
//! leaves the rules' answer. The same for an inbound email.

use baton::store::JobId;
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, Backend, HttpPeer, TestDb, backend_test, body_of, root};
use serde_json::{Value, json};
use std::time::Duration;

/// A chat completion whose content is `content`, with a usage to charge.
fn completion(content: Value) -> Answer {
    Answer::json(json!({
        "choices": [{ "message": { "role": "assistant", "content": content.to_string() } }],
        "usage": { "prompt_tokens": 1200, "completion_tokens": 300 } }))
}

/// A model that never answers.
fn stalled() -> Answer {
    Answer::stall(Duration::from_secs(60))
}

/// The chat-completions request `n` the peer received, as JSON.
fn sent(peer: &HttpPeer, n: usize) -> Value {
    let request = peer.requests().get(n).cloned().expect("the request");
    assert!(
        request.starts_with("POST /v1/chat/completions"),
        "{request}"
    );
    serde_json::from_str(body_of(&request)).expect("a JSON body")
}

/// What a job cost, once it completed.
async fn completed(s: &Server, job: &str) -> i64 {
    let job = s.wait_job(job, |j| j["status"] == "completed").await;
    job["execution"]["total_cost_micros"]
        .as_i64()
        .expect("cost")
}

// 1200 tokens in × $3/M + 300 out × $15/M = 3600 + 4500 µ$.
const TOKENS_COST: i64 = 8100;

const MEETING: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
skill = "detect-intents"
"#;

/// The same step under a deadline shorter than the LLM's own timeout.
const SHORT_DEADLINE: &str = r#"
event = "meeting_reviewed"
dedupe_key = "meeting_id"

[[step]]
skill = "detect-intents"
timeout_ms = 3000
"#;

/// A proposal promise the rules find, small talk, and a competitor line
/// the rules miss.
fn transcript() -> Value {
    json!([
        { "speaker": "rep", "text": "Thanks for joining, how was your weekend?" },
        { "speaker": "prospect", "text": "Good, thanks. The weather was lovely." },
        { "speaker": "rep", "text": "I'll put together a formal quote and send it over by Friday." },
        { "speaker": "prospect", "text": "Honestly, Gong keeps coming up in our chats." },
        { "speaker": "prospect", "text": "Our CFO will want to see the numbers first." },
    ])
}

async fn meeting(s: &Server, event: &str, id: &str) -> String {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": event, "user": "rep1",
                    "payload": { "meeting_id": id, "utterances": transcript() } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

/// Labels by utterance, as `(utterance, label)`.
fn labels(data: &Value) -> Vec<(u64, String)> {
    data["intents"]
        .as_array()
        .expect("intents")
        .iter()
        .map(|d| {
            (
                d["utterance"].as_u64().unwrap_or(u64::MAX),
                d["label"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

backend_test!(
    detect_intents_asks_the_model_and_keeps_only_quoted_labels,
    detect_intents_asks_the_model_and_keeps_only_quoted_labels_body
);

async fn detect_intents_asks_the_model_and_keeps_only_quoted_labels_body(backend: Backend) {
    let peer = HttpPeer::answering(
        vec![completion(json!({ "labels": [
            { "label": "commitment:send_proposal", "quote": "I'll put together a formal quote", "utterance": 2 },
            { "label": "signal:competitive", "quote": "Gong keeps coming up in our chats", "utterance": 3 },
            { "label": "signal:buying_positive", "quote": "the budget is signed off", "utterance": 4 },
        ] }))],
        stalled(),
    );
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[MEETING, SHORT_DEADLINE],
            skills: &["detect-intents"],
            env: env(&[
                (
                    "BATON_LLM_URL",
                    &format!("http://127.0.0.1:{}/v1", peer.port),
                ),
                ("BATON_LLM_TIMEOUT_MS", "5000"),
            ]),
            ..Setup::default()
        },
    )
    .await;

    // The model adds a competitor with a quote from the utterance (kept)
    // and a buying signal with invented words (dropped).
    let job = meeting(&s, "meeting_ended", "m-1").await;
    let cost = completed(&s, &job).await;
    let data = s.step_data(&job, "detect-intents").await;
    let found = labels(&data);
    assert!(
        found.contains(&(2, "commitment:send_proposal".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(3, "signal:competitive".into())),
        "{found:?}"
    );
    assert!(
        !found.contains(&(4, "signal:buying_positive".into())),
        "{found:?}"
    );
    assert_eq!(data["llm"]["path"], "added", "{:#}", data["llm"]);
    assert_eq!(
        data["llm"]["dropped"],
        json!([{ "utterance": 4, "label": "signal:buying_positive", "reason": "quote not in the utterance" }])
    );
    assert_eq!(data["llm"]["tokens"], 1500);
    assert!(
        cost >= TOKENS_COST,
        "the model's tokens are charged: {cost}"
    );
    // Only the lines the rules labelled or nearly labelled went out.
    let asked = sent(&peer, 0);
    let prompt = asked["messages"][1]["content"].as_str().expect("prompt");
    assert!(prompt.contains("Gong keeps coming up"), "{prompt}");
    assert!(
        !prompt.contains("weekend") && !prompt.contains("weather"),
        "{prompt}"
    );
    assert_eq!(asked["max_tokens"], 300);

    // The model stalls past BATON_LLM_TIMEOUT_MS: the rules' answer.
    let job = meeting(&s, "meeting_ended", "m-2").await;
    completed(&s, &job).await;
    let stalled = s.step_data(&job, "detect-intents").await;
    assert_eq!(
        stalled["llm"]["path"],
        "unavailable: the LLM did not answer within 5000 ms"
    );
    let rules = labels(&stalled);
    assert!(
        rules.contains(&(2, "commitment:send_proposal".into())),
        "{rules:?}"
    );
    assert!(!rules.iter().any(|(u, _)| *u == 3), "{rules:?}");

    // It stalls past what a 3 s step deadline leaves it: the rules' answer
    // again, and the step completes in time.
    let job = meeting(&s, "meeting_reviewed", "m-3").await;
    completed(&s, &job).await;
    let cut = s.step_data(&job, "detect-intents").await;
    let path = cut["llm"]["path"].as_str().unwrap_or_default();
    assert!(
        path.starts_with("unavailable: the LLM did not answer within the")
            && path.ends_with("ms the step's deadline leaves it"),
        "{path}"
    );
    assert_eq!(labels(&cut), rules);
    assert_eq!(peer.hits(), 3);
    s.stop().await;
    db.finish().await;
}

/// A stand-in for the proposal_generation chain: the child job is enough.
const PROPOSAL: &str = r#"
event = "proposal_generation"

[[step]]
skill = "scripted"
"#;

/// The rules call it `fyi` with little confidence; it asks what the whole
/// team would cost.
const UNSURE: &str = "Thanks for the overview, it was useful.\n\nWe'd be looking at the whole support team on this, about 40 people, so I'd want to understand the numbers for that before we go further.\n\nOn Tue, 3 Jun 2025, Jordan <jordan@acme.example> wrote:\n> Happy to share a case study.";

async fn email(s: &Server, id: &str) -> String {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "email_received", "user": "rep1", "payload": {
                "message_id": format!("<{id}@harbourfreight.example>"),
                "from": "Tom Reyes <tom.reyes@harbourfreight.example>",
                "subject": "Re: Support desk", "body": UNSURE,
            }}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

backend_test!(
    the_email_classifier_asks_the_model_and_keeps_the_rules_when_it_fails,
    the_email_classifier_asks_the_model_and_keeps_the_rules_when_it_fails_body
);

async fn the_email_classifier_asks_the_model_and_keeps_the_rules_when_it_fails_body(
    backend: Backend,
) {
    let peer = HttpPeer::answering(
        vec![
            completion(json!({ "label": "proposal_request",
                               "quote": "I'd want to understand the numbers for that" })),
            completion(json!({ "label": "proposal_request",
                               "quote": "please send pricing for 40 seats" })),
        ],
        stalled(),
    );
    let shipped = std::fs::read_to_string(root().join("sequences/email_received.toml"))
        .expect("the shipped sequence");
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&shipped, PROPOSAL],
            skills: &[
                "classify-email-intent",
                "match-to-crm-contact",
                "draft-email-reply",
                "find-content",
            ],
            env: env(&[
                (
                    "BATON_LLM_URL",
                    &format!("http://127.0.0.1:{}/v1", peer.port),
                ),
                ("BATON_LLM_TIMEOUT_MS", "2000"),
            ]),
            ..Setup::default()
        },
    )
    .await;

    // The model quotes a request for figures the rules missed: its label
    // replaces the rules' unsure `fyi`, and proposal_generation is queued.
    let job = email(&s, "e1").await;
    let cost = completed(&s, &job).await;
    let data = s.step_data(&job, "classify-email-intent").await;
    assert_eq!(data["intent"], "proposal_request", "{data:#}");
    assert_eq!(data["llm"]["path"], "replaced");
    assert_eq!(data["llm"]["rules"]["intent"], "fyi");
    assert!(
        cost >= TOKENS_COST,
        "the model's tokens are charged: {cost}"
    );
    let view = s
        .wait_job(&job, |j| {
            j["children"].as_array().is_some_and(|c| !c.is_empty())
        })
        .await;
    let child = s
        .app
        .store()
        .job(
            &s.org,
            &JobId::from(view["children"][0].as_str().expect("child")),
        )
        .await
        .expect("job")
        .expect("the child exists");
    assert_eq!(child.event_type, "proposal_generation");
    let prompt = sent(&peer, 0)["messages"][1]["content"]
        .as_str()
        .expect("prompt")
        .to_owned();
    assert!(prompt.contains("the whole support team"), "{prompt}");
    assert!(
        !prompt.contains("case study"),
        "no quoted history: {prompt}"
    );

    // An invented quote: dropped, the rules' answer.
    let job = email(&s, "e2").await;
    completed(&s, &job).await;
    let data = s.step_data(&job, "classify-email-intent").await;
    assert_eq!(data["intent"], "fyi");
    assert_eq!(data["llm"]["path"], "dropped: quote not in the newest text");

    // The model stalls past BATON_LLM_TIMEOUT_MS: the rules' answer, and
    // the step is not retried.
    let job = email(&s, "e3").await;
    completed(&s, &job).await;
    let data = s.step_data(&job, "classify-email-intent").await;
    assert_eq!(data["intent"], "fyi");
    assert_eq!(
        data["llm"]["path"],
        "unavailable: the LLM did not answer within 2000 ms"
    );
    assert_eq!(peer.hits(), 3);
    s.stop().await;
    db.finish().await;
}
