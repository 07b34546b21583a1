//! Single-word classes used by the procedural parts (time expressions,
//! clause analysis): fillers, discourse markers, question starters, negators,
//! non-names, subordinators and the like, plus the `C_*` class bits and
//! [`WORD_CLASSES`], from which every normalised word gets its class bitmask.

use super::time_words::{
    AFTER_ORDINAL_DATE, AMBIGUOUS_MONTHS, DATE_PREPS, END_OF_TARGETS, EVENTS, MONTH_SHORT_FORMS,
    NUMBER_WORDS, ORDINALS, PERIOD_HEDGES, PERIOD_UNITS, QUARTERS, RELATIVE_UNITS, SEASON_PREPS,
    SEASONS, WEEKDAY_SHORT_FORMS,
};
use baton_sdk::calendar;

const FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "uhh",
    "uhm",
    "er",
    "erm",
    "err",
    "hmm",
    "hm",
    "mm",
    "mhm",
    "ah",
    "eh",
    // Caption markers: "[inaudible]", "[crosstalk]".
    "inaudible",
    "crosstalk",
    "unintelligible",
    "indiscernible",
    "laughter",
    "overlapping",
];

/// Words skipped when looking for the first content word of a clause.
const DISCOURSE: &[&str] = &[
    "so",
    "okay",
    "right",
    "well",
    "and",
    "yeah",
    "yes",
    "yep",
    "great",
    "cool",
    "sorry",
    "also",
    "oh",
    "hey",
    "alright",
    "then",
    "now",
    "look",
    "listen",
    "honestly",
    "hi",
    "perfect",
    "sure",
    "fine",
    "brilliant",
    "lovely",
    "awesome",
    "super",
    "basically",
    "anyway",
    "excellent",
    "fantastic",
    "good",
    "nice",
    "wonderful",
    "thanks",
    "just",
    "ok",
    "gotcha",
    "absolutely",
    "totally",
    "definitely",
    "cheers",
    "maybe",
    "perhaps",
];

const QUESTION_STARTERS: &[&str] = &[
    "would", "could", "can", "shall", "should", "will", "do", "does", "did", "is", "are", "was",
    "were", "have", "has", "may", "might", "what", "when", "where", "who", "how", "why", "which",
    "any",
];

const NEGATORS: &[&str] = &[
    "not", "never", "no", "nothing", "nobody", "none", "neither", "nor", "hardly",
];

/// Capitalised words that are not vendor names; languages and
/// nationalities among them ("the English version of the contract").
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "i", "cfo", "ceo", "cto", "cio", "coo", "cro", "cmo", "ciso", "vp", "it", "hr", "q1", "q2",
    "q3", "q4", "ok", "okay", "zoom", "teams", "api", "crm", "erp", "sso", "soc", "gdpr", "roi",
    "sow", "dpa", "msa", "poc", "rfp", "uk", "us", "eu", "the", "we", "our", "they", "you",
    "english", "spanish", "german", "french", "italian", "portuguese", "dutch", "polish",
    "chinese", "mandarin", "japanese", "arabic", "russian", "hindi", "turkish", "swedish",
];

/// Words after "until/once <stakeholder>" that make it a pending review.
pub(super) const PENDING_REVIEW: &[&str] = &[
    "come",
    "comes",
    "came",
    "reviewed",
    "review",
    "reviews",
    "approved",
    "approve",
    "approves",
    "approval",
    "signed",
    "sign",
    "signs",
    "looked",
    "seen",
    "checked",
    "been",
    "gone",
    "given",
    "agreed",
    "agree",
    "agrees",
    "happy",
    "satisfied",
    "comfortable",
    "back",
    "through",
    "decided",
    "decide",
    "decides",
    "weighed",
    "vetted",
    "cleared",
    "okayed",
    "sign-off",
    "say",
    "completed",
    "assessed",
    "finished",
];

/// Words that open a subordinate clause.
const SUBORDINATORS: &[&str] = &[
    "once", "after", "when", "until", "till", "before", "since", "because", "unless", "whether",
    "if",
];

