//! The `proposal_generation` chain's shared vocabulary: what the prospect
//! said (their sentences, quotable), the outputs each step hands the next
//! (`select-proposal-template` → [`TemplateChoice`], `populate-proposal` →
//! [`Populated`], `generate-custom-sections` → [`CustomSections`]), the
//! template placeholders they fill, and the `proposal_send` payload
//! `present-for-review` proposes (defined once in `baton-types`).
//!
//! A template's text carries `{{name}}` placeholders; each step fills the
//! ones it owns ([`fill`]) and leaves the rest for a later step.

use crate::events::proposal_generation::Payload;
use crate::meeting::Speaker;
use crate::{Input, SkillError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use baton_types::proposal::{Delivery, PriceLine, ProposalDoc, ProposalSend, Section};

/// Default step names, as in `sequences/proposal_generation.toml`.
pub fn template_step() -> String {
    "select-proposal-template".to_owned()
}

/// See [`template_step`].
pub fn populate_step() -> String {
    "populate-proposal".to_owned()
}

/// See [`template_step`].
pub fn sections_step() -> String {
    "generate-custom-sections".to_owned()
}

/// The output of the earlier step `step` read as `T`; `invalid-input`
/// naming the step when it did not run or its output does not read.
pub fn step_output<T: DeserializeOwned>(input: &Input, step: &str) -> Result<T, SkillError> {
    let data = input.previous(step).ok_or_else(|| {
        SkillError::InvalidInput(format!(
            "step `{step}` has not run before this one (see the sequence)"
        ))
    })?;
    T::deserialize(data)
        .map_err(|e| SkillError::InvalidInput(format!("output of step `{step}`: {e}")))
}

/// One sentence the prospect said (an utterance of the call) or wrote
/// (the email's request), as the proposal quotes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quote {
    pub text: String,
    /// Index of the utterance in the call's transcript; `None` for an
    /// email.
    #[serde(default)]
    pub utterance: Option<usize>,
}

/// Whether the request came by email (the prospect's own words) rather
/// than from a call (where `request` is whoever spoke, often the rep).
pub fn asked_by_email(payload: &Payload) -> bool {
    payload.request.message_id.is_some() || payload.request.meeting_id.is_none()
}

