//! Meeting BaaS webhooks: v2's Standard Webhooks signature (the shared
//! Svix vector passes, tampering fails, a redelivery is one job) with its
//! linked transcript fetched (a link that cannot be had fails the job; an
//! empty call runs nothing), and v1's API key with its transcript turned
//! into utterances.

use super::webhook_vectors;
use crate::meeting_ended::{SKILLS, read};
use baton::service::signature::sign_standard;
use baton::store::JobId;
use baton_tests::server::{Server, Setup, env};
use baton_tests::{Answer, HttpPeer, service_test, shared_data};
use serde_json::{Value, json};
use std::sync::LazyLock;

async fn post_svix(s: &Server, id: &str, ts: &str, sig: &str, body: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/v1/webhooks/meetingbaas"))
        .header("svix-id", id)
        .header("svix-timestamp", ts)
        .header("svix-signature", sig)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The Standard Webhooks reference vector Meeting BaaS v2 signs with.
fn svix_vector() -> Value {
    webhook_vectors()["svix_standard_webhooks_vector"].clone()
}

/// When the vector was signed, in ms (the server's clock is set to it).
fn svix_at(v: &Value) -> i64 {
    v["svix-timestamp"]
        .as_str()
        .and_then(|ts| ts.parse::<i64>().ok())
        .expect("the vector's timestamp")
        * 1000
}

/// The shipped `meeting_ended` sequence, which the v2 calls run whole.
static SHIPPED: LazyLock<String> = LazyLock::new(|| read("sequences/meeting_ended.toml"));
static SEQUENCES: LazyLock<[&'static str; 1]> = LazyLock::new(|| [SHIPPED.as_str()]);

fn svix_setup() -> Setup<'static> {
    let v = svix_vector();
    Setup {
        sequences: &*SEQUENCES,
        skills: &SKILLS,
        at: svix_at(&v),
        env: env(&[(
            "BATON_MEETINGBAAS_WEBHOOK_SECRET",
            v["secret"].as_str().expect("secret"),
        )]),
        ..Setup::default()
    }
}

service_test!(
    meetingbaas_v2_svix_vector_passes_tampered_fails_and_redelivery_is_one_job,
    svix_setup(),
    meetingbaas_v2_svix_vector_passes_tampered_fails_and_redelivery_is_one_job_body
);

async fn meetingbaas_v2_svix_vector_passes_tampered_fails_and_redelivery_is_one_job_body(
    s: &Server,
) {
    let v = &svix_vector();
    let secret = v["secret"].as_str().expect("secret");
    let (id, ts, sig, body) = (
        v["svix-id"].as_str().expect("id"),
        v["svix-timestamp"].as_str().expect("ts"),
        v["svix-signature"].as_str().expect("sig"),
        v["body"].as_str().expect("body"),
    );
    let at = svix_at(v);
    let (status, answer) = post_svix(s, id, ts, sig, body).await;
    assert_eq!(status, 200, "the reference vector verifies: {answer:#}");
    assert_eq!(
        answer["outcome"], "ignored",
        "and, not being a meeting, is acknowledged"
    );
    let (status, _) = post_svix(s, id, ts, sig, &body.replace("2432232314", "2432232315")).await;
    assert_eq!(status, 401, "a tampered body fails");
    let (status, _) = post_svix(s, "msg_other", ts, sig, body).await;
    assert_eq!(status, 401, "another message id fails");
    let (status, _) = post_svix(s, id, ts, "v1,AAAA", body).await;
    assert_eq!(status, 401);
    // A real bot.completed, in v2's layout: its transcript is only
    // linked, and the link's host is down once (issue 43: it was never
    // fetched, and the chain ran on an empty call).
    let peer = HttpPeer::answering(
        vec![Answer::new(503, "slow down")],
        Answer::json(v2_transcript()),
    );
    let event = bot_completed(&transcript_link(&peer));
    let sig = sign_standard(secret, "msg_1", at / 1000, event.as_bytes()).expect("sign");
    let (status, first) = post_svix(s, "msg_1", ts, &sig, &event).await;
    assert_eq!(status, 202, "{first:#}");
    let job = first["job_id"].as_str().expect("job").to_owned();
    let (status, again) = post_svix(s, "msg_1", ts, &sig, &event).await;
    assert_eq!(
        (status, again["job_id"].as_str()),
        (200, Some(job.as_str())),
        "a redelivery names the same job"
    );
    let view = s
        .wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    assert_eq!(view["event_type"], "meeting_ended");
    assert_eq!(
        peer.hits(),
        2,
        "fetched once more after the 503, and once only"
    );
    let stored = s
        .app
        .store()
        .job(&s.org, &JobId::from(job.as_str()))
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(stored.payload["meeting_id"], "bot-42");
    assert_eq!(stored.payload["title"], "Northwind call");
    // The words are stored once, apart from the job, which keeps their id.
    assert!(stored.payload.get("utterances").is_none());
    assert!(stored.payload["transcript_id"].is_string());
    let words = baton::sales::transcripts::restored(s.app.store(), &s.org, stored.payload.clone())
        .await
        .expect("the transcript");
    assert_eq!(
        words["utterances"][0],
        json!({ "speaker": "rep", "speaker_name": "Jordan Avery",
                "text": "Thanks for making time, Marta. Where did you land on the pilot?",
                "start": 0.5, "end": 4.0 }),
        "the linked transcript, each speaker as rep or prospect"
    );
    assert_eq!(words["utterances"][1]["speaker"], "prospect");
    assert!(
        stored.payload.get("transcript_url").is_none(),
        "the presigned link is not handed to skills"
    );
    // The chain ran on the call's words: the rep's promise is an action
    // item, and the follow-up draft waits at its gate.
    let items = s.step_data(&job, "extract-action-items").await;
    assert!(
        items["action_items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["action"].as_str().is_some_and(|a| a.contains("proposal"))),
        "{items:#}"
    );
}

/// The call's words as Meeting BaaS v2's transcription artifact holds them.
fn v2_transcript() -> Value {
    let line = |speaker: &str, text: &str, start: f64, end: f64| {
        let words: Vec<Value> = text
            .split_whitespace()
            .map(|w| json!({ "word": w.trim_matches(|c: char| !c.is_alphanumeric()), "start": start, "end": end, "confidence": 0.9 }))
            .collect();
        json!({ "text": text, "language": "en", "start": start, "end": end, "confidence": 0.93,
                "channel": 0, "words": words, "speaker": speaker })
    };
    json!({ "bot_id": "bot-42", "provider": "gladia", "created_at": "2026-11-20T15:45:00Z",
        "result": { "languages": ["en"], "total_utterances": 3, "total_duration": 14.0, "utterances": [
            line("Jordan Avery", "Thanks for making time, Marta. Where did you land on the pilot?", 0.5, 4.0),
            line("Marta Ruiz", "The team liked it. We need the numbers before our board meets.", 4.5, 8.0),
            line("Jordan", "Understood. I'll send you the proposal with pricing for forty seats by Friday.", 8.5, 14.0),
        ] } })
}

/// A presigned-looking link to `peer`'s transcript.
fn transcript_link(peer: &HttpPeer) -> String {
    format!(
        "http://127.0.0.1:{}/bots/bot-42/transcription.json?X-Amz-Signature=abc123",
        peer.port
    )
}

/// A v2 `bot.completed` for the test org's rep, linking its transcript.
fn bot_completed(link: &str) -> String {
    json!({ "event": "bot.completed", "data": {
        "bot_id": "bot-42", "event_id": "ev-1", "transcription": link,
        "duration_seconds": 1800, "participants": [], "speakers": ["Jordan Avery", "Marta Ruiz"],
        "extra": { "baton_org": "acme", "baton_user": "rep1", "title": "Northwind call" } } })
    .to_string()
}

service_test!(
    meetingbaas_v2_transcript_that_cannot_be_had_fails_the_job_and_an_empty_one_runs_nothing,
    svix_setup(),
    meetingbaas_v2_transcript_that_cannot_be_had_fails_the_job_and_an_empty_one_runs_nothing_body
);

async fn meetingbaas_v2_transcript_that_cannot_be_had_fails_the_job_and_an_empty_one_runs_nothing_body(
    s: &Server,
) {
    let v = &svix_vector();
    let secret = v["secret"].as_str().expect("secret");
    let ts = v["svix-timestamp"].as_str().expect("ts");
    let at = svix_at(v);
    let deliver = async |msg: &str, body: &str| {
        let sig = sign_standard(secret, msg, at / 1000, body.as_bytes()).expect("sign");
        let (status, answer) = post_svix(s, msg, ts, &sig, body).await;
        assert_eq!(status, 202, "{answer:#}");
        answer["job_id"].as_str().expect("job").to_owned()
    };
    // The link expired: S3 answers 403, which asking again will not mend.
    let expired = HttpPeer::answering(
        Vec::new(),
        Answer::new(403, "<Error><Code>AccessDenied</Code></Error>"),
    );
    let job = deliver("msg_expired", &bot_completed(&transcript_link(&expired))).await;
    let view = s.wait_job(&job, |j| j["status"] == "failed").await;
    let error = view["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("transcript could not be fetched") && error.contains("HTTP 403"),
        "the job says why: {view:#}"
    );
    assert!(
        !error.contains("X-Amz-Signature"),
        "the link is not shown: {error}"
    );
    assert_eq!(expired.hits(), 1, "a 403 is not asked again");
    let runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(job.as_str()))
        .await
        .expect("runs");
    assert!(runs.is_empty(), "no step ran on an empty call: {runs:?}");

    // A call where nothing was transcribed: no chain, and why.
    let mut empty = v2_transcript();
    empty["result"]["utterances"] = json!([]);
    let silent = HttpPeer::answering(Vec::new(), Answer::json(empty));
    let body = bot_completed(&transcript_link(&silent)).replace("bot-42", "bot-43");
    let job = deliver("msg_silent", &body).await;
    let view = s.wait_job(&job, |j| j["status"] == "skipped").await;
    assert!(
        view["error"]
            .as_str()
            .unwrap_or_default()
            .contains("no utterances"),
        "{view:#}"
    );
    let runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(job.as_str()))
        .await
        .expect("runs");
    assert!(runs.is_empty(), "{runs:?}");
}

