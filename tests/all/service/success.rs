//! The live success metrics as an operator and a rep meet them: four
//! meetings end, each drafts a follow-up email (the policy's confirm gate)
//! and queues a proposal job whose detection label is
//! `commitment:send_proposal` (its task at a gate). Through the API the rep
//! accepts one draft, edits one, skips one and lets one expire, accepts one
//! proposal task and lets three expire; the emails go out through a
//! loopback SMTP peer. Then `/metrics`, `GET /v1/metrics/success` and the
//! inbox's metrics page show the counts per skill and label, the dismissal
//! rate and the follow-up times, all computed exactly from what happened;
//! another org sees none of it, and a bad `days` is a 400 naming it. A
//! second test counts pre-meeting briefs posted before and after their
//! meeting's start, scheduling requests that reached the rep's choice of
//! times or failed, and a skipped reply to an email under the classifier's
//! intent.

use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, SmtpSink, TestDb, backend_test, is_problem, until,
};
use serde_json::{Value, json};

const MEETING: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "detect"
skill = "scripted"
params = { follow_ups = [{ type = "proposal_generation", payload = { label = "commitment:send_proposal" } }] }

[[step]]
name = "draft"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Follow-up to Marta", payload = { to = "marta.ruiz@northwind.example", subject = "Next steps", body = "Hi Marta,\n\nThanks for today." } }] }
"#;

const PROPOSAL: &str = r#"
event = "proposal_generation"

[[step]]
name = "task"
skill = "scripted"
params = { actions = [{ kind = "task_create", preview = "Write the proposal", payload = { title = "Write the proposal" } }] }
"#;

/// Minutes before T0 each meeting ended (its follow-ups go out at T0).
const ENDED_MIN_BEFORE: [i64; 4] = [5, 15, 20, 25];

/// One day and a minute: past every gate's expiry (24 h by default).
const PAST_EXPIRY_MS: i64 = 24 * 3_600_000 + 60_000;

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .expect("instant")
        .to_string()
}

/// The open gate of `job`, once it waits.
async fn gate_of(s: &Server, job: &str) -> String {
    s.open_gate(job).await["id"]
        .as_str()
        .expect("gate id")
        .to_owned()
}

async fn decide(s: &Server, gate: &str, decision: Value) {
    let (status, body) = s
        .post(&format!("/v1/approvals/{gate}/decision"), decision)
        .await;
    assert_eq!(status, 200, "{body:#}");
}

async fn metrics_text(s: &Server) -> String {
    s.metrics().await
}

backend_test!(
    decided_gates_show_as_counts_rates_and_follow_up_times,
    decided_gates_show_as_counts_rates_and_follow_up_times_body
);

