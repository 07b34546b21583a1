//! An email that carries one of a deal's documents (`"document": {"kind":
//! "contract", "contract": {…}}` in its `email_send` payload): the
//! document as the rep saw it at the gate, attached as a PDF. It is sent
//! only while that document is still the deal's live version (a newer
//! draft supersedes it) and the deal's approvals permit the send
//! (`send_for_signature` for a contract); otherwise the send is refused,
//! naming why. The send-as-rep rules apply on top.

use super::{ConnectorError, Connectors};
use crate::documents::{self, CONTRACT, SEND_FOR_SIGNATURE};
use crate::engagement::{EventType, Happening};
use crate::store::Advanced;
use crate::store::{Document, DocumentTables, EngagementTables};
use baton_engine::connectors::content::File;
use baton_store::Effect;
use baton_types::contract::ContractDoc;
use serde::Deserialize;

/// A document an email carries, ready to attach.
pub(super) struct Carried {
    pub document: Document,
    pub file: File,
}

#[derive(Deserialize)]
struct Reference {
    kind: String,
    contract: Option<ContractDoc>,
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
    let doc = match (r.kind.as_str(), r.contract) {
        (CONTRACT, Some(doc)) => doc,
        (CONTRACT, None) => return Err(bad("`document` has no `contract`".into())),
        (other, _) => {
            return Err(bad(format!(
                "`document` kind `{other}` is not one baton sends"
            )));
        }
    };
    let store = c.store()?;
    let org = &effect.org_id;
    let live = store
        .live_document(org, &doc.deal_id, CONTRACT)
        .await?
        .ok_or_else(|| ConnectorError::rejected("not sent: the deal has no contract on record"))?;
    let held: Option<ContractDoc> = serde_json::from_str(&live.doc).ok();
    if held.as_ref() != Some(&doc) {
        return Err(ConnectorError::rejected(format!(
            "not sent: the contract changed since this email was drafted (now v{}); send the current version",
            live.version
        )));
    }
    if live.status == "sent" {
        return Err(ConnectorError::rejected(format!(
            "not sent: contract v{} was already sent",
            live.version
        )));
    }
    let e = store
        .engagement(org, &doc.deal_id)
        .await?
        .ok_or_else(|| ConnectorError::rejected("not sent: the deal has no engagement"))?;
    e.permits(SEND_FOR_SIGNATURE)
        .map_err(|why| ConnectorError::rejected(format!("not sent for signature: {why}")))?;
    let bytes = documents::pdf::render(&doc.title, &documents::contract_blocks(&doc));
    Ok(Some(Carried {
        file: File {
            name: format!(
                "{} v{}.pdf",
                doc.title.replace(['/', '\\', ':'], "-"),
                live.version
            ),
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
    let note = format!("{} v{} sent for signature", d.kind, d.version);
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
