//! Block Kit messages for every pattern a person answers in Slack: confirm,
//! choose, batch and inform approval requests, and summaries. Every text is
//! cut to Slack's limits so a long draft never makes an invalid message.
//! Buttons carry `org:approval:decision`, read back by the interactions
//! webhook (see `service::webhooks::slack`); the "Not right" menu's options
//! carry `org:approval:not_right:<reason>` the same way.

use crate::store::{ActionKind, FeedbackReason, GateId, OrgId, Pattern, PendingAction, kind_of};
use serde_json::{Value, json};

use baton_types::evidence::Evidence;
use baton_types::slack::{BUTTON_TEXT, BUTTON_VALUE, CONTEXT_TEXT, HEADER_TEXT, SECTION_TEXT};
pub use baton_types::slack::{clip, escape};

/// Options shown as buttons; more are chosen in the inbox.
const MAX_OPTION_BUTTONS: usize = 5;
/// The `text` fallback shown in notifications.
const FALLBACK_TEXT: usize = 300;
/// A select menu's placeholder, an option's text and its value (Block
/// Kit's option object and `static_select` limits).
const PLACEHOLDER_TEXT: usize = 150;
const OPTION_TEXT: usize = 75;
const OPTION_VALUE: usize = 150;

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

/// The "Not right" menu: one option per reason; choosing one skips the
/// gate and records why.
fn not_right_menu(action: &PendingAction) -> Value {
    let options: Vec<Value> = FeedbackReason::ALL
        .iter()
        .map(|r| {
            json!({
                "text": plain(r.describe(), OPTION_TEXT),
                "value": clip(&button_value(action, &format!("not_right:{r}")), OPTION_VALUE),
            })
        })
        .collect();
    json!({
        "type": "static_select",
        "action_id": "baton.not_right",
        "placeholder": plain("Not right…", PLACEHOLDER_TEXT),
        "options": options,
    })
}

fn link_button(label: &str, url: &str) -> Value {
    json!({ "type": "button", "action_id": "baton.open", "text": plain(label, BUTTON_TEXT), "url": url })
}

/// The value a decision button carries.
pub fn button_value(action: &PendingAction, decision: &str) -> String {
    gate_button_value(&action.org_id, &action.id, decision)
}

/// The value of a button deciding gate `gate` of `org` (`org:gate:decision`).
pub fn gate_button_value(org: &OrgId, gate: &GateId, decision: &str) -> String {
    format!("{org}:{gate}:{decision}")
}

/// How an app names actions for a person in a chat request: an action's
/// title, and a few lines under it for a kind it owns. `()` names none
/// (an action is shown by its preview).
pub trait Describe {
    /// An action's title, if the app names it.
    fn action_title(
        &self,
        _kind: Option<ActionKind>,
        _preview: &str,
        _payload: &Value,
    ) -> Option<String> {
        None
    }

    /// Lines under the title of an action of `kind`, if the app shows them.
    fn action_summary(&self, _kind: ActionKind, _payload: &Value) -> Option<String> {
        None
    }
}

impl Describe for () {}

