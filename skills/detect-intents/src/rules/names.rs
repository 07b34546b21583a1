//! Names and tense for the competitive rules: a vendor's name (by its
//! capital, or in a transcript with no capitals by the frame it sits in and
//! the look of the word) and whether a cue is said in the past.

use super::clause::Unit;
use super::lexicon::Lx;
use super::tokenise::Word;
use super::words::{C_MONTH, C_NOT_NAME, C_WEEKDAY};

/// A capitalised word in `[from, to)` that looks like a vendor name (the
/// clause's first word only if no rule knows it as a word: "Toast is
/// cheaper", not "Honestly").
pub(super) fn vendor_name_in(u: &Unit, from: usize, to: usize) -> bool {
    (from..to.min(u.len())).any(|k| {
        let w = &u.w[k];
        // "Maria, send the contract": a name addressed, not a vendor.
        let addressed = w.comma && k == u.first;
        w.cap
            && !addressed
            && (k > 0 || unknown_word(w))
            && w.cls & (C_NOT_NAME | C_WEEKDAY | C_MONTH) == 0
            && u.starts_at(Lx::Stakeholder, k).is_none()
    })
}

/// A vendor named through its people right at `k`: "(a demo from) the
/// guys at Fleetio", "the team from Routely".
pub(super) fn people_of_name_at(u: &Unit, k: usize) -> bool {
    let k = if matches!(u.word(k), "the" | "some") {
        k + 1
    } else {
        k
    };
    matches!(
        u.word(k),
        "guys" | "people" | "folks" | "team" | "lads" | "chaps" | "crowd" | "lot" | "reps"
    ) && matches!(u.word(k + 1), "at" | "from")
        && (vendor_name_in(u, k + 2, k + 3) || caseless_name_at(u, k + 2))
}

/// Whether the nearest tense before word `i` is past ("we trialled Gong",
/// not "we've had Samsara in, so you're up against them"); with none, the
/// clause's ([`Unit::is_past`]).
pub(super) fn past_at(u: &Unit, i: usize) -> bool {
    let past = u.hits(Lx::PastVerb);
    for k in (0..i).rev() {
        if matches!(
            u.word(k),
            "are" | "is" | "am" | "will" | "currently" | "now" | "still"
        ) {
            return false;
        }
        if past.iter().any(|sp| sp.s == k) {
            // "we've had quotes from…" is the present perfect: still so.
            if k > 0 && matches!(u.word(k - 1), "have" | "has") {
                return false;
            }
            return u.is_past();
        }
    }
    u.is_past()
}

/// Words that follow a vendor frame ("a trial of …", "evaluating …") in
/// text with no capitals and are not names.
#[rustfmt::skip]
const NOT_NAMES_CASELESS: &[&str] = &[
    "a", "an", "the", "it", "them", "this", "that", "these", "those", "our", "your", "their", "his",
    "her", "my", "some", "any", "all", "other", "another", "each", "every", "one", "you", "us",
    "me", "him", "we", "they", "new", "different", "internal", "software", "hardware", "data",
    "analytics", "tooling", "pricing", "price", "cost", "budget", "product", "platform", "system",
    "tool", "app", "vendor", "provider", "solution", "supplier", "process", "approach", "idea",
    "option", "alternative", "way", "stuff", "thing", "something", "both", "what", "how", "which",
    "whether", "if", "and", "or", "with", "for", "from", "about", "out", "up", "over", "through",
    "ourselves", "itself", "here", "there", "now", "then", "again", "together", "properly",
    "internally", "externally", "next", "last", "first", "too",
];

/// In text with no capitals (a transcript), a word right after a vendor
/// frame that can only be a name: not a word the rules know, not a common
/// noun ending ("sensors", "integration", "tooling"), not a stakeholder.
pub(super) fn caseless_name_at(u: &Unit, k: usize) -> bool {
    u.caseless
        && u.w
            .get(k)
            .is_some_and(|w| unknown_word(w) && u.starts_at(Lx::Stakeholder, k).is_none())
}

/// A word no rule knows and that does not end like a common noun or verb
/// ("sensors", "integration", "tooling"): what a name looks like.
pub(super) fn unknown_word(w: &Word) -> bool {
    let t = w.t.as_str();
    let endings = [
        "s", "ing", "tion", "ment", "ness", "ity", "ly", "ed", "er", "al",
    ];
    t.len() >= 3
        && t.chars().all(|c| c.is_ascii_alphabetic())
        && w.cls == 0
        && w.pats.is_empty()
        && !endings.iter().any(|e| t.ends_with(e))
        && !NOT_NAMES_CASELESS.contains(&t)
}
