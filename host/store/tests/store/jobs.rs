//! Jobs: a duplicate event makes one job, leases hand each job to one
//! worker, an expired lease lets another worker resume it, and a lease that
//! was claimed again or ran out writes nothing (fencing).

use baton_store::Progress;
use baton_store::{Lease, Store};
use baton_testkit::store_test;

/// An org with one rep, and a job for them keyed `key`.
async fn org_with_job(store: &Store, key: &str) -> (baton_store::OrgId, baton_store::NewJob) {
    let (org, rep) = baton_testkit::fixtures::org_and_rep(store).await;
    let payload = serde_json::json!({ "meeting_id": key });
    let job = baton_testkit::fixtures::new_job(&org, &rep, key, payload, Vec::new());
    (org, job)
}

store_test!(a_duplicate_event_makes_one_job, |store: Store| async move {
    use baton_store::Inserted;
    let (org, job) = org_with_job(&store, "meeting_ended:m-1").await;
    let Inserted::New(id) = store
        .insert_job(&job, baton_store::now_ms())
        .await
        .expect("insert")
    else {
        panic!("first insert is new")
    };
    assert_eq!(
        store
            .insert_job(&job, baton_store::now_ms())
            .await
            .expect("again"),
        Inserted::Duplicate(id.clone())
    );
    assert_eq!(
        store
            .jobs(&org, &baton_store::Reach::Org, 10)
            .await
            .expect("list")
            .len(),
        1
    );
    let stored = store.job(&org, &id).await.expect("get").expect("found");
    assert_eq!(stored.payload["meeting_id"], "meeting_ended:m-1");
});

store_test!(
    leases_hand_each_job_to_one_worker,
    |store: Store| async move {
        use baton_store::{Inserted, JobStatus};
        let (org, mut job) = org_with_job(&store, "k0").await;
        let mut ids = Vec::new();
        for i in 0..6 {
            job.idempotency_key = format!("k{i}");
            if let Inserted::New(id) = store
                .insert_job(&job, baton_store::now_ms())
                .await
                .expect("insert")
            {
                ids.push(id);
            }
        }
        let a = store
            .claim_jobs("worker-a", 4, 60_000, baton_store::now_ms())
            .await
            .expect("claim a");
        let b = store
            .claim_jobs("worker-b", 4, 60_000, baton_store::now_ms())
            .await
            .expect("claim b");
        assert_eq!((a.len(), b.len()), (4, 2));
        assert!(
            a.iter().all(|j| b.iter().all(|k| k.id != j.id)),
            "no job claimed twice"
        );
        assert!(
            store
                .claim_jobs("worker-c", 4, 60_000, baton_store::now_ms())
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
                &first.lease().expect("leased"),
                Progress {
                    current_step: 1,
                    state: &serde_json::json!({ "outputs": [1] }),
                },
                60_000,
                baton_store::now_ms(),
            )
            .await
            .expect("checkpoint");
        let err = store
            .checkpoint_job(
                &org,
                &first.id,
                &Lease {
                    owner: "worker-b".into(),
                    token: first.lease_token,
                },
                Progress {
                    current_step: 2,
                    state: &serde_json::json!({}),
                },
                60_000,
                baton_store::now_ms(),
            )
            .await
            .expect_err("stale worker");
        assert!(err.to_string().contains("no longer leased"), "{err}");
        store
            .finish_job(
                &org,
                &first.id,
                &first.lease().expect("leased"),
                JobStatus::Completed,
                None,
                baton_store::now_ms(),
            )
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
                .finish_job(
                    &org,
                    &first.id,
                    &first.lease().expect("leased"),
                    JobStatus::Failed,
                    None,
                    baton_store::now_ms()
                )
                .await
                .is_err()
        );
    }
);

store_test!(
    an_expired_lease_lets_another_worker_resume,
    |store: Store| async move {
        let (org, job) = org_with_job(&store, "k").await;
        store
            .insert_job(&job, baton_store::now_ms())
            .await
            .expect("insert");
        let claimed = store
            .claim_jobs("dead-worker", 1, -1, baton_store::now_ms())
            .await
            .expect("claim with a lease already expired");
        let id = claimed[0].id.clone();
        let resumed = store
            .claim_jobs("worker-2", 1, 60_000, baton_store::now_ms())
            .await
            .expect("reclaim");
        assert_eq!(resumed.len(), 1);
        assert_eq!(resumed[0].id, id);
        assert_eq!(resumed[0].lease_owner.as_deref(), Some("worker-2"));
        let dead = claimed[0].lease().expect("leased");
        let err = store
            .checkpoint_job(
                &org,
                &id,
                &dead,
                Progress {
                    current_step: 1,
                    state: &serde_json::json!({}),
                },
                1000,
                baton_store::now_ms(),
            )
            .await;
        assert!(err.is_err(), "the dead worker's late write is refused");
    }
);

