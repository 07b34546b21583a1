//! The schema: the engine's migrations (`migrations/` at the top of the
//! repository) and each app's (brought through the seam,
//! `Extension::migrations`), applied as one list in version order. A
//! database holds the same `_sqlx_migrations` rows whichever crate a
//! migration lives in, and a later migration may build on an earlier one
//! of either. Versions are one sequence across the engine and every app;
//! two migrations with one version are refused.
//!
//! Two early migrations (`0001_init`, `0003_service`) created some of
//! the sales app's tables beside the engine's; they stay whole with the
//! engine's, as an applied migration cannot change.

use crate::StoreError;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, Migrator};
use std::future::Future;
use std::pin::Pin;

/// An app's migrations, one set per backend, numbered in the engine's
/// sequence (`static M: Migrator = sqlx::migrate!("migrations/sqlite")`).
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    pub sqlite: &'static Migrator,
    pub postgres: &'static Migrator,
}

/// The engine's migrations on SQLite.
pub(crate) static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
/// The engine's migrations on Postgres.
pub(crate) static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

/// `engine`'s migrations with `apps`', in version order.
pub(crate) async fn merged(
    engine: &Migrator,
    apps: impl Iterator<Item = &'static Migrator>,
) -> Result<Migrator, StoreError> {
    let mut all: Vec<Migration> = engine.iter().cloned().collect();
    for app in apps {
        all.extend(app.iter().cloned());
    }
    all.sort_by_key(|m| m.version);
    if let Some(pair) = all.windows(2).find(|p| p[0].version == p[1].version) {
        return Err(StoreError::Migrate(MigrateError::Source(
            format!(
                "two migrations are numbered {} (`{}` and `{}`)",
                pair[0].version, pair[0].description, pair[1].description
            )
            .into(),
        )));
    }
    Ok(Migrator::new(Listed(all)).await?)
}

/// Migrations already read, as a source.
#[derive(Debug)]
struct Listed(Vec<Migration>);

impl MigrationSource<'static> for Listed {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async move { Ok(self.0) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn two_migrations_with_one_version_are_refused() {
        let e = merged(&SQLITE, std::iter::once(&SQLITE))
            .await
            .expect_err("refused");
        assert!(
            e.to_string()
                .contains("two migrations are numbered 1 (`init`"),
            "{e}"
        );
        let engine = merged(&SQLITE, std::iter::empty()).await.expect("alone");
        assert_eq!(engine.iter().count(), SQLITE.iter().count());
    }
}
