//! Attachments: a large part of an event (a meeting's transcript) stored
//! once per org and referred to from payloads by id. The id is a hash of
//! the org, the kind and the body, so the same words sent again, or handed
//! on to a follow-up, are one row. Erasing one empties its body and keeps
//! a tombstone (when, by whom, why) that readers show instead.

use super::rows::{Param, Row};
use super::{OrgId, Store, StoreError, on_pool};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// An attachment about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    pub org_id: &'a OrgId,
    /// The app's word for it (`transcript`): what retention and erasure
    /// select by.
    pub kind: &'a str,
    /// What it is about (a meeting's id), when the event says.
    pub subject: Option<&'a str>,
    pub body: &'a Value,
}

impl NewAttachment<'_> {
    /// Its id: `att_` and the first 32 hex digits of the SHA-256 of the
    /// org, the kind and the body.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        for part in [self.org_id.0.as_str(), self.kind, &self.body.to_string()] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let digest = hex::encode(h.finalize());
        format!("att_{}", &digest[..32])
    }

    /// The row that stores it at `now` (nothing when that id is held,
    /// erased or not), for the transaction of the job that refers to it.
    pub fn row(&self, now: i64) -> Row {
        Row {
            statement: "INSERT INTO attachments (org_id, id, kind, subject, body, created_at) \
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, id) DO NOTHING",
            values: vec![
                Param::from(self.org_id.0.as_str()),
                Param::from(self.id()),
                Param::from(self.kind),
                Param::from(self.subject.map(str::to_owned)),
                Param::from(self.body.to_string()),
                Param::from(now),
            ],
        }
    }
}

/// An attachment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAttachment {
    pub id: String,
    pub kind: String,
    pub subject: Option<String>,
    pub created_at: i64,
    /// The body, or the tombstone of its erasure.
    pub content: Content,
}

/// What an attachment holds: its body (parsed, or with
/// [`Store::attachment_text`] the JSON text as stored) or its tombstone.
#[derive(Debug, Clone, PartialEq)]
pub enum Content<B = Value> {
    Body(B),
    Erased(Tombstone),
}

/// Who erased an attachment, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub erased_at: i64,
    pub erased_by: String,
    pub why: String,
}

type AttachmentRow = (
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The org's attachments of `kind` about `subject` (a meeting's id),
    /// oldest first.
    pub async fn attachments_about(
        &self,
        org: &OrgId,
        kind: &str,
        subject: &str,
    ) -> Result<Vec<StoredAttachment>, StoreError> {
        let rows: Vec<AttachmentRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, kind, subject, created_at, body, erased_at, erased_by, erased_why
                 FROM attachments WHERE org_id = $1 AND kind = $2 AND subject = $3
                 ORDER BY created_at, id")
            .bind(org).bind(kind).bind(subject).fetch_all(pool).await)?;
        rows.into_iter().map(stored).collect()
    }

    /// The ids of the org's attachments of `kind` stored before `before`
    /// (unix ms) and not erased, oldest first, at most 100 at a time.
    pub async fn attachments_before(
        &self,
        org: &OrgId,
        kind: &str,
        before: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
                "SELECT id FROM attachments
                 WHERE org_id = $1 AND kind = $2 AND created_at < $3 AND erased_at IS NULL
                 ORDER BY created_at, id LIMIT 100")
            .bind(org).bind(kind).bind(before).fetch_all(pool).await)?)
    }

    /// The org's attachment `id`, if it holds one.
    pub async fn attachment(
        &self,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<StoredAttachment>, StoreError> {
        let row: Option<AttachmentRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, kind, subject, created_at, body, erased_at, erased_by, erased_why
                 FROM attachments WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(stored).transpose()
    }

    /// The org's attachment `id` as stored, its body the JSON text
    /// unparsed (what a call reads, handed on as it is).
    pub async fn attachment_text(
        &self,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<Content<String>>, StoreError> {
        type TextRow = (Option<String>, Option<i64>, Option<String>, Option<String>);
        let row: Option<TextRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT body, erased_at, erased_by, erased_why
                 FROM attachments WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).fetch_optional(pool).await)?;
        row.map(|(body, erased_at, by, why)| content(id, body, erased_at, by, why))
            .transpose()
    }
}

/// A row's body or tombstone.
fn content(
    id: &str,
    body: Option<String>,
    erased_at: Option<i64>,
    by: Option<String>,
    why: Option<String>,
) -> Result<Content<String>, StoreError> {
    match (erased_at, body) {
        (Some(erased_at), _) => Ok(Content::Erased(Tombstone {
            erased_at,
            erased_by: by.unwrap_or_default(),
            why: why.unwrap_or_default(),
        })),
        (None, Some(body)) => Ok(Content::Body(body)),
        (None, None) => Err(StoreError::NotFound(format!(
            "attachment {id} has neither a body nor a tombstone"
        ))),
    }
}

/// An attachment from its row.
fn stored(row: AttachmentRow) -> Result<StoredAttachment, StoreError> {
    let (id, kind, subject, created_at, body, erased_at, by, why) = row;
    let content = match content(&id, body, erased_at, by, why)? {
        Content::Erased(t) => Content::Erased(t),
        Content::Body(body) => Content::Body(
            serde_json::from_str(&body).map_err(StoreError::json(format!("attachment {id}")))?,
        ),
    };
    Ok(StoredAttachment {
        id,
        kind,
        subject,
        created_at,
        content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_id_is_the_same_for_the_same_words_and_differs_by_org_and_kind() {
        let (a, b) = (OrgId("o1".into()), OrgId("o2".into()));
        let body = json!({ "utterances": [{ "speaker": "rep", "text": "hi" }] });
        let of = |org, kind| {
            NewAttachment {
                org_id: org,
                kind,
                subject: None,
                body: &body,
            }
            .id()
        };
        assert_eq!(of(&a, "transcript"), of(&a, "transcript"));
        assert_ne!(of(&a, "transcript"), of(&b, "transcript"));
        assert_ne!(of(&a, "transcript"), of(&a, "notes"));
        assert!(of(&a, "transcript").starts_with("att_"));
        assert_eq!(of(&a, "transcript").len(), 36);
    }
}
