//! `campaign_check`: the org's daily campaign check, fired by the
//! scheduler once per org at 10:00 in its campaign owner's zone
//! (`host/sales/src/campaigns.rs`); read by `monitor-campaigns`. The payload
//! ([`Payload`], defined once in `baton-types`) names the day to report,
//! the org's settings and the previous day's stored figures. A positive
//! reply becomes a `campaign_reply` child, whose payload is an
//! [`email_received`](super::email_received) one (the reply as received),
//! so `draft-email-reply` answers it through the same rails. A significant
//! A/B test or a lead who said no becomes a `campaign_action` child
//! ([`Offer`]), whose choices are `crm_update`s of the campaign ([`Change`]).

pub use baton_types::campaigns::{
    ACTION_EVENT, Benchmarks, CampaignDay, Change, ENTITY, MONITOR, Offer, PROVIDER, REPLY_EVENT,
    Settings,
};

/// The check, as the host fires it.
pub type Payload = baton_types::campaigns::Check;
