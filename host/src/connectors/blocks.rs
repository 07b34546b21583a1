//! Block Kit messages for every pattern a person answers in Slack: confirm,
//! choose, batch and inform approval requests, and summaries. Every text is
//! cut to Slack's limits so a long draft never makes an invalid message.
//! Buttons carry `org:approval:decision`, read back by the interactions
//! webhook (see `service::webhooks::slack`).

use crate::store::{ActionKind, Pattern, PendingAction, kind_of};
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

/// A message's `text` (the notification fallback): Slack reads it as
/// mrkdwn, so outside text in it is escaped like any other (`<!channel>`
/// and `<url|label>` arrive as text, never as a mention or a link).
fn fallback(s: &str) -> String {
    escape(&clip(s, FALLBACK_TEXT))
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
        if kind_of(a) == Some(ActionKind::EmailSend) {
            if let Some(to) = crate::address::recipients(&p["to"])
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
    match action.pattern {
        Pattern::Choose => {
            for (i, option) in action.options.iter().take(MAX_OPTION_BUTTONS).enumerate() {
                buttons.push(button(
                    &format!("{}. {option}", i + 1),
                    &format!("baton.choose.{i}"),
                    &button_value(action, &format!("choose:{i}")),
                    None,
                ));
            }
        }
        Pattern::Batch => {
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
        Pattern::Confirm | Pattern::Inform => {
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
        { "type": "mrkdwn", "text": clip(&format!("Step `{}` · expires <!date^{}^{{date_short_pretty}} {{time}}|soon>", escape(&action.step_name), action.expires_at / 1000), CONTEXT_TEXT) }
    ]}));
    (fallback(&action.title), Value::Array(blocks))
}

/// An inform-only message (no decision asked): a title and a text.
pub fn inform(title: &str, text: &str) -> (String, Value) {
    let mut blocks = vec![json!({ "type": "header", "text": plain(title, HEADER_TEXT) })];
    if !text.trim().is_empty() {
        blocks.push(json!({ "type": "section", "text": mrkdwn(text) }));
    }
    (fallback(title), Value::Array(blocks))
}

/// Block types a skill may send in a summary: read-only layout, nothing a
/// person could click (answers come only through the host's own requests).
const SKILL_BLOCKS: [&str; 4] = ["header", "section", "context", "divider"];
/// Slack's limit on blocks in one message.
const MAX_BLOCKS: usize = 50;

/// A skill's own blocks for an inform-only post, when every block is a
/// read-only layout block within Slack's limits; `None` (use [`inform`])
/// otherwise. The skill escapes its own text.
pub fn from_skill(title: &str, blocks: &Value) -> Option<(String, Value)> {
    let list = blocks.as_array()?;
    if list.is_empty() || list.len() > MAX_BLOCKS {
        return None;
    }
    let text_fits = |t: &Value, max: usize| {
        t.is_null()
            || (matches!(t["type"].as_str(), Some("plain_text" | "mrkdwn"))
                && t["text"].as_str().is_some_and(|x| x.chars().count() <= max))
    };
    let fine = list.iter().all(|b| {
        let kind = b["type"].as_str().unwrap_or("");
        SKILL_BLOCKS.contains(&kind)
            && b.get("accessory").is_none()
            && match kind {
                "header" => text_fits(&b["text"], HEADER_TEXT) && !b["text"].is_null(),
                "section" => {
                    text_fits(&b["text"], SECTION_TEXT)
                        && b["fields"].as_array().is_none_or(|f| {
                            f.len() <= 10 && f.iter().all(|x| text_fits(x, CONTEXT_TEXT))
                        })
                        && !(b["text"].is_null() && b["fields"].is_null())
                }
                "context" => b["elements"].as_array().is_some_and(|e| {
                    !e.is_empty() && e.len() <= 10 && e.iter().all(|x| text_fits(x, CONTEXT_TEXT))
                }),
                _ => true,
            }
    });
    fine.then(|| (fallback(title), blocks.clone()))
}

/// What a decided request is replaced with, so nobody answers it twice.
pub fn decided(title: &str, outcome: &str) -> (String, Value) {
    let text = format!("{title}: {outcome}");
    let blocks = json!([
        { "type": "section", "text": mrkdwn(&text) },
    ]);
    (fallback(&text), blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_in_the_fallback_is_escaped() {
        let title = "<!channel> <https://evil.example|click here> & more";
        let shown = "&lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more";
        assert_eq!(inform(title, "").0, shown);
        assert_eq!(decided(title, "approved").0, format!("{shown}: approved"));
        let blocks = json!([{ "type": "divider" }]);
        assert_eq!(from_skill(title, &blocks).expect("accepted").0, shown);
    }

    #[test]
    fn a_skills_read_only_layout_is_posted_as_sent() {
        let blocks = json!([
            { "type": "header", "text": { "type": "plain_text", "text": "Prep: Harbour Freight" } },
            { "type": "section", "text": { "type": "mrkdwn", "text": "*Deal* proposal" } },
            { "type": "divider" },
            { "type": "context", "elements": [{ "type": "mrkdwn", "text": "from the CRM" }] }
        ]);
        let (fallback, posted) = from_skill("Prep", &blocks).expect("accepted");
        assert_eq!(fallback, "Prep");
        assert_eq!(posted, blocks);
    }

    #[test]
    fn anything_clickable_or_oversized_falls_back_to_the_hosts_summary() {
        let button = json!([{ "type": "actions", "elements": [
            { "type": "button", "text": { "type": "plain_text", "text": "Approve" }, "value": "x" }
        ]}]);
        assert!(from_skill("t", &button).is_none());
        let accessory = json!([{ "type": "section", "text": { "type": "mrkdwn", "text": "hi" },
            "accessory": { "type": "button", "text": { "type": "plain_text", "text": "Go" } } }]);
        assert!(from_skill("t", &accessory).is_none());
        let long =
            json!([{ "type": "section", "text": { "type": "mrkdwn", "text": "x".repeat(3001) } }]);
        assert!(from_skill("t", &long).is_none());
        let many = Value::Array(vec![json!({ "type": "divider" }); 51]);
        assert!(from_skill("t", &many).is_none());
        assert!(from_skill("t", &json!("not blocks")).is_none());
        assert!(from_skill("t", &json!([])).is_none());
    }
}
