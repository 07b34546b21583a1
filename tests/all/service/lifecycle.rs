//! The service's background work: the scheduler fires each scheduled
//! event once however many replicas tick, and a shutdown lets the step in
//! flight reach its checkpoint.

use baton::orchestrator::scheduler::Scheduler;
use baton::store::{JobId, JobStatus, Preferences, SyncedMeeting};
use baton::store::{MeetingTables, PreferenceTables, SalesPreferences};
use baton_tests::server::{Setup, T0, start};
use baton_tests::{Backend, TestDb, backend_test};

// Replicas share a Postgres database (an SQLite file serves one process),
// so this runs on Postgres only. Run on SQLite with three schedulers racing,
// it once missed the pre-meeting job under a loaded machine: not yet
// explained, and to be looked at on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_events_fire_once_across_replicas() {
    scheduled_events_fire_once_across_replicas_body(Backend::Postgres).await;
}

async fn scheduled_events_fire_once_across_replicas_body(backend: Backend) {
    const BRIEF: &str =
        "event = \"morning_brief\"\ndedupe_key = \"date\"\n[[step]]\nskill = \"scripted\"\n";
    const PRE: &str = "event = \"pre_meeting_90min\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n";
    let db = TestDb::new(backend).await;
    // 08:05 in New York on Monday 2026-11-23 is 13:05 UTC.
    let at = T0 - 2 * 3_600_000 + 5 * 60_000;
    // The server's own scheduler ticks once as it starts, at a time the
    // test cannot order against its set-up. Started at 02:05 in New York
    // (07:05 UTC, 07:05 in London) nothing is due then, so that tick fires
    // nothing; it once fired the brief between the preferences and the
    // meeting below, and the brief rightly listed no meeting.
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[BRIEF, PRE],
            at: at - 6 * 3_600_000,
            ..Setup::default()
        },
    )
    .await;
    let store = s.app.store();
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        ..Preferences::default()
    };
    store
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let brief_at = SalesPreferences {
        briefing_time_min: 8 * 60,
        ..SalesPreferences::default()
    };
    store
        .set_sales_preferences(&s.org, &s.user, &brief_at)
        .await
        .expect("sales prefs");
    let second_rep = store
        .upsert_user(&s.org, "rep2", "Priya", "priya@acme.example", "rep")
        .await
        .expect("rep2");
    store
        .set_preferences(
            &s.org,
            &second_rep,
            &Preferences {
                timezone: "Europe/London".into(),
                ..prefs.clone()
            },
        )
        .await
        .expect("prefs");
    // A meeting at 09:05 in New York, as calendar sync writes it.
    store
        .upsert_meeting(
            &s.org,
            &SyncedMeeting {
                user_id: &s.user,
                external_id: "gcal:acct:ext-1",
                title: "Harbour review",
                starts_at: at + 60 * 60_000,
                ends_at: Some(at + 90 * 60_000),
                contact_id: None,
                deal_id: None,
            },
            at,
        )
        .await
        .expect("meeting");
    // Three replicas tick at once (the server's own may join them if its
    // first tick is late).
    s.clock.set(at);
    let a = Scheduler::new(s.app.orch.clone());
    let b = Scheduler::new(s.app.orch.clone());
    let c = Scheduler::new(s.app.orch.clone());
    let (x, y, z) = tokio::join!(a.tick(at), b.tick(at), c.tick(at));
    for fired in [x, y, z] {
        fired.expect("tick");
    }
    assert_eq!(
        a.tick(at + 60_000).await.expect("tick"),
        0,
        "nothing fires twice"
    );
    assert_eq!(
        b.tick(at + 30 * 60_000).await.expect("tick"),
        0,
        "nor later the same day"
    );
    let jobs = store
        .jobs(&s.org, &baton::store::Reach::Org, 10)
        .await
        .expect("jobs");
    let mut kinds: Vec<_> = jobs.iter().map(|j| j.event_type.clone()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["morning_brief", "pre_meeting_90min"],
        "one brief for rep1 (08:05 in New York) and one pre-meeting; in London it is 13:05, too late for rep2's 08:00 brief"
    );
    assert!(jobs.iter().all(|j| j.user_id == s.user));
    // The brief lists the day's meetings.
    let brief = jobs
        .iter()
        .find(|j| j.event_type == "morning_brief")
        .expect("the brief");
    assert_eq!(
        brief.payload["meetings"][0]["title"], "Harbour review",
        "{}",
        brief.payload
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    shutdown_lets_the_step_in_flight_checkpoint,
    shutdown_lets_the_step_in_flight_checkpoint_body
);

async fn shutdown_lets_the_step_in_flight_checkpoint_body(backend: Backend) {
    const SLOW: &str = "event = \"meeting_ended\"\ndedupe_key = \"meeting_id\"\n[[step]]\nname = \"slow\"\nskill = \"scripted\"\nparams = { sleep_ms = 1500 }\n";
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[SLOW],
            ..Setup::default()
        },
    )
    .await;
    let (_, first) = s.event("m-1").await;
    let job = first["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&job, |j| j["status"] == "running").await;
    let store = s.app.store().clone();
    let org = s.org.clone();
    s.stop().await;
    let j = store
        .job(&org, &JobId::from(job.as_str()))
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(
        j.status,
        JobStatus::Completed,
        "the step in flight finished and was checkpointed before exit"
    );
    db.finish().await;
}

/// A service that cannot start says why and exits non-zero, and never
/// said it was serving first (issue 38: "baton serving on …" came before
/// the failure). Here the failure comes after the port is bound: a step's
/// params that break its skill's params schema, found once the skills load.
#[test]
fn a_service_that_cannot_start_never_says_it_serves() {
    let dir = tempfile::tempdir().expect("dir");
    let (skills, sequences) = (dir.path().join("skills"), dir.path().join("sequences"));
    std::fs::create_dir_all(&skills).expect("skills");
    std::fs::create_dir_all(&sequences).expect("sequences");
    std::fs::copy(
        baton_tests::skill("detect-intents"),
        skills.join("detect-intents.wasm"),
    )
    .expect("copy the skill");
    std::fs::write(
        sequences.join("meeting_ended.toml"),
        "event = \"meeting_ended\"\n\n[[step]]\nskill = \"detect-intents\"\nparams = { min_confidence = \"high\" }\n",
    )
    .expect("sequence");
    let out = std::process::Command::new(baton_tests::baton_bin())
        .arg("serve")
        .arg("--database")
        .arg(dir.path().join("baton.db"))
        .args(["--listen", "127.0.0.1:0", "--skills"])
        .arg(&skills)
        .arg("--sequences")
        .arg(&sequences)
        .envs(std::env::var_os("BATON_CACHE_DIR").map(|d| ("BATON_CACHE_DIR", d)))
        .output()
        .expect("run baton serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("min_confidence"),
        "names the problem: {stderr}"
    );
    assert!(
        !stderr.contains("serving on"),
        "never said it served: {stderr}"
    );
}
