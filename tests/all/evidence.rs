//! Issue 40, item 6, through the shipped `meeting_ended` sequence and
//! skills: each suggestion carries the words it rests on (where in the call,
//! how sure), shown on the gate, in its Slack request and in the inbox,
//! with a CRM field's previous value; and a suggestion less sure than the
//! org's confidence floor is not proposed at all.

use crate::meeting_ended::{crm, post_demo_call, serve_chain, slack_peer};
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, until};
use serde_json::{Value, json};

/// The open gates of `job`, by step name.
async fn gates(s: &baton_tests::server::Server, job: &str) -> Vec<Value> {
    let (_, gates) = s.get("/v1/approvals").await;
    gates
        .as_array()
        .expect("gates")
        .iter()
        .filter(|g| g["job_id"] == job)
        .cloned()
        .collect()
}

fn gate<'a>(gates: &'a [Value], step: &str) -> Option<&'a Value> {
    gates.iter().find(|g| g["step_name"] == step)
}

backend_test!(
    each_suggestion_shows_its_words_and_confidence,
    each_suggestion_shows_its_words_and_confidence_body
);

async fn each_suggestion_shows_its_words_and_confidence_body(backend: Backend) {
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let s = serve_chain(&db, &slack, &[]).await;
    crm(&s).await;
    let (job, _) = post_demo_call(&s).await;
    let gates = gates(&s, &job).await;

    // Every task and CRM change says what it rests on, where and how sure.
    for step in ["create-tasks-from-actions", "update-crm-from-meeting"] {
        let g = gate(&gates, step).unwrap_or_else(|| panic!("no {step} gate: {gates:#?}"));
        for a in g["body"]["actions"].as_array().expect("actions") {
            let e = &a["payload"]["evidence"];
            assert!(
                e["quote"].as_str().is_some_and(|q| !q.trim().is_empty()),
                "{step}: {a:#}"
            );
            assert!(
                e["confidence"]
                    .as_f64()
                    .is_some_and(|c| c > 0.0 && c <= 1.0),
                "{step}: {a:#}"
            );
            assert!(e["at"].as_f64().is_some(), "placed in the call: {a:#}");
        }
    }
    let crm_gate = gate(&gates, "update-crm-from-meeting").expect("crm gate");
    let stage = crm_gate["body"]["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["payload"]["field"] == "stage")
        .expect("a stage change");
    assert_eq!(stage["payload"]["previous"], "discovery");

    // The Slack request shows them: the words, the time, the confidence,
    // and the field's value before.
    until("the CRM request reaches Slack", PATIENCE, async || {
        slack
            .requests()
            .iter()
            .any(|r| r.contains("chat.postMessage") && r.contains("Was: discovery"))
    })
    .await;
    let posted = slack.requests();
    let crm_request = posted
        .iter()
        .find(|r| r.contains("Was: discovery"))
        .expect("the CRM request");
    let quote = stage["payload"]["evidence"]["quote"]
        .as_str()
        .expect("quote");
    let shown_quote: String = quote.chars().take(30).collect();
    assert!(
        crm_request.contains(&shown_quote) && crm_request.contains("confidence "),
        "{crm_request}"
    );

    // The inbox shows the same on the gate's page.
    let cookie = s.rep_login().await;
    let id = crm_gate["id"].as_str().expect("id");
    let (status, page) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("confidence "), "{page}");
    let tasks = gate(&gates, "create-tasks-from-actions").expect("tasks gate");
    let id = tasks["id"].as_str().expect("id");
    let (_, page) = s
        .inbox_get(&cookie, &format!("/inbox/approvals/{id}"))
        .await;
    let checklist = page.split("ul class=\"checklist\"").nth(1).unwrap_or("");
    let n = tasks["options"].as_array().map_or(0, Vec::len);
    assert_eq!(
        checklist.matches("confidence ").count(),
        n,
        "each task's words and confidence: {page}"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    nothing_under_the_orgs_confidence_floor_is_proposed,
    nothing_under_the_orgs_confidence_floor_is_proposed_body
);

async fn nothing_under_the_orgs_confidence_floor_is_proposed_body(backend: Backend) {
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let s = serve_chain(&db, &slack, &[]).await;
    crm(&s).await;
    // A floor that is not a number from 0 to 1 is refused, naming it.
    for bad in [json!(1.5), json!("high"), json!(-0.1)] {
        let (status, body) = s
            .post(
                "/v1/crm/import",
                json!({ "org": { "slug": "acme", "name": "Acme", "profile": { "confidence_floor": bad } } }),
            )
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.to_string().contains("confidence_floor"), "{body}");
    }
    // Above every detection of the demo call.
    let (status, body) = s
        .post(
            "/v1/crm/import",
            json!({ "org": { "slug": "acme", "name": "Acme", "profile": { "confidence_floor": 0.99 } } }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (job, parked) = post_demo_call(&s).await;
    let gates = gates(&s, &job).await;
    // The skills still found the tasks and changes; none was proposed.
    let tasks = s.step_data(&job, "create-tasks-from-actions").await;
    assert!(
        tasks["tasks"].as_array().is_some_and(|t| !t.is_empty()),
        "{tasks:#}"
    );
    for step in ["create-tasks-from-actions", "update-crm-from-meeting"] {
        assert!(gate(&gates, step).is_none(), "{step}: {gates:#?}");
    }
    let effects = parked["effects"].as_array().expect("effects");
    assert!(
        effects
            .iter()
            .all(|e| e["kind"] != "crm_update" && e["kind"] != "task_create"),
        "{parked:#}"
    );
    // The proposal and the times the call asked for were under it too.
    assert_eq!(parked["children"], json!([]), "{parked:#}");
    assert!(
        parked["execution"]["withheld"]
            .as_u64()
            .is_some_and(|n| n >= 4),
        "{:#}",
        parked["execution"]
    );
    // The follow-up email quotes no detection of its own: it still waits.
    assert!(gate(&gates, "draft-followup-email").is_some(), "{gates:#?}");
    s.stop().await;
    db.finish().await;
}
