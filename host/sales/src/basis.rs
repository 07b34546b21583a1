//! What a drafted email to a prospect was based on, and whether that moved
//! on (the seam's `basis` and `moved_on`). Two drafts carry a basis:
//! - a revival draft (`stale_deal_revival`): the deal's newest activity
//!   when the pipeline scan queued it (the payload's `last_activity_at`;
//!   without one, the newest activity the draft read). Any newer activity
//!   (a meeting held, an email in or out, even between the scan and the
//!   draft) withdraws it: the deal is not quiet any more.
//! - a reply draft (`email_received`): the message it answers. A newer
//!   message from the same person withdraws it: it answers the wrong
//!   message.
//!
//! - a contract's send for signature (`contract_drafting`) or an invoice's
//!   send (`invoice_drafting`): the document it carries. A newer version of
//!   the deal's document, the document already sent, or an approval that
//!   no longer permits sending it (for an invoice, a blocked commercial
//!   track too: a billing dispute) withdraws it.
//!
//! Other gates (a follow-up, a CRM change, a proposal) carry none here.

use crate::admitted::{EMAIL_RECEIVED, time_of};
use crate::documents::{CONTRACT, Drafted, INVOICE, SEND_FOR_SIGNATURE};
use crate::lifecycle::invoice;
use crate::store::{CrmTables, DocumentTables, EngagementTables};
use baton_engine::orchestrator::extension::GateDraft;
use baton_store::{PendingAction, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A draft's basis, as stored on its gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Basis {
    /// What the draft is: `revival` or `reply`.
    draft: Draft,
    deal_id: Option<String>,
    contact_id: Option<String>,
    /// The newest input it read (Unix ms): activity after it moves it on.
    after: i64,
    /// For a contract: the digest of the contract it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Draft {
    Revival,
    Reply,
    Contract,
    Invoice,
}

impl Draft {
    /// The kind of deal document a draft of this sends, if it sends one.
    fn document(self) -> Option<&'static str> {
        match self {
            Draft::Contract => Some(CONTRACT),
            Draft::Invoice => Some(INVOICE),
            Draft::Revival | Draft::Reply => None,
        }
    }
}

/// The digest of a document as stored (`deal_documents.doc`).
fn digest_of(doc: &Drafted) -> Option<String> {
    Some(hex::encode(Sha256::digest(doc.json()?.as_bytes())))
}

/// The basis of a document's send (a contract for signature, an invoice):
/// the document the email carries.
fn document_of(gate: &GateDraft<'_>) -> Option<Value> {
    let doc = gate.body["actions"].as_array()?.iter().find_map(|a| {
        let carried = &a["payload"]["document"];
        (a["kind"] == "email_send")
            .then(|| {
                Drafted::of(
                    carried["kind"].as_str()?,
                    &carried[carried["kind"].as_str()?],
                )
            })
            .flatten()
    })?;
    let draft = match doc {
        Drafted::Contract(_) => Draft::Contract,
        Drafted::Invoice(_) => Draft::Invoice,
    };
    serde_json::to_value(Basis {
        draft,
        deal_id: Some(doc.deal_id().to_owned()),
        contact_id: None,
        after: 0,
        document: Some(digest_of(&doc)?),
    })
    .ok()
}

/// Why a document's send no longer holds: the deal's document of `kind`
/// changed or went out, or the approvals no longer permit the send.
async fn document_moved_on(
    store: &Store,
    gate: &PendingAction,
    basis: &Basis,
    kind: &str,
) -> Result<Option<String>, StoreError> {
    let Some(deal) = basis.deal_id.as_deref() else {
        return Ok(None);
    };
    let live = store.live_document(&gate.org_id, deal, kind).await?;
    let Some(live) = live else {
        return Ok(Some(format!("the deal has no {kind} on record any more")));
    };
    let held = Drafted::read(kind, &live.doc).and_then(|d| digest_of(&d));
    if held != basis.document {
        return Ok(Some(format!(
            "the {kind} changed since (v{} is current)",
            live.version
        )));
    }
    if live.status == "sent" {
        return Ok(Some(format!("{kind} v{} was already sent", live.version)));
    }
    let Some(e) = store.engagement(&gate.org_id, deal).await? else {
        return Ok(Some("the deal has no engagement".into()));
    };
    let permits = match basis.draft {
        Draft::Invoice => invoice::may_send(&e, &live),
        _ => e.permits(SEND_FOR_SIGNATURE),
    };
    Ok(permits
        .err()
        .map(|why| format!("the approval no longer permits the send: {why}")))
}

