//! A decision a deal's engagement waits for, asked of its rep in Slack: two
//! sources disagree on a fact a track depends on, and the track is stopped
//! until someone picks a side on the deal's page. The host builds
//! [`DecisionNeeded`] (the `decision_needed` event's payload) once per
//! open question; `notify-decision-needed` words the post.

use serde::{Deserialize, Serialize};

/// The `decision_needed` event's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionNeeded {
    pub deal_id: String,
    /// The deal's name (`Northwind expansion`).
    pub deal: String,
    /// The fact in dispute (`seats`).
    pub fact: String,
    /// The question, with both values, their sources and the likely truth.
    pub question: String,
    /// The track it stops (`commercial`).
    pub track: String,
    /// The deal's page, where the decision is made.
    pub link: String,
}
