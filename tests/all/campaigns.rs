//! Campaign monitoring end to end (issue 20, Build 6): `baton serve` on
//! loopback with the shipped `sequences/campaign_check.toml` and
//! `campaign_reply.toml`, the real `monitor-campaigns` and
//! `draft-email-reply` skills, a loopback Instantly serving the API v2
//! shapes (`tests/support/instantly.rs`) behind a provider key the host
//! adds, and a loopback Slack. The scheduler, on a manual clock, fires the
//! org's check at 10:00 in its owner's zone: two days in a row, so the
//! second compares with what the first stored. Then the A/B reference
//! check against statsmodels, and a provider that refuses the key, fails
//! or answers garbage.

use baton::orchestrator::scheduler::Scheduler;
use baton::registry::Grants;
use baton::sales::campaigns;
use baton::store::JobId;
use baton::store::{CampaignTables, CrmTables};
use baton_tests::HubSpotPeer;
use baton_tests::instantly::{Failure, InstantlyPeer};
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, body_of, poll, python, root,
    validate_blocks,
};
use serde_json::{Value, json};
use std::io::Write;

const SKILLS: [&str; 3] = [
    "monitor-campaigns",
    "draft-email-reply",
    "present-campaign-actions",
];
/// Slack's signing secret, for the buttons' clicks.
const SIGNING: &str = "slack-signing-secret-for-campaigns";
const ADMIN: &str = "admin-token-for-the-campaigns-test";
const KEY: &str = "instantly-key-5d2e";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("a shipped file")
}

/// The operator's grants: the monitor reaches the loopback Instantly.
fn grants(port: u16) -> Grants {
    Grants::parse(&format!(
        r#"
[skills.monitor-campaigns]
grant = ["context:external:campaigns", "http:127.0.0.1:{port}"]
[skills.draft-email-reply]
grant = ["context:org", "context:contact"]
"#
    ))
    .expect("grants")
}

/// The service's settings, with the undo window a person would have.
fn undo_window() -> baton::orchestrator::Config {
    let mut config = Setup::default().config;
    config.runner.undo_window_ms = 30_000;
    config
}

/// The demo imported as `acme` with the peer as its campaign provider and
/// rep1 (New York) as the campaign owner; Slack to rep1's channel; the
/// provider key stored through the operator's route.
async fn serve(db: &TestDb, peer: &InstantlyPeer, slack: &HttpPeer) -> Server {
    serve_with(db, peer, slack, &[], |_| {}).await
}

/// [`serve`], with `extra` environment and `tweak` applied to the
/// imported demo first.
async fn serve_with(
    db: &TestDb,
    peer: &InstantlyPeer,
    slack: &HttpPeer,
    extra: &[(&str, &str)],
    tweak: impl FnOnce(&mut Value),
) -> Server {
    let check = read("sequences/campaign_check.toml");
    let reply = read("sequences/campaign_reply.toml");
    let action = read("sequences/campaign_action.toml");
    let vault_key = baton::accounts::Vault::new_key();
    let slack_api = format!("http://127.0.0.1:{}/api", slack.port);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&check, &reply, &action],
            skills: &SKILLS,
            grants: grants(peer.port),
            env: env(&[
                ("BATON_SECRET_KEY", vault_key.as_str()),
                ("BATON_ADMIN_TOKEN", ADMIN),
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                ("BATON_SLACK_API_URL", slack_api.as_str()),
                ("BATON_SLACK_SIGNING_SECRET", SIGNING),
            ])
            .into_iter()
            .chain(env(extra))
            .collect(),
            // The server's own scheduler ticks once as it starts, at a
            // moment the test cannot order against its set-up. T0 is 10:00
            // in New York, when the campaign check is due: that tick could
            // fire the check between the import below and the test's own
            // tick (it did, under a full run's load). At 04:00 nothing is due.
            at: T0 - 6 * HOUR,
            config: undo_window(),
            ..Setup::default()
        },
    )
    .await;
    let mut demo: Value = serde_json::from_str(&read("examples/demo.json")).expect("demo JSON");
    demo["org"]["slug"] = json!("acme");
    // The demo's meetings are today's, and would fire their preparation
    // beside the campaign check: not what these tests count.
    demo["meetings"] = json!([]);
    demo["org"]["profile"]["providers"]["campaigns"] = json!({ "url": peer.url });
    demo["org"]["profile"]["campaigns"] = json!({ "owner": "rep1",
        "benchmarks": { "open_rate": 0.35, "click_rate": 0.02, "reply_rate": 0.03, "min_sent": 20 } });
    tweak(&mut demo);
    let (status, imported) = s.post("/v1/crm/import", demo).await;
    assert_eq!(status, 200, "{imported}");
    let (status, mut prefs) = s.get("/v1/users/rep1/preferences").await;
    assert_eq!(status, 200, "{prefs}");
    prefs["quiet_start_min"] = Value::Null;
    prefs["quiet_end_min"] = Value::Null;
    prefs["slack_channel"] = json!("C-JORDAN");
    let (status, saved) = s.put("/v1/users/rep1/preferences", prefs).await;
    assert_eq!(status, 200, "{saved}");
    let r = reqwest::Client::new()
        .put(s.url("/v1/admin/orgs/acme/provider-keys/instantly"))
        .bearer_auth(ADMIN)
        .json(&json!({ "host": format!("http://127.0.0.1:{}", peer.port), "header": "Authorization", "value": format!("Bearer {KEY}") }))
        .send()
        .await
        .expect("PUT provider key");
    assert!(r.status().is_success(), "{:?}", r.text().await);
    s
}

