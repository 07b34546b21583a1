//! `morning_brief`: the rep's morning, fired by the scheduler at their
//! `briefing_time` in their zone (`orchestrator/scheduler.rs`) or on demand
//! (`POST /v1/users/{handle}/brief`); read by `pipeline-analysis` and
//! `compose-morning-brief`. The payload is the snapshot the host takes
//! from its stores ([`Payload`], defined once in `baton-types`); the
//! ranking `pipeline-analysis` hands on is [`Analysis`].

pub use baton_types::brief::{
    Attention, Composed, Count, DealPulse, Gate, Gates, JobCount, Line, MAX_GATES, Meeting,
    MoneyTotal, Overnight, Pipeline, Prep, PrepStatus, ProposalViewed, Rep, Section, Thread,
    ThreadState,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The morning's snapshot, as the host takes it.
pub type Payload = baton_types::brief::Snapshot;

/// `pipeline-analysis`' output: the rep's open deals ranked, with totals
/// and what moved since the previous brief.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Analysis {
    /// Deals that need the rep today, most urgent first.
    pub needs_action: Vec<RankedDeal>,
    /// Deals with no activity for at least `stale_after_days`, stalest first.
    pub at_risk: Vec<RankedDeal>,
    /// Deals with activity since the previous brief.
    pub changed: Vec<RankedDeal>,
    /// Open pipeline per currency (minor units).
    pub open_value: Vec<Amount>,
    /// Proposals awaiting an answer per currency (minor units).
    pub proposals_awaiting: Vec<Amount>,
    /// Open deals in all.
    #[schemars(range(min = 0))]
    pub open_deals: i64,
}

/// A deal with why it is listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RankedDeal {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub company: Option<String>,
    pub days_inactive: Option<i64>,
    /// Why, in a few words each ("closes in 3 days", "2 overdue tasks").
    pub reasons: Vec<String>,
    /// Higher is more urgent.
    pub score: i64,
}

/// An amount in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Amount {
    pub currency: String,
    /// Minor units.
    pub amount_cents: i64,
    /// How many deals or proposals make it up.
    pub count: i64,
}