/// A readable preview of what a gate holds: each proposed action's title
/// (in the app's words), with an email's recipients, subject and body, and
/// what the app shows of a kind it owns.
fn preview(action: &PendingAction, words: &dyn Describe) -> String {
    let mut out = String::new();
    for a in action.body["actions"].as_array().into_iter().flatten() {
        let p = &a["payload"];
        let kind = kind_of(a);
        let shown = a["preview"].as_str().unwrap_or("");
        let title =
            words
                .action_title(kind, shown, p)
                .unwrap_or_else(|| match (shown.trim(), kind) {
                    ("", Some(k)) => k.as_str().to_owned(),
                    (s, _) => s.to_owned(),
                });
        out.push_str(&format!("• {title}\n"));
        if kind == Some(ActionKind::EmailSend) {
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
        } else if let Some(lines) = kind.and_then(|k| words.action_summary(k, p)) {
            out.push_str(&lines);
        }
        if let Some(line) = evidence_line(p) {
            out.push_str(&line);
        }
    }
    // A gate a skill opened itself (a choice of times) may carry the
    // words that asked for it.
    if let Some(line) = evidence_line(&action.body) {
        out.push_str(&line);
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

/// The longest quote shown under an action.
const QUOTE_CHARS: usize = 200;

/// The words an action rests on (its payload's evidence), on a line of
/// its own: who said them, where, and how sure the skill was.
fn evidence_line(payload: &Value) -> Option<String> {
    let e = Evidence::of(payload)?;
    let mut line = format!("_“{}”_", clip(e.quote.trim(), QUOTE_CHARS));
    let by: Vec<String> = e.speaker.clone().into_iter().chain(e.place()).collect();
    if !by.is_empty() {
        line.push_str(&format!(" — {}", by.join(" ")));
    }
    if let Some(c) = e.confidence {
        line.push_str(&format!(" · confidence {:.0}%", c * 100.0));
    }
    line.push('\n');
    Some(line)
}

/// The approval request for a gate: `(fallback text, blocks)`. Buttons
/// fit the gate's pattern; `inbox_url` opens the gate in the web inbox;
/// `words` names its actions.
pub fn approval_request(
    action: &PendingAction,
    words: &dyn Describe,
    inbox_url: Option<&str>,
) -> (String, Value) {
    let mut blocks = vec![json!({ "type": "header", "text": plain(&action.title, HEADER_TEXT) })];
    let body = preview(action, words);
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
    buttons.push(not_right_menu(action));
    if let Some(url) = inbox_url {
        buttons.push(link_button("Edit in inbox", url));
    }
    blocks.push(json!({ "type": "actions", "block_id": clip(&format!("gate:{}", action.id), 255), "elements": buttons }));
    blocks.push(json!({ "type": "context", "elements": [
        { "type": "mrkdwn", "text": clip(&format!("Expires <!date^{}^{{date_short_pretty}} {{time}}|soon>", action.expires_at / 1000), CONTEXT_TEXT) }
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
    if list.is_empty() || list.len() > MAX_BLOCKS || !list.iter().all(read_only) {
        return None;
    }
    Some((fallback(title), blocks.clone()))
}

fn text_fits(t: &Value, max: usize) -> bool {
    t.is_null()
        || (matches!(t["type"].as_str(), Some("plain_text" | "mrkdwn"))
            && t["text"].as_str().is_some_and(|x| x.chars().count() <= max))
}

/// Whether `b` is a read-only layout block within Slack's limits.
fn read_only(b: &Value) -> bool {
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
}

/// What buttons a skill may put in an inform-only post (a daily digest):
/// links into the inbox, and decisions on the rep's own gates that one
/// click can make, in `actions` blocks the poster marks as its own.
#[derive(Debug, Clone, Copy)]
pub struct ButtonRules<'a> {
    /// The org the post is for: a decision button must name it.
    pub org: &'a OrgId,
    /// The service's public URL: a relative `/inbox…` link is made absolute
    /// with it (without one, a post with links is not accepted).
    pub public_url: Option<&'a str>,
    /// What an `actions` block's `block_id` starts with.
    pub block_prefix: &'a str,
}

/// Decisions a skill's button may carry: the interactions route reads them
/// as approve (confirm, inform), approve all (batch) and skip.
const SKILL_DECISIONS: [&str; 3] = ["approve", "all", "skip"];
/// Slack's limit on elements in an `actions` block.
const MAX_ACTIONS: usize = 25;

/// A skill's blocks with buttons, as [`from_skill`] but also taking
/// `actions` blocks whose `block_id` starts with `rules.block_prefix` and whose buttons
/// (action ids `baton.…`) either link into the inbox (a relative
/// `/inbox…` URL, made absolute) or decide a gate of `rules.org`
/// (`org:gate:decision`, the value the interactions route reads). Returns
/// the fallback, the blocks as they go out, and the gates the buttons
/// decide, which the caller checks belong to the rep; `None` (use
/// [`inform`]) for anything else.
pub fn from_skill_with_buttons(
    title: &str,
    blocks: &Value,
    rules: &ButtonRules<'_>,
) -> Option<(String, Value, Vec<GateId>)> {
    let list = blocks.as_array()?;
    if list.is_empty() || list.len() > MAX_BLOCKS {
        return None;
    }
    let mut gates = Vec::new();
    let mut out = Vec::with_capacity(list.len());
    for b in list {
        if b["type"] != "actions" {
            if !read_only(b) {
                return None;
            }
            out.push(b.clone());
            continue;
        }
        let id = b["block_id"].as_str()?;
        let elements = b["elements"].as_array()?;
        if !id.starts_with(rules.block_prefix)
            || id.chars().count() > 255
            || elements.is_empty()
            || elements.len() > MAX_ACTIONS
        {
            return None;
        }
        let mut buttons = Vec::with_capacity(elements.len());
        for e in elements {
            let fields = e.as_object()?;
            let allowed = ["type", "action_id", "text", "value", "url", "style"];
            if e["type"] != "button"
                || !fields.keys().all(|k| allowed.contains(&k.as_str()))
                || !e["action_id"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("baton.") && a.len() <= 255)
                || e["text"]["type"] != "plain_text"
                || !text_fits(&e["text"], BUTTON_TEXT)
                || e["text"].is_null()
                || !e["style"]
                    .as_str()
                    .is_none_or(|s| s == "primary" || s == "danger")
            {
                return None;
            }
            let mut button = e.clone();
            match (e["url"].as_str(), e["value"].as_str()) {
                (Some(path), None) => {
                    let base = rules.public_url?.trim_end_matches('/');
                    if !path.starts_with("/inbox") || path.contains(['<', '>', '|', ' ', '"']) {
                        return None;
                    }
                    button["url"] = json!(format!("{base}{path}"));
                }
                (None, Some(value)) => {
                    let mut parts = value.splitn(3, ':');
                    let (org, gate, decision) = (parts.next()?, parts.next()?, parts.next()?);
                    if org != rules.org.as_str()
                        || gate.is_empty()
                        || !SKILL_DECISIONS.contains(&decision)
                    {
                        return None;
                    }
                    gates.push(GateId::from(gate));
                }
                _ => return None,
            }
            buttons.push(button);
        }
        let mut block = b.clone();
        block["elements"] = Value::Array(buttons);
        out.push(block);
    }
    Some((fallback(title), Value::Array(out), gates))
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
mod tests;
