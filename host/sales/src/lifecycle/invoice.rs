//! The deposit invoice an approved contract calls for. Once the deal's
//! approvals permit `deposit_invoice` (the legal approval of the contract
//! gate) and its live contract lacks nothing, the contract, the org's
//! number for the deal's deposit invoice and the org's invoice settings
//! become an `invoice_drafting` event, which the `invoice_drafting`
//! sequence turns into a draft; a commercial approval of the invoice is
//! asked at the same time. The invoice is sent only while that approval,
//! given on the live version, permits `send_invoice` and the commercial
//! track is not blocked (a billing dispute, a fact in dispute).
//!
//! What the org says about its invoices is in its profile: under
//! `contract`, `payment_days` and `deposit_percent` (the contract's too);
//! under `invoice`, `prefix` (`INV`), `tax_percent` (`20`, `8.875`, `0`) and
//! `tax_label` (`VAT`).

use super::approvals::{self, ApprovalError, Ask};
use super::contract::setting;
use super::drafting::{ask, digest_as, rep_of};
use super::proposals::By;
use crate::documents::{CONTRACT, DEPOSIT_INVOICE, Drafted, INVOICE, SEND_INVOICE};
use crate::engagement::{ApprovalClass, Engagement, EventType, TrackStatus, Workflow};
use crate::store::{Document, DocumentTables, EngagementTables};
use baton_engine::orchestrator::{Orchestrator, Submitted};
use baton_store::{Org, Store, StoreError};
use baton_types::contract::ContractDoc;
use baton_types::invoice::{ContractRef, InvoiceTerms, TaxRate};
use serde_json::Value;

/// The event the `invoice_drafting` sequence handles.
pub const EVENT: &str = "invoice_drafting";
/// The track an invoice rides on: while it is blocked, no invoice is sent.
pub const TRACK: &str = "commercial";
/// What the deal's one numbered invoice so far is for.
const PURPOSE: &str = "deposit";

/// Ask for the deal's deposit invoice to be drafted from its live
/// contract; `None` when no sequence drafts invoices (then no number is
/// spent and no approval asked), the approvals do not permit it yet or the
/// contract still lacks something. Asks for the invoice's commercial
/// approval too, when none stands.
pub async fn request_draft(
    orch: &Orchestrator,
    store: &Store,
    w: &Workflow,
    o: &Org,
    e: &Engagement,
) -> Result<Option<Submitted>, StoreError> {
    if orch.sequences().get(EVENT).is_none() || e.permits(DEPOSIT_INVOICE).is_err() {
        return Ok(None);
    }
    let (org, deal) = (&o.id, e.deal_id.as_str());
    let Some(contract) = store.live_document(org, deal, CONTRACT).await? else {
        return Ok(None);
    };
    let Some(Drafted::Contract(c)) = Drafted::read(CONTRACT, &contract.doc) else {
        return Ok(None);
    };
    if !c.gaps.is_empty() {
        return Ok(None);
    }
    let Some(rep) = rep_of(store, o, e).await? else {
        return Ok(None);
    };
    // The service's clock (a demo's is simulated), not the wall's.
    let now = orch.clock.now_ms();
    let (number, issued) = store
        .invoice_number(org, deal, PURPOSE, &prefix(&o.profile), now)
        .await?;
    let subject = format!("invoice {number}");
    // Asking changes the engagement: what it says after is what counts.
    let asked_now;
    let e = if e.approval(ApprovalClass::Commercial, &subject).is_none() {
        let asked = Ask {
            class: ApprovalClass::Commercial,
            subject,
            scope: vec![SEND_INVOICE.into()],
            needs: Vec::new(),
        };
        asked_now = match approvals::request(store, w, org, deal, asked, By::Baton, now).await {
            Ok(advanced) => advanced.state,
            Err(ApprovalError::Store(e)) => return Err(e),
            Err(other) => {
                tracing::warn!(deal, error = %other, "the invoice's approval could not be asked for");
                e.clone()
            }
        };
        &asked_now
    } else {
        e
    };
    let live = store.live_document(org, deal, INVOICE).await?;
    let may_send = live.as_ref().is_some_and(|i| may_send(e, i).is_ok());
    let resumed = store
        .engagement_events(org, deal)
        .await?
        .iter()
        .filter(|ev| {
            ev.related_track.as_deref() == Some(TRACK)
                && ev.event_type.0 == EventType::BlockerRemoved
        })
        .count();
    let mut terms = terms(&o.profile, &number, issued, (&contract, &c), may_send);
    terms.resumed = u32::try_from(resumed).unwrap_or(u32::MAX);
    ask(orch, store, o, &rep, (deal, INVOICE, EVENT), &terms).await
}

