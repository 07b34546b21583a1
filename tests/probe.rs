//! Defects an outside probe found in `baton serve` (issue 14), each
//! attacked the way the probe did, on SQLite and on Postgres: NUL bytes at
//! the door, one bad checkpoint in a group commit, inbox sessions outliving
//! their token, a raced send cap, who decided, empty edits, shared
//! mailboxes, Gmail pushes read before their token, do-not-contact
//! addresses and generic webhook redeliveries.

use baton::orchestrator::commit::commit_group;
use baton::service::signature::sign_standard;
use baton::store::{Checkpoint, Inserted, JobStatus, NewJob, Store, Transition};
use baton_tests::server::{Server, Setup, T0, env};
use baton_tests::{is_problem, service_test, store_test};
use serde_json::{Value, json};

const ADMIN: &str = "admin-secret";

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

/// Two jobs, each claimed by `worker`, for a group commit.
async fn two_claimed_jobs(store: &Store) -> Vec<baton::store::Job> {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep1", "Dana", "dana@acme.test", "rep")
        .await
        .expect("user");
    for key in ["k-good", "k-bad"] {
        let job = NewJob {
            org_id: org.clone(),
            user_id: rep.clone(),
            event_type: "meeting_ended".into(),
            event_source: "test".into(),
            idempotency_key: key.into(),
            parent_job_id: None,
            chain_depth: 0,
            payload: json!({ "meeting_id": key }),
            sequence_name: "meeting_ended".into(),
            sequence_hash: "h".into(),
            scheduled_at: 0,
        };
        assert!(matches!(
            store.insert_job(&job).await.expect("insert"),
            Inserted::New(_)
        ));
    }
    store
        .claim_jobs("worker", 2, 60_000, baton::store::now_ms())
        .await
        .expect("claim")
}

