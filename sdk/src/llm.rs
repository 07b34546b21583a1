//! What a skill needs to let a model review its rules' answer, without ever
//! depending on it: a per-run token [`Meter`] around [`host::complete`], a
//! [`strict_json`] reader for the model's answer, and [`find_quote`], which
//! finds the model's quote verbatim in the text it was given (a quote that
//! is not there means the label is dropped).
//!
//! The host charges every token to the org's budget; the meter only keeps a
//! run from spending more than the step allows. Nothing here logs text.

use crate::host::{self, Completion, CompletionRequest, HostError};
use serde::de::DeserializeOwned;

/// Why no completion came back.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The call would go past the run's token budget; it was not made.
    Budget { needed: u32, left: u32 },
    /// The host refused or failed it (not granted, not configured, timed
    /// out, the endpoint's error).
    Host(HostError),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Budget { needed, left } => write!(
                f,
                "budget: the call needs about {needed} tokens and {left} are left"
            ),
            Refusal::Host(e) => write!(f, "{e}"),
        }
    }
}

/// Tokens and calls one run spends on the model, within a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meter {
    budget: u32,
    spent: u32,
    calls: u32,
}

impl Meter {
    /// A meter allowing `budget` tokens (prompt and answer) for the run.
    pub fn new(budget: u32) -> Meter {
        Meter {
            budget,
            spent: 0,
            calls: 0,
        }
    }

    /// About how many tokens `req` costs at most: its text at four
    /// characters a token, plus the answer's `max_tokens`.
    pub fn estimate(req: &CompletionRequest) -> u32 {
        let system = req.system.as_deref().unwrap_or_default();
        let chars = req.prompt.chars().count() + system.chars().count();
        u32::try_from(chars.div_ceil(4))
            .unwrap_or(u32::MAX)
            .saturating_add(req.max_tokens)
    }

    /// Ask the model, when the estimate fits in what is left. The tokens
    /// the host reports (the estimate when it reports none) are counted.
    pub fn ask(&mut self, req: CompletionRequest) -> Result<Completion, Refusal> {
        let needed = Self::estimate(&req);
        let left = self.left();
        if needed > left {
            return Err(Refusal::Budget { needed, left });
        }
        let answer = host::complete(req).map_err(Refusal::Host)?;
        self.calls += 1;
        let used = answer.input_tokens.saturating_add(answer.output_tokens);
        self.spent = self
            .spent
            .saturating_add(if used == 0 { needed } else { used });
        Ok(answer)
    }

    /// Tokens still allowed.
    pub fn left(&self) -> u32 {
        self.budget.saturating_sub(self.spent)
    }

    /// Tokens counted so far.
    pub fn spent(&self) -> u32 {
        self.spent
    }

    /// Completions received so far.
    pub fn calls(&self) -> u32 {
        self.calls
    }
}

/// The model's answer as `T`: one JSON value and nothing else. A single
/// Markdown code fence around it (```` ```json … ``` ````) is the one
/// liberty taken; prose before or after it is malformed.
pub fn strict_json<T: DeserializeOwned>(answer: &str) -> Result<T, String> {
    let text = answer.trim();
    let text = match text.strip_prefix("```") {
        Some(fenced) => fenced
            .strip_suffix("```")
            .map(|inner| inner.trim_start_matches("json").trim())
            .ok_or("an unclosed code fence")?,
        None => text,
    };
    serde_json::from_str(text).map_err(|e| format!("not the JSON asked for: {e}"))
}

/// Where `quote` occurs in `text`, as `text`'s own words: compared without
/// regard to case or to runs of whitespace, with curly quotes and
/// apostrophes read as straight ones, the quote's own surrounding quotation
/// marks and punctuation ignored, and only at word boundaries. A quote of
/// fewer than two words matches nothing.
pub fn find_quote<'a>(text: &'a str, quote: &str) -> Option<&'a str> {
    let quote = quote.trim().trim_matches(|c: char| {
        c.is_whitespace() || matches!(fold(c), '"' | '\'' | '.' | ',' | ';' | ':' | '!' | '?')
    });
    let (needle, _) = folded(quote);
    if needle.split(' ').filter(|w| !w.is_empty()).count() < 2 {
        return None;
    }
    let (hay, spans) = folded(text);
    let hay: Vec<char> = hay.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    let boundary = |i: usize| hay.get(i).is_none_or(|c| !c.is_alphanumeric());
    (0..=hay.len().checked_sub(needle.len())?)
        .find(|&i| {
            hay[i..i + needle.len()] == needle[..]
                && (i == 0 || boundary(i - 1))
                && boundary(i + needle.len())
        })
        .and_then(|i| {
            let start = spans.get(i)?.0;
            let end = spans.get(i + needle.len() - 1)?.1;
            text.get(start..end)
        })
}

