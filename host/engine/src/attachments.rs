//! What events carry by reference, as the engine reads it back: the ids
//! a payload refers to ([`referenced`]), an erasure's tombstone in words
//! ([`erased_words`]), and one org's attachments lent to its calls and
//! replays ([`lent`]). Setting a payload's words aside is the
//! orchestrator's (`orchestrator/set_aside.rs`). A leaf: the store and
//! the runtime only.

use crate::runtime::{Attachment, AttachmentFuture, Attachments};
use crate::store::{Content, OrgId, Store, Tombstone};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The attachments `payload` refers to: its top-level texts that are ids
/// the orchestrator wrote (`att_` and 32 hex digits).
pub fn referenced(payload: &Value) -> Vec<&str> {
    let is_id = |s: &&str| {
        s.strip_prefix("att_")
            .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    payload
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(Value::as_str)
        .filter(is_id)
        .collect()
}

/// The words a person reads for a tombstone: "erased 2026-11-29 10:04 UTC
/// by dpo@acme.example: the customer asked".
pub fn erased_words(t: &Tombstone) -> String {
    let when = jiff::Timestamp::from_millisecond(t.erased_at)
        .map(|ts| ts.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| t.erased_at.to_string());
    format!("erased {when} by {}: {}", t.erased_by, t.why)
}

/// The attachments of one org, lent to its calls: the JSON text as
/// stored, each read once and kept for the lender's life (one job's run,
/// whose steps each read the meeting; an erasure waits while that job
/// runs, see `orchestrator/erasure`). A tombstone is never kept.
struct Lent {
    store: Store,
    org: OrgId,
    read: Mutex<HashMap<String, Arc<str>>>,
}

impl Lent {
    fn kept(&self, id: &str) -> Option<Arc<str>> {
        self.read
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }
}

impl Attachments for Lent {
    fn attachment<'a>(&'a self, id: &'a str) -> AttachmentFuture<'a> {
        Box::pin(async move {
            if let Some(text) = self.kept(id) {
                return Ok(Some(Attachment::Found(text)));
            }
            let found = self
                .store
                .attachment_text(&self.org, id)
                .await
                .map_err(|e| e.to_string())?;
            Ok(found.map(|content| match content {
                Content::Body(text) => {
                    let text: Arc<str> = text.into();
                    self.read
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(id.to_owned(), text.clone());
                    Attachment::Found(text)
                }
                Content::Erased(t) => Attachment::Erased(erased_words(&t)),
            }))
        })
    }
}

/// [`Lent`] for `org`, as a job's run (or a replay) lends it to its calls.
pub fn lent(store: &Store, org: &OrgId) -> Arc<dyn Attachments> {
    Arc::new(Lent {
        store: store.clone(),
        org: org.clone(),
        read: Mutex::new(HashMap::new()),
    })
}