/// The prospect's sentences, in order: from the call's prospect lines when
/// the request came from a meeting (none when it came without its
/// transcript), else from the email's words. Sentences of fewer than three
/// words are left out.
pub fn prospect_sentences(payload: &Payload) -> Vec<Quote> {
    let lines: Vec<(Option<usize>, &str)> = if !payload.utterances.is_empty() {
        payload
            .utterances
            .iter()
            .enumerate()
            .filter(|(_, u)| Speaker::parse(&u.speaker) == Some(Speaker::Prospect))
            .map(|(i, u)| (Some(i), u.text.as_str()))
            .collect()
    } else if asked_by_email(payload) {
        payload
            .request
            .request
            .as_deref()
            .map(|r| r.lines().map(|l| (None, l)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    lines
        .into_iter()
        .flat_map(|(i, line)| {
            sentences(line).into_iter().map(move |s| Quote {
                text: s.to_owned(),
                utterance: i,
            })
        })
        .filter(|q| q.text.split_whitespace().count() >= 3)
        .collect()
}

/// Every sentence of the conversation, either side (the features
/// discussed come from both).
pub fn conversation_text(payload: &Payload) -> String {
    let mut text: Vec<&str> = payload.utterances.iter().map(|u| u.text.as_str()).collect();
    text.extend(payload.request.request.as_deref());
    text.join("\n")
}

/// `line` split after `.`, `?` and `!` followed by a space or the end,
/// each sentence trimmed; a line ending `>` (quoted email) is kept whole.
pub fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'?' | b'!' | b'.')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            out.push(line[start..=i].trim());
            start = i + 1;
        }
    }
    out.push(line[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Whether `sentence` contains any of `cues` as words (each cue a lowercase
/// phrase, matched at word boundaries).
pub fn says_any(sentence: &str, cues: &[&str]) -> bool {
    let plain = plain_words(sentence);
    let words = word_list(&plain);
    cues.iter()
        .any(|c| found(&words, 0..words.len(), &plain_cue(c)))
}

/// A cue as [`plain_words`] would write it, without copying one that
/// already is (most cue lists are written plain).
fn plain_cue(cue: &str) -> std::borrow::Cow<'_, str> {
    let plain = cue
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'' || b == b' ')
        && !cue.starts_with(' ')
        && !cue.ends_with(' ')
        && !cue.contains("  ");
    if plain {
        std::borrow::Cow::Borrowed(cue)
    } else {
        std::borrow::Cow::Owned(plain_words(cue))
    }
}

/// The words of a text [`plain_words`] wrote: none for an empty one.
fn word_list(plain: &str) -> Vec<&str> {
    if plain.is_empty() {
        Vec::new()
    } else {
        plain.split(' ').collect()
    }
}

/// Whether the plain phrase `cue` is a run of `words` starting at one of
/// `starts`. The empty phrase is a run only of a text without words (as
/// `" " + "" + " "` is found only in the empty text padded).
fn found(words: &[&str], mut starts: impl Iterator<Item = usize>, cue: &str) -> bool {
    if cue.is_empty() {
        return words.is_empty();
    }
    starts.any(|i| {
        let mut at = words.get(i..).unwrap_or_default().iter();
        cue.split(' ').all(|c| at.next() == Some(&c))
    })
}

/// A text read once as plain words, with an index of where each word
/// occurs, to look up many cues in (a long transcript and many cues stay
/// cheap in fuel: each cue is looked up by its first word, not searched
/// for).
pub struct Words<'a> {
    words: Vec<&'a str>,
    at: HashMap<&'a str, Vec<usize>>,
}

impl Words<'_> {
    /// Whether `cue` occurs as words (as [`says_any`] matches it).
    pub fn has(&self, cue: &str) -> bool {
        let cue = plain_cue(cue);
        let first = cue.split(' ').next().unwrap_or_default();
        let starts = self.at.get(first).map(Vec::as_slice).unwrap_or_default();
        found(&self.words, starts.iter().copied(), &cue)
    }

    /// The `cues` that occur, in the order of `cues`.
    pub fn mentioned<'c, S: AsRef<str>>(&self, cues: &'c [S]) -> Vec<&'c S> {
        cues.iter().filter(|c| self.has(c.as_ref())).collect()
    }
}

/// A text as [`Words`] reads it: lowercase words separated by one space
/// ([`plain_words`]).
pub struct PlainText(String);

impl PlainText {
    /// `text` made plain.
    pub fn of(text: &str) -> PlainText {
        PlainText(plain_words(text))
    }

    /// Its words, indexed.
    pub fn words(&self) -> Words<'_> {
        let words = word_list(&self.0);
        let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            at.entry(*w).or_default().push(i);
        }
        Words { words, at }
    }
}

/// The `cues` that `text` contains as words (as [`says_any`] matches
/// them), in the order of `cues`; the text is read once, however many
/// cues. To look cues up in the same text more than once, read it once
/// ([`PlainText::words`]).
pub fn mentioned<'a, S: AsRef<str>>(text: &str, cues: &'a [S]) -> Vec<&'a S> {
    PlainText::of(text).words().mentioned(cues)
}

/// Lowercase words separated by one space: punctuation and hyphens are
/// spaces, apostrophes stay (`we're`), curly ones read as straight.
fn plain_words(text: &str) -> String {
    let lower = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
    let mut out = String::with_capacity(lower.len());
    let mut gap = false;
    for c in lower.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// `text` with each `{{key}}` of `values` replaced; other placeholders stay.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

/// The placeholders still in `text`, in order, each once.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let key = after[..close].trim().to_owned();
        if !key.is_empty() && !out.contains(&key) {
            out.push(key);
        }
        rest = &after[close + 2..];
    }
    out
}

