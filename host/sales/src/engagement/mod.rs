//! An engagement: one deal's lifecycle as one state, moved by what happens
//! to it (a proposal sent or accepted, a contract signed, a dispute) under
//! an operator's workflow.
//!
//! - `workflow.rs`: the workflow document ([`Workflow`]), parsed and
//!   validated with every problem at its line.
//! - `approval.rs`: approvals by class ([`Approval`]): asked on entering
//!   a stage with gated transitions, held by missing or disputed facts,
//!   decided in full, in part or on conditions, superseded when reopened.
//! - `log.rs`: an event-log entry ([`NewEvent`]) and a refusal
//!   ([`Refused`]), which the state and its approvals both make.
//! - `state.rs`: the state ([`Engagement`]) and the one way it changes,
//!   [`Engagement::apply`]: a [`Happening`] in, the new state and the
//!   event-log entries ([`NewEvent`]) out. Pure: the store writes both in
//!   one transaction (`store/engagements.rs`).
//!
//! What moves an engagement and how it is shown live in
//! [`crate::lifecycle`], above the store.
//!
//! The words (stage, track, approval class, event type) are those of the
//! services orchestration architecture in the product spec.

mod approval;
mod log;
mod state;
pub mod workflow;

pub use approval::{Approval, ApprovalStep, Approvals, Decision};
pub use log::{NewEvent, Refused};
pub use state::{Conflict, Engagement, Fact, Happening, Outcome, Resolve, Side, SourceKind, Track};
pub use workflow::{Workflow, WorkflowError};

use baton_store::text_enum;

text_enum!(
    /// The classes of approval a gate or a transition may need.
    ApprovalClass, "approval class" {
        Commercial => "commercial",
        LegalOrContract => "legal_or_contract",
        Security => "security",
        ExternalSend => "external_send",
        PublicProof => "public_proof",
    }
);

text_enum!(
    /// Where an approval stands.
    ApprovalState, "approval state" {
        Unknown => "unknown",
        Draft => "draft",
        Requested => "requested",
        Partial => "partial",
        Approved => "approved",
        Rejected => "rejected",
        Expired => "expired",
        Superseded => "superseded",
        Blocked => "blocked",
        Conditional => "conditional",
    }
);

text_enum!(
    /// Where a track stands.
    TrackStatus, "track status" {
        Draft => "draft",
        Active => "active",
        Blocked => "blocked",
        Waiting => "waiting",
        Complete => "complete",
        Superseded => "superseded",
    }
);

text_enum!(
    /// Where the engagement as a whole stands (derived from its stage,
    /// tracks and conflicts on every change).
    WorkflowStatus, "workflow status" {
        Draft => "draft",
        Active => "active",
        Stalled => "stalled",
        Blocked => "blocked",
        InReview => "in_review",
        Approved => "approved",
        Launched => "launched",
        Closed => "closed",
        Reopened => "reopened",
        Superseded => "superseded",
    }
);

text_enum!(
    /// The kinds of entry in an engagement's event log.
    EventType, "engagement event type" {
        ArtifactCreated => "artifact_created",
        ArtifactRevised => "artifact_revised",
        ApprovalRequested => "approval_requested",
        ApprovalChanged => "approval_changed",
        BlockerAdded => "blocker_added",
        BlockerRemoved => "blocker_removed",
        ScopeChanged => "scope_changed",
        OwnerChanged => "owner_changed",
        DecisionRecorded => "decision_recorded",
        TrackStarted => "track_started",
        TrackClosed => "track_closed",
        RecoveryActionSelected => "recovery_action_selected",
    }
);