/// Nouns that turn a stakeholder word into a modifier ("security questionnaire").
pub(super) const DOCUMENT_HEADS: &[&str] = &[
    "questionnaire",
    "questionnaires",
    "question",
    "questions",
    "pack",
    "docs",
    "documentation",
    "document",
    "documents",
    "policy",
    "policies",
    "feature",
    "features",
    "standards",
    "certification",
    "certificate",
    "requirements",
    "checklist",
    "form",
    "deck",
    "report",
    "reports",
    "terms",
    "entity",
    "module",
    "dashboard",
    "dashboards",
    "reporting",
    "data",
    "system",
    "software",
    "tool",
    "tools",
];

/// Subjects that do not make "X will …" a rep-side commitment.
const NON_TEAM_SUBJECTS: &[&str] = &[
    "you",
    "it",
    "that",
    "this",
    "which",
    "there",
    "what",
    "who",
    "where",
    "when",
    "how",
    "why",
    "if",
    "i",
    "we",
    "nothing",
    "everything",
    "something",
    "anyone",
    "everyone",
    "somebody",
    "anything",
    "things",
    "nobody",
    "he",
    "she",
    "they",
];

// Word classes: each normalised word gets a bitmask of the single-word
// lists above (and in `time_words`) that contain it, computed once per word.
pub(super) const C_WEEKDAY: u32 = 1;
pub(super) const C_MONTH: u32 = 1 << 1;
pub(super) const C_AMBIGUOUS_MONTH: u32 = 1 << 2;
pub(super) const C_DATE_PREP: u32 = 1 << 3;
pub(super) const C_ORDINAL: u32 = 1 << 4;
pub(super) const C_AFTER_ORDINAL: u32 = 1 << 5;
pub(super) const C_NUMBER: u32 = 1 << 6;
pub(super) const C_PERIOD_HEDGE: u32 = 1 << 7;
pub(super) const C_PERIOD_UNIT: u32 = 1 << 8;
pub(super) const C_RELATIVE_UNIT: u32 = 1 << 9;
pub(super) const C_END_TARGET: u32 = 1 << 10;
pub(super) const C_QUARTER: u32 = 1 << 11;
pub(super) const C_EVENT: u32 = 1 << 12;
pub(super) const C_SEASON: u32 = 1 << 13;
pub(super) const C_SEASON_PREP: u32 = 1 << 14;
pub(super) const C_FILLER: u32 = 1 << 15;
pub(super) const C_DISCOURSE: u32 = 1 << 16;
pub(super) const C_QUESTION: u32 = 1 << 17;
pub(super) const C_NEGATOR: u32 = 1 << 18;
pub(super) const C_NOT_NAME: u32 = 1 << 19;
pub(super) const C_NON_TEAM: u32 = 1 << 20;
pub(super) const C_SUBORDINATOR: u32 = 1 << 21;

pub(super) const WORD_CLASSES: &[(&[&str], u32)] = &[
    (&calendar::WEEKDAYS, C_WEEKDAY),
    (WEEKDAY_SHORT_FORMS, C_WEEKDAY),
    (&calendar::MONTHS, C_MONTH),
    (MONTH_SHORT_FORMS, C_MONTH),
    (AMBIGUOUS_MONTHS, C_AMBIGUOUS_MONTH),
    (DATE_PREPS, C_DATE_PREP),
    (ORDINALS, C_ORDINAL),
    (AFTER_ORDINAL_DATE, C_AFTER_ORDINAL),
    (NUMBER_WORDS, C_NUMBER),
    (PERIOD_HEDGES, C_PERIOD_HEDGE),
    (PERIOD_UNITS, C_PERIOD_UNIT),
    (RELATIVE_UNITS, C_RELATIVE_UNIT),
    (END_OF_TARGETS, C_END_TARGET),
    (QUARTERS, C_QUARTER),
    (EVENTS, C_EVENT),
    (SEASONS, C_SEASON),
    (SEASON_PREPS, C_SEASON_PREP),
    (FILLERS, C_FILLER),
    (DISCOURSE, C_DISCOURSE),
    (QUESTION_STARTERS, C_QUESTION),
    (NEGATORS, C_NEGATOR),
    (NOT_NAMES, C_NOT_NAME),
    (NON_TEAM_SUBJECTS, C_NON_TEAM),
    (SUBORDINATORS, C_SUBORDINATOR),
];
