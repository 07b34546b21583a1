//! The briefing group's shared vocabulary (`pre_meeting_90min`): what the
//! research steps find, as they write it (their output schemas are derived
//! from these types) and as `generate-briefing` passes it on to the rep.
//! Only shapes; nothing here reads the CRM or a provider.

use serde::{Deserialize, Serialize};

/// How a tier-3 provider (enrichment, news) fared for this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderStatus {
    /// It answered (possibly with nothing), or was not needed.
    Ok,
    /// No usable configuration, or its context is unavailable.
    NotConfigured,
    /// It was refused, too slow, or answered with an error or garbage.
    Failed,
}

impl ProviderStatus {
    /// `ok`, `not_configured` or `failed`, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderStatus::Ok => "ok",
            ProviderStatus::NotConfigured => "not_configured",
            ProviderStatus::Failed => "failed",
        }
    }
}

/// The company a meeting is with, as the CRM records it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompanyFacts {
    pub name: Option<String>,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<i64>,
}

/// The deal a meeting is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DealFacts {
    pub name: Option<String>,
    /// See [`crate::crm::STAGES`].
    pub stage: Option<String>,
    /// The amount with its currency, e.g. `£5,400` (see [`crate::crm::money`]).
    pub amount: Option<String>,
    pub amount_cents: Option<i64>,
    /// ISO 4217, `USD` when the CRM says nothing.
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub close_date: Option<String>,
    /// Days from the meeting to the close date (negative when past).
    pub days_to_close: Option<i64>,
}

/// A CRM activity before the meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Touch {
    /// `call`, `email`, `note`, … (`activity` when unknown).
    pub kind: String,
    pub summary: String,
    /// `YYYY-MM-DD` (UTC).
    pub on: String,
    /// Days before the meeting, when its start is known.
    pub days_ago: Option<i64>,
}

/// An earlier meeting the CRM recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingHeld {
    pub title: Option<String>,
    /// `YYYY-MM-DD` (UTC).
    pub on: String,
    pub days_ago: Option<i64>,
}

/// An email thread still moving before the meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenThread {
    pub subject: Option<String>,
    /// `YYYY-MM-DD` (UTC).
    pub last_message_on: String,
    pub days_ago: Option<i64>,
}

/// An action item from an earlier meeting that is still open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenItem {
    pub text: String,
    /// `rep`, `prospect` or a name, when the source says.
    pub owner: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    /// The day the CRM recorded it.
    pub recorded_on: Option<String>,
    /// Due before the meeting's day.
    pub overdue: bool,
    pub days_overdue: Option<i64>,
    pub source: ItemSource,
}

/// Where an open item was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemSource {
    /// A CRM activity (tier 2).
    Crm,
    /// The event's `previous_action_items`.
    Event,
}

/// A news item about the company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewsItem {
    pub title: String,
    /// An http(s) link.
    pub url: Option<String>,
    pub source: Option<String>,
    /// `YYYY-MM-DD`.
    pub published_on: Option<String>,
    pub summary: Option<String>,
}
