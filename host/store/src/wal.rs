//! SQLite's write-ahead log, copied into the database file beside the
//! writers rather than by them.
//!
//! SQLite's own rule checkpoints inside the commit that takes the log past
//! 1,000 pages: that commit copies the whole log into the file before it
//! returns. A new database records its skill components (about 60 MB) at
//! start-up, and those copies were half of that recording; under load the
//! copy lands on whichever step's commit crosses the line.
//! Here every connection's automatic checkpoint is off, and one task per
//! store runs SQLite's passive checkpoint, which neither waits for nor
//! blocks a reader or a writer: every [`EVERY`] while the log grows, less
//! often (up to [`IDLE`]) while it does not. The task ends when the last
//! clone of the store is dropped or its pool is closed.

use sqlx::sqlite::SqlitePool;
use std::time::Duration;
use tokio::sync::oneshot;

/// Between checkpoints while the log grows.
const EVERY: Duration = Duration::from_millis(100);
/// Between checkpoints while nothing is written: a burst after a rest
/// grows the log for at most this long before it is copied.
const IDLE: Duration = Duration::from_millis(500);

/// Ends the checkpoint task when dropped (held by every clone of a store).
#[derive(Debug)]
pub(crate) struct Checkpoints {
    _stop: oneshot::Sender<()>,
}

/// Start checkpointing `pool`'s log; it stops when the returned value is
/// dropped. The pool's connections must have `wal_autocheckpoint` off.
pub(crate) fn spawn(pool: SqlitePool) -> Checkpoints {
    let (stop, mut stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let mut wait = EVERY;
        // The log's frames at the last look, to tell growth from rest.
        let mut last = None;
        loop {
            tokio::select! {
                _ = &mut stopped => return,
                () = tokio::time::sleep(wait) => {}
            }
            if pool.is_closed() {
                return;
            }
            match checkpoint(&pool).await {
                Ok(frames) => {
                    wait = next_wait(wait, last, frames);
                    last = Some(frames);
                }
                // A closed pool ends the task at the next look; anything
                // else is passing (the next try copies what this did not).
                Err(e) => {
                    tracing::debug!(error = %e, "write-ahead log checkpoint failed");
                    wait = EVERY;
                }
            }
        }
    });
    Checkpoints { _stop: stop }
}

/// One passive checkpoint; the frames in the log when it ran.
async fn checkpoint(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let (_busy, frames, _copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(pool)
            .await?;
    Ok(frames)
}

/// The wait before the next checkpoint: [`EVERY`] when the log changed
/// since the last one (`last` frames, now `frames`), else twice the last
/// wait, up to [`IDLE`].
fn next_wait(wait: Duration, last: Option<i64>, frames: i64) -> Duration {
    if last == Some(frames) {
        (wait * 2).min(IDLE)
    } else {
        EVERY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_longer_while_the_log_rests_and_at_once_less_when_it_grows() {
        assert_eq!(next_wait(EVERY, None, 0), EVERY);
        assert_eq!(next_wait(EVERY, Some(0), 0), EVERY * 2);
        assert_eq!(next_wait(Duration::from_millis(800), Some(7), 7), IDLE);
        assert_eq!(next_wait(IDLE, Some(7), 7), IDLE);
        assert_eq!(next_wait(IDLE, Some(7), 9), EVERY);
        // A log restarted by a writer counts as a change.
        assert_eq!(next_wait(IDLE, Some(700), 3), EVERY);
    }
}
