//! `baton serve --simulated-clock` and `POST /v1/admin/clock`, on the
//! real binary, on SQLite and on Postgres: without the flag the route
//! answers 409; a move backwards or a malformed body is a 400 naming the
//! problem and moves nothing; a move forward past a rep's briefing time
//! fires their morning brief at once, and the jobs it makes are stamped
//! (scheduled and made) with the simulated time.

use baton::store::MeetingTables;
use baton_tests::{Backend, Replica, ReplicaSetup, TestDb, backend_test};
use serde_json::{Value, json};

const ADMIN: &str = "admin-secret-for-clock-tests";
const SLACK_SECRET: &str = "slack-signing-secret-for-clock-tests";

/// A Slack interaction signed `at_s` (seconds since the epoch): one the
/// service reads and ignores (not a button of its own).
async fn slack_signed_at(http: &reqwest::Client, r: &Replica, at_s: i64) -> u16 {
    let body = "payload=%7B%22type%22%3A%22view_closed%22%7D";
    let signature =
        baton::service::signature::sign_slack(SLACK_SECRET, at_s, body.as_bytes()).expect("sign");
    http.post(format!("{}/v1/webhooks/slack/interactions", r.base))
        .header("x-slack-request-timestamp", at_s.to_string())
        .header("x-slack-signature", signature)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

/// The brief runs the `scripted` guest (the composer is not the point).
const MORNING_BRIEF: &str = "event = \"morning_brief\"\n\n[[step]]\nskill = \"scripted\"\n";

/// 2026-11-20 07:30 UTC: 02:30 in New York, before Jordan's 08:00 brief.
const START: &str = "2026-11-20T07:30:00Z";

fn start(db: &str, args: &[&str]) -> Replica {
    Replica::start(
        db,
        &ReplicaSetup {
            sequences: &[("morning_brief.toml", MORNING_BRIEF)],
            guests: &["scripted"],
            // The scheduler's own pass comes rarely: the route's pass is
            // what fires the brief.
            config: "[runner]\npoll_ms = 50\n[service]\nschedule_every_ms = 3600000\n",
            env: &[
                ("BATON_ADMIN_TOKEN", ADMIN),
                ("BATON_SLACK_SIGNING_SECRET", SLACK_SECRET),
            ],
            args,
            shared_cache: true,
            ..ReplicaSetup::default()
        },
    )
}

async fn move_clock(http: &reqwest::Client, r: &Replica, body: &str) -> (u16, Value) {
    let resp = http
        .post(format!("{}/v1/admin/clock", r.base))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("POST /v1/admin/clock");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

backend_test!(
    the_system_clock_cannot_be_moved,
    the_system_clock_cannot_be_moved_body
);

async fn the_system_clock_cannot_be_moved_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let r = start(&db.url, &[]);
    let http = reqwest::Client::new();
    r.ready(&http).await;
    let (status, problem) = move_clock(&http, &r, r#"{"advance_minutes": 60}"#).await;
    assert_eq!(status, 409, "{problem}\n{}", r.log());
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("system") && detail.contains("--simulated-clock"),
        "{detail}"
    );
    // Without the admin token, nothing is said about the clock at all.
    let anon = http
        .post(format!("{}/v1/admin/clock", r.base))
        .json(&json!({ "advance_minutes": 60 }))
        .send()
        .await
        .expect("POST");
    assert_eq!(anon.status().as_u16(), 401);
}

backend_test!(
    a_simulated_clock_moves_only_forward_and_fires_what_fell_due,
    a_simulated_clock_moves_only_forward_and_fires_what_fell_due_body
);

async fn a_simulated_clock_moves_only_forward_and_fires_what_fell_due_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let r = start(&db.url, &["--simulated-clock", START]);
    let http = reqwest::Client::new();
    r.ready(&http).await;
    let imported = http
        .post(format!("{}/v1/admin/import", r.base))
        .bearer_auth(ADMIN)
        .json(&json!({
            "org": { "slug": "acme", "name": "Acme" },
            "users": [{ "handle": "rep1", "name": "Jordan Avery", "email": "jordan@acme.example", "role": "rep",
                        "preferences": { "timezone": "America/New_York", "briefing_time_min": 480,
                                         "quiet_start_min": 1260, "quiet_end_min": 420 } }],
            "meetings": [{ "user": "rep1", "title": "Pricing call", "starts_at": "today 10:00" }],
        }))
        .send()
        .await
        .expect("import");
    assert_eq!(imported.status().as_u16(), 200, "{}", r.log());
    // "Today" is the simulated day's (it was the real date's).
    let org = db
        .store
        .org_by_slug("acme")
        .await
        .expect("org")
        .expect("acme");
    let rep = db
        .store
        .user_by_handle(&org.id, "rep1")
        .await
        .expect("user")
        .expect("rep1");
    let day = |s: &str| s.parse::<jiff::Timestamp>().expect("time").as_millisecond();
    let meetings = db
        .store
        .meetings_between(
            &org.id,
            &rep.id,
            day("2026-11-19T00:00:00Z"),
            day("2026-12-31T00:00:00Z"),
        )
        .await
        .expect("meetings");
    assert_eq!(meetings.len(), 1, "{meetings:?}");
    assert_eq!(
        meetings[0].starts_at,
        day("2026-11-20T15:00:00Z"),
        "10:00 in New York on the simulated day"
    );
    let token: Value = http
        .post(format!("{}/v1/admin/orgs/acme/tokens", r.base))
        .bearer_auth(ADMIN)
        .json(&json!({ "name": "t" }))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["token"].as_str().expect("a token").to_owned();
    let briefs = async || -> Vec<Value> {
        let jobs: Value = http
            .get(format!("{}/v1/jobs", r.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("jobs")
            .json()
            .await
            .expect("json");
        jobs.as_array()
            .into_iter()
            .flatten()
            .filter(|j| j["event_type"] == "morning_brief")
            .cloned()
            .collect()
    };

    // Malformed bodies and moves backwards: 400, naming the problem.
    for (body, names) in [
        ("not json", "advance_minutes"),
        (r#"{"advance": 5}"#, "advance"),
        (r#"{"advance_minutes": 0}"#, "advance_minutes is 0"),
        (r#"{"advance_minutes": -30}"#, "only moves forward"),
        (r#"{"to": "tomorrow"}"#, "RFC 3339"),
        (
            r#"{"to": "2026-11-20T13:00:00Z", "advance_minutes": 5}"#,
            "not both",
        ),
        ("{}", "advance_minutes"),
        (r#"{"to": "2026-11-20T06:00:00Z"}"#, "only moves forward"),
    ] {
        let (status, problem) = move_clock(&http, &r, body).await;
        assert_eq!(status, 400, "{body}: {problem}");
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(names), "{body}: {detail}");
    }

    // 07:45 in UTC is 02:45 in New York: nothing due yet.
    let (status, moved) = move_clock(&http, &r, r#"{"advance_minutes": 15}"#).await;
    assert_eq!(status, 200, "{moved}");
    assert!(
        moved["now"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-20T07:4")),
        "{moved}"
    );
    assert_eq!(moved["fired"], 0, "{moved}");
    assert!(briefs().await.is_empty());

    // 13:00 UTC is 08:00 in New York: the brief fires in the route's pass.
    let (status, moved) = move_clock(&http, &r, r#"{"to": "2026-11-20T13:00:00Z"}"#).await;
    assert_eq!(status, 200, "{moved}\n{}", r.log());
    assert_eq!(moved["now"], "2026-11-20T13:00:00Z", "{moved}");
    assert!(moved["fired"].as_u64().is_some_and(|n| n >= 1), "{moved}");
    let fired = briefs().await;
    assert_eq!(fired.len(), 1, "{fired:?}");
    let at = moved["now_ms"].as_i64().expect("now_ms");
    let scheduled = fired[0]["scheduled_at"].as_i64().expect("scheduled_at");
    assert!(
        (at..at + 3_600_000).contains(&scheduled),
        "the job is stamped by the simulated clock: {scheduled} vs {at}"
    );
    // Made at the simulated time too (it was the wall clock's: durations
    // came out negative and the inbox said "in 5 days").
    let created = fired[0]["created_at"].as_i64().expect("created_at");
    assert!(
        (at..at + 3_600_000).contains(&created),
        "the job was made at the simulated time: {created} vs {at}"
    );

    // Going back to before the brief is refused and changes nothing.
    let (status, problem) = move_clock(&http, &r, r#"{"to": "2026-11-20T12:00:00Z"}"#).await;
    assert_eq!(status, 400, "{problem}");
    let (status, moved) = move_clock(&http, &r, r#"{"advance_minutes": 1}"#).await;
    assert_eq!(status, 200, "{moved}");
    assert!(
        moved["now"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-11-20T13:0")),
        "{moved}"
    );
    assert_eq!(briefs().await.len(), 1, "a day's brief fires once");

    // Slack signs with real time, whatever the simulated clock shows: a
    // signature made now is taken, one ten minutes old is still refused.
    let real_s = baton::store::now_ms() / 1000;
    assert_eq!(slack_signed_at(&http, &r, real_s).await, 200, "{}", r.log());
    assert_eq!(slack_signed_at(&http, &r, real_s - 600).await, 401);
}

/// Finding times with no day asked for: the skill's "today" is the
/// service's (a skill read the system's wall clock, so a simulated day
/// offered times from the real date on).
const FIND_TIMES: &str =
    "event = \"calendar_find_times\"\n\n[[step]]\nskill = \"find-available-slots\"\n";

backend_test!(
    a_skills_today_is_the_services,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let s = baton_tests::server::start(
            db.store.clone(),
            baton_tests::server::Setup {
                sequences: &[FIND_TIMES],
                skills: &["find-available-slots"],
                ..baton_tests::server::Setup::default()
            },
        )
        .await;
        let (status, r) = s
        .post(
            "/v1/events",
            json!({ "type": "calendar_find_times", "user": "rep1",
                    "payload": { "calendars": { "rep": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n" } } }),
        )
        .await;
        assert_eq!(status, 202, "{r}");
        let job = r["job_id"].as_str().expect("job").to_owned();
        s.wait_job(&job, |j| j["status"] == "completed").await;
        let data = s.step_data(&job, "find-available-slots").await;
        // The test service's clock shows T0, Monday 2026-11-23 15:00 UTC.
        assert_eq!(data["window"]["start"], "2026-11-23", "{data:#}");
        s.stop().await;
        db.finish().await;
    }
);
