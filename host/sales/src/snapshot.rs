//! Submitting an event whose payload is a picture the host took (the
//! morning brief, the coaching digest): the one place that decides how such
//! an event is keyed and where it came from.

use baton_engine::orchestrator::conductor::{Orchestrator, OrchestratorError};
use baton_engine::orchestrator::events::{Event, Submitted};
use baton_store::{Org, StoreError, User};
use serde::Serialize;

/// When and why a snapshot was taken.
pub(crate) struct Taken<'a> {
    /// The event it is submitted as.
    pub event: &'a str,
    /// The rep's local date, `YYYY-MM-DD`.
    pub date: &'a str,
    pub now: i64,
    /// The scheduler fired it (else a person asked).
    pub scheduled: bool,
    /// Where an ask came from (`api:brief`, …).
    pub asked_source: &'a str,
}

/// Submit `snapshot` as a `taken.event` job for `user`. A scheduled one is
/// keyed by the rep's local date (one a day); one asked for is keyed by the
/// moment, so each ask makes its own, and comes from `asked_source`.
pub(crate) async fn submit(
    orch: &Orchestrator,
    org: &Org,
    user: &User,
    taken: Taken<'_>,
    snapshot: &impl Serialize,
) -> Result<Submitted, OrchestratorError> {
    let Taken {
        event,
        date,
        now,
        scheduled,
        asked_source,
    } = taken;
    let key = if scheduled {
        format!("{event}:{}:{date}", user.handle)
    } else {
        format!("{event}:{}:asked:{now}", user.handle)
    };
    let payload =
        serde_json::to_value(snapshot).map_err(StoreError::json(format!("{event} snapshot")))?;
    let outcome = orch
        .submit(&Event {
            event_type: event.into(),
            org: org.slug.clone(),
            user: user.handle.clone(),
            payload,
            source: if scheduled { "scheduler" } else { asked_source }.into(),
            idempotency_key: Some(key),
        })
        .await?;
    tracing::info!(org = %org.slug, event, scheduled, outcome = ?outcome, "snapshot event fired");
    Ok(outcome)
}
