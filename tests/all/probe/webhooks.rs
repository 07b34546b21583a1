//! Inbound mail and webhooks: shared mailboxes, Gmail pushes checked
//! before they are read, do-not-contact addresses, and generic webhook
//! redeliveries.

use super::ADMIN;
use baton::service::signature::sign_standard;
use baton_tests::server::{Server, Setup, T0, env};
use baton_tests::{is_problem, service_test};
use serde_json::{Value, json};

const EMAIL: &str = r#"
event = "email_received"
dedupe_key = "message_id"

[[step]]
skill = "scripted"
"#;

fn mailbox_setup() -> Setup<'static> {
    Setup {
        sequences: &[EMAIL],
        env: env(&[
            ("BATON_ADMIN_TOKEN", ADMIN),
            ("BATON_GMAIL_PUSH_TOKEN", "push-secret"),
        ]),
        ..Setup::default()
    }
}

service_test!(
    a_mailbox_belongs_to_one_rep_across_orgs,
    mailbox_setup(),
    mailbox_body
);

async fn mailbox_body(s: &Server) {
    // Org B tries to connect org A's rep's mailbox.
    let r = s
        .http
        .post(s.url("/v1/admin/import"))
        .bearer_auth(ADMIN)
        .json(&json!({
            "org": { "slug": "globex", "name": "Globex" },
            "users": [{ "handle": "impostor", "name": "I", "email": "Jordan.Avery@acme.example" }],
        }))
        .send()
        .await
        .expect("import");
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.expect("json");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("already connected to another rep"),
        "{body:#}"
    );
    assert!(
        !body["detail"].as_str().unwrap_or("").contains("acme"),
        "without naming the other org: {body:#}"
    );
    // Two reps of one document with one mailbox.
    let r = s
        .http
        .post(s.url("/v1/admin/import"))
        .bearer_auth(ADMIN)
        .json(&json!({
            "org": { "slug": "globex", "name": "Globex" },
            "users": [{ "handle": "a", "name": "A", "email": "shared@globex.example" },
                      { "handle": "b", "name": "B", "email": "SHARED@globex.example" }],
        }))
        .send()
        .await
        .expect("import");
    assert_eq!(r.status().as_u16(), 422);
    // Org A's mail still reaches org A: its connected mailbox, and only it,
    // is asked to sync.
    let store = s.app.store();
    let account = store
        .connect_account(
            &baton::store::NewAccount {
                org_id: &s.org,
                user_id: Some(&s.user),
                provider: "google",
                address: "jordan.avery@acme.example",
                scopes: "",
                settings: &json!({}),
                token_expires_at: None,
            },
            // Never opened here: the push only asks for a sync.
            |_| "sealed".into(),
            T0,
        )
        .await
        .expect("connect")
        .expect("the address is no other rep's");
    use base64::Engine;
    let note =
        json!({ "emailAddress": "jordan.avery@acme.example", "historyId": "42" }).to_string();
    let data = base64::engine::general_purpose::STANDARD.encode(note.as_bytes());
    let r = s
        .http
        .post(s.url("/v1/webhooks/gmail?token=push-secret"))
        .json(&json!({ "message": { "data": data, "messageId": "ps-1" } }))
        .send()
        .await
        .expect("push");
    assert_eq!(r.status().as_u16(), 202);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["mailboxes"], 1, "{body:#}");
    let mine = store
        .accounts_by_address("google", "Jordan.Avery@acme.example")
        .await
        .expect("accounts");
    assert_eq!(mine.len(), 1);
    assert_eq!((&mine[0].org_id, &mine[0].id), (&s.org, &account.id));
}

service_test!(
    a_gmail_push_is_verified_before_it_is_read,
    mailbox_setup(),
    gmail_order_body
);

async fn gmail_order_body(s: &Server) {
    let url = s.url("/v1/webhooks/gmail");
    let cases: [(&str, Option<&str>, &str); 3] = [
        ("malformed JSON", Some("application/json"), "{not json"),
        ("another shape", Some("application/json"), r#"{"x":1}"#),
        ("no content type", None, r#"{"message":{}}"#),
    ];
    for (what, content_type, body) in cases {
        let mut r = s.http.post(&url).body(body);
        if let Some(ct) = content_type {
            r = r.header("content-type", ct);
        }
        let r = r.send().await.expect("post");
        assert_eq!(r.status().as_u16(), 401, "{what} without a token");
    }
    // With the token, the body's faults are named as before.
    let r = s
        .http
        .post(format!("{url}?token=push-secret"))
        .header("content-type", "application/json")
        .body(r#"{"x":1}"#)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422);
}

service_test!(
    do_not_contact_takes_only_addresses,
    Setup::default(),
    dnc_body
);

async fn dnc_body(s: &Server) {
    let long = format!("{}@northwind.example", "a".repeat(10_000));
    for bad in ["a@b", "not an address", "@northwind.example", long.as_str()] {
        let (status, body) = s.post("/v1/do-not-contact", json!({ "email": bad })).await;
        is_problem(status, &body, 422);
    }
    let (status, body) = s
        .post(
            "/v1/do-not-contact",
            json!({ "email": "Marta Ruiz <Marta.Ruiz@northwind.example>" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["email"], "marta.ruiz@northwind.example");
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

service_test!(
    a_generic_redelivery_under_a_new_id_is_a_duplicate,
    Setup {
        env: env(&[("BATON_WEBHOOK_SECRET_CRM", SECRET)]),
        ..Setup::default()
    },
    generic_body
);

async fn generic_body(s: &Server) {
    let body = json!({ "type": "meeting_ended", "org": "acme", "user": "rep1",
                       "payload": { "meeting_id": "g-1" } })
    .to_string();
    let mut answers = Vec::new();
    for id in ["wh-1", "wh-2"] {
        let sig = sign_standard(SECRET, id, T0 / 1000, body.as_bytes()).expect("sign");
        let r = s
            .http
            .post(s.url("/v1/webhooks/generic/crm"))
            .header("webhook-id", id)
            .header("webhook-timestamp", (T0 / 1000).to_string())
            .header("webhook-signature", sig)
            .body(body.clone())
            .send()
            .await
            .expect("post");
        let status = r.status().as_u16();
        answers.push((status, r.json::<Value>().await.expect("json")));
    }
    assert_eq!(answers[0].0, 202);
    assert_eq!(
        answers[1].0, 200,
        "the same meeting again: {:#}",
        answers[1].1
    );
    assert_eq!(answers[1].1["outcome"], "duplicate");
    assert_eq!(answers[1].1["job_id"], answers[0].1["job_id"]);
}
