//! The revival chain end to end: `baton serve` on loopback with the shipped
//! `sequences/stale_deal_revival.toml` and its three skills, the demo CRM
//! (stale deals with the history that shows why), and the scheduler ticked
//! on a manual clock. The daily pipeline scan queues at most each rep's
//! `max_revivals_per_day`, most stale first; each job reaches a confirm
//! gate holding a re-engagement email that cites the stall reason, CRM-only
//! (and saying so) without a news provider, opening with the company's
//! news when a loopback news peer answers. A deal whose call was just held,
//! or with a call on the calendar, is not revived.

use baton::orchestrator::scheduler::Scheduler;
use baton::registry::Grants;
use baton::store::{CrmTables, UserId};
use baton_tests::server::{FOLLOW_UP, Server, Setup, T0, env, start};
use baton_tests::{Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, root, until};
use serde_json::{Value, json};

const SKILLS: [&str; 3] = [
    "research-trigger-events",
    "analyse-stall-reason",
    "draft-reengagement",
];
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The operator's grants: each skill what it needs, and the research step
/// the news peer's host when there is one (it declares `http:*`).
fn grants(news_port: Option<u16>) -> Grants {
    let http = news_port
        .map(|p| format!(", \"http:127.0.0.1:{p}\""))
        .unwrap_or_default();
    Grants::parse(&format!(
        r#"
[skills.research-trigger-events]
grant = ["context:contact", "context:external:news"{http}]
[skills.analyse-stall-reason]
grant = ["context:contact"]
[skills.draft-reengagement]
grant = ["context:org", "context:contact"]
[skills.scripted]
grant = ["context:org", "context:contact", "approvals", "llm", "http:127.0.0.1"]
"#
    ))
    .expect("grants")
}

/// The demo imported as `acme` (with the news peer on `news_port` as its
/// news provider when given, and `meetings` on the calendar), quiet hours
/// off, and rep1 revives at most two deals a day. A call that ends runs a
/// stand-in follow-up.
async fn serve_with(db: &TestDb, news_port: Option<u16>, meetings: Value) -> Server {
    serve_posting(db, news_port, meetings, None).await
}

/// [`serve_with`], its approval requests posted to the Slack peer `slack`
/// when there is one (rep1's channel `D-REP1`).
async fn serve_posting(
    db: &TestDb,
    news_port: Option<u16>,
    meetings: Value,
    slack: Option<&HttpPeer>,
) -> Server {
    let sequence = std::fs::read_to_string(root().join("sequences/stale_deal_revival.toml"))
        .expect("the shipped sequence");
    let api = slack.map(|p| format!("http://127.0.0.1:{}/api", p.port));
    let vars: Vec<(&str, &str)> = match &api {
        Some(api) => vec![
            ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
            ("BATON_SLACK_API_URL", api.as_str()),
        ],
        None => Vec::new(),
    };
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&sequence, FOLLOW_UP],
            skills: &SKILLS,
            grants: grants(news_port),
            env: env(&vars),
            ..Setup::default()
        },
    )
    .await;
    let mut demo: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/demo.json")).expect("demo"),
    )
    .expect("demo JSON");
    demo["org"]["slug"] = json!("acme");
    // The demo's meetings are today's, and would fire their preparation
    // in the scheduler's passes: not what these tests count.
    demo["meetings"] = meetings;
    if let Some(port) = news_port {
        demo["org"]["profile"]["providers"]["news"] =
            json!({ "url": format!("http://127.0.0.1:{port}/news") });
    }
    let (status, imported) = s.post("/v1/crm/import", demo).await;
    assert_eq!(status, 200, "{imported}");
    for (rep, cap) in [("rep1", 2), ("rep2", 3)] {
        let (status, mut prefs) = s.get(&format!("/v1/users/{rep}/preferences")).await;
        assert_eq!(status, 200, "{prefs}");
        assert_eq!(prefs["max_revivals_per_day"], 3, "the default: {prefs}");
        prefs["quiet_start_min"] = Value::Null;
        prefs["quiet_end_min"] = Value::Null;
        prefs["max_revivals_per_day"] = json!(cap);
        if slack.is_some() && rep == "rep1" {
            prefs["slack_channel"] = json!("D-REP1");
        }
        let (status, saved) = s.put(&format!("/v1/users/{rep}/preferences"), prefs).await;
        assert_eq!(status, 200, "{saved}");
    }
    s
}

