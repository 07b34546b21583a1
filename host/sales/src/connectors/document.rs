//! An email that carries one of a deal's documents (`"document": {"kind":
//! "contract", "contract": {…}}` or `{"kind": "invoice", "invoice": {…}}`
//! in its `email_send` payload): the document as the rep saw it at the
//! gate, attached as a PDF. It is sent only while that document is still
//! the deal's live version (a newer draft supersedes it) and the deal's
//! approvals permit the send (`send_for_signature` for a contract; for an
//! invoice, `send_invoice` given on this version, with the commercial
//! track not blocked); otherwise the send is refused, naming why. The
//! send-as-rep rules apply on top.

use super::{ConnectorError, Connectors};
use crate::documents::{CONTRACT, Drafted, INVOICE, SEND_FOR_SIGNATURE};
use crate::engagement::{EventType, Happening};
use crate::lifecycle::invoice;
use crate::store::Advanced;
use crate::store::{Document, DocumentTables, EngagementTables};
use baton_engine::connectors::content::File;
use baton_store::Effect;
use serde::Deserialize;

/// A document an email carries, ready to attach.
pub(super) struct Carried {
    pub document: Document,
    pub file: File,
}

#[derive(Deserialize)]
struct Reference {
    kind: String,
}

/// The document `effect` carries, checked and rendered; `None` for an
/// email that carries none.
pub(super) async fn carried(
    c: &Connectors,
    effect: &Effect,
) -> Result<Option<Carried>, ConnectorError> {
    let raw = &effect.payload["payload"]["document"];
    if raw.is_null() {
        return Ok(None);
    }
    let bad = |m: String| ConnectorError::rejected(format!("email_send payload: {m}"));
    let r = Reference::deserialize(raw).map_err(|e| bad(format!("`document`: {e}")))?;
    let kind = r.kind.as_str();
    if ![CONTRACT, INVOICE].contains(&kind) {
        return Err(bad(format!(
            "`document` kind `{kind}` is not one baton sends"
        )));
    }
    let doc = Drafted::of(kind, &raw[kind])
        .ok_or_else(|| bad(format!("`document` has no readable `{kind}`")))?;
    let store = c.store()?;
    let org = &effect.org_id;
    let live = store
        .live_document(org, doc.deal_id(), kind)
        .await?
        .ok_or_else(|| {
            ConnectorError::rejected(format!("not sent: the deal has no {kind} on record"))
        })?;
    if Drafted::read(kind, &live.doc).as_ref() != Some(&doc) {
        return Err(ConnectorError::rejected(format!(
            "not sent: the {kind} changed since this email was drafted (now v{}); send the current version",
            live.version
        )));
    }
    if live.status == "sent" {
        return Err(ConnectorError::rejected(format!(
            "not sent: {kind} v{} was already sent",
            live.version
        )));
    }
    let e = store
        .engagement(org, doc.deal_id())
        .await?
        .ok_or_else(|| ConnectorError::rejected("not sent: the deal has no engagement"))?;
    match doc {
        Drafted::Contract(_) => e
            .permits(SEND_FOR_SIGNATURE)
            .map_err(|why| ConnectorError::rejected(format!("not sent for signature: {why}")))?,
        Drafted::Invoice(_) => invoice::may_send(&e, &live)
            .map_err(|why| ConnectorError::rejected(format!("invoice not sent: {why}")))?,
    }
    let (name, bytes) = doc.pdf(live.version);
    Ok(Some(Carried {
        file: File {
            name,
            content_type: "application/pdf",
            bytes,
        },
        document: live,
    }))
}

/// Record that `d` went out: the version is marked sent and the deal's
/// engagement log says so. The email has gone: a failure here is logged,
/// never turned into a failed send (which would send it again).
pub(super) async fn sent(c: &Connectors, effect: &Effect, d: &Document) {
    let Ok(store) = c.store() else {
        return;
    };
    let now = c.now();
    let note = match d.kind.as_str() {
        CONTRACT => format!("{} v{} sent for signature", d.kind, d.version),
        _ => format!("{} v{} emailed to the client", d.kind, d.version),
    };
    let recorded = async {
        store.mark_document_sent(&effect.org_id, &d.id, now).await?;
        let Some(w) = c.workflow.as_deref() else {
            return Ok(None);
        };
        let h = Happening {
            event: format!("{}_sent", d.kind),
            actor: "baton".into(),
            facts: Vec::new(),
            artifact: Some(d.id.clone()),
            evidence: format!("emailed as the rep (effect {})", effect.id),
            artifact_log: Some((EventType::ArtifactRevised, note.clone())),
            resolve: None,
            approval: None,
        };
        let key = format!("sent:{}", d.id);
        store
            .advance_engagement(&effect.org_id, &d.deal_id, w, &key, &h, now)
            .await
            .map(Some)
    };
    let done: Result<Option<Advanced>, baton_store::StoreError> = recorded.await;
    if let Err(e) = done {
        tracing::warn!(effect = %effect.id, document = %d.id, error = %e, "sent, but not recorded as sent");
    }
}
