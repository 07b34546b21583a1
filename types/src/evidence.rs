//! The words a suggestion rests on. A skill puts one on each action it
//! derives from something said or written (the payload's `evidence`); the
//! host shows it on the gate and in the chat request, and withholds an
//! action whose confidence is under the org's floor. Created by skills,
//! read by the host.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What was said (or written), by whom, where, and how sure the skill is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evidence {
    /// The words, verbatim.
    pub quote: String,
    /// Who said or wrote them, as a person reads it ("Marta Ruiz",
    /// "You"), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Seconds from the start of the call, for words said on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<f64>,
    /// The line of the email (from 1), for words written in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// From 0 to 1: how sure the skill is that the words mean what the
    /// suggestion takes them to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

impl Evidence {
    /// Words with nothing else known.
    pub fn quote(quote: impl Into<String>) -> Evidence {
        Evidence {
            quote: quote.into(),
            speaker: None,
            at: None,
            line: None,
            confidence: None,
        }
    }

    /// Words written in an email (`body`), placed at the line where they
    /// start when they are there.
    pub fn written(
        quote: impl Into<String>,
        body: &str,
        writer: Option<String>,
        confidence: Option<f64>,
    ) -> Evidence {
        let quote = quote.into();
        let head: String = quote.chars().take(40).collect();
        let head = head.trim();
        let line = (!head.is_empty())
            .then(|| body.lines().position(|l| l.contains(head)))
            .flatten()
            .and_then(|i| u32::try_from(i + 1).ok());
        Evidence {
            quote,
            speaker: writer,
            at: None,
            line,
            confidence,
        }
    }

    /// An action payload's evidence (its `evidence` field), if it has
    /// one: the object, or bare words as earlier drafts stored them. A
    /// confidence outside [0, 1] reads as unknown.
    pub fn of(payload: &Value) -> Option<Evidence> {
        match &payload["evidence"] {
            Value::String(s) if !s.trim().is_empty() => Some(Evidence::quote(s.clone())),
            v @ Value::Object(_) => {
                let mut e: Evidence = serde_json::from_value(v.clone()).ok()?;
                e.confidence = e.confidence.filter(|c| (0.0..=1.0).contains(c));
                (!e.quote.trim().is_empty()).then_some(e)
            }
            _ => None,
        }
    }

    /// Where the words are, as a person reads it: "at 4:05" into the call,
    /// "line 3" of the email.
    pub fn place(&self) -> Option<String> {
        match (self.at, self.line) {
            (Some(s), _) => {
                let s = s.max(0.0).round() as u64;
                Some(format!("at {}:{:02}", s / 60, s % 60))
            }
            (None, Some(l)) => Some(format!("line {l}")),
            (None, None) => None,
        }
    }

    /// Whether the skill said how sure it is and that is under `floor`.
    pub fn under(&self, floor: f64) -> bool {
        self.confidence.is_some_and(|c| c < floor)
    }
}

/// The words of an email that ask, to quote as its evidence: its first
/// sentence ending with `?`, else its first that is not a greeting ("Hi
/// Jordan,"). Only the sender's newest words are read: quoted lines (`>`)
/// and what follows an "On … wrote:" line are left out.
pub fn asking_sentence(body: &str) -> Option<&str> {
    let sentences: Vec<&str> = body
        .lines()
        .map(str::trim)
        .take_while(|l| !(l.starts_with("On ") && l.ends_with("wrote:")))
        .filter(|l| !l.starts_with('>'))
        .flat_map(|l| l.split_inclusive(['.', '?', '!']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let greeting = |s: &&str| {
        let first = s
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        s.split_whitespace().count() <= 4
            && (s.ends_with(',')
                || matches!(
                    first.as_str(),
                    "hi" | "hello" | "hey" | "dear" | "morning" | "afternoon" | "evening"
                ))
    };
    sentences
        .iter()
        .find(|s| s.ends_with('?'))
        .or_else(|| sentences.iter().find(|s| !greeting(s)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_email_is_quoted_from_the_sentence_that_asks() {
        let body = "Hi Jordan,\n\nThanks for the numbers. Could you send the answers before \
                    Thursday?\n\nOn Tue, Sam wrote:\n> old text?";
        assert_eq!(
            asking_sentence(body),
            Some("Could you send the answers before Thursday?")
        );
        assert_eq!(
            asking_sentence("Hi Jordan,\nJust a note."),
            Some("Just a note.")
        );
        assert_eq!(asking_sentence("> only quoted?"), None);
        assert_eq!(
            asking_sentence("Hi Jordan,\n\nWe'd like to meet next week. Tuesday works.\n\nKen"),
            Some("We'd like to meet next week.")
        );
        assert_eq!(
            asking_sentence("Hello there\nThanks for the call. Can we meet on Tuesday?"),
            Some("Can we meet on Tuesday?")
        );
        assert_eq!(asking_sentence("Hi Jordan,\n"), None);
    }

    #[test]
    fn reads_the_object_or_bare_words() {
        let e = Evidence::of(
            &json!({ "evidence": { "quote": "We use Gong", "speaker": "Marta Ruiz",
            "at": 245.4, "confidence": 0.85 } }),
        )
        .expect("evidence");
        assert_eq!(e.speaker.as_deref(), Some("Marta Ruiz"));
        assert_eq!(e.place().as_deref(), Some("at 4:05"));
        assert!(e.under(0.9));
        assert!(!e.under(0.85));
        let bare = Evidence::of(&json!({ "evidence": "We use Gong" })).expect("bare words");
        assert_eq!(bare, Evidence::quote("We use Gong"));
        assert!(!bare.under(1.0), "no confidence is never under a floor");
        assert_eq!(Evidence::of(&json!({ "evidence": "  " })), None);
        assert_eq!(Evidence::of(&json!({ "evidence": { "quote": "" } })), None);
        assert_eq!(Evidence::of(&json!({})), None);
        let odd =
            Evidence::of(&json!({ "evidence": { "quote": "x", "confidence": 7, "line": 3 } }))
                .expect("evidence");
        assert_eq!(odd.confidence, None, "out of range reads as unknown");
        assert_eq!(odd.place().as_deref(), Some("line 3"));
    }

    #[test]
    fn written_words_are_placed_at_their_line() {
        let body = "Hi Jordan,\n\nCould you send the pricing for forty seats?\n\nThanks";
        let e = Evidence::written("Could you send the pricing", body, None, Some(0.9));
        assert_eq!(e.place().as_deref(), Some("line 3"));
        assert_eq!(Evidence::written("Not in it", body, None, None).line, None);
        assert_eq!(Evidence::written("", body, None, None).line, None);
    }
}
