//! The morning brief end to end: `baton serve` on loopback with the
//! shipped `morning_brief` and `email_received` sequences and their
//! skills, the demo CRM with today's meetings, a Slack peer, and another
//! org beside it. A scheduler tick at rep1's briefing time (08:00 in New
//! York, manual clock) fires the brief; Slack receives valid Block Kit
//! whose four sections hold the morning's facts; its Approve button
//! decides the gate through the interactions route; the inbox shows the
//! brief; the on-demand route gives the same brief; the other org's data
//! never appears.

use baton::orchestrator::scheduler::Scheduler;
use baton::store::CrmTables;
use baton::store::{GateId, GateStatus, JobId};
use baton_tests::server::{FOLLOW_UP, Server, Setup, T0, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, poll, root, until,
    validate_blocks,
};
use serde_json::{Value, json};

const SKILLS: [&str; 7] = [
    "pipeline-analysis",
    "compose-morning-brief",
    "deliver-slack-briefing",
    "classify-email-intent",
    "match-to-crm-contact",
    "draft-email-reply",
    "find-content",
];

/// Meetings are briefed by a one-step stand-in (the real chain has its own test).
const PRE: &str =
    "event = \"pre_meeting_90min\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n";

const SECRET: &str = "brief-signing-secret";

/// 08:00 in New York on Tuesday 2026-11-24: 13:00 UTC, 22 hours after T0.
const BRIEF_AT: i64 = T0 + 22 * 3_600_000;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The demo document as org `slug`, its meetings on the day of the brief.
fn demo(slug: &str) -> Value {
    let mut doc: Value = serde_json::from_str(&read("examples/demo.json")).expect("demo JSON");
    doc["org"]["slug"] = json!(slug);
    doc["meetings"] = json!([
        { "user": "rep1", "title": "Cobalt order form walkthrough", "starts_at": "2026-11-24T14:00:00Z",
          "contact": "tomasz.nowak@cobalt-wh.example", "deal": "Cobalt multi-site expansion" },
        { "user": "rep1", "title": "Northwind pricing follow-up", "starts_at": "2026-11-24T16:00:00Z",
          "contact": "marta.ruiz@northwind.example", "deal": "Northwind renewals rollout" },
        { "user": "rep2", "title": "Harbour Freight payment schedule", "starts_at": "2026-11-24T14:00:00Z",
          "contact": "aisha.bello@harbourfreight.example" }
    ]);
    doc
}

/// Run `sql` on the test database (rows another part of baton writes:
/// proposals and their views).
async fn execute(db: &TestDb, backend: Backend, sql: &str) {
    use sqlx::Connection;
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.url))
                .await
                .expect("sqlite");
            sqlx::raw_sql(sql).execute(&mut c).await.expect("sql");
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.expect("pg");
            sqlx::raw_sql(sql).execute(&mut c).await.expect("sql");
        }
    }
}

/// The `chat.postMessage` bodies Slack received in `channel` holding `needle`.
fn posts(slack: &HttpPeer, channel: &str, needle: &str) -> Vec<Value> {
    slack
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST /api/chat.postMessage"))
        .filter_map(|r| serde_json::from_str::<Value>(body_of(r)).ok())
        .filter(|b| b["channel"] == channel && b.to_string().contains(needle))
        .collect()
}

async fn wait_posts(slack: &HttpPeer, channel: &str, needle: &str, n: usize) -> Vec<Value> {
    let found = poll(PATIENCE, async || {
        let found = posts(slack, channel, needle);
        (found.len() >= n).then_some(found)
    })
    .await;
    found.unwrap_or_else(|| panic!("no Slack post holds {needle:?}: {:#?}", slack.requests()))
}

/// The brief's Block Kit as one string of its texts.
fn texts(blocks: &Value) -> String {
    let mut out = String::new();
    for b in blocks.as_array().into_iter().flatten() {
        let elements = b["elements"].as_array().into_iter().flatten();
        for t in [&b["text"]["text"]]
            .into_iter()
            .chain(elements.flat_map(|e| [&e["text"], &e["text"]["text"]]))
        {
            if let Some(t) = t.as_str() {
                out.push_str(t);
                out.push('\n');
            }
        }
    }
    out
}

