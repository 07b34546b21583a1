//! What asking for one of a deal's documents takes, whatever its kind: the
//! rep it is drafted for (the one whose proposal the prospect accepted),
//! the digest of the terms it is drafted from, and the event that asks
//! for it, keyed by that digest so the same terms draft once. Only a draft
//! of the newest terms asked for is recorded (`deal_document_asks`).

use super::facts::digest;
use crate::engagement::Engagement;
use crate::store::{DocumentTables, ProposalTables};
use baton_engine::orchestrator::{Event, Orchestrator, Submitted};
use baton_store::{Org, Store, StoreError, User};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The id of the proposal `e` accepted, at whatever stage it is now.
pub(super) fn accepted_id(e: &Engagement) -> Option<&str> {
    e.facts.get("accepted_proposal")?.value["id"].as_str()
}

/// The rep a document of `e` is drafted for: the one whose proposal was
/// accepted.
pub(super) async fn rep_of(
    store: &Store,
    org: &Org,
    e: &Engagement,
) -> Result<Option<User>, StoreError> {
    let Some(id) = accepted_id(e) else {
        return Ok(None);
    };
    let Some(p) = store.proposal(&org.id, id).await? else {
        return Ok(None);
    };
    store.user(&org.id, &p.user_id).await
}

/// The digest of a drafting event's payload, read as `T` and written
/// again, so it does not depend on how the stored payload orders its
/// fields; `None` for a payload that is not a `T`.
pub(super) fn digest_as<T: Serialize + DeserializeOwned>(payload: &Value) -> Option<String> {
    let terms = T::deserialize(payload).ok()?;
    let text = serde_json::to_string(&terms).ok()?;
    Some(digest(&[&text]))
}

/// Ask `event` to draft the deal's `kind` from `terms` for `rep`.
pub(super) async fn ask<T: Serialize + DeserializeOwned>(
    orch: &Orchestrator,
    store: &Store,
    org: &Org,
    rep: &User,
    (deal, kind, event): (&str, &str, &str),
    terms: &T,
) -> Result<Option<Submitted>, StoreError> {
    let payload = serde_json::to_value(terms)
        .map_err(StoreError::json(format!("{kind} terms of deal {deal}")))?;
    let Some(digest) = digest_as::<T>(&payload) else {
        return Ok(None);
    };
    store
        .ask_document(&org.id, deal, kind, &digest, orch.clock.now_ms())
        .await?;
    let submitted = Event {
        event_type: event.into(),
        org: org.slug.clone(),
        user: rep.handle.clone(),
        payload,
        source: "engagement".into(),
        idempotency_key: Some(format!("{event}:{deal}:{digest}")),
    };
    match orch.submit(&submitted).await {
        Ok(s) => Ok(Some(s)),
        Err(err) => {
            tracing::warn!(deal, kind, error = %err, "the draft could not be asked for");
            Ok(None)
        }
    }
}

/// Log a drafting ask that was refused (the sequence not installed or
/// switched off) or failed; never fails the change that asked.
pub(super) fn logged(deal: &str, kind: &str, asked: Result<Option<Submitted>, StoreError>) {
    match asked {
        Ok(Some(Submitted::Refused { reason, .. })) => {
            tracing::info!(deal, kind, reason = reason.code(), "not drafted");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(deal, kind, error = %e, "the draft could not be asked for"),
    }
}
