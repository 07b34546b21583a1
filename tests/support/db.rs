//! A fresh database per test with the product's migrations: the engine's
//! and every app's composed into `baton` (what `baton serve` opens), on
//! `baton-testkit`'s databases. The macros run a test once per backend.

use baton::store::{Backend, Migrations};
use std::ops::Deref;

/// A fresh database migrated as the product migrates it (the testkit's
/// [`baton_testkit::TestDb`] with every composed app's migrations).
pub struct TestDb(baton_testkit::TestDb);

/// The migrations of every app composed into `baton`.
fn apps() -> Vec<Migrations> {
    baton::sales::extensions()
        .iter()
        .filter_map(|e| e.migrations())
        .collect()
}

impl TestDb {
    /// A new database on `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        TestDb(baton_testkit::TestDb::with(backend, &apps()).await)
    }

    /// A new SQLite file.
    pub async fn sqlite() -> TestDb {
        TestDb(baton_testkit::TestDb::sqlite_with(&apps()).await)
    }

    /// A new Postgres database.
    pub async fn postgres() -> TestDb {
        TestDb(baton_testkit::TestDb::postgres_with(&apps()).await)
    }

    /// Whether the tests' Postgres server answers.
    pub async fn postgres_reachable() -> Result<(), baton_testkit::NoPostgres> {
        baton_testkit::TestDb::postgres_reachable().await
    }

    /// Close the store and drop a Postgres database.
    pub async fn finish(self) {
        self.0.finish().await;
    }
}

impl Deref for TestDb {
    type Target = baton_testkit::TestDb;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A storage test run once on SQLite and once on Postgres, on the
/// product's tables: `store_test!(name, |store| async move { … });`
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        $crate::kit_store_test!(@on $crate::TestDb, $name, $body);
    };
}

/// Run `$body(&Server)` against a `baton serve` made by
/// [`server::start`](crate::server::start) with `$setup`, on SQLite and
/// again on Postgres.
#[macro_export]
macro_rules! service_test {
    ($name:ident, $setup:expr, $body:expr) => {
        $crate::backend_test!($name, |backend| async move {
            let db = $crate::TestDb::new(backend).await;
            let s = $crate::server::start(db.store.clone(), $setup).await;
            ($body)(&s).await;
            s.stop().await;
            db.finish().await;
        });
    };
}