async fn setup(db: &TestDb, backend: Backend, slack: &HttpPeer) -> Server {
    let brief = read("sequences/morning_brief.toml");
    let email = read("sequences/email_received.toml");
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&brief, &email, FOLLOW_UP, PRE],
            skills: &SKILLS,
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                ("BATON_SLACK_SIGNING_SECRET", SECRET),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let (status, imported) = s.post("/v1/crm/import", demo("acme")).await;
    assert_eq!(status, 200, "{imported}");
    assert_eq!(imported["meetings"], 3);
    let store = s.app.store();
    let mut prefs = store.preferences(&s.org, &s.user).await.expect("prefs");
    assert_eq!(prefs.timezone, "America/New_York");
    prefs.slack_channel = Some("C-JORDAN".into());
    prefs.slack_user_id = Some("U-JORDAN".into());
    store
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");

    // Another org with a rep of the same handle, a deal, a meeting and a
    // proposal: none of it may reach acme's brief.
    let mut other = demo("globex");
    other["org"]["name"] = json!("Globex");
    for u in other["users"].as_array_mut().expect("users") {
        let handle = u["handle"].as_str().unwrap_or("").to_owned();
        u["email"] = json!(format!("{handle}@globex.example"));
    }
    other["deals"][0]["name"] = json!("Globex secret rollout");
    other["activities"] = json!([]);
    other["meetings"] = json!([{ "user": "rep1", "title": "Globex board dinner",
                                 "starts_at": "2026-11-24T17:00:00Z" }]);
    let globex = baton::orchestrator::import::import(
        store,
        &serde_json::from_value(other).expect("an import document"),
        baton::store::now_ms(),
    )
    .await
    .expect("globex imported");
    assert_eq!(globex.meetings, 1);
    let g = store
        .org_by_slug("globex")
        .await
        .expect("org")
        .expect("globex");
    let g_rep = store
        .user_by_handle(&g.id, "rep1")
        .await
        .expect("user")
        .expect("rep1");
    let g_deal = store
        .deal_named(&g.id, "Globex secret rollout")
        .await
        .expect("deal")
        .expect("deal");
    let deal = store
        .deal_named(&s.org, "Cobalt multi-site expansion")
        .await
        .expect("deal")
        .expect("deal");
    // A proposal sent at T0 and viewed twice overnight; Globex's too.
    let sent = T0;
    execute(
        db,
        backend,
        &format!(
            "INSERT INTO proposals (id, org_id, user_id, deal_id, version, status, title, amount_cents,
                 currency, document, share_token, source_key, created_at, sent_at, first_viewed_at)
             VALUES ('p-acme', '{org}', '{user}', '{deal}', 1, 'viewed', 'Cobalt three-site proposal', 1250000,
                 'USD', '{{}}', 'tok-acme', 'k-acme', {sent}, {sent}, {v1}),
                    ('p-globex', '{gorg}', '{guser}', '{gdeal}', 1, 'sent', 'Globex secret proposal', 9900000,
                 'EUR', '{{}}', 'tok-globex', 'k-globex', {sent}, {sent}, NULL);
             INSERT INTO proposal_views (id, org_id, proposal_id, viewed_at) VALUES
                 ('v1', '{org}', 'p-acme', {v1}), ('v2', '{org}', 'p-acme', {v2});",
            org = s.org,
            user = s.user,
            deal = deal.id,
            gorg = g.id,
            guser = g_rep.id,
            gdeal = g_deal.id,
            v1 = T0 + 8 * 3_600_000,
            v2 = T0 + 9 * 3_600_000,
        ),
    )
    .await;
    s
}

backend_test!(
    the_morning_brief_reaches_slack_the_inbox_and_acts,
    the_morning_brief_reaches_slack_the_inbox_and_acts_body
);

