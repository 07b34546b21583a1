//! `stale_deal_revival`: an open deal with no activity for weeks. Built by
//! the scheduler's daily pipeline scan (`orchestrator/scheduler.rs`); read
//! by `research-trigger-events`, `analyse-stall-reason` and
//! `draft-reengagement`, which find the deal's contact, history and last
//! meeting in tier 2 (the payload names the deal).

use serde::{Deserialize, Serialize};

/// A deal gone quiet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payload {
    #[serde(default)]
    pub deal_id: Option<String>,
    #[serde(default)]
    pub deal_name: Option<String>,
    /// See [`crate::crm::STAGES`].
    #[serde(default)]
    pub stage: Option<String>,
    /// Whole days since the deal's last activity; `None` when it has none.
    #[serde(default)]
    pub days_quiet: Option<i64>,
    /// Unix ms of the deal's newest activity when the scan queued it
    /// (`None`: it had none): the snapshot a draft is based on, so that
    /// activity after it withdraws the draft.
    #[serde(default)]
    pub last_activity_at: Option<i64>,
}
