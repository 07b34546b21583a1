//! Erasure beside other writers: on SQLite (WAL) a transaction that reads
//! before it writes cannot take the write lock once another connection has
//! committed in between, and fails at once ("database is locked") whatever
//! the busy timeout. An erasure takes the lock first, so one asked for while
//! the service writes (a chain running, the scheduler's retention pass) goes
//! through.

use baton_store::{Content, Erase, Inserted, NewAttachment, Store, Tombstone};
use baton_testkit::fixtures::{new_job, org_and_rep};
use baton_testkit::store_test;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

store_test!(
    an_erasure_beside_other_writers_goes_through,
    |store: Store| async move {
        let (org, rep) = org_and_rep(&store).await;
        const ROUNDS: usize = 30;
        let mut ids = Vec::new();
        for round in 0..ROUNDS {
            let body = json!({ "lines": [format!("round {round} of the words said on the call")] });
            let a = NewAttachment {
                org_id: &org,
                kind: "transcript",
                subject: Some("m-1"),
                body: &body,
            };
            let id = a.id();
            let payload = json!({ "attachment": id, "note": "the words said on the call" });
            let new = new_job(
                &org,
                &rep,
                &format!("call:{round}"),
                payload,
                vec![a.row(0)],
            );
            let Inserted::New(_) = store.insert_job(&new, 0).await.expect("insert") else {
                panic!("round {round}: a new job");
            };
            ids.push(id);
        }

        // Another writer committing as fast as it can meanwhile.
        let stop = Arc::new(AtomicBool::new(false));
        let writer = tokio::spawn({
            let (store, org, rep, stop) = (store.clone(), org.clone(), rep.clone(), stop.clone());
            async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let other = new_job(&org, &rep, &format!("other:{n}"), json!({}), Vec::new());
                    store.insert_job(&other, 0).await.expect("the other writer");
                    n += 1;
                }
                n
            }
        });

        let scrub = |t: &str| {
            t.contains("words said")
                .then(|| t.replace("words said", "[erased]"))
        };
        for id in &ids {
            let jobs = store.job_tree_naming(&org, id).await.expect("jobs");
            assert_eq!(jobs.len(), 1, "{id}");
            let tombstone = Tombstone {
                erased_at: 1,
                erased_by: "dpo".into(),
                why: "asked".into(),
            };
            let done = store
                .erase(&Erase {
                    org: &org,
                    id,
                    jobs: &jobs,
                    columns: &[],
                    scrub: &scrub,
                    tombstone: &tombstone,
                    reason: "erased",
                })
                .await
                .unwrap_or_else(|e| panic!("erasing {id} beside another writer: {e}"));
            assert_eq!(done.cancelled, 1, "{id}: its pending job");
            let held = store
                .attachment(&org, id)
                .await
                .expect("read")
                .expect("row");
            assert!(matches!(held.content, Content::Erased(_)), "{id}");
        }
        stop.store(true, Ordering::Relaxed);
        let written = writer.await.expect("writer");
        assert!(written > 0, "the other writer wrote nothing");
    }
);