async fn the_morning_brief_reaches_slack_the_inbox_and_acts_body(backend: Backend) {
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "C-JORDAN", "ts": "1700000000.000100" })),
    );
    let db = TestDb::new(backend).await;
    let s = setup(&db, backend, &slack).await;

    // Yesterday afternoon: an email that needs an answer (its reply waits
    // at a gate) and a meeting whose follow-up waits at another.
    let (status, mail) = s
        .post(
            "/v1/events",
            json!({ "type": "email_received", "user": "rep1", "payload": {
                "message_id": "<q1@cobalt-wh.example>",
                "from": "Tomasz Nowak <tomasz.nowak@cobalt-wh.example>", "subject": "Re: backups",
                "body": "Does your EU region keep backups inside the EU? Our IT team needs to know before Friday.",
                "received_at": "2026-11-23T14:50:00Z" } }),
        )
        .await;
    assert_eq!(status, 202, "{mail}");
    let mail = mail["job_id"].as_str().expect("job").to_owned();
    let reply_gate = s.open_gate(&mail).await;
    assert_eq!(
        s.step_data(&mail, "classify-email-intent").await["intent"],
        "needs_response"
    );
    // The call with Marta ended at 14:40: a meeting held on Northwind.
    let (status, meeting) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": {
                "meeting_id": "m-1", "title": "Northwind discovery call",
                "contact_email": "marta.ruiz@northwind.example",
                "started_at": "2026-11-23T14:00:00Z", "ended_at": "2026-11-23T14:40:00Z" } }),
        )
        .await;
    assert_eq!(status, 202, "{meeting}");
    let meeting = meeting["job_id"].as_str().expect("job").to_owned();
    let follow_up = s.open_gate(&meeting).await;

    // 07:40 in New York the next day: the 09:00 meeting's preparation
    // fires (and finishes); at 08:00 the brief.
    let scheduler = Scheduler::new(s.app.orch.clone());
    s.clock.set(BRIEF_AT - 20 * 60_000);
    assert_eq!(
        scheduler.tick(BRIEF_AT - 20 * 60_000).await.expect("tick"),
        2,
        "the preparation of rep1's Cobalt and rep2's Harbour meetings, and no brief before 08:00"
    );
    let jobs = s
        .app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 50)
        .await
        .expect("jobs");
    let prep = jobs
        .iter()
        .find(|j| j.event_type == "pre_meeting_90min" && j.user_id == s.user)
        .expect("the prep job")
        .id
        .clone();
    s.wait_job(prep.as_str(), |j| j["status"] == "completed")
        .await;
    s.clock.set(BRIEF_AT);
    scheduler.tick(BRIEF_AT).await.expect("tick");
    let jobs = s
        .app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 50)
        .await
        .expect("jobs");
    let brief = jobs
        .iter()
        .find(|j| j.event_type == "morning_brief" && j.user_id == s.user)
        .expect("rep1's brief")
        .clone();
    s.wait_job(brief.id.as_str(), |j| {
        j["status"] == "completed" && j["effects"][0]["status"] == "delivered"
    })
    .await;

    let post = wait_posts(&slack, "C-JORDAN", "Good morning, Jordan", 1)
        .await
        .remove(0);
    let errors = validate_blocks(&json!({ "brief": post["blocks"] }));
    assert_eq!(errors, json!({ "brief": [] }), "{:#}", post["blocks"]);
    let shown = texts(&post["blocks"]);
    for fact in [
        "Good morning, Jordan. Here's your Tuesday.",
        "MEETINGS TODAY (2)",
        "09:00 -- Tomasz Nowak, Cobalt Warehousing (Cobalt order form walkthrough) · Prep ready",
        "11:00 -- Marta Ruiz, Northwind Logistics (Northwind pricing follow-up) · Prep at 09:30",
        "NEEDS YOUR ATTENTION (2)",
        "Tomasz Nowak (Cobalt Warehousing) -- awaiting your reply \"Re: backups\": a drafted reply waits for your approval",
        "Follow-up email to Marta -- waiting for your approval",
        "2 approvals waiting in all, the oldest for 22 hours",
        "PIPELINE PULSE",
        // The demo's two stale deals of rep1 (Halden, Ostrava) beside
        // Cobalt; yesterday's call with Marta and Tomasz's email are
        // activity, so Northwind is not at risk and both deals moved.
        "3 deals need action today",
        "Halden cold-chain renewals -- close date passed (2026-10-30); 102 days without activity",
        "2 deals at risk (Halden cold-chain renewals -- 102 days no activity, \
         Ostrava forecast add-on -- 82 days no activity)",
        "Moved since the last brief: Cobalt multi-site expansion, Northwind renewals rollout",
        "$12,500 in proposals awaiting response (1 proposal)",
        "OVERNIGHT UPDATES",
        "✉ 1 email classified: 1 needs response",
        "👀 Proposal \"Cobalt three-site proposal\" (Cobalt multi-site expansion) viewed 2 times",
        "Approve reply",
        "Show full inbox ->",
    ] {
        assert!(
            shown.contains(fact),
            "{fact:?} missing from the brief:\n{shown}"
        );
    }
    let all = post.to_string();
    for secret in ["Globex", "globex", "9900000", "€"] {
        assert!(!all.contains(secret), "another org's {secret} in the brief");
    }
    let buttons: Vec<&Value> = post["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().into_iter().flatten())
        .collect();
    let approve_follow_up = buttons
        .iter()
        .find(|b| {
            b["value"]
                .as_str()
                .is_some_and(|v| v.contains(follow_up["id"].as_str().unwrap_or("-")))
        })
        .expect("an Approve button on the follow-up");
    assert!(
        buttons
            .iter()
            .filter_map(|b| b["url"].as_str())
            .all(|u| u.starts_with(&s.base)),
        "links are absolute, into this service's inbox"
    );
    assert!(buttons.iter().any(|b| {
        b["value"]
            .as_str()
            .is_some_and(|v| v.contains(reply_gate["id"].as_str().unwrap_or("-")))
    }));

    // The inbox heads with the brief, from its sections.
    let cookie = s.inbox_login(&s.token).await;
    let page = s
        .http
        .get(s.url("/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("inbox")
        .text()
        .await
        .expect("html");
    let at = |needle: &str| page.find(needle).unwrap_or(usize::MAX);
    assert!(
        at("Good morning, Jordan.") < at("Waiting for you"),
        "{page}"
    );
    for needle in [
        "MEETINGS TODAY (2)",
        "2 deals at risk (Halden cold-chain renewals -- 102 days no activity",
        "href=\"/inbox/approvals/",
    ] {
        assert!(
            page.contains(needle),
            "{needle:?} missing from the inbox:\n{page}"
        );
    }
    assert!(!page.contains("Globex"));
    let (status, latest) = s.get("/v1/users/rep1/brief").await;
    assert_eq!(status, 200, "{latest}");
    assert_eq!(latest["job_id"], brief.id.as_str());
    assert_eq!(latest["sections"][2]["heading"], "PIPELINE PULSE");
    assert!(
        latest["text"]
            .as_str()
            .is_some_and(|t| t.contains("$12,500 in proposals awaiting response (1 proposal)")),
        "{latest}"
    );
    let (status, _) = s.get("/v1/users/rep2/brief").await;
    assert_eq!(status, 404, "rep2 has no brief yet");

    // On demand, at the same moment: the same brief.
    let (status, asked) = s.post("/v1/users/rep1/brief", json!({})).await;
    assert_eq!(status, 202, "{asked}");
    let asked_id = asked["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&asked_id, |j| {
        j["status"] == "completed" && j["effects"][0]["status"] == "delivered"
    })
    .await;
    let scheduled = s
        .app
        .store()
        .job(&s.org, &brief.id)
        .await
        .expect("job")
        .expect("job")
        .payload;
    let on_demand = s
        .app
        .store()
        .job(&s.org, &JobId::from(asked_id.as_str()))
        .await
        .expect("job")
        .expect("job")
        .payload;
    assert_eq!(scheduled["scheduled"], true);
    assert_eq!(on_demand["scheduled"], false);
    for part in [
        "date",
        "weekday",
        "generated_at",
        "rep",
        "meetings",
        "attention",
        "pipeline",
        "overnight",
    ] {
        assert_eq!(scheduled[part], on_demand[part], "{part}");
    }
    let again = wait_posts(&slack, "C-JORDAN", "Good morning, Jordan", 2).await;
    assert_eq!(texts(&again[1]["blocks"]), shown, "the same brief in Slack");
    let (status, _) = s.post("/v1/users/nobody/brief", json!({})).await;
    assert_eq!(status, 404);

    // Approve in Slack: the follow-up's gate is decided through the
    // interactions route, and the brief stays where it is.
    let payload = json!({ "type": "block_actions", "user": { "id": "U-JORDAN" },
        "response_url": format!("http://127.0.0.1:{}/api/respond", slack.port),
        "actions": [{ "type": "button", "block_id": "brief:attention:1",
                      "action_id": approve_follow_up["action_id"], "value": approve_follow_up["value"] }] });
    assert_eq!(s.slack_interaction(SECRET, BRIEF_AT, &payload).await, 200);
    let gate = GateId::from(follow_up["id"].as_str().expect("id"));
    until("the follow-up is approved", PATIENCE, async || {
        s.app
            .store()
            .pending_action(&s.org, &gate)
            .await
            .ok()
            .flatten()
            .is_some_and(|g| g.status == GateStatus::Decided)
    })
    .await;
    let decided = s
        .app
        .store()
        .pending_action(&s.org, &gate)
        .await
        .expect("gate")
        .expect("gate");
    assert_eq!(decided.decided_by.as_deref(), Some("slack:U-JORDAN"));
    until(
        "Slack hears the outcome beside the brief",
        PATIENCE,
        async || {
            slack.requests().iter().any(|r| {
                r.starts_with("POST /api/respond")
                    && body_of(r).contains("\"replace_original\":false")
            })
        },
    )
    .await;
    s.wait_job(&meeting, |j| j["status"] == "completed").await;
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}