/// `select-proposal-template`'s output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TemplateChoice {
    /// The template's id (its file name without `.md`).
    pub template: String,
    /// Its title line, placeholders unfilled.
    pub title: String,
    /// Why it was chosen: each criterion it matched, in words.
    pub reasons: Vec<String>,
    /// The seat count the conversation gave, when it gave one.
    pub seats: Option<u32>,
    /// The words that gave it.
    pub seats_quote: Option<String>,
    /// The template's features the conversation discussed.
    pub features: Vec<String>,
    /// `new_business` or `expansion`.
    pub deal_type: String,
    /// The template's sections, placeholders unfilled.
    pub sections: Vec<TemplateSection>,
}

/// A section as a template or a later step holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TemplateSection {
    pub heading: String,
    pub body: String,
}

impl From<TemplateSection> for Section {
    fn from(s: TemplateSection) -> Section {
        Section {
            heading: s.heading,
            body: s.body,
        }
    }
}

/// How the pricing section stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingStatus {
    /// Priced from the org's price book.
    Priced,
    /// No price book, or no seat count: the rep confirms the price.
    ToBeConfirmed,
}

/// One priced line (the `proposal_send` payload's [`PriceLine`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Priced {
    pub item: String,
    pub quantity: u32,
    /// Per unit, in minor units.
    pub unit_amount: i64,
    /// `quantity × unit_amount`.
    pub total: i64,
}

impl From<Priced> for PriceLine {
    fn from(p: Priced) -> PriceLine {
        PriceLine {
            item: p.item,
            quantity: p.quantity,
            unit_amount: p.unit_amount,
            total: p.total,
        }
    }
}

/// The case study the proposal cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseStudy {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    /// The tags or words it matched on.
    pub matched: Vec<String>,
}

/// `populate-proposal`'s output: who it is for, what they asked for, what
/// it costs, and the sections with those filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Populated {
    pub title: String,
    pub company: Option<String>,
    pub contact_name: Option<String>,
    pub contact_id: Option<String>,
    pub contact_email: Option<String>,
    pub deal_id: Option<String>,
    pub seats: Option<u32>,
    /// ISO 4217; every amount is in its minor units.
    pub currency: String,
    /// The total of `pricing` (0 when to be confirmed).
    pub amount: i64,
    pub pricing_status: PricingStatus,
    /// The price book's tier, when priced.
    pub tier: Option<String>,
    /// `year` or `month`, when priced.
    pub billing_period: Option<String>,
    pub pricing: Vec<Priced>,
    /// The sum written out, e.g. `40 seats × $540 = $21,600 per year`.
    pub arithmetic: Option<String>,
    /// The prospect's requirements, as they said them.
    pub requirements: Vec<Quote>,
    pub case_study: Option<CaseStudy>,
    pub sections: Vec<TemplateSection>,
}

/// `generate-custom-sections`' output: the finished sections and what
/// they were built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CustomSections {
    pub sections: Vec<TemplateSection>,
    /// The conversation points the executive summary cites.
    pub cited: Vec<Quote>,
    /// Each pain point with a number, and what it comes to.
    pub roi: Vec<RoiLine>,
    /// `template` or `llm`: who wrote the summary's prose.
    pub written_by: String,
    /// What the rep should know before sending ("the hourly cost of that
    /// time is unknown"): shown on the gate, never in the document.
    #[serde(default)]
    pub notes_for_rep: Vec<String>,
}