service_test!(
    meetingbaas_v1_complete_with_its_api_key,
    Setup {
        env: env(&[("BATON_MEETINGBAAS_API_KEY", "mb-key")]),
        ..Setup::default()
    },
    meetingbaas_v1_complete_with_its_api_key_body
);

async fn meetingbaas_v1_complete_with_its_api_key_body(s: &Server) {
    let text =
        std::fs::read_to_string(shared_data().join("webhooks/meetingbaas/payload_examples.json"))
            .expect("examples");
    let examples: Value = serde_json::from_str(&text).expect("parse");
    let mut complete = examples["files"]["api__reference__webhooks__webhook_documentation.mdx"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["event"] == "complete"))
        .cloned()
        .expect("a v1 complete example");
    complete["data"]["extra"] = json!({ "baton_org": "acme", "baton_user": "rep1",
        "attendees": ["Jane Smith <Jane.Smith@client.example>", "jordan.avery@acme.example"] });
    // The rep (Jordan Avery in the test org), shown by first name.
    complete["data"]["transcript"]
        .as_array_mut()
        .expect("transcript")
        .push(
            json!({ "speaker": "Jordan", "start_time": 3.0, "end_time": 4.0,
                      "words": [{ "word": "Thanks" }, { "word": "all" }] }),
        );
    let post = |key: &'static str, body: &Value| {
        s.http
            .post(s.url("/v1/webhooks/meetingbaas"))
            .header("x-meeting-baas-api-key", key)
            .json(body)
            .send()
    };
    let r = post("wrong", &complete).await.expect("post");
    assert_eq!(r.status().as_u16(), 401);
    let r = post("mb-key", &complete).await.expect("post");
    assert_eq!(r.status().as_u16(), 202);
    let job: Value = r.json().await.expect("json");
    let stored = s
        .app
        .store()
        .job(&s.org, &JobId::from(job["job_id"].as_str().expect("id")))
        .await
        .expect("job")
        .expect("exists");
    let words = baton::sales::transcripts::restored(s.app.store(), &s.org, stored.payload.clone())
        .await
        .expect("the transcript");
    assert_eq!(
        words["utterances"],
        json!([
            { "speaker": "prospect", "speaker_name": "John Doe", "text": "Hello everyone", "start": 1.5, "end": 2.4 },
            { "speaker": "rep", "speaker_name": "Jordan", "text": "Thanks all", "start": 3.0, "end": 4.0 },
        ])
    );
    // Who was on the call from outside: the rep's own address is dropped.
    assert_eq!(
        stored.payload["attendees"],
        json!(["jane.smith@client.example"])
    );
    // No owner in `extra`: a clear 422.
    complete["data"]["extra"] = json!({});
    let r = post("mb-key", &complete).await.expect("post");
    assert_eq!(r.status().as_u16(), 422);
    // A body that is not JSON at all: 400, as the docs say of malformed
    // JSON everywhere (issue 38: it was 422).
    let r = s
        .http
        .post(s.url("/v1/webhooks/meetingbaas"))
        .header("x-meeting-baas-api-key", "mb-key")
        .header("content-type", "application/json")
        .body("{\"event\": \"complete\", ")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}