/// The digest of an `invoice_drafting` payload's terms.
pub fn terms_digest(payload: &Value) -> Option<String> {
    digest_as::<InvoiceTerms>(payload)
}

/// Whether `invoice` (the deal's live version) may be sent now; `Err`
/// says why not: the commercial track is blocked, no approval permits
/// `send_invoice`, or the one that does was given before this version was
/// drafted.
pub fn may_send(e: &Engagement, invoice: &Document) -> Result<(), String> {
    if let Some(t) = e
        .tracks
        .iter()
        .find(|t| t.name == TRACK && t.status == TrackStatus::Blocked)
    {
        let why = if t.blockers.is_empty() {
            String::new()
        } else {
            format!(": {}", t.blockers.join("; "))
        };
        return Err(format!("the {TRACK} track is blocked{why}"));
    }
    e.permits(SEND_INVOICE)?;
    let given_on_it = e.approvals.iter().any(|a| {
        a.is_live()
            && a.permits.iter().any(|p| p == SEND_INVOICE)
            && a.decided_at.is_some_and(|at| at >= invoice.created_at)
    });
    if !given_on_it {
        return Err(format!(
            "the approval to send it was given before invoice v{} was drafted: decide it again on this version",
            invoice.version
        ));
    }
    Ok(())
}

