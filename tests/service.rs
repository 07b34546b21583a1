//! `baton serve` over real HTTP on loopback: the API, auth and org scoping,
//! problem documents, signed webhooks (with the shared Slack and Svix
//! vectors), Slack and SMTP delivery against real peers, the LLM connector,
//! the notifier's limits and the scheduler.

use baton::orchestrator::scheduler::Scheduler;
use baton::service::signature::{sign_slack, sign_standard};
use baton::store::{JobStatus, OrgId, Preferences, UserId};
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{
    Answer, HttpPeer, SmtpSink, TestDb, body_of, is_problem, service_test, shared_data,
    validate_blocks,
};
use serde_json::{Value, json};
use std::time::Duration;

service_test!(
    events_are_accepted_once_and_mistakes_are_4xx,
    Setup::default(),
    events_are_accepted_once_and_mistakes_are_4xx_body
);

async fn events_are_accepted_once_and_mistakes_are_4xx_body(s: &Server) {
    let (status, first) = s.event("m-1").await;
    assert_eq!(status, 202, "{first:#}");
    let job = first["job_id"].as_str().expect("job id").to_owned();
    let (status, again) = s.event("m-1").await;
    assert_eq!(status, 200, "a redelivery is not an error: {again:#}");
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(
        again["job_id"],
        job.as_str(),
        "and names the job already handling it"
    );

    let (status, body) = s.post("/v1/events", json!({ "type": "meeting_ended", "user": "nobody", "payload": { "meeting_id": "m-2" } })).await;
    is_problem(status, &body, 404);
    assert_eq!(body["reason"], "unknown_user");
    let (status, body) = s
        .post(
            "/v1/events",
            json!({ "type": "nope", "user": "rep1", "payload": {} }),
        )
        .await;
    is_problem(status, &body, 422);
    assert_eq!(body["reason"], "unknown_type");
    let (status, body) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": {}, "colour": 1 }),
        )
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or("").contains("colour"),
        "names the field: {body:#}"
    );

    let r = s
        .http
        .post(s.url("/v1/events"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body("{\"type\": ")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let huge = "x".repeat(2 << 20);
    // The server answers 413 without reading the rest and closes the
    // connection: a client of its own, so no pooled connection is reused.
    let r = reqwest::Client::new()
        .post(s.url("/v1/events"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        413,
        "bodies over the limit are refused"
    );

    let (status, body) = s.get("/v1/jobs?limit=0").await;
    is_problem(status, &body, 400);
    let (status, body) = s.get("/v1/jobs?status=sideways").await;
    is_problem(status, &body, 400);
    let (status, jobs) = s.get("/v1/jobs").await;
    assert_eq!(status, 200);
    assert_eq!(jobs.as_array().map(Vec::len), Some(1));
    let (status, body) = s.get("/v1/nowhere").await;
    is_problem(status, &body, 404);
}

service_test!(
    tokens_scope_every_route_to_their_org,
    Setup::default(),
    tokens_scope_every_route_to_their_org_body
);

async fn tokens_scope_every_route_to_their_org_body(s: &Server) {
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    // A second org with its own token sees none of it.
    let store = s.app.store();
    let other = store
        .upsert_org("globex", "Globex", &json!({}))
        .await
        .expect("org");
    let (_, other_token) = store.create_token(&other, "t", T0).await.expect("token");
    for path in [
        format!("/v1/jobs/{job}"),
        format!("/v1/approvals/{}", gate["id"].as_str().unwrap_or("")),
    ] {
        let r = s
            .http
            .get(s.url(&path))
            .bearer_auth(&other_token)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 404, "{path} is another org's");
    }
    let r = s
        .http
        .post(s.url(&format!(
            "/v1/approvals/{}/decision",
            gate["id"].as_str().unwrap_or("")
        )))
        .bearer_auth(&other_token)
        .json(&json!({ "decision": "approved" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 404, "nor decide its gates");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&other_token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.json::<Value>().await.expect("json"), json!([]));
    // No token, a bad token, a revoked token.
    let r = s.http.get(s.url("/v1/jobs")).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth("bt_nope")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 401);
    let tokens = store.tokens(&other).await.expect("tokens");
    store
        .revoke_token(&other, &tokens[0].id, T0)
        .await
        .expect("revoke");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&other_token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 401, "a revoked token is refused");
    // Operator routes are off without BATON_ADMIN_TOKEN.
    let (status, body) = s.get("/v1/admin/orgs").await;
    is_problem(status, &body, 403);
}

