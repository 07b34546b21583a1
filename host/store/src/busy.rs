//! What a SQLite connection does when another one holds the write lock.
//!
//! SQLite lets one connection write at a time; the others wait in a busy
//! handler. Its own (`sqlite3_busy_timeout`) sleeps 1, 2, 5, 10, 15, 20,
//! 25 ms and more between tries, while a write here holds the lock for
//! tens of microseconds (a group commit for a millisecond or two). Under
//! load a writer that lost one race slept long after the lock was free:
//! the notifier's and the intake's one-row writes took 34 ms at p99
//! (1 + 2 + 5 + 10 + 15 ms of sleep), and the serial notifier spent a
//! quarter of its time asleep (docs/performance.md). This handler tries
//! again every 50 µs for the first 10 ms, then every millisecond, and
//! gives up (the statement fails busy, a passing error the callers retry)
//! after about 10 s, as the timeout it replaces did.
//!
//! It runs on the connection's own thread (sqlx gives each SQLite
//! connection one), never on a tokio worker.

use sqlx::sqlite::SqliteConnection;
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// Tries at the short wait: 200 × 50 µs is the first 10 ms.
const SHORT_TRIES: u32 = 200;
const SHORT: Duration = Duration::from_micros(50);
const LONG: Duration = Duration::from_millis(1);
/// After this many tries (about 10 s of waiting) the statement fails busy.
const TRIES: u32 = SHORT_TRIES + 9_990;

/// How long to wait before try `tries + 1`, or `None` to give up.
fn wait_before(tries: u32) -> Option<Duration> {
    match tries {
        t if t < SHORT_TRIES => Some(SHORT),
        t if t < TRIES => Some(LONG),
        _ => None,
    }
}

/// The handler SQLite calls with the number of times it has called it for
/// this lock: non-zero to try again, zero to fail the statement busy.
extern "C" fn on_busy(_: *mut c_void, tries: c_int) -> c_int {
    match wait_before(u32::try_from(tries).unwrap_or(u32::MAX)) {
        Some(wait) => {
            std::thread::sleep(wait);
            1
        }
        None => 0,
    }
}

/// Make `conn` wait for the write lock with [`on_busy`]. This replaces the
/// busy timeout sqlx set when it opened the connection.
pub(super) async fn install(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is a live connection that `lock_handle` keeps
    // locked for us; the handler is a plain function that reads nothing
    // through its context pointer, so a null one is fine.
    let code = unsafe {
        libsqlite3_sys::sqlite3_busy_handler(
            handle.as_raw_handle().as_ptr(),
            Some(on_busy),
            std::ptr::null_mut(),
        )
    };
    if code == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "SQLite refused the busy handler (code {code})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_short_at_first_and_gives_up_after_about_ten_seconds() {
        assert_eq!(wait_before(0), Some(SHORT));
        assert_eq!(wait_before(SHORT_TRIES - 1), Some(SHORT));
        assert_eq!(wait_before(SHORT_TRIES), Some(LONG));
        let total: Duration = (0..).map_while(wait_before).sum();
        assert!(
            (Duration::from_secs(10)..Duration::from_secs(11)).contains(&total),
            "{total:?}"
        );
        assert_eq!(wait_before(TRIES), None);
        assert_eq!(wait_before(u32::MAX), None);
    }

    /// A write that finds another connection's transaction holding the
    /// lock waits for it and then succeeds (a handler that gave up at once
    /// would fail it busy).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_writer_waits_for_the_lock_and_then_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = dir.path().join("busy.db");
        let store = crate::Store::open(&url.display().to_string())
            .await
            .expect("open");
        let crate::Db::Sqlite(pool) = &store.db else {
            unreachable!("a file path opens SQLite")
        };
        let mut holder = pool.begin().await.expect("begin");
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&mut *holder)
            .await
            .expect("take the write lock");
        let other = pool.clone();
        let waiter = tokio::spawn(async move {
            sqlx::query("CREATE TABLE u (n INTEGER)")
                .execute(&other)
                .await
        });
        // The waiter asks for the lock while it is held.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!waiter.is_finished(), "the second writer did not wait");
        holder.commit().await.expect("commit");
        waiter.await.expect("join").expect("the waiting write");
    }
}
