//! The morning brief's vocabulary, spoken by the host and the brief's
//! skills. The host takes the rep's morning snapshot
//! ([`Snapshot`], `host/sales/src/brief.rs`) from its stores when the
//! scheduler fires `morning_brief` or the rep asks for one, and hands it in
//! the event payload; `pipeline-analysis` ranks its deals and
//! `compose-morning-brief` writes the four sections ([`Composed`]), which
//! Slack receives as Block Kit and the inbox shows at its top.
//! Only shapes: nothing here reads a store.

use serde::{Deserialize, Serialize};

/// The rep's morning: the payload of a `morning_brief` event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The rep's local date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// `Monday` … `Sunday`, in the rep's zone.
    #[serde(default)]
    pub weekday: Option<String>,
    /// Fired by the scheduler (`true`) or asked for on demand.
    #[serde(default)]
    pub scheduled: bool,
    /// When the snapshot was taken (RFC 3339).
    #[serde(default)]
    pub generated_at: Option<String>,
    #[serde(default)]
    pub rep: Option<Rep>,
    /// The rep's meetings that day, earliest first.
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub attention: Attention,
    #[serde(default)]
    pub pipeline: Pipeline,
    #[serde(default)]
    pub overnight: Overnight,
    /// Where the inbox is, relative to the service (`/inbox`).
    #[serde(default)]
    pub inbox_path: Option<String>,
}

/// Who the brief is for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rep {
    pub handle: String,
    pub name: String,
    pub timezone: String,
}

/// A meeting today, with the state of its preparation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub meeting_id: String,
    pub title: String,
    /// RFC 3339.
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: Option<String>,
    /// `HH:MM` in the rep's zone.
    #[serde(default)]
    pub starts_local: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub deal_id: Option<String>,
    #[serde(default)]
    pub deal_name: Option<String>,
    #[serde(default)]
    pub prep: Prep,
}

/// Where a meeting's `pre_meeting_90min` briefing stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrepStatus {
    /// The briefing job finished.
    Ready,
    /// The briefing job is queued or running.
    InProgress,
    /// The briefing job failed or was stopped.
    Failed,
    /// Not fired yet: it will be, 90 minutes before the meeting.
    #[default]
    Scheduled,
    /// Nobody outside the org is linked to it: nothing to prepare.
    NotNeeded,
}

/// A meeting's preparation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prep {
    pub status: PrepStatus,
    /// The briefing job, once it exists.
    #[serde(default)]
    pub job_id: Option<String>,
    /// When the briefing is (or was) due: 90 minutes before (RFC 3339).
    #[serde(default)]
    pub due_at: Option<String>,
    /// `HH:MM` in the rep's zone.
    #[serde(default)]
    pub due_local: Option<String>,
}

/// What waits for the rep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attention {
    /// Email threads awaiting the rep's reply, newest first.
    #[serde(default)]
    pub threads: Vec<Thread>,
    /// The rep's approval gates that are open.
    #[serde(default)]
    pub gates: Gates,
}

/// Where a thread awaiting a reply stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// A drafted reply waits at a gate.
    DraftWaiting,
    /// The drafted reply was skipped, or its gate expired: no reply went.
    DraftSkipped,
    /// It needs a reply and none was drafted.
    #[default]
    NoReply,
}

/// An inbound email classified `needs_response` with no reply sent since.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// The `email_received` job.
    pub job_id: String,
    /// The sender as the CRM knows them (never the address).
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    /// When the job was created (RFC 3339).
    pub received_at: String,
    pub state: ThreadState,
    /// The gate holding the drafted reply, while it is open.
    #[serde(default)]
    pub gate: Option<Gate>,
}

/// The open gates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gates {
    pub count: i64,
    /// When the oldest opened (RFC 3339).
    #[serde(default)]
    pub oldest_at: Option<String>,
    /// Its age in whole hours.
    #[serde(default)]
    pub oldest_hours: Option<i64>,
    /// The oldest ones first, at most [`MAX_GATES`].
    #[serde(default)]
    pub items: Vec<Gate>,
}

/// Gates listed in a snapshot.
pub const MAX_GATES: usize = 10;

/// One open gate, with what a button needs to act on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub id: String,
    pub title: String,
    pub step: String,
    /// `confirm`, `choose`, `batch` or `inform`.
    pub pattern: String,
    /// RFC 3339.
    pub opened_at: String,
    /// The value of a Slack button that approves it through the
    /// interactions route, for gates one click can answer (confirm,
    /// inform, batch); a choice is made in the inbox.
    #[serde(default)]
    pub approve_value: Option<String>,
    /// The gate in the inbox, relative to the service.
    pub inbox_path: String,
}

/// The rep's open deals and proposals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Days without activity after which a deal is at risk.
    pub stale_after_days: i64,
    /// Open deals the rep owns.
    #[serde(default)]
    pub deals: Vec<DealPulse>,
    /// Proposals sent or viewed and not answered, summed per currency.
    #[serde(default)]
    pub proposals_awaiting: Vec<MoneyTotal>,
}

/// One open deal as the morning sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DealPulse {
    pub id: String,
    pub name: String,
    pub stage: String,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub amount_cents: Option<i64>,
    pub currency: String,
    #[serde(default)]
    pub close_date: Option<String>,
    /// Whole days since its latest activity; `None` if it never had one.
    #[serde(default)]
    pub days_inactive: Option<i64>,
    /// Activities since the previous brief.
    #[serde(default)]
    pub recent_activities: i64,
    #[serde(default)]
    pub open_tasks: i64,
    /// Open tasks whose due date has passed.
    #[serde(default)]
    pub overdue_tasks: i64,
    /// Its newest proposal's status when it awaits an answer (`sent`, `viewed`).
    #[serde(default)]
    pub proposal_status: Option<String>,
}

/// An amount in one currency, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotal {
    pub currency: String,
    pub amount_cents: i64,
    pub count: i64,
}

/// What happened since the previous brief (or the last 24 hours).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overnight {
    /// RFC 3339.
    #[serde(default)]
    pub since: Option<String>,
    /// Jobs that ended, per event type and status.
    #[serde(default)]
    pub jobs_finished: Vec<JobCount>,
    /// Inbound emails classified, per intent.
    #[serde(default)]
    pub emails_classified: Vec<Count>,
    /// Shared proposals opened.
    #[serde(default)]
    pub proposals_viewed: Vec<ProposalViewed>,
}

/// Jobs of one event type that ended with one status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCount {
    pub event_type: String,
    pub status: String,
    pub count: i64,
}

/// How many of one label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub count: i64,
}

/// A proposal opened since the previous brief.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalViewed {
    pub proposal_id: String,
    pub title: String,
    #[serde(default)]
    pub deal_name: Option<String>,
    pub views: i64,
    /// The first view in the window (RFC 3339).
    pub first_viewed_at: String,
}

/// What `compose-morning-brief` writes, as the inbox reads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Composed {
    /// "Good morning, Jordan. Here's your Tuesday."
    pub title: String,
    /// The four sections, in the seed's order.
    pub sections: Vec<Section>,
    /// The whole brief as plain text.
    pub text: String,
}

/// One section of a composed brief.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// `meetings`, `attention`, `pipeline` or `overnight`.
    pub key: String,
    /// "MEETINGS TODAY (2)".
    pub heading: String,
    pub lines: Vec<Line>,
}

/// One line of a section, with what it links to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    /// A place in the inbox (relative), when there is one.
    #[serde(default)]
    pub link: Option<String>,
}
