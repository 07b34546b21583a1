//! The campaign check's vocabulary, spoken by the host and
//! `monitor-campaigns`. The host fires `campaign_check` once a day per org
//! (`host/sales/src/campaigns.rs`) with a [`Check`] in the payload: the day
//! to report, the org's [`Settings`] (benchmarks, the A/B test's level)
//! and the previous day's figures it stored ([`CampaignDay`], table
//! `campaign_days`). The skill answers with the day's figures per campaign
//! in its output's `days`, which the host stores for the next check.
//! Only shapes: nothing here reads a store.

use serde::{Deserialize, Serialize};

/// The daily event.
pub const EVENT: &str = "campaign_check";
/// The child event for one positive reply, drafted behind a confirm gate.
pub const REPLY_EVENT: &str = "campaign_reply";
/// The child event for one decision the check offers the owner: a
/// significant A/B test, or a lead who answered "not interested" ([`Offer`]).
pub const ACTION_EVENT: &str = "campaign_action";
/// The `entity` of a `crm_update` that changes something in the campaign
/// provider ([`Change`]).
pub const ENTITY: &str = "campaign";
/// The skill whose output holds the day's figures.
pub const MONITOR: &str = "monitor-campaigns";
/// The tier-3 provider name (`providers.campaigns` in the org profile).
pub const PROVIDER: &str = "campaigns";

/// The payload of a `campaign_check` event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// The day reported, `YYYY-MM-DD` in the owner's zone (the day before
    /// the check).
    pub date: String,
    /// The day it is compared with (the day before `date`).
    pub previous_date: String,
    /// The org's settings, defaults filled in.
    #[serde(default)]
    pub settings: Settings,
    /// What the store holds for `previous_date`, per campaign; empty when
    /// nothing was stored (the skill then asks the provider).
    #[serde(default)]
    pub previous: Vec<CampaignDay>,
    /// Fired by the scheduler (`true`) or asked for on demand.
    #[serde(default)]
    pub scheduled: bool,
}

/// One campaign's figures for one day, as stored and compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDay {
    pub campaign_id: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub sent: i64,
    /// Unique opens (leads who opened).
    pub opened: i64,
    /// Unique clicks (leads who clicked).
    pub clicked: i64,
    /// Unique replies (leads who replied).
    pub replied: i64,
}

/// What an org sets for its campaigns (`campaigns` in the org profile);
/// every field has a documented default (`docs/campaigns.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The rep the check runs as (a handle): whose Slack it reaches and
    /// whose name the reply drafts go out in. Default: the first rep.
    pub owner: Option<String>,
    pub benchmarks: Benchmarks,
    /// The A/B test's significance level (two-sided). Default 0.05.
    pub alpha: f64,
    /// Sends per variant below which an A/B test is not run. Default 100.
    pub min_variant_sent: i64,
    /// The provider's id of the campaign "Add to nurture" moves a lead
    /// into. Default: none, and the option is not offered.
    pub nurture_campaign: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            owner: None,
            benchmarks: Benchmarks::default(),
            alpha: 0.05,
            min_variant_sent: 100,
            nurture_campaign: None,
        }
    }
}

/// Rates below which a campaign is flagged, as fractions of emails sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Benchmarks {
    /// Default 0.40.
    pub open_rate: f64,
    /// Default 0.02.
    pub click_rate: f64,
    /// Default 0.03.
    pub reply_rate: f64,
    /// A campaign that sent fewer emails in the day is not flagged
    /// (too few to judge). Default 20.
    pub min_sent: i64,
}

impl Default for Benchmarks {
    fn default() -> Benchmarks {
        Benchmarks {
            open_rate: 0.40,
            click_rate: 0.02,
            reply_rate: 0.03,
            min_sent: 20,
        }
    }
}

/// The payload of a `campaign_action` child: one decision the check
/// offers, held at a choose gate whose options are [`Change`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Offer {
    /// One subject line of a step opened significantly better than the
    /// other: keep it for the remaining sends ("Apply suggestion"), or
    /// keep testing.
    AbWinner {
        /// What identifies the offer (the sequence's dedupe key).
        key: String,
        /// The day the check reported.
        date: String,
        campaign_id: String,
        campaign: String,
        /// 0-based.
        step: i64,
        /// The variant that won (0 = A, 1 = B) and its subject.
        keep_variant: i64,
        subject: Option<String>,
        /// The check's words on the test (rates, sizes, statistic).
        text: String,
    },
    /// A lead answered "not interested": mark them closed, or move them
    /// to the org's nurture campaign.
    NotInterested {
        key: String,
        date: String,
        campaign_id: String,
        campaign: String,
        email: String,
        name: Option<String>,
        /// What they said, in a line.
        summary: String,
        /// Where "Add to nurture" moves them ([`Settings::nurture_campaign`]).
        nurture_campaign: Option<String>,
    },
}

/// What a `crm_update` with `entity` [`ENTITY`] asks of the campaign
/// provider (its `campaign_change`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    /// Send only `variant` of `step` from now on: the other variants are
    /// disabled.
    KeepVariant {
        campaign_id: String,
        step: i64,
        variant: i64,
    },
    /// Leave the test running: nothing changes in the provider; the
    /// decision is recorded.
    KeepTesting { campaign_id: String, step: i64 },
    /// The lead is closed: marked not interested in the campaign.
    MarkClosed {
        campaign_id: String,
        /// The campaign's name, as the rep knows it.
        #[serde(default)]
        campaign: String,
        email: String,
    },
    /// The lead moves from the campaign to the nurture campaign.
    Nurture {
        campaign_id: String,
        #[serde(default)]
        campaign: String,
        email: String,
        to_campaign_id: String,
    },
}
