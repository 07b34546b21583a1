//! Issue 40, item 4, through `baton serve` with the shipped
//! `calendar_find_times` sequence and skills: a request for "Tuesday or
//! Wednesday afternoon" is offered only Tuesday and Wednesday afternoons,
//! never a public holiday (Thanksgiving, Thursday 26 November 2026, for a
//! rep in New York), and the pick invites every attendee.

use baton::store::{JobId, Preferences};
use baton_tests::server::{Server, Setup, start};
use baton_tests::{Backend, TestDb, backend_test, root};
use serde_json::{Value, json};

/// Friday 20 November 2026, 15:00 in New York: "next week" is 23–27 Nov.
const ASKED_AT: &str = "2026-11-20T20:00:00Z";

const ATTENDEES: [&str; 2] = ["marta.ruiz@northwind.example", "ken.ito@northwind.example"];

/// Ask for times in `request`; the job's id once its choice is open, and
/// the slots it found.
async fn ask(s: &Server, request: &str) -> (String, Value) {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "calendar_find_times", "user": "rep1", "payload": {
                "request": request, "contact_email": ATTENDEES[0],
                "attendees": [ATTENDEES[1], "jordan.avery@acme.example"],
                "event_time": ASKED_AT, "duration_minutes": 30 } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    s.open_gate(&job).await;
    let found = s.step_data(&job, "find-available-slots").await;
    (job, found)
}

/// Each slot as the rep reads it ("Tue 24 Nov 13:00–13:30 EST").
fn rep_times(found: &Value) -> Vec<String> {
    found["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| s["rep_local"].as_str().expect("rep_local").to_owned())
        .collect()
}

/// The hour a slot starts at, in the rep's zone.
fn hour(time: &str) -> u32 {
    time[11..13].parse().expect("an hour")
}

backend_test!(
    a_request_gets_the_days_and_part_of_day_asked_no_holiday_and_invites_everyone,
    a_request_gets_the_days_and_part_of_day_asked_no_holiday_and_invites_everyone_body
);

async fn a_request_gets_the_days_and_part_of_day_asked_no_holiday_and_invites_everyone_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let calendar = std::fs::read_to_string(root().join("sequences/calendar_find_times.toml"))
        .expect("the shipped sequence");
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&calendar],
            skills: &[
                "parse-scheduling-request",
                "find-available-slots",
                "present-time-options",
            ],
            ..Setup::default()
        },
    )
    .await;
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        ..Preferences::default()
    };
    db.store
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");

    // Tuesday or Wednesday afternoon: nothing else.
    let (job, found) = ask(&s, "Ideally Tuesday or Wednesday afternoon next week.").await;
    let times = rep_times(&found);
    assert!(times.len() >= 3, "{found:#}");
    for t in &times {
        assert!(
            (t.starts_with("Tue 24 Nov") || t.starts_with("Wed 25 Nov")) && hour(t) >= 12,
            "{t}: {found:#}"
        );
    }
    // Everyone from outside is on the choice; the rep never.
    let gate = s.open_gate(&job).await;
    let (_, full) = s
        .get(&format!(
            "/v1/approvals/{}",
            gate["id"].as_str().expect("gate id")
        ))
        .await;
    assert_eq!(full["body"]["attendees"], json!(ATTENDEES), "{full:#}");
    assert_eq!(
        full["options"].as_array().and_then(|o| o.last()),
        Some(&json!("Email these times to Marta and Ken")),
        "{full:#}"
    );
    // The pick invites them both.
    let (status, decided) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("gate id")
            ),
            json!({ "decision": "chosen", "value": 0 }),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    s.wait_job(&job, |j| j["status"] == "completed").await;
    let effects = db
        .store
        .effects(&s.org, Some(&JobId::from(job.as_str())), 10)
        .await
        .expect("effects");
    assert_eq!(effects.len(), 1, "{effects:#?}");
    let invite = effects[0].payload.to_string();
    for who in ATTENDEES {
        assert!(invite.contains(who), "{who} is invited: {invite}");
    }
    let start = found["slots"][0]["start"].as_str().expect("start");
    assert!(invite.contains(start), "the slot chosen: {invite}");

    // Wednesday or Thursday: Thursday is Thanksgiving, so Wednesday only,
    // and the rep is told why.
    let (_, found) = ask(&s, "Could we do Wednesday or Thursday afternoon next week?").await;
    let times = rep_times(&found);
    assert!(!times.is_empty(), "{found:#}");
    assert!(
        times
            .iter()
            .all(|t| t.starts_with("Wed 25 Nov") && hour(t) >= 12),
        "{found:#}"
    );
    assert!(
        found["notes"]
            .to_string()
            .contains("Thu 26 Nov is Thanksgiving Day in United States"),
        "{found:#}"
    );
    s.stop().await;
    db.finish().await;
}