/// One line of the ROI section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoiLine {
    /// The prospect's words.
    pub quote: Quote,
    /// The sum, written out, when it could be made.
    pub arithmetic: Option<String>,
    /// Its value a year in minor units of the proposal's currency, when
    /// known.
    pub annual_value: Option<i64>,
    /// The numbers it still needs, when any.
    pub missing: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_prospects_sentences_come_from_the_call_or_the_email() {
        let p: Payload = serde_json::from_value(json!({
            "request": "I'll send a proposal.",
            "utterances": [
                { "speaker": "rep", "text": "How many users?" },
                { "speaker": "prospect", "text": "About 40 users. Ok. We need HubSpot sync!" }
            ]
        }))
        .expect("reads");
        let q = prospect_sentences(&p);
        let texts: Vec<&str> = q.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["About 40 users.", "We need HubSpot sync!"]);
        assert_eq!(q[0].utterance, Some(1));
        let email: Payload = serde_json::from_value(json!({
            "request": "Could you send a quote for 60 seats? We lose 12 hours a week."
        }))
        .expect("reads");
        let q = prospect_sentences(&email);
        assert_eq!(q.len(), 2);
        assert_eq!(q[1].utterance, None);
        assert!(asked_by_email(&email));
        // From a call without its transcript, `request` may be the rep's.
        let bare: Payload = serde_json::from_value(json!({
            "meeting_id": "m1", "request": "I'll send you a proposal for forty seats."
        }))
        .expect("reads");
        assert!(prospect_sentences(&bare).is_empty() && !asked_by_email(&bare));
    }

    /// `says_any` and `mentioned` as they were written first (padding and
    /// substring search): the word-run matching must agree with them.
    fn padded_says(sentence: &str, cue: &str) -> bool {
        let plain = |t: &str| {
            t.to_lowercase()
                .replace('\u{2019}', "'")
                .replace(|c: char| !(c.is_alphanumeric() || c == '\''), " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        format!(" {} ", plain(sentence)).contains(&format!(" {} ", plain(cue)))
    }

    #[test]
    fn word_runs_match_as_the_padded_search_did() {
        let sentences = [
            "We're on HubSpot.",
            "Somewhere over there",
            "Follow-ups slip; follow ups SLIP!",
            "",
            "   ",
            "Ünïcode Straße — naïve café’s menu",
            "ΣΊΣΥΦΟΣ said: it’s fine",
            "a a a b",
            "single sign-on, or sign off?",
            "'quoted' words'",
        ];
        let cues = [
            "we're on",
            "where",
            "follow-ups",
            "follow ups slip",
            "",
            " ",
            "straße",
            "café's menu",
            "σίσυφος",
            "it's",
            "a b",
            "a a b",
            "b a",
            "sign on or",
            "'quoted'",
            "words'",
            "Follow-Ups",
            "over  there",
            " somewhere",
        ];
        for s in sentences {
            for c in cues {
                assert_eq!(says_any(s, &[c]), padded_says(s, c), "{s:?} / {c:?}");
                let plain = PlainText::of(s);
                assert_eq!(plain.words().has(c), padded_says(s, c), "{s:?} / {c:?}");
            }
            let expected: Vec<&&str> = cues.iter().filter(|c| padded_says(s, c)).collect();
            assert_eq!(mentioned(s, &cues), expected, "{s:?}");
        }
    }

    #[test]
    fn placeholders_fill_and_are_listed() {
        let t = "Dear {{contact_name}}, {{company}} and {{ company }} {{roi}}";
        assert_eq!(
            placeholders(t),
            ["contact_name", "company", "roi"].map(String::from)
        );
        let f = fill(t, &[("company", "Northwind"), ("contact_name", "Marta")]);
        assert_eq!(f, "Dear Marta, Northwind and {{ company }} {{roi}}");
        assert!(says_any("We're on HubSpot.", &["we're on"]));
        assert!(!says_any("Somewhere", &["where"]));
        assert!(says_any("Follow-ups slip.", &["follow-ups"]));
        let cues = ["sso", "hubspot", "renewals"];
        assert_eq!(
            mentioned("Renewals and HubSpot.", &cues),
            [&"hubspot", &"renewals"]
        );
        let cues = ["single sign-on", "sign off", ""];
        assert_eq!(
            mentioned("We need single sign on.", &cues),
            [&"single sign-on"]
        );
    }
}
