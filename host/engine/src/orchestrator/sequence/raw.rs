//! A sequence file as written: the TOML shapes serde reads, with spans,
//! before `parse.rs` and `validate.rs` check them. A leaf.

use super::step::{Approval, OnExpiry, Order, Pin};
use serde::Deserialize;
use toml::Spanned;

/// A sequence file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSequence {
    pub(super) event: Spanned<String>,
    #[serde(default)]
    pub(super) description: String,
    pub(super) dedupe_key: Option<String>,
    /// The payload's JSON Schema: a file in the sequences folder.
    pub(super) payload_schema: Option<Spanned<String>>,
    /// Dollars.
    pub(super) step_estimate: Option<f64>,
    #[serde(default)]
    pub(super) pin: Pin,
    /// How steps are ordered: `listed` (file order, groups side by side)
    /// or `flow` (from the skills' declared data flow).
    #[serde(default)]
    pub(super) order: Order,
    #[serde(default)]
    pub(super) step: Vec<Spanned<RawStep>>,
}

/// A `[[step]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub(super) name: Option<Spanned<String>>,
    pub(super) skill: Spanned<String>,
    #[serde(default)]
    pub(super) context: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) approval: Approval,
    pub(super) on_failure: Option<Spanned<RawOnFailure>>,
    /// Steps this one runs after although it reads nothing of theirs
    /// (`order = "flow"` only).
    #[serde(default)]
    pub(super) after: Vec<Spanned<String>>,
    pub(super) max_attempts: Option<Spanned<u32>>,
    pub(super) backoff_ms: Option<u64>,
    pub(super) condition: Option<Spanned<String>>,
    pub(super) fuel: Option<u64>,
    pub(super) timeout_ms: Option<u64>,
    pub(super) params: Option<Spanned<toml::Table>>,
    pub(super) group: Option<String>,
    pub(super) expires_after_minutes: Option<u64>,
    #[serde(default)]
    pub(super) on_expiry: OnExpiry,
}

/// `on_failure` as written: a mode, or a table naming a fallback skill.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawOnFailure {
    Mode(String),
    Fallback(RawFallback),
}

/// `on_failure = { fallback = "other-skill", then = "continue" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFallback {
    pub(super) fallback: String,
    /// What the fallback's own failure does: `stop` (default) or `continue`.
    pub(super) then: Option<String>,
}
