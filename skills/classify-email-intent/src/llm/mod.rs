//! The LLM review, never required: with `llm` granted and a model
//! configured, one call per email sends the subject, the newest text the
//! rules judged and the rules' label, and the model answers one label with
//! a quote. The quote must occur in that text (see
//! [`baton_sdk::llm::find_quote`]) and the label must be known, or the
//! answer is dropped. A valid answer confirms the rules, or replaces their
//! label when the rules were unsure (confidence below `replace_below`) or
//! when the model quotes an opt-out (`unsubscribe`, which is never lost).
//! The rules' `out_of_office` and `unsubscribe` are final: no call is made.
//! Not granted, not configured, denied, timed out, failed, malformed or
//! over budget, the answer is exactly the rules', and [`Review::path`] says
//! which path was taken. Logs carry counts only, never text.

mod prompt;

use crate::classify::{Classification, Intent, Relationship};
use baton_sdk::JsonSchema;
use baton_sdk::host::{self, Level};
use baton_sdk::llm::{Meter, find_quote, strict_json};
use serde::{Deserialize, Serialize};

/// The confidence of a label the model gave in place of the rules'.
pub const REPLACED_CONFIDENCE: f32 = 0.75;

/// Characters of the newest text sent (the rules judge as many).
const MAX_SENT_CHARS: usize = 2000;

/// The model's budget and say (the step's `llm` param).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Most tokens the model may answer.
    #[schemars(range(min = 1), extend("default" = 150))]
    pub max_tokens: u32,
    /// Most tokens (prompt and answer) the run may spend; past it no call
    /// is made.
    #[schemars(extend("default" = 2000))]
    pub run_tokens: u32,
    /// The model's label replaces the rules' only when the rules'
    /// confidence is below this.
    #[schemars(range(min = 0, max = 1), extend("default" = 0.8))]
    pub replace_below: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_tokens: 150,
            run_tokens: 2000,
            replace_below: 0.8,
        }
    }
}

/// What the review did (the output's `llm`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Review {
    /// `off`, `skipped: …` (the rules' label is final), `unavailable: …`,
    /// `denied: …`, `malformed: …`, `budget: …` or `dropped: …` (the
    /// rules' answer stands), or, when the model answered validly:
    /// `confirmed`, `replaced` (its label is the intent now) or `kept` (it
    /// disagreed, and the rules were sure enough to keep theirs).
    pub path: String,
    /// Completions received (0 or 1).
    pub calls: u32,
    /// Tokens counted for it (the host charges them to the org).
    pub tokens: u32,
    /// The model's label, as it wrote it.
    pub label: Option<String>,
    /// Its quote, as the email's own words, when found there.
    pub quote: Option<String>,
    /// The rules' label and confidence.
    pub rules: Rules,
}

/// The rules' verdict.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Rules {
    pub intent: Intent,
    pub confidence: f64,
}

/// The model's answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    label: String,
    quote: String,
}

/// Review the rules' classification `c` of an email with `subject`, and
/// return the classification to use with the review's record.
pub fn review(
    use_llm: bool,
    settings: &Settings,
    subject: &str,
    relationship: Relationship,
    mut c: Classification,
) -> (Classification, Review) {
    let mut r = Review {
        path: String::new(),
        calls: 0,
        tokens: 0,
        label: None,
        quote: None,
        rules: Rules {
            intent: c.intent,
            confidence: baton_sdk::two_decimals(c.confidence),
        },
    };
    r.path = if !use_llm {
        "off".into()
    } else if matches!(c.intent, Intent::OutOfOffice | Intent::Unsubscribe) {
        format!("skipped: the rules' {} is final", c.intent.as_str())
    } else {
        let sent = match c.newest.char_indices().nth(MAX_SENT_CHARS) {
            Some((i, _)) => &c.newest[..i],
            None => c.newest.as_str(),
        };
        let mut meter = Meter::new(settings.run_tokens);
        let req = prompt::request(subject, sent, relationship, c.intent, settings.max_tokens);
        let path = match meter.ask(req) {
            Err(refusal) => refusal.to_string(),
            Ok(answer) => match strict_json::<Answer>(&answer.text) {
                Err(e) => format!("malformed: {e}"),
                Ok(a) => {
                    r.label = Some(a.label.clone());
                    match (Intent::parse(a.label.trim()), find_quote(sent, &a.quote)) {
                        (None, _) => "dropped: unknown label".into(),
                        (Some(_), None) => "dropped: quote not in the newest text".into(),
                        (Some(intent), Some(quote)) => {
                            r.quote = Some(quote.to_owned());
                            judge(&mut c, intent, settings.replace_below)
                        }
                    }
                }
            },
        };
        (r.calls, r.tokens) = (meter.calls(), meter.spent());
        path
    };
    host::log(
        Level::Info,
        &format!(
            "llm review: {}; {} call(s), {} token(s)",
            r.path.split(':').next().unwrap_or_default(),
            r.calls,
            r.tokens
        ),
    );
    (c, r)
}

/// Merge the model's valid `intent` into `c`: the path taken.
fn judge(c: &mut Classification, intent: Intent, replace_below: f32) -> String {
    if intent == c.intent {
        return "confirmed".into();
    }
    if intent != Intent::Unsubscribe && c.confidence >= replace_below {
        return "kept".into();
    }
    c.reasons.push(format!(
        "the model's label, its quote found in the text (the rules said {})",
        c.intent.as_str()
    ));
    c.intent = intent;
    c.confidence = REPLACED_CONFIDENCE;
    "replaced".into()
}

#[cfg(test)]
mod tests;
