//! Skill releases: which version of each skill serves, shared by every
//! replica on one database. Each component file is stored once by its
//! sha256 (`skill_versions`); `skill_releases` logs what went live, newest
//! last. Skills belong to the deployment, not to an org.

use super::{Store, StoreError, on_pool};
use serde::Serialize;

/// One entry of the release log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Release {
    pub id: i64,
    pub name: String,
    /// The component that serves; `None`: the skill was removed.
    pub sha256: Option<String>,
    /// `folder`, `upload` or `rollback`.
    pub source: String,
    pub released_at: i64,
}

/// A version to record as live.
#[derive(Debug, Clone, Copy)]
pub struct NewRelease<'a> {
    pub name: &'a str,
    /// `(version, sha256, component)`; `None` records a removal.
    pub component: Option<(&'a str, &'a str, &'a [u8])>,
    pub source: &'a str,
}

impl Store {
    /// Record that each of `rs` now serves its component (storing each
    /// component once), unless it is what the log already says, in order,
    /// in one transaction (a new database records every skill of its
    /// folder at once). Returns each one's new release id, `None` where
    /// nothing changed.
    pub async fn record_releases(
        &self,
        rs: &[NewRelease<'_>],
        now: i64,
    ) -> Result<Vec<Option<i64>>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(rs.len());
            for r in rs {
                let sha = r.component.map(|(_, sha, _)| sha);
                // Write first: on SQLite this takes the write lock before
                // the read below (a read-then-write transaction cannot
                // upgrade when another writer got in between); on Postgres
                // it locks the skill's rows, so two replicas recording one
                // skill queue.
                sqlx::query("UPDATE skill_releases SET name = name WHERE name = $1")
                    .bind(r.name)
                    .execute(&mut *tx)
                    .await?;
                let latest: Option<(Option<String>,)> = sqlx::query_as(
                    "SELECT sha256 FROM skill_releases WHERE name = $1 ORDER BY id DESC LIMIT 1",
                )
                .bind(r.name)
                .fetch_optional(&mut *tx)
                .await?;
                let unchanged = match &latest {
                    Some((s,)) => s.as_deref() == sha,
                    None => sha.is_none(),
                };
                if unchanged {
                    ids.push(None);
                    continue;
                }
                if let Some((version, sha, bytes)) = r.component {
                    sqlx::query(
                        "INSERT INTO skill_versions (sha256, name, version, component, created_at)
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
                    )
                    .bind(sha)
                    .bind(r.name)
                    .bind(version)
                    .bind(bytes)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO skill_releases (name, sha256, source, released_at)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(r.name)
                .bind(sha)
                .bind(r.source)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                ids.push(Some(id));
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// The newest release of each skill whose id is above `after`, oldest
    /// first.
    pub async fn latest_releases(&self, after: i64) -> Result<Vec<Release>, StoreError> {
        let rows = on_pool!(self, pool => sqlx::query_as::<_, Release>(
            "SELECT id, name, sha256, source, released_at FROM skill_releases r
             WHERE id > $1 AND id = (SELECT max(id) FROM skill_releases WHERE name = r.name)
             ORDER BY id",
        )
        .bind(after)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// A stored component file by its sha256.
    pub async fn skill_component(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT component FROM skill_versions WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(c,)| c))
    }
}