service_test!(
    approvals_are_decided_once_over_the_api,
    Setup::default(),
    approvals_are_decided_once_over_the_api_body
);

async fn approvals_are_decided_once_over_the_api_body(s: &Server) {
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let id = gate["id"].as_str().expect("gate id");
    assert_eq!(gate["pattern"], "confirm");
    assert_eq!(
        gate["body"]["actions"][0]["payload"]["subject"],
        "Next steps"
    );
    let path = format!("/v1/approvals/{id}/decision");
    let (status, body) = s
        .post(&path, json!({ "decision": "chosen", "value": 3 }))
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s.post(&path, json!({ "decision": "maybe" })).await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .post(&path, json!({ "decision": "approved", "by": "jordan" }))
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["status"], "decided");
    let (status, body) = s.post(&path, json!({ "decision": "skipped" })).await;
    is_problem(status, &body, 409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("already decided by api:tests"),
        "{body:#}"
    );
    // The job goes on; without SMTP configured the email waits in the outbox.
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["effects"][0]["kind"], "email_send");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_and_the_openapi_document_match_the_router() {
    let db = TestDb::sqlite().await;
    let s = start(db.store.clone(), Setup::default()).await;
    let r = s.http.get(s.url("/healthz")).send().await.expect("healthz");
    assert_eq!(r.status().as_u16(), 200);
    let r = s.http.get(s.url("/readyz")).send().await.expect("readyz");
    assert_eq!(r.status().as_u16(), 200);
    s.event("m-1").await;
    s.post(
        "/v1/events",
        json!({ "type": "nope", "user": "rep1", "payload": {} }),
    )
    .await;
    let text = s
        .http
        .get(s.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("baton_events_total{outcome=\"accepted\",reason=\"\"}"),
        "{text}"
    );
    assert!(text.contains("reason=\"unknown_type\""), "{text}");
    assert!(text.contains("baton_approvals_pending"), "{text}");
    assert!(text.contains("baton_outbox_lag_seconds"), "{text}");
    assert!(
        !text.contains("meeting_id") && !text.contains("acme.example"),
        "no customer data in metrics"
    );
    let doc: Value = s
        .http
        .get(s.url("/openapi.json"))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(
        paths.len() >= 25,
        "every route is documented ({})",
        paths.len()
    );
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "x")
            .replace("{handle}", "rep1")
            .replace("{slug}", "acme")
            .replace("{event_type}", "meeting_ended")
            .replace("{source}", "crm");
        for method in ops.as_object().expect("ops").keys() {
            let req = s.http.request(
                method.to_uppercase().parse().expect("method"),
                s.url(&concrete),
            );
            let r = req.send().await.expect("request");
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            assert!(
                !body.contains("no route for") && status != 405,
                "{method} {path} is documented but not served ({status})"
            );
        }
    }
    s.stop().await;
    db.finish().await;
}

fn slack_vectors() -> Value {
    let text = std::fs::read_to_string(shared_data().join("slack/slack_signing_vectors.json"))
        .expect("slack vectors");
    serde_json::from_str(&text).expect("vectors parse")
}

