//! A fresh database per test on either backend, and the macros that run a
//! test once on SQLite and once on Postgres. Every database is new (a
//! temporary SQLite file, or a uniquely named Postgres database dropped
//! after), so tests never see each other's rows.

use baton_store::{Backend, Migrations, Store};

/// A fresh, migrated database for one test: a SQLite file in a temporary
/// folder, or a new Postgres database on the local server (dropped after).
/// The engine's migrations, and those of the apps a test composes.
pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with (for the CLI).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

/// The Postgres server the tests use (`BATON_TEST_PG`, default the local one).
fn pg_admin_url() -> String {
    std::env::var("BATON_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The tests' Postgres server did not answer.
#[derive(Debug, thiserror::Error)]
#[error(
    "Postgres at {url} does not answer ({source}); `cargo xtask test` starts it, or set BATON_TEST_PG"
)]
pub struct NoPostgres {
    /// The server's URL (`BATON_TEST_PG`, default the local one).
    pub url: String,
    source: sqlx::Error,
}

/// A connection to the Postgres server's `postgres` database.
async fn pg_admin() -> Result<sqlx::PgConnection, NoPostgres> {
    use sqlx::Connection;
    let url = pg_admin_url();
    sqlx::PgConnection::connect(&url)
        .await
        .map_err(|source| NoPostgres { url, source })
}

impl TestDb {
    /// A new database on `backend`, the engine's tables alone.
    pub async fn new(backend: Backend) -> TestDb {
        TestDb::with(backend, &[]).await
    }

    /// A new database on `backend` with the engine's tables and `apps'`.
    pub async fn with(backend: Backend, apps: &[Migrations]) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite_with(apps).await,
            Backend::Postgres => TestDb::postgres_with(apps).await,
        }
    }

    /// A new SQLite file with the engine's tables and `apps'`.
    pub async fn sqlite_with(apps: &[Migrations]) -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("baton.db");
        let store = Store::open_with(&path.display().to_string(), apps)
            .await
            .expect("open sqlite");
        TestDb {
            store,
            url: path.display().to_string(),
            _dir: Some(dir),
            pg_name: None,
        }
    }

    /// Whether the tests' Postgres server answers: a run that can go
    /// without it (the load run) says why not and skips it.
    pub async fn postgres_reachable() -> Result<(), NoPostgres> {
        use sqlx::Connection;
        let conn = pg_admin().await?;
        let _ = conn.close().await;
        Ok(())
    }

    /// A new Postgres database with the engine's tables and `apps'`.
    pub async fn postgres_with(apps: &[Migrations]) -> TestDb {
        let admin = pg_admin_url();
        let name = format!("baton_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = pg_admin().await.unwrap_or_else(|e| panic!("{e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("BATON_TEST_PG must end in /DATABASE"),
        };
        let store = Store::open_with(&url, apps).await.expect("open postgres");
        TestDb {
            store,
            url,
            _dir: None,
            pg_name: Some(name),
        }
    }

    /// Close the store and drop a Postgres database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some(name) = self.pg_name
            && let Ok(mut conn) = pg_admin().await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// A test run once on a fresh SQLite database and once on a fresh Postgres
/// one, given the [`Backend`](crate::Backend) to open its own with
/// [`TestDb::new`]: for tests that start a peer before the service, read
/// the store after it stops, or need a new database per case.
/// `backend_test!(name, |backend| async move { … });`
#[macro_export]
macro_rules! backend_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::Backend::Postgres).await;
            }
        }
    };
}

/// A storage test run once on SQLite and once on Postgres:
/// `store_test!(name, |store| async move { … });`. With `@on Db`, on the
/// databases of another type with the same `new`, `store` and `finish` (the
/// end-to-end crate's, which hold the product's tables).
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        $crate::store_test!(@on $crate::TestDb, $name, $body);
    };
    (@on $db:ty, $name:ident, $body:expr) => {
        $crate::backend_test!($name, |backend| async move {
            let db = <$db>::new(backend).await;
            ($body)(db.store.clone()).await;
            db.finish().await;
        });
    };
}
