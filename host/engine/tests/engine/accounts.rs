//! Connected accounts: sealed at rest, reconnecting keeps the row (and its
//! cursors), every read is scoped to the org, OAuth states are used once.

use baton_engine::accounts::Vault;
use baton_engine::store::{NewAccount, OAuthState, Store, Taken};
use baton_testkit::store_test;
use serde_json::json;

store_test!(
    accounts_are_sealed_scoped_and_reconnect_in_place,
    |store: Store| async move {
        let vault = Vault::from_key(&Vault::new_key()).expect("key");
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let other = store
            .upsert_org("other", "Other", &json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
            .await
            .expect("user");
        let secret = json!({ "access_token": "ya29.secret", "refresh_token": "1//refresh" });
        let new = NewAccount {
            org_id: &org,
            user_id: Some(&rep),
            provider: "google",
            address: "dana@acme.test",
            scopes: "email https://www.googleapis.com/auth/gmail.readonly",
            settings: &json!({}),
            token_expires_at: Some(1_000),
        };
        let account = store
            .connect_account(&new, |id| vault.seal_json(id, &secret), 10)
            .await
            .expect("connect")
            .expect("the address is no other rep's");
        assert!(!account.secret.contains("ya29"), "stored sealed");
        assert_eq!(
            vault
                .open_json(&account.id, &account.secret)
                .expect("opens"),
            secret
        );
        assert!(account.has_scope("https://www.googleapis.com/auth/gmail.readonly"));
        assert!(!account.has_scope("https://www.googleapis.com/auth/calendar.events"));

        store
            .set_sync_cursor(
                &account.id,
                "gmail",
                &json!({ "history_id": "42" }),
                None,
                11,
            )
            .await
            .expect("cursor");
        store
            .mark_reconnect(&org, &account.id, "Token has been expired or revoked.", 12)
            .await
            .expect("mark");
        let marked = store
            .account(&org, &account.id)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(marked.status, "reconnect");
        assert!(
            store
                .active_accounts("google")
                .await
                .expect("active")
                .is_empty()
        );

        // Connecting the same mailbox again: same row, active, cursor kept.
        let again = store
            .connect_account(
                &new,
                |id| vault.seal_json(id, &json!({ "access_token": "new" })),
                13,
            )
            .await
            .expect("reconnect")
            .expect("the address is no other rep's");
        assert_eq!(again.id, account.id);
        assert_eq!(again.status, "active");
        assert_eq!(again.status_detail, None);
        assert_eq!(
            store
                .sync_cursor(&org, &account.id, "gmail")
                .await
                .expect("cursor"),
            Some(json!({ "history_id": "42" }))
        );
        assert_eq!(
            store.active_accounts("google").await.expect("active").len(),
            1
        );
        assert_eq!(
            store
                .accounts_by_address("google", "DANA@acme.test")
                .await
                .expect("by address")
                .len(),
            1
        );
        assert_eq!(
            store.accounts(&org, Some(&rep)).await.expect("mine").len(),
            1
        );
        assert_eq!(store.accounts(&org, None).await.expect("org's").len(), 1);

        // Another org sees none of it.
        assert!(
            store
                .account(&other, &account.id)
                .await
                .expect("read")
                .is_none()
        );
        assert!(store.accounts(&other, None).await.expect("list").is_empty());
        assert!(
            store
                .sync_cursor(&other, &account.id, "gmail")
                .await
                .expect("cursor")
                .is_none()
        );
        assert!(
            !store
                .delete_account(&other, &account.id, &[])
                .await
                .expect("delete")
        );
        assert!(
            store
                .delete_account(&org, &account.id, &[])
                .await
                .expect("delete")
        );
        assert!(
            store
                .account(&org, &account.id)
                .await
                .expect("read")
                .is_none()
        );
    }
);

store_test!(
    an_oauth_state_is_taken_once_and_not_after_expiry,
    |store: Store| async move {
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
            .await
            .expect("user");
        let state = |expires_at| OAuthState {
            org_id: org.clone(),
            user_id: rep.clone(),
            provider: "google".into(),
            verifier: "sealed".into(),
            scopes: "email".into(),
            expires_at,
        };
        store
            .insert_oauth_state("h1", &state(100), 0)
            .await
            .expect("insert");
        store
            .insert_oauth_state("h2", &state(100), 0)
            .await
            .expect("insert");
        let taken = store
            .take_oauth_state("h1", 50)
            .await
            .expect("take")
            .expect("there");
        assert_eq!(taken.user_id, rep);
        assert!(
            store
                .take_oauth_state("h1", 50)
                .await
                .expect("take")
                .is_none(),
            "used once"
        );
        assert!(
            store
                .take_oauth_state("h2", 101)
                .await
                .expect("take")
                .is_none(),
            "expired"
        );
    }
);

store_test!(
    oauth_states_are_taken_side_by_side_without_a_busy_database,
    |store: Store| async move {
        // Many callbacks at once, each taking its own state: none may fail
        // because another committed meanwhile (on SQLite a transaction that
        // reads before it writes could not upgrade, and answered 503).
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
            .await
            .expect("user");
        let n = 64;
        for i in 0..n {
            let state = OAuthState {
                org_id: org.clone(),
                user_id: rep.clone(),
                provider: "google".into(),
                verifier: "sealed".into(),
                scopes: "email".into(),
                expires_at: 1_000,
            };
            store
                .insert_oauth_state(&format!("s{i}"), &state, 0)
                .await
                .expect("insert");
        }
        let takers: Vec<_> = (0..n)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move { store.take_oauth_state(&format!("s{i}"), 10).await })
            })
            .collect();
        for (i, t) in takers.into_iter().enumerate() {
            let taken = t
                .await
                .expect("task")
                .unwrap_or_else(|e| panic!("s{i}: {e}"));
            assert!(taken.is_some(), "s{i} is taken once, by its own callback");
        }
    }
);

