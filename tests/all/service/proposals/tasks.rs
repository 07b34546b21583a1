//! A proposal sent or accepted closes its deal's "send the proposal" tasks
//! (issue 38, 2.8): a task a skill says is `about` the proposal is closed
//! when the proposal goes out on its deal, one made after it went out is
//! closed when the rep records it accepted, and other tasks (another
//! purpose, another deal) stay open.

use super::*;
use baton::store::CrmTables;
use baton::store::{NewDeal, Store};
use baton_tests::{Backend, TestDb, backend_test};
use serde_json::json;

/// Org `acme` (as the test server makes it) with two deals; their ids.
async fn deals(store: &Store) -> (String, String) {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let mut ids = Vec::new();
    for name in ["Northwind expansion", "Contoso pilot"] {
        let deal = NewDeal {
            name,
            stage: "proposal",
            currency: "USD",
            ..NewDeal::default()
        };
        ids.push(store.insert_deal(&org, &deal, 0).await.expect("deal"));
    }
    (ids.remove(0), ids.remove(0))
}

/// A meeting ends and its step proposes these tasks (as
/// `create-tasks-from-actions` does, `about` included).
fn tasks_sequence(northwind: &str, contoso: &str) -> String {
    format!(
        r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "tasks"
skill = "scripted"

[[step.params.actions]]
kind = "task_create"
preview = "Task: Send Marta the proposal"
payload = {{ title = "Send Marta the proposal you promised", deal_id = "{northwind}", about = "proposal" }}

[[step.params.actions]]
kind = "task_create"
preview = "Task: Book the security review"
payload = {{ title = "Book the security review", deal_id = "{northwind}" }}

[[step.params.actions]]
kind = "task_create"
preview = "Task: Send Contoso their proposal"
payload = {{ title = "Send Lee the proposal", deal_id = "{contoso}", about = "proposal" }}

[[step.params.actions]]
kind = "task_create"
preview = "Task: Send Marta the case study"
payload = {{ title = "Send Marta the case study", deal_id = "{northwind}", about = "no-such-purpose" }}
"#
    )
}

/// The deal's tasks as `(title, status)`, sorted (tasks delivered together
/// are made in no set order); each closed one says when.
async fn states(s: &Server, deal: &str) -> Vec<(String, String)> {
    let tasks = s.app.store().deal_tasks(&s.org, deal).await.expect("tasks");
    for t in &tasks {
        assert_eq!(t.status == "done", t.done_at.is_some(), "{t:?}");
    }
    let mut all: Vec<(String, String)> = tasks.into_iter().map(|t| (t.title, t.status)).collect();
    all.sort();
    all
}

/// Send a meeting's event and approve its tasks.
async fn tasks_approved(s: &Server, meeting: &str) {
    let (status, r) = s.event(meeting).await;
    assert_eq!(status, 202, "{r}");
    let job = r["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let (status, r) = decide(s, &gate, json!({ "decision": "approved" })).await;
    assert_eq!(status, 200, "{r}");
    s.wait_job(&job, |j| {
        let all = j["effects"].as_array().cloned().unwrap_or_default();
        all.len() == 4 && all.iter().all(|e| e["status"] == "delivered")
    })
    .await;
}

fn pair(title: &str, status: &str) -> (String, String) {
    (title.to_owned(), status.to_owned())
}

backend_test!(
    a_proposal_sent_or_accepted_closes_its_deals_send_the_proposal_tasks,
    a_proposal_sent_or_accepted_closes_its_deals_send_the_proposal_tasks_body
);

async fn a_proposal_sent_or_accepted_closes_its_deals_send_the_proposal_tasks_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let (northwind, contoso) = deals(&db.store).await;
    let tasks = tasks_sequence(&northwind, &contoso);
    let proposal = proposing("link").replace(
        "title = \"Renewals Hub for Northwind\"",
        &format!("title = \"Renewals Hub for Northwind\"\ndeal_id = \"{northwind}\""),
    );
    let s = serve(&db, &[&tasks, &proposal], &[]).await;

    tasks_approved(&s, "m-1").await;
    assert_eq!(
        states(&s, &northwind).await,
        [
            pair("Book the security review", "open"),
            pair("Send Marta the case study", "open"),
            pair("Send Marta the proposal you promised", "open"),
        ]
    );

    // The proposal goes out on Northwind: its proposal task is done; the
    // others, and Contoso's, are not.
    sent(&s, "northwind").await;
    assert_eq!(
        states(&s, &northwind).await,
        [
            pair("Book the security review", "open"),
            pair("Send Marta the case study", "open"),
            pair("Send Marta the proposal you promised", "done"),
        ]
    );
    assert_eq!(
        states(&s, &contoso).await,
        [pair("Send Lee the proposal", "open")]
    );

    // A later meeting promises it again (a task made after it went out):
    // the prospect's acceptance closes that one too.
    tasks_approved(&s, "m-2").await;
    let again = states(&s, &northwind).await;
    assert_eq!(
        again[4..],
        [
            pair("Send Marta the proposal you promised", "done"),
            pair("Send Marta the proposal you promised", "open"),
        ],
        "{again:?}"
    );
    let id = proposals(&s).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, answered) = s
        .post(
            &format!("/v1/proposals/{id}/status"),
            json!({ "status": "accepted" }),
        )
        .await;
    assert_eq!(status, 200, "{answered}");
    let after = states(&s, &northwind).await;
    let proposal_tasks: Vec<&str> = after
        .iter()
        .filter(|(t, _)| t.starts_with("Send Marta the proposal"))
        .map(|(_, status)| status.as_str())
        .collect();
    assert_eq!(proposal_tasks, ["done", "done"], "{after:?}");
    assert_eq!(
        after.iter().filter(|(_, st)| st == "open").count(),
        4,
        "the review and case-study tasks of both meetings stay open: {after:?}"
    );
    assert_eq!(
        states(&s, &contoso).await,
        [
            pair("Send Lee the proposal", "open"),
            pair("Send Lee the proposal", "open")
        ]
    );
    s.stop().await;
    db.finish().await;
}
