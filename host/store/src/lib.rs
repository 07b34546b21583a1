//! baton-store: persistence with sqlx, embedded SQLite (WAL, one file) by
//! default, Postgres for replicas. Migrations per backend live in `migrations/`.
//!
//! All SQL lives under `store/`, one file per aggregate. Every query is
//! scoped to an org. The store knows nothing of skills or sequences beyond
//! the rows it keeps.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod access;
mod account_leases;
pub mod accounts;
pub mod address;
mod approvals;
mod attachments;
mod audit;
mod busy;
mod checkpoint;
mod denials;
pub mod do_not_contact;
mod documents;
mod erasure;
mod feedback;
mod ids;
mod jobs;
mod ledger;
mod migrations;
mod oauth_states;
pub mod orgs;
mod outbox;
pub mod provider_keys;
pub mod reach;
mod refusals;
mod releases;
mod replay;
pub mod rows;
mod schedule;
mod sealed;
mod sequence_versions;
mod step_runs;
pub mod text;
mod vocab;
mod wal;

pub use access::{ApiToken, Login, new_secret, secret_hash};
pub use account_leases::{AccountLease, Readers};
pub use accounts::{Account, NewAccount, Taken};
pub use approvals::{Announced, DecisionRecord, OverCap, PendingAction, SendReservation};
pub use attachments::{Content, NewAttachment, StoredAttachment, Tombstone};
pub use audit::AuditEntry;
pub use checkpoint::{
    Checkpoint, NewCharge, NewEffect, NewNotification, NewPendingAction, NewStepRun, Transition,
};
pub use denials::{Denial, NewDenial};
pub use do_not_contact::{Flagged, NewSuppression, Suppression};
pub use erasure::{Erase, Erasure, TextColumn};
pub use feedback::{FeedbackCase, FeedbackReason, FeedbackRecord, GateFeedback, NONE_OF_THEM};
pub use ids::{EffectId, GateId, JobId, OrgId, UserId, new_id};
pub use jobs::{Inserted, Job, JobStatus, Lease, NewJob, Progress};
pub use ledger::{MONTHLY, Notification, StepFigures};
pub use migrations::Migrations;
pub use oauth_states::OAuthState;
pub use orgs::{Org, Preferences, Standing, User};
pub use outbox::{Effect, EffectStatus, MAX_DELIVERY_ATTEMPTS};
pub use provider_keys::{ProviderKey, SealedKey};
pub use reach::{LineRefused, Reach};
pub use refusals::{NewRefusal, Refusal};
pub use releases::{NewRelease, Release};
pub use replay::{RecordedQuery, RecordedRun};
pub use rows::{Param, Row};
pub use sealed::{SealedColumn, SealedValue};
pub use sequence_versions::{Published, SequenceHead, SequenceVersion};
pub use step_runs::StepRun;
pub use vocab::{ActionKind, GateKind, GateStatus, OnExpiry, Pattern, StepRunStatus, kind_of};

