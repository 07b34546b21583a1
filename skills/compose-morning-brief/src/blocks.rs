//! The brief as Block Kit: a header, one section per part, each waiting
//! gate with an Approve button (its value the host made, read by the Slack
//! interactions route) and an Open-in-inbox link, and the links to expand
//! the pipeline and show the inbox. Text is escaped for mrkdwn and cut to
//! Slack's limits; links are relative (`/inbox…`): the host makes them
//! absolute and checks every button before posting.

use crate::sections::Item;
use baton_sdk::events::morning_brief::Section;
use baton_sdk::{Value, json};

pub use baton_sdk::slack::{BUTTON_TEXT, HEADER_TEXT, SECTION_TEXT, clip, escape};
/// Lines shown per section.
const MAX_LINES: usize = 10;
/// Waiting items given their own buttons.
const MAX_BUTTON_ITEMS: usize = 5;

fn mrkdwn_section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(text, SECTION_TEXT) } })
}

fn section(s: &Section) -> Value {
    let mut text = format!("*{}*", escape(&s.heading));
    for l in s.lines.iter().take(MAX_LINES) {
        text.push_str(&format!("\n{}", escape(&l.text)));
    }
    if s.lines.len() > MAX_LINES {
        text.push_str(&format!("\n… and {} more", s.lines.len() - MAX_LINES));
    }
    mrkdwn_section(&text)
}

fn button(label: &str, action_id: &str) -> Value {
    json!({ "type": "button", "action_id": action_id,
            "text": { "type": "plain_text", "text": clip(label, BUTTON_TEXT), "emoji": true } })
}

fn link(label: &str, action_id: &str, path: &str) -> Value {
    let mut b = button(label, action_id);
    b["url"] = json!(path);
    b
}

/// The message.
pub fn blocks(title: &str, sections: &[Section], items: &[Item]) -> Vec<Value> {
    let mut out = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": clip(title, HEADER_TEXT), "emoji": true }
    })];
    for s in sections {
        if s.key != "attention" {
            out.push(section(s));
            continue;
        }
        out.push(json!({ "type": "divider" }));
        // The waiting items that a click can answer get their own buttons.
        let (acting, rest): (Vec<&Item>, Vec<&Item>) = items
            .iter()
            .partition(|i| i.gate.as_ref().is_some_and(|g| g.approve_value.is_some()));
        let shown: Vec<&Item> = acting.iter().take(MAX_BUTTON_ITEMS).copied().collect();
        let listed: Vec<String> = acting
            .iter()
            .skip(MAX_BUTTON_ITEMS)
            .chain(rest.iter())
            .map(|i| escape(&i.line.text))
            .collect();
        let mut head = format!("*{}*", escape(&s.heading));
        if shown.is_empty() && listed.is_empty() {
            for l in &s.lines {
                head.push_str(&format!("\n{}", escape(&l.text)));
            }
        }
        out.push(mrkdwn_section(&head));
        for (n, item) in shown.iter().enumerate() {
            out.push(mrkdwn_section(&escape(&item.line.text)));
            let Some(gate) = &item.gate else { continue };
            let mut approve = button(item.approve_label, "baton.approve");
            approve["value"] = json!(gate.approve_value);
            approve["style"] = json!("primary");
            out.push(json!({
                "type": "actions",
                "block_id": format!("brief:attention:{n}"),
                "elements": [approve, link("Open in inbox", "baton.open", &gate.inbox_path)],
            }));
        }
        let mut more: Vec<String> = listed.into_iter().take(MAX_LINES).collect();
        if let Some(summary) = s.lines.last().filter(|_| !items.is_empty())
            && summary.link.as_deref() == Some("/inbox")
        {
            more.push(escape(&summary.text));
        }
        if !more.is_empty() {
            out.push(mrkdwn_section(&more.join("\n")));
        }
        out.push(json!({ "type": "divider" }));
    }
    out.push(json!({
        "type": "actions",
        "block_id": "brief:links",
        "elements": [
            link("Expand pipeline ->", "baton.open.pipeline", "/inbox#brief-pipeline"),
            link("Show full inbox ->", "baton.open.inbox", "/inbox"),
        ],
    }));
    out.push(json!({
        "type": "context",
        "elements": [{ "type": "mrkdwn", "text": "Prepared by baton from your calendar, CRM, mail and approvals" }]
    }));
    out
}
