//! Google Calendar → meetings → `pre_meeting_90min`, through `baton serve`
//! with the loopback Google. The poll is an hour, so everything after the
//! first read happens because a push woke the calendar loop.

use super::{BUYER, COLLEAGUE, PRE, REP, connect, world};
use baton::accounts::google::{CALENDAR, EMAIL};
use baton::orchestrator::scheduler::Scheduler;
use baton::store::DayMeeting;
use baton::store::MeetingTables;
use baton_tests::google::CalendarEvent;
use baton_tests::server::{Server, Setup, T0, env, start};
use baton_tests::{Backend, GooglePeer, PATIENCE, TestDb, backend_test, poll};
use serde_json::json;

const MIN: i64 = 60_000;

/// rep1's meetings today (from T0 on).
async fn meetings(s: &Server) -> Vec<DayMeeting> {
    s.app
        .store()
        .meetings_between(&s.org, &s.user, T0 - 3_600_000, T0 + 86_400_000)
        .await
        .expect("meetings")
}

/// Wait until rep1's meetings satisfy `check`.
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

/// Push on rep1's open channel, as Google does when the calendar changes.
async fn push(s: &Server, google: &GooglePeer) {
    let channel = {
        let g = google.state();
        let cal = g.calendars.get(REP).expect("rep1's calendar");
        cal.channels.last().cloned().expect("an open channel")
    };
    assert_eq!(channel.address, s.url("/v1/webhooks/google-calendar"));
    let r = s
        .http
        .post(&channel.address)
        .header("X-Goog-Channel-ID", &channel.id)
        .header(
            "X-Goog-Channel-Token",
            channel.token.as_deref().unwrap_or(""),
        )
        .header("X-Goog-Resource-State", "exists")
        .header("X-Goog-Resource-ID", &channel.resource_id)
        .header("X-Goog-Message-Number", "2")
        .send()
        .await
        .expect("push");
    assert_eq!(r.status().as_u16(), 200);
}

async fn pre_meeting_jobs(s: &Server) -> Vec<serde_json::Value> {
    s.app
        .store()
        .jobs(&s.org, &baton::store::Reach::Org, 100)
        .await
        .expect("jobs")
        .into_iter()
        .filter(|j| j.event_type == "pre_meeting_90min")
        .map(|j| j.payload)
        .collect()
}

backend_test!(
    google_calendar_meetings_fire_pre_meeting_once,
    google_calendar_meetings_fire_pre_meeting_once_body
);

