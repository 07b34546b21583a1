//! How baton names what it does to a person: one place maps each action
//! kind, gate and event to a human title and a one-line summary ("Follow-up
//! email to Marta Ruiz (Northwind)", "Move Northwind renewals rollout to
//! Proposal", "7 tasks from the Northwind call"). Gate titles (stored, and
//! shown in Slack and the inbox) and the inbox's lists all read from here,
//! so no kind name, step name or id reaches a rep. Pure: what a title names
//! comes in as [`About`], built from a job's event and the CRM context its
//! steps were shown.

use crate::store::{ActionKind, JobStatus, Pattern, kind_of};
use serde_json::Value;

/// Who and what a job is about, as far as it is known: the names a title
/// uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    /// The contact's name ("Marta Ruiz").
    pub contact: Option<String>,
    /// The company, as people say it ("Northwind" for "Northwind
    /// Logistics" when its deal or meeting says so).
    pub company: Option<String>,
    /// The deal's name ("Northwind renewals rollout").
    pub deal: Option<String>,
    /// The meeting's title ("Northwind discovery call").
    pub meeting: Option<String>,
}

impl About {
    /// From a job's event `payload` and the contact tier its steps were
    /// shown (`{contact, company, deal}`, as the job's state keeps it).
    pub fn of_job(payload: &Value, contact_tier: Option<&Value>) -> About {
        let tier = contact_tier.unwrap_or(&Value::Null);
        let text = |v: &Value| {
            v.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let meeting = text(&payload["title"]);
        let deal = text(&tier["deal"]["name"]).or_else(|| text(&payload["deal_name"]));
        let company = text(&tier["company"]["name"])
            .map(|c| short_company(&c, [deal.as_deref(), meeting.as_deref()]));
        About {
            contact: text(&tier["contact"]["name"]).or_else(|| text(&payload["contact_name"])),
            company,
            deal,
            meeting,
        }
    }
}

/// A title and a one-line summary, as a rep reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub title: String,
    pub summary: String,
}

/// A human title for one proposed action.
pub fn action_title(kind: Option<ActionKind>, preview: &str, payload: &Value) -> String {
    describe_action(kind, preview, payload, &About::default()).title
}

/// A human title for a gate holding `actions` (each `{kind, preview,
/// payload}`, as a gate's body stores them) waiting in `pattern`.
pub fn gate_title(actions: &[Value], pattern: Pattern) -> String {
    describe_actions(actions, pattern, &About::default()).title
}

/// What kind of work a job does, for a person: "Meeting follow-up"
/// (shared with the skills that write to reps).
pub use baton_types::words::event_title;