store_test!(
    a_lease_claimed_again_by_its_own_worker_is_fenced,
    |store: Store| async move {
        use baton_store::{Checkpoint, JobStatus, Transition};
        // The worker id is per process: one process that re-claims its own
        // expired job holds two leases with the same owner. Only the newest
        // claim's token may write.
        let (org, job) = org_with_job(&store, "k").await;
        store
            .insert_job(&job, baton_store::now_ms())
            .await
            .expect("insert");
        let t0 = baton_store::now_ms();
        let first = store
            .claim_jobs("proc-1", 1, 1_000, t0)
            .await
            .expect("claim")
            .remove(0);
        let again = store
            .claim_jobs("proc-1", 1, 60_000, t0 + 2_000)
            .await
            .expect("the same process claims its expired job again")
            .remove(0);
        assert_eq!(
            (again.id.clone(), again.lease_owner.as_deref()),
            (first.id.clone(), Some("proc-1"))
        );
        assert!(
            again.lease_token > first.lease_token,
            "each claim bumps the token"
        );
        let old = first.lease().expect("leased");
        let new = again.lease().expect("leased");
        assert_ne!(old, new);

        let state = serde_json::json!({ "by": "first" });
        let err = store
            .checkpoint_job(
                &org,
                &first.id,
                &old,
                Progress {
                    current_step: 1,
                    state: &state,
                },
                60_000,
                t0 + 2_001,
            )
            .await
            .expect_err("the first claim's checkpoint is stale");
        assert!(matches!(err, baton_store::StoreError::Stale(_)), "{err}");
        let finish = |lease: Lease, now: i64| {
            let mut cp = Checkpoint::new(
                org.clone(),
                first.user_id.clone(),
                first.id.clone(),
                lease,
                now,
                Transition::Finish {
                    status: JobStatus::Completed,
                    error: None,
                },
            );
            cp.current_step = 1;
            cp
        };
        let results = store
            .commit(&[finish(old.clone(), t0 + 2_002)])
            .await
            .expect("commit");
        assert!(
            matches!(results[0], Err(baton_store::StoreError::Stale(_))),
            "a group commit in the first claim's name is refused too: {:?}",
            results[0]
        );
        assert!(
            store
                .extend_lease(&org, &first.id, &old, 60_000, t0 + 2_003)
                .await
                .is_err(),
            "nor may its heartbeat revive it"
        );
        let results = store
            .commit(&[finish(new, t0 + 2_004)])
            .await
            .expect("commit");
        assert!(
            results[0].is_ok(),
            "the newest claim commits: {:?}",
            results[0]
        );
        let done = store
            .job(&org, &first.id)
            .await
            .expect("get")
            .expect("found");
        assert_eq!((done.status, done.current_step), (JobStatus::Completed, 1));
    }
);

store_test!(
    an_expired_lease_writes_nothing_even_unclaimed,
    |store: Store| async move {
        use baton_store::{Checkpoint, Transition};
        let (org, job) = org_with_job(&store, "k").await;
        store
            .insert_job(&job, baton_store::now_ms())
            .await
            .expect("insert");
        let t0 = baton_store::now_ms();
        let claimed = store
            .claim_jobs("slow-worker", 1, 1_000, t0)
            .await
            .expect("claim")
            .remove(0);
        let lease = claimed.lease().expect("leased");
        // Nobody has claimed the job again; its lease ran out at t0 + 1000.
        let late = t0 + 1_001;
        assert!(
            store
                .extend_lease(&org, &claimed.id, &lease, 60_000, late)
                .await
                .is_err(),
            "a heartbeat after the lease ran out is refused"
        );
        assert!(
            store
                .checkpoint_job(
                    &org,
                    &claimed.id,
                    &lease,
                    Progress {
                        current_step: 1,
                        state: &serde_json::json!({})
                    },
                    60_000,
                    late
                )
                .await
                .is_err(),
            "so is a checkpoint"
        );
        let mut cp = Checkpoint::new(
            org.clone(),
            claimed.user_id.clone(),
            claimed.id.clone(),
            lease.clone(),
            late,
            Transition::Continue { lease_ms: 60_000 },
        );
        cp.current_step = 1;
        let results = store.commit(&[cp]).await.expect("commit");
        assert!(
            matches!(results[0], Err(baton_store::StoreError::Stale(_))),
            "and a group commit: {:?}",
            results[0]
        );
        let job = store
            .job(&org, &claimed.id)
            .await
            .expect("get")
            .expect("found");
        assert_eq!(job.current_step, 0, "nothing was written");
        // Within the lease, the same writes take.
        store
            .extend_lease(&org, &claimed.id, &lease, 60_000, t0 + 999)
            .await
            .expect("a heartbeat in time extends the lease");
        store
            .checkpoint_job(
                &org,
                &claimed.id,
                &lease,
                Progress {
                    current_step: 1,
                    state: &serde_json::json!({}),
                },
                60_000,
                late,
            )
            .await
            .expect("now the checkpoint takes");
    }
);
