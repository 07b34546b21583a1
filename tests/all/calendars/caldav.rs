//! CalDAV → meetings against a real Radicale: a single event with an
//! outside attendee lands as a meeting matched to the contact and deal; a
//! weekly event lands as its instances in the window; an internal one does
//! not; a deleted event's meeting is cancelled.

use super::{BUYER, COLLEAGUE, REP, World, connect, world};
use baton::sales::timing::MEETING_FIRES;
use baton::store::MeetingTables;
use baton::store::{DayMeeting, Inserted, JobId, JobStatus, NewJob};
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{Backend, PATIENCE, Radicale, TestDb, backend_test, poll};
use serde_json::json;

/// An event in UTC, `2026-11-23T…` times given as `HHMMSS` on `day`.
fn ics(
    uid: &str,
    summary: &str,
    day: &str,
    start: &str,
    end: &str,
    extra: &str,
    attendees: &[&str],
) -> String {
    let attendees: String = attendees
        .iter()
        .map(|a| format!("ATTENDEE;CN=Guest;PARTSTAT=NEEDS-ACTION:mailto:{a}\r\n"))
        .collect();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//baton tests//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T090000Z\r\nDTSTART:{day}T{start}Z\r\nDTEND:{day}T{end}Z\r\nSUMMARY:{summary}\r\nORGANIZER:mailto:{REP}\r\n{attendees}{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

async fn meetings(s: &Server) -> Vec<DayMeeting> {
    s.app
        .store()
        .meetings_between(&s.org, &s.user, T0 - 86_400_000, T0 + 31 * 86_400_000)
        .await
        .expect("meetings")
}

async fn until_meetings(
    s: &Server,
    what: &str,
    check: impl Fn(&[DayMeeting]) -> bool,
) -> Vec<DayMeeting> {
    let got = poll(PATIENCE, async || {
        let m = meetings(s).await;
        check(&m).then_some(m)
    })
    .await;
    match got {
        Some(m) => m,
        None => panic!("{what}: meetings are {:#?}", meetings(s).await),
    }
}

/// The service with Jordan's CalDAV calendar at `radicale` connected and
/// read every 200 ms: the database, the org's world, the account's id and
/// the server.
async fn serve(backend: Backend, radicale: &Radicale) -> (TestDb, World, String, Server) {
    let db = TestDb::new(backend).await;
    let store = db.store.clone();
    let w = world(&store).await;
    let account = connect(
        &store,
        &w,
        "caldav",
        REP,
        "",
        json!({ "url": format!("{}/jordan/work/", radicale.url), "username": radicale.user }),
        json!({ "password": radicale.password }),
    )
    .await;
    let s = start(
        store.clone(),
        Setup {
            env: env(&[
                ("BATON_SECRET_KEY", w.key.as_str()),
                ("BATON_CALENDAR_POLL_MS", "200"),
            ]),
            ..Setup::default()
        },
    )
    .await;
    (db, w, account, s)
}

backend_test!(
    caldav_events_and_recurrences_land_as_meetings,
    caldav_events_and_recurrences_land_as_meetings_body
);

async fn caldav_events_and_recurrences_land_as_meetings_body(backend: Backend) {
    let radicale = Radicale::start("jordan", "correct horse battery staple").await;
    radicale.mkcalendar("/jordan/work/").await;
    // 2026-11-23 16:20 UTC: 80 minutes after T0.
    radicale
        .put(
            "/jordan/work/review.ics",
            &ics(
                "review-1@acme.example",
                "Harbour review",
                "20261123",
                "162000",
                "165000",
                "",
                &[BUYER],
            ),
        )
        .await;
    radicale
        .put(
            "/jordan/work/standup.ics",
            &ics(
                "standup-1@acme.example",
                "Team standup",
                "20261124",
                "090000",
                "091500",
                "",
                &[COLLEAGUE],
            ),
        )
        .await;
    let (db, w, _, s) = serve(backend, &radicale).await;
    let first = until_meetings(&s, "the first poll", |m| !m.is_empty()).await;
    assert_eq!(
        first.len(),
        1,
        "the standup has nobody from outside: {first:#?}"
    );
    assert_eq!(first[0].title, "Harbour review");
    assert_eq!(first[0].starts_at, T0 + 80 * 60_000);
    assert_eq!(first[0].ends_at, Some(T0 + 110 * 60_000));
    assert_eq!(first[0].contact_id.as_deref(), Some(w.contact.as_str()));
    assert_eq!(first[0].deal_id.as_deref(), Some(w.deal.as_str()));

    // A weekly call for three weeks: three meetings, one per instance.
    radicale
        .put(
            "/jordan/work/weekly.ics",
            &ics(
                "weekly-1@acme.example",
                "Weekly pilot check-in",
                "20261125",
                "140000",
                "143000",
                "RRULE:FREQ=WEEKLY;COUNT=3\r\n",
                &["ops@harbour.example"],
            ),
        )
        .await;
    let all = until_meetings(&s, "the recurrence", |m| m.len() == 4).await;
    let weekly: Vec<i64> = all
        .iter()
        .filter(|m| m.title == "Weekly pilot check-in")
        .map(|m| m.starts_at)
        .collect();
    let wed = T0 + 47 * 3_600_000; // 2026-11-25 14:00 UTC
    let week = 7 * 86_400_000;
    assert_eq!(weekly, [wed, wed + week, wed + 2 * week]);
    assert!(all.iter().all(|m| m.title != "Team standup"));

    // The review is deleted: its meeting is cancelled, the rest stay.
    radicale.delete("/jordan/work/review.ics").await;
    let left = until_meetings(&s, "after the delete", |m| m.len() == 3).await;
    assert!(left.iter().all(|m| m.title == "Weekly pilot check-in"));
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_series_more_often_than_daily_is_not_read_and_a_disconnected_calendar_takes_its_meetings,
    flood_body
);

/// One event does not flood a rep (issue 38: `RRULE:FREQ=SECONDLY` became
/// 5,018 meetings and hundreds of jobs): a series repeating more often than
/// daily is not read as meetings and the account says so; disconnecting
/// the account cancels the meetings read from it and their preparation
/// already queued, and nothing else.
async fn flood_body(backend: Backend) {
    let radicale = Radicale::start("jordan", "correct horse battery staple").await;
    radicale.mkcalendar("/jordan/work/").await;
    // 2026-11-23 16:25 UTC: 85 minutes after T0, every second.
    radicale
        .put(
            "/jordan/work/flood.ics",
            &ics(
                "flood-1@acme.example",
                "Every second",
                "20261123",
                "162500",
                "162501",
                "RRULE:FREQ=SECONDLY\r\n",
                &[BUYER],
            ),
        )
        .await;
    radicale
        .put(
            "/jordan/work/review.ics",
            &ics(
                "review-2@acme.example",
                "Harbour review",
                "20261123",
                "170000",
                "173000",
                "",
                &[BUYER],
            ),
        )
        .await;
    let (db, _, account, s) = serve(backend, &radicale).await;
    let store = db.store.clone();
    let read = until_meetings(&s, "the review lands", |m| !m.is_empty()).await;
    assert_eq!(read.len(), 1, "the flood is not read: {read:#?}");
    assert_eq!(read[0].title, "Harbour review");
    let noted = store
        .account(&s.org, &account)
        .await
        .expect("read")
        .expect("account");
    assert_eq!(noted.status, "active");
    assert!(
        noted
            .status_detail
            .as_deref()
            .is_some_and(|d| d.contains("Every second") && d.contains("FREQ=SECONDLY")),
        "the account says what it left out: {noted:?}"
    );

    // The review's preparation is already queued (deferred past the rep's
    // quiet hours, say), as is another meeting's.
    let fire = |key: String| NewJob {
        org_id: s.org.clone(),
        user_id: s.user.clone(),
        event_type: "pre_meeting_90min".into(),
        event_source: "schedule".into(),
        idempotency_key: key,
        parent_job_id: None,
        chain_depth: 0,
        payload: json!({}),
        sequence_name: "pre_meeting_90min".into(),
        sequence_hash: "test".into(),
        sequence_version: None,
        scheduled_at: T0 + 86_400_000,
        rows: Vec::new(),
    };
    let queued = |key: String| {
        let store = store.clone();
        async move {
            match store.insert_job(&fire(key), T0).await.expect("queue") {
                Inserted::New(id) => id,
                other => panic!("{other:?}"),
            }
        }
    };
    let review_fire = queued(format!("{MEETING_FIRES}{}", read[0].id)).await;
    let other_fire = queued(format!("{MEETING_FIRES}another-meeting")).await;

    let (status, body) = {
        let r = s
            .http
            .delete(s.url(&format!("/v1/accounts/{account}")))
            .bearer_auth(&s.token)
            .send()
            .await
            .expect("delete");
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    };
    assert_eq!(status, 204, "{body}");
    assert!(
        meetings(&s).await.is_empty(),
        "the disconnected calendar's meetings are cancelled"
    );
    let status_of = |id: JobId| {
        let store = store.clone();
        let org = s.org.clone();
        async move {
            let job = store.job(&org, &id).await.expect("job").expect("exists");
            (job.status, job.error)
        }
    };
    assert_eq!(
        status_of(review_fire).await,
        (
            JobStatus::Cancelled,
            Some("the meeting's calendar was disconnected".into())
        ),
        "its queued preparation is cancelled with it"
    );
    assert_eq!(
        status_of(other_fire).await.0,
        JobStatus::Pending,
        "another meeting's is not"
    );
    s.stop().await;
    db.finish().await;
}