async fn serve(db: &TestDb, news_port: Option<u16>) -> Server {
    serve_with(db, news_port, json!([])).await
}

/// Queue Halden's revival through the API, as the scan would; its job.
async fn revive_halden(s: &Server) -> String {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "stale_deal_revival", "user": "rep1", "payload": {
                "deal_name": "Halden cold-chain renewals", "stage": "proposal", "days_quiet": 101
            }}),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

/// Ines and Jordan's call on Halden's deal ends.
async fn hold_halden_call(s: &Server) {
    let (status, held) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": {
                "meeting_id": "halden-call", "title": "Halden renewal call",
                "contact_email": "ines.duarte@halden.example",
                "started_at": "2026-11-23T14:00:00Z", "ended_at": "2026-11-23T14:30:00Z" } }),
        )
        .await;
    assert_eq!(status, 202, "{held}");
}

/// The `stale_deal_revival` jobs of the org, as (deal name, user id, job
/// id), by deal name.
async fn revivals(s: &Server) -> Vec<(String, UserId, String)> {
    let jobs = s
        .app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 100)
        .await
        .expect("jobs");
    let mut out: Vec<(String, UserId, String)> = jobs
        .into_iter()
        .filter(|j| j.event_type == "stale_deal_revival")
        .map(|j| {
            (
                j.payload["deal_name"].as_str().unwrap_or("").to_owned(),
                j.user_id.clone(),
                j.id.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn user(s: &Server, handle: &str) -> UserId {
    s.app
        .store()
        .users(&s.org)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.handle == handle)
        .expect("imported")
        .id
}

/// The job for `deal` among `jobs`.
fn job_of<'a>(jobs: &'a [(String, UserId, String)], deal: &str) -> &'a str {
    jobs.iter()
        .find(|j| j.0 == deal)
        .map(|j| j.2.as_str())
        .unwrap_or_else(|| panic!("no revival of {deal}: {jobs:?}"))
}

