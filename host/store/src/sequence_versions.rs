//! Sequence versions, kept like skill releases and shared by every replica
//! on one database: each version of a sequence file (`sequence_versions`,
//! numbered from 1 per event, with who published it and when), and the
//! version each event serves (`sequence_heads`: moved by a publish or a
//! rollback, held in place by a pin). Sequences belong to the deployment,
//! not to an org.

use super::{Store, StoreError, on_pool};
use serde::Serialize;

/// One version of a sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SequenceVersion {
    pub event: String,
    pub version: i64,
    /// The sha256 of the text.
    pub hash: String,
    #[serde(skip)]
    pub text: String,
    pub published_by: String,
    pub published_at: i64,
}

/// The version an event serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SequenceHead {
    pub event: String,
    pub version: i64,
    /// Held: a publish records a version but does not serve it.
    pub pinned: bool,
    pub changed_by: String,
    pub changed_at: i64,
    /// What moved it last: `published`, `rolled back`, `pinned`, `unpinned`.
    pub why: String,
}

/// What publishing a text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// A new version, now served (or recorded only, when the event is
    /// pinned: `served` false).
    New { version: i64, served: bool },
    /// The text is already version `version`; nothing changed.
    Known { version: i64 },
}

impl Store {
    /// Record `text` (hashed `hash`) as the next version of `event` by
    /// `by`, and serve it unless the event is pinned; a text already
    /// recorded changes nothing (a folder file seen again, say).
    pub async fn publish_sequence(
        &self,
        event: &str,
        hash: &str,
        text: &str,
        by: &str,
        now: i64,
    ) -> Result<Published, StoreError> {
        // Replicas starting together publish the same folder at once: the
        // one whose insert loses (the same number, or the same text) reads
        // again and finds what the other recorded.
        for _ in 0..5 {
            if let Some(p) = self.try_publish(event, hash, text, by, now).await? {
                return Ok(p);
            }
        }
        Err(StoreError::Stale(format!(
            "sequence `{event}` kept changing while it was published; try again"
        )))
    }

