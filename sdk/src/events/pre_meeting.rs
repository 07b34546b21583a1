//! `pre_meeting_90min`: a meeting about to start. Built by the scheduler
//! from the calendar; read by the briefing group (`enrich-attendees`,
//! `pull-crm-history`, `check-previous-action-items`,
//! `research-company-news`, `generate-briefing`).

use serde::{Deserialize, Serialize};

/// A meeting about to start.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payload {
    #[serde(default)]
    pub meeting_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub attendees: Vec<Invitee>,
    /// What was promised last time, when the calendar or CRM says.
    #[serde(default)]
    pub previous_action_items: Vec<PreviousItem>,
}

/// Someone on the invite.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Invitee {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// An action item from an earlier meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PreviousItem {
    #[serde(default, alias = "title", alias = "summary")]
    pub text: Option<String>,
    /// `rep` or `prospect`, or a name.
    #[serde(default)]
    pub owner: Option<String>,
    /// `YYYY-MM-DD` or RFC 3339.
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub status: Option<String>,
}
