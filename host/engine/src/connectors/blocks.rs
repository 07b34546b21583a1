//! Block Kit messages for every pattern a person answers in Slack: confirm,
//! choose, batch and inform approval requests, and summaries. Every text is
//! cut to Slack's limits so a long draft never makes an invalid message.
//! Buttons carry `org:approval:decision`, read back by the interactions
//! webhook (see `service::webhooks::slack`); the "Not right…" button opens
//! a modal ([`not_right_modal`]) whose submission carries the reason, the
//! corrected labels and a note.

use crate::store::{
    ActionKind, FeedbackReason, GateId, NONE_OF_THEM, OrgId, Pattern, PendingAction, kind_of,
};
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

/// The "Not right…" button: it opens a modal ([`not_right_modal`]) that
/// takes the reason, the labels the suggestion should have had and a note.
fn not_right_button(action: &PendingAction) -> Value {
    button(
        "Not right…",
        NOT_RIGHT_ACTION,
        &button_value(action, NOT_RIGHT),
        None,
    )
}

/// The decision a "Not right…" button carries (a reason chosen from the
/// menu older messages show carries `not_right:<reason>`).
pub const NOT_RIGHT: &str = "not_right";
/// The action id of the "Not right…" button.
pub const NOT_RIGHT_ACTION: &str = "baton.not_right";
/// The modal's `callback_id`, read back from its submission.
pub const NOT_RIGHT_VIEW: &str = "baton.not_right";
/// The modal's blocks, by id, read back from its submission.
pub const REASON_BLOCK: &str = "reason";
pub const LABELS_BLOCK: &str = "labels";
pub const NOTE_BLOCK: &str = "note";
/// A modal's `private_metadata` (Slack's limit).
const METADATA: usize = 3000;
/// Checkboxes Slack shows at most; a longer vocabulary is a multi-select.
const MAX_CHECKBOXES: usize = 10;
/// A modal's title and submit label (Slack's limit).
const MODAL_TEXT: usize = 24;

fn option(text: &str, value: &str) -> Value {
    json!({ "text": plain(text, OPTION_TEXT), "value": clip(value, OPTION_VALUE) })
}

/// The labels a correction may name (an app's `Labels`, as far as a form
/// needs them).
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary<'a> {
    pub labels: &'a [&'a str],
    /// Exactly one label, or any number ("none of these" included).
    pub one: bool,
}

/// The "Not right" modal for `gate`: what was wrong (one of the reasons),
/// the labels it should have had when its app names a vocabulary
/// (`labels`: any number of them, "none of these" included, or exactly
/// one), and a note of at most `max_note` characters. `metadata` comes
/// back with the submission (which gate, and where to answer).
pub fn not_right_modal(
    gate: &PendingAction,
    labels: Option<Vocabulary<'_>>,
    max_note: usize,
    metadata: &str,
) -> Value {
    let reasons: Vec<Value> = FeedbackReason::ALL
        .iter()
        .map(|r| option(r.describe(), r.as_str()))
        .collect();
    let mut blocks = vec![
        json!({ "type": "section", "text": mrkdwn(&format!(
            "{}\nIt is skipped, and what you say here is kept to improve the next suggestion.",
            gate.title
        )) }),
        json!({ "type": "input", "block_id": REASON_BLOCK,
            "label": plain("What was wrong", HEADER_TEXT),
            "element": { "type": "static_select", "action_id": REASON_BLOCK,
                "placeholder": plain("Pick one", PLACEHOLDER_TEXT), "options": reasons } }),
    ];
    if let Some(l) = labels {
        let words = |v: &str| v.replace('_', " ");
        let element = if l.one {
            let options: Vec<Value> = l.labels.iter().map(|v| option(&words(v), v)).collect();
            json!({ "type": "static_select", "action_id": LABELS_BLOCK,
                "placeholder": plain("The right one", PLACEHOLDER_TEXT), "options": options })
        } else {
            let options: Vec<Value> = l
                .labels
                .iter()
                .map(|v| option(&words(v), v))
                .chain(std::iter::once(option("none of these", NONE_OF_THEM)))
                .collect();
            if options.len() <= MAX_CHECKBOXES {
                json!({ "type": "checkboxes", "action_id": LABELS_BLOCK, "options": options })
            } else {
                json!({ "type": "multi_static_select", "action_id": LABELS_BLOCK,
                    "placeholder": plain("The right ones", PLACEHOLDER_TEXT), "options": options })
            }
        };
        blocks.push(
            json!({ "type": "input", "block_id": LABELS_BLOCK, "optional": true,
            "label": plain("What it should have been", HEADER_TEXT),
            "hint": plain("With \u{201c}Wrong intent or label\u{201d} only", HEADER_TEXT),
            "element": element }),
        );
    }
    blocks.push(
        json!({ "type": "input", "block_id": NOTE_BLOCK, "optional": true,
        "label": plain("Note", HEADER_TEXT),
        "element": { "type": "plain_text_input", "action_id": NOTE_BLOCK, "multiline": true,
            "max_length": max_note } }),
    );
    json!({
        "type": "modal",
        "callback_id": NOT_RIGHT_VIEW,
        "private_metadata": clip(metadata, METADATA),
        "title": plain("Not right", MODAL_TEXT),
        "submit": plain("Skip it", MODAL_TEXT),
        "close": plain("Cancel", MODAL_TEXT),
        "blocks": blocks,
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
    buttons.push(not_right_button(action));
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
