//! The contract a deal's accepted terms make: when the engagement is at
//! the workflow's `contract` stage with an accepted proposal, the terms of
//! that version and the facts the engagement knows (the parties, who signs,
//! the effective date) become a `contract_drafting` event, which the
//! `contract_drafting` sequence turns into a draft. The event is keyed by
//! the terms' digest: the same terms draft once, and a fact reported or a
//! conflict decided later drafts a new version (the earlier superseded).
//!
//! What the org says about its contracts is in its profile:
//! `legal_name`, and under `contract`, `payment_days`, `deposit_percent`
//! and `signatory` (`{"name", "title"}`).

use super::facts::digest;
use crate::documents::{CONTRACT, SEND_FOR_SIGNATURE};
use crate::engagement::Engagement;
use crate::store::{DocumentTables, EngagementTables, ProposalTables};
use baton_engine::orchestrator::{Event, Orchestrator, Submitted};
use baton_store::now_ms;
use baton_store::{OrgId, Store, StoreError};
use baton_types::contract::{ContractTerms, Party, Signatory};
use baton_types::proposal::ProposalDoc;
use serde::Deserialize;
use serde_json::Value;

/// The workflow stage whose engagement gets its contract drafted.
pub const STAGE: &str = "contract";
/// The event the `contract_drafting` sequence handles.
pub const EVENT: &str = "contract_drafting";

/// Ask for the deal's contract to be drafted from what is known now;
/// `None` when the engagement is not at the contract stage with an accepted
/// proposal. A refusal (the sequence not installed or switched off) is
/// returned as such, never an error.
pub async fn request_draft(
    orch: &Orchestrator,
    store: &Store,
    org: &OrgId,
    deal: &str,
) -> Result<Option<Submitted>, StoreError> {
    let Some(e) = store.engagement(org, deal).await? else {
        return Ok(None);
    };
    let Some(terms) = terms(store, org, &e).await? else {
        return Ok(None);
    };
    let Some((slug, handle)) = who(store, org, &terms.proposal_id).await? else {
        return Ok(None);
    };
    let payload = serde_json::to_value(&terms)
        .map_err(StoreError::json(format!("contract terms of deal {deal}")))?;
    let Some(digest) = terms_digest(&payload) else {
        return Ok(None);
    };
    // Only a draft of the newest terms asked for is recorded.
    store
        .ask_document(org, deal, CONTRACT, &digest, now_ms())
        .await?;
    let key = format!("{EVENT}:{deal}:{digest}");
    let event = Event {
        event_type: EVENT.into(),
        org: slug,
        user: handle,
        payload,
        source: "engagement".into(),
        idempotency_key: Some(key),
    };
    match orch.submit(&event).await {
        Ok(s) => Ok(Some(s)),
        Err(err) => {
            tracing::warn!(deal, error = %err, "the contract could not be asked for");
            Ok(None)
        }
    }
}

/// The digest of a `contract_drafting` payload's terms: what a draft is
/// of. Read as [`ContractTerms`] and written again, so it does not depend
/// on how the stored payload orders its fields; `None` for a payload that
/// holds no terms.
pub fn terms_digest(payload: &Value) -> Option<String> {
    let terms = ContractTerms::deserialize(payload).ok()?;
    let text = serde_json::to_string(&terms).ok()?;
    Some(digest(&[&text]))
}

