//! Pushes and generic webhooks: Gmail's Pub/Sub push in both base64
//! alphabets, Google Calendar push only on channels we opened, and generic
//! webhooks signed with a secret per source.

use super::webhook_vectors;
use baton::service::signature::sign_standard;
use baton::store::CalendarTables;
use baton_tests::server::{Server, Setup, T0, env};
use baton_tests::service_test;
use serde_json::{Value, json};

const EMAIL: &str = r#"
event = "email_received"
dedupe_key = "message_id"
[[step]]
skill = "scripted"
"#;

service_test!(
    gmail_push_in_both_alphabets_and_calendar_push_channels,
    Setup {
        sequences: &[EMAIL],
        env: env(&[("BATON_GMAIL_PUSH_TOKEN", "push-secret")]),
        ..Setup::default()
    },
    gmail_push_in_both_alphabets_and_calendar_push_channels_body
);

async fn gmail_push_in_both_alphabets_and_calendar_push_channels_body(s: &Server) {
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
    // A rep's mailbox that is not connected is not read (see mail.rs for
    // connected ones).
    let r = push(body, "push-secret").await.expect("post");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.json::<Value>().await.expect("json")["reason"],
        "unknown_mailbox"
    );
    let padded = base64::engine::general_purpose::STANDARD.encode(note.as_bytes());
    let r = push(
        json!({ "message": { "data": padded, "message_id": "pubsub-2" } }),
        "push-secret",
    )
    .await
    .expect("post");
    assert_eq!(r.status().as_u16(), 200, "standard alphabet, snake_case id");
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
}

const CRM_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

service_test!(
    generic_webhooks_are_signed_per_source,
    Setup {
        env: env(&[("BATON_WEBHOOK_SECRET_CRM", CRM_SECRET)]),
        ..Setup::default()
    },
    generic_webhooks_are_signed_per_source_body
);

async fn generic_webhooks_are_signed_per_source_body(s: &Server) {
    let secret = CRM_SECRET;
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
}