/// The org's invoice number prefix: `invoice.prefix` kept to letters,
/// digits and `-` (at most 12), else `INV`.
fn prefix(profile: &Value) -> String {
    let p: String = profile["invoice"]["prefix"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(12)
        .collect();
    let p = p.trim_matches('-');
    if p.is_empty() {
        "INV".to_owned()
    } else {
        p.to_owned()
    }
}

/// The org's tax: `invoice.tax_percent` (0 to 100, to two decimals) and
/// `invoice.tax_label` (else `Tax`); `None` when no rate is set.
fn tax(profile: &Value) -> Option<TaxRate> {
    let percent = profile["invoice"]["tax_percent"].as_f64()?;
    if !(0.0..=100.0).contains(&percent) {
        return None;
    }
    let label = profile["invoice"]["tax_label"]
        .as_str()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or("Tax");
    Some(TaxRate {
        label: label.chars().take(40).collect(),
        // A rate of 0 to 100 percent: 0 to 10,000 basis points.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        basis_points: (percent * 100.0).round() as u32,
    })
}

/// The terms of the deal's invoice `number`, issued at `issued` (Unix
/// ms), under `contract` (its stored version and document).
fn terms(
    profile: &Value,
    number: &str,
    issued: i64,
    (contract, c): (&Document, &ContractDoc),
    may_send: bool,
) -> InvoiceTerms {
    let issued = jiff::Timestamp::from_millisecond(issued)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .ok();
    let payment_days = setting(profile, "payment_days");
    let due_on = issued
        .zip(payment_days)
        .and_then(|(d, days)| d.checked_add(jiff::Span::new().days(i64::from(days))).ok())
        .map(|d| d.to_string());
    InvoiceTerms {
        deal_id: c.deal_id.clone(),
        number: number.to_owned(),
        issued_on: issued.map(|d| d.to_string()).unwrap_or_default(),
        due_on,
        payment_days,
        contract: ContractRef {
            id: contract.id.clone(),
            version: u32::try_from(contract.version).unwrap_or(0),
            title: c.title.clone(),
        },
        seller: c.provider.clone(),
        buyer: c.client.clone(),
        currency: c.currency.clone(),
        contract_amount: c.amount,
        deposit_percent: setting(profile, "deposit_percent"),
        tax: tax(profile),
        may_send,
        resumed: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::{ApprovalState, ApprovalStep, Decision, Happening};
    use baton_store::OrgId;
    use serde_json::json;

    fn happening(event: &str, approval: Option<ApprovalStep>) -> Happening {
        Happening {
            event: event.into(),
            actor: "inbox:jordan".into(),
            facts: Vec::new(),
            artifact: None,
            evidence: "the deal page".into(),
            artifact_log: None,
            resolve: None,
            approval,
        }
    }

    fn invoice(version: i64, created_at: i64) -> Document {
        Document {
            id: format!("invoice_j{version}"),
            org_id: OrgId::from("o1"),
            deal_id: "d1".into(),
            kind: INVOICE.into(),
            version,
            status: "draft".into(),
            title: "Invoice INV-0001".into(),
            doc: "{}".into(),
            gaps: 0,
            job_id: "j".into(),
            supersedes: None,
            created_at,
            sent_at: None,
        }
    }

    #[test]
    fn an_invoice_goes_out_only_on_an_approval_of_its_version_and_never_in_a_dispute() {
        let w = Workflow::shipped();
        let mut e = Engagement::start(&w, "d1", "negotiation");
        let v1 = invoice(1, 100);
        assert!(may_send(&e, &v1).unwrap_err().contains("no approval"));
        let ask = ApprovalStep::Request {
            class: ApprovalClass::Commercial,
            subject: "invoice INV-0001".into(),
            scope: vec![SEND_INVOICE.into()],
            needs: Vec::new(),
        };
        e.apply(&w, &happening("approval_requested", Some(ask)), 150)
            .expect("asked");
        let id = e
            .approval(ApprovalClass::Commercial, "invoice INV-0001")
            .expect("the approval")
            .id;
        let decide = ApprovalStep::Decide(Decision {
            id,
            class: ApprovalClass::Commercial,
            state: ApprovalState::Approved,
            permits: Vec::new(),
            conditions: Vec::new(),
            evidence: "matches the contract".into(),
        });
        e.apply(&w, &happening("approval_decided", Some(decide)), 200)
            .expect("decided");
        assert_eq!(may_send(&e, &v1), Ok(()));
        let why = may_send(&e, &invoice(2, 300)).unwrap_err();
        assert!(why.contains("given before invoice v2 was drafted"), "{why}");
        e.apply(&w, &happening("billing_dispute", None), 400)
            .expect("disputed");
        let why = may_send(&e, &v1).unwrap_err();
        assert!(
            why.starts_with("the commercial track is blocked: The client disputes an invoice"),
            "{why}"
        );
        e.apply(&w, &happening("billing_settled", None), 500)
            .expect("settled");
        assert_eq!(may_send(&e, &v1), Ok(()));
    }

    #[test]
    fn the_org_settings_are_read_with_care() {
        assert_eq!(prefix(&json!({})), "INV");
        assert_eq!(
            prefix(&json!({ "invoice": { "prefix": " ACME/../x " } })),
            "ACMEx"
        );
        assert_eq!(prefix(&json!({ "invoice": { "prefix": "--" } })), "INV");
        let t = |v: Value| tax(&json!({ "invoice": v }));
        assert_eq!(t(json!({})), None, "no rate is a gap, not zero");
        assert_eq!(
            t(json!({ "tax_percent": 20, "tax_label": "VAT" })),
            Some(TaxRate {
                label: "VAT".into(),
                basis_points: 2_000
            })
        );
        assert_eq!(
            t(json!({ "tax_percent": 8.875 })).map(|r| (r.label, r.basis_points)),
            Some(("Tax".into(), 888))
        );
        assert_eq!(
            t(json!({ "tax_percent": 0 })).map(|r| r.basis_points),
            Some(0)
        );
        assert_eq!(t(json!({ "tax_percent": 120 })), None);
        assert_eq!(t(json!({ "tax_percent": "20" })), None);
    }
}
