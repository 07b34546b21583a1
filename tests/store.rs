//! Storage, on SQLite and on Postgres alike (`store_test!` runs each test on
//! both).

use baton::store::{Backend, Preferences, Store};
use baton_tests::store_test;

store_test!(orgs_and_users_round_trip, |store: Store| async move {
    let profile = serde_json::json!({ "icp": "logistics", "products": ["renewals"] });
    let org = store
        .upsert_org("acme", "Acme Ltd", &profile)
        .await
        .expect("org");
    let again = store
        .upsert_org("acme", "Acme Limited", &profile)
        .await
        .expect("org again");
    assert_eq!(org, again, "upsert keeps the id");
    let found = store
        .org_by_slug("acme")
        .await
        .expect("query")
        .expect("found");
    assert_eq!(
        (found.name.as_str(), &found.profile),
        ("Acme Limited", &profile)
    );
    assert!(store.org_by_slug("nope").await.expect("query").is_none());

    let rep = store
        .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
        .await
        .expect("user");
    let user = store
        .user_by_handle(&org, "rep1")
        .await
        .expect("query")
        .expect("found");
    assert_eq!(user.id, rep);
    assert_eq!(user.email, "dana@acme.test");
});

store_test!(users_are_scoped_to_their_org, |store: Store| async move {
    let a = store
        .upsert_org("a", "A", &serde_json::json!({}))
        .await
        .expect("org a");
    let b = store
        .upsert_org("b", "B", &serde_json::json!({}))
        .await
        .expect("org b");
    store
        .upsert_user(&a, "rep1", "A rep", "rep@a.test", "rep")
        .await
        .expect("user");
    assert!(
        store
            .user_by_handle(&b, "rep1")
            .await
            .expect("query")
            .is_none()
    );
    let b_rep = store
        .upsert_user(&b, "rep1", "B rep", "rep@b.test", "rep")
        .await
        .expect("user");
    let a_rep = store
        .user_by_handle(&a, "rep1")
        .await
        .expect("query")
        .expect("a rep");
    assert_ne!(a_rep.id, b_rep);
});

store_test!(preferences_default_then_stick, |store: Store| async move {
    let org = store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep2", "Ravi", "ravi@acme.test", "rep")
        .await
        .expect("user");
    assert_eq!(
        store.preferences(&org, &rep).await.expect("defaults"),
        Preferences::default()
    );
    let prefs = Preferences {
        timezone: "Asia/Kolkata".into(),
        quiet_start_min: Some(21 * 60),
        quiet_end_min: Some(7 * 60),
        daily_send_cap: 20,
        ..Preferences::default()
    };
    store
        .set_preferences(&org, &rep, &prefs)
        .await
        .expect("set");
    assert_eq!(store.preferences(&org, &rep).await.expect("get"), prefs);
});

store_test!(features_toggle_per_org, |store: Store| async move {
    let org = store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    assert_eq!(
        store.feature(&org, "morning_brief").await.expect("get"),
        None
    );
    store
        .set_feature(&org, "morning_brief", false)
        .await
        .expect("set");
    assert_eq!(
        store.feature(&org, "morning_brief").await.expect("get"),
        Some(false)
    );
    store
        .set_feature(&org, "morning_brief", true)
        .await
        .expect("set");
    assert_eq!(
        store.feature(&org, "morning_brief").await.expect("get"),
        Some(true)
    );
});

#[tokio::test]
async fn bad_database_urls_are_refused_with_a_reason() {
    let err = Store::open("mysql://localhost/db")
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("mysql://localhost/db"), "{err}");
}

#[tokio::test]
async fn a_sqlite_path_is_created_and_reopened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested.db").display().to_string();
    let store = Store::open(&path).await.expect("create");
    assert_eq!(store.backend(), Backend::Sqlite);
    store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    store.close().await;
    let reopened = Store::open(&path)
        .await
        .expect("reopen migrates idempotently");
    assert!(reopened.org_by_slug("acme").await.expect("query").is_some());
}

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