backend_test!(
    the_daily_scan_queues_at_most_n_per_rep_and_each_drafts_from_the_stall_reason,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = serve(&db, None).await;
        let scheduler = Scheduler::new(s.app.orch.clone());
        // Monday 2026-11-23: 07:05 in London (rep2), then 07:05 in New York (rep1).
        let london = T0 - 8 * HOUR + 5 * 60_000;
        let new_york = london + 5 * HOUR;
        assert_eq!(scheduler.tick(london).await.expect("tick"), 2);
        assert_eq!(scheduler.tick(new_york).await.expect("tick"), 2);
        assert_eq!(
            scheduler.tick(new_york + HOUR).await.expect("tick"),
            0,
            "once a day"
        );
        let jobs = revivals(&s).await;
        let (rep1, rep2) = (user(&s, "rep1").await, user(&s, "rep2").await);
        let names = |who: &UserId| -> Vec<&str> {
            jobs.iter()
                .filter(|j| &j.1 == who)
                .map(|j| j.0.as_str())
                .collect()
        };
        // rep1 has three stale deals (quiet since 14 Aug, 3 Sep and 3 Nov)
        // and a cap of two: the two stalest. rep2 has two, under a cap of three.
        assert_eq!(
            names(&rep1),
            ["Halden cold-chain renewals", "Ostrava forecast add-on"]
        );
        let mut theirs = names(&rep2);
        theirs.sort();
        assert_eq!(
            theirs,
            [
                "Harbour Freight forecast add-on",
                "Meridian Parcel renewals pilot"
            ]
        );

        // Halden: pricing went out, then silence. CRM-only, and it says so.
        let halden = job_of(&jobs, "Halden cold-chain renewals");
        let gate = s.open_gate(halden).await;
        assert_eq!(gate["step_name"], "draft-reengagement");
        let research = s.step_data(halden, "research-trigger-events").await;
        assert_eq!(research["basis"], "crm_only");
        assert!(
            research["note"]
                .as_str()
                .is_some_and(|n| n.starts_with("CRM-only") && n.contains("providers.news")),
            "{research}"
        );
        let stall = s.step_data(halden, "analyse-stall-reason").await;
        assert_eq!(
            stall["reasons"][0]["kind"], "quiet_after_pricing",
            "{stall:#}"
        );
        let evidence = &stall["reasons"][0]["evidence"][0];
        assert_eq!(evidence["line"], "Sent pricing for 120 seats (Growth tier)");
        assert_eq!(evidence["on"], "2026-08-14");
        assert_eq!(evidence["days_ago"], 101);
        assert_eq!(stall["days_quiet"], 101);
        let email = &gate["body"]["actions"][0]["payload"];
        assert_eq!(email["to"], "ines.duarte@halden.example");
        let body = email["body"].as_str().expect("body");
        assert!(body.starts_with("Hi Ines,"), "{body}");
        assert!(
            body.contains(
                "When I sent over pricing for Halden cold-chain renewals back in August,"
            ),
            "{body}"
        );
        assert!(body.ends_with("Best,\nJordan\n"), "{body}");
        let drafted = s.step_data(halden, "draft-reengagement").await;
        assert_eq!(drafted["basis"], "crm_only");
        assert_eq!(drafted["stall_reason"], "quiet_after_pricing");

        // Meridian: a competitor came up in the demo.
        let meridian = job_of(&jobs, "Meridian Parcel renewals pilot");
        s.open_gate(meridian).await;
        let stall = s.step_data(meridian, "analyse-stall-reason").await;
        let competitor = stall["reasons"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["kind"] == "competitor"))
            .unwrap_or_else(|| panic!("no competitor reason: {stall:#}"));
        assert_eq!(
            competitor["evidence"][0]["line"],
            "Demo went well; Owen said they are also evaluating Gainsight"
        );

        // The next day rep1's two are still quiet but were taken this week:
        // the scan passes over them to the next stalest.
        assert_eq!(scheduler.tick(new_york + DAY).await.expect("tick"), 1);
        let later = revivals(&s).await;
        assert_eq!(later.iter().filter(|j| j.1 == rep1).count(), 3, "{later:?}");
        job_of(&later, "Northwind renewals rollout");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    with_a_news_peer_the_draft_opens_with_the_trigger_event,
    |backend: Backend| async move {
        let peer = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "items": [
                { "company": "Halden Cold Chain", "title": "Halden Cold Chain opens a Rotterdam hub",
                  "url": "https://news.example/halden-rotterdam", "source": "Freight Weekly",
                  "published_at": "2026-11-02T08:00:00Z" },
                { "company": "Cobalt Warehousing", "title": "Cobalt expands", "published_at": "2026-11-20" }
            ]})),
        );
        let db = TestDb::new(backend).await;
        let s = serve(&db, Some(peer.port)).await;
        let job = revive_halden(&s).await;
        let gate = s.open_gate(&job).await;
        let research = s.step_data(&job, "research-trigger-events").await;
        assert_eq!(research["basis"], "news", "{research}");
        assert_eq!(research["events"].as_array().map(Vec::len), Some(1));
        assert!(
            peer.requests()
                .iter()
                .any(|r| r
                    .starts_with("GET /news?company=Halden%20Cold%20Chain&domain=halden.example")),
            "{:?}",
            peer.requests()
        );
        let email = &gate["body"]["actions"][0]["payload"];
        assert_eq!(
            email["subject"],
            "Saw the news: Halden Cold Chain opens a Rotterdam hub"
        );
        let body = email["body"].as_str().expect("body");
        assert!(
            body.contains("I saw the news: \"Halden Cold Chain opens a Rotterdam hub\" (Freight Weekly).\nhttps://news.example/halden-rotterdam"),
            "{body}"
        );
        assert!(body.contains("sent over pricing"), "and the reason: {body}");
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_call_held_or_booked_is_the_next_step_and_the_scan_passes_the_deal_over,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        // Ostrava has a call on rep1's calendar in three days.
        let s = serve_with(
            &db,
            None,
            json!([{ "user": "rep1", "title": "Ostrava scoping call", "starts_at": "2026-11-26T15:00:00Z",
                     "contact": "petra.novak@ostrava-dc.example", "deal": "Ostrava forecast add-on" }]),
        )
        .await;
        // Halden (quiet since August) had a call yesterday: Meeting BaaS
        // says so as the call ends, naming the contact, not the deal.
        let held = json!({ "type": "meeting_ended", "user": "rep1", "payload": {
            "meeting_id": "halden-checkin", "title": "Halden check-in",
            "contact_email": "Ines.Duarte@halden.example",
            "started_at": "2026-11-22T16:00:00Z", "ended_at": "2026-11-22T16:25:00Z",
            "utterances": [] } });
        let (status, accepted) = s.post("/v1/events", held.clone()).await;
        assert_eq!(status, 202, "{accepted}");
        let halden = s
            .app
            .store()
            .deal_named(&s.org, "Halden cold-chain renewals")
            .await
            .expect("deal")
            .expect("Halden");
        // The activity is there as the event is accepted, at the call's
        // start, on the contact's open deal.
        let (status, context) = s.get(&format!("/v1/crm/deals/{}", halden.id)).await;
        assert_eq!(status, 200, "{context}");
        let activities = context["activities"].as_array().expect("activities");
        let calls: Vec<&Value> = activities
            .iter()
            .filter(|a| a["kind"] == "meeting" && a["summary"] == "Meeting held: Halden check-in")
            .collect();
        assert_eq!(calls.len(), 1, "{activities:#?}");
        assert_eq!(
            calls[0]["occurred_at"], 1_795_363_200_000_i64,
            "2026-11-22T16:00:00Z"
        );
        assert_eq!(calls[0]["deal_id"], halden.id.as_str());
        // The same webhook again is a duplicate: no second activity.
        let (status, again) = s.post("/v1/events", held).await;
        assert_eq!(status, 200, "{again}");
        let (_, context) = s.get(&format!("/v1/crm/deals/{}", halden.id)).await;
        let held_count = context["activities"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["kind"] == "meeting" && a["summary"] == "Meeting held: Halden check-in")
            .count();
        assert_eq!(held_count, 1, "{context:#}");

        // Monday 07:05 in New York: of rep1's three quiet deals only
        // Northwind is left to revive.
        let scheduler = Scheduler::new(s.app.orch.clone());
        let new_york = T0 - 3 * HOUR + 5 * 60_000;
        scheduler.tick(new_york).await.expect("tick");
        let rep1 = user(&s, "rep1").await;
        let mine: Vec<String> = revivals(&s)
            .await
            .into_iter()
            .filter(|j| j.1 == rep1)
            .map(|j| j.0)
            .collect();
        assert_eq!(mine, ["Northwind renewals rollout"]);

        // A rep who wants no such hold (0 days) gets Ostrava revived the
        // next day; Halden stays active.
        let (_, mut prefs) = s.get("/v1/users/rep1/preferences").await;
        assert_eq!(prefs["revival_meeting_days"], 14, "the default: {prefs}");
        prefs["revival_meeting_days"] = json!(400);
        let (status, refused) = s.put("/v1/users/rep1/preferences", prefs.clone()).await;
        assert_eq!(status, 422, "{refused}");
        assert!(
            refused.to_string().contains("revival_meeting_days"),
            "{refused}"
        );
        prefs["revival_meeting_days"] = json!(0);
        let (status, saved) = s.put("/v1/users/rep1/preferences", prefs).await;
        assert_eq!(status, 200, "{saved}");
        scheduler.tick(new_york + DAY).await.expect("tick");
        let mut mine: Vec<String> = revivals(&s)
            .await
            .into_iter()
            .filter(|j| j.1 == rep1)
            .map(|j| j.0)
            .collect();
        mine.sort();
        assert_eq!(
            mine,
            ["Northwind renewals rollout", "Ostrava forecast add-on"]
        );
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_revival_draft_is_withdrawn_when_a_meeting_is_held_on_its_deal,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = serve(&db, None).await;
        let job = revive_halden(&s).await;
        let gate = s.open_gate(&job).await;
        let id = gate["id"].as_str().expect("id").to_owned();
        assert_eq!(gate["basis"]["draft"], "revival", "{gate:#}");

        // Ines and Jordan talk before the draft is approved: the call ends.
        hold_halden_call(&s).await;

        // The draft is withdrawn at once, with its reason, and its step
        // skipped: nothing goes out.
        let (status, withdrawn) = s.get(&format!("/v1/approvals/{id}")).await;
        assert_eq!(status, 200, "{withdrawn}");
        assert_eq!(withdrawn["status"], "superseded", "{withdrawn:#}");
        assert_eq!(
            withdrawn["decision_note"],
            "the deal is active again (Meeting held: Halden renewal call on 2026-11-23)"
        );
        let done = s.wait_job(&job, |j| j["status"] == "completed").await;
        let draft = &done["steps"]["draft-reengagement"];
        assert_eq!(draft["status"], "skipped", "{done:#}");
        assert_eq!(
            draft["reason"],
            "superseded: the deal is active again (Meeting held: Halden renewal call on 2026-11-23)"
        );
        assert!(
            done["effects"].as_array().is_none_or(Vec::is_empty),
            "nothing goes out: {done:#}"
        );
        // A late click is refused with the reason, not applied.
        let (status, refused) = s
            .post(
                &format!("/v1/approvals/{id}/decision"),
                json!({ "decision": "approved" }),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        assert!(
            refused
                .to_string()
                .contains("withdrawn: the deal is active again"),
            "{refused}"
        );
        // The inbox says why.
        let cookie = s.inbox_login(&s.token).await;
        let (status, page) = s
            .inbox_get(&cookie, &format!("/inbox/approvals/{id}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Withdrawn: the deal is active again (Meeting held: Halden renewal call on 2026-11-23)"),
            "{page}"
        );
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    the_slack_request_of_a_withdrawn_draft_says_why,
    |backend: Backend| async move {
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "D-REP1", "ts": "1700000000.000200" })),
        );
        let db = TestDb::new(backend).await;
        let s = serve_posting(&db, None, json!([]), Some(&slack)).await;
        let job = revive_halden(&s).await;
        s.open_gate(&job).await;
        until("the request reaches Slack", PATIENCE, async || {
            slack
                .requests()
                .iter()
                .any(|r| r.contains("chat.postMessage") && r.contains("Approve"))
        })
        .await;
        hold_halden_call(&s).await;
        // The message the rep has in Slack is replaced: its buttons no
        // longer apply, and it says why.
        until("the request says it was withdrawn", PATIENCE, async || {
            slack.requests().iter().any(|r| {
                r.contains("chat.update")
                    && r.contains("1700000000.000200")
                    && r.contains("withdrawn: the deal is active again")
            })
        })
        .await;
        let updates: Vec<String> = slack
            .requests()
            .into_iter()
            .filter(|r| r.contains("chat.update"))
            .collect();
        assert_eq!(updates.len(), 1, "told once: {updates:#?}");
        assert!(
            !updates[0].contains("baton.approve"),
            "no button left: {}",
            updates[0]
        );
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    activity_between_the_scan_and_the_draft_withdraws_the_draft_as_it_opens,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = serve(&db, None).await;
        let halden = s
            .app
            .store()
            .deal_named(&s.org, "Halden cold-chain renewals")
            .await
            .expect("deal")
            .expect("Halden");
        // The scan saw Halden quiet since 14 August; then a call was held
        // before the revival's draft was made.
        let (status, held) = s
            .post(
                "/v1/events",
                json!({ "type": "meeting_ended", "user": "rep1", "payload": {
                    "meeting_id": "halden-call-2", "title": "Halden renewal call",
                    "contact_email": "ines.duarte@halden.example",
                    "started_at": "2026-11-23T14:00:00Z" } }),
            )
            .await;
        assert_eq!(status, 202, "{held}");
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "stale_deal_revival", "user": "rep1", "payload": {
                    "deal_name": "Halden cold-chain renewals", "deal_id": halden.id,
                    "stage": "proposal", "days_quiet": 101,
                    "last_activity_at": 1_786_701_600_000_i64 } }),
            )
            .await;
        assert_eq!(status, 202, "{accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        // Its gate is withdrawn as it opens: the job ends with the draft
        // skipped and no scheduler pass in between.
        let done = s.wait_job(&job, |j| j["status"] == "completed").await;
        assert_eq!(
            done["steps"]["draft-reengagement"]["status"], "skipped",
            "{done:#}"
        );
        assert_eq!(
            done["steps"]["draft-reengagement"]["reason"],
            "superseded: the deal is active again (Meeting held: Halden renewal call on 2026-11-23)"
        );
        assert_eq!(done["approvals"][0]["status"], "superseded", "{done:#}");
        s.stop().await;
        db.finish().await;
    }
);
