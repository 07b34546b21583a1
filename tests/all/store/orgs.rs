//! Orgs, users, preferences and features; opening a store (a bad URL is
//! refused with a reason, a SQLite path is created and reopened).

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