/// One character as quotes are compared: lower case, straight quotes.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// `text` folded, whitespace runs as one space and no space at either end,
/// with each folded character's byte span in `text`.
fn folded(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::new();
    let mut spans = Vec::new();
    let mut pending_space: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        let span = (i, i + c.len_utf8());
        if c.is_whitespace() {
            pending_space.get_or_insert(span);
            continue;
        }
        if let Some(space) = pending_space.take()
            && !out.is_empty()
        {
            out.push(' ');
            spans.push(space);
        }
        out.push(fold(c));
        spans.push(span);
    }
    (out, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::FakeHost;
    use serde::Deserialize;

    #[test]
    fn a_quote_is_found_as_the_texts_own_words() {
        let text = "Honestly,  we\u{2019}re also  trialling Gong right now.";
        assert_eq!(
            find_quote(text, "We're also trialling gong"),
            Some("we\u{2019}re also  trialling Gong")
        );
        assert_eq!(
            find_quote(text, "\"trialling Gong right now.\""),
            Some("trialling Gong right now")
        );
        // Words that are not there, a part of a word, a single word.
        assert_eq!(find_quote(text, "we are trialling Gong"), None);
        assert_eq!(find_quote(text, "so trialling"), None);
        assert_eq!(find_quote(text, "rialling Gong"), None);
        assert_eq!(find_quote(text, "Gong"), None);
        assert_eq!(find_quote(text, ""), None);
        assert_eq!(find_quote("", "two words"), None);
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Answer {
        label: String,
    }

    #[test]
    fn the_answer_is_one_json_value_or_malformed() {
        let ok = Answer { label: "x".into() };
        assert_eq!(strict_json::<Answer>(r#" {"label":"x"} "#), Ok(ok));
        assert!(strict_json::<Answer>("```json\n{\"label\":\"x\"}\n```").is_ok());
        assert!(strict_json::<Answer>("Sure! {\"label\":\"x\"}").is_err());
        assert!(strict_json::<Answer>("```json\n{\"label\":\"x\"}").is_err());
        assert!(strict_json::<Answer>(r#"{"label": 3}"#).is_err());
    }

    fn req(prompt: &str, max_tokens: u32) -> CompletionRequest {
        CompletionRequest {
            system: None,
            prompt: prompt.into(),
            max_tokens,
            temperature: None,
        }
    }

    #[test]
    fn the_meter_makes_no_call_past_its_budget() {
        FakeHost::default()
            .grant("llm")
            .llm(|_| Ok("one two three".into()))
            .install(|| {
                let mut meter = Meter::new(120);
                // 40 characters ≈ 10 tokens, plus 100 for the answer.
                let answer = meter.ask(req(&"x".repeat(40), 100)).expect("fits");
                assert_eq!(answer.text, "one two three");
                // The fake host counts one prompt word and three answer words.
                assert_eq!((meter.spent(), meter.calls()), (4, 1));
                let refused = meter.ask(req(&"x".repeat(40), 110));
                assert_eq!(
                    refused,
                    Err(Refusal::Budget {
                        needed: 120,
                        left: 116
                    })
                );
                assert_eq!(meter.calls(), 1);
            });
    }

    #[test]
    fn a_host_refusal_is_passed_on_and_costs_nothing() {
        FakeHost::default().install(|| {
            let mut meter = Meter::new(1000);
            let refused = meter.ask(req("hello", 10));
            assert!(matches!(refused, Err(Refusal::Host(HostError::Denied(_)))));
            assert_eq!((meter.spent(), meter.calls()), (0, 0));
        });
    }
}
