//! Account leases: three readers share the connected accounts, each held
//! by exactly one; a reader that stops heart-beating loses its accounts to
//! the others within a lease period; and a reader that lost an account can
//! no longer move its cursor or queue its mail.

use baton_engine::accounts::AccountLeases;
use baton_engine::store::{NewAccount, NewJob, OrgId, Store, StoreError, UserId, now_ms};
use baton_testkit::store_test;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

/// `n` active IMAP accounts of one rep: the org, the rep, the accounts' ids.
async fn accounts(store: &Store, n: usize) -> (OrgId, UserId, Vec<String>) {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
        .await
        .expect("user");
    let mut ids = Vec::new();
    for i in 0..n {
        let address = format!("box{i}@acme.test");
        let account = store
            .connect_account(
                &NewAccount {
                    org_id: &org,
                    user_id: Some(&rep),
                    provider: "imap",
                    address: &address,
                    scopes: "",
                    settings: &json!({}),
                    token_expires_at: None,
                },
                |_| "sealed".into(),
                1,
            )
            .await
            .expect("connect")
            .expect("free");
        ids.push(account.id);
    }
    (org, rep, ids)
}

/// What each reader holds, as sets of ids.
fn holdings(readers: &[&AccountLeases]) -> Vec<BTreeSet<String>> {
    readers
        .iter()
        .map(|r| r.held().keys().cloned().collect())
        .collect()
}

/// Every account held by exactly one reader.
fn each_once(ids: &[String], held: &[BTreeSet<String>]) {
    for id in ids {
        let holders = held.iter().filter(|h| h.contains(id)).count();
        assert_eq!(holders, 1, "{id} held by {holders} readers: {held:?}");
    }
}

store_test!(
    three_readers_share_the_accounts_and_take_over_a_dead_ones,
    |store: Store| async move {
        let (_, _, ids) = accounts(&store, 10).await;
        let lease_ms = 900;
        let a = AccountLeases::new(store.clone(), "reader-a", lease_ms);
        let b = AccountLeases::new(store.clone(), "reader-b", lease_ms);
        let c = AccountLeases::new(store.clone(), "reader-c", lease_ms);

        // Alone, a reader takes every account.
        let first = a.tick().await.expect("tick");
        assert_eq!((first.held, first.claimed), (10, 10));
        // Readers joining find nothing free; the first gives back what is
        // over its share, and the newcomers take it.
        for _ in 0..3 {
            for r in [&b, &c, &a] {
                r.tick().await.expect("tick");
            }
        }
        let held = holdings(&[&a, &b, &c]);
        each_once(&ids, &held);
        let sizes: Vec<usize> = held.iter().map(BTreeSet::len).collect();
        assert!(
            sizes.iter().all(|n| (2..=4).contains(n)),
            "shares of 10 over 3 readers: {sizes:?}"
        );

        // Reader a dies (no more heartbeats): once its leases run out, b
        // and c take its accounts over at their next tick, and hold every
        // account between them.
        let a_had = held[0].clone();
        assert!(!a_had.is_empty());
        tokio::time::sleep(Duration::from_millis(lease_ms as u64)).await;
        for _ in 0..2 {
            for r in [&b, &c] {
                r.tick().await.expect("tick");
            }
        }
        let after = holdings(&[&b, &c]);
        each_once(&ids, &after);
        assert!(
            a_had.iter().all(|id| after.iter().any(|h| h.contains(id))),
            "a's accounts taken over: {a_had:?} → {after:?}"
        );

        // A reader that stops cleanly gives its accounts back at once.
        store
            .leave_account_readers("reader-b")
            .await
            .expect("leave");
        c.tick().await.expect("tick");
        assert_eq!(holdings(&[&c])[0].len(), 10);
    }
);

store_test!(
    a_reader_that_lost_an_account_cannot_move_its_cursor,
    |store: Store| async move {
        let (org, rep, ids) = accounts(&store, 1).await;
        let now = now_ms();
        let old = store
            .claim_accounts("reader-a", 5, 1_000, now)
            .await
            .expect("claim")
            .pop()
            .expect("claimed");
        assert_eq!(old.account_id, ids[0]);
        // Held: nobody else can claim it.
        let none = store
            .claim_accounts("reader-b", 5, 1_000, now + 500)
            .await
            .expect("claim");
        assert!(none.is_empty(), "{none:?}");
        store
            .set_sync_cursor(&ids[0], "imap:INBOX", &json!({ "uid": 1 }), Some(&old), now)
            .await
            .expect("the holder writes its cursor");
        store.mark_account_read(&old, now).await.expect("read");

        // Its lease runs out; reader b claims the account under a new token.
        let new = store
            .claim_accounts("reader-b", 5, 1_000, now + 1_001)
            .await
            .expect("claim")
            .pop()
            .expect("taken over");
        assert!(new.token > old.token, "{new:?} after {old:?}");
        assert_eq!(new.read_at, Some(now), "the last read is carried over");

        // The old holder's writes are refused, and nothing of them lands.
        let stale = store
            .set_sync_cursor(&ids[0], "imap:INBOX", &json!({ "uid": 0 }), Some(&old), now)
            .await
            .expect_err("refused");
        assert!(matches!(stale, StoreError::Stale(_)), "{stale}");
        assert!(
            matches!(
                store.mark_account_read(&old, now + 2).await,
                Err(StoreError::Stale(_))
            ),
            "a read by the old holder is not recorded"
        );
        let job = NewJob {
            org_id: org.clone(),
            user_id: rep,
            event_type: "email_received".into(),
            event_source: "mail:imap".into(),
            idempotency_key: "email:<1@acme.test>".into(),
            parent_job_id: None,
            chain_depth: 0,
            payload: json!({}),
            sequence_name: "email_received".into(),
            sequence_hash: "h".into(),
            sequence_version: None,
            scheduled_at: now,
            rows: Vec::new(),
        };
        let refused = store
            .insert_jobs_and_cursor(
                &[&job],
                &ids[0],
                "imap:INBOX",
                &json!({ "uid": 9 }),
                Some(&old),
                now,
            )
            .await
            .expect_err("refused");
        assert!(matches!(refused, StoreError::Stale(_)), "{refused}");
        assert_eq!(
            store
                .sync_cursor(&org, &ids[0], "imap:INBOX")
                .await
                .expect("cursor"),
            Some(json!({ "uid": 1 })),
            "the cursor stays where the holder left it"
        );
        // The new holder's write goes through, with its job.
        let inserted = store
            .insert_jobs_and_cursor(
                &[&job],
                &ids[0],
                "imap:INBOX",
                &json!({ "uid": 9 }),
                Some(&new),
                now,
            )
            .await
            .expect("held");
        assert_eq!(inserted.len(), 1);
        assert_eq!(
            store
                .sync_cursor(&org, &ids[0], "imap:INBOX")
                .await
                .expect("cursor"),
            Some(json!({ "uid": 9 }))
        );
    }
);