store_test!(
    a_mailbox_belongs_to_one_rep_across_orgs,
    |store: Store| async move {
        let vault = Vault::from_key(&Vault::new_key()).expect("key");
        let acme = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let other = store
            .upsert_org("other", "Other", &json!({}))
            .await
            .expect("org");
        let rep1 = store
            .upsert_user(&acme, "rep1", "Dana Rep", "dana@acme.test", "rep")
            .await
            .expect("user");
        let rep2 = store
            .upsert_user(&acme, "rep2", "Sam Rep", "sam@acme.test", "rep")
            .await
            .expect("user");
        let outsider = store
            .upsert_user(&other, "rep9", "Kit Else", "kit@other.test", "rep")
            .await
            .expect("user");
        let none = json!({});
        let google = |org, user, address| NewAccount {
            org_id: org,
            user_id: Some(user),
            provider: "google",
            address,
            scopes: "email",
            settings: &none,
            token_expires_at: None,
        };
        let seal = |id: &str| vault.seal_json(id, &json!({ "access_token": "t" }));
        let held = store
            .connect_account(&google(&acme, &rep1, "dana@acme.test"), seal, 10)
            .await
            .expect("connect")
            .expect("first");
        // Another rep of the org, in any case of the address: refused,
        // and the holder keeps it.
        let taken = store
            .connect_account(&google(&acme, &rep2, "Dana@ACME.test"), seal, 11)
            .await
            .expect("connect");
        assert_eq!(
            taken.expect_err("another rep's"),
            Taken::InOrg {
                provider: "google".into(),
                id: held.id.clone()
            }
        );
        // A rep of another org: refused too (one push would sync both).
        let taken = store
            .connect_account(&google(&other, &outsider, "dana@acme.test"), seal, 12)
            .await
            .expect("connect");
        assert_eq!(
            taken.expect_err("another org's"),
            Taken::OtherOrg {
                provider: "google".into()
            }
        );
        let kept = store
            .accounts_by_address("google", "dana@acme.test")
            .await
            .expect("by address");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].user_id.as_ref(), Some(&rep1));
        // The holder reconnecting, in another case: the same row.
        let again = store
            .connect_account(&google(&acme, &rep1, "DANA@acme.test"), seal, 13)
            .await
            .expect("connect")
            .expect("the holder's own");
        assert_eq!(again.id, held.id);
        assert_eq!(again.address, "dana@acme.test");
        // An org's own account (HubSpot) is the org's: each org has one.
        for org in [&acme, &other] {
            let hubspot = NewAccount {
                org_id: org,
                user_id: None,
                provider: "hubspot",
                address: "hubspot",
                scopes: "",
                settings: &json!({}),
                token_expires_at: None,
            };
            store
                .connect_account(&hubspot, seal, 14)
                .await
                .expect("connect")
                .expect("each org its own HubSpot");
        }
    }
);