async fn post_slack(s: &Server, ts: &str, sig: &str, body: &str) -> u16 {
    s.http
        .post(s.url("/v1/webhooks/slack/interactions"))
        .header("x-slack-request-timestamp", ts)
        .header("x-slack-signature", sig)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_signing_vectors_pass_and_tampered_ones_fail() {
    let v = slack_vectors();
    for case in ["slack_docs_vector", "block_actions_form_encoded"] {
        let c = &v[case];
        let ts = c["X-Slack-Request-Timestamp"].as_str().expect("ts");
        let body = c["body"].as_str().or(c["raw_body"].as_str()).expect("body");
        let sig = c["X-Slack-Signature"].as_str().expect("sig");
        let secret = c["signing_secret"].as_str().expect("secret");
        let at: i64 = ts.parse::<i64>().expect("ts") * 1000;
        let db = TestDb::sqlite().await;
        let s = start(
            db.store.clone(),
            Setup {
                at,
                env: env(&[("BATON_SLACK_SIGNING_SECRET", secret)]),
                ..Setup::default()
            },
        )
        .await;
        assert_eq!(
            post_slack(&s, ts, sig, body).await,
            200,
            "{case}: the vector verifies"
        );
        assert_eq!(
            post_slack(&s, ts, sig, &format!("{body}------")).await,
            401,
            "{case}: a tampered body fails"
        );
        let mut flipped = sig.to_owned();
        flipped.replace_range(5..6, if &sig[5..6] == "0" { "1" } else { "0" });
        assert_eq!(
            post_slack(&s, ts, &flipped, body).await,
            401,
            "{case}: a tampered signature fails"
        );
        assert_eq!(
            post_slack(&s, "", sig, body).await,
            401,
            "{case}: no timestamp fails"
        );
        s.clock.advance(6 * 60_000);
        assert_eq!(
            post_slack(&s, ts, sig, body).await,
            401,
            "{case}: older than 5 minutes fails"
        );
        s.stop().await;
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slack_button_decides_the_approval_and_the_job_resumes() {
    let db = TestDb::sqlite().await;
    let secret = "slack-test-secret";
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_SLACK_SIGNING_SECRET", secret)]),
            ..Setup::default()
        },
    )
    .await;
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let value = format!("{}:{}:approve", s.org.0, gate["id"].as_str().expect("id"));
    let payload = json!({ "type": "block_actions", "user": { "id": "U1", "username": "jordan" },
        "actions": [{ "action_id": "baton.approve", "value": value, "type": "button" }] });
    let body = format!(
        "payload={}",
        form_urlencoded::byte_serialize(payload.to_string().as_bytes()).collect::<String>()
    );
    let ts = (T0 / 1000).to_string();
    let sig = sign_slack(secret, T0 / 1000, body.as_bytes()).expect("sign");
    let started = std::time::Instant::now();
    assert_eq!(post_slack(&s, &ts, &sig, &body).await, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "Slack is answered within 3 s"
    );
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["approvals"][0]["status"], "decided");
    let stored = s
        .app
        .store()
        .pending_action(&s.org, gate["id"].as_str().expect("id"))
        .await
        .expect("gate")
        .expect("exists");
    assert_eq!(
        stored.decided_by.as_deref(),
        Some("slack:U1"),
        "the Slack user id Slack signed for, not the display name"
    );
    s.stop().await;
    db.finish().await;
}

