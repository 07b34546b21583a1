//! The demo's path through the service with the shipped skills, from a
//! Meeting BaaS webhook to an email sent once approved.

use baton_tests::server::{Setup, env, start};
use baton_tests::{Backend, SmtpSink, TestDb, backend_test};
use serde_json::{Value, json};

backend_test!(
    a_meeting_webhook_runs_the_shipped_skills_to_a_draft_that_is_sent_once_approved,
    a_meeting_webhook_runs_the_shipped_skills_to_a_draft_that_is_sent_once_approved_body
);

/// The demo's path with the shipped skills: a Meeting BaaS `complete`
/// webhook (speakers by name) → detect-intents → draft-followup-email at a
/// confirm gate → approved → sent over SMTP to the CRM contact.
async fn a_meeting_webhook_runs_the_shipped_skills_to_a_draft_that_is_sent_once_approved_body(
    backend: Backend,
) {
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
    let db = TestDb::new(backend).await;
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
                "coaching-analysis",
                "notify-coaching-feedback",
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
        body.contains(
            "- I'll send you a proposal with pricing for forty seats by Friday, 27 November."
        ),
        "the rep's commitment, from the transcript: {body}"
    );
    assert!(
        body.contains("- You mentioned you have budget set aside for this in Q1."),
        "the prospect's words played back to them: {body}"
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
