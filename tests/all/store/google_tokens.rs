//! Google access tokens through `Accounts`, against the loopback Google:
//! an expired token is refreshed (and the new one stored sealed); a revoked
//! refresh token marks the account for reconnecting and is not tried again.

use baton::accounts::{AccountError, Accounts, OAuthApp, Provider, Vault};
use baton::store::{NewAccount, Store};
use baton_tests::GooglePeer;
use baton_tests::google::{CLIENT_ID, CLIENT_SECRET};
use baton_tests::store_test;
use serde_json::json;

store_test!(
    expired_tokens_refresh_and_revoked_ones_ask_to_reconnect,
    |store: Store| async move {
        let google = GooglePeer::start();
        let oauth = OAuthApp::new(
            Provider::Google,
            CLIENT_ID,
            CLIENT_SECRET,
            &format!("{}/o/oauth2/v2/auth", google.url),
            &format!("{}/token", google.url),
            "http://127.0.0.1:1/oauth/google/callback",
        )
        .expect("client");
        let vault = Vault::from_key(&Vault::new_key()).expect("key");
        let accounts = Accounts::new(store.clone(), Some(vault.clone()), Some(oauth));
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana Rep", "dana@acme.test", "rep")
            .await
            .expect("user");
        let (old, refresh) = {
            let mut g = google.state();
            (
                g.issue_access("dana@acme.test"),
                g.issue_refresh("dana@acme.test"),
            )
        };
        let new = NewAccount {
            org_id: &org,
            user_id: Some(&rep),
            provider: "google",
            address: "dana@acme.test",
            scopes: "email",
            settings: &json!({}),
            // Already expired: the next use refreshes.
            token_expires_at: Some(0),
        };
        let account = store
            .connect_account(
                &new,
                |id| {
                    vault.seal_json(
                        id,
                        &json!({ "access_token": old, "refresh_token": refresh }),
                    )
                },
                0,
            )
            .await
            .expect("connect")
            .expect("the address is no other rep's");
        let fresh = accounts.access_token(&account).await.expect("refreshed");
        assert_ne!(fresh, old);
        assert_eq!(google.state().token_requests, vec!["refresh_token"]);
        let stored = store
            .account(&org, &account.id)
            .await
            .expect("read")
            .expect("there");
        assert!(stored.token_expires_at.is_some_and(|t| t > 0));
        assert_eq!(
            accounts.secret(&stored).expect("opens")["access_token"],
            json!(fresh)
        );
        assert_eq!(
            accounts.secret(&stored).expect("opens")["refresh_token"],
            json!(refresh),
            "kept"
        );
        // Still fresh: no second refresh.
        assert_eq!(accounts.access_token(&stored).await.expect("token"), fresh);
        assert_eq!(google.state().token_requests.len(), 1);

        google.state().revoke("dana@acme.test");
        match accounts.refresh(&stored).await {
            Err(AccountError::Reconnect { detail, .. }) => {
                assert!(detail.contains("revoked"), "{detail}")
            }
            other => panic!("expected reconnect, got {other:?}"),
        }
        let marked = store
            .account(&org, &account.id)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(marked.status, "reconnect");
        assert!(matches!(
            accounts.access_token(&marked).await,
            Err(AccountError::Reconnect { .. })
        ));
        assert_eq!(
            google.state().token_requests.len(),
            2,
            "a marked account is not tried again"
        );
    }
);
