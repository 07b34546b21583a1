//! `baton import`: the demo data lands on both backends, re-importing adds
//! nothing, and a bad document writes nothing and says why; on the
//! imported org, `baton digest` and `baton campaigns` ask for what the
//! schedule fires.

use baton::orchestrator::import::{ImportDoc, import};
use baton::store::CrmTables;
use baton::store::Store;
use baton_tests::{baton, root, store_test};

fn demo_doc() -> ImportDoc {
    let text =
        std::fs::read_to_string(root().join("examples/demo.json")).expect("examples/demo.json");
    serde_json::from_str(&text).expect("demo.json parses")
}

store_test!(
    demo_data_imports_once_however_often_it_runs,
    |store: Store| async move {
        let first = import(&store, &demo_doc(), baton::store::now_ms())
            .await
            .expect("import");
        assert_eq!((first.users, first.deals, first.activities), (3, 6, 10));
        import(&store, &demo_doc(), baton::store::now_ms())
            .await
            .expect("import again");

        let org = store
            .org_by_slug("demo")
            .await
            .expect("query")
            .expect("demo org");
        assert_eq!(org.profile["icp"]["industries"][0], "logistics");
        assert_eq!(
            store
                .feature(&org.id, "meeting_ended")
                .await
                .expect("feature"),
            Some(true)
        );
        let rep1 = store
            .user_by_handle(&org.id, "rep1")
            .await
            .expect("query")
            .expect("rep1");
        let rep2 = store
            .user_by_handle(&org.id, "rep2")
            .await
            .expect("query")
            .expect("rep2");
        let (p1, p2) = (
            store.preferences(&org.id, &rep1.id).await.expect("prefs"),
            store.preferences(&org.id, &rep2.id).await.expect("prefs"),
        );
        assert_eq!(
            (p1.timezone.as_str(), p2.timezone.as_str()),
            ("America/New_York", "Europe/London")
        );
        assert_eq!(
            store
                .deals_of(&org.id, &rep1.id)
                .await
                .expect("deals")
                .len(),
            4,
            "no duplicate deals"
        );
        // Quiet since before 6 November, stalest first: Meridian (June),
        // Halden (August), Ostrava (September), Harbour Freight (mid-October),
        // Northwind (3 November); Cobalt met on the 18th.
        let cutoff = "2026-11-06T00:00:00Z"
            .parse::<jiff::Timestamp>()
            .expect("time")
            .as_millisecond();
        let stale = store.stale_deals(&org.id, cutoff, 10).await.expect("stale");
        let names: Vec<_> = stale.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Meridian Parcel renewals pilot",
                "Halden cold-chain renewals",
                "Ostrava forecast add-on",
                "Harbour Freight forecast add-on",
                "Northwind renewals rollout"
            ]
        );
    }
);

#[test]
fn the_cli_imports_into_a_fresh_sqlite_file_and_refuses_bad_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("baton.db").display().to_string();
    let demo = root().join("examples/demo.json").display().to_string();
    let r = baton(["import", &demo, "--database", &db, "--json"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["deals"], 6);

    let cases = [
        (
            r#"{"org": {"slug": "x", "name": "X"}, "deals": [{"name": "d", "stage": "s", "owner": "ghost"}]}"#,
            "deals[0]: unknown owner `ghost`",
        ),
        (
            r#"{"org": {"slug": "x", "name": "X"}, "users": [{"handle": "a", "name": "A", "email": "a@x.test", "preferences": {"timezone": "Mars/Olympus"}}]}"#,
            "unknown time zone `Mars/Olympus`",
        ),
        (
            r#"{"org": {"slug": "x", "name": "X"}, "activities": [{"kind": "call", "summary": "s", "occurred_at": "yesterday"}]}"#,
            "activities[0].occurred_at",
        ),
        // A preference nobody keeps is named with every field there is,
        // the sales app's too.
        (
            r#"{"org": {"slug": "x", "name": "X"}, "users": [{"handle": "a", "name": "A", "email": "a@x.test", "preferences": {"colour": "red"}}]}"#,
            "unknown field `colour`, expected one of `daily_send_cap`",
        ),
        (
            r#"{"org": {"slug": "x", "name": "X"}, "users": [{"handle": "a", "name": "A", "email": "a@x.test", "preferences": {"colour": "red"}}]}"#,
            "`briefing_time_min`",
        ),
        (r#"{"org": {"slug": "Bad Slug", "name": "X"}}"#, "org.slug"),
        (r#"{"org": {"slug": "x"}}"#, "missing field `name`"),
        (
            r#"{"org": {"slug": "x", "name": "X"}, "colour": "blue"}"#,
            "unknown field `colour`",
        ),
    ];
    for (i, (text, reason)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad{i}.json"));
        std::fs::write(&file, text).expect("write");
        let r = baton(["import", &file.display().to_string(), "--database", &db]);
        assert_eq!(r.code, 2, "{text}: {r:#?}");
        assert!(r.stderr.contains(reason), "{text}: {r:#?}");
    }
    // Nothing of the refused documents was written.
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let store = rt.block_on(baton::store::open(&db)).expect("open");
    assert!(
        rt.block_on(store.org_by_slug("x"))
            .expect("query")
            .is_none()
    );

    let r = baton(["import", &demo, "--database", "mysql://nowhere/db"]);
    assert_eq!(r.code, 2, "{r:#?}");
    let r = baton(["import", "/no/such.json", "--database", &db]);
    assert_eq!(r.code, 2, "{r:#?}");
}

store_test!(
    a_reimport_changes_only_the_preferences_it_names,
    |store: Store| async move {
        import(&store, &demo_doc(), baton::store::now_ms())
            .await
            .expect("import");
        let org = store.org_by_slug("demo").await.expect("q").expect("org");
        let rep1 = store
            .user_by_handle(&org.id, "rep1")
            .await
            .expect("q")
            .expect("rep1");
        // The operator sets the rep's Slack channel and id after the import.
        let mut prefs = store.preferences(&org.id, &rep1.id).await.expect("prefs");
        prefs.slack_channel = Some("D-JORDAN".into());
        prefs.slack_user_id = Some("U0JORDAN".into());
        store
            .set_preferences(&org.id, &rep1.id, &prefs)
            .await
            .expect("set");
        // The same document again, which names neither, keeps both; a
        // field it names changes.
        let mut doc: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("examples/demo.json")).expect("demo"),
        )
        .expect("json");
        doc["users"][0]["preferences"]["daily_send_cap"] = serde_json::json!(12);
        let doc: ImportDoc = serde_json::from_value(doc).expect("doc");
        import(&store, &doc, baton::store::now_ms())
            .await
            .expect("import again");
        let after = store.preferences(&org.id, &rep1.id).await.expect("prefs");
        assert_eq!(after.slack_channel.as_deref(), Some("D-JORDAN"));
        assert_eq!(after.slack_user_id.as_deref(), Some("U0JORDAN"));
        assert_eq!(after.daily_send_cap, 12);
        assert_eq!(after.timezone, "America/New_York");
    }
);