/// The basis of `gate`, for a revival or reply draft that proposes an
/// email to a known contact or deal.
pub(super) fn of(gate: &GateDraft<'_>) -> Option<Value> {
    let draft = match gate.event_type {
        "stale_deal_revival" => Draft::Revival,
        "email_received" => Draft::Reply,
        crate::lifecycle::contract::EVENT | crate::lifecycle::invoice::EVENT => {
            return document_of(gate);
        }
        _ => return None,
    };
    let emails = gate.body["actions"]
        .as_array()
        .is_some_and(|a| a.iter().any(|a| a["kind"] == "email_send"));
    let tier = gate.contact?;
    let id = |k: &str| tier[k]["id"].as_str().map(str::to_owned);
    let (deal_id, contact_id) = (id("deal"), id("contact"));
    if !emails || (deal_id.is_none() && contact_id.is_none()) {
        return None;
    }
    // The activities the draft read, newest first.
    let activities = tier["activities"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let newest = |kind: Option<&str>| {
        activities
            .iter()
            .filter(|a| kind.is_none_or(|k| a["kind"] == k))
            .filter_map(|a| a["occurred_at"].as_i64())
            .max()
    };
    let after = match draft {
        Draft::Revival => match gate.payload.get("last_activity_at") {
            // The scan's snapshot: a deal that had no activity then.
            Some(Value::Null) => 0,
            Some(at) => at.as_i64()?,
            None => newest(None).unwrap_or(0),
        },
        Draft::Reply => {
            time_of(gate.payload, &["received_at"]).or_else(|| newest(Some(EMAIL_RECEIVED)))?
        }
        Draft::Contract | Draft::Invoice => return None,
    };
    serde_json::to_value(Basis {
        draft,
        deal_id: if draft == Draft::Reply { None } else { deal_id },
        contact_id,
        after,
        document: None,
    })
    .ok()
}

/// Why `gate`'s draft no longer holds, if it does not: the newer activity
/// on its deal or contact (for a reply, a newer message from its contact).
pub(super) async fn moved_on(
    store: &Store,
    gate: &PendingAction,
) -> Result<Option<String>, StoreError> {
    let Some(basis) = gate
        .basis
        .clone()
        .and_then(|b| serde_json::from_value::<Basis>(b).ok())
    else {
        return Ok(None);
    };
    if let Some(kind) = basis.draft.document() {
        return document_moved_on(store, gate, &basis, kind).await;
    }
    let kind = (basis.draft == Draft::Reply).then_some(EMAIL_RECEIVED);
    let newer = store
        .activity_after(
            &gate.org_id,
            basis.deal_id.as_deref(),
            basis.contact_id.as_deref(),
            basis.after,
            kind,
        )
        .await?;
    Ok(newer.map(|a| {
        let on = jiff::Timestamp::from_millisecond(a.occurred_at)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        match basis.draft {
            Draft::Revival => format!("the deal is active again ({} on {on})", a.summary),
            Draft::Reply | Draft::Contract | Draft::Invoice => {
                format!("a newer message arrived ({} on {on})", a.summary)
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_store::Pattern;
    use serde_json::json;

    fn gate<'a>(
        event: &'a str,
        body: &'a Value,
        payload: &'a Value,
        tier: &'a Value,
    ) -> GateDraft<'a> {
        GateDraft {
            body,
            pattern: Pattern::Confirm,
            title: "",
            event_type: event,
            payload,
            contact: Some(tier),
        }
    }

    #[test]
    fn only_a_revival_or_reply_email_draft_carries_a_basis() {
        let tier = json!({ "contact": { "id": "c1" }, "deal": { "id": "d1" }, "activities": [
            { "kind": "email_received", "occurred_at": 500 }, { "kind": "meeting", "occurred_at": 900 } ] });
        let email = json!({ "actions": [{ "kind": "email_send", "payload": {} }] });
        let crm = json!({ "actions": [{ "kind": "crm_update", "payload": {} }] });
        let none = json!({});
        let revival = of(&gate("stale_deal_revival", &email, &none, &tier)).expect("a basis");
        assert_eq!(
            revival,
            json!({ "draft": "revival", "deal_id": "d1", "contact_id": "c1", "after": 900 })
        );
        // The scan's snapshot, when the payload has one: the meeting at 900
        // came after the scan and is newer than what the draft is based on.
        let scanned = json!({ "last_activity_at": 500 });
        let revival = of(&gate("stale_deal_revival", &email, &scanned, &tier)).expect("a basis");
        assert_eq!(revival["after"], 500);
        let never = json!({ "last_activity_at": null });
        let revival = of(&gate("stale_deal_revival", &email, &never, &tier)).expect("a basis");
        assert_eq!(
            revival["after"], 0,
            "no activity at the scan: any activity is newer"
        );
        let received = json!({ "received_at": "1970-01-01T00:00:01Z" });
        let reply = of(&gate("email_received", &email, &received, &tier)).expect("a basis");
        assert_eq!(
            reply,
            json!({ "draft": "reply", "deal_id": null, "contact_id": "c1", "after": 1000 })
        );
        let reply = of(&gate("email_received", &email, &none, &tier)).expect("a basis");
        assert_eq!(
            reply["after"], 500,
            "the newest message read, without a time in the payload"
        );
        assert_eq!(of(&gate("stale_deal_revival", &crm, &none, &tier)), None);
        assert_eq!(of(&gate("meeting_ended", &email, &none, &tier)), None);
        let unknown = json!({ "contact": null, "deal": null });
        assert_eq!(
            of(&gate("stale_deal_revival", &email, &none, &unknown)),
            None
        );
    }
}
