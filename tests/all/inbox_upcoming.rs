//! Issue 43, item 9: without a Slack bot, the pre-meeting briefing waits
//! under "Coming up" in the rep's inbox, and shown there it counts as
//! delivered in the success metrics (it counted as late).

use crate::meeting_ended::{crm, read};
use crate::pre_meeting::SKILLS;
use baton_tests::server::{Server, Setup, T0, start};
use baton_tests::{Backend, TestDb, backend_test};
use serde_json::{Value, json};

backend_test!(
    a_briefing_shown_in_the_inbox_before_the_meeting_counts_as_delivered,
    shown_body
);

async fn shown_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let sequence = read("sequences/pre_meeting_90min.toml");
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[&sequence],
            skills: &SKILLS,
            ..Setup::default()
        },
    )
    .await;
    crm(&s).await;
    let starts = jiff::Timestamp::from_millisecond(T0 + 90 * 60_000)
        .expect("instant")
        .to_string();
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "pre_meeting_90min", "user": "rep1", "payload": {
                "meeting_id": "p-1", "title": "Northwind renewals review",
                "contact_email": "marta.ruiz@northwind.example", "starts_at": starts } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&job, |j| j["status"] == "completed").await;
    // No Slack bot: the briefing has not reached the rep yet.
    assert_eq!(briefs(&s).await["pending"], 1);

    let cookie = s.rep_login().await;
    let (status, page) = s.inbox_get(&cookie, "/inbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("Coming up"), "{page}");
    assert!(page.contains("Northwind renewals review"), "{page}");
    assert!(page.contains(&format!("/inbox/jobs/{job}")), "{page}");
    let b = briefs(&s).await;
    assert_eq!(
        (
            b["on_time"].as_u64(),
            b["pending"].as_u64(),
            b["late"].as_u64()
        ),
        (Some(1), Some(0), Some(0)),
        "{b:#}"
    );
    // Shown again, it is still one delivery.
    s.inbox_get(&cookie, "/inbox").await;
    let shown = s
        .app
        .store()
        .notifications_of(&s.org, &s.user, "brief_shown", 0, 10)
        .await
        .expect("notifications");
    assert_eq!(shown.len(), 1);

    // Once the meeting is long over, it is no longer coming up.
    s.clock.set(T0 + 3 * 3_600_000);
    let (_, page) = s.inbox_get(&cookie, "/inbox").await;
    assert!(!page.contains("Coming up"), "{page}");
}

/// The 7-day window's briefs.
async fn briefs(s: &Server) -> Value {
    let (status, m) = s.get("/v1/metrics/success?days=7").await;
    assert_eq!(status, 200, "{m:#}");
    m["windows"][0]["briefs"].clone()
}
