//! Deciding approvals: the send cap holds against approvals at once and
//! counts every recipient, the decision records the credential that
//! decided, and an edit keeps its shape (a CRM edit cannot deliver
//! nothing).

use baton_tests::server::{Server, Setup};
use baton_tests::{is_problem, service_test};
use serde_json::{Value, json};

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