async fn decided_gates_show_as_counts_rates_and_follow_up_times_body(backend: Backend) {
    let smtp = SmtpSink::start();
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[MEETING, PROPOSAL],
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{}", smtp.port))]),
            ..Setup::default()
        },
    )
    .await;

    // Four meetings end; each waits with its draft and its proposal task.
    let mut meetings = Vec::new();
    for (n, minutes) in ENDED_MIN_BEFORE.iter().enumerate() {
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "meeting_ended", "user": "rep1", "payload": {
                    "meeting_id": format!("m-{n}"), "ended_at": rfc3339(T0 - minutes * 60_000) } }),
            )
            .await;
        assert_eq!(status, 202, "{accepted:#}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        let draft = gate_of(&s, &job).await;
        let parked = s
            .wait_job(&job, |j| {
                j["children"].as_array().is_some_and(|c| c.len() == 1)
            })
            .await;
        let child = parked["children"][0].as_str().expect("child").to_owned();
        let task = gate_of(&s, &child).await;
        meetings.push((job, draft, task));
    }

    // Accept, edit, skip, and leave the fourth draft; accept the first task.
    decide(&s, &meetings[0].1, json!({ "decision": "approved" })).await;
    decide(
        &s,
        &meetings[1].1,
        json!({ "decision": "edited", "value": {
            "to": "marta.ruiz@northwind.example", "subject": "Next steps",
            "body": "Hi Marta,\n\nThanks for today. Pricing follows." } }),
    )
    .await;
    decide(&s, &meetings[2].1, json!({ "decision": "skipped" })).await;
    decide(&s, &meetings[0].2, json!({ "decision": "approved" })).await;
    for (job, _, _) in &meetings[..2] {
        s.wait_job(job, |j| {
            j["status"] == "completed" && j["effects"][0]["status"] == "delivered"
        })
        .await;
    }
    assert_eq!(smtp.messages().len(), 2, "two follow-ups went out");

    // A day later the unanswered gates have expired.
    s.clock.advance(PAST_EXPIRY_MS);
    until("every gate is answered or expired", PATIENCE, async || {
        let (_, open) = s.get("/v1/approvals?status=open").await;
        open.as_array().is_some_and(Vec::is_empty)
    })
    .await;

    // The API: the caller's org, exactly what happened.
    let (status, m) = s.get("/v1/metrics/success").await;
    assert_eq!(status, 200, "{m:#}");
    assert_eq!(m["org"], "acme");
    assert_eq!(m["days"], 30);
    assert_eq!(m["daily"].as_array().map(Vec::len), Some(30));
    let week = m["windows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["days"] == 7))
        .unwrap_or_else(|| panic!("a 7-day window: {m:#}"));
    assert_eq!(
        week["suggestions"],
        json!({ "accepted": 2, "edited": 1, "dismissed": 1, "expired": 4, "superseded": 0 })
    );
    assert_eq!(week["dismissal_rate"], 0.125, "1 dismissed of 8");
    // The plan's goals: a person acted on 4 of the 8 requests (the rest
    // expired); four meetings ended; no stale deal was revived.
    assert_eq!(
        week["buttons"],
        json!({ "delivered": 8, "clicked": 4, "engagement": 0.5 })
    );
    assert_eq!(week["crm_updates"]["meetings"], 4, "{week:#}");
    assert_eq!(
        week["revivals"],
        json!({ "stale_deals": 0, "re_engaged": 0, "re_engaged_per_week": 0.0 })
    );
    let by = |label: &str| {
        week["by_skill_label"]
            .as_array()
            .and_then(|b| b.iter().find(|x| x["label"] == label))
            .cloned()
            .unwrap_or_else(|| panic!("no {label}: {week:#}"))
    };
    let drafts = by("email_send");
    assert_eq!(drafts["skill"], "scripted");
    assert_eq!(
        (
            &drafts["accepted"],
            &drafts["edited"],
            &drafts["dismissed"],
            &drafts["expired"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1))
    );
    assert_eq!(drafts["dismissal_rate"], 0.25);
    let tasks = by("commitment:send_proposal");
    assert_eq!(
        (&tasks["accepted"], &tasks["expired"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(tasks["dismissal_rate"], 0.0);
    // Trust per skill and action kind: approved as drafted out of all,
    // and how far the edit moved its draft ("Pricing follows." added to
    // 8 words: 2 of 10).
    assert_eq!(week["approved_unchanged_share"], 0.25, "2 of 8");
    assert_eq!(week["edit_distance_mean"], 0.2);
    let trust = |kind: &str| {
        week["trust"]
            .as_array()
            .and_then(|t| t.iter().find(|x| x["kind"] == kind))
            .cloned()
            .unwrap_or_else(|| panic!("no trust of {kind}: {week:#}"))
    };
    let emails = trust("email_send");
    assert_eq!(emails["skill"], "scripted");
    assert_eq!(
        (
            &emails["accepted"],
            &emails["edited"],
            &emails["superseded"]
        ),
        (&json!(1), &json!(1), &json!(0))
    );
    assert_eq!(emails["approved_unchanged_share"], 0.25);
    assert_eq!(emails["edit_distance_mean"], 0.2);
    let tasks = trust("task_create");
    assert_eq!(tasks["approved_unchanged_share"], 0.25);
    assert_eq!(
        tasks["edit_distance_mean"],
        Value::Null,
        "no edit, no distance"
    );
    assert_eq!(
        week["follow_up"],
        json!({ "meetings": 4, "sent": 2, "p50_seconds": 300.0, "p90_seconds": 900.0 }),
        "5 and 15 minutes from the meetings' ends to the emails' delivery"
    );
    let month = m["windows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["days"] == 30))
        .expect("a 30-day window");
    assert_eq!(month["dismissal_rate"], 0.125);
    let today = m["daily"][29].clone();
    let yesterday = m["daily"][28].clone();
    assert_eq!(
        yesterday["suggestions"],
        json!({ "accepted": 2, "edited": 1, "dismissed": 1, "expired": 0, "superseded": 0 }),
        "decided on the day the meetings ended: {m:#}"
    );
    assert_eq!(yesterday["follow_up_p50_seconds"], 300.0);
    assert_eq!(today["suggestions"]["expired"], 4);

    // `?days=`: another window, or a 400 naming the parameter.
    let (status, three) = s.get("/v1/metrics/success?days=3").await;
    assert_eq!(status, 200, "{three:#}");
    assert_eq!(three["daily"].as_array().map(Vec::len), Some(3));
    let windows: Vec<&Value> = three["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| &w["days"])
        .collect();
    assert_eq!(windows, [&json!(3), &json!(7), &json!(30)]);
    for bad in ["0", "91", "week", "-1", "2.5"] {
        let (status, body) = s.get(&format!("/v1/metrics/success?days={bad}")).await;
        is_problem(status, &body, 400);
        assert!(
            body["detail"].as_str().unwrap_or("").contains("`days`"),
            "names the parameter: {body:#}"
        );
    }

    // `/metrics`: the same numbers, per org, with no customer data.
    let text = metrics_text(&s).await;
    for line in [
        r#"baton_suggestions{org="acme",skill="scripted",label="email_send",outcome="accepted",window="7d"} 1.0"#,
        r#"baton_suggestions{org="acme",skill="scripted",label="email_send",outcome="edited",window="7d"} 1.0"#,
        r#"baton_suggestions{org="acme",skill="scripted",label="email_send",outcome="dismissed",window="30d"} 1.0"#,
        r#"baton_suggestions{org="acme",skill="scripted",label="commitment:send_proposal",outcome="expired",window="7d"} 3.0"#,
        r#"baton_dismissal_rate{org="acme",window="7d"} 0.125"#,
        r#"baton_approved_unchanged_ratio{org="acme",skill="scripted",kind="email_send",window="7d"} 0.25"#,
        r#"baton_edit_distance_mean{org="acme",skill="scripted",kind="email_send",window="7d"} 0.2"#,
        r#"baton_trust_suggestions{org="acme",skill="scripted",kind="task_create",outcome="expired",window="7d"} 3.0"#,
        r#"baton_dismissal_rate{org="acme",window="30d"} 0.125"#,
        r#"baton_dismissal_rate_by_skill{org="acme",skill="scripted",label="email_send",window="7d"} 0.25"#,
        r#"baton_followup_seconds{org="acme",quantile="0.5",window="7d"} 300.0"#,
        r#"baton_followup_seconds{org="acme",quantile="0.9",window="30d"} 900.0"#,
        r#"baton_followup_meetings{org="acme",followup="sent",window="7d"} 2.0"#,
        r#"baton_button_engagement_ratio{org="acme",window="7d"} 0.5"#,
        r#"baton_stale_deals_reengaged_per_week{org="acme",window="30d"} 0.0"#,
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    assert!(
        !text.contains("northwind") && !text.contains("Marta"),
        "no customer data in metrics"
    );
    assert!(text.trim_end().ends_with("# EOF"), "one exposition");

    // Another org sees only its own (none) in the API, and its own series.
    let store = s.app.store();
    let globex = store
        .upsert_org("globex", "Globex", &json!({}))
        .await
        .expect("org");
    let (_, other) = store
        .create_token(&globex, "tests", T0)
        .await
        .expect("token");
    let theirs: Value = s
        .http
        .get(s.url("/v1/metrics/success?days=7"))
        .bearer_auth(&other)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["org"], "globex");
    assert_eq!(
        theirs["windows"][0]["suggestions"],
        json!({ "accepted": 0, "edited": 0, "dismissed": 0, "expired": 0, "superseded": 0 }),
        "{theirs:#}"
    );
    assert_eq!(theirs["windows"][0]["by_skill_label"], json!([]));
    assert_eq!(theirs["windows"][0]["follow_up"]["meetings"], 0);
    assert_eq!(theirs["windows"][0]["dismissal_rate"], Value::Null);
    let text = metrics_text(&s).await;
    assert!(
        text.contains(r#"baton_followup_meetings{org="globex",followup="sent",window="7d"} 0.0"#),
        "{text}"
    );
    assert!(
        !text.contains(r#"baton_suggestions{org="globex""#),
        "{text}"
    );
    assert!(
        !text.contains(r#"baton_dismissal_rate{org="globex""#),
        "{text}"
    );

    // The inbox: linked from the front page, the numbers and a chart each.
    let cookie = s.inbox_login(&s.token).await;
    let page = |path: &'static str| {
        let cookie = cookie.clone();
        let s = &s;
        async move {
            let r = s
                .http
                .get(s.url(path))
                .header("cookie", cookie)
                .send()
                .await
                .expect("page");
            (r.status().as_u16(), r.text().await.expect("html"))
        }
    };
    let (_, home) = page("/inbox").await;
    assert!(home.contains("href=\"/inbox/metrics\""), "{home}");
    let (status, html) = page("/inbox/metrics").await;
    assert_eq!(status, 200, "{html}");
    for needle in [
        "12.5%",
        "5 min",
        "15 min",
        "2 of 4 meetings",
        "commitment:send_proposal",
        "The plan's other goals",
        "50% (4 of 8)",
        "<svg",
        "Daily dismissal rate",
    ] {
        assert!(
            html.contains(needle),
            "{needle} missing from the page:\n{html}"
        );
    }
    // The charts are drawn on the server: the page's one script is the
    // inbox's keyboard shortcuts, which every page carries.
    assert_eq!(html.matches("<script").count(), 1, "one script: {html}");
    assert!(
        html.contains("keys-help") || html.contains("shortcut"),
        "the keys' script"
    );
    let r = s
        .http
        .get(s.url("/inbox/metrics"))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status().as_u16(), 401, "signed out: the sign-in page");

    s.stop().await;
    db.finish().await;
}

const BRIEF: &str = r#"
event = "pre_meeting_90min"
dedupe_key = "meeting_id"

[[step]]
name = "brief"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Your meeting brief", payload = { channel = "D-REP1", title = "Brief", text = "Three things to know." } }] }
"#;

/// A request the payload marks `broken` fails before offering times.
const SCHEDULING: &str = r#"
event = "calendar_find_times"
dedupe_key = "meeting_id"

[[step]]
name = "parse"
skill = "scripted"
condition = 'event.payload.broken == true'
params = { fail = "failed" }

[[step]]
name = "offer"
skill = "scripted"
params = { gate = true }
"#;

/// An inbound email, classified by the shipped classifier, and a reply
/// drafted at the policy's gate.
const EMAIL: &str = r#"
event = "email_received"
dedupe_key = "message_id"

[[step]]
skill = "classify-email-intent"
context = ["contact"]

[[step]]
name = "reply"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Reply to Aisha", payload = { to = "aisha.bello@harbourfreight.example", subject = "Re: pricing", body = "Here they are." } }] }
"#;

backend_test!(
    briefs_before_the_meeting_and_scheduling_requests_handled_are_counted,
    briefs_before_the_meeting_and_scheduling_requests_handled_are_counted_body
);

async fn briefs_before_the_meeting_and_scheduling_requests_handled_are_counted_body(
    backend: Backend,
) {
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "D-REP1", "ts": "1700000000.000100" })),
    );
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[BRIEF, SCHEDULING, EMAIL],
            skills: &["classify-email-intent"],
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let post = async |event: &str, payload: Value| {
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": event, "user": "rep1", "payload": payload }),
            )
            .await;
        assert_eq!(status, 202, "{accepted:#}");
        accepted["job_id"].as_str().expect("job").to_owned()
    };
    // Three briefs go out now: before a meeting in an hour, after one that
    // began ten minutes ago, and for a meeting nobody says the start of.
    let briefs = [
        post(
            "pre_meeting_90min",
            json!({ "meeting_id": "p-1", "starts_at": rfc3339(T0 + 3_600_000) }),
        )
        .await,
        post(
            "pre_meeting_90min",
            json!({ "meeting_id": "p-2", "starts_at": rfc3339(T0 - 600_000) }),
        )
        .await,
        post("pre_meeting_90min", json!({ "meeting_id": "p-3" })).await,
    ];
    for job in &briefs {
        s.wait_job(job, |j| {
            j["status"] == "completed" && j["effects"][0]["status"] == "delivered"
        })
        .await;
    }
    // Two scheduling requests: one reaches the rep's choice, one fails.
    let offered = post("calendar_find_times", json!({ "meeting_id": "s-1" })).await;
    let broken = post(
        "calendar_find_times",
        json!({ "meeting_id": "s-2", "broken": true }),
    )
    .await;
    s.open_gate(&offered).await;
    s.wait_job(&broken, |j| j["status"] == "failed").await;

    // An email's reply, skipped, counts under the classifier's intent.
    let email = post(
        "email_received",
        serde_json::from_str(
            &std::fs::read_to_string(
                baton_tests::root().join("examples/events/email_received.json"),
            )
            .expect("example"),
        )
        .expect("JSON"),
    )
    .await;
    let reply = gate_of(&s, &email).await;
    decide(&s, &reply, json!({ "decision": "skipped" })).await;
    let intent = s.step_data(&email, "classify-email-intent").await["intent"]
        .as_str()
        .expect("intent")
        .to_owned();

    let (status, m) = s.get("/v1/metrics/success?days=7").await;
    assert_eq!(status, 200, "{m:#}");
    let week = &m["windows"][0];
    assert_eq!(
        week["by_skill_label"],
        json!([{ "skill": "scripted", "label": format!("email:{intent}"), "accepted": 0,
                 "edited": 0, "dismissed": 1, "expired": 0, "superseded": 0, "dismissal_rate": 1.0 }])
    );
    assert_eq!(week["days"], 7);
    assert_eq!(
        week["briefs"],
        json!({ "briefs": 3, "on_time": 1, "late": 1, "pending": 0, "unknown_start": 1,
                "on_time_share": 0.5 })
    );
    assert_eq!(
        week["scheduling"],
        json!({ "requests": 2, "handled": 1, "in_progress": 0, "handled_share": 0.5 })
    );
    let text = metrics_text(&s).await;
    for line in [
        r#"baton_briefs{org="acme",outcome="on_time",window="7d"} 1.0"#,
        r#"baton_briefs{org="acme",outcome="late",window="7d"} 1.0"#,
        r#"baton_briefs_on_time_ratio{org="acme",window="30d"} 0.5"#,
        r#"baton_scheduling_requests{org="acme",outcome="handled",window="7d"} 1.0"#,
        r#"baton_scheduling_handled_ratio{org="acme",window="7d"} 0.5"#,
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    s.stop().await;
    db.finish().await;
}

backend_test!(
    metrics_are_served_as_last_computed_until_the_cache_interval_passes,
    metrics_cached_body
);

async fn metrics_cached_body(backend: Backend) {
    // `/metrics` computes an org's figures once per `metrics_cache_ms`
    // (60 s by default) and keeps them in the database, where every
    // replica reads them: a decision shows on the first scrape after the
    // interval, not before.
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[MEETING, PROPOSAL],
            ..Setup::default()
        },
    )
    .await;
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": {
                "meeting_id": "m-1", "ended_at": rfc3339(T0 - 60_000) } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let draft = gate_of(&s, &job).await;
    let skipped = r#"baton_suggestions{org="acme",skill="scripted",label="email_send",outcome="dismissed",window="7d"} 1.0"#;
    let before = metrics_text(&s).await;
    assert!(!before.contains(skipped), "{before}");
    let (kept, at): (String, i64) = sqlx_row(&db, "acme").await;
    assert!(kept.contains("\"org\":\"acme\""), "{kept}");
    assert_eq!(at, s.app.now(), "computed by this scrape");

    decide(&s, &draft, json!({ "decision": "skipped" })).await;
    s.clock.advance(30_000);
    let cached = metrics_text(&s).await;
    assert!(
        !cached.contains(skipped),
        "30 s on, the figures as computed: {cached}"
    );
    assert_eq!(sqlx_row(&db, "acme").await.1, at, "not computed again");
    s.clock.advance(30_000);
    let fresh = metrics_text(&s).await;
    assert!(fresh.contains(skipped), "60 s on, computed again: {fresh}");
    assert_eq!(sqlx_row(&db, "acme").await.1, at + 60_000);
    // One replica at a time recomputes: a second claim waits for the
    // first to end or lapse.
    {
        use baton::sales::store::SuccessTables;
        let now = s.app.now();
        let claim = |until: i64| db.store.claim_success_snapshot(&s.org, now, until);
        assert!(claim(now + 60_000).await.expect("claim"), "free: claimed");
        assert!(!claim(now + 60_000).await.expect("claim"), "held: refused");
        let later = db
            .store
            .claim_success_snapshot(&s.org, now + 60_000, now + 120_000)
            .await
            .expect("claim");
        assert!(later, "a lapsed claim is taken over");
    }
    s.stop().await;
    db.finish().await;
}

/// The figures kept for the org `slug`, and when they were computed.
async fn sqlx_row(db: &TestDb, slug: &str) -> (String, i64) {
    use baton::sales::store::SuccessTables;
    let org = db
        .store
        .org_by_slug(slug)
        .await
        .expect("read")
        .expect("org");
    db.store
        .success_snapshot(&org.id)
        .await
        .expect("read")
        .expect("kept")
}
