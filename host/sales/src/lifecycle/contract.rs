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

use super::drafting::{accepted_id, ask, digest_as};
use crate::documents::{CONTRACT, SEND_FOR_SIGNATURE};
use crate::engagement::Engagement;
use crate::store::{Proposal, ProposalTables};
use baton_engine::orchestrator::{Orchestrator, Submitted};
use baton_store::Org;
use baton_store::{Store, StoreError};
use baton_types::contract::{ContractTerms, Party, Signatory};
use baton_types::proposal::ProposalDoc;
use serde_json::Value;

/// The workflow stage whose engagement gets its contract drafted.
pub const STAGE: &str = "contract";
/// The event the `contract_drafting` sequence handles.
pub const EVENT: &str = "contract_drafting";

/// Ask for the contract of the deal whose engagement is `e` (in org `o`)
/// to be drafted from what is known now; `None` when the engagement is not
/// at the contract stage with an accepted proposal. A refusal (the
/// sequence not installed or switched off) is returned as such, never an
/// error.
pub async fn request_draft(
    orch: &Orchestrator,
    store: &Store,
    o: &Org,
    e: &Engagement,
) -> Result<Option<Submitted>, StoreError> {
    let Some(accepted) = accepted(e) else {
        return Ok(None);
    };
    let Some(p) = store.proposal(&o.id, accepted).await? else {
        return Ok(None);
    };
    let Some(rep) = store.user(&o.id, &p.user_id).await? else {
        return Ok(None);
    };
    let Some(terms) = terms(e, o, &p) else {
        return Ok(None);
    };
    ask(orch, store, o, &rep, (&e.deal_id, CONTRACT, EVENT), &terms).await
}

/// The digest of a `contract_drafting` payload's terms: what a draft is
/// of; `None` for a payload that holds no terms.
pub fn terms_digest(payload: &Value) -> Option<String> {
    digest_as::<ContractTerms>(payload)
}

/// The id of the proposal `e` accepted, when it is at the contract stage.
fn accepted(e: &Engagement) -> Option<&str> {
    if e.stage != STAGE {
        return None;
    }
    accepted_id(e)
}

/// The terms the engagement `e` of org `o` drafts from, with its accepted
/// proposal `p`.
fn terms(e: &Engagement, o: &Org, p: &Proposal) -> Option<ContractTerms> {
    let accepted = e.facts.get("accepted_proposal")?;
    let doc = serde_json::from_value::<ProposalDoc>(p.document.clone()).ok()?;
    let profile = &o.profile;
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
    Some(ContractTerms {
        deal_id: e.deal_id.clone(),
        proposal_id: p.id.clone(),
        proposal_version: u32::try_from(p.version).unwrap_or(0),
        proposal_title: p.title.clone(),
        accepted_on,
        provider: Party {
            legal_name: provider_legal,
            known_as: Some(o.name.clone()),
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
        payment_days: setting(profile, "payment_days"),
        deposit_percent: setting(profile, "deposit_percent"),
        may_send: e.permits(SEND_FOR_SIGNATURE).is_ok(),
    })
}

/// The org's contract setting `key` (`payment_days`, `deposit_percent`),
/// a whole number under `contract` in its profile.
pub(super) fn setting(profile: &Value, key: &str) -> Option<u32> {
    profile
        .get("contract")?
        .get(key)?
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
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
    use crate::engagement::{Fact, SourceKind, Workflow};
    use crate::store::ProposalStatus;
    use baton_store::OrgId;
    use serde_json::json;

    fn fact(v: Value) -> Fact {
        Fact {
            value: v,
            source: "the order form".into(),
            kind: SourceKind::Document,
            at: 1_795_700_000_000,
        }
    }

    fn proposal() -> Proposal {
        Proposal {
            id: "p1".into(),
            org_id: OrgId::from("o1"),
            user_id: baton_store::UserId::from("u1"),
            job_id: None,
            deal_id: Some("d1".into()),
            contact_id: None,
            version: 2,
            status: ProposalStatus::Accepted,
            title: "Renewals Hub for Northwind".into(),
            amount_cents: Some(2_160_000),
            currency: "USD".into(),
            document: json!({ "title": "Renewals Hub for Northwind", "company": "Northwind",
                "currency": "USD", "amount": 2_160_000, "sections": [],
                "pricing": [{ "item": "Seats", "quantity": 40, "unit_amount": 54_000, "total": 2_160_000 }] }),
            share_token: None,
            expires_at: None,
            created_at: 0,
            sent_at: None,
            first_viewed_at: None,
            fork_reason: None,
        }
    }

    fn org(profile: Value) -> Org {
        Org {
            id: OrgId::from("o1"),
            slug: "acme".into(),
            name: "Acme".into(),
            profile,
        }
    }

    #[test]
    fn the_terms_come_from_the_accepted_version_the_facts_and_the_profile() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d1", "negotiation");
        assert_eq!(
            terms(&e, &org(json!({})), &proposal()),
            None,
            "nothing accepted"
        );
        e.facts.insert(
            "accepted_proposal".into(),
            fact(json!({ "id": "p1", "version": 2 })),
        );
        e.facts.insert(
            "parties".into(),
            fact(json!({ "client": "Northwind Logistics GmbH" })),
        );
        e.facts.insert(
            "signatory".into(),
            fact(json!("Marta Ruiz, Head of Operations")),
        );
        let profile = json!({ "legal_name": "Acme Services Ltd",
            "contract": { "payment_days": 30, "deposit_percent": 30 } });
        let t = terms(&e, &org(profile.clone()), &proposal()).expect("terms");
        assert_eq!(t.accepted_on, "2026-11-26");
        assert_eq!(t.provider.legal_name.as_deref(), Some("Acme Services Ltd"));
        assert_eq!(t.provider.known_as.as_deref(), Some("Acme"));
        assert_eq!(
            t.client.legal_name.as_deref(),
            Some("Northwind Logistics GmbH")
        );
        assert_eq!(t.client.known_as.as_deref(), Some("Northwind"));
        assert_eq!(
            t.client_signatory.as_ref().map(|s| s.name.as_str()),
            Some("Marta Ruiz")
        );
        assert_eq!((t.payment_days, t.deposit_percent), (Some(30), Some(30)));
        assert_eq!((t.amount, t.pricing.len()), (2_160_000, 1));
        assert!(!t.may_send, "no approval permits the send yet");
        // A fact in dispute is left out until it is decided.
        e.conflicts.push(crate::engagement::Conflict {
            fact: "signatory".into(),
            held: fact(json!("Marta Ruiz, Head of Operations")),
            other: fact(json!("Jonas Weber, CFO")),
            track: "commercial".into(),
            likely: crate::engagement::Side::Held,
        });
        let t = terms(&e, &org(profile), &proposal()).expect("terms");
        assert_eq!(t.client_signatory, None);
        // Not at the contract stage: no terms.
        e.stage = "delivery".into();
        assert_eq!(accepted(&e), None);
    }

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
