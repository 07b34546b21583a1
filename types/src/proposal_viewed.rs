//! The payload of a `proposal_viewed` event: the host builds it when a
//! proposal's share link (`/p/{token}`) is opened (at most one event per
//! proposal per half hour; every view is recorded), and
//! `notify-proposal-viewed` reads it to tell the rep.

use serde::{Deserialize, Serialize};

/// A proposal's link was opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalViewed {
    pub proposal_id: String,
    /// The view that made the event (the event's dedupe key).
    pub view_id: String,
    pub title: String,
    #[serde(default)]
    pub deal_id: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Who the document is for, as it names them.
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    /// The deal's proposal version (1 for the first).
    pub version: i64,
    /// RFC 3339.
    pub viewed_at: String,
    /// Views so far, this one included.
    pub views: i64,
}