fn webhook_vectors() -> Value {
    let text =
        std::fs::read_to_string(shared_data().join("webhooks/google_push_gmail_pubsub_svix.json"))
            .expect("vectors");
    serde_json::from_str(&text).expect("parse")
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetingbaas_v2_svix_vector_passes_tampered_fails_and_redelivery_is_one_job() {
    let v = &webhook_vectors()["svix_standard_webhooks_vector"];
    let secret = v["secret"].as_str().expect("secret");
    let (id, ts, sig, body) = (
        v["svix-id"].as_str().expect("id"),
        v["svix-timestamp"].as_str().expect("ts"),
        v["svix-signature"].as_str().expect("sig"),
        v["body"].as_str().expect("body"),
    );
    let at = ts.parse::<i64>().expect("ts") * 1000;
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            at,
            env: env(&[("BATON_MEETINGBAAS_WEBHOOK_SECRET", secret)]),
            ..Setup::default()
        },
    )
    .await;
    let (status, answer) = post_svix(&s, id, ts, sig, body).await;
    assert_eq!(status, 200, "the reference vector verifies: {answer:#}");
    assert_eq!(
        answer["outcome"], "ignored",
        "and, not being a meeting, is acknowledged"
    );
    let (status, _) = post_svix(&s, id, ts, sig, &body.replace("2432232314", "2432232315")).await;
    assert_eq!(status, 401, "a tampered body fails");
    let (status, _) = post_svix(&s, "msg_other", ts, sig, body).await;
    assert_eq!(status, 401, "another message id fails");
    let (status, _) = post_svix(&s, id, ts, "v1,AAAA", body).await;
    assert_eq!(status, 401);
    // A real bot.completed, in v2's layout.
    let event = json!({ "event": "bot.completed", "data": {
        "bot_id": "bot-42", "event_id": "ev-1", "transcription": "https://s3.example/t.json",
        "duration_seconds": 1800, "participants": [], "speakers": ["Jordan", "Marta"],
        "extra": { "baton_org": "acme", "baton_user": "rep1", "title": "Northwind call" } } })
    .to_string();
    let sig = sign_standard(secret, "msg_1", at / 1000, event.as_bytes()).expect("sign");
    let (status, first) = post_svix(&s, "msg_1", ts, &sig, &event).await;
    assert_eq!(status, 202, "{first:#}");
    let job = first["job_id"].as_str().expect("job").to_owned();
    let (status, again) = post_svix(&s, "msg_1", ts, &sig, &event).await;
    assert_eq!(
        (status, again["job_id"].as_str()),
        (200, Some(job.as_str())),
        "a redelivery names the same job"
    );
    let view = s
        .wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    assert_eq!(view["event_type"], "meeting_ended");
    let stored = s
        .app
        .store()
        .job(&s.org, &job)
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(stored.payload["meeting_id"], "bot-42");
    assert_eq!(
        stored.payload["transcript_url"],
        "https://s3.example/t.json"
    );
    assert_eq!(stored.payload["title"], "Northwind call");
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetingbaas_v1_complete_with_its_api_key() {
    let text =
        std::fs::read_to_string(shared_data().join("webhooks/meetingbaas/payload_examples.json"))
            .expect("examples");
    let examples: Value = serde_json::from_str(&text).expect("parse");
    let mut complete = examples["files"]["api__reference__webhooks__webhook_documentation.mdx"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["event"] == "complete"))
        .cloned()
        .expect("a v1 complete example");
    complete["data"]["extra"] = json!({ "baton_org": "acme", "baton_user": "rep1" });
    // The rep (Jordan Avery in the test org), shown by first name.
    complete["data"]["transcript"]
        .as_array_mut()
        .expect("transcript")
        .push(
            json!({ "speaker": "Jordan", "start_time": 3.0, "end_time": 4.0,
                      "words": [{ "word": "Thanks" }, { "word": "all" }] }),
        );
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_MEETINGBAAS_API_KEY", "mb-key")]),
            ..Setup::default()
        },
    )
    .await;
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
        .job(&s.org, job["job_id"].as_str().expect("id"))
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(
        stored.payload["utterances"],
        json!([
            { "speaker": "prospect", "speaker_name": "John Doe", "text": "Hello everyone", "start": 1.5, "end": 2.4 },
            { "speaker": "rep", "speaker_name": "Jordan", "text": "Thanks all", "start": 3.0, "end": 4.0 },
        ])
    );
    // No owner in `extra`: a clear 422.
    complete["data"]["extra"] = json!({});
    let r = post("mb-key", &complete).await.expect("post");
    assert_eq!(r.status().as_u16(), 422);
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gmail_push_in_both_alphabets_and_calendar_push_channels() {
    const EMAIL: &str = r#"
event = "email_received"
dedupe_key = "message_id"
[[step]]
skill = "scripted"
"#;
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[EMAIL],
            env: env(&[("BATON_GMAIL_PUSH_TOKEN", "push-secret")]),
            ..Setup::default()
        },
    )
    .await;
    let v = &webhook_vectors()["gmail_pubsub_push"];
    let push = |body: Value, token: &str| {
        s.http
            .post(s.url(&format!("/v1/webhooks/gmail?token={token}")))
            .json(&body)
            .send()
    };
    let r = push(v["push_body_example"].clone(), "push-secret")
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        200,
        "an unknown mailbox is acknowledged"
    );
    assert_eq!(
        r.json::<Value>().await.expect("json")["reason"],
        "unknown_mailbox"
    );
    let r = push(v["push_body_example"].clone(), "wrong")
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401);
    use base64::Engine;
    let note =
        json!({ "emailAddress": "Jordan.Avery@acme.example", "historyId": "99887766" }).to_string();
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(note.as_bytes());
    let body = json!({ "message": { "data": url_safe, "messageId": "pubsub-1", "publishTime": "2026-11-23T15:00:00Z" }, "subscription": "s" });
    let r = push(body.clone(), "push-secret").await.expect("post");
    assert_eq!(r.status().as_u16(), 202);
    let first: Value = r.json().await.expect("json");
    let r = push(body, "push-secret").await.expect("post");
    assert_eq!(r.status().as_u16(), 200, "Pub/Sub redelivery");
    assert_eq!(
        r.json::<Value>().await.expect("json")["job_id"],
        first["job_id"]
    );
    let padded = base64::engine::general_purpose::STANDARD.encode(note.as_bytes());
    let r = push(
        json!({ "message": { "data": padded, "message_id": "pubsub-2" } }),
        "push-secret",
    )
    .await
    .expect("post");
    assert_eq!(r.status().as_u16(), 202, "standard alphabet, snake_case id");
    let r = push(
        json!({ "message": { "data": "%%%", "messageId": "pubsub-3" } }),
        "push-secret",
    )
    .await
    .expect("post");
    assert_eq!(r.status().as_u16(), 422);

    // Calendar push: only channels we opened, with their token.
    let store = s.app.store();
    let cal = store
        .add_calendar_source(
            &s.org,
            &s.user,
            "google",
            "primary",
            Some(("chan-1", "tok-1")),
        )
        .await
        .expect("calendar");
    let g = webhook_vectors()["google_calendar_push"]["notification_example_headers"].clone();
    let calendar = |channel: &str, token: &str, state: &str| {
        let mut req = s.http.post(s.url("/v1/webhooks/google-calendar"));
        for (k, v) in g.as_object().expect("headers") {
            if !matches!(
                k.to_ascii_lowercase().as_str(),
                "x-goog-channel-id"
                    | "x-goog-channel-token"
                    | "x-goog-resource-state"
                    | "content-length"
            ) {
                req = req.header(k.as_str(), v.as_str().unwrap_or(""));
            }
        }
        req.header("X-GoOG-CHANNEL-ID", channel)
            .header("x-goog-channel-token", token)
            .header("X-Goog-Resource-State", format!("  {state}"))
            .send()
    };
    assert_eq!(
        calendar("chan-1", "tok-1", "sync")
            .await
            .expect("post")
            .status()
            .as_u16(),
        200
    );
    assert!(
        store.calendars_to_sync().await.expect("list").is_empty(),
        "sync only confirms the channel"
    );
    assert_eq!(
        calendar("other", "tok-1", "exists")
            .await
            .expect("post")
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        calendar("chan-1", "bad", "exists")
            .await
            .expect("post")
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        calendar("chan-1", "tok-1", "exists")
            .await
            .expect("post")
            .status()
            .as_u16(),
        200
    );
    let due = store.calendars_to_sync().await.expect("list");
    assert_eq!(
        due.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        vec![cal]
    );
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generic_webhooks_are_signed_per_source() {
    let db = TestDb::sqlite().await;
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_WEBHOOK_SECRET_CRM", secret)]),
            ..Setup::default()
        },
    )
    .await;
    let body = json!({ "type": "meeting_ended", "org": "acme", "user": "rep1", "payload": { "meeting_id": "g-1" } }).to_string();
    let send = |source: &str, sig: String| {
        s.http
            .post(s.url(&format!("/v1/webhooks/generic/{source}")))
            .header("webhook-id", "wh-1")
            .header("webhook-timestamp", (T0 / 1000).to_string())
            .header("webhook-signature", sig)
            .body(body.clone())
            .send()
    };
    let good = sign_standard(secret, "wh-1", T0 / 1000, body.as_bytes()).expect("sign");
    assert_eq!(
        send("crm", good.clone())
            .await
            .expect("post")
            .status()
            .as_u16(),
        202
    );
    assert_eq!(
        send("crm", good.clone())
            .await
            .expect("post")
            .status()
            .as_u16(),
        200,
        "redelivery"
    );
    assert_eq!(
        send("crm", "v1,AAAA".into())
            .await
            .expect("post")
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        send("billing", good.clone())
            .await
            .expect("post")
            .status()
            .as_u16(),
        403,
        "no secret for this source"
    );
    assert_eq!(
        send("bad source!", good)
            .await
            .expect("post")
            .status()
            .as_u16(),
        400
    );
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_requests_go_to_slack_through_a_429_and_every_template_is_valid_block_kit() {
    let slack = HttpPeer::answering(
        vec![Answer::new(429, "slow down").header("retry-after", "1")],
        Answer::json(json!({ "ok": true, "channel": "D123", "ts": "1700000000.000100" })),
    );
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let mut prefs = Preferences {
        slack_channel: Some("D123".into()),
        ..Preferences::default()
    };
    prefs.max_notifications_per_hour = 1;
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let (_, a) = s.event("m-1").await;
    let (_, b) = s.event("m-2").await;
    s.open_gate(a["job_id"].as_str().expect("a")).await;
    s.open_gate(b["job_id"].as_str().expect("b")).await;
    for _ in 0..100 {
        if slack.hits() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requests = slack.requests();
    assert_eq!(
        requests.len(),
        2,
        "the 429 was retried after Retry-After; the second gate waits (1 an hour)"
    );
    assert!(
        requests[1]
            .to_lowercase()
            .contains("authorization: bearer xoxb-test")
    );
    assert!(requests[1].starts_with("POST /api/chat.postMessage"));
    let posted: Value = serde_json::from_str(body_of(&requests[1])).expect("json body");
    assert_eq!(posted["channel"], "D123");
    // An hour later the deferred request goes out.
    s.clock.advance(3_601_000);
    for _ in 0..100 {
        if slack.hits() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(slack.hits(), 3, "deferred, never dropped");
    // Every template, validated by slack_sdk.
    let gates = s
        .app
        .store()
        .pending_actions(&s.org, Some("open"), 10)
        .await
        .expect("gates");
    let mut g = gates[0].clone();
    let mut messages = serde_json::Map::new();
    messages.insert("posted".into(), posted["blocks"].clone());
    for pattern in ["confirm", "choose", "batch"] {
        g.pattern = pattern.into();
        g.options = (1..=7)
            .map(|i| format!("Option {i} {}", "long text ".repeat(20)))
            .collect();
        g.title = "T".repeat(400);
        messages.insert(
            pattern.into(),
            baton::connectors::blocks::approval_request(&g, Some("http://x/inbox")).1,
        );
    }
    messages.insert(
        "inform".into(),
        baton::connectors::blocks::inform("Summary", &"long <b>&</b> ".repeat(600)).1,
    );
    messages.insert(
        "decided".into(),
        baton::connectors::blocks::decided("Next steps", "Approved by slack:jordan").1,
    );
    let report = validate_blocks(&Value::Object(messages));
    for (name, errors) in report.as_object().expect("report") {
        assert_eq!(errors, &json!([]), "{name} is valid Block Kit");
    }
    // The validator itself refuses what Slack would (it is not a check that cannot fail).
    let bad = validate_blocks(
        &json!({ "unknown": [{ "type": "nonsense" }], "long": [{ "type": "header", "text": { "type": "plain_text", "text": "x".repeat(200) } }] }),
    );
    assert_ne!(bad["unknown"], json!([]));
    assert_ne!(bad["long"], json!([]));
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_email_reaches_the_smtp_server_as_the_rep_and_is_audited() {
    let smtp = SmtpSink::start();
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
            ..Setup::default()
        },
    )
    .await;
    let prefs = Preferences {
        email_signature: Some("Jordan Avery\nAcme".into()),
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let edited = json!({ "to": "marta.ruiz@northwind.example", "subject": "Next steps (edited)", "body": "Hi Marta,\n\nEdited.", "in_reply_to": "<thread-1@northwind.example>" });
    let (status, _) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "edited", "value": edited }),
        )
        .await;
    assert_eq!(status, 200);
    for _ in 0..200 {
        if !smtp.messages().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one email");
    assert_eq!(mail[0]["mail_from"], "jordan.avery@acme.example");
    assert_eq!(mail[0]["rcpt_tos"], json!(["marta.ruiz@northwind.example"]));
    let data = mail[0]["data"].as_str().expect("data");
    assert!(
        data.contains("From: \"Jordan Avery\" <jordan.avery@acme.example>")
            || data.contains("From: Jordan Avery <jordan.avery@acme.example>"),
        "{data}"
    );
    assert!(data.contains("Subject: Next steps (edited)"), "{data}");
    assert!(
        data.contains("In-Reply-To: <thread-1@northwind.example>"),
        "{data}"
    );
    assert!(
        data.contains("References: <thread-1@northwind.example>"),
        "{data}"
    );
    assert!(
        data.contains("Edited.") && data.contains("-- \r\nJordan Avery"),
        "the signature is appended: {data}"
    );
    let audit = s.app.store().audit_log(&s.org, 10).await.expect("audit");
    assert_eq!(audit[0].kind, "email_sent");
    let message_id = audit[0].detail["message_id"].as_str().expect("message id");
    assert!(
        data.contains(&format!("Message-ID: {message_id}")),
        "the recorded Message-ID is the sent one: {data}"
    );
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_connector_answers_skills_and_its_tokens_are_charged() {
    const ASK: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"
[[step]]
name = "ask"
skill = "scripted"
params = { llm = "Summarise the call" }
"#;
    let llm = HttpPeer::answering(
        vec![],
        Answer::json(json!({
        "choices": [{ "message": { "role": "assistant", "content": "A short summary." } }],
        "usage": { "prompt_tokens": 1200, "completion_tokens": 300 } })),
    );
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[ASK],
            env: env(&[(
                "BATON_LLM_URL",
                &format!("http://127.0.0.1:{}/v1", llm.port),
            )]),
            ..Setup::default()
        },
    )
    .await;
    let (_, first) = s.event("m-1").await;
    let job = s
        .wait_job(first["job_id"].as_str().expect("job"), |j| {
            j["status"] == "completed"
        })
        .await;
    let runs = s
        .app
        .store()
        .step_runs(&s.org, job["id"].as_str().expect("id"))
        .await
        .expect("runs");
    let output = runs[0].output.clone().expect("the step's output is kept");
    assert_eq!(output["data"]["llm"], "A short summary.");
    let request = &llm.requests()[0];
    assert!(
        request.starts_with("POST /v1/chat/completions"),
        "{request}"
    );
    let sent: Value = serde_json::from_str(body_of(request)).expect("json");
    assert_eq!(sent["model"], "test-model");
    assert_eq!(sent["messages"][0]["content"], "Summarise the call");
    // 1200 in × $3/M + 300 out × $15/M = 3600 + 4500 µ$, plus fuel.
    let cost = job["execution"]["total_cost_micros"]
        .as_i64()
        .expect("cost");
    assert!(cost >= 8100, "LLM tokens are charged: {cost}");
    s.stop().await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_events_fire_once_across_replicas() {
    const BRIEF: &str =
        "event = \"morning_brief\"\ndedupe_key = \"date\"\n[[step]]\nskill = \"scripted\"\n";
    const PRE: &str = "event = \"pre_meeting_90min\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n";
    let db = TestDb::postgres().await;
    // 08:05 in New York on Monday 2026-11-23 is 13:05 UTC.
    let at = T0 - 2 * 3_600_000 + 5 * 60_000;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[BRIEF, PRE],
            at,
            ..Setup::default()
        },
    )
    .await;
    let store = s.app.store();
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        briefing_time_min: 8 * 60,
        ..Preferences::default()
    };
    store
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let second_rep = store
        .upsert_user(&s.org, "rep2", "Priya", "priya@acme.example", "rep")
        .await
        .expect("rep2");
    store
        .set_preferences(
            &s.org,
            &second_rep,
            &Preferences {
                timezone: "Europe/London".into(),
                ..prefs.clone()
            },
        )
        .await
        .expect("prefs");
    sqlx_insert_meeting(&db.url, &s.org, &s.user, at + 60 * 60_000).await;
    // Two replicas tick at once.
    let a = Scheduler::new(s.app.orch.clone());
    let b = Scheduler::new(s.app.orch.clone());
    // Three schedulers race: the server's own, and two more as replicas.
    let (x, y) = tokio::join!(a.tick(at), b.tick(at));
    x.expect("tick");
    y.expect("tick");
    assert_eq!(
        a.tick(at + 60_000).await.expect("tick"),
        0,
        "nothing fires twice"
    );
    assert_eq!(
        b.tick(at + 30 * 60_000).await.expect("tick"),
        0,
        "nor later the same day"
    );
    let jobs = store.jobs(&s.org, 10).await.expect("jobs");
    let mut kinds: Vec<_> = jobs.iter().map(|j| j.event_type.clone()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["morning_brief", "pre_meeting_90min"],
        "one brief for rep1 (08:05 in New York) and one pre-meeting; in London it is 13:05, too late for rep2's 08:00 brief"
    );
    assert!(jobs.iter().all(|j| j.user_id == s.user));
    s.stop().await;
    db.finish().await;
}

