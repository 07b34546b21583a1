//! An erased attachment's words, to find them again wherever a step put
//! them: a quote, a phrase played back in a draft, an utterance handed on
//! to a follow-up. Text is compared as lowercase runs of letters and
//! digits; a text of two words or more is tainted when any run of
//! [`RUN`] of its words (all of them, when it has fewer) was said in the
//! attachment in that order. A single word (a name, a label) never is.

use serde_json::Value;
use std::collections::HashSet;

/// How many consecutive words make a match.
pub const RUN: usize = 4;

/// What replaces a tainted text.
pub const ERASED: &str = "[erased]";

/// The runs of words an attachment holds.
#[derive(Debug, Default)]
pub struct Words {
    /// Every run of 2 to [`RUN`] consecutive words, joined by a space.
    runs: HashSet<String>,
}

/// `text` as lowercase words of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Words {
    /// The words of every text in `doc` (an attachment's body).
    pub fn of(doc: &Value) -> Words {
        let mut out = Words::default();
        each_text(doc, &mut |t| {
            let w = words(t);
            for n in 2..=RUN {
                for run in w.windows(n) {
                    out.runs.insert(run.join(" "));
                }
            }
        });
        out
    }

    /// Whether `text` repeats any of the words.
    pub fn taints(&self, text: &str) -> bool {
        let w = words(text);
        if w.len() < 2 {
            return false;
        }
        let n = w.len().min(RUN);
        w.windows(n).any(|run| self.runs.contains(&run.join(" ")))
    }

    /// Replace every tainted text in `v` with [`ERASED`]: whether any was.
    pub fn scrub(&self, v: &mut Value) -> bool {
        match v {
            Value::String(s) if self.taints(s) => {
                *s = ERASED.to_owned();
                true
            }
            Value::Array(items) => items.iter_mut().fold(false, |any, i| self.scrub(i) | any),
            Value::Object(fields) => fields
                .values_mut()
                .fold(false, |any, f| self.scrub(f) | any),
            _ => false,
        }
    }

    /// A stored column scrubbed: JSON text rewritten with its tainted texts
    /// replaced, plain text replaced whole when tainted; `None` when
    /// nothing in it was.
    pub fn scrub_column(&self, text: &str) -> Option<String> {
        match serde_json::from_str::<Value>(text) {
            Ok(mut v) if v.is_object() || v.is_array() || v.is_string() => {
                self.scrub(&mut v).then(|| v.to_string())
            }
            _ => self.taints(text).then(|| ERASED.to_owned()),
        }
    }
}

/// Call `f` on every text in `v`.
fn each_text(v: &Value, f: &mut impl FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|i| each_text(i, f)),
        Value::Object(fields) => fields.values().for_each(|x| each_text(x, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn said() -> Words {
        Words::of(&json!({ "utterances": [
            { "speaker": "guest", "text": "Our renewals team is drowning in spreadsheets, honestly." },
            { "speaker": "host", "text": "I'll send you a summary by Friday." },
        ] }))
    }

    #[test]
    fn a_quote_a_played_back_phrase_and_a_short_clause_are_tainted() {
        let w = said();
        assert!(w.taints("drowning in spreadsheets"));
        assert!(w.taints("You said your renewals team is drowning in work."));
        assert!(w.taints("RENEWALS TEAM"));
        assert!(w.taints("send you a summary"));
    }

    #[test]
    fn words_never_said_in_that_order_and_single_words_are_not() {
        let w = said();
        assert!(!w.taints("Renewals"));
        assert!(!w.taints("Follow-up email to Marta Ruiz (Northwind)"));
        assert!(!w.taints("team renewals"));
        assert!(!w.taints("2026-11-27"));
        assert!(!w.taints("send_summary"));
    }

    #[test]
    fn scrubbing_keeps_the_shape_and_what_was_not_said() {
        let w = said();
        let mut out = json!({
            "label": "send_summary",
            "evidence": { "quote": "drowning in spreadsheets", "speaker": "guest", "at": 12.5 },
            "items": ["I'll send you a summary by Friday.", "Book the site visit"],
        });
        assert!(w.scrub(&mut out));
        assert_eq!(out["label"], "send_summary");
        assert_eq!(out["evidence"]["quote"], ERASED);
        assert_eq!(out["evidence"]["at"], 12.5);
        assert_eq!(out["items"], json!([ERASED, "Book the site visit"]));
        assert!(!w.scrub(&mut out), "a second pass finds nothing");
        assert_eq!(
            w.scrub_column("drowning in spreadsheets, honestly, they said"),
            Some(ERASED.into())
        );
        assert_eq!(w.scrub_column("{\"a\":\"Renewals\"}"), None);
        // Three of its words inside a longer text are not four in a row.
        assert_eq!(w.scrub_column("drowning in spreadsheets, they said"), None);
    }
}
