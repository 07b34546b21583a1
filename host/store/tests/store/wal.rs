//! SQLite's write-ahead log is copied into the database file by the
//! store's own task, never inside a commit (`host/store/src/wal.rs`).

use baton_store::{NewRelease, Pool};
use baton_testkit::{PATIENCE, TestDb, until};

#[tokio::test]
async fn no_commit_copies_the_log_and_the_store_copies_a_large_one_beside_them() {
    let db = TestDb::sqlite_with(&[]).await;
    let Pool::Sqlite(pool) = db.store.pool() else {
        panic!("a SQLite store");
    };
    // Every connection leaves checkpoints to the store: SQLite's default
    // (1,000 pages) would copy the log inside the commit below.
    for _ in 0..3 {
        let (pages,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
            .fetch_one(pool)
            .await
            .expect("pragma");
        assert_eq!(pages, 0, "a connection checkpoints inside its commits");
    }

    // A component of 8 MiB (2,048 pages), as a new database records its
    // skill files.
    let bytes: Vec<u8> = (0..8u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let release = NewRelease {
        name: "big",
        component: Some(("1.0.0", "b1", &bytes)),
        source: "folder",
    };
    db.store
        .record_releases(&[release], 0)
        .await
        .expect("record");

    let file = std::path::Path::new(&db.url);
    until(
        "the log copied into the database file",
        PATIENCE,
        async || std::fs::metadata(file).is_ok_and(|m| m.len() >= bytes.len() as u64),
    )
    .await;
    let stored = db.store.skill_component("b1").await.expect("read");
    assert_eq!(stored.as_deref(), Some(&bytes[..]));
    db.finish().await;
}