async fn google_calendar_meetings_fire_pre_meeting_once_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let store = db.store.clone();
    let w = world(&store).await;
    let google = GooglePeer::start();
    let (access, refresh) = {
        let mut g = google.state();
        (g.issue_access(REP), g.issue_refresh(REP))
    };
    connect(
        &store,
        &w,
        "google",
        REP,
        &format!("{EMAIL} {CALENDAR}"),
        json!({}),
        json!({ "access_token": access, "refresh_token": refresh }),
    )
    .await;
    {
        let mut g = google.state();
        let cal = g.calendars.entry(REP.into()).or_default();
        // One item a page: the first read takes several pages.
        cal.page_size = Some(1);
        cal.put(CalendarEvent::new(
            "harbour",
            "Harbour review",
            T0 + 80 * MIN,
            30,
            REP,
            &[REP, BUYER],
        ));
        cal.put(CalendarEvent::new(
            "vendor",
            "Vendor call",
            T0 + 120 * MIN,
            30,
            "sales@vendor.example",
            &[REP],
        ));
        cal.put(CalendarEvent::new(
            "one-to-one",
            "1:1",
            T0 + 100 * MIN,
            30,
            REP,
            &[REP, COLLEAGUE],
        ));
    }
    let mut vars = google.env();
    vars.extend(env(&[
        ("BATON_SECRET_KEY", w.key.as_str()),
        ("BATON_CALENDAR_POLL_MS", "3600000"),
    ]));
    let s = start(
        store.clone(),
        Setup {
            sequences: &[PRE],
            env: vars,
            ..Setup::default()
        },
    )
    .await;
    assert_eq!((&s.org, &s.user), (&w.org, &w.rep));

    // The first read: two meetings with outsiders, the 1:1 left out.
    let first = until_meetings(&s, "the first read", |m| m.len() == 2).await;
    let titles: Vec<_> = first.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["Harbour review", "Vendor call"]);
    let harbour = first[0].clone();
    assert_eq!(harbour.contact_id.as_deref(), Some(w.contact.as_str()));
    assert_eq!(harbour.deal_id.as_deref(), Some(w.deal.as_str()));
    assert_eq!(first[1].contact_id, None, "the vendor is no contact");
    {
        let g = google.state();
        let pages = g
            .api_requests
            .iter()
            .filter(|r| r.contains("pageToken=page-"))
            .count();
        assert!(pages >= 2, "read in pages: {:#?}", g.api_requests);
        assert!(
            g.api_requests
                .iter()
                .any(|r| r.contains("timeMin=") && r.contains("singleEvents=true"))
        );
        assert_eq!(
            g.calendars[REP].channels.len(),
            1,
            "a watch channel is open"
        );
    }

    // The vendor cancels and the review moves ten minutes earlier; a push
    // makes the loop read at once (the poll is an hour away).
    {
        let mut g = google.state();
        let cal = g.calendars.get_mut(REP).expect("calendar");
        cal.cancel("vendor");
        cal.put(CalendarEvent::new(
            "harbour",
            "Harbour review",
            T0 + 70 * MIN,
            30,
            REP,
            &[REP, BUYER],
        ));
    }
    push(&s, &google).await;
    let moved = until_meetings(&s, "after the push", |m| {
        m.len() == 1 && m[0].starts_at == T0 + 70 * MIN
    })
    .await;
    assert_eq!(moved[0].id, harbour.id, "a moved event keeps its meeting");
    assert!(
        google
            .state()
            .api_requests
            .iter()
            .any(|r| r.contains("syncToken=sync-")),
        "the push read incrementally"
    );

    // 40 minutes on, both would be within 90 minutes: the scheduler fires
    // for the review only (if the service's own tick at start has not
    // already), never for the cancelled call.
    let scheduler = Scheduler::new(s.app.orch.clone());
    scheduler.tick(T0 + 40 * MIN).await.expect("tick");
    let jobs = pre_meeting_jobs(&s).await;
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(jobs[0]["title"], "Harbour review");
    assert_eq!(jobs[0]["deal_id"], w.deal.as_str());

    // It moves again, with every access token expired (401 → refresh) and
    // the sync token too old (410 → a full read): still one job.
    {
        let mut g = google.state();
        g.expire_access_tokens();
        let cal = g.calendars.get_mut(REP).expect("calendar");
        cal.expire_sync_tokens();
        cal.put(CalendarEvent::new(
            "harbour",
            "Harbour review",
            T0 + 60 * MIN,
            45,
            REP,
            &[REP, BUYER],
        ));
    }
    push(&s, &google).await;
    let again = until_meetings(&s, "after the second move", |m| {
        m.len() == 1 && m[0].starts_at == T0 + 60 * MIN
    })
    .await;
    assert_eq!(again[0].id, harbour.id);
    assert_eq!(again[0].ends_at, Some(T0 + 105 * MIN));
    assert!(
        google
            .state()
            .token_requests
            .iter()
            .any(|g| g == "refresh_token"),
        "the 401 refreshed the token"
    );
    scheduler.tick(T0 + 41 * MIN).await.expect("tick");
    assert_eq!(
        pre_meeting_jobs(&s).await.len(),
        1,
        "the moved meeting does not fire again"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_expiring_watch_channel_is_renewed_and_the_old_one_stopped,
    an_expiring_watch_channel_is_renewed_and_the_old_one_stopped_body
);

async fn an_expiring_watch_channel_is_renewed_and_the_old_one_stopped_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let store = db.store.clone();
    let w = world(&store).await;
    let google = GooglePeer::start();
    let (access, refresh) = {
        let mut g = google.state();
        // Google grants channels that end within the renewal margin.
        g.calendars
            .entry(REP.into())
            .or_default()
            .channel_expiration = Some(T0 + 3_600_000);
        (g.issue_access(REP), g.issue_refresh(REP))
    };
    connect(
        &store,
        &w,
        "google",
        REP,
        CALENDAR,
        json!({}),
        json!({ "access_token": access, "refresh_token": refresh }),
    )
    .await;
    let mut vars = google.env();
    vars.extend(env(&[
        ("BATON_SECRET_KEY", w.key.as_str()),
        ("BATON_CALENDAR_POLL_MS", "200"),
    ]));
    let s = start(
        store.clone(),
        Setup {
            sequences: &[PRE],
            env: vars,
            ..Setup::default()
        },
    )
    .await;
    let stopped = poll(PATIENCE, async || {
        let g = google.state();
        let cal = g.calendars.get(REP)?;
        (!cal.stopped.is_empty()).then(|| (cal.stopped.clone(), cal.channels.clone()))
    })
    .await
    .expect("the channel was renewed and the old one stopped");
    let (stopped, open) = stopped;
    assert!(
        !open.iter().any(|c| stopped.contains(&c.id)),
        "a stopped channel is not open"
    );
    // A push on the stopped channel is refused; one on the new channel is taken.
    let r = s
        .http
        .post(s.url("/v1/webhooks/google-calendar"))
        .header("X-Goog-Channel-ID", &stopped[0])
        .header("X-Goog-Resource-State", "exists")
        .send()
        .await
        .expect("push");
    assert_eq!(r.status().as_u16(), 404);
    s.stop().await;
    db.finish().await;
}
