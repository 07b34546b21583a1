//! The import document (`baton import FILE`, see `examples/demo.json`) and
//! what an import answers: the types `import.rs` reads and writes, and
//! `import_lines.rs` and `import_meetings.rs` share. A leaf.

use crate::store::SalesPreferences;
use crate::store::preferences::KEYS;
use baton_store::{Preferences, StoreError};
use baton_types::catalog::{ContentItem, PriceBook};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The import document (see `examples/demo.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportDoc {
    pub org: OrgDoc,
    #[serde(default)]
    pub users: Vec<UserDoc>,
    #[serde(default)]
    pub companies: Vec<CompanyDoc>,
    #[serde(default)]
    pub contacts: Vec<ContactDoc>,
    #[serde(default)]
    pub deals: Vec<DealDoc>,
    #[serde(default)]
    pub activities: Vec<ActivityDoc>,
    /// What the org sells and at what price (served to skills as the
    /// tier-3 provider `price_book`).
    #[serde(default)]
    pub price_book: Option<PriceBook>,
    /// Case studies, the security pack, pricing sheets … (served as the
    /// tier-3 provider `content_library`).
    #[serde(default)]
    pub content_library: Vec<ContentItem>,
    /// Calendar events of the reps (`import_meetings.rs`).
    #[serde(default)]
    pub meetings: Vec<MeetingDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgDoc {
    pub slug: String,
    pub name: String,
    /// ICP, products, tone: tier-1 context.
    #[serde(default)]
    pub profile: Value,
    /// Event types switched on or off.
    #[serde(default)]
    pub features: BTreeMap<String, bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDoc {
    pub handle: String,
    pub name: String,
    pub email: String,
    #[serde(default = "default_role")]
    pub role: String,
    /// The handle of the user they report to: `null` for nobody; left out,
    /// the org's line is kept (`import_lines.rs`).
    #[serde(default, deserialize_with = "given")]
    pub manager: Option<Option<String>>,
    /// Only the fields given change: the rest keep what the store has.
    #[serde(default)]
    pub preferences: Option<PreferencesDoc>,
}

/// A user's preferences as a document gives them: an import changes only
/// the fields it names (a re-import that leaves out `slack_channel` keeps
/// the rep's channel); a new user's others take their defaults.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct PreferencesDoc(serde_json::Map<String, Value>);

impl PreferencesDoc {
    /// The engine's settings `base` and the app's `sales` with this
    /// document's fields over them, or what is wrong.
    pub fn over(
        &self,
        base: &Preferences,
        sales: &SalesPreferences,
    ) -> Result<(Preferences, SalesPreferences), String> {
        if let Some(m) = Preferences::unknown_field(self.0.keys(), KEYS) {
            return Err(m);
        }
        let mut engine = match serde_json::to_value(base).map_err(|e| e.to_string())? {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        let mut own = sales.to_doc();
        for (k, v) in &self.0 {
            match KEYS.contains(&k.as_str()) {
                true => own.insert(k.clone(), v.clone()),
                false => engine.insert(k.clone(), v.clone()),
            };
        }
        let engine = serde_json::from_value(Value::Object(engine)).map_err(|e| e.to_string())?;
        Ok((engine, SalesPreferences::from_doc(&own)?))
    }

    /// The Slack user id the document gives, if it names one.
    pub(super) fn slack_user_id(&self) -> Option<&str> {
        self.0.get("slack_user_id").and_then(Value::as_str)
    }
}

fn default_role() -> String {
    "rep".into()
}

/// A field that is there (even as `null`), told apart from one left out.
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyDoc {
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDoc {
    pub name: String,
    pub email: String,
    /// The company's name, as in `companies`.
    pub company: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealDoc {
    pub name: String,
    pub stage: String,
    pub company: Option<String>,
    /// The contact's email.
    pub contact: Option<String>,
    /// The owner's handle.
    pub owner: Option<String>,
    pub amount_cents: Option<i64>,
    #[serde(default = "default_currency")]
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub close_date: Option<String>,
}

fn default_currency() -> String {
    "USD".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    /// The deal's name.
    pub deal: Option<String>,
    /// The contact's email.
    pub contact: Option<String>,
    /// The user's handle.
    pub user: Option<String>,
    pub kind: String,
    pub summary: String,
    /// RFC 3339, e.g. `2026-11-02T15:30:00Z`.
    pub occurred_at: String,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub org: String,
    pub users: usize,
    pub companies: usize,
    pub contacts: usize,
    pub deals: usize,
    pub activities: usize,
    /// Tiers in the price book (0 when the document has none).
    pub price_tiers: usize,
    pub content_items: usize,
    pub meetings: usize,
}

/// Why an import failed; the message names the record and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(super) fn invalid<T>(message: String) -> Result<T, ImportError> {
    Err(ImportError::Invalid(message))
}

/// A meeting on a rep's calendar.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingDoc {
    /// The rep's handle.
    pub user: String,
    pub title: String,
    /// RFC 3339, or `today HH:MM` / `tomorrow HH:MM` in the rep's zone.
    pub starts_at: String,
    /// How long it lasts.
    #[serde(default = "default_minutes")]
    pub minutes: i64,
    /// The contact it is with (an email in `contacts`).
    #[serde(default)]
    pub contact: Option<String>,
    /// The deal it is about (a name in `deals`).
    #[serde(default)]
    pub deal: Option<String>,
}

fn default_minutes() -> i64 {
    30
}
