//! The coaching vocabulary: what `coaching-analysis` finds in one meeting
//! (its output schema is derived from [`Analysis`]) and the host reads back
//! to store, deliver and sum up in the weekly digest. Only shapes; nothing
//! here reads a transcript.
//!
//! Times are milliseconds from the start of the meeting, `null` when the
//! transcript has no timestamps. Quotes are short excerpts of the
//! transcript (at most [`QUOTE_CHARS`] characters): stored, never logged.

use crate::meeting::Speaker;
use serde::{Deserialize, Serialize};

/// Longest quote an analysis carries, in characters (an ellipsis included).
pub const QUOTE_CHARS: usize = 120;

/// How talk time was measured.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// From each utterance's start and end (or the next one's start).
    #[default]
    Timestamps,
    /// The transcript has no timestamps: shares are shares of the words
    /// spoken, and `talk_ms` an estimate at 150 words a minute.
    WordCounts,
}

/// One person on the call (or one side, when the transcript names nobody).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Participant {
    /// The name or label the transcript gives, else `rep` / `prospect`.
    pub name: String,
    pub side: Speaker,
    pub talk_ms: i64,
    pub words: i64,
    /// Of all talk, 0 to 1.
    pub share: f64,
}

/// One question the rep asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Question {
    pub at_ms: Option<i64>,
    pub quote: String,
    /// Invites a story (what, how, why, tell me…) rather than a yes or no.
    pub open: bool,
    /// About the prospect's own situation (see [`Topic`]).
    pub discovery: bool,
    /// What it asks about, when it is a discovery question.
    #[serde(default)]
    pub topic: Option<Topic>,
}

/// What a discovery question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// How they work today: their process, tools, team.
    Process,
    /// What hurts: problems, challenges, what goes wrong.
    Pain,
    /// What they want: goals, priorities, what success looks like.
    Goals,
    /// Who is involved and who decides.
    Stakeholders,
    /// When it has to happen.
    Timeline,
    /// What they can spend.
    Budget,
}

/// The rep's questions, counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Questions {
    pub total: i64,
    pub open: i64,
    pub closed: i64,
    pub discovery: i64,
    pub items: Vec<Question>,
}

/// The rep's longest stretch of speech with no one else speaking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Monologue {
    pub start_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    pub words: i64,
    /// How it began.
    pub quote: String,
}

/// A prospect's question the rep did not take up in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnansweredQuestion {
    pub at_ms: Option<i64>,
    pub quote: String,
    /// When the rep finally took it up; `null` when never.
    pub answered_at_ms: Option<i64>,
}

/// The kind of an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionKind {
    Price,
    Timing,
    Competitor,
    Authority,
    Need,
}

impl ObjectionKind {
    /// `price`, `timing`, …, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionKind::Price => "price",
            ObjectionKind::Timing => "timing",
            ObjectionKind::Competitor => "competitor",
            ObjectionKind::Authority => "authority",
            ObjectionKind::Need => "need",
        }
    }
}

/// An objection the prospect raised and how the rep met it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Objection {
    pub kind: ObjectionKind,
    pub at_ms: Option<i64>,
    pub quote: String,
    /// The rep took it up (acknowledged it, spoke to it, or met it with
    /// evidence) rather than talking past it.
    pub answered: bool,
    /// The answer carried a figure, a customer or a proof point.
    pub with_evidence: bool,
    /// The rep's words: the evidence when there was some.
    pub answer_quote: Option<String>,
}

/// How a feedback bullet reads: the seed's ✅, ⚠️ and 💡.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Strength,
    Warning,
    Tip,
}

impl Tone {
    /// The bullet's icon in the seed's micro-feedback.
    pub fn icon(self) -> &'static str {
        match self {
            Tone::Strength => "✅",
            Tone::Warning => "⚠️",
            Tone::Tip => "💡",
        }
    }
}

/// One micro-feedback bullet, pointing at a moment of the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Feedback {
    /// The bullet as the rep reads it (without its icon), naming the
    /// moment (`at 14:23`, or the quote when there are no timestamps).
    pub text: String,
    pub at_ms: Option<i64>,
    pub quote: String,
    #[serde(default = "tip")]
    pub tone: Tone,
}

fn tip() -> Tone {
    Tone::Tip
}

/// What `coaching-analysis` outputs for one meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Analysis {
    pub method: Method,
    /// The meeting's length: from its start and end instants, else from
    /// the last utterance's end; `null` without either.
    pub duration_ms: Option<i64>,
    pub participants: Vec<Participant>,
    /// Of all talk, 0 to 1.
    pub rep_share: f64,
    pub prospect_share: f64,
    pub questions: Questions,
    pub longest_monologue: Option<Monologue>,
    pub unanswered_questions: Vec<UnansweredQuestion>,
    pub objections: Vec<Objection>,
    /// When the rep first asked how the prospect works today.
    pub current_process_at_ms: Option<i64>,
    /// Two or three bullets (fewer only for a transcript with almost
    /// nothing in it).
    pub feedback: Vec<Feedback>,
    /// The closing line under the bullets, e.g. `Overall: good discovery,
    /// back objections with evidence.`
    #[serde(default)]
    pub overall: String,
    /// What of a transcript too long to read whole was left out
    /// ([`crate::meeting::Meeting::cut`]), for the rep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_cut: Option<String>,
}

/// `mm:ss` (minutes past 59 keep counting: `72:05`) for a time in ms.
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// `text` cut to at most [`QUOTE_CHARS`] characters at a word boundary,
/// with an ellipsis when cut; surrounding space trimmed.
pub fn quote(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() <= QUOTE_CHARS {
        return t.to_owned();
    }
    let cut: String = t.chars().take(QUOTE_CHARS - 1).collect();
    let head = match cut.rfind(char::is_whitespace) {
        Some(i) if i > QUOTE_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_quotes() {
        assert_eq!(clock(863_000), "14:23");
        assert_eq!(clock(4_325_900), "72:05");
        assert_eq!(clock(0), "0:00");
        let long = "word ".repeat(60);
        let q = quote(&long);
        assert!(q.chars().count() <= QUOTE_CHARS, "{q}");
        assert!(q.ends_with("word…"), "{q}");
        assert_eq!(quote("  short  "), "short");
    }

    #[test]
    fn an_analysis_reads_back_what_it_writes() {
        let a = Analysis {
            method: Method::WordCounts,
            objections: vec![Objection {
                kind: ObjectionKind::Price,
                at_ms: None,
                quote: "the price is higher than we budgeted".into(),
                answered: true,
                with_evidence: false,
                answer_quote: None,
            }],
            ..Analysis::default()
        };
        let v = serde_json::to_value(&a).expect("writes");
        assert_eq!(v["method"], "word_counts");
        assert_eq!(v["objections"][0]["kind"], "price");
        assert_eq!(v["longest_monologue"], serde_json::Value::Null);
        let back: Analysis = serde_json::from_value(v).expect("reads");
        assert_eq!(back, a);
    }
}
