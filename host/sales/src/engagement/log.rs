//! What a change to an engagement writes to its event log ([`NewEvent`])
//! and why a change is refused ([`Refused`]). A leaf: the state and the
//! approvals both write entries.

use super::EventType;
use serde::Serialize;

/// Why a change was refused (nothing is stored).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// An entry for the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEvent {
    pub event_type: EventType,
    pub track: Option<String>,
    pub artifact: Option<String>,
    pub decision: Option<String>,
    pub evidence: Option<String>,
    pub notes: Option<String>,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
}

impl NewEvent {
    pub(super) fn new(event_type: EventType) -> NewEvent {
        NewEvent {
            event_type,
            track: None,
            artifact: None,
            decision: None,
            evidence: None,
            notes: None,
            from_stage: None,
            to_stage: None,
        }
    }
}
