//! "Not right" on what an inbound email led to: the drafted reply (the
//! email's own job) and the meeting times its child job offers. The rep
//! names the email's right label; `baton eval export --kind emails` writes
//! the emails as eval cases and `baton eval emails` scores them.

use super::{child_of, decide, receive, serve};
use baton_tests::{Backend, TestDb, backend_test, baton, is_problem, skill};
use serde_json::{Value, json};

backend_test!(
    not_right_on_an_emails_suggestions_exports_email_cases,
    not_right_on_an_emails_suggestions_exports_email_cases_body
);

async fn not_right_on_an_emails_suggestions_exports_email_cases_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let (s, _peers) = serve(&db, 50, 0).await;
    let question = (
        "Aisha Bello <aisha.bello@harbourfreight.example>",
        "Re: security review",
        "Does your EU region keep backups inside the EU? Our IT team needs to know before Friday.",
    );
    let job = receive(&s, "q1", question.0, question.1, question.2).await;
    let reply = s.open_gate(&job).await;
    // The inbox's "Not right" form offers the email labels, one to pick.
    let cookie = s.inbox_login(&s.token).await;
    let page = s
        .http
        .get(s.url(&format!(
            "/inbox/approvals/{}",
            reply["id"].as_str().expect("id")
        )))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("id=\"not-right\"") && page.contains("<option value=\"not_interested\">"),
        "{page}"
    );
    assert!(
        !page.contains("signal:timeline"),
        "no intent labels: {page}"
    );

    // An email takes one email label.
    let refused = [
        (
            json!(["signal:timeline"]),
            "`signal:timeline` is not an email label",
        ),
        (
            json!(["fyi", "needs_response"]),
            "exactly one label; 2 were given",
        ),
    ];
    for (labels, says) in refused {
        let (status, body) = decide(
            &s,
            &reply,
            json!({ "decision": "skipped", "feedback": { "reason": "wrong_intent", "labels": labels } }),
        )
        .await;
        is_problem(status, &body, 422);
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains(says)),
            "{says}: {body:#}"
        );
    }
    let (status, decided) = decide(
        &s,
        &reply,
        json!({ "decision": "skipped", "feedback": { "reason": "wrong_intent", "labels": ["fyi"] } }),
    )
    .await;
    assert_eq!(status, 200, "{decided:#}");
    assert_eq!(decided["feedback"]["labels"], json!(["fyi"]));
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["effects"], json!([]), "nothing was sent: {done:#}");
    s.clock.advance(1000);

    // The times offered for a meeting request: the email behind the child
    // job is the case.
    let meeting = (
        "Tom Reyes <tom.reyes@harbourfreight.example>",
        "Walkthrough for the ops team",
        "Could we book a 30 minute call next week to walk my team through the rollout? Afternoons are best.",
    );
    let job = receive(&s, "m1", meeting.0, meeting.1, meeting.2).await;
    let child = child_of(&s, &job).await;
    let times = s.open_gate(child.id.as_str()).await;
    let (status, decided) = decide(
        &s,
        &times,
        json!({ "decision": "skipped", "feedback": {
            "reason": "wrong_intent", "labels": ["positive_interest"], "note": "just curious" } }),
    )
    .await;
    assert_eq!(status, 200, "{decided:#}");
    s.clock.advance(1000);
    // A mark that is not about the label: stored, not exported.
    let job = receive(&s, "q2", question.0, question.1, question.2).await;
    let other = s.open_gate(&job).await;
    let (status, decided) = decide(
        &s,
        &other,
        json!({ "decision": "skipped", "feedback": { "reason": "bad_draft" } }),
    )
    .await;
    assert_eq!(status, 200, "{decided:#}");
    s.stop().await;

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("emails.jsonl");
    let run = baton([
        "eval",
        "export",
        "--kind",
        "emails",
        "--since",
        "2026-11-01",
        "--out",
        &file.display().to_string(),
        "--database",
        &db.url,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("wrote 2 email cases to"), "{run:#?}");
    let id = |g: &Value| format!("fb-{}", g["id"].as_str().expect("id"));
    let lines: Vec<Value> = std::fs::read_to_string(&file)
        .expect("export")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines,
        vec![
            json!({ "id": id(&reply), "from": question.0, "subject": question.1, "body": question.2, "label": "fyi" }),
            json!({ "id": id(&times), "from": meeting.0, "subject": meeting.1, "body": meeting.2,
                    "label": "positive_interest" }),
        ]
    );
    let scored = baton([
        "eval",
        "emails",
        &file.display().to_string(),
        "--skill",
        &skill("classify-email-intent").display().to_string(),
    ]);
    assert_eq!(scored.code, 0, "{scored:#?}");
    assert!(
        scored
            .stdout
            .starts_with("2 emails, skill classify-email-intent"),
        "{scored:#?}"
    );
    // These are not intent corrections.
    let intents = baton([
        "eval",
        "export",
        "--since",
        "2026-11-01",
        "--database",
        &db.url,
    ]);
    assert_eq!(intents.code, 0, "{intents:#?}");
    assert!(
        intents.stderr.contains("wrote 0 intent cases") && intents.stderr.contains("3 other"),
        "{intents:#?}"
    );
    db.finish().await;
}
