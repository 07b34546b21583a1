//! A failing step: retried with a doubling backoff, stopping the sequence
//! when its attempts run out, or passed over with `on_failure = "continue"`.

use baton_engine::store::{JobStatus, Store};
use baton_testkit::engine::{T0, harness, meta};
use baton_testkit::{HttpPeer, store_test};
use serde_json::json;

store_test!(retry_backs_off_then_succeeds, |store: Store| async move {
    let peer = HttpPeer::failing(2);
    let h = harness(
        store,
        &[&format!(
            r#"
event = "flaky"
[[step]]
skill = "scripted"
on_failure = "retry"
max_attempts = 3
backoff_ms = 1000
params = {{ flaky = "127.0.0.1:{}" }}
"#,
            peer.port
        )],
    )
    .await;
    let id = h.send("flaky", json!({})).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Pending);
    assert_eq!(job.scheduled_at, T0 + 1_000, "first backoff");
    h.clock.advance(999);
    assert_eq!(
        h.orch.drain().await.expect("drain"),
        0,
        "not due before its backoff"
    );
    h.clock.advance(1);
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.scheduled_at, T0 + 1_000 + 2_000, "the backoff doubles");
    h.clock.advance(2_000);
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed, "{:?}", job.error);
    let runs = h.orch.store.step_runs(&h.org, &id).await.expect("runs");
    let statuses: Vec<_> = runs
        .iter()
        .map(|r| (r.attempt, r.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        vec![(1, "failed"), (2, "failed"), (3, "completed")]
    );
    assert_eq!(runs[0].error_kind.as_deref(), Some("skill"));
    assert_eq!(peer.hits(), 3);
});

store_test!(
    retries_run_out_and_the_sequence_stops,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "down"
[[step]]
skill = "scripted"
on_failure = "retry"
max_attempts = 2
backoff_ms = 10
params = { fail = "unavailable" }
[[step]]
name = "never"
skill = "scripted"
"#],
        )
        .await;
        let id = h.send("down", json!({})).await;
        h.orch.drain().await.expect("drain");
        h.clock.advance(10);
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::Failed);
        assert!(job.error.unwrap_or_default().contains("after 2 attempt(s)"));
        let notes = h.orch.store.notifications(&h.org, 10).await.expect("notes");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, "sequence_failed");
    }
);

store_test!(on_failure_continue_goes_on, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "best_effort"
[[step]]
name = "enrich"
skill = "scripted"
on_failure = "continue"
params = { fail = "failed" }
[[step]]
name = "brief"
skill = "scripted"
"#],
    )
    .await;
    let id = h.send("best_effort", json!({})).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed);
    assert_eq!(job.state["steps"]["enrich"]["status"], "failed");
    assert_eq!(meta(&job)["steps_failed"], 1);
    assert_eq!(h.data_of(&id, "brief").await["previous"], json!([]));
});
