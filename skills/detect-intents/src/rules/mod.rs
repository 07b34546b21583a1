//! Rule engine for sales-meeting intent detection.
//!
//! Each utterance is analysed on its own, with plain string matching (no
//! regexes, no external crates), in four steps:
//!
//! 1. **Tokenise and normalise.** Words are lower-cased, curly apostrophes are
//!    straightened, contractions are expanded ("I'll" → "i will", "don't" →
//!    "do not"), hyphenated words are split ("deep-dive" → "deep dive"), a few
//!    British spellings are mapped to American ones, fillers ("um", "er", a
//!    comma-fenced "like" or "you know") and asides ("could you, I think,
//!    send…") are dropped, stuttered repeats ("I'll, er, I'll") are
//!    collapsed, and words a speech-to-text engine writes for others that
//!    sound the same are put back by their neighbours ("their is budget",
//!    "well need legal", "prize list"). Every word keeps its byte span in the
//!    original text, so the reported phrase is always a verbatim substring.
//! 2. **Split into clauses** ("units") on sentence ends, `;`, dashes,
//!    ellipses and the word "but", so "I was going to send a quote, but
//!    actually let's hold off" is judged clause by clause; a tag question
//!    after a comma ("…by Friday, does that work?") is its own clause, and a
//!    transcript with no sentence marks is cut where a sentence plainly
//!    opens ("…a demo can you find us an hour"). Each clause is
//!    tagged for question form, negators, past-tense intentions ("I was going
//!    to…"), speculative or counterfactual conditionals ("if you ever…", "if
//!    we had budget…"), habits ("normally"), vague time ("at some point"),
//!    concrete date expressions, and retraction by the clause that follows
//!    ("…, actually, never mind").
//! 3. **Match lexicons.** Each lexicon is a `const` slice of short patterns
//!    (`|` separates alternatives, `_` makes a slot optional, `*` is any one
//!    word, `~`/`~~` a gap of up to three/six words). On first use the
//!    patterns are compiled into one table keyed by first word, together with
//!    per-word class bits (weekday, month, negator, …), so a clause is matched
//!    in a single linear pass.
//! 4. **Apply per-label rules** that combine hits. Commitments need an
//!    affirmative first-person (or own-team) head followed by the right verb
//!    and object, with no negation, question form, speculation or retraction;
//!    prospect follow-ups also need a concrete time anchor. Signals need a cue
//!    in the prospect's own voice (stakeholder plus involvement still to come,
//!    a current alternative, budget state), and timelines a concrete, non-past
//!    date tied to the deal rather than to a meeting or deliverable.
//!
//! Speaker constraints are enforced first. Confidence reflects how explicit
//! the wording is (0.9 for "I'll send the quote", 0.75 for "I can…" or an
//! indirect cue); anything below [`REPORT_THRESHOLD`] is dropped. The rules
//! favour precision: when in doubt a label is not emitted.
//!
//! Text with no capital anywhere (a transcript) marks its clauses
//! `caseless`: names and the months "may"/"march" are then told by the words
//! around them, not by a capital.
//!
//! Layout: `split`, `runon`, `tokenise`, `homophones`, `clause` and `flags`
//! do steps 1 and 2, with `time` for date expressions; `pattern` compiles
//! and matches the lexicons of step 3 (`lexicon` and the `lex_*` data
//! modules, `words` and `time_words` for word classes); `commitments`,
//! `meetings`, `requests`, `timeline`, `stakeholders`, `competitive` (with
//! `names`) and `buying` hold the step 4 rules. The tests are in `tests`,
//! `tests_commitments`, `tests_signals` and `tests_paraphrase` (each case
//! as written, as a transcript and with homophones).

mod buying;
mod clause;
mod commitments;
mod competitive;
mod cues;
mod flags;
mod homophones;
mod lex_buying;
mod lex_clause;
mod lex_commitments;
mod lex_requests;
mod lex_signals;
mod lex_timeline;
mod lexicon;
mod meetings;
mod names;
mod near;
mod pattern;
mod requests;
mod runon;
mod split;
mod stakeholders;
mod time;
mod time_words;
mod timeline;
mod tokenise;
mod words;

use buying::{detect_buying_negative, detect_buying_positive};
use clause::{Unit, analyse};
use commitments::{appositive_proposal, detect_send_proposal};
use competitive::detect_competitive;
pub use cues::{cues, cues_in};
use meetings::detect_meeting;
pub use near::near_miss;
use requests::detect_request;
use stakeholders::detect_multi;
use timeline::{detect_followup, detect_timeline};

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Who said the utterance (the SDK's, so the wire names are defined once).
pub use baton_sdk::meeting::Speaker;

/// The nine intent labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// Rep commits to send a proposal, quote, pricing, costing, estimate or costed SOW.
    SendProposal,
    /// Either side proposes, asks for or commits to a future meeting, call or demo.
    ScheduleMeeting,
    /// Prospect asks the rep to send or share something.
    SendContent,
    /// Prospect says someone else still has to review, approve or be involved.
    MultiStakeholder,
    /// Prospect is evaluating, trialling or using an alternative.
    Competitive,
    /// Prospect states budget, priority or intent to go ahead.
    BuyingPositive,
    /// Prospect states budget is tight, missing or frozen, or the project is on hold.
    BuyingNegative,
    /// Prospect gives a concrete, future date or period for the deal.
    Timeline,
    /// Prospect commits to get back, or to send something, by a stated time.
    ProspectFollowup,
}

