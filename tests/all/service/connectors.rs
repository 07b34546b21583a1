//! The connectors against real peers on loopback: an approved (edited)
//! email reaches an SMTP server as the rep, signed and audited; the LLM
//! connector answers a skill and its tokens are charged.

use baton::store::{JobId, Preferences};
use baton_tests::server::{Setup, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, SmtpSink, TestDb, backend_test, body_of, until,
};
use serde_json::{Value, json};

backend_test!(
    an_approved_email_reaches_the_smtp_server_as_the_rep_and_is_audited,
    an_approved_email_reaches_the_smtp_server_as_the_rep_and_is_audited_body
);

async fn an_approved_email_reaches_the_smtp_server_as_the_rep_and_is_audited_body(
    backend: Backend,
) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
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
    until("the email reaches the SMTP server", PATIENCE, async || {
        !smtp.messages().is_empty()
    })
    .await;
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
    // The connector records the send in the audit after the SMTP server
    // took it, and before the effect is marked delivered.
    s.wait_job(&job, |j| j["effects"][0]["status"] == "delivered")
        .await;
    let audit = s.app.store().audit_log(&s.org, 10).await.expect("audit");
    assert_eq!(audit[0].kind, "email_sent");
    let message_id = audit[0].detail["message_id"].as_str().expect("message id");
    assert!(
        data.contains(&format!("Message-ID: {message_id}")),
        "the recorded Message-ID is the sent one: {data}"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    the_llm_connector_answers_skills_and_its_tokens_are_charged,
    the_llm_connector_answers_skills_and_its_tokens_are_charged_body
);

async fn the_llm_connector_answers_skills_and_its_tokens_are_charged_body(backend: Backend) {
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
    let db = TestDb::new(backend).await;
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
        .step_runs(&s.org, &JobId::from(job["id"].as_str().expect("id")))
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