/// After something changed on `deal` (an acceptance, a fact, a decision,
/// an approval): ask for its contract again, if it is at the contract
/// stage (the terms' key makes an unchanged ask a no-op). Never fails the
/// change that called it: a failure is logged.
pub async fn follow(orch: &Orchestrator, store: &Store, org: &OrgId, deal: &str) {
    match request_draft(orch, store, org, deal).await {
        Ok(Some(Submitted::Refused { reason, .. })) => {
            tracing::info!(deal, reason = reason.code(), "no contract drafted");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(deal, error = %e, "the contract could not be asked for"),
    }
}

/// The org's slug and the handle of the rep who sent the accepted proposal.
async fn who(
    store: &Store,
    org: &OrgId,
    proposal: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let Some(p) = store.proposal(org, proposal).await? else {
        return Ok(None);
    };
    let (Some(o), Some(u)) = (store.org(org).await?, store.user(org, &p.user_id).await?) else {
        return Ok(None);
    };
    Ok(Some((o.slug, u.handle)))
}

/// The terms `e` drafts from, when it is at the contract stage with an
/// accepted proposal still on record.
async fn terms(
    store: &Store,
    org: &OrgId,
    e: &Engagement,
) -> Result<Option<ContractTerms>, StoreError> {
    if e.stage != STAGE {
        return Ok(None);
    }
    let Some(accepted) = e.facts.get("accepted_proposal") else {
        return Ok(None);
    };
    let Some(id) = accepted.value["id"].as_str() else {
        return Ok(None);
    };
    let Some(p) = store.proposal(org, id).await? else {
        return Ok(None);
    };
    let Ok(doc) = serde_json::from_value::<ProposalDoc>(p.document.clone()) else {
        return Ok(None);
    };
    let profile = store
        .org(org)
        .await?
        .map(|o| o.profile)
        .unwrap_or(Value::Null);
    let fact = |name: &str| {
        e.facts
            .get(name)
            .filter(|_| !e.conflicts.iter().any(|c| c.fact == name))
            .map(|f| f.value.clone())
    };
    let parties = fact("parties");
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let client_legal = match &parties {
        Some(Value::String(_)) => text(parties.as_ref()),
        Some(v) => text(v.get("client")),
        None => None,
    };
    let provider_legal = parties
        .as_ref()
        .and_then(|v| text(v.get("provider")))
        .or_else(|| text(profile.get("legal_name")));
    let accepted_on = jiff::Timestamp::from_millisecond(accepted.at)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_default();
    let contract = profile.get("contract");
    let number = |key: &str| {
        contract
            .and_then(|c| c.get(key))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    Ok(Some(ContractTerms {
        deal_id: e.deal_id.clone(),
        proposal_id: p.id.clone(),
        proposal_version: u32::try_from(p.version).unwrap_or(0),
        proposal_title: p.title.clone(),
        accepted_on,
        provider: Party {
            legal_name: provider_legal,
            known_as: store.org(org).await?.map(|o| o.name),
        },
        client: Party {
            legal_name: client_legal,
            known_as: doc.company.clone(),
        },
        client_signatory: fact("signatory").and_then(|v| signatory(&v)),
        provider_signatory: contract
            .and_then(|c| c.get("signatory"))
            .and_then(signatory),
        effective_date: text(fact("effective_date").as_ref()),
        currency: doc.currency.clone(),
        pricing: doc.pricing.clone(),
        amount: doc.amount,
        sections: doc.sections.clone(),
        payment_days: number("payment_days"),
        deposit_percent: number("deposit_percent"),
        may_send: e.permits(SEND_FOR_SIGNATURE).is_ok(),
    }))
}

/// A signatory from a fact: `{"name", "title"}`, or `"Name, Title"`.
fn signatory(v: &Value) -> Option<Signatory> {
    let clean = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    match v {
        Value::String(s) => {
            let (name, title) = match s.split_once(',') {
                Some((n, t)) => (n, clean(t)),
                None => (s.as_str(), None),
            };
            Some(Signatory {
                name: clean(name)?,
                title,
            })
        }
        Value::Object(_) => Some(Signatory {
            name: clean(v.get("name")?.as_str()?)?,
            title: v.get("title").and_then(Value::as_str).and_then(clean),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_signatory_is_read_from_words_or_fields() {
        assert_eq!(
            signatory(&json!("Inès Moreau, CFO")),
            Some(Signatory {
                name: "Inès Moreau".into(),
                title: Some("CFO".into())
            })
        );
        assert_eq!(
            signatory(&json!({ "name": "Inès Moreau" })),
            Some(Signatory {
                name: "Inès Moreau".into(),
                title: None
            })
        );
        assert_eq!(signatory(&json!(" , CFO")), None);
        assert_eq!(signatory(&json!(3)), None);
    }
}