store_test!(
    a_rotation_seals_every_secret_again_under_the_newest_key_and_resumes,
    |store: Store| async move {
        use baton_engine::accounts::rotate::rotate;
        use baton_engine::store::SealedColumn;
        let (old, new) = (Vault::new_key(), Vault::new_key());
        let before = Vault::from_key(&old).expect("old");
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let mut accounts = Vec::new();
        for i in 0..7 {
            let address = format!("rep{i}@acme.test");
            let secret = json!({ "password": format!("pw-{i}") });
            let new_account = NewAccount {
                org_id: &org,
                user_id: None,
                provider: "imap",
                address: &address,
                scopes: "",
                settings: &json!({}),
                token_expires_at: None,
            };
            let seal = |id: &str| {
                let sealed = before.seal_json(id, &secret);
                // One value as sealed before values named their key.
                if i == 3 {
                    sealed.rsplit_once('.').expect("tagged").1.to_owned()
                } else {
                    sealed
                }
            };
            let account = store
                .connect_account(&new_account, seal, 10)
                .await
                .expect("connect")
                .expect("free");
            accounts.push((account.id, secret));
        }
        let key_id = store
            .set_provider_key(
                Some(&org),
                "apollo",
                "https://api.apollo.io:443",
                "X-Api-Key",
                |id| before.seal(id, b"apollo-key"),
                10,
            )
            .await
            .expect("key");

        // A replace whose value moved on meanwhile changes nothing.
        let stale = store
            .replace_sealed(
                SealedColumn::ProviderKey,
                &key_id,
                "not what is stored",
                "x",
            )
            .await
            .expect("replace");
        assert!(!stale, "only the value that was read is replaced");

        let both = Vault::from_key(&format!("{new},{old}")).expect("both");
        let mut batches = 0;
        let done = rotate(&store, &both, 2, |_, _| batches += 1)
            .await
            .expect("rotate");
        assert_eq!(done.resealed, 8, "{done:?}");
        assert_eq!(done.current, 0);
        assert!(done.complete(), "{done:?}");
        assert!(
            batches >= 5,
            "7 accounts in batches of 2, then the key: {batches}"
        );

        // With the old key gone, everything opens; a second pass finds
        // nothing to do.
        let after = Vault::from_key(&new).expect("new");
        for (id, secret) in &accounts {
            let account = store.account(&org, id).await.expect("read").expect("row");
            assert_eq!(
                Vault::sealed_under(&account.secret),
                Some(after.key_id()),
                "{id}"
            );
            assert_eq!(
                &after.open_json(id, &account.secret).expect("opens"),
                secret
            );
        }
        let kept = store
            .provider_key_for(&org, "https://api.apollo.io:443", "/")
            .await
            .expect("read")
            .expect("key");
        assert_eq!(
            after.open(&kept.id, &kept.value).expect("opens"),
            b"apollo-key"
        );
        let again = rotate(&store, &after, 2, |_, _| {}).await.expect("again");
        assert_eq!((again.resealed, again.current), (0, 8), "{again:?}");

        // A key that sealed nothing here opens nothing: each row is named.
        let stranger = Vault::from_key(&Vault::new_key()).expect("stranger");
        let refused = rotate(&store, &stranger, 100, |_, _| {})
            .await
            .expect("pass");
        assert_eq!(refused.unopened.len(), 8, "{refused:?}");
        assert!(!refused.complete());
        assert!(
            refused
                .unopened
                .iter()
                .any(|(c, k, why)| *c == SealedColumn::ProviderKey
                    && *k == key_id
                    && why.contains(after.key_id())),
            "{refused:?}"
        );
    }
);
