//! Jobs: a duplicate event makes one job, leases hand each job to one
//! worker, and an expired lease lets another worker resume it.

use baton::store::Store;
use baton_tests::store_test;

/// An org with one rep, and a job for them keyed `key`.
async fn org_with_job(store: &Store, key: &str) -> (baton::store::OrgId, baton::store::NewJob) {
    let org = store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep1", "Dana", "dana@acme.test", "rep")
        .await
        .expect("user");
    let job = baton::store::NewJob {
        org_id: org.clone(),
        user_id: rep,
        event_type: "meeting_ended".into(),
        event_source: "test".into(),
        idempotency_key: key.into(),
        parent_job_id: None,
        chain_depth: 0,
        payload: serde_json::json!({ "meeting_id": key }),
        sequence_name: "meeting_ended".into(),
        sequence_hash: "h".into(),
        scheduled_at: 0,
    };
    (org, job)
}

store_test!(a_duplicate_event_makes_one_job, |store: Store| async move {
    use baton::store::Inserted;
    let (org, job) = org_with_job(&store, "meeting_ended:m-1").await;
    let Inserted::New(id) = store.insert_job(&job).await.expect("insert") else {
        panic!("first insert is new")
    };
    assert_eq!(
        store.insert_job(&job).await.expect("again"),
        Inserted::Duplicate(id.clone())
    );
    assert_eq!(store.jobs(&org, 10).await.expect("list").len(), 1);
    let stored = store.job(&org, &id).await.expect("get").expect("found");
    assert_eq!(stored.payload["meeting_id"], "meeting_ended:m-1");
});

store_test!(
    leases_hand_each_job_to_one_worker,
    |store: Store| async move {
        use baton::store::{Inserted, JobStatus};
        let (org, mut job) = org_with_job(&store, "k0").await;
        let mut ids = Vec::new();
        for i in 0..6 {
            job.idempotency_key = format!("k{i}");
            if let Inserted::New(id) = store.insert_job(&job).await.expect("insert") {
                ids.push(id);
            }
        }
        let a = store
            .claim_jobs("worker-a", 4, 60_000, baton::store::now_ms())
            .await
            .expect("claim a");
        let b = store
            .claim_jobs("worker-b", 4, 60_000, baton::store::now_ms())
            .await
            .expect("claim b");
        assert_eq!((a.len(), b.len()), (4, 2));
        assert!(
            a.iter().all(|j| b.iter().all(|k| k.id != j.id)),
            "no job claimed twice"
        );
        assert!(
            store
                .claim_jobs("worker-c", 4, 60_000, baton::store::now_ms())
                .await
                .expect("claim c")
                .is_empty()
        );

        // A checkpoint by the lease holder sticks; one by another worker is stale.
        let first = &a[0];
        store
            .checkpoint_job(
                &org,
                &first.id,
                "worker-a",
                1,
                &serde_json::json!({ "outputs": [1] }),
                60_000,
            )
            .await
            .expect("checkpoint");
        let err = store
            .checkpoint_job(
                &org,
                &first.id,
                "worker-b",
                2,
                &serde_json::json!({}),
                60_000,
            )
            .await
            .expect_err("stale worker");
        assert!(err.to_string().contains("not leased"), "{err}");
        store
            .finish_job(&org, &first.id, "worker-a", JobStatus::Completed, None)
            .await
            .expect("finish");
        let done = store
            .job(&org, &first.id)
            .await
            .expect("get")
            .expect("found");
        assert_eq!(
            (done.status, done.current_step, done.lease_owner),
            (JobStatus::Completed, 1, None)
        );
        assert!(
            store
                .finish_job(&org, &first.id, "worker-a", JobStatus::Failed, None)
                .await
                .is_err()
        );
    }
);

store_test!(
    an_expired_lease_lets_another_worker_resume,
    |store: Store| async move {
        let (org, job) = org_with_job(&store, "k").await;
        store.insert_job(&job).await.expect("insert");
        let claimed = store
            .claim_jobs("dead-worker", 1, -1, baton::store::now_ms())
            .await
            .expect("claim with a lease already expired");
        let id = claimed[0].id.clone();
        let resumed = store
            .claim_jobs("worker-2", 1, 60_000, baton::store::now_ms())
            .await
            .expect("reclaim");
        assert_eq!(resumed.len(), 1);
        assert_eq!(resumed[0].id, id);
        assert_eq!(resumed[0].lease_owner.as_deref(), Some("worker-2"));
        let err = store
            .checkpoint_job(&org, &id, "dead-worker", 1, &serde_json::json!({}), 1000)
            .await;
        assert!(err.is_err(), "the dead worker's late write is refused");
    }
);
