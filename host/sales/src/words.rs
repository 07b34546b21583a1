//! How baton names what it does to a person: one place maps each action
//! kind, gate and event to a human title and a one-line summary ("Follow-up
//! email to Marta Ruiz (Northwind)", "Move Northwind renewals rollout to
//! Proposal", "7 tasks from the Northwind call"). Gate titles (stored, and
//! shown in Slack and the inbox) and the inbox's lists all read from here,
//! so no kind name, step name or id reaches a rep. Pure: what a title names
//! comes in as [`About`], built from a job's event and the CRM context its
//! steps were shown.

mod terms;

pub use terms::{
    call_words, clip, field_words, label_words, skill_words, stage_words, status_words, value_words,
};
use terms::{day_words, in_brackets, non_empty, sentence};

use baton_store::{ActionKind, Pattern, kind_of};
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
    // A campaign decision: the skill's title and question.
    if !actions.is_empty()
        && actions
            .iter()
            .all(|a| a["payload"]["entity"] == baton_types::campaigns::ENTITY)
        && let Some(title) = body["data"]["title"].as_str()
    {
        return Words {
            title: title.to_owned(),
            summary: clip(body["data"]["question"].as_str().unwrap_or(""), 200),
        };
    }
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
    let first = baton_store::address::recipients(&payload["to"])
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
    baton_store::address::recipients(&payload["to"])
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

#[cfg(test)]
mod tests;