fn analytics(id: &str, name: &str, sent: i64, opened: i64, clicked: i64, replied: i64) -> Value {
    json!({ "campaign_name": name, "campaign_id": id, "campaign_status": 1, "campaign_is_evergreen": false,
            "leads_count": 1500, "contacted_count": 1200, "emails_sent_count": sent,
            "open_count": opened + 3, "open_count_unique": opened,
            "link_click_count": clicked + 1, "link_click_count_unique": clicked,
            "reply_count": replied, "reply_count_unique": replied,
            "bounced_count": 1, "unsubscribed_count": 0, "completed_count": 0, "total_opportunities": 0 })
}

fn reply(id: &str, at: &str, from: &str, name: Option<&str>, subject: &str, text: &str) -> Value {
    json!({ "id": id, "timestamp_created": at, "timestamp_email": at, "message_id": format!("<{id}@mail.example>"),
            "subject": subject, "to_address_email_list": "jordan.avery@demo.example",
            "body": { "text": text, "html": format!("<p>{text}</p>") },
            "from_address_email": from,
            "from_address_json": name.map(|n| json!([{ "address": from, "name": n }])),
            "campaign_id": "c-q1", "lead": from, "ue_type": 2, "is_auto_reply": 0,
            "thread_id": format!("thread-{id}"), "i_status": 1 })
}

/// Two campaigns over two days, with replies on the second and an A/B
/// test on each.
fn fill(peer: &InstantlyPeer) {
    let mut w = peer.workspace();
    w.campaigns = vec![
        json!({ "id": "c-q1", "name": "Q1 SaaS Outreach", "status": 1, "sequences": [{ "steps": [
            { "type": "email", "delay": 2, "variants": [
                { "subject": "Quick question about your renewals", "body": "Hi {{firstName}}" },
                { "subject": "Cut your pipeline admin by 5hrs/week", "body": "Hi {{firstName}}" } ] } ] }] }),
        json!({ "id": "c-ops", "name": "Ops leaders", "status": 1, "sequences": [{ "steps": [
            { "type": "email", "delay": 2, "variants": [
                { "subject": "Renewals without spreadsheets" }, { "subject": "Your renewal calendar" } ] } ] }] }),
        json!({ "id": "c-draft", "name": "Not started", "status": 0, "sequences": [] }),
    ];
    w.analytics.insert(
        "2026-11-22".into(),
        vec![
            analytics("c-q1", "Q1 SaaS Outreach", 50, 20, 5, 2),
            analytics("c-ops", "Ops leaders", 40, 14, 1, 1),
            analytics("c-draft", "Not started", 0, 0, 0, 0),
        ],
    );
    w.analytics.insert(
        "2026-11-23".into(),
        vec![
            analytics("c-q1", "Q1 SaaS Outreach", 45, 20, 8, 3),
            analytics("c-ops", "Ops leaders", 60, 12, 0, 1),
        ],
    );
    w.steps.insert(
        "c-q1".into(),
        vec![
            json!({ "step": "0", "variant": "0", "sent": 400, "opened": 120, "unique_opened": 88, "replies": 9, "unique_replies": 9, "clicks": 20, "unique_clicks": 15 }),
            json!({ "step": "0", "variant": "1", "sent": 400, "opened": 150, "unique_opened": 124, "replies": 12, "unique_replies": 12, "clicks": 25, "unique_clicks": 19 }),
        ],
    );
    w.steps.insert(
        "c-ops".into(),
        vec![
            json!({ "step": "0", "variant": "0", "sent": 200, "unique_opened": 50 }),
            json!({ "step": "0", "variant": "1", "sent": 200, "unique_opened": 56 }),
        ],
    );
    w.emails.insert(
        "c-q1".into(),
        vec![
            reply("e-james", "2026-11-23T16:02:00.000Z", "james.wright@techflow.example", Some("James Wright"),
                "Re: Cut your pipeline admin by 5hrs/week",
                "Interesting timing. What does pricing look like for 40 seats, and do you integrate with HubSpot?\n\nOn Mon, Jordan Avery wrote:\n> Hi James, quick question"),
            reply("e-maria", "2026-11-23T14:10:00.000Z", "maria.santos@datapeak.example", Some("Maria Santos"),
                "Re: Quick question about your renewals",
                "Thanks Jordan - I've forwarded this to my colleague Sam Lee (sam.lee@datapeak.example), who runs our ops tooling."),
            reply("e-tom", "2026-11-23T13:00:00.000Z", "tom.harris@nexus.example", Some("Tom Harris"),
                "Re: Quick question about your renewals", "Not interested, thanks."),
            reply("e-lee", "2026-11-23T12:00:00.000Z", "lee.chan@orbit.example", None,
                "Re: Quick question about your renewals", "Please remove me from your mailing list."),
            json!({ "id": "e-sent", "timestamp_email": "2026-11-23T09:00:00.000Z", "ue_type": 1, "campaign_id": "c-q1",
                    "from_address_email": "jordan.avery@demo.example", "subject": "Quick question", "body": { "text": "Hi" } }),
            reply("e-old", "2026-11-20T12:00:00.000Z", "old.lead@past.example", Some("Old Lead"),
                "Re: Quick question", "Sounds great, let's talk next week."),
        ],
    );
}