store_test!(
    stale_deals_come_from_activity_history,
    |store: Store| async move {
        use baton::store::NewDeal;
        let org = store
            .upsert_org("acme", "Acme", &serde_json::json!({}))
            .await
            .expect("org");
        let other = store
            .upsert_org("other", "Other", &serde_json::json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana", "dana@acme.test", "rep")
            .await
            .expect("user");
        let company = store
            .upsert_company(
                &org,
                "Northwind",
                Some("northwind.test"),
                Some("logistics"),
                Some(250),
            )
            .await
            .expect("company");
        let again = store
            .upsert_company(&org, "Northwind", None, None, None)
            .await
            .expect("company again");
        assert_eq!(company, again, "companies are keyed by name within the org");
        let contact = store
            .upsert_contact(
                &org,
                Some(&company),
                "Marta Ruiz",
                "marta@northwind.test",
                Some("Head of Ops"),
            )
            .await
            .expect("contact");
        assert_eq!(
            store
                .contact(&org, &contact)
                .await
                .expect("get")
                .expect("found")
                .name,
            "Marta Ruiz"
        );
        assert!(
            store
                .contact(&other, &contact)
                .await
                .expect("get")
                .is_none(),
            "scoped to its org"
        );

        let deal = |name, stage| NewDeal {
            company_id: Some(&company),
            contact_id: Some(&contact),
            owner: Some(&rep),
            name,
            stage,
            amount_cents: Some(4_800_000),
            currency: "USD",
            close_date: Some("2027-03-31"),
        };
        let quiet = store
            .insert_deal(&org, &deal("Quiet renewal", "proposal"))
            .await
            .expect("deal");
        let busy = store
            .insert_deal(&org, &deal("Busy expansion", "negotiation"))
            .await
            .expect("deal");
        let never = store
            .insert_deal(&org, &deal("Never touched", "discovery"))
            .await
            .expect("deal");
        let won = store
            .insert_deal(&org, &deal("Already won", "closed_won"))
            .await
            .expect("deal");
        let day = 86_400_000;
        let now = 100 * day;
        for (d, at) in [
            (&quiet, now - 30 * day),
            (&quiet, now - 20 * day),
            (&busy, now - 40 * day),
            (&busy, now - day),
            (&won, now - 90 * day),
        ] {
            let activity = baton::store::NewActivity {
                deal_id: Some(d),
                contact_id: Some(&contact),
                user: Some(&rep),
                kind: "email",
                summary: "follow-up",
                occurred_at: at,
            };
            store
                .insert_activity(&org, &activity)
                .await
                .expect("activity");
        }
        assert_eq!(store.deals_of(&org, &rep).await.expect("deals").len(), 4);

        let stale = store
            .stale_deals(&org, now - 14 * day, 10)
            .await
            .expect("stale");
        let names: Vec<_> = stale.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Never touched", "Quiet renewal"],
            "never-touched first, then stalest; busy and won excluded"
        );
        assert_eq!(stale[0].id, never);
        assert_eq!(stale[1].last_activity_at, Some(now - 20 * day));
        assert!(
            store
                .stale_deals(&other, now, 10)
                .await
                .expect("stale")
                .is_empty()
        );
    }
);

store_test!(
    a_contact_without_a_named_deal_gets_their_open_deal,
    |store: Store| async move {
        use baton::store::{ContactRef, NewDeal};
        let org = store
            .upsert_org("acme", "Acme", &serde_json::json!({}))
            .await
            .expect("org");
        let marta = store
            .upsert_contact(&org, None, "Marta Ruiz", "marta@northwind.test", None)
            .await
            .expect("contact");
        let solo = store
            .upsert_contact(&org, None, "Sol Oh", "sol@elsewhere.test", None)
            .await
            .expect("contact");
        for (name, stage) in [
            ("Northwind 2025", "closed_won"),
            ("Northwind rollout", "discovery"),
        ] {
            store
                .insert_deal(
                    &org,
                    &NewDeal {
                        contact_id: Some(&marta),
                        name,
                        stage,
                        currency: "USD",
                        ..NewDeal::default()
                    },
                )
                .await
                .expect("deal");
        }
        let by_email = |email: &'static str| ContactRef {
            contact_email: Some(email),
            ..ContactRef::default()
        };
        let tier = store
            .contact_context(&org, &by_email("MARTA@northwind.test"))
            .await
            .expect("query")
            .expect("known");
        assert_eq!(tier["deal"]["name"], "Northwind rollout", "{tier:#}");
        assert_eq!(tier["deals"].as_array().map(Vec::len), Some(2));
        let named = store
            .contact_context(
                &org,
                &ContactRef {
                    deal_name: Some("Northwind 2025"),
                    ..by_email("marta@northwind.test")
                },
            )
            .await
            .expect("query")
            .expect("known");
        assert_eq!(named["deal"]["name"], "Northwind 2025", "a named deal wins");
        let alone = store
            .contact_context(&org, &by_email("sol@elsewhere.test"))
            .await
            .expect("query")
            .expect("known");
        assert!(alone["deal"].is_null(), "{alone:#}");
        assert_eq!(alone["contact"]["id"], solo.as_str());
    }
);
