//! Confirm gates: a cancel or an unanswered expiry decides what happens
//! next (an edit that resumes a parked job, with the sales app naming the
//! gate, is the end-to-end binary's `gates` test).

use baton_engine::orchestrator::Decider;
use baton_engine::runtime::Decision;
use baton_engine::store::{JobStatus, Store};
use baton_testkit::engine::harness;
use baton_testkit::store_test;
use serde_json::{Value, json};

store_test!(a_cancel_ends_the_sequence, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "ask"
[[step]]
skill = "scripted"
approval = "confirm"
[[step]]
name = "after"
skill = "scripted"
"#],
    )
    .await;
    let id = h.send("ask", json!({ "n": 1 })).await;
    h.orch.drain().await.expect("drain");
    let gate = h.open_gates().await.remove(0);
    h.orch
        .decide(
            &h.org,
            &gate.id,
            Decision::Cancelled,
            &Decider::new("rep1", baton_engine::store::Reach::Org),
        )
        .await
        .expect("decide");
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Cancelled);
    assert!(job.error.unwrap_or_default().contains("by rep1"));
    assert_eq!(
        h.data_of(&id, "after").await,
        Value::Null,
        "no step after a cancel"
    );
});

store_test!(
    an_unanswered_gate_expires_and_the_step_is_skipped,
    |store: Store| async move {
        let h = harness(
        store,
        &["event = \"ask\"\n[[step]]\nskill = \"scripted\"\napproval = \"confirm\"\nexpires_after_minutes = 60\n[[step]]\nname = \"after\"\nskill = \"scripted\"\n"],
    )
    .await;
        let id = h.send("ask", json!({})).await;
        h.orch.drain().await.expect("drain");
        let gate = h.open_gates().await.remove(0);
        h.clock.advance(3_600_000);
        h.orch.drain().await.expect("drain");
        let job = h.job(&id).await;
        assert_eq!(job.status, JobStatus::Completed);
        assert_eq!(job.state["steps"]["scripted"]["status"], "skipped");
        let late = h
            .orch
            .decide(
                &h.org,
                &gate.id,
                Decision::Approved,
                &Decider::new("test", baton_engine::store::Reach::Org),
            )
            .await;
        assert!(late.unwrap_err().to_string().contains("expired"));
    }
);
