//! Slack both ways: signed interactions verified against the shared
//! vectors, a button that decides an approval, and approval requests
//! posted through a 429 within the notifier's hourly limit, every template
//! valid Block Kit, and posts to a rep within the same limit.

use baton::service::signature::sign_slack;
use baton::store::{GateId, GateStatus, Pattern, Preferences};
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, service_test, shared_data,
    stays, until, validate_blocks,
};
use serde_json::{Value, json};
use std::time::Duration;

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

backend_test!(
    slack_signing_vectors_pass_and_tampered_ones_fail,
    slack_signing_vectors_pass_and_tampered_ones_fail_body
);

async fn slack_signing_vectors_pass_and_tampered_ones_fail_body(backend: Backend) {
    let v = slack_vectors();
    for case in ["slack_docs_vector", "block_actions_form_encoded"] {
        let c = &v[case];
        let ts = c["X-Slack-Request-Timestamp"].as_str().expect("ts");
        let body = c["body"].as_str().or(c["raw_body"].as_str()).expect("body");
        let sig = c["X-Slack-Signature"].as_str().expect("sig");
        let secret = c["signing_secret"].as_str().expect("secret");
        let at: i64 = ts.parse::<i64>().expect("ts") * 1000;
        let db = TestDb::new(backend).await;
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

const BUTTON_SECRET: &str = "slack-test-secret";

service_test!(
    a_slack_button_decides_the_approval_and_the_job_resumes,
    Setup {
        env: env(&[("BATON_SLACK_SIGNING_SECRET", BUTTON_SECRET)]),
        ..Setup::default()
    },
    a_slack_button_decides_the_approval_and_the_job_resumes_body
);

async fn a_slack_button_decides_the_approval_and_the_job_resumes_body(s: &Server) {
    s.map_slack_user("U1").await;
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
    let sig = sign_slack(BUTTON_SECRET, T0 / 1000, body.as_bytes()).expect("sign");
    let started = std::time::Instant::now();
    assert_eq!(post_slack(s, &ts, &sig, &body).await, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "Slack is answered within 3 s"
    );
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["approvals"][0]["status"], "decided");
    let stored = s
        .app
        .store()
        .pending_action(&s.org, &GateId::from(gate["id"].as_str().expect("id")))
        .await
        .expect("gate")
        .expect("exists");
    assert_eq!(
        stored.decided_by.as_deref(),
        Some("slack:U1"),
        "the Slack user id Slack signed for, not the display name"
    );
}

backend_test!(
    approval_requests_go_to_slack_through_a_429_and_every_template_is_valid_block_kit,
    approval_requests_go_to_slack_through_a_429_and_every_template_is_valid_block_kit_body
);

async fn approval_requests_go_to_slack_through_a_429_and_every_template_is_valid_block_kit_body(
    backend: Backend,
) {
    let slack = HttpPeer::answering(
        vec![Answer::new(429, "slow down").header("retry-after", "1")],
        Answer::json(json!({ "ok": true, "channel": "D123", "ts": "1700000000.000100" })),
    );
    let db = TestDb::new(backend).await;
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
    until("two requests reach Slack", PATIENCE, async || {
        slack.hits() >= 2
    })
    .await;
    stays(
        "the second gate's request waits (1 an hour)",
        Duration::from_millis(300),
        async || slack.hits() == 2,
    )
    .await;
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
    until("the deferred request goes out", PATIENCE, async || {
        slack.hits() >= 3
    })
    .await;
    assert_eq!(slack.hits(), 3, "deferred, never dropped");
    // Every template, validated by slack_sdk.
    let gates = s
        .app
        .store()
        .pending_actions(
            &s.org,
            &baton::store::Reach::Org,
            Some(GateStatus::Open),
            10,
        )
        .await
        .expect("gates");
    let mut g = gates[0].clone();
    let mut messages = serde_json::Map::new();
    messages.insert("posted".into(), posted["blocks"].clone());
    for pattern in [Pattern::Confirm, Pattern::Choose, Pattern::Batch] {
        g.pattern = pattern;
        g.options = (1..=7)
            .map(|i| format!("Option {i} {}", "long text ".repeat(20)))
            .collect();
        g.title = "T".repeat(400);
        messages.insert(
            pattern.as_str().into(),
            baton::connectors::blocks::approval_request(
                &g,
                &baton::sales::extensions(),
                Some("http://x/inbox"),
            )
            .1,
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
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

/// A meeting ends; a note goes to the rep's own Slack channel (no channel
/// named: theirs), inform-only, so to the outbox at once.
const NOTE_TO_REP: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "note"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Meeting prep", payload = { title = "Meeting prep", text = "Notes for your next call." } }] }
"#;

/// The same note naming the rep's own channel: still a notice to them.
const NAMED_TO_REP: &str = r#"
event = "pre_meeting_90min"
dedupe_key = "meeting_id"

[[step]]
name = "note"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Meeting prep", payload = { channel = "D123", title = "Meeting prep", text = "Notes for your next call." } }] }
"#;

backend_test!(
    posts_to_a_rep_keep_to_their_hourly_limit,
    |backend: Backend| async move {
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "D123", "ts": "1700000000.000100" })),
        );
        let db = TestDb::new(backend).await;
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[NOTE_TO_REP, NAMED_TO_REP],
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
        prefs.max_notifications_per_hour = 2;
        s.app
            .store()
            .set_preferences(&s.org, &s.user, &prefs)
            .await
            .expect("prefs");
        // Two posts to the rep's channel unnamed, two naming it.
        for m in ["m-1", "m-2"] {
            let (status, r) = s.event(m).await;
            assert_eq!(status, 202, "{r}");
            let (status, r) = s
                .post(
                    "/v1/events",
                    json!({ "type": "pre_meeting_90min", "user": "rep1", "payload": { "meeting_id": m } }),
                )
                .await;
            assert_eq!(status, 202, "{r}");
        }
        until("two posts reach Slack", PATIENCE, async || {
            slack.hits() >= 2
        })
        .await;
        stays(
            "the other two wait (2 an hour)",
            Duration::from_millis(500),
            async || slack.hits() == 2,
        )
        .await;
        let effects = s
            .app
            .store()
            .effects(&s.org, None, 10)
            .await
            .expect("effects");
        let held: Vec<_> = effects
            .iter()
            .filter(|e| e.status.to_string() == "pending")
            .collect();
        assert_eq!(held.len(), 2, "{effects:#?}");
        assert!(
            held.iter().all(|e| e.attempts == 0
                && e.last_error
                    .as_deref()
                    .is_some_and(|m| m.contains("notification limit"))),
            "held back, no attempt spent: {held:#?}"
        );
        // An hour on, the held posts go out: deferred, never dropped.
        s.clock.advance(3_601_000);
        until("the held posts go out", PATIENCE, async || {
            slack.hits() >= 4
        })
        .await;
        stays("each once", Duration::from_millis(300), async || {
            slack.hits() == 4
        })
        .await;
        s.stop().await;
        db.finish().await;
    }
);