use baton_concepts::verdict::Verdict;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database.
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// SQLite's log checkpoints, run beside the writers while any clone
    /// of the store lives (`wal.rs`); `None` on Postgres.
    _wal: Option<std::sync::Arc<wal::Checkpoints>>,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{0}` is not understood: use a file path, sqlite://PATH or postgres://…")]
    BadUrl(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0} not found")]
    NotFound(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// Stored JSON (`what`) that does not read back, or a value that does
    /// not write as JSON.
    #[error("stored data is not valid: {what}: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// A stored time (`what`) that is out of range or cannot be placed in
    /// a calendar.
    #[error("stored data is not valid: {what}: {source}")]
    Time {
        what: String,
        #[source]
        source: jiff::Error,
    },
    /// The row is no longer in the state the caller expected (a second
    /// decision, a worker whose lease expired).
    #[error("stale: {0}")]
    Stale(String),
    /// A group commit failed as a whole; each checkpoint in it may be retried.
    #[error("group commit failed: {0}")]
    Batch(String),
}

impl StoreError {
    /// The error of JSON `what` that does not read or write, keeping its
    /// cause: `.map_err(StoreError::json(what))`.
    pub fn json(what: impl Into<String>) -> impl FnOnce(serde_json::Error) -> StoreError {
        let what = what.into();
        move |source| StoreError::Json { what, source }
    }

    /// The error of a stored time `what` that does not place, keeping its
    /// cause: `.map_err(StoreError::time(what))`.
    pub fn time(what: impl Into<String>) -> impl FnOnce(jiff::Error) -> StoreError {
        let what = what.into();
        move |source| StoreError::Time { what, source }
    }

    /// Whether another attempt may succeed: [`Verdict::Retry`] for a busy
    /// or unreachable database (SQLite busy, a Postgres serialization
    /// failure or deadlock, a connection lost or terminated, a server
    /// restarting) and a group commit that failed as a whole;
    /// [`Verdict::Stop`] for everything else.
    pub fn verdict(&self) -> Verdict {
        let transient = match self {
            StoreError::Database(e) => {
                matches!(
                    e,
                    sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
                ) || e
                    .as_database_error()
                    .and_then(|d| d.code())
                    .is_some_and(|c| passing_code(&c))
            }
            StoreError::Batch(_) => true,
            _ => false,
        };
        if transient {
            Verdict::Retry
        } else {
            Verdict::Stop
        }
    }
}

/// Whether a database error code names a passing condition: SQLite busy
/// (5); a Postgres serialization failure (40001) or deadlock (40P01); a
/// connection lost or refused (class 08); the server shutting down,
/// restarting or not taking connections yet (57P01, 57P02, 57P03); too many
/// connections (53300).
fn passing_code(code: &str) -> bool {
    matches!(
        code,
        "5" | "40001" | "40P01" | "57P01" | "57P02" | "57P03" | "53300"
    ) || code.starts_with("08")
}

/// The live pool, lent to the tables an app keeps beside the engine's
/// (through [`on_pool!`]); the store's own files reach it the same way.
pub enum Pool<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// Run `$body` with `$pool` bound to the live pool of `$store`, whichever
/// backend it is. The SQL must be valid for both (`$1`-style parameters are).
#[macro_export]
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store.pool() {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

/// SQLite's page cache per connection: negative means KiB.
const CACHE_KIB: i64 = -(64 << 10);

impl Store {
    /// Connect to `url` (a SQLite path or URL, or a Postgres URL) and apply
    /// the engine's migrations. An app's tables need its own as well:
    /// [`Store::open_with`].
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Self::open_with(url, &[]).await
    }

    /// Connect to `url` and apply the engine's migrations with `apps'`, as
    /// one list in version order.
    pub async fn open_with(url: &str, apps: &[Migrations]) -> Result<Store, StoreError> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            migrations::merged(&migrations::POSTGRES, apps.iter().map(|a| a.postgres))
                .await?
                .run(&pool)
                .await?;
            Db::Postgres(pool)
        } else {
            let url = if url.starts_with("sqlite:") {
                url.to_owned()
            } else if url.contains("://") {
                return Err(StoreError::BadUrl(url.to_owned()));
            } else {
                format!("sqlite://{url}")
            };
            let options = SqliteConnectOptions::from_str(&url)
                .map_err(|_| StoreError::BadUrl(url.clone()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // What a delete or a rewrite frees is zeroed, so an erased
                // transcript leaves no copy in the file (`erasure.rs`).
                .pragma("secure_delete", "ON")
                // Until `busy::install` replaces it with a handler that
                // waits in microseconds, not milliseconds.
                .busy_timeout(Duration::from_secs(10))
                // A 64 MiB page cache per connection instead of 2 MiB: it
                // keeps what a connection read until another one writes
                // (in WAL mode SQLite then drops it), which under steady
                // writes is soon; it is kept for reads between writes.
                // No memory map:
                // a connection remaps the whole file (munmap, a TLB
                // shoot-down on every core, faults to map it again) each
                // time another one has grown it, which under load was
                // hundreds of times a second (docs/performance.md).
                .pragma("cache_size", CACHE_KIB.to_string())
                // No checkpoint inside a commit: the store's own task
                // copies the log into the file beside the writers
                // (`wal.rs`).
                .pragma("wal_autocheckpoint", "0");
            // A file's connection cannot drop the way a socket can: no
            // ping before each checkout (sqlx's default), which is a
            // round trip to the connection's thread for every query.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .after_connect(|conn, _| Box::pin(busy::install(conn)))
                .connect_with(options)
                .await?;
            migrations::merged(&migrations::SQLITE, apps.iter().map(|a| a.sqlite))
                .await?
                .run(&pool)
                .await?;
            Db::Sqlite(pool)
        };
        let wal = match &db {
            Db::Sqlite(pool) => Some(std::sync::Arc::new(wal::spawn(pool.clone()))),
            Db::Postgres(_) => None,
        };
        Ok(Store { db, _wal: wal })
    }

    /// The live pool (see [`on_pool!`]).
    pub fn pool(&self) -> Pool<'_> {
        match &self.db {
            Db::Sqlite(pool) => Pool::Sqlite(pool),
            Db::Postgres(pool) => Pool::Postgres(pool),
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The clause that lets concurrent claimers pass over each other's rows:
    /// Postgres skips locked rows; SQLite has one writer at a time, so its
    /// claiming UPDATE is atomic as it stands.
    pub(crate) fn skip_locked(&self) -> &'static str {
        match self.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }

    /// The lock a read takes on the rows it checks until its transaction
    /// ends (Postgres; SQLite's one writer needs none).
    pub(crate) fn for_share(&self) -> &'static str {
        match self.backend() {
            Backend::Postgres => "FOR SHARE",
            Backend::Sqlite => "",
        }
    }

    /// Check the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Close every connection.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// The waits between tries of a write the database did not take for a
