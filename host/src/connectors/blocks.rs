//! Block Kit messages for every pattern a person answers in Slack: confirm,
//! choose, batch and inform approval requests, and summaries. Every text is
//! cut to Slack's limits so a long draft never makes an invalid message.
//! Buttons carry `org:approval:decision`, read back by the interactions
//! webhook (see `service::webhooks::slack`).

use crate::store::PendingAction;
use serde_json::{Value, json};

/// Slack's limits (Block Kit reference).
const SECTION_TEXT: usize = 3000;
const HEADER_TEXT: usize = 150;
const BUTTON_TEXT: usize = 75;
const CONTEXT_TEXT: usize = 2000;
const BUTTON_VALUE: usize = 2000;
/// Options shown as buttons; more are chosen in the inbox.
const MAX_OPTION_BUTTONS: usize = 5;
/// The `text` fallback shown in notifications.
const FALLBACK_TEXT: usize = 300;

/// Cut `s` to at most `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn plain(text: &str, max: usize) -> Value {
    json!({ "type": "plain_text", "text": clip(text, max), "emoji": true })
}

fn mrkdwn(text: &str) -> Value {
    json!({ "type": "mrkdwn", "text": clip(&escape(text), SECTION_TEXT) })
}

/// Escape the three characters Slack's mrkdwn treats as control.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn button(label: &str, action_id: &str, value: &str, style: Option<&str>) -> Value {
    let mut b = json!({
        "type": "button",
        "action_id": action_id,
        "text": plain(label, BUTTON_TEXT),
        "value": clip(value, BUTTON_VALUE),
    });
    if let Some(style) = style {
        b["style"] = json!(style);
    }
    b
}

fn link_button(label: &str, url: &str) -> Value {
    json!({ "type": "button", "action_id": "baton.open", "text": plain(label, BUTTON_TEXT), "url": url })
}

/// The value a decision button carries.
pub fn button_value(action: &PendingAction, decision: &str) -> String {
    format!("{}:{}:{decision}", action.org_id, action.id)
}

/// A readable preview of what a gate holds: each proposed action's preview,
/// with an email's recipients, subject and body.
fn preview(action: &PendingAction) -> String {
    let mut out = String::new();
    for a in action.body["actions"].as_array().into_iter().flatten() {
        let kind = a["kind"].as_str().unwrap_or("action");
        out.push_str(&format!(
            "• {kind}: {}\n",
            a["preview"].as_str().unwrap_or("")
        ));
        let p = &a["payload"];
        if kind == "email_send" {
            if let Some(to) = super::email::recipients(&p["to"])
                .ok()
                .filter(|t| !t.is_empty())
            {
                out.push_str(&format!("To: {}\n", to.join(", ")));
            }
            if let Some(s) = p["subject"].as_str() {
                out.push_str(&format!("Subject: {s}\n"));
            }
            if let Some(b) = p["body"].as_str() {
                out.push_str(&format!("\n{b}\n"));
            }
        }
    }
    if out.is_empty() {
        out = match &action.body["data"] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other).unwrap_or_default(),
        };
    }
    out
}

/// The approval request for a gate: `(fallback text, blocks)`. Buttons
/// fit the gate's pattern; `inbox_url` opens the gate in the web inbox.
pub fn approval_request(action: &PendingAction, inbox_url: Option<&str>) -> (String, Value) {
    let mut blocks = vec![json!({ "type": "header", "text": plain(&action.title, HEADER_TEXT) })];
    let body = preview(action);
    if !body.trim().is_empty() {
        blocks.push(json!({ "type": "section", "text": mrkdwn(&body) }));
    }
    let mut buttons = Vec::new();
    match action.pattern.as_str() {
        "choose" => {
            for (i, option) in action.options.iter().take(MAX_OPTION_BUTTONS).enumerate() {
                buttons.push(button(
                    &format!("{}. {option}", i + 1),
                    &format!("baton.choose.{i}"),
                    &button_value(action, &format!("choose:{i}")),
                    None,
                ));
            }
        }
        "batch" => {
            let list: Vec<String> = action
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{}. {o}", i + 1))
                .collect();
            if !list.is_empty() {
                blocks.push(json!({ "type": "section", "text": mrkdwn(&list.join("\n")) }));
            }
            buttons.push(button(
                "Approve all",
                "baton.approve_all",
                &button_value(action, "all"),
                Some("primary"),
            ));
        }
        _ => {
            buttons.push(button(
                "Approve",
                "baton.approve",
                &button_value(action, "approve"),
                Some("primary"),
            ));
        }
    }
    buttons.push(button(
        "Skip",
        "baton.skip",
        &button_value(action, "skip"),
        None,
    ));
    buttons.push(button(
        "Cancel sequence",
        "baton.cancel",
        &button_value(action, "cancel"),
        Some("danger"),
    ));
    if let Some(url) = inbox_url {
        buttons.push(link_button("Edit in inbox", url));
    }
    blocks.push(json!({ "type": "actions", "block_id": clip(&format!("gate:{}", action.id), 255), "elements": buttons }));
    blocks.push(json!({ "type": "context", "elements": [
        { "type": "mrkdwn", "text": clip(&format!("Step `{}` · expires <!date^{}^{{date_short_pretty}} {{time}}|soon>", action.step_name, action.expires_at / 1000), CONTEXT_TEXT) }
    ]}));
    (clip(&action.title, FALLBACK_TEXT), Value::Array(blocks))
}

/// An inform-only message (no decision asked): a title and a text.
pub fn inform(title: &str, text: &str) -> (String, Value) {
    let mut blocks = vec![json!({ "type": "header", "text": plain(title, HEADER_TEXT) })];
    if !text.trim().is_empty() {
        blocks.push(json!({ "type": "section", "text": mrkdwn(text) }));
    }
    (clip(title, FALLBACK_TEXT), Value::Array(blocks))
}

/// What a decided request is replaced with, so nobody answers it twice.
pub fn decided(title: &str, outcome: &str) -> (String, Value) {
    let text = format!("{title}: {outcome}");
    let blocks = json!([
        { "type": "section", "text": mrkdwn(&text) },
    ]);
    (clip(&text, FALLBACK_TEXT), blocks)
}
