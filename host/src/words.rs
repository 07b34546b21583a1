//! How baton names what it does to a person: one place maps each action
//! kind, gate and event to a human title and a one-line summary ("Follow-up
//! email to Marta Ruiz", "Move Northwind renewals rollout to Proposal",
//! "7 tasks from the Northwind call"). Gate titles (stored, and shown in
//! Slack and the inbox) and the inbox's lists all read from here, so no
//! kind name, step name or id reaches a rep.

use crate::store::{ActionKind, Pattern, kind_of};
use serde_json::Value;

/// A human title for one proposed action.
pub fn action_title(kind: Option<ActionKind>, preview: &str, payload: &Value) -> String {
    let preview = preview.trim();
    match kind {
        Some(ActionKind::EmailSend) => match first_recipient(payload) {
            Some(to) => format!("Email to {to}"),
            None => "Email".into(),
        },
        Some(ActionKind::CrmUpdate) => non_empty(preview, "CRM update"),
        Some(ActionKind::TaskCreate) => non_empty(preview, "New task"),
        Some(ActionKind::SlackPost) => "Slack message".into(),
        Some(ActionKind::CalendarInvite) => non_empty(preview, "Calendar invite"),
        Some(ActionKind::ProposalSend) => non_empty(preview, "Proposal"),
        None => non_empty(preview, "Suggestion"),
    }
}

/// A human title for a gate holding `actions` (each `{kind, preview,
/// payload}`, as a gate's body stores them) waiting in `pattern`.
pub fn gate_title(actions: &[Value], pattern: Pattern) -> String {
    let Some(first) = actions.first() else {
        return "Review before it goes on".into();
    };
    let kind = kind_of(first);
    if actions.len() > 1 {
        return match (pattern, kind) {
            (_, Some(ActionKind::TaskCreate)) => format!("{} tasks", actions.len()),
            (Pattern::Choose, _) => format!("Choose one of {}", actions.len()),
            _ => format!("{} suggestions", actions.len()),
        };
    }
    action_title(
        kind,
        first["preview"].as_str().unwrap_or(""),
        &first["payload"],
    )
}

/// What kind of work a job does, for a person: "Meeting follow-up".
pub fn event_title(event_type: &str) -> &'static str {
    match event_type {
        "meeting_ended" => "Meeting follow-up",
        "email_received" => "Email reply",
        "calendar_find_times" => "Finding meeting times",
        "proposal_generation" => "Proposal",
        "proposal_viewed" => "Proposal viewed",
        "content_retrieval" => "Content to share",
        "pre_meeting_90min" => "Meeting preparation",
        "morning_brief" => "Morning brief",
        "stale_deal_revival" => "Reviving a quiet deal",
        "coaching_digest" => "Weekly coaching",
        "campaign_check" => "Campaign check",
        "campaign_reply" => "Campaign reply",
        _ => "Automation",
    }
}

/// The first recipient's display name, else their address.
fn first_recipient(payload: &Value) -> Option<String> {
    let first = crate::address::recipients(&payload["to"])
        .ok()?
        .into_iter()
        .next()?;
    Some(match first.split_once('<') {
        Some((name, _)) if !name.trim().is_empty() => name.trim().trim_matches('"').to_owned(),
        _ => first.trim().to_owned(),
    })
}

fn non_empty(s: &str, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_email_is_titled_by_who_it_goes_to() {
        let a = json!({ "kind": "email_send", "preview": "Follow-up to Marta Ruiz: Hi",
                        "payload": { "to": "Marta Ruiz <marta@northwind.example>" } });
        assert_eq!(gate_title(&[a], Pattern::Confirm), "Email to Marta Ruiz");
    }

    #[test]
    fn a_batch_of_tasks_is_counted() {
        let t = json!({ "kind": "task_create", "preview": "Send the pack", "payload": {} });
        assert_eq!(gate_title(&[t.clone(), t], Pattern::Batch), "2 tasks");
    }
}
