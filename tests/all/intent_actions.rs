//! Issue 43, intent actions: a prospect who says the budget is tight puts
//! the deal at risk, and the rep's manager is told, in Slack and in the
//! inbox, through `baton serve` with the shipped meeting chain.

use crate::meeting_ended::{crm, serve_chain, slack_peer};
use baton::store::{JobId, Preferences};
use baton_tests::server::Server;
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, body_of, poll};
use serde_json::{Value, json};

backend_test!(
    a_budget_tight_call_tells_the_reps_manager_in_slack_and_the_inbox,
    budget_tight_body
);

async fn budget_tight_body(backend: Backend) {
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let s = serve_chain(&db, &slack, &[]).await;
    crm(&s).await;
    // The org's manager, with a Slack channel of their own; rep1 reports
    // to nobody, so the `manager` role is who is told.
    let manager = s
        .app
        .store()
        .upsert_user(
            &s.org,
            "mgr",
            "Sam Okafor",
            "sam.okafor@acme.example",
            "manager",
        )
        .await
        .expect("manager");
    let prefs = Preferences {
        slack_channel: Some("D-MGR".into()),
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &manager, &prefs)
        .await
        .expect("prefs");

    let job = call(
        &s,
        "m-tight",
        "Budget is tight this quarter, so we may have to push this to next year.",
    )
    .await;
    let to_manager = poll(PATIENCE, async || {
        let posts: Vec<Value> = slack
            .requests()
            .iter()
            .filter_map(|r| serde_json::from_str::<Value>(body_of(r)).ok())
            .filter(|p| p["channel"] == "D-MGR")
            .collect();
        (!posts.is_empty()).then_some(posts)
    })
    .await
    .expect("the manager's channel got a post");
    assert_eq!(to_manager.len(), 1, "told once: {to_manager:#?}");
    let said = to_manager[0].to_string();
    assert!(
        said.contains("Deal at risk: Northwind renewals rollout"),
        "{said}"
    );
    assert!(said.contains("Jordan Avery's call"), "{said}");
    assert!(said.contains("Budget is tight this quarter"), "{said}");
    // Kept in the manager's inbox, linked to the call's job; the rep's
    // own inbox does not carry it.
    let notes = s
        .app
        .store()
        .notifications_of(&s.org, &manager, "manager_notice", 0, 10)
        .await
        .expect("notices");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].job_id, Some(JobId::from(job.as_str())));
    let cookie = s.login_as(&manager).await;
    let (status, page) = s.inbox_get(&cookie, "/inbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("From your team (1)"), "{page}");
    assert!(
        page.contains("Deal at risk: Northwind renewals rollout"),
        "{page}"
    );
    let rep = s.rep_login().await;
    let (_, page) = s.inbox_get(&rep, "/inbox").await;
    assert!(!page.contains("From your team"), "the rep's page: {page}");
    // And the deal is flagged at risk, for the rep to approve with the
    // call's other CRM updates.
    let updates = s.step_data(&job, "update-crm-from-meeting").await;
    assert!(updates.to_string().contains("at_risk"), "{updates:#}");

    // A call where the budget is fine tells nobody.
    let fine = call(&s, "m-fine", "We have budget set aside for this in Q1.").await;
    let recap = s.step_data(&fine, "notify-slack-summary").await;
    assert!(recap["manager_notice"].is_null(), "{recap:#}");
    let (_, view) = s.get(&format!("/v1/jobs/{fine}")).await;
    let posts = view["effects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            e["kind"] == "slack_post"
                && e["idempotency_key"]
                    .as_str()
                    .is_some_and(|k| k.ends_with(":1"))
        })
        .count();
    assert_eq!(posts, 0, "no second post: {:#}", view["effects"]);
    let notes = s
        .app
        .store()
        .notifications_of(&s.org, &manager, "manager_notice", 0, 10)
        .await
        .expect("notices");
    assert_eq!(notes.len(), 1, "still the one notice");
}

/// A short `meeting_ended` for rep1 with Marta, where she says `line`; the
/// job's id once it waits at its gates.
async fn call(s: &Server, meeting: &str, line: &str) -> String {
    let payload = json!({ "meeting_id": meeting, "title": "Northwind check-in",
        "contact_email": "marta.ruiz@northwind.example",
        "utterances": [
            { "speaker": "rep", "text": "Thanks for the time, Marta. Where are you on the rollout?", "start": 0.0 },
            { "speaker": "prospect", "text": line, "start": 4.0 },
            { "speaker": "rep", "text": "Understood. I'll send you a summary of what we discussed by Friday.", "start": 9.0 }
        ] });
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": payload }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&job, |j| j["status"] == "awaiting_approval")
        .await;
    job
}
