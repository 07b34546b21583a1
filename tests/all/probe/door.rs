//! The door refuses NUL: in a path (400), in a body field (422 naming
//! it), in a webhook's payload (422), and the service goes on serving
//! others.

use super::ADMIN;
use baton_tests::server::{Server, Setup, env};
use baton_tests::{is_problem, service_test};
use serde_json::{Value, json};

/// The door refuses NUL: in a path (400), in a body field (422 naming it),
/// in a webhook's payload (422), and the service goes on serving others.
fn nul_setup() -> Setup<'static> {
    Setup {
        env: env(&[
            ("BATON_ADMIN_TOKEN", ADMIN),
            ("BATON_MEETINGBAAS_API_KEY", "mb-key"),
        ]),
        ..Setup::default()
    }
}

service_test!(nul_bytes_are_refused_at_the_door, nul_setup(), nul_body);

async fn nul_body(s: &Server) {
    for path in [
        "/v1/jobs/%00",
        "/v1/approvals/%00",
        "/v1/users/%00/preferences",
        "/v1/jobs?status=%00",
        // Not UTF-8 once decoded (found by hand after schemathesis).
        "/v1/jobs/%FF",
        "/v1/users/%FF/preferences",
    ] {
        let (status, body) = s.get(path).await;
        is_problem(status, &body, 400);
    }
    let (status, body) = s
        .post(
            "/v1/approvals/%00/decision",
            json!({ "decision": "approved" }),
        )
        .await;
    is_problem(status, &body, 400);
    // The inbox's forms answer problems too.
    let r = s
        .http
        .post(s.url("/inbox/login"))
        .json(&json!({ "token": "x" }))
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    is_problem(status, &r.json().await.unwrap_or(Value::Null), 415);
    let r = s
        .http
        .post(s.url("/v1/admin/orgs/%00/tokens"))
        .bearer_auth(ADMIN)
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);

    let (status, body) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1\u{0}", "payload": { "meeting_id": "m" } }),
        )
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or("").contains("`user`"),
        "{body:#}"
    );

    let (_, mut prefs) = s.get("/v1/users/rep1/preferences").await;
    prefs["slack_channel"] = json!("\u{0}");
    let (status, body) = s.put("/v1/users/rep1/preferences", prefs).await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("slack_channel"),
        "{body:#}"
    );

    // A field nobody keeps is named, with every field there is: the
    // engine's and the apps' (the sales app's among them).
    let (_, mut prefs) = s.get("/v1/users/rep1/preferences").await;
    prefs["colour"] = json!("red");
    let (status, body) = s.put("/v1/users/rep1/preferences", prefs).await;
    is_problem(status, &body, 422);
    let detail = body["detail"].as_str().unwrap_or("");
    for named in ["`colour`", "`timezone`", "`briefing_time_min`", "`tone`"] {
        assert!(detail.contains(named), "{named}: {body:#}");
    }

    let (status, body) = s
        .post("/v1/do-not-contact", json!({ "email": "\u{0}@x.example" }))
        .await;
    is_problem(status, &body, 422);

    // A Meeting BaaS webhook with NUL in its title or bot id: 422, nothing queued.
    for (field, doc) in [
        (
            "data.extra.title",
            json!({ "event": "complete", "data": { "bot_id": "b-1", "transcript": [],
                "extra": { "baton_org": "acme", "baton_user": "rep1", "title": "Q4\u{0} review" } } }),
        ),
        (
            "data.bot_id",
            json!({ "event": "complete", "data": { "bot_id": "b\u{0}", "transcript": [],
                "extra": { "baton_org": "acme", "baton_user": "rep1" } } }),
        ),
    ] {
        let r = s
            .http
            .post(s.url("/v1/webhooks/meetingbaas"))
            .header("x-meeting-baas-api-key", "mb-key")
            .json(&doc)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 422);
        let body: Value = r.json().await.expect("json");
        assert!(
            body["detail"].as_str().unwrap_or("").contains(field),
            "names {field}: {body:#}"
        );
    }
    let (_, jobs) = s.get("/v1/jobs").await;
    assert_eq!(jobs.as_array().map(Vec::len), Some(0), "{jobs:#}");

    // Everyone else is served as before.
    let (status, accepted) = s.event("m-after").await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job");
    s.open_gate(job).await;
}

fn accounts_setup() -> Setup<'static> {
    Setup {
        env: vec![(
            "BATON_SECRET_KEY".to_owned(),
            baton::accounts::Vault::new_key(),
        )],
        ..Setup::default()
    }
}

service_test!(
    account_fields_that_would_fail_later_are_refused_at_the_door,
    accounts_setup(),
    account_fields_body
);

/// What the probe saw accepted and fail later (issue 38): an IMAP password
/// or username with CR/LF (a second IMAP command), a 5,000-character host,
/// a 900 KB token. Each is a 422 naming the field, and nothing is stored.
async fn account_fields_body(s: &Server) {
    let imap = |host: &str, username: &str, password: &str| {
        json!({ "provider": "imap", "address": "jordan.avery@acme.example", "host": host,
                "port": 993, "tls": "tls", "username": username, "password": password })
    };
    let long_host = format!("{}.example", "a".repeat(5_000));
    let cases = [
        (
            imap("imap.acme.example", "jordan", "p\r\nA2 LOGOUT"),
            "password",
        ),
        (
            imap("imap.acme.example", "jordan\r\nA2 LOGOUT", "p"),
            "username",
        ),
        (imap(&long_host, "jordan", "p"), "host"),
        (imap("imap.acme.example:993", "jordan", "p"), "host"),
        (
            json!({ "provider": "caldav", "address": "jordan.avery@acme.example",
                    "url": "https://dav.acme.example/cal/", "username": "jordan", "password": "a\nb" }),
            "password",
        ),
    ];
    for (body, name) in cases {
        let (status, problem) = s.post("/v1/users/rep1/accounts", body).await;
        is_problem(status, &problem, 422);
        assert_eq!(problem["field"], name, "{problem:#}");
    }
    let huge = "t".repeat(900 << 10);
    let (status, problem) = s
        .post(
            "/v1/accounts",
            json!({ "provider": "hubspot", "token": huge }),
        )
        .await;
    // Past the body limit it is a 413; under it, a 422 naming the token.
    assert!(matches!(status, 413 | 422), "{status}: {problem:#}");
    if status == 422 {
        assert_eq!(problem["field"], "token");
    }
    let (status, problem) = s
        .post(
            "/v1/accounts",
            json!({ "provider": "hubspot", "token": "t".repeat(9_000) }),
        )
        .await;
    is_problem(status, &problem, 422);
    assert_eq!(problem["field"], "token");
    let (_, listed) = s.get("/v1/users/rep1/accounts").await;
    assert_eq!(listed, json!([]), "nothing was stored");
}
