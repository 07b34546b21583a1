//! Group commits: one bad checkpoint fails alone while the rest of its
//! group is written, and text a skill wrote with NUL in it is stored.

use baton_engine::orchestrator::commit::commit_group;
use baton_engine::store::{Checkpoint, Inserted, JobStatus, NewJob, Store, Transition};
use baton_testkit::fixtures::new_job;
use baton_testkit::store_test;
use serde_json::json;

/// Two jobs, each claimed by `worker`, for a group commit.
async fn two_claimed_jobs(store: &Store) -> Vec<baton_engine::store::Job> {
    let (org, rep) = baton_testkit::fixtures::org_and_rep(store).await;
    for key in ["k-good", "k-bad"] {
        let job = new_job(&org, &rep, key, json!({ "meeting_id": key }), Vec::new());
        assert!(matches!(
            store
                .insert_job(&job, baton_engine::store::now_ms())
                .await
                .expect("insert"),
            Inserted::New(_)
        ));
    }
    store
        .claim_jobs("worker", 2, 60_000, baton_engine::store::now_ms())
        .await
        .expect("claim")
}

store_test!(
    one_bad_checkpoint_fails_alone_in_its_group,
    |store: Store| async move {
        let jobs = two_claimed_jobs(&store).await;
        assert_eq!(jobs.len(), 2);
        let now = baton_engine::store::now_ms();
        let finish = |job: &baton_engine::store::Job| {
            let mut cp = Checkpoint::new(
                job.org_id.clone(),
                job.user_id.clone(),
                job.id.clone(),
                job.lease().expect("leased"),
                now,
                Transition::Finish {
                    status: JobStatus::Completed,
                    error: None,
                },
            );
            cp.state = json!({ "steps": [] });
            cp
        };
        let good = finish(&jobs[0]);
        // A row the database refuses: a child job for a user that does not exist.
        let mut bad = finish(&jobs[1]);
        bad.children.push(NewJob {
            org_id: jobs[1].org_id.clone(),
            user_id: baton_engine::store::UserId("no-such-user".into()),
            event_type: "proposal_generation".into(),
            event_source: "follow_up".into(),
            idempotency_key: "child".into(),
            parent_job_id: Some(jobs[1].id.clone()),
            chain_depth: 1,
            payload: json!({}),
            sequence_name: "proposal_generation".into(),
            sequence_hash: "h".into(),
            sequence_version: None,
            scheduled_at: now,
            rows: Vec::new(),
        });
        let results = commit_group(&store, &[good, bad]).await;
        assert!(
            results[0].is_ok(),
            "the good checkpoint took: {:?}",
            results[0]
        );
        let err = results[1].as_ref().expect_err("the bad one failed");
        assert_eq!(
            err.verdict(),
            baton_engine::verdict::Verdict::Stop,
            "with its own reason, not a group's: {err}"
        );
        let good = store
            .job(&jobs[0].org_id, &jobs[0].id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(good.status, JobStatus::Completed);
        let bad = store
            .job(&jobs[1].org_id, &jobs[1].id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(bad.status, JobStatus::Running, "nothing of it was written");
    }
);

store_test!(
    text_a_skill_wrote_with_nul_is_stored,
    |store: Store| async move {
        let jobs = two_claimed_jobs(&store).await;
        let job = &jobs[0];
        let mut cp = Checkpoint::new(
            job.org_id.clone(),
            job.user_id.clone(),
            job.id.clone(),
            job.lease().expect("leased"),
            baton_engine::store::now_ms(),
            Transition::Finish {
                status: JobStatus::Failed,
                error: Some("skill said \u{0}no".into()),
            },
        );
        cp.gates.push(baton_engine::store::NewPendingAction {
            step_index: 0,
            step_name: "draft".into(),
            gate_key: "g".into(),
            kind: baton_engine::store::GateKind::Step,
            pattern: baton_engine::store::Pattern::Confirm,
            title: "Q4\u{0} review".into(),
            body: json!({ "data": "a\u{0}b" }),
            options: vec![],
            expires_at: i64::MAX,
            on_expiry: baton_engine::store::OnExpiry::Skip,
            basis: None,
        });
        let results = commit_group(&store, &[cp]).await;
        assert!(results[0].is_ok(), "{:?}", results[0]);
        let gates = store
            .job_actions(&job.org_id, &job.id)
            .await
            .expect("gates");
        assert_eq!(gates[0].title, "Q4\u{FFFD} review");
        assert_eq!(
            gates[0].body["data"], "a\u{0}b",
            "JSON keeps its text as it was"
        );
        let stored = store
            .job(&job.org_id, &job.id)
            .await
            .expect("get")
            .expect("job");
        assert_eq!(stored.error.as_deref(), Some("skill said \u{FFFD}no"));
    }
);