/// The A/B test of `campaign` in a check's output.
fn ab_test(check: &Value, campaign: &str) -> Value {
    check["ab_tests"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["campaign_id"] == campaign))
        .cloned()
        .unwrap_or_else(|| panic!("no A/B test of {campaign}: {check:#}"))
}

/// The org's jobs of `event`, each named by `name`, sorted: `(name, id)`.
async fn jobs_of(
    s: &Server,
    event: &str,
    name: impl Fn(&Value) -> String,
) -> Vec<(String, String)> {
    let mut jobs: Vec<(String, String)> = s
        .app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 100)
        .await
        .expect("jobs")
        .into_iter()
        .filter(|j| j.event_type == event)
        .map(|j| (name(&j.payload), j.id.to_string()))
        .collect();
    jobs.sort();
    jobs
}

/// The org's `campaign_check` jobs, by the day they report.
async fn checks(s: &Server) -> Vec<(String, String)> {
    jobs_of(s, "campaign_check", |p| {
        p["date"].as_str().unwrap_or("").to_owned()
    })
    .await
}

/// The `chat.postMessage` bodies Slack received holding `needle`.
fn posts(slack: &HttpPeer, needle: &str) -> Vec<Value> {
    slack
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST /api/chat.postMessage"))
        .filter_map(|r| serde_json::from_str::<Value>(body_of(r)).ok())
        .filter(|b| b.to_string().contains(needle))
        .collect()
}

