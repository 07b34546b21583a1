//! Issue 43, intent actions: a prospect who says the budget is tight puts
//! the deal at risk, and the rep's manager is told, in Slack and in the
//! inbox, through `baton serve` with the shipped meeting chain; rivals the
//! prospect names are researched (the competitive provider, else the
//! org's battlecards), told to the rep and kept on the deal.

use crate::meeting_ended::{crm, serve_chain, slack_peer};
use baton::registry::Grants;
use baton::store::{CrmTables, JobId, Preferences};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, poll};
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

const ADMIN: &str = "admin-token-for-the-rivals-test";

/// The meeting chain with competitive research, its provider on loopback
/// at `port` granted to `research-competitors` alone.
async fn serve_rivals(db: &TestDb, slack: &HttpPeer, port: u16) -> Server {
    let meeting = crate::meeting_ended::read("sequences/meeting_ended.toml");
    let research = crate::meeting_ended::read("sequences/competitive_research.toml");
    let api = format!("http://127.0.0.1:{}/api", slack.port);
    let vault = baton::accounts::Vault::new_key();
    let mut skills = crate::meeting_ended::SKILLS.to_vec();
    skills.push("research-competitors");
    let grants = Grants::parse(&format!(
        r#"
default = ["context:org", "context:contact", "context:attachments", "files", "llm"]
[skills.research-competitors]
grant = ["context:contact", "context:external:competitive", "context:external:content_library", "http:127.0.0.1:{port}"]
"#
    ))
    .expect("grants");
    start(
        db.store.clone(),
        Setup {
            sequences: &[&meeting, &research],
            skills: &skills,
            grants,
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                ("BATON_SLACK_API_URL", api.as_str()),
                ("BATON_SECRET_KEY", vault.as_str()),
                ("BATON_ADMIN_TOKEN", ADMIN),
            ]),
            ..Setup::default()
        },
    )
    .await
}

backend_test!(
    rivals_named_on_a_call_are_researched_told_to_the_rep_and_kept_on_the_deal,
    rivals_body
);

async fn rivals_body(backend: Backend) {
    let slack = slack_peer();
    // The provider knows Gainsight; of Totango it knows nothing (404), so
    // the org's battlecard answers for it.
    let card = json!({ "competitor": "Gainsight", "summary": "The incumbent customer-success suite.",
        "strengths": ["Broad feature set"], "weaknesses": ["Six-month implementations"],
        "pricing": "Per seat, annual contracts",
        "sources": [{ "title": "Analyst note", "url": "https://intel.example/gainsight" }] });
    let provider = HttpPeer::answering(vec![Answer::json(card)], Answer::new(404, "{}"));
    let db = TestDb::new(backend).await;
    let s = serve_rivals(&db, &slack, provider.port).await;
    crm(&s).await;
    // The org's competitive provider, and a battlecard in its library.
    let (status, imported) = s
        .post(
            "/v1/crm/import",
            json!({
                "org": { "slug": "acme", "name": "Acme", "profile": { "providers": {
                    "competitive": { "url": format!("http://127.0.0.1:{}/intel", provider.port) } } } },
                "content_library": [
                    { "id": "bc-totango", "title": "Totango battlecard", "kind": "battlecard", "tags": ["totango"],
                      "summary": "Strong on digital customer success; we win on renewal forecasting.",
                      "url": "https://acme.example/battlecards/totango" } ],
            }),
        )
        .await;
    assert_eq!(status, 200, "{imported}");
    let r = reqwest::Client::new()
        .put(s.url("/v1/admin/orgs/acme/provider-keys/intel"))
        .bearer_auth(ADMIN)
        .json(
            &json!({ "host": format!("http://127.0.0.1:{}", provider.port),
                       "header": "Authorization", "value": "Bearer intel-key-7c1" }),
        )
        .send()
        .await
        .expect("PUT provider key");
    assert!(r.status().is_success(), "{:?}", r.text().await);

    let job = call(
        &s,
        "m-rivals",
        "To be transparent, we're also looking at Gainsight and Totango, and we run everything in HubSpot.",
    )
    .await;
    let research = poll(PATIENCE, async || {
        s.app
            .store()
            .jobs(&s.org, &baton::store::Reach::Org, 50)
            .await
            .ok()?
            .into_iter()
            .find(|j| j.event_type == "competitive_research")
    })
    .await
    .expect("a competitive_research job");
    assert_eq!(research.parent_job_id, Some(JobId::from(job.as_str())));
    // HubSpot is their own CRM: never researched as a rival.
    assert_eq!(
        research.payload["competitors"],
        json!(["Gainsight", "Totango"])
    );
    let id = research.id.to_string();
    s.wait_job(&id, |j| j["status"] == "completed").await;
    let found = s.step_data(&id, "research-competitors").await;
    let sources: Vec<(&str, &str)> = found["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .map(|c| {
            (
                c["competitor"].as_str().unwrap_or(""),
                c["source"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [("Gainsight", "provider"), ("Totango", "battlecard")]
    );
    // The provider was asked about each rival, with the prospect's company
    // and the key the host keeps (which the skill never saw).
    let asked = provider.requests();
    assert_eq!(asked.len(), 2, "{asked:#?}");
    assert!(
        asked[0].starts_with("GET /intel?competitor=Gainsight&company=Northwind%20Logistics"),
        "{}",
        asked[0]
    );
    assert!(
        asked[0]
            .to_lowercase()
            .contains("authorization: bearer intel-key-7c1"),
        "{}",
        asked[0]
    );
    assert!(!found.to_string().contains("intel-key"));
    // The rep is told in Slack.
    let told = poll(PATIENCE, async || {
        slack
            .requests()
            .iter()
            .filter_map(|r| serde_json::from_str::<Value>(body_of(r)).ok())
            .find(|p| {
                p.to_string()
                    .contains("Competitive research: Gainsight, Totango")
            })
    })
    .await
    .expect("the research in Slack");
    let said = told.to_string();
    assert!(said.contains("Six-month implementations"), "{said}");
    assert!(said.contains("we win on renewal forecasting"), "{said}");
    // And it is kept on the deal, which its page shows.
    let store = s.app.store();
    let deal = store
        .deal_named(&s.org, "Northwind renewals rollout")
        .await
        .expect("deal")
        .expect("the deal");
    let kept: Vec<String> = store
        .deal_activities(&s.org, &deal.id, 50)
        .await
        .expect("activities")
        .into_iter()
        .filter(|a| a.kind == "competitive_research")
        .map(|a| a.summary)
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept.iter()
            .any(|k| k.starts_with("Gainsight (research): The incumbent")),
        "{kept:?}"
    );
    // (The deal has no owner here: the org's token sees it.)
    let cookie = s.inbox_login(&s.token).await;
    let (status, page) = s
        .inbox_get(&cookie, &format!("/inbox/deals/{}", deal.id))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Competitive research"), "{page}");
    assert!(page.contains("Totango (battlecard)"), "{page}");
    s.stop().await;
    db.finish().await;
}
