//! Submitting an event whose payload is a picture the host took (the
//! morning brief, the coaching digest): the one place that decides how such
//! an event is keyed and where it came from.

use crate::orchestrator::conductor::{Orchestrator, OrchestratorError};
use crate::orchestrator::events::{Event, Submitted};
use crate::store::{Org, StoreError, User};
use serde::Serialize;

/// Submit `snapshot` as an `event` job for `user`. A scheduled one is keyed
/// by the rep's local `date` (one a day); one asked for is keyed by the
/// moment `now`, so each ask makes its own, and comes from `asked_source`.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    orch: &Orchestrator,
    org: &Org,
    user: &User,
    event: &str,
    snapshot: &impl Serialize,
    date: &str,
    now: i64,
    scheduled: bool,
    asked_source: &str,
) -> Result<Submitted, OrchestratorError> {
    let key = if scheduled {
        format!("{event}:{}:{date}", user.handle)
    } else {
        format!("{event}:{}:asked:{now}", user.handle)
    };
    let payload = serde_json::to_value(snapshot)
        .map_err(|e| StoreError::Corrupt(format!("{event} snapshot: {e}")))?;
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
