//! What a checkpoint holds: the step runs, the effects, the charges, the
//! gates, the notifications and the job's transition that one stage of a
//! job produced, and the checkpoint itself (committed by `checkpoint.rs`).

use crate::address::emailed_by;
use crate::denials::NewDenial;
use crate::do_not_contact::NewSuppression;
use crate::jobs::Lease;
use crate::rows::Row;
use crate::vocab::{ActionKind, GateKind, OnExpiry, Pattern, StepRunStatus};
use crate::{JobId, JobStatus, NewJob, OrgId, UserId};
use serde_json::Value;

/// A step attempt to record.
#[derive(Debug, Clone)]
pub struct NewStepRun {
    pub step_index: i64,
    pub step_name: String,
    pub attempt: i64,
    pub skill_name: String,
    pub skill_version: String,
    pub skill_sha256: String,
    pub status: StepRunStatus,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    pub fuel: i64,
    pub cost_micros: i64,
    pub duration_ms: i64,
    /// The output (data, follow-ups, actions), if any.
    pub output: Option<Value>,
    /// What the call was given besides the event (`replay::StepInput`), if it ran.
    pub input: Option<Value>,
    pub started_at: i64,
}

/// An effect for the outbox.
#[derive(Debug, Clone)]
pub struct NewEffect {
    /// Stable across re-runs of the step: job, step, attempt-independent index.
    pub idempotency_key: String,
    pub step_index: i64,
    pub kind: ActionKind,
    pub payload: Value,
    /// Not delivered before (unix ms): the undo window.
    pub not_before: i64,
}

impl NewEffect {
    /// The addresses an email reaches (`to` and `cc` of an action that
    /// sends email, [`ActionKind::sends_email`]), counted against the
    /// rep's daily send cap; 0 for anything else.
    pub fn recipients(&self) -> i64 {
        emailed_by(self.kind, &self.payload["payload"]).len() as i64
    }
}

/// A cost to charge.
#[derive(Debug, Clone)]
pub struct NewCharge {
    pub period: String,
    pub step_index: Option<i64>,
    /// fuel | llm_input | llm_output | effect
    pub kind: String,
    pub quantity: i64,
    pub amount_micros: i64,
}

/// A gate to open.
#[derive(Debug, Clone)]
pub struct NewPendingAction {
    pub step_index: i64,
    pub step_name: String,
    pub gate_key: String,
    pub kind: GateKind,
    pub pattern: Pattern,
    pub title: String,
    pub body: Value,
    pub options: Vec<String>,
    pub expires_at: i64,
    pub on_expiry: OnExpiry,
    /// What its suggestion was based on, in the app's shape, to be checked
    /// before it is decided (`None`: nothing to check).
    pub basis: Option<Value>,
}

/// A notification to record, at most once per `dedupe_key`.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub kind: String,
    pub channel: String,
    pub message: String,
    pub dedupe_key: Option<String>,
}

/// Where the job goes after this checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    /// Keep running; extend the lease by this many ms.
    Continue { lease_ms: i64 },
    /// Wait for a person (status awaiting_approval), lease released.
    Park,
    /// Run again at this time (a retry's backoff), lease released.
    Reschedule { at: i64 },
    /// A final status.
    Finish {
        status: JobStatus,
        error: Option<String>,
    },
}

/// One checkpoint of one job.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub org_id: OrgId,
    pub user_id: UserId,
    pub job_id: JobId,
    /// The lease the job was claimed under; the checkpoint takes only while
    /// it still holds the job.
    pub lease: Lease,
    /// When the checkpoint is written: the lease must not have expired by
    /// then, and a `Continue` extends it from here.
    pub now: i64,
    pub current_step: i64,
    /// The job's state after this checkpoint; `Value::Null` keeps the stored one.
    pub state: Value,
    pub transition: Transition,
    pub step_runs: Vec<NewStepRun>,
    pub effects: Vec<NewEffect>,
    pub charges: Vec<NewCharge>,
    pub gates: Vec<NewPendingAction>,
    pub children: Vec<NewJob>,
    pub notifications: Vec<NewNotification>,
    /// Addresses to put on the do-not-contact list.
    pub suppressions: Vec<NewSuppression>,
    /// Capabilities the stage's skills used without having them.
    pub denials: Vec<NewDenial>,
    /// What extensions write with the stage's finished steps.
    pub rows: Vec<Row>,
}

impl Checkpoint {
    /// An empty checkpoint of `job` that moves it by `transition`.
    pub fn new(
        org_id: OrgId,
        user_id: UserId,
        job_id: JobId,
        lease: Lease,
        now: i64,
        transition: Transition,
    ) -> Self {
        Checkpoint {
            org_id,
            user_id,
            job_id,
            lease,
            now,
            current_step: 0,
            state: Value::Null,
            transition,
            step_runs: Vec::new(),
            effects: Vec::new(),
            charges: Vec::new(),
            gates: Vec::new(),
            children: Vec::new(),
            notifications: Vec::new(),
            suppressions: Vec::new(),
            denials: Vec::new(),
            rows: Vec::new(),
        }
    }
}