    /// One attempt of [`Store::publish_sequence`]; `None` when another
    /// writer got in first.
    async fn try_publish(
        &self,
        event: &str,
        hash: &str,
        text: &str,
        by: &str,
        now: i64,
    ) -> Result<Option<Published>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Write first: on SQLite it takes the write lock before the
            // reads below.
            sqlx::query("UPDATE sequence_heads SET event = event WHERE event = $1")
                .bind(event).execute(&mut *tx).await?;
            let known: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM sequence_versions WHERE event = $1 AND hash = $2")
                .bind(event).bind(hash).fetch_optional(&mut *tx).await?;
            if let Some(version) = known {
                tx.commit().await?;
                return Ok(Some(Published::Known { version }));
            }
            let last: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM sequence_versions WHERE event = $1")
                .bind(event).fetch_one(&mut *tx).await?;
            let version = last.unwrap_or(0) + 1;
            let inserted = sqlx::query(
                    "INSERT INTO sequence_versions (event, version, hash, text, published_by, published_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(event).bind(version).bind(hash).bind(text).bind(by).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if inserted == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
            let pinned: Option<bool> = sqlx::query_scalar(
                    "SELECT pinned FROM sequence_heads WHERE event = $1")
                .bind(event).fetch_optional(&mut *tx).await?;
            let served = pinned != Some(true);
            if served {
                sqlx::query(
                        "INSERT INTO sequence_heads (event, version, pinned, changed_by, changed_at, why)
                         VALUES ($1, $2, FALSE, $3, $4, 'published')
                         ON CONFLICT (event) DO UPDATE SET version = excluded.version,
                             changed_by = excluded.changed_by, changed_at = excluded.changed_at,
                             why = excluded.why")
                    .bind(event).bind(version).bind(by).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Some(Published::New { version, served }))
        })
    }

    /// Serve version `version` of `event` (a rollback, or a step forward
    /// again), recorded as `why` by `by`; `NotFound` when there is no such
    /// version, `Stale` when the event is pinned to another.
    pub async fn move_sequence_head(
        &self,
        event: &str,
        version: i64,
        by: &str,
        why: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        if self.sequence_version(event, version).await?.is_none() {
            return Err(StoreError::NotFound(format!(
                "version {version} of sequence `{event}`"
            )));
        }
        if let Some(h) = self.sequence_head(event).await?
            && h.pinned
            && h.version != version
        {
            return Err(StoreError::Stale(format!(
                "sequence `{event}` is pinned to version {}: unpin it first",
                h.version
            )));
        }
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO sequence_heads (event, version, pinned, changed_by, changed_at, why)
                 VALUES ($1, $2, FALSE, $3, $4, $5)
                 ON CONFLICT (event) DO UPDATE SET version = excluded.version,
                     changed_by = excluded.changed_by, changed_at = excluded.changed_at,
                     why = excluded.why")
            .bind(event).bind(version).bind(by).bind(now).bind(why)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Pin `event` to `version` (which then serves), or unpin it
    /// (`None`: the version serving stays, and later publishes serve).
    pub async fn pin_sequence(
        &self,
        event: &str,
        version: Option<i64>,
        by: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let Some(head) = self.sequence_head(event).await? else {
            return Err(StoreError::NotFound(format!("sequence `{event}`")));
        };
        let (to, pinned, why) = match version {
            Some(v) => {
                if self.sequence_version(event, v).await?.is_none() {
                    return Err(StoreError::NotFound(format!(
                        "version {v} of sequence `{event}`"
                    )));
                }
                (v, true, "pinned")
            }
            None => (head.version, false, "unpinned"),
        };
        on_pool!(self, pool => sqlx::query(
                "UPDATE sequence_heads SET version = $2, pinned = $3, changed_by = $4, changed_at = $5,
                     why = $6 WHERE event = $1")
            .bind(event).bind(to).bind(pinned).bind(by).bind(now).bind(why)
            .execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Version `version` of `event`, if recorded.
    pub async fn sequence_version(
        &self,
        event: &str,
        version: i64,
    ) -> Result<Option<SequenceVersion>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT event, version, hash, text, published_by, published_at FROM sequence_versions
                 WHERE event = $1 AND version = $2")
            .bind(event).bind(version).fetch_optional(pool).await)?)
    }

    /// Every version of `event`, newest first.
    pub async fn sequence_versions(&self, event: &str) -> Result<Vec<SequenceVersion>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT event, version, hash, text, published_by, published_at FROM sequence_versions
                 WHERE event = $1 ORDER BY version DESC")
            .bind(event).fetch_all(pool).await)?)
    }

    /// The version `event` serves, if any was recorded.
    pub async fn sequence_head(&self, event: &str) -> Result<Option<SequenceHead>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT event, version, pinned, changed_by, changed_at, why FROM sequence_heads
                 WHERE event = $1")
            .bind(event).fetch_optional(pool).await)?)
    }

    /// Every event's head with the text it serves and who published it.
    pub async fn sequence_heads(&self) -> Result<Vec<(SequenceHead, SequenceVersion)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            head: SequenceHead,
            hash: String,
            text: String,
            published_by: String,
            published_at: i64,
        }
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
                "SELECT h.event, h.version, h.pinned, h.changed_by, h.changed_at, h.why,
                        v.hash, v.text, v.published_by, v.published_at
                 FROM sequence_heads h
                 JOIN sequence_versions v ON v.event = h.event AND v.version = h.version
                 ORDER BY h.event")
            .fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let version = SequenceVersion {
                    event: r.head.event.clone(),
                    version: r.head.version,
                    hash: r.hash,
                    text: r.text,
                    published_by: r.published_by,
                    published_at: r.published_at,
                };
                (r.head, version)
            })
            .collect())
    }

    /// Every event's head version, without the texts (what a replica
    /// polls to see whether anything moved).
    pub async fn sequence_head_versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT event, version FROM sequence_heads ORDER BY event")
            .fetch_all(pool).await)?)
    }
}