backend_test!(
    a_daily_campaign_check_compares_flags_classifies_drafts_and_reports,
    |backend: Backend| async move {
        let peer = InstantlyPeer::start(KEY);
        fill(&peer);
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "C-JORDAN", "ts": "1700000000.000100" })),
        );
        let db = TestDb::new(backend).await;
        let s = serve(&db, &peer, &slack).await;
        let scheduler = Scheduler::new(s.app.orch.clone());

        // Monday 23 Nov, 10:01 in New York: the check of Sunday the 22nd.
        assert_eq!(scheduler.tick(T0 + 60_000).await.expect("tick"), 1);
        assert_eq!(
            scheduler.tick(T0 + HOUR).await.expect("tick"),
            0,
            "once a day per org"
        );
        let first = checks(&s).await;
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].0, "2026-11-22");
        // Asked for the same day (what `baton campaigns` does): the same
        // check, not a second one.
        let (status, again) = s.post("/v1/orgs/campaign-check", json!({})).await;
        assert_eq!(
            (status, again["job_id"].as_str()),
            (200, Some(first[0].1.as_str())),
            "{again}"
        );
        assert_eq!(checks(&s).await.len(), 1);
        s.wait_job(&first[0].1, |j| j["status"] == "completed")
            .await;
        let day1 = s.step_data(&first[0].1, "monitor-campaigns").await;
        assert_eq!(day1["date"], "2026-11-22");
        // Nothing stored for the 21st, and the provider has nothing either.
        assert_eq!(day1["previous_source"], "provider");
        assert_eq!(day1["campaigns"][0]["change"], Value::Null);
        let stored = s
            .app
            .store()
            .campaign_days(&s.org, "2026-11-22")
            .await
            .expect("days");
        assert_eq!(
            stored
                .iter()
                .map(|d| (d.campaign_id.as_str(), d.sent))
                .collect::<Vec<_>>(),
            [("c-ops", 40), ("c-q1", 50)],
            "the day's figures are kept; a campaign that sent nothing is not"
        );

        // Tuesday 24 Nov, 10:05 in New York: the 23rd, against the stored
        // 22nd (the demo's meetings that day fire their own preparation).
        scheduler.tick(T0 + DAY + 5 * 60_000).await.expect("tick");
        let both = checks(&s).await;
        assert_eq!(both.len(), 2);
        assert_eq!(both[1].0, "2026-11-23");
        let job = both[1].1.clone();
        s.wait_job(&job, |j| j["status"] == "completed").await;
        let d = s.step_data(&job, "monitor-campaigns").await;
        assert_eq!(d["date"], "2026-11-23");
        // What the check cost (shown with --nocapture).
        let runs = s
            .app
            .store()
            .step_runs(&s.org, &JobId::from(job.as_str()))
            .await
            .expect("runs");
        for r in runs.iter().filter(|r| r.skill_name == "monitor-campaigns") {
            println!(
                "monitor-campaigns: fuel {} in {} ms ({backend:?})",
                r.fuel, r.duration_ms
            );
        }
        assert_eq!(d["previous_source"], "store");
        // Metrics and the comparison: Q1 opened 20 of 45 (44.4%) against
        // 20 of 50 (40%); Ops leaders 12 of 60 (20%) against 14 of 40 (35%).
        let q1 = &d["campaigns"][1];
        assert_eq!(q1["name"], "Q1 SaaS Outreach");
        assert_eq!(
            (
                q1["sent"].as_i64(),
                q1["clicked"].as_i64(),
                q1["replied"].as_i64()
            ),
            (Some(45), Some(8), Some(3))
        );
        assert_eq!(q1["change"]["open_pts"], 4.4);
        assert_eq!(q1["change"]["reply_pts"], 2.7);
        assert_eq!(q1["underperforming"], false, "{q1:#}");
        let ops = &d["campaigns"][0];
        assert_eq!(ops["change"]["open_pts"], -15.0);
        // Flagged against the org's benchmarks (opens 35%, clicks 2%, replies 3%).
        let flags: Vec<&str> = ops["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .filter_map(|f| f["metric"].as_str())
            .collect();
        assert_eq!(flags, ["open_rate", "click_rate", "reply_rate"]);
        assert_eq!(ops["flags"][0]["benchmark"], 0.35);
        // Replies classified, the day's only, newest first.
        let replies: Vec<(&str, &str)> = d["replies"]
            .as_array()
            .expect("replies")
            .iter()
            .map(|r| {
                (
                    r["email_id"].as_str().unwrap_or(""),
                    r["category"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            replies,
            [
                ("e-james", "interested"),
                ("e-maria", "forwarded"),
                ("e-tom", "not_interested"),
                ("e-lee", "unsubscribe")
            ]
        );
        assert_eq!(d["replies"][0]["label"], "proposal_request");
        assert_eq!(d["replies"][1]["forwarded_to"], "sam.lee@datapeak.example");
        // The A/B tests: Q1's B opens 31% vs 22% of 400 each; Ops' 28% vs 25%.
        let q1_ab = ab_test(&d, "c-q1");
        assert_eq!(q1_ab["decision"], "switch_to_b");
        assert_eq!(
            q1_ab["b"]["subject"],
            "Cut your pipeline admin by 5hrs/week"
        );
        assert_eq!(
            (q1_ab["a"]["sent"].as_i64(), q1_ab["b"]["sent"].as_i64()),
            (Some(400), Some(400))
        );
        let ops_ab = ab_test(&d, "c-ops");
        assert_eq!(ops_ab["decision"], "keep_testing");
        assert!(
            ops_ab["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Keep testing") && t.contains("n = 200 vs 200")),
            "{ops_ab}"
        );

        // Every call carried the key the host added; the skill never saw it.
        {
            let w = peer.workspace();
            assert!(
                w.requests.iter().any(|r| r.starts_with("/api/v2/emails?")
                    && r.contains("campaign_id=c-q1")
                    && r.contains("email_type=received")),
                "{:?}",
                w.requests
            );
            assert!(!d.to_string().contains(KEY));
        }

        // The positive reply: a `campaign_reply` child with its draft at a confirm gate.
        let children: Vec<_> = s
            .app
            .store()
            .jobs(&s.org, &baton::store::Reach::Org, 100)
            .await
            .expect("jobs")
            .into_iter()
            .filter(|j| j.event_type == "campaign_reply")
            .collect();
        assert_eq!(children.len(), 1, "one positive reply, one draft");
        let child = children[0].id.to_string();
        assert_eq!(
            children[0]
                .parent_job_id
                .as_ref()
                .map(JobId::to_string)
                .as_deref(),
            Some(job.as_str())
        );
        let gate = s.open_gate(&child).await;
        assert_eq!(gate["pattern"], "confirm");
        let email = &gate["body"]["actions"][0]["payload"];
        assert_eq!(gate["body"]["actions"][0]["kind"], "email_send");
        assert_eq!(email["to"], "james.wright@techflow.example");
        assert_eq!(email["in_reply_to"], "<e-james@mail.example>", "{email:#}");
        let body = email["body"].as_str().expect("body");
        assert!(body.starts_with("Hi James,"), "{body}");
        assert!(
            body.contains("pricing look like for 40 seats"),
            "the question quoted back: {body}"
        );
        // The unsubscriber went on the do-not-contact list at once.
        let dnc = s
            .app
            .store()
            .do_not_contact(&s.org, &["lee.chan@orbit.example".into()])
            .await
            .expect("dnc");
        assert_eq!(dnc.len(), 1, "flagged");

        // The Slack update: the seed's layout, valid Block Kit, buttons into the inbox.
        let found = poll(PATIENCE, async || {
            let p = posts(&slack, "Campaign update — 2026-11-23");
            (!p.is_empty()).then_some(p)
        })
        .await
        .unwrap_or_else(|| panic!("no campaign update in Slack: {:#?}", slack.requests()));
        let post = &found[0];
        assert_eq!(post["channel"], "C-JORDAN");
        let blocks = post["blocks"].to_string();
        for needle in [
            "Sent: 45 | Opened: 20 (44%) | Clicked: 8 (18%) | Replied: 3 (7%)",
            "Trend: Open rate ↑ 4.4 pts, reply rate ↑ 2.7 pts vs. 2026-11-22",
            "⚠️ Underperforming: open rate 20% (benchmark 35%)",
            "REPLIES NEEDING ATTENTION (3)",
            "✅ James Wright (techflow.example) — Interested, asking about pricing",
            "⚠️ Maria Santos (datapeak.example) — Forwarded to a colleague",
            "❌ Tom Harris (nexus.example) — Not interested",
            "1 unsubscribed (now on the do-not-contact list)",
            "Subject line B (\\\"Cut your pipeline admin by 5hrs/week\\\") is outperforming A",
            "n = 400 vs 400",
        ] {
            assert!(blocks.contains(needle), "{needle:?} in {blocks}");
        }
        let link = s.url(&format!("/inbox/jobs/{job}"));
        let buttons: Vec<&Value> = post["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .filter(|b| b["type"] == "actions")
            .flat_map(|b| b["elements"].as_array().into_iter().flatten())
            .collect();
        assert_eq!(buttons.len(), 4, "three replies and the whole check");
        assert!(
            buttons.iter().all(|b| b["url"] == link.as_str()),
            "{buttons:?}"
        );
        assert_eq!(buttons[0]["text"]["text"], "Draft response →");
        // The link leads to the check, which lists the draft's job.
        let cookie = s.inbox_login(&s.token).await;
        let page = s
            .http
            .get(&link)
            .header("cookie", &cookie)
            .send()
            .await
            .expect("the job page");
        assert_eq!(page.status().as_u16(), 200);
        let page = page.text().await.expect("html");
        assert!(page.contains(&format!("/inbox/jobs/{child}")), "{page}");
        let report = validate_blocks(&json!({ "campaign_update": post["blocks"] }));
        assert_eq!(
            report["campaign_update"],
            json!([]),
            "valid Block Kit: {report}"
        );
        // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
        assert!(
            baton_tests::plain::assert_plain_slack(&slack) > 0,
            "Slack was posted to"
        );
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_provider_that_refuses_fails_or_answers_garbage_fails_the_check_clearly,
    |backend: Backend| async move {
        let peer = InstantlyPeer::start(KEY);
        fill(&peer);
        let slack = HttpPeer::answering(vec![], Answer::json(json!({ "ok": true, "ts": "1.2" })));
        let db = TestDb::new(backend).await;
        let s = serve(&db, &peer, &slack).await;
        let store = s.app.store();
        let org = store.org_by_slug("acme").await.expect("org").expect("acme");
        let rep = store
            .user_by_handle(&org.id, "rep1")
            .await
            .expect("user")
            .expect("rep1");
        let cases: [(Option<Failure>, &str, &str); 3] = [
            (
                Some(Failure::Status(500)),
                "2026-11-10",
                "answered GET /api/v2/campaigns with HTTP 500",
            ),
            (
                Some(Failure::Malformed),
                "2026-11-11",
                "not what Instantly API v2 documents",
            ),
            (
                None,
                "2026-11-12",
                "refused the API key for GET /api/v2/campaigns (HTTP 401)",
            ),
        ];
        for (failure, day, expected) in cases {
            {
                let mut w = peer.workspace();
                w.key = if failure.is_none() {
                    "another-key".into()
                } else {
                    KEY.into()
                };
                w.fail = failure;
            }
            let today = jiff::civil::Date::strptime("%Y-%m-%d", day).expect("day");
            let outcome = campaigns::fire(
                &s.app.orch,
                &org,
                &rep,
                campaigns::settings(&org),
                today,
                false,
            )
            .await
            .expect("fired");
            let baton::orchestrator::events::Submitted::Accepted { job_id, .. } = outcome else {
                panic!("refused: {outcome:?}");
            };
            // A 5xx is retried once, a second later on the manual clock.
            let path = format!("/v1/jobs/{job_id}");
            let job = poll(PATIENCE, async || {
                s.clock.advance(1_000);
                let (_, job) = s.get(&path).await;
                (job["status"] == "failed").then_some(job)
            })
            .await
            .unwrap_or_else(|| panic!("job {job_id} never failed"));
            let error = job.to_string();
            assert!(error.contains(expected), "{expected:?} in {job:#}");
        }
        assert!(
            posts(&slack, "Campaign update").is_empty(),
            "no update from a failed check"
        );
        // A check posted by hand without its day is refused at intake,
        // naming what is missing, and queues nothing.
        let before = checks(&s).await.len();
        let (status, body) = s
            .post(
                "/v1/events",
                json!({ "type": "campaign_check", "user": "rep1", "payload": {} }),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("`date`")),
            "{body}"
        );
        assert_eq!(checks(&s).await.len(), before, "nothing queued");
        s.stop().await;
        db.finish().await;
    }
);

/// statsmodels' `proportions_ztest` (pooled, two-sided) on each case:
/// `[z, p]`, `null` where it is undefined.
fn statsmodels(cases: &[(i64, i64, i64, i64)]) -> Vec<(Option<f64>, Option<f64>)> {
    let script = r#"
import json, math, sys
from statsmodels.stats.proportion import proportions_ztest
out = []
for xa, na, xb, nb in json.load(sys.stdin):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        z, p = proportions_ztest([xb, xa], [nb, na])
    z, p = float(z), float(p)
    out.append([None if math.isnan(z) else z, None if math.isnan(p) else p])
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new(python())
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json!(cases).to_string().as_bytes())
        .expect("cases");
    let out = child.wait_with_output().expect("statsmodels");
    assert!(
        out.status.success(),
        "statsmodels ran (is it in the test virtualenv?)"
    );
    let v: Vec<(Option<f64>, Option<f64>)> = serde_json::from_slice(&out.stdout).expect("JSON");
    v
}

backend_test!(
    the_ab_decision_matches_statsmodels_proportions_ztest,
    |backend: Backend| async move {
        // (opened A, sent A, opened B, sent B): clear wins either way, near
        // misses on both sides of α = 0.05 (z ≈ 1.96), large and small
        // samples, equal rates, no opens at all, and a clear difference on
        // too few sends (under the org's 100 a variant: keep testing).
        let cases: Vec<(i64, i64, i64, i64)> = vec![
            (88, 400, 124, 400),
            (88, 400, 96, 400),
            (130, 400, 90, 400),
            (100, 500, 125, 500),
            (100, 500, 126, 500),
            (200, 1000, 236, 1000),
            (200, 1000, 237, 1000),
            (50, 150, 62, 150),
            (40, 120, 58, 130),
            (300, 2000, 340, 2000),
            (1000, 5000, 1000, 5000),
            (0, 300, 0, 300),
            (45, 100, 62, 100),
            (5, 101, 14, 103),
            (2, 30, 20, 30),
        ];
        let peer = InstantlyPeer::start(KEY);
        {
            let mut w = peer.workspace();
            let mut rows = Vec::new();
            for (i, (xa, na, xb, nb)) in cases.iter().enumerate() {
                let id = format!("c-{i:02}");
                w.campaigns.push(json!({ "id": id, "name": format!("Case {i:02}"), "status": 1, "sequences": [] }));
                rows.push(analytics(&id, &format!("Case {i:02}"), 10, 1, 0, 0));
                w.steps.insert(
                    id,
                    vec![
                        json!({ "step": 0, "variant": 0, "sent": na, "unique_opened": xa }),
                        json!({ "step": 0, "variant": 1, "sent": nb, "unique_opened": xb }),
                    ],
                );
            }
            w.analytics.insert("2026-11-22".into(), rows);
        }
        let slack = HttpPeer::answering(vec![], Answer::json(json!({ "ok": true, "ts": "1.2" })));
        let db = TestDb::new(backend).await;
        let s = serve(&db, &peer, &slack).await;
        assert_eq!(
            Scheduler::new(s.app.orch.clone())
                .tick(T0 + 60_000)
                .await
                .expect("tick"),
            1
        );
        let job = checks(&s).await.pop().expect("a check").1;
        s.wait_job(&job, |j| j["status"] == "completed").await;
        let d = s.step_data(&job, "monitor-campaigns").await;
        let tests = d["ab_tests"].as_array().expect("tests");
        assert_eq!(tests.len(), cases.len());
        let reference = statsmodels(&cases);
        let alpha = 0.05;
        let mut significant = 0;
        for (i, ((xa, na, xb, nb), (z, p))) in cases.iter().zip(&reference).enumerate() {
            let t = tests
                .iter()
                .find(|t| t["campaign_id"] == format!("c-{i:02}"))
                .expect("the case's test");
            assert_eq!(t["alpha"], alpha);
            assert_eq!(
                (t["a"]["sent"].as_i64(), t["b"]["sent"].as_i64()),
                (Some(*na), Some(*nb)),
                "sample sizes shown"
            );
            let (ours_z, ours_p) = (t["test"]["z"].as_f64(), t["test"]["p_value"].as_f64());
            match (z, p, ours_z, ours_p) {
                (Some(z), Some(p), Some(oz), Some(op)) => {
                    assert!((z - oz).abs() < 1e-9, "case {i}: z {oz} vs statsmodels {z}");
                    assert!((p - op).abs() < 1e-9, "case {i}: p {op} vs statsmodels {p}");
                }
                (None, None, None, None) => {}
                other => panic!("case {i}: defined differently: {other:?}"),
            }
            // The decision: significant at α (both variants past the org's
            // minimum of 100 sends), in B's favour or A's; else keep testing.
            let expected = match (z, p) {
                (Some(z), Some(p)) if *p < alpha && *na >= 100 && *nb >= 100 => {
                    significant += 1;
                    if *z > 0.0 { "switch_to_b" } else { "keep_a" }
                }
                _ => "keep_testing",
            };
            assert_eq!(
                t["decision"], expected,
                "case {i}: {xa}/{na} vs {xb}/{nb}, p = {p:?}"
            );
        }
        assert!(
            significant >= 4 && significant < cases.len() - 4,
            "both outcomes are exercised"
        );
        s.stop().await;
        db.finish().await;
    }
);

/// The org's `campaign_action` children, by what they offer: the A/B
/// test's campaign id, or the lead's address.
async fn offers(s: &Server) -> Vec<(String, String)> {
    jobs_of(s, "campaign_action", |p| {
        let field = |k: &str| p[k].as_str().unwrap_or("").to_owned();
        match p["action"].as_str() {
            Some("ab_winner") => format!("ab:{}", field("campaign_id")),
            _ => format!("lead:{}", field("email")),
        }
    })
    .await
}

backend_test!(
    each_campaign_button_changes_the_provider_once_after_its_undo_window,
    |backend: Backend| async move {
        let peer = InstantlyPeer::start(KEY);
        fill(&peer);
        {
            let mut w = peer.workspace();
            // Ops leaders gains a second step whose A clearly wins, and a
            // lead there who says no; the org's nurture campaign exists.
            w.campaigns[1] = json!({ "id": "c-ops", "name": "Ops leaders", "status": 1, "sequences": [{ "steps": [
                { "type": "email", "delay": 2, "variants": [
                    { "subject": "Renewals without spreadsheets" }, { "subject": "Your renewal calendar" } ] },
                { "type": "email", "delay": 3, "variants": [
                    { "subject": "Following up on renewals" }, { "subject": "One more idea" } ] } ] }] });
            w.campaigns.push(
                json!({ "id": "c-nurture", "name": "Nurture", "status": 1, "sequences": [] }),
            );
            w.steps.get_mut("c-ops").expect("ops steps").extend([
                json!({ "step": "1", "variant": "0", "sent": 300, "unique_opened": 120 }),
                json!({ "step": "1", "variant": "1", "sent": 300, "unique_opened": 60 }),
            ]);
            let mut nina = reply(
                "e-nina",
                "2026-11-23T15:00:00.000Z",
                "nina.ross@helix.example",
                Some("Nina Ross"),
                "Re: Renewals without spreadsheets",
                "Not interested, thank you.",
            );
            nina["campaign_id"] = json!("c-ops");
            w.emails.insert("c-ops".into(), vec![nina]);
            w.leads = vec![
                json!({ "email": "tom.harris@nexus.example", "campaign": "c-q1", "lt_interest_status": 0 }),
                json!({ "email": "nina.ross@helix.example", "campaign": "c-ops", "lt_interest_status": 0 }),
            ];
        }
        let slack = HttpPeer::answering(
            vec![],
            Answer::json(json!({ "ok": true, "channel": "C-JORDAN", "ts": "1700000000.000100" })),
        );
        let db = TestDb::new(backend).await;
        // The org's HubSpot holds Tom's deal too.
        let hubspot = HubSpotPeer::start("pat-campaigns");
        hubspot
            .state()
            .add_deal("Nexus pilot", "appointmentscheduled");
        let extra = [("BATON_HUBSPOT_API_URL", hubspot.url.as_str())];
        let s = serve_with(&db, &peer, &slack, &extra, |demo| {
            demo["org"]["profile"]["campaigns"]["nurture_campaign"] = json!("c-nurture");
            // Tom is a contact with an open deal in CRM-lite.
            demo["companies"]
                .as_array_mut()
                .expect("companies")
                .push(json!({ "name": "Nexus Systems", "domain": "nexus.example" }));
            demo["contacts"]
                .as_array_mut()
                .expect("contacts")
                .push(json!({ "name": "Tom Harris",
                "email": "tom.harris@nexus.example", "company": "Nexus Systems", "title": "COO" }));
            demo["deals"].as_array_mut().expect("deals").push(
                json!({ "name": "Nexus pilot", "stage": "discovery",
                "company": "Nexus Systems", "contact": "tom.harris@nexus.example", "owner": "rep1",
                "amount_cents": 900000, "close_date": "2027-03-31" }),
            );
        })
        .await;
        s.map_slack_user("U-JORDAN").await;
        let (status, connected) = s
            .post(
                "/v1/accounts",
                json!({ "provider": "hubspot", "address": "portal-7", "token": "pat-campaigns" }),
            )
            .await;
        assert_eq!(status, 201, "{connected}");
        let scheduler = Scheduler::new(s.app.orch.clone());
        // Tuesday 24 Nov, 10:05 in New York: the check of the 23rd.
        scheduler.tick(T0 + DAY + 5 * 60_000).await.expect("tick");
        let job = checks(&s).await.pop().expect("a check").1;
        s.wait_job(&job, |j| j["status"] == "completed").await;

        // Four decisions: two A/B winners, two leads who said no. Ops'
        // first step (28% vs 25%) is not significant: no decision.
        let found = offers(&s).await;
        let names: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            names,
            [
                "ab:c-ops",
                "ab:c-q1",
                "lead:nina.ross@helix.example",
                "lead:tom.harris@nexus.example"
            ]
        );
        let job_of = |what: &str| {
            found
                .iter()
                .find(|(w, _)| w == what)
                .map(|(_, j)| j.clone())
                .expect(what)
        };
        let q1 = s.open_gate(&job_of("ab:c-q1")).await;
        assert_eq!(q1["pattern"], "choose");
        assert_eq!(q1["title"], "Subject line test: “Q1 SaaS Outreach”");
        assert_eq!(
            q1["options"],
            json!([
                "Apply suggestion: send only B (“Cut your pipeline admin by 5hrs/week”) in step 1 of “Q1 SaaS Outreach”",
                "Keep testing: leave step 1 of “Q1 SaaS Outreach” as it is"
            ])
        );
        let ops = s.open_gate(&job_of("ab:c-ops")).await;
        assert!(
            ops["options"][0].as_str().is_some_and(|o| o.starts_with(
                "Apply suggestion: send only A (“Following up on renewals”) in step 2"
            )),
            "{ops:#}"
        );
        let tom = s.open_gate(&job_of("lead:tom.harris@nexus.example")).await;
        assert_eq!(
            tom["title"],
            "Not interested: Tom Harris (“Q1 SaaS Outreach”)"
        );
        assert_eq!(
            tom["options"],
            json!([
                "Mark closed: Tom Harris is not interested in “Q1 SaaS Outreach”",
                "Add to nurture: move Tom Harris to the nurture campaign"
            ])
        );
        let nina = s.open_gate(&job_of("lead:nina.ross@helix.example")).await;

        // Apply suggestion, clicked in the request Slack received.
        let request = poll(PATIENCE, async || {
            posts(&slack, "Apply suggestion: send only B")
                .into_iter()
                .next()
        })
        .await
        .unwrap_or_else(|| panic!("no request in Slack: {:#?}", slack.requests()));
        let report = validate_blocks(&json!({ "campaign_decision": request["blocks"] }));
        assert_eq!(
            report["campaign_decision"],
            json!([]),
            "valid Block Kit: {report}"
        );
        let actions = request["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .find(|b| b["type"] == "actions")
            .expect("buttons")
            .clone();
        let apply = actions["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .find(|e| e["action_id"] == "baton.choose.0")
            .expect("the first option's button")
            .clone();
        assert!(
            apply["text"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("1. Apply suggestion")),
            "{apply}"
        );
        let click = json!({ "type": "block_actions", "user": { "id": "U-JORDAN" },
            "actions": [{ "action_id": apply["action_id"], "block_id": actions["block_id"], "value": apply["value"] }] });
        assert_eq!(s.slack_interaction(SIGNING, s.app.now(), &click).await, 200);
        // The other three through the API: keep testing, mark closed, nurture.
        for (gate, option) in [(&ops, 1), (&tom, 0), (&nina, 1)] {
            let id = gate["id"].as_str().expect("id");
            let (status, decided) = s
                .post(
                    &format!("/v1/approvals/{id}/decision"),
                    json!({ "decision": "chosen", "value": option }),
                )
                .await;
            assert_eq!(status, 200, "{decided}");
        }
        let decided = poll(PATIENCE, async || {
            let (_, gates) = s.get("/v1/approvals").await;
            let open = gates.as_array().map_or(0, |g| {
                g.iter()
                    .filter(|g| {
                        g["title"].as_str().is_some_and(|t| {
                            t.starts_with("Subject line test") || t.starts_with("Not interested")
                        })
                    })
                    .count()
            });
            (open == 0).then_some(())
        })
        .await;
        assert!(decided.is_some(), "all four decided");

        // Inside the undo window nothing has reached the provider.
        s.clock.advance(5_000);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(peer.workspace().writes.len(), 0, "held for the undo window");
        // The provider is down for the first try: each change is tried
        // again and made once.
        peer.workspace().fail = Some(Failure::Status(503));
        s.clock.advance(30_000);
        let tried = poll(PATIENCE, async || {
            let w = peer.workspace();
            let posts = w
                .requests
                .iter()
                .filter(|r| r.starts_with("POST ") || r.starts_with("GET /api/v2/campaigns/"))
                .count();
            (posts >= 3).then_some(())
        })
        .await;
        assert!(tried.is_some(), "{:?}", peer.workspace().requests);
        peer.workspace().fail = None;
        let writes = poll(PATIENCE, async || {
            s.clock.advance(60_000);
            let w = peer.workspace();
            (w.writes.len() >= 3).then(|| w.writes.clone())
        })
        .await
        .expect("three writes");
        // A moment more: nothing is written twice.
        s.clock.advance(600_000);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let (count, campaigns, leads) = {
            let w = peer.workspace();
            (w.writes.len(), w.campaigns.clone(), w.leads.clone())
        };
        assert_eq!(count, 3, "{writes:#?}");
        let of = |what: &str| {
            writes
                .iter()
                .filter(|(m, _)| m == what)
                .map(|(_, b)| b.clone())
                .collect::<Vec<_>>()
        };
        let patched = of("PATCH /api/v2/campaigns/c-q1");
        assert_eq!(patched.len(), 1);
        assert_eq!(
            patched[0]["sequences"][0]["steps"][0]["variants"][0]["v_disabled"],
            true
        );
        assert_ne!(
            patched[0]["sequences"][0]["steps"][0]["variants"][1]["v_disabled"], true,
            "B stays on"
        );
        assert_eq!(
            of("POST /api/v2/leads/update-interest-status"),
            [
                json!({ "lead_email": "tom.harris@nexus.example", "interest_value": -1, "campaign_id": "c-q1" })
            ]
        );
        assert_eq!(of("POST /api/v2/leads/move").len(), 1);
        // Keep testing changed nothing in Ops leaders.
        assert!(
            campaigns[1]["sequences"][0]["steps"][1]["variants"][0]
                .get("v_disabled")
                .is_none()
        );
        assert_eq!(leads[0]["lt_interest_status"], -1);
        assert_eq!(leads[1]["campaign"], "c-nurture");
        // CRM-lite: the closed lead's contact and open deal say so.
        let store = s.app.store();
        let deal = store
            .deal_named(&s.org, "Nexus pilot")
            .await
            .expect("deal")
            .expect("Nexus pilot");
        let acts = store
            .deal_activities(&s.org, &deal.id, 10)
            .await
            .expect("activities");
        assert!(
            acts.iter().any(|a| a.kind == "campaign_changed"
                && a.summary
                    == "Marked closed in \u{201c}Q1 SaaS Outreach\u{201d} (not interested)"),
            "{acts:?}"
        );
        // And HubSpot's copy of the deal has the note, once.
        let notes: Vec<String> = hubspot
            .state()
            .all("notes")
            .iter()
            .filter_map(|n| n["properties"]["hs_note_body"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with(
                "Tom Harris: Marked closed in \u{201c}Q1 SaaS Outreach\u{201d} (not interested)\n"
            ) && notes[0].contains("baton-ref "),
            "the note, marked for finding again: {notes:?}"
        );
        // Each choice is audited once with what became of it.
        let audit = store.audit_log(&s.org, 500).await.expect("audit");
        let outcomes: Vec<String> = audit
            .iter()
            .filter(|e| e.kind == "campaign_changed")
            .filter_map(|e| e.detail["outcome"].as_str().map(str::to_owned))
            .collect();
        let mut sorted = outcomes.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "kept testing",
                "marked not interested",
                "moved to nurture",
                "variant kept"
            ]
        );

        // The next day's check sees B alone in Q1's step: no decision again.
        {
            let mut w = peer.workspace();
            let day = w.analytics.get("2026-11-23").cloned().expect("day");
            w.analytics.insert("2026-11-24".into(), day);
        }
        scheduler
            .tick(T0 + 2 * DAY + 5 * 60_000)
            .await
            .expect("tick");
        let last = checks(&s).await.pop().expect("a check").1;
        s.wait_job(&last, |j| j["status"] == "completed").await;
        let d = s.step_data(&last, "monitor-campaigns").await;
        assert_eq!(ab_test(&d, "c-q1")["settled"], true);
        let again: Vec<String> = offers(&s).await.into_iter().map(|(w, _)| w).collect();
        assert_eq!(
            again.iter().filter(|w| *w == "ab:c-q1").count(),
            1,
            "{again:?}"
        );
        s.stop().await;
        db.finish().await;
    }
);
