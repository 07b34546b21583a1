//! Orgs, users, preferences and features; opening a store (a bad URL is
//! refused with a reason, a SQLite path is created and reopened); the
//! engine's and the sales app's migrations applied as one list.

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
    let err = baton::store::open("mysql://localhost/db")
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("mysql://localhost/db"), "{err}");
}

#[tokio::test]
async fn a_sqlite_path_is_created_and_reopened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested.db").display().to_string();
    let store = baton::store::open(&path).await.expect("create");
    assert_eq!(store.backend(), Backend::Sqlite);
    store
        .upsert_org("acme", "Acme", &serde_json::json!({}))
        .await
        .expect("org");
    store.close().await;
    let reopened = baton::store::open(&path)
        .await
        .expect("reopen migrates idempotently");
    assert!(reopened.org_by_slug("acme").await.expect("query").is_some());
}

/// `(version, description)` of each migration file in `dir`.
fn migration_files(dir: &std::path::Path) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the migrations") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8");
        let stem = name.strip_suffix(".sql").expect("a .sql file");
        let (version, description) = stem.split_once('_').expect("VERSION_DESCRIPTION");
        out.push((
            version.parse().expect("a version"),
            description.replace('_', " "),
        ));
    }
    out
}

// The engine's migrations (`migrations/`) and the sales app's
// (`host/sales/migrations/`, through the seam) apply as one list: the
// database holds each version once, in order, named after its file,
// wherever the file lives, on both backends alike.
store_test!(
    the_engine_and_the_app_migrate_as_one_list,
    |store: Store| async move {
        let root = baton_tests::root();
        let backend = match store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        let engine = migration_files(&root.join("migrations").join(backend));
        let app = migration_files(&root.join("host/sales/migrations").join(backend));
        assert!(!engine.is_empty() && !app.is_empty());
        let mut files: Vec<(i64, String)> = engine.into_iter().chain(app).collect();
        files.sort();
        let applied: Vec<(i64, String)> = baton_store_rows(&store).await;
        assert_eq!(applied, files);
    }
);

async fn baton_store_rows(store: &Store) -> Vec<(i64, String)> {
    let sql = "SELECT version, description FROM _sqlx_migrations ORDER BY version";
    match store.pool() {
        baton::store::Pool::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        baton::store::Pool::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("the applied migrations")
}

// A database the engine alone made (an app composed later) takes the
// app's migrations when the process opens it with them.
#[tokio::test]
async fn an_engine_only_database_takes_the_apps_migrations_later() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("engine.db").display().to_string();
    let engine = Store::open(&path).await.expect("engine only");
    engine.close().await;
    let store = baton::store::open(&path).await.expect("with the app's");
    let applied = baton_store_rows(&store).await;
    assert!(
        applied.iter().any(|(v, d)| *v == 19 && d == "coaching"),
        "{applied:?}"
    );
}
