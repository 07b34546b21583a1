//! How a sequence moves: conditions skip steps, a group's steps run
//! together and checkpoint once, follow-up events chain to depth three.

use baton_engine::store::{JobStatus, Store};
use baton_testkit::engine::{harness, meta};
use baton_testkit::store_test;
use serde_json::json;

store_test!(a_false_condition_skips_a_step, |store: Store| async move {
    let h = harness(
        store,
        &[r#"
event = "email_received"
[[step]]
name = "classify"
skill = "scripted"
params = { intent = "fyi" }
[[step]]
name = "reply"
skill = "scripted"
condition = 'steps.classify.data.params.intent == "needs_response"'
[[step]]
name = "log"
skill = "scripted"
condition = 'event.payload.from != null && steps.classify.status == "completed"'
"#],
    )
    .await;
    let id = h.send("email_received", json!({ "from": "x" })).await;
    h.orch.drain().await.expect("drain");
    let job = h.job(&id).await;
    assert_eq!(job.status, JobStatus::Completed);
    assert_eq!(job.state["steps"]["reply"]["status"], "skipped");
    assert_eq!(job.state["steps"]["log"]["status"], "completed");
    assert_eq!(meta(&job)["steps_skipped"], 1);
});

store_test!(
    parallel_groups_run_together_and_checkpoint_once,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "prep"
[[step]]
name = "a"
skill = "scripted"
group = "research"
params = { sleep_ms = 300 }
[[step]]
name = "b"
skill = "scripted"
group = "research"
params = { sleep_ms = 300 }
[[step]]
name = "brief"
skill = "scripted"
"#],
        )
        .await;
        let id = h.send("prep", json!({})).await;
        let started = std::time::Instant::now();
        h.orch.drain().await.expect("drain");
        let elapsed = started.elapsed();
        assert_eq!(h.job(&id).await.status, JobStatus::Completed);
        assert!(
            elapsed < std::time::Duration::from_millis(580),
            "two 300 ms steps of one group overlap ({elapsed:?})"
        );
        assert_eq!(h.data_of(&id, "brief").await["previous"], json!(["a", "b"]));
    }
);

store_test!(
    follow_ups_chain_to_depth_three_and_no_further,
    |store: Store| async move {
        let h = harness(
            store,
            &[r#"
event = "chain"
[[step]]
skill = "scripted"
params = { follow_ups = [{ type = "chain", payload = { from = "parent" } }] }
"#],
        )
        .await;
        let root = h.send("chain", json!({ "n": 0 })).await;
        h.orch.drain().await.expect("drain");
        let jobs = h
            .orch
            .store
            .jobs(&h.org, &baton_engine::store::Reach::Org, 100)
            .await
            .expect("jobs");
        assert_eq!(jobs.len(), 3, "event → follow-up → follow-up, then stop");
        assert!(jobs.iter().all(|j| j.status == JobStatus::Completed));
        let child = h
            .orch
            .store
            .children(&h.org, &root)
            .await
            .expect("children");
        assert_eq!(child.len(), 1);
        let child_job = h.job(&child[0]).await;
        assert_eq!(child_job.parent_job_id.as_ref(), Some(&root));
        assert_eq!(child_job.chain_depth, 2);
        assert_eq!(child_job.event_source, "orchestrator:chain");
        let deepest = jobs.iter().find(|j| j.chain_depth == 3).expect("depth 3");
        assert_eq!(meta(deepest)["followups_dropped"], 1);
        assert_eq!(meta(deepest)["followups_queued"], 0);
    }
);