impl Label {
    /// Every label, in canonical order.
    pub const ALL: [Label; 9] = [
        Label::SendProposal,
        Label::ScheduleMeeting,
        Label::SendContent,
        Label::MultiStakeholder,
        Label::Competitive,
        Label::BuyingPositive,
        Label::BuyingNegative,
        Label::Timeline,
        Label::ProspectFollowup,
    ];

    /// The label's wire name, e.g. `"commitment:send_proposal"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::SendProposal => "commitment:send_proposal",
            Label::ScheduleMeeting => "commitment:schedule_meeting",
            Label::SendContent => "request:send_content",
            Label::MultiStakeholder => "signal:multi_stakeholder",
            Label::Competitive => "signal:competitive",
            Label::BuyingPositive => "signal:buying_positive",
            Label::BuyingNegative => "signal:buying_negative",
            Label::Timeline => "signal:timeline",
            Label::ProspectFollowup => "commitment:prospect_followup",
        }
    }

    /// Parses a wire name (surrounding whitespace is ignored).
    pub fn parse(s: &str) -> Option<Label> {
        let s = s.trim();
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Position in [`Label::ALL`].
    fn index(self) -> usize {
        self as usize
    }
}

/// A label is written as its wire name.
impl serde::Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One label found in an utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The label.
    pub label: Label,
    /// The span of the original utterance text that triggered it (a substring of the input, verbatim, e.g. the clause "I'll get the proposal to you Monday").
    pub phrase: String,
    /// In \[0,1\]. Reported when >= 0.6; follow-up events are queued only when >= 0.8.
    pub confidence: f32,
}

/// Detections below this confidence are not returned.
pub const REPORT_THRESHOLD: f32 = 0.6;

/// An utterance's clauses, analysed once for both [`detect_in`] and
/// [`cues_in`] (the learned component reads the rules' cues of the same
/// utterance the rules judge).
pub struct Reading<'a> {
    text: &'a str,
    units: Vec<Unit>,
}

impl<'a> Reading<'a> {
    /// Splits `text` into clauses and analyses each (steps 1–3 above).
    pub fn new(text: &'a str) -> Reading<'a> {
        Reading {
            text,
            units: analyse(text),
        }
    }

    /// The utterance read.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// All labels that apply to this one utterance (no duplicates, in Label::ALL order).
pub fn detect(speaker: Speaker, text: &str) -> Vec<Detection> {
    detect_in(&Reading::new(text), speaker)
}

/// [`detect`] on an utterance already read.
pub fn detect_in(reading: &Reading, speaker: Speaker) -> Vec<Detection> {
    let (text, units) = (reading.text, &reading.units);
    let mut best: [Option<(f32, usize)>; 9] = [None; 9];
    let mut note = |label: Label, conf: Option<f32>, unit: usize| {
        if let Some(c) = conf {
            let slot = &mut best[label.index()];
            if slot.is_none_or(|(b, _)| c > b) {
                *slot = Some((c, unit));
            }
        }
    };
    for (i, u) in units.iter().enumerate() {
        if u.retracted {
            continue;
        }
        let meeting = detect_meeting(u, speaker);
        note(Label::ScheduleMeeting, meeting, i);
        match speaker {
            Speaker::Rep => {
                let proposal =
                    detect_send_proposal(u).or_else(|| appositive_proposal(u, units.get(i + 1)));
                note(Label::SendProposal, proposal, i);
            }
            Speaker::Prospect => {
                let request = detect_request(u);
                let followup = detect_followup(u);
                note(Label::SendContent, request, i);
                note(Label::ProspectFollowup, followup, i);
                let next = units.get(i + 1);
                note(
                    Label::MultiStakeholder,
                    detect_multi(u, next, meeting.is_some()),
                    i,
                );
                let rival = detect_competitive(u);
                note(Label::Competitive, rival, i);
                note(Label::BuyingPositive, detect_buying_positive(u), i);
                note(Label::BuyingNegative, detect_buying_negative(u), i);
                let busy = meeting.is_some() || request.is_some() || followup.is_some();
                note(
                    Label::Timeline,
                    detect_timeline(u, busy, rival.is_some()),
                    i,
                );
            }
        }
    }
    resolve_buying_conflict(&mut best);
    Label::ALL
        .into_iter()
        .filter_map(|label| {
            let (conf, ui) = best[label.index()]?;
            let u = units.get(ui)?;
            (conf >= REPORT_THRESHOLD).then(|| Detection {
                label,
                phrase: text.get(u.start..u.end).unwrap_or(text).trim().to_string(),
                confidence: conf.clamp(0.0, 1.0),
            })
        })
        .collect()
}

/// "X, but Y": when an utterance carries both a positive and a negative
/// buying signal, the later clause wins.
fn resolve_buying_conflict(best: &mut [Option<(f32, usize)>; 9]) {
    let pos = best[Label::BuyingPositive.index()];
    let neg = best[Label::BuyingNegative.index()];
    if let (Some((_, pu)), Some((_, nu))) = (pos, neg) {
        if pu > nu {
            best[Label::BuyingNegative.index()] = None;
        } else {
            best[Label::BuyingPositive.index()] = None;
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_commitments;
#[cfg(test)]
mod tests_paraphrase;
#[cfg(test)]
mod tests_signals;