store_test!(
    reporting_lines_import_and_bad_ones_write_nothing,
    |store: Store| async move {
        import(&store, &demo_doc(), baton::store::now_ms())
            .await
            .expect("import");
        let org = store.org_by_slug("demo").await.expect("q").expect("org");
        let users = store.users(&org.id).await.expect("users");
        let id = |h: &str| users.iter().find(|u| u.handle == h).expect(h).id.clone();
        let manager = |h: &str| {
            users
                .iter()
                .find(|u| u.handle == h)
                .expect(h)
                .manager_id
                .clone()
        };
        assert_eq!(manager("rep1"), Some(id("manager1")));
        assert_eq!(manager("rep2"), Some(id("manager1")));
        assert_eq!(manager("manager1"), None);
        let team = baton::store::Reach::Team(id("manager1"));
        assert!(store.reaches(&org.id, &team, &id("rep1")).await.expect("q"));
        let alone = baton::store::Reach::Team(id("rep1"));
        assert!(
            !store
                .reaches(&org.id, &alone, &id("rep2"))
                .await
                .expect("q")
        );

        let text = std::fs::read_to_string(root().join("examples/demo.json")).expect("demo");
        // (user, the manager it is given, what the refusal says)
        let cases = [
            (2, "rep1", "circle"),
            (0, "rep1", "themself"),
            (0, "nobody", "unknown user `nobody`"),
        ];
        for (user, manager, says) in cases {
            let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
            doc["org"]["name"] = serde_json::json!("Renamed Ltd");
            doc["users"][user]["manager"] = serde_json::json!(manager);
            let doc = serde_json::from_value::<ImportDoc>(doc).expect("doc");
            let e = import(&store, &doc, baton::store::now_ms())
                .await
                .expect_err("refused");
            assert!(e.to_string().contains(says), "{e}");
        }
        // Nothing of the refused documents was written.
        let kept = store.org_by_slug("demo").await.expect("q").expect("org");
        assert_eq!(kept.name, org.name, "the org was not renamed");
        // `null` takes a line away; leaving it out keeps it.
        let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        doc["users"][0]["manager"] = serde_json::Value::Null;
        doc["users"][1]
            .as_object_mut()
            .expect("rep2")
            .remove("manager");
        import(
            &store,
            &serde_json::from_value(doc).expect("doc"),
            baton::store::now_ms(),
        )
        .await
        .expect("import");
        let users = store.users(&org.id).await.expect("users");
        let now = |h: &str| {
            users
                .iter()
                .find(|u| u.handle == h)
                .expect(h)
                .manager_id
                .clone()
        };
        assert_eq!(now("rep1"), None);
        assert_eq!(now("rep2"), Some(id("manager1")));
    }
);

/// Issue 43: `baton digest` and `baton campaigns` ask now for what the
/// schedule fires, and name what they cannot do.
#[test]
fn the_cli_asks_for_a_digest_now_and_names_an_org_it_cannot_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("baton.db").display().to_string();
    let demo = root().join("examples/demo.json").display().to_string();
    let r = baton(["import", &demo, "--database", &db]);
    assert_eq!(r.code, 0, "{r:#?}");
    let r = baton(["digest", "--user", "rep1", "--database", &db, "--json"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["event_type"], "coaching_digest", "{r:#?}");
    let r = baton(["digest", "--user", "ghost", "--database", &db]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("no user `ghost`"), "{r:#?}");
    // The demo org has no campaign provider: exit 2, saying so.
    let r = baton(["campaigns", "--database", &db]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("no campaign provider"), "{r:#?}");
}
