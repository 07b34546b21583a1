//! The small words the titles are made of: a job's status, a deal field,
//! a stage, a value, a day, a skill, a label, an action kind, a call, and
//! text clipped to fit. A leaf of `words.rs`.

use baton_store::{ActionKind, JobStatus};
use serde_json::Value;

/// How a job stands, for a person.
pub fn status_words(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Pending => "queued",
        JobStatus::Running => "running",
        JobStatus::AwaitingApproval => "waiting for you",
        JobStatus::Completed => "done",
        JobStatus::Failed => "failed",
        JobStatus::Cancelled => "cancelled",
        JobStatus::Skipped => "nothing to do",
        JobStatus::BudgetExceeded => "stopped: over budget",
    }
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A deal field as a person says it: "close date", "amount".
pub fn field_words(field: &str) -> String {
    match field {
        "amount_cents" => "amount".into(),
        f => f.replace('_', " "),
    }
}

/// A stage as a person says it: "Proposal", "Closed won".
pub fn stage_words(v: &Value) -> String {
    match sentence(&v.as_str().unwrap_or("").replace('_', " ")) {
        s if s.is_empty() => "no stage".into(),
        s => s,
    }
}

/// A field's value as a person reads it.
pub fn value_words(v: &Value) -> String {
    match v {
        Value::Null => "empty".into(),
        Value::String(s) if s.trim().is_empty() => "empty".into(),
        Value::String(s) => clip(s, 40),
        Value::Array(a) => clip(
            &a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            40,
        ),
        other => clip(&other.to_string(), 40),
    }
}

/// A date (`2026-11-27`) as "Fri 27 Nov"; as given when it is not one.
pub(super) fn day_words(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .map(|d| d.strftime("%a %-d %b").to_string())
        .unwrap_or_else(|_| date.to_owned())
}

pub(super) fn in_brackets(s: Option<&str>) -> String {
    s.map(|s| format!(" ({s})")).unwrap_or_default()
}

pub(super) fn non_empty(s: &str, fallback: &str) -> String {
    if s.trim().is_empty() {
        fallback.to_owned()
    } else {
        s.trim().to_owned()
    }
}

/// What a skill suggests, for a person reading the success metrics:
/// "Follow-up emails" for `draft-followup-email`; a skill this does not
/// know reads as its name in words ("Score leads" for `score-leads`).
pub fn skill_words(skill: &str) -> String {
    let known = match skill {
        "draft-followup-email" => "Follow-up emails",
        "update-crm-from-meeting" => "CRM updates from meetings",
        "create-tasks-from-actions" => "Tasks from meetings",
        "detect-intents" => "Buying signals and promises",
        "classify-email-intent" => "Reading incoming email",
        "draft-email-reply" => "Email replies",
        "present-time-options" => "Meeting times offered",
        "present-for-review" => "Proposals",
        "draft-content-email" => "Content shared",
        "draft-reengagement" => "Quiet-deal check-ins",
        "notify-slack-summary" => "Meeting summaries",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    sentence(&skill.replace(['-', '_'], " "))
}

/// A suggestion's label in words: an action kind as what it does ("Email",
/// "CRM update"), an intent label with its parts ("Buying signal: budget").
pub fn label_words(label: &str) -> String {
    match ActionKind::parse(label) {
        Some(kind) => kind_words(kind).to_owned(),
        None => sentence(&label.replace('_', " ").replace(':', ": ")),
    }
}

/// What an action kind does, in a word or two.
pub(crate) fn kind_words(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::EmailSend => "Email",
        ActionKind::CrmUpdate => "CRM update",
        ActionKind::TaskCreate => "Task",
        ActionKind::SlackPost => "Slack message",
        ActionKind::CalendarInvite => "Calendar invite",
        ActionKind::ProposalSend => "Proposal",
    }
}

/// A meeting as "your … call": its title, with "call" after it unless
/// the title already ends so ("Northwind discovery call", "Acme sync
/// call"); "call" alone without a title.
pub fn call_words(title: Option<&str>) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.to_lowercase().ends_with("call") => t.to_owned(),
        Some(t) => format!("{t} call"),
        None => "call".into(),
    }
}

/// `s` with its first letter capital.
pub(super) fn sentence(s: &str) -> String {
    let mut c = s.trim().chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
