//! Waiting for work done in the background (a job moving on, a delivery,
//! a peer's request) by polling a condition with a deadline, never by
//! sleeping a fixed time and hoping.

use std::time::{Duration, Instant};

/// How long a test waits for background work before it fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How often a condition is polled.
const EVERY: Duration = Duration::from_millis(25);

/// Poll `check` until it gives `Some`, for at most `within`: its value,
/// or `None` when time ran out (the caller says what never happened).
pub async fn poll<T>(within: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// Poll `check` until it holds, failing after `within` with `what`.
pub async fn until(what: &str, within: Duration, mut check: impl AsyncFnMut() -> bool) {
    if poll(within, async || check().await.then_some(()))
        .await
        .is_none()
    {
        panic!("not within {within:?}: {what}");
    }
}

/// Check that `check` holds throughout `during`, failing as soon as it
/// does not. A claim that something does *not* happen (no duplicate, no
/// email after an undo) can only be watched for a while: this names the
/// claim and watches it, instead of sleeping and looking once.
pub async fn stays(what: &str, during: Duration, mut check: impl AsyncFnMut() -> bool) {
    let end = Instant::now() + during;
    loop {
        assert!(check().await, "{what}");
        if Instant::now() >= end {
            return;
        }
        tokio::time::sleep(EVERY).await;
    }
}
