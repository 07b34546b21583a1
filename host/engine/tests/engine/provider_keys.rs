//! Which provider key a request gets: only one kept for its origin, the
//! longest path prefix that holds its path, the org's own before the
//! operator's (issue 38: keys were matched by host alone).

use baton_engine::accounts::keys::target;
use baton_engine::store::Store;
use baton_testkit::store_test;

store_test!(
    a_key_goes_only_to_its_origin_and_path,
    |store: Store| async move {
        let org = store
            .upsert_org("acme", "Acme", &serde_json::json!({}))
            .await
            .expect("org");
        let keep = |org: Option<&baton_engine::store::OrgId>, name: &str, to: &str| {
            let (store, name) = (store.clone(), name.to_owned());
            let (org, to) = (org.cloned(), target(to).expect("target"));
            async move {
                store
                    .set_provider_key(
                        org.as_ref(),
                        &name,
                        &to,
                        "X-Key",
                        |_| format!("sealed-{name}"),
                        0,
                    )
                    .await
                    .expect("keep")
            }
        };
        keep(None, "operator", "https://api.example.com").await;
        keep(Some(&org), "v2", "https://api.example.com/v2").await;
        keep(None, "loopback", "http://127.0.0.1:18790").await;
        let name = |origin: &'static str, path: &'static str| {
            let (store, org) = (store.clone(), org.clone());
            async move {
                store
                    .provider_key_for(&org, origin, path)
                    .await
                    .expect("read")
                    .map(|k| k.name)
            }
        };
        assert_eq!(
            name("https://api.example.com:443", "/v1/x")
                .await
                .as_deref(),
            Some("operator")
        );
        assert_eq!(
            name("https://api.example.com:443", "/v2/x")
                .await
                .as_deref(),
            Some("v2")
        );
        assert_eq!(
            name("https://api.example.com:443", "/v2").await.as_deref(),
            Some("v2")
        );
        assert_eq!(
            name("https://api.example.com:443", "/v2x").await.as_deref(),
            Some("operator"),
            "a prefix holds whole segments"
        );
        assert_eq!(name("http://api.example.com:80", "/v1").await, None);
        assert_eq!(name("https://api.example.com:8443", "/v1").await, None);
        assert_eq!(
            name("http://127.0.0.1:18790", "/").await.as_deref(),
            Some("loopback")
        );
        assert_eq!(
            name("http://127.0.0.1:18782", "/").await,
            None,
            "another port"
        );
    }
);