/// The title and summary of one action, about `about`.
pub fn describe_action(
    kind: Option<ActionKind>,
    preview: &str,
    payload: &Value,
    about: &About,
) -> Words {
    let preview = preview.trim();
    let text = |k: &str| payload[k].as_str().map(str::trim).unwrap_or("");
    match kind {
        Some(ActionKind::EmailSend) => {
            let who = recipient_name(payload, preview)
                .or_else(|| about.contact.clone())
                .or_else(|| first_address(payload))
                .unwrap_or_else(|| "the contact".into());
            // An email carrying documents is named by them ("Security pack
            // to Marta Ruiz"), so it reads apart from the follow-up.
            let attached = payload["attachments"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(|a| a["title"].as_str())
                .map(str::trim)
                .filter(|t| !t.is_empty());
            let what = if let Some(doc) = attached {
                sentence(doc)
            } else if preview.starts_with("Reply to") {
                "Reply".into()
            } else if preview.starts_with("Follow-up") || about.meeting.is_some() {
                "Follow-up email".into()
            } else {
                "Email".into()
            };
            Words {
                title: format!("{what} to {who}{}", in_brackets(about.company.as_deref())),
                summary: email_summary(text("subject"), text("body")),
            }
        }
        Some(ActionKind::CrmUpdate) => crm_words(std::slice::from_ref(&(preview, payload)), about),
        Some(ActionKind::TaskCreate) => {
            let title = non_empty(
                text("title"),
                preview.strip_prefix("Task: ").unwrap_or(preview),
            );
            let summary = match text("due_date") {
                "" => "A task for you".to_owned(),
                due => format!("Due {}", day_words(due)),
            };
            Words {
                title: non_empty(&title, "New task"),
                summary,
            }
        }
        Some(ActionKind::SlackPost) => Words {
            title: "Slack message".into(),
            summary: clip(preview, 100),
        },
        Some(ActionKind::CalendarInvite) => {
            let who = about.contact.as_deref().unwrap_or("the contact");
            let when = preview.split_once(": ").map_or("", |(_, w)| w);
            Words {
                title: format!("Invite {who}: {}", non_empty(text("title"), "a meeting")),
                summary: clip(when, 100),
            }
        }
        Some(ActionKind::ProposalSend) => {
            let whom = about
                .company
                .as_deref()
                .or(about.deal.as_deref())
                .or(about.contact.as_deref());
            Words {
                title: match whom {
                    Some(w) => format!("Proposal for {w}"),
                    None => "Proposal".into(),
                },
                summary: clip(preview, 100),
            }
        }
        None => Words {
            title: non_empty(preview, "Suggestion"),
            summary: String::new(),
        },
    }
}

/// The title and summary of a gate: its `body` (`{actions, …}` for a
/// step's gate, the skill's own body for a skill's), its `pattern`, the
/// title it was stored with, about `about`.
pub fn describe_gate(body: &Value, pattern: Pattern, stored: &str, about: &About) -> Words {
    let actions = body["actions"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if !actions.is_empty() {
        return describe_actions(actions, pattern, about);
    }
    if let Some(slots) = body["slots"].as_array() {
        let who = about.contact.as_deref().unwrap_or("the contact");
        let asked = body["request"].as_str().map(|r| clip(r, 80));
        return Words {
            title: format!("Choose a time with {who}"),
            summary: match asked {
                Some(r) => format!("{} times to offer, for “{r}”", slots.len()),
                None => format!("{} times to offer", slots.len()),
            },
        };
    }
    Words {
        title: non_empty(stored, "Review before it goes on"),
        summary: String::new(),
    }
}

/// The title and summary of a list of actions waiting in `pattern`.
fn describe_actions(actions: &[Value], pattern: Pattern, about: &About) -> Words {
    let Some(first) = actions.first() else {
        return Words {
            title: "Review before it goes on".into(),
            summary: String::new(),
        };
    };
    let kind = kind_of(first);
    let preview = |a: &Value| a["preview"].as_str().unwrap_or("").trim().to_owned();
    if actions.len() == 1 {
        return describe_action(kind, &preview(first), &first["payload"], about);
    }
    let all_crm = actions
        .iter()
        .all(|a| kind_of(a) == Some(ActionKind::CrmUpdate));
    if all_crm {
        let changes: Vec<(&str, &Value)> = actions
            .iter()
            .map(|a| (a["preview"].as_str().unwrap_or(""), &a["payload"]))
            .collect();
        return crm_words(&changes, about);
    }
    let titles: Vec<String> = actions
        .iter()
        .map(|a| describe_action(kind_of(a), &preview(a), &a["payload"], about).title)
        .collect();
    let n = actions.len();
    let title = match (pattern, kind) {
        (_, Some(ActionKind::TaskCreate)) => {
            match about.company.as_deref().or(about.meeting.as_deref()) {
                Some(from) if about.company.is_some() => format!("{n} tasks from the {from} call"),
                Some(from) => format!("{n} tasks from {from}"),
                None => format!("{n} tasks"),
            }
        }
        (Pattern::Choose, _) => format!("Choose one of {n}"),
        _ => format!("{n} suggestions"),
    };
    Words {
        title,
        summary: list_summary(&titles),
    }
}

/// Words for deal changes (`(preview, payload)` each): a stage change
/// leads ("Move Northwind renewals rollout to Proposal"), the other fields
/// follow.
fn crm_words(changes: &[(&str, &Value)], about: &About) -> Words {
    let deal = changes
        .iter()
        .find_map(|(preview, _)| preview.split_once(": ").map(|(d, _)| d.trim().to_owned()))
        .filter(|d| !d.is_empty())
        .or_else(|| about.deal.clone())
        .unwrap_or_else(|| "the deal".into());
    let on_deal: Vec<&(&str, &Value)> = changes
        .iter()
        .filter(|(_, p)| p["entity"] == "deal" && p["field"].is_string())
        .collect();
    if on_deal.len() < changes.len() {
        // Not a deal field (a do-not-contact flag, say): the skill's words.
        let lines: Vec<String> = changes.iter().map(|(p, _)| p.trim().to_owned()).collect();
        return Words {
            title: non_empty(lines.first().map_or("", String::as_str), "CRM update"),
            summary: list_summary(lines.get(1..).unwrap_or(&[])),
        };
    }
    let field = |p: &Value| p["field"].as_str().unwrap_or("").to_owned();
    let stage = on_deal.iter().find(|(_, p)| field(p) == "stage");
    let others: Vec<String> = on_deal
        .iter()
        .filter(|(_, p)| field(p) != "stage")
        .map(|(_, p)| field_words(&field(p)))
        .collect();
    match stage {
        Some((_, p)) => Words {
            title: format!("Move {deal} to {}", stage_words(&p["value"])),
            summary: match others.is_empty() {
                true => format!("From {}", stage_words(&p["previous"])),
                false => format!(
                    "From {}; also {}",
                    stage_words(&p["previous"]),
                    others.join(", ")
                ),
            },
        },
        None if on_deal.len() == 1 => {
            let p = on_deal[0].1;
            Words {
                title: format!("Update {} on {deal}", field_words(&field(p))),
                summary: format!(
                    "{} → {}",
                    value_words(&p["previous"]),
                    value_words(&p["value"])
                ),
            }
        }
        None => Words {
            title: format!("Update {} fields on {deal}", on_deal.len()),
            summary: others.join(", "),
        },
    }
}

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

/// What a person is told, privately, when they click a button on a gate
/// that waits for someone else (`owner`'s name, when known).
pub fn not_yours(owner: Option<&str>) -> String {
    match owner {
        Some(name) => {
            format!("This isn't yours to decide: it waits for {name}. Nothing was changed.")
        }
        None => "This isn't yours to decide. Nothing was changed.".to_owned(),
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

/// The company as people say it: the longest leading run of its words
/// that the deal's name or the meeting's title starts with ("Northwind"
/// for "Northwind Logistics" and "Northwind renewals rollout"), else the
/// whole name.
fn short_company(name: &str, said: [Option<&str>; 2]) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let prefix = words[..n].join(" ");
        let starts = |s: &str| {
            s.to_lowercase()
                .strip_prefix(&prefix.to_lowercase())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        };
        if said.iter().flatten().any(|s| starts(s)) {
            return prefix;
        }
    }
    name.trim().to_owned()
}

/// The first recipient's display name; else the name the preview gives
/// ("Follow-up to Marta Ruiz: …").
fn recipient_name(payload: &Value, preview: &str) -> Option<String> {
    let first = crate::address::recipients(&payload["to"])
        .ok()
        .and_then(|r| r.into_iter().next());
    if let Some((name, _)) = first.as_deref().and_then(|f| f.split_once('<'))
        && !name.trim().is_empty()
    {
        return Some(name.trim().trim_matches('"').to_owned());
    }
    let head = preview.split_once(": ").map_or(preview, |(h, _)| h);
    head.rsplit_once(" to ")
        .map(|(_, name)| name.trim())
        .filter(|name| !name.is_empty() && !name.contains('@'))
        .map(str::to_owned)
}

/// The first recipient's address, as written.
fn first_address(payload: &Value) -> Option<String> {
    crate::address::recipients(&payload["to"])
        .ok()?
        .into_iter()
        .next()
}

/// "Subject — the first line after the greeting".
fn email_summary(subject: &str, body: &str) -> String {
    let line = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .find(|l| !(l.ends_with(',') && l.split_whitespace().count() <= 4))
        .unwrap_or("");
    match (subject.is_empty(), line.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("“{}”", clip(subject, 80)),
        (true, false) => clip(line, 100),
        (false, false) => format!("“{}” — {}", clip(subject, 60), clip(line, 80)),
    }
}

/// "A, B and 3 more".
fn list_summary(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => clip(one, 100),
        [a, b] => format!("{}; {}", clip(a, 50), clip(b, 50)),
        [a, b, rest @ ..] => format!("{}; {} and {} more", clip(a, 45), clip(b, 45), rest.len()),
    }
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
fn value_words(v: &Value) -> String {
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
fn day_words(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .map(|d| d.strftime("%a %-d %b").to_string())
        .unwrap_or_else(|_| date.to_owned())
}

fn in_brackets(s: Option<&str>) -> String {
    s.map(|s| format!(" ({s})")).unwrap_or_default()
}

fn non_empty(s: &str, fallback: &str) -> String {
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
pub fn kind_words(kind: ActionKind) -> &'static str {
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
fn sentence(s: &str) -> String {
    let mut c = s.trim().chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn northwind() -> About {
        About::of_job(
            &json!({ "title": "Northwind discovery call" }),
            Some(&json!({
                "contact": { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" },
                "company": { "name": "Northwind Logistics" },
                "deal": { "name": "Northwind renewals rollout", "stage": "discovery" },
            })),
        )
    }

    #[test]
    fn a_job_is_about_a_contact_a_company_said_short_and_a_deal() {
        let a = northwind();
        assert_eq!(a.contact.as_deref(), Some("Marta Ruiz"));
        assert_eq!(a.company.as_deref(), Some("Northwind"));
        assert_eq!(a.deal.as_deref(), Some("Northwind renewals rollout"));
        assert_eq!(a.meeting.as_deref(), Some("Northwind discovery call"));
        let plain = About::of_job(
            &json!({}),
            Some(&json!({ "company": { "name": "Cobalt Warehousing" } })),
        );
        assert_eq!(plain.company.as_deref(), Some("Cobalt Warehousing"));
        assert_eq!(About::of_job(&json!(null), None), About::default());
    }

    #[test]
    fn an_email_is_titled_by_who_it_goes_to() {
        let a = json!({ "kind": "email_send", "preview": "Follow-up to Marta Ruiz: Hi",
                        "payload": { "to": "Marta Ruiz <marta@northwind.example>" } });
        assert_eq!(
            gate_title(&[a], Pattern::Confirm),
            "Follow-up email to Marta Ruiz"
        );
        let bare = json!({ "actions": [{ "kind": "email_send",
            "preview": "Follow-up to Marta Ruiz: Following up: Northwind discovery call",
            "payload": { "to": "marta.ruiz@northwind.example", "subject": "Following up: Northwind discovery call",
                         "body": "Hi Marta,\n\nThanks for walking me through the renewals process.\n" } }] });
        let w = describe_gate(&bare, Pattern::Confirm, "", &northwind());
        assert_eq!(w.title, "Follow-up email to Marta Ruiz (Northwind)");
        assert_eq!(
            w.summary,
            "“Following up: Northwind discovery call” — Thanks for walking me through the renewals process."
        );
        let reply = json!({ "kind": "email_send", "preview": "Reply to Aisha: Re: pricing",
                            "payload": { "to": "aisha@harbour.example" } });
        assert_eq!(gate_title(&[reply], Pattern::Confirm), "Reply to Aisha");
        // No name in the address or the preview: the CRM's, else the address.
        let times = json!({ "actions": [{ "kind": "email_send", "preview": "Times for a call",
                            "payload": { "to": "marta.ruiz@northwind.example" } }] });
        let w = describe_gate(&times, Pattern::Confirm, "", &northwind());
        assert_eq!(w.title, "Follow-up email to Marta Ruiz (Northwind)");
        let w = describe_gate(&times, Pattern::Confirm, "", &About::default());
        assert_eq!(w.title, "Email to marta.ruiz@northwind.example");
    }

    #[test]
    fn a_stage_change_leads_the_deal_changes_beside_it() {
        let body = json!({ "actions": [
            { "kind": "crm_update", "preview": "Northwind renewals rollout: competitors → Gainsight",
              "payload": { "entity": "deal", "field": "competitors", "value": ["Gainsight"], "previous": null } },
            { "kind": "crm_update", "preview": "Northwind renewals rollout: stage discovery → proposal",
              "payload": { "entity": "deal", "field": "stage", "value": "proposal", "previous": "discovery" } },
            { "kind": "crm_update", "preview": "Northwind renewals rollout: close_date → 2026-12-18",
              "payload": { "entity": "deal", "field": "close_date", "value": "2026-12-18", "previous": "2026-11-13" } },
        ] });
        let w = describe_gate(&body, Pattern::Confirm, "", &About::default());
        assert_eq!(w.title, "Move Northwind renewals rollout to Proposal");
        assert_eq!(w.summary, "From Discovery; also competitors, close date");
        let one = json!({ "actions": [body["actions"][2].clone()] });
        let w = describe_gate(&one, Pattern::Confirm, "", &About::default());
        assert_eq!(w.title, "Update close date on Northwind renewals rollout");
        assert_eq!(w.summary, "2026-11-13 → 2026-12-18");
    }

    #[test]
    fn a_batch_of_tasks_is_counted_from_its_call() {
        let t = |title: &str, due: Option<&str>| {
            json!({ "kind": "task_create", "preview": format!("Task: {title}"),
                    "payload": { "title": title, "due_date": due } })
        };
        let tasks = vec![
            t("Send Marta the security pack", Some("2026-11-20")),
            t("Send the proposal", Some("2026-11-27")),
            t("Book the CFO call", None),
        ];
        let body = json!({ "actions": tasks });
        let w = describe_gate(&body, Pattern::Batch, "", &northwind());
        assert_eq!(w.title, "3 tasks from the Northwind call");
        assert_eq!(
            w.summary,
            "Send Marta the security pack; Send the proposal and 1 more"
        );
        assert_eq!(gate_title(&tasks[..2], Pattern::Batch), "2 tasks");
        let one = describe_action(
            Some(ActionKind::TaskCreate),
            "Task: Send the proposal (due 2026-11-27)",
            &tasks[1]["payload"],
            &About::default(),
        );
        assert_eq!(one.title, "Send the proposal");
        assert_eq!(one.summary, "Due Fri 27 Nov");
    }

    #[test]
    fn a_time_choice_and_a_proposal_name_who_they_are_for() {
        let body = json!({ "request": "Can we find time next week?", "slots": ["a", "b", "c"] });
        let w = describe_gate(&body, Pattern::Choose, "Pick a time: Pricing", &northwind());
        assert_eq!(w.title, "Choose a time with Marta Ruiz");
        assert_eq!(
            w.summary,
            "3 times to offer, for “Can we find time next week?”"
        );
        let p = json!({ "actions": [{ "kind": "proposal_send", "preview": "Send the proposal", "payload": {} }] });
        assert_eq!(
            describe_gate(&p, Pattern::Confirm, "", &northwind()).title,
            "Proposal for Northwind"
        );
        // A skill's own gate keeps the words the skill chose.
        assert_eq!(
            describe_gate(
                &json!({ "q": 1 }),
                Pattern::Confirm,
                "Q4 review",
                &northwind()
            )
            .title,
            "Q4 review"
        );
    }

    #[test]
    fn no_title_names_a_kind() {
        let kinds = [
            "email_send",
            "crm_update",
            "task_create",
            "slack_post",
            "calendar_invite",
            "proposal_send",
        ];
        for k in kinds {
            let body = json!({ "actions": [{ "kind": k, "preview": "", "payload": {} }] });
            let w = describe_gate(&body, Pattern::Confirm, "", &northwind());
            for name in kinds {
                assert!(
                    !w.title.contains(name) && !w.summary.contains(name),
                    "{k}: {w:?}"
                );
            }
        }
    }

    #[test]
    fn long_text_is_clipped_with_an_ellipsis() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip(" abc ", 4), "abc");
    }

    #[test]
    fn metrics_name_skills_and_labels_in_words() {
        assert_eq!(skill_words("draft-followup-email"), "Follow-up emails");
        assert_eq!(skill_words("score-leads"), "Score leads");
        assert_eq!(label_words("crm_update"), "CRM update");
        assert_eq!(label_words("buying_signal:budget"), "Buying signal: budget");
    }

    #[test]
    fn a_call_is_not_called_a_call_twice() {
        assert_eq!(
            call_words(Some("Northwind discovery call")),
            "Northwind discovery call"
        );
        assert_eq!(call_words(Some("Acme sync")), "Acme sync call");
        assert_eq!(call_words(None), "call");
    }

    #[test]
    fn an_email_carrying_a_document_is_named_by_it() {
        let about = About {
            contact: Some("Marta Ruiz".into()),
            meeting: Some("Northwind discovery call".into()),
            ..About::default()
        };
        let payload = json!({ "to": "Marta Ruiz <marta@northwind.example>",
                              "attachments": [{ "file": "security-pack.pdf", "title": "Security pack" }] });
        let w = describe_action(
            Some(ActionKind::EmailSend),
            "Send Security pack to Marta Ruiz",
            &payload,
            &about,
        );
        assert_eq!(w.title, "Security pack to Marta Ruiz");
    }
}
