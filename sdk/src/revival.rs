//! The `stale_deal_revival` chain's shared vocabulary: what
//! `research-trigger-events` found to reach out about ([`Triggers`]), why
//! `analyse-stall-reason` thinks the deal went quiet ([`Stall`]), both read
//! back by `draft-reengagement`. Their output schemas are derived from
//! these types. Only shapes; nothing here reads the CRM or a provider.

use crate::briefing::{NewsItem, ProviderStatus};
use serde::{Deserialize, Serialize};

/// Default name of the research step (the `triggers_step` param).
pub fn triggers_step() -> String {
    "research-trigger-events".to_owned()
}

/// Default name of the diagnosis step (the `stall_step` param).
pub fn stall_step() -> String {
    "analyse-stall-reason".to_owned()
}

/// What the research rests on.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The news provider answered (possibly with nothing recent).
    News,
    /// No provider answered: the CRM history alone.
    #[default]
    CrmOnly,
}

/// Recent events at the deal's company worth a message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Triggers {
    #[serde(default)]
    pub deal_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub basis: Basis,
    #[serde(default)]
    pub provider_status: Option<ProviderStatus>,
    /// Why there are no events, or why the research is CRM-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Newest first.
    #[serde(default)]
    pub events: Vec<NewsItem>,
}

/// Why a deal went quiet, as the CRM history shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StallKind {
    /// Pricing or a proposal went out, then nothing came back.
    QuietAfterPricing,
    /// The champion left, changed, or their email bounced.
    ChampionLeft,
    /// A competitor came up.
    Competitor,
    /// Nothing was agreed to happen next.
    NoNextStep,
}

impl StallKind {
    /// The wire name, e.g. `quiet_after_pricing`.
    pub fn as_str(self) -> &'static str {
        match self {
            StallKind::QuietAfterPricing => "quiet_after_pricing",
            StallKind::ChampionLeft => "champion_left",
            StallKind::Competitor => "competitor",
            StallKind::NoNextStep => "no_next_step",
        }
    }
}

/// A line of the deal's history that shows a reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    /// `YYYY-MM-DD` (UTC), when the line has a date.
    #[serde(default)]
    pub on: Option<String>,
    /// Whole days from then to the analysis.
    #[serde(default)]
    pub days_ago: Option<i64>,
    /// `email`, `call`, `meeting`, `deal` (a field of the deal), …
    pub kind: String,
    /// The line as the CRM has it.
    pub line: String,
}

/// One reason and what shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StallReason {
    pub kind: StallKind,
    /// One sentence for the rep.
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

/// The diagnosis, strongest reason first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stall {
    #[serde(default)]
    pub deal_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    /// Whole days since the deal's last activity.
    #[serde(default)]
    pub days_quiet: Option<i64>,
    /// The deal's last activity.
    #[serde(default)]
    pub last_activity: Option<Evidence>,
    #[serde(default)]
    pub reasons: Vec<StallReason>,
}