/// passing reason: 100 ms, doubling up to 2 s, for at most a given time.
#[derive(Debug)]
pub struct Backoff {
    give_up: tokio::time::Instant,
    wait: Duration,
}

impl Backoff {
    /// Tries for at most `within` from now.
    pub fn within(within: Duration) -> Backoff {
        Backoff {
            give_up: tokio::time::Instant::now() + within,
            wait: Duration::from_millis(100),
        }
    }

    /// After `error`: if it is a passing one ([`Verdict::Retry`]) and there
    /// is time left, log it, wait and answer true (try again); else false.
    pub async fn again(&mut self, error: &StoreError, what: &str) -> bool {
        if error.verdict() != Verdict::Retry
            || tokio::time::Instant::now() + self.wait >= self.give_up
        {
            return false;
        }
        tracing::warn!(error = %error, retry_in_ms = u64::try_from(self.wait.as_millis()).unwrap_or(u64::MAX),
            "{what} not stored: the database is busy or unreachable; trying again");
        tokio::time::sleep(self.wait).await;
        self.wait = (self.wait * 2).min(Duration::from_secs(2));
        true
    }
}

/// Run `write` again while it fails for a passing reason (see [`Backoff`]),
/// for at most `within`; then its last error. For a record that must follow
/// something already done outside (a message sent), so a short outage
/// neither loses the record nor makes the deed look undone.
pub async fn retry_transient<T, F>(
    within: Duration,
    mut write: impl FnMut() -> F,
) -> Result<T, StoreError>
where
    F: std::future::Future<Output = Result<T, StoreError>>,
{
    let mut backoff = Backoff::within(within);
    loop {
        match write().await {
            Err(e) if backoff.again(&e, "a write").await => {}
            other => return other,
        }
    }
}

/// Milliseconds since the Unix epoch (defined once, in `baton-concepts`).
pub use baton_concepts::clock::now_ms;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_json_that_does_not_read_keeps_its_cause_under_the_same_words() {
        let e = serde_json::from_str::<serde_json::Value>("{")
            .map_err(StoreError::json("effect e1 payload"))
            .expect_err("not JSON");
        assert!(
            e.to_string()
                .starts_with("stored data is not valid: effect e1 payload: "),
            "{e}"
        );
        assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
        assert_eq!(e.verdict(), Verdict::Stop);
    }
}
