//! Erasing an attachment (a meeting's transcript) and its words from the
//! rows of the jobs that read it, in one transaction: the engine's columns
//! that hold what a step made of the words are rewritten by the caller's
//! scrub, and so are the apps' ([`TextColumn`]); what was still to happen
//! is cancelled (open gates, queued effects, jobs not yet finished), and
//! the attachment keeps only its tombstone. On SQLite, `secure_delete` (set
//! when the store opens) zeroes what the rewrite freed, and the log is
//! checkpointed after, so the file keeps no copy of the words.

use super::text::storable;
use super::{JobId, OrgId, Store, StoreError, Tombstone, on_pool};

/// A column that may hold what a job's steps made of an attachment's
/// words: its table, the row's key, and how a row names its job (with the
/// job's id as `$2`, the org's as `$1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextColumn {
    pub table: &'static str,
    pub key: &'static str,
    pub column: &'static str,
    pub of_job: &'static str,
}

impl TextColumn {
    const fn of(table: &'static str, column: &'static str, of_job: &'static str) -> TextColumn {
        TextColumn {
            table,
            key: "id",
            column,
            of_job,
        }
    }
}

/// The engine's columns a job's words may reach.
const ENGINE_COLUMNS: &[TextColumn] = &[
    TextColumn::of("sequence_jobs", "payload", "id = $2"),
    TextColumn::of("sequence_jobs", "state", "id = $2"),
    TextColumn::of("sequence_jobs", "error", "id = $2"),
    TextColumn::of("step_runs", "input", "job_id = $2"),
    TextColumn::of("step_runs", "output", "job_id = $2"),
    TextColumn::of("step_runs", "error", "job_id = $2"),
    TextColumn::of("pending_actions", "title", "job_id = $2"),
    TextColumn::of("pending_actions", "body", "job_id = $2"),
    TextColumn::of("pending_actions", "options", "job_id = $2"),
    TextColumn::of("pending_actions", "basis", "job_id = $2"),
    TextColumn::of("pending_actions", "decision", "job_id = $2"),
    TextColumn::of("pending_actions", "decision_note", "job_id = $2"),
    TextColumn::of("outbox", "payload", "job_id = $2"),
    TextColumn::of("outbox", "last_error", "job_id = $2"),
    TextColumn::of("notifications", "message", "job_id = $2"),
    TextColumn::of("audit_log", "detail", "job_id = $2"),
    TextColumn {
        table: "gate_feedback",
        key: "gate_id",
        column: "note",
        of_job: "gate_id IN (SELECT id FROM pending_actions WHERE job_id = $2)",
    },
];

/// One erasure, as the engine hands it to the store.
pub struct Erase<'a> {
    pub org: &'a OrgId,
    /// The attachment erased.
    pub id: &'a str,
    /// The jobs that read it (and their follow-ups).
    pub jobs: &'a [JobId],
    /// The apps' columns that may hold their words, beside the engine's.
    pub columns: &'a [TextColumn],
    /// A column's text rewritten, or `None` when none of the words are in it.
    pub scrub: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub tombstone: &'a Tombstone,
    /// Why what was still to happen is cancelled, as a person reads it.
    pub reason: &'a str,
}

/// What an erasure rewrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erasure {
    /// Stored values that held some of the words.
    pub rewritten: usize,
    /// Gates, effects and jobs cancelled.
    pub cancelled: usize,
}

impl Store {
    /// The org's jobs whose payload names `needle` (an attachment's id),
    /// with all their follow-ups, parents first.
    pub async fn job_tree_naming(
        &self,
        org: &OrgId,
        needle: &str,
    ) -> Result<Vec<JobId>, StoreError> {
        let pattern = format!("%{needle}%");
        let mut out: Vec<JobId> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT id FROM sequence_jobs WHERE org_id = $1 AND payload LIKE $2
                 ORDER BY created_at, id")
            .bind(org).bind(&pattern).fetch_all(pool).await)?;
        let mut i = 0;
        while i < out.len() {
            for child in self.children(org, &out[i]).await? {
                if !out.contains(&child) {
                    out.push(child);
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// Erase `e.id` and its words from `e.jobs`' rows (see the module).
    pub async fn erase(&self, e: &Erase<'_>) -> Result<Erasure, StoreError> {
        let t = e.tombstone;
        let out = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            // The tombstone first: a write takes SQLite's write lock before
            // any read (a transaction that read first cannot take it once
            // another connection has committed, and fails at once whatever
            // the busy timeout); on Postgres it locks the attachment's row.
            sqlx::query(
                "UPDATE attachments SET body = NULL, erased_at = $3, erased_by = $4, erased_why = $5
                 WHERE org_id = $1 AND id = $2 AND erased_at IS NULL")
                .bind(e.org).bind(e.id).bind(t.erased_at)
                .bind(storable(&t.erased_by).into_owned()).bind(storable(&t.why).into_owned())
                .execute(&mut *tx).await?;
            let mut done = Erasure::default();
            for job in e.jobs {
                for c in ENGINE_COLUMNS.iter().chain(e.columns) {
                    let TextColumn { table, key, column, of_job } = c;
                    let select = format!(
                        "SELECT {key}, {column} FROM {table}
                         WHERE org_id = $1 AND ({of_job}) AND {column} IS NOT NULL"
                    );
                    let held: Vec<(String, String)> = sqlx::query_as(&select)
                        .bind(e.org).bind(job).fetch_all(&mut *tx).await?;
                    let update =
                        format!("UPDATE {table} SET {column} = $1 WHERE org_id = $2 AND {key} = $3");
                    for (k, text) in held {
                        if let Some(scrubbed) = (e.scrub)(&text) {
                            sqlx::query(&update)
                                .bind(storable(&scrubbed).into_owned()).bind(e.org).bind(&k)
                                .execute(&mut *tx).await?;
                            done.rewritten += 1;
                        }
                    }
                }
                let reason = storable(e.reason).into_owned();
                for cancel in [
                    "UPDATE pending_actions SET status = 'cancelled', decision_note = $3,
                        decided_at = $4 WHERE org_id = $1 AND job_id = $2 AND status = 'open'",
                    "UPDATE sequence_jobs SET status = 'cancelled', error = $3, finished_at = $4,
                        updated_at = $4 WHERE org_id = $1 AND id = $2
                        AND status IN ('pending', 'awaiting_approval')",
                ] {
                    done.cancelled += sqlx::query(cancel)
                        .bind(e.org).bind(job).bind(&reason).bind(t.erased_at)
                        .execute(&mut *tx).await?.rows_affected() as usize;
                }
                done.cancelled += sqlx::query(
                    "UPDATE outbox SET status = 'cancelled', last_error = $3
                     WHERE org_id = $1 AND job_id = $2 AND status = 'pending'")
                    .bind(e.org).bind(job).bind(&reason)
                    .execute(&mut *tx).await?.rows_affected() as usize;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done)
        }.await)?;
        self.checkpoint_log().await?;
        Ok(out)
    }

    /// On SQLite, copy the write-ahead log into the file and empty it, so
    /// no page an erasure rewrote survives in the log (nothing on
    /// Postgres, whose dumps hold live rows only).
    pub async fn checkpoint_log(&self) -> Result<(), StoreError> {
        if let super::Db::Sqlite(pool) = &self.db {
            // A reader holding an older snapshot keeps the log busy: try
            // again a few times before leaving it to SQLite's own
            // checkpoints.
            for _ in 0..20 {
                let (busy, _, _): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(pool)
                        .await?;
                if busy == 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        Ok(())
    }
}