async fn sqlx_insert_meeting(url: &str, org: &OrgId, user: &UserId, starts_at: i64) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    sqlx::query("INSERT INTO meetings (id, org_id, external_id, user_id, title, starts_at) VALUES ('mt-1', $1, 'ext-1', $2, 'Harbour review', $3)")
        .bind(&org.0).bind(&user.0).bind(starts_at).execute(&mut conn).await.expect("meeting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_the_step_in_flight_checkpoint() {
    const SLOW: &str = "event = \"meeting_ended\"\ndedupe_key = \"meeting_id\"\n[[step]]\nname = \"slow\"\nskill = \"scripted\"\nparams = { sleep_ms = 1500 }\n";
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[SLOW],
            ..Setup::default()
        },
    )
    .await;
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&job, |j| j["status"] == "running").await;
    let store = s.app.store().clone();
    let org = s.org.clone();
    s.stop().await;
    let j = store.job(&org, &job).await.expect("job").expect("exists");
    assert_eq!(
        j.status,
        JobStatus::Completed,
        "the step in flight finished and was checkpointed before exit"
    );
    db.finish().await;
}

/// The demo's path with the shipped skills: a Meeting BaaS `complete`
/// webhook (speakers by name) → detect-intents → draft-followup-email at a
/// confirm gate → approved → sent over SMTP to the CRM contact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_webhook_runs_the_shipped_skills_to_a_draft_that_is_sent_once_approved() {
    let root = baton_tests::root();
    let sequence = std::fs::read_to_string(root.join("sequences/meeting_ended.toml"))
        .expect("the shipped sequence");
    let mut webhook: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("examples/webhooks/meetingbaas-complete.json"))
            .expect("the sample webhook"),
    )
    .expect("JSON");
    webhook["data"]["extra"]["baton_org"] = json!("acme");
    let smtp = SmtpSink::start();
    let db = TestDb::sqlite().await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&sequence],
            skills: &[
                "extract-action-items",
                "detect-intents",
                "suggest-next-actions",
                "draft-followup-email",
                "update-crm-from-meeting",
                "create-tasks-from-actions",
                "notify-slack-summary",
            ],
            env: env(&[
                ("BATON_MEETINGBAAS_API_KEY", "mb-key"),
                ("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port)),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let (status, imported) = s
        .post(
            "/v1/crm/import",
            json!({
                "org": { "slug": "acme", "name": "Acme" },
                "companies": [{ "name": "Northwind Logistics", "domain": "northwind.example" }],
                "contacts": [{ "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example",
                               "company": "Northwind Logistics" }],
            }),
        )
        .await;
    assert_eq!(status, 200, "{imported}");
    let r = s
        .http
        .post(s.url("/v1/webhooks/meetingbaas"))
        .header("x-meeting-baas-api-key", "mb-key")
        .json(&webhook)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 202);
    let accepted: Value = r.json().await.expect("json");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    s.open_gate(&job).await;
    let (_, gates) = s.get("/v1/approvals").await;
    let gate = gates
        .as_array()
        .and_then(|g| {
            g.iter()
                .find(|g| g["job_id"] == job.as_str() && g["step_name"] == "draft-followup-email")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no draft gate: {gates:#}"));

    let email = &gate["body"]["actions"][0]["payload"];
    assert_eq!(email["to"], "marta.ruiz@northwind.example");
    assert_eq!(email["subject"], "Following up: Northwind discovery call");
    let body = email["body"].as_str().expect("body");
    assert!(body.starts_with("Hi Marta,"), "{body}");
    assert!(
        body.contains("- I'll send you a proposal with pricing for forty seats by Friday."),
        "the rep's commitment, from the transcript: {body}"
    );
    assert!(
        body.contains("We have budget set aside for this in Q1."),
        "{body}"
    );
    assert!(
        !body.contains("Gainsight"),
        "no competitor talk in the email: {body}"
    );
    assert!(body.ends_with("Best,\nJordan\n"), "{body}");

    let (status, _) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(status, 200);
    // The tasks still wait at their own gate; the email goes out now.
    s.wait_job(&job, |j| {
        j["effects"].as_array().is_some_and(|e| {
            e.iter()
                .any(|e| e["kind"] == "email_send" && e["status"] == "delivered")
        })
    })
    .await;
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one email");
    assert_eq!(mail[0]["rcpt_tos"], json!(["marta.ruiz@northwind.example"]));
    let data = mail[0]["data"].as_str().expect("data");
    assert!(data.contains("forty seats by Friday"), "{data}");
    s.stop().await;
    db.finish().await;
}
