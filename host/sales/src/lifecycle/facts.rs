//! Facts reported about a deal from outside a proposal (an integration, a
//! rep, a call's notes) and decisions on conflicts between sources. A fact
//! that disagrees with the one held stops its track
//! ([`crate::engagement::Engagement::apply`]); a decision picks a side and
//! lets the track go on.

use super::proposals::By;
use crate::engagement::{Fact, Happening, Resolve, Side, SourceKind, Workflow};
use crate::store::{Advanced, EngagementTables};
use baton_store::{OrgId, Store, StoreError};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why a report or a decision is refused before anything is stored.
#[derive(Debug, thiserror::Error)]
pub enum FactError {
    #[error("`{0}` is not a fact of the workflow: one of {1}")]
    UnknownFact(String, String),
    #[error("a fact's source is 1 to 200 characters, saying where it comes from")]
    BadSource,
    #[error("a fact's value cannot be null")]
    NullValue,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A short digest of `parts`, for happening keys.
pub(super) fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..12])
}

/// Report `name` = `value` on `deal`, from `source` (of `kind`); the same
/// report twice is one.
#[allow(clippy::too_many_arguments)]
pub async fn report(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
    name: &str,
    value: &Value,
    source: &str,
    kind: SourceKind,
    by: By<'_>,
    now: i64,
) -> Result<Advanced, FactError> {
    if !w.fields.contains_key(name) {
        let known: Vec<&str> = w.fields.keys().map(String::as_str).collect();
        return Err(FactError::UnknownFact(name.to_owned(), known.join(", ")));
    }
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 200 {
        return Err(FactError::BadSource);
    }
    if value.is_null() {
        return Err(FactError::NullValue);
    }
    let h = Happening {
        event: "fact_reported".into(),
        actor: by.actor(),
        facts: vec![(
            name.to_owned(),
            Fact {
                value: value.clone(),
                source: source.to_owned(),
                kind,
                at: now,
            },
        )],
        artifact: None,
        evidence: format!("{name} reported by {}: {source}", by.actor()),
        artifact_log: None,
        resolve: None,
        approval: None,
    };
    let key = format!("fact:{name}:{}", digest(&[&value.to_string(), source]));
    Ok(store
        .advance_engagement(org, deal, w, &key, &h, now)
        .await?)
}

/// Decide the conflict on `fact`: `keep` the held value or the other.
/// [`StoreError::Stale`] when no conflict on it stands; the same decision
/// twice is one.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
    fact: &str,
    keep: Side,
    by: By<'_>,
    now: i64,
) -> Result<Advanced, StoreError> {
    // The key names the conflict decided, so a retry is one decision and a
    // later conflict on the same fact is another.
    let standing = store
        .engagement(org, deal)
        .await?
        .and_then(|e| e.conflicts.into_iter().find(|c| c.fact == fact));
    let which = standing.as_ref().map_or_else(String::new, |c| {
        digest(&[
            &c.held.value.to_string(),
            &c.other.value.to_string(),
            &c.other.source,
        ])
    });
    let side = match keep {
        Side::Held => "held",
        Side::Other => "other",
    };
    let h = Happening {
        event: "conflict_decided".into(),
        actor: by.actor(),
        facts: Vec::new(),
        artifact: None,
        evidence: format!("decided by {}", by.actor()),
        artifact_log: None,
        resolve: Some(Resolve {
            fact: fact.to_owned(),
            keep,
        }),
        approval: None,
    };
    let key = format!("decide:{fact}:{which}:{side}");
    store.advance_engagement(org, deal, w, &key, &h, now).await
}