/// A note to a named channel (inform-only: to the outbox at once).
const NOTE_TO_CHANNEL: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "note"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Deal room", payload = { channel = "C-DEALS", title = "Deal room", text = "Northwind moved to proposal." } }] }
"#;

backend_test!(
    a_post_claimed_again_after_a_crash_is_found_in_the_channel_not_posted_twice,
    |backend: Backend| async move {
        let slack = baton_tests::slack::SlackPeer::start();
        let db = TestDb::new(backend).await;
        let s = start(
            db.store.clone(),
            Setup {
                sequences: &[NOTE_TO_CHANNEL],
                env: env(&[
                    ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                    ("BATON_SLACK_API_URL", &slack.api),
                ]),
                ..Setup::default()
            },
        )
        .await;
        let (status, r) = s.event("m-1").await;
        assert_eq!(status, 202, "{r}");
        let job = r["job_id"].as_str().expect("job").to_owned();
        s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
            .await;
        let posts = slack.posts();
        assert_eq!(posts.len(), 1, "{posts:#?}");
        let effect = s
            .app
            .store()
            .effects(&s.org, Some(&baton::store::JobId::from(job.as_str())), 10)
            .await
            .expect("effects")
            .remove(0);
        // The post carries the effect's key for a later look.
        assert_eq!(
            posts[0]["metadata"]["event_payload"]["key"],
            effect.idempotency_key.as_str()
        );

        // The worker died after Slack took the post and before it heard
        // back: the outbox claims the effect again (a second attempt).
        let mut again = effect.clone();
        again.attempts = 2;
        s.app
            .deliverer()
            .expect("a deliverer")
            .deliver(&again)
            .await
            .expect("redelivered");
        assert_eq!(
            slack.posts().len(),
            1,
            "found in the channel, not posted again"
        );

        // A retried effect whose key the channel does not hold is posted.
        let mut other = effect.clone();
        other.idempotency_key = format!("{}-other", effect.idempotency_key);
        other.attempts = 2;
        s.app
            .deliverer()
            .expect("a deliverer")
            .deliver(&other)
            .await
            .expect("delivered");
        assert_eq!(slack.posts().len(), 2, "a key not in the channel is posted");

        // A bot that may not read the history posts again (at least once,
        // never lost).
        slack.refuse_history();
        s.app
            .deliverer()
            .expect("a deliverer")
            .deliver(&again)
            .await
            .expect("posted again");
        assert_eq!(slack.posts().len(), 3);
        s.stop().await;
        db.finish().await;
    }
);