store_test!(
    one_bad_checkpoint_fails_alone_in_its_group,
    |store: Store| async move {
        let jobs = two_claimed_jobs(&store).await;
        assert_eq!(jobs.len(), 2);
        let now = baton::store::now_ms();
        let finish = |job: &baton::store::Job| {
            let mut cp = Checkpoint::new(
                job.org_id.clone(),
                job.user_id.clone(),
                job.id.clone(),
                "worker".into(),
                now,
                Transition::Finish {
                    status: JobStatus::Completed,
                    error: None,
                },
            );
            cp.state = json!({ "steps": [] });
            cp
        };
        let good = finish(&jobs[0]);
        // A row the database refuses: a child job for a user that does not exist.
        let mut bad = finish(&jobs[1]);
        bad.children.push(NewJob {
            org_id: jobs[1].org_id.clone(),
            user_id: baton::store::UserId("no-such-user".into()),
            event_type: "proposal_generation".into(),
            event_source: "follow_up".into(),
            idempotency_key: "child".into(),
            parent_job_id: Some(jobs[1].id.clone()),
            chain_depth: 1,
            payload: json!({}),
            sequence_name: "proposal_generation".into(),
            sequence_hash: "h".into(),
            scheduled_at: now,
        });
        let results = commit_group(&store, &[good, bad]).await;
        assert!(
            results[0].is_ok(),
            "the good checkpoint took: {:?}",
            results[0]
        );
        let err = results[1].as_ref().expect_err("the bad one failed");
        assert!(
            !err.is_retriable(),
            "with its own reason, not a group's: {err}"
        );
        let good = store
            .job(&jobs[0].org_id, &jobs[0].id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(good.status, JobStatus::Completed);
        let bad = store
            .job(&jobs[1].org_id, &jobs[1].id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(bad.status, JobStatus::Running, "nothing of it was written");
    }
);

store_test!(
    text_a_skill_wrote_with_nul_is_stored,
    |store: Store| async move {
        let jobs = two_claimed_jobs(&store).await;
        let job = &jobs[0];
        let mut cp = Checkpoint::new(
            job.org_id.clone(),
            job.user_id.clone(),
            job.id.clone(),
            "worker".into(),
            baton::store::now_ms(),
            Transition::Finish {
                status: JobStatus::Failed,
                error: Some("skill said \u{0}no".into()),
            },
        );
        cp.gates.push(baton::store::NewPendingAction {
            step_index: 0,
            step_name: "draft".into(),
            gate_key: "g".into(),
            kind: "step".into(),
            pattern: "confirm".into(),
            title: "Q4\u{0} review".into(),
            body: json!({ "data": "a\u{0}b" }),
            options: vec![],
            expires_at: i64::MAX,
            on_expiry: "skip".into(),
        });
        let results = commit_group(&store, &[cp]).await;
        assert!(results[0].is_ok(), "{:?}", results[0]);
        let gates = store
            .job_actions(&job.org_id, &job.id)
            .await
            .expect("gates");
        assert_eq!(gates[0].title, "Q4\u{FFFD} review");
        assert_eq!(
            gates[0].body["data"], "a\u{0}b",
            "JSON keeps its text as it was"
        );
        let stored = store
            .job(&job.org_id, &job.id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(stored.error.as_deref(), Some("skill said \u{FFFD}no"));
    }
);

/// Log in to the inbox with `token`; the session cookie.
async fn inbox_login(s: &Server, token: &str) -> String {
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(s.url("/inbox/login"))
        .form(&[("token", token)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 303, "signed in");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie");
    cookie.split(';').next().unwrap_or("").to_owned()
}

service_test!(
    a_revoked_tokens_inbox_session_ends_with_it,
    Setup::default(),
    revoked_body
);

async fn revoked_body(s: &Server) {
    let store = s.app.store();
    let (token_id, token) = store
        .create_token(&s.org, "laptop", T0)
        .await
        .expect("token");
    let cookie = inbox_login(s, &token).await;
    let (_, accepted) = s.event("m-revoked").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let gate_url = s.url(&format!(
        "/inbox/approvals/{}",
        gate["id"].as_str().expect("id")
    ));
    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<h1>Acme</h1>") && !html.contains("Sign in"),
        "signed in: {html}"
    );

    store
        .revoke_token(&s.org, &token_id, T0)
        .await
        .expect("revoke");
    let r = s
        .http
        .get(s.url("/v1/jobs"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api");
    assert_eq!(r.status().as_u16(), 401, "the API refuses the token");
    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox");
    let html = page.text().await.expect("html");
    assert!(html.contains("Sign in"), "the session ended: {html}");
    let r = s
        .http
        .post(&gate_url)
        .header("cookie", &cookie)
        .form(&[("decision", "approve")])
        .send()
        .await
        .expect("decide");
    assert_eq!(r.status().as_u16(), 401);
    let (_, still) = s
        .get(&format!(
            "/v1/approvals/{}",
            gate["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(still["status"], "open", "nothing was decided");
}

/// Set rep1's daily send cap.
async fn send_cap(s: &Server, cap: i64) {
    let (_, mut prefs) = s.get("/v1/users/rep1/preferences").await;
    prefs["daily_send_cap"] = json!(cap);
    let (status, body) = s.put("/v1/users/rep1/preferences", prefs).await;
    assert_eq!(status, 200, "{body:#}");
}

service_test!(
    the_send_cap_holds_against_approvals_at_once,
    Setup::default(),
    race_body
);

async fn race_body(s: &Server) {
    send_cap(s, 2).await;
    let mut gates = Vec::new();
    for i in 0..10 {
        let (status, accepted) = s.event(&format!("m-race-{i}")).await;
        assert_eq!(status, 202);
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        gates.push(
            s.open_gate(&job).await["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    let mut all = tokio::task::JoinSet::new();
    for id in gates.clone() {
        let (http, url, token) = (
            s.http.clone(),
            s.url(&format!("/v1/approvals/{id}/decision")),
            s.token.clone(),
        );
        all.spawn(async move {
            let r = http
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "decision": "approved" }))
                .send()
                .await
                .expect("decide");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut approved = 0;
    while let Some(done) = all.join_next().await {
        let (status, body) = done.expect("task");
        match status {
            200 => approved += 1,
            409 => assert!(
                body["detail"]
                    .as_str()
                    .unwrap_or("")
                    .contains("daily send cap is 2"),
                "{body:#}"
            ),
            other => panic!("{other}: {body:#}"),
        }
    }
    assert_eq!(approved, 2, "ten approvals at once, a cap of 2");
    // Once the approved jobs queue their emails the count holds the same.
    for id in &gates {
        let (_, gate) = s.get(&format!("/v1/approvals/{id}")).await;
        if gate["status"] == "decided" {
            s.wait_job(gate["job_id"].as_str().expect("job"), |j| {
                j["status"] == "completed"
            })
            .await;
        }
    }
    let mut refused = 0;
    for id in &gates {
        let (status, _) = s
            .post(
                &format!("/v1/approvals/{id}/decision"),
                json!({ "decision": "approved" }),
            )
            .await;
        if status == 409 {
            refused += 1;
        }
    }
    assert_eq!(
        refused, 10,
        "two sent, eight still over the cap (or decided)"
    );
    let (_, outbox) = s.get("/v1/jobs?status=completed").await;
    assert_eq!(outbox.as_array().map(Vec::len), Some(2));
}

/// One email to three people.
const TO_THREE: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "draft"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "To the team", payload = { to = ["a@northwind.example", "b@northwind.example"], cc = "c@northwind.example", subject = "Next steps", body = "Hi all" } }] }
"#;

service_test!(
    the_send_cap_counts_recipients,
    Setup {
        sequences: &[TO_THREE],
        ..Setup::default()
    },
    recipients_body
);

async fn recipients_body(s: &Server) {
    send_cap(s, 2).await;
    let (_, accepted) = s.event("m-team").await;
    let gate = s.open_gate(accepted["job_id"].as_str().expect("job")).await;
    let path = format!(
        "/v1/approvals/{}/decision",
        gate["id"].as_str().expect("id")
    );
    let (status, body) = s.post(&path, json!({ "decision": "approved" })).await;
    is_problem(status, &body, 409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("send to 3 more"),
        "{body:#}"
    );
    send_cap(s, 3).await;
    let (status, body) = s.post(&path, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{body:#}");
}

service_test!(
    who_decided_is_the_credential_and_an_edit_keeps_its_shape,
    Setup::default(),
    decider_body
);

async fn decider_body(s: &Server) {
    let (_, accepted) = s.event("m-who").await;
    let gate = s.open_gate(accepted["job_id"].as_str().expect("job")).await;
    let path = format!(
        "/v1/approvals/{}/decision",
        gate["id"].as_str().expect("id")
    );
    for (value, names) in [
        (Value::Null, "empty"),
        (json!("just text"), "object"),
        (json!({ "subject": "Hi", "body": "x" }), "`to`"),
        (
            json!({ "to": "marta", "subject": "Hi", "body": "x" }),
            "not an email address",
        ),
        (
            json!({ "to": "marta.ruiz@northwind.example", "subject": "", "body": "x" }),
            "subject",
        ),
    ] {
        let (status, body) = s
            .post(&path, json!({ "decision": "edited", "value": value }))
            .await;
        is_problem(status, &body, 422);
        assert!(
            body["detail"].as_str().unwrap_or("").contains(names),
            "{names}: {body:#}"
        );
    }
    let edited = json!({ "to": "marta.ruiz@northwind.example", "subject": "Next steps",
                         "body": "Hi Marta,\n\nEdited." });
    let (status, body) = s
        .post(
            &path,
            json!({ "decision": "edited", "value": edited, "by": "slack:U0123 (someone else)" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(body["decided_by"], "api:tests", "the token that decided");
    assert_eq!(
        body["decision_note"], "slack:U0123 (someone else)",
        "kept as a note"
    );
    let (_, stored) = s
        .get(&format!(
            "/v1/approvals/{}",
            gate["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(stored["decided_by"], "api:tests");
}

/// A deal stage change the rep may edit.
const STAGE: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "crm"
skill = "scripted"
params = { actions = [{ kind = "crm_update", preview = "Stage to proposal", payload = { entity = "deal", deal_id = "d-1", field = "stage", value = "proposal", stage = "proposal" } }] }
"#;

service_test!(
    a_crm_edit_cannot_deliver_nothing,
    Setup {
        sequences: &[STAGE],
        ..Setup::default()
    },
    crm_edit_body
);

async fn crm_edit_body(s: &Server) {
    let (_, accepted) = s.event("m-crm").await;
    let gate = s.open_gate(accepted["job_id"].as_str().expect("job")).await;
    let path = format!(
        "/v1/approvals/{}/decision",
        gate["id"].as_str().expect("id")
    );
    let (status, body) = s
        .post(&path, json!({ "decision": "edited", "value": null }))
        .await;
    is_problem(status, &body, 422);
    let (status, body) = s
        .post(
            &path,
            json!({ "decision": "edited", "value": { "entity": "deal", "deal_id": "d-2", "field": "stage", "value": "won" } }),
        )
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or("").contains("deal_id"),
        "{body:#}"
    );
    let (status, body) = s
        .post(
            &path,
            json!({ "decision": "edited", "value": { "entity": "deal", "deal_id": "d-1", "field": "stage", "value": "negotiation", "stage": "negotiation" } }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
}

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
    // Org A's mail still reaches org A.
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
    let job: Value = r.json().await.expect("json");
    let (status, _) = s
        .get(&format!(
            "/v1/jobs/{}",
            job["job_id"].as_str().expect("job")
        ))
        .await;
    assert_eq!(status, 200, "the job is org A's");
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
