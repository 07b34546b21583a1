//! The time by which a delivery must be over. The outbox claims effects
//! under a lease; once the lease runs out another replica may claim the
//! same effect, so a send that went on waiting (a `Retry-After`, a
//! backoff) could be sent twice. The outbox runs each delivery
//! [`within`] its deadline, and a connector asks [`allows`] before it
//! waits: a wait that would pass the deadline is not slept on, the effect
//! goes back to the outbox with its next attempt time instead.

use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

tokio::task_local! {
    static UNTIL: Instant;
}

/// Run `work` with `until` as its deadline.
pub async fn within<F: Future>(until: Instant, work: F) -> F::Output {
    UNTIL.scope(until, work).await
}

/// Whether waiting `wait` and then one request of at most
/// [`super::http::REQUEST_TIMEOUT`] ends by the deadline; always, outside
/// [`within`].
pub fn allows(wait: Duration) -> bool {
    UNTIL
        .try_with(|until| Instant::now() + wait + super::http::REQUEST_TIMEOUT <= *until)
        .unwrap_or(true)
}
