//! Run-on speech: a transcript with no sentence marks at all ("yeah we'd
//! be up for a demo can you find us an hour next week") is cut where a new
//! sentence plainly starts, so the clause rules see the sentences they would
//! have seen with punctuation. Only three openings count, each one that
//! cannot continue the sentence before it:
//!
//! - an inverted question ("… can you find us an hour"): an auxiliary and a
//!   subject pronoun, not after a wh-word, "if", "whether", a pronoun or
//!   another auxiliary ("what can you do", "if we can");
//! - "if so" / "if not" / "if you do" ("… if so fire it over");
//! - "let's" ("… let's book it");
//! - "just" or "please" before a send verb ("… just send it to my email");
//! - "nothing to do with" (it disowns what came before).
//!
//! Text with any sentence mark is left to [`super::split`] alone.

use super::split::{RawWord, Term};

/// Auxiliaries that open an inverted question.
const AUX: &[&str] = &[
    "can", "could", "would", "will", "shall", "should", "do", "does", "did", "is", "are", "have",
    "has", "may",
];

/// Subjects that follow an inverting auxiliary ("… by monday does that
/// work").
const SUBJECTS: &[&str] = &[
    "you", "we", "i", "they", "there", "he", "she", "that", "it", "this",
];

/// Words after which an auxiliary and a pronoun are not an inversion.
const NOT_BEFORE: &[&str] = &[
    "what",
    "when",
    "where",
    "who",
    "how",
    "why",
    "which",
    "if",
    "whether",
    "so",
    "than",
    "as",
    "nor",
    "neither",
    "only",
    "i",
    "we",
    "you",
    "they",
    "he",
    "she",
    "it",
    "that",
    "this",
    "there",
    "here",
    "can",
    "could",
    "would",
    "will",
    "shall",
    "should",
    "do",
    "does",
    "did",
    "is",
    "are",
    "have",
    "has",
    "may",
    "not",
    "to",
    "wonder",
    "wondering",
    "know",
    "ask",
    "asking",
    // Contractions with a subject ("I'll do you a quote"), apostrophe-free
    // in transcripts ("ill do you a quote"); "well" stays an opener.
    "i'll",
    "we'll",
    "you'll",
    "they'll",
    "i'd",
    "we'd",
    "ill",
    "youll",
    "theyll",
];

/// Whether the clauses [`super::split`] found show no sentence mark: each
/// ends at "but" or at the end of the text (a bare transcript).
pub(super) fn unpunctuated(units: &[(Vec<RawWord>, Term)]) -> bool {
    units
        .iter()
        .all(|(_, t)| matches!(t, Term::But | Term::End))
}

/// Whether a new sentence opens at word `i` of `words` (lower-cased).
fn opens(words: &[String], i: usize) -> bool {
    let at = |k: usize| words.get(k).map_or("", String::as_str);
    let (prev, w, next) = (at(i.wrapping_sub(1)), at(i), at(i + 1));
    if i == 0 || next.is_empty() {
        return false;
    }
    if w == "let's" || w == "lets" {
        return prev != "to";
    }
    if w == "nothing" {
        // "… last year nothing to do with this"
        return next == "to" && at(i + 2) == "do" && at(i + 3) == "with";
    }
    if matches!(w, "just" | "please") {
        // "… something i can have just send it to my email"
        let modal = matches!(
            prev,
            "can"
                | "could"
                | "would"
                | "will"
                | "should"
                | "might"
                | "must"
                | "to"
                | "do"
                | "did"
                | "does"
        );
        return matches!(
            next,
            "send" | "email" | "forward" | "share" | "drop" | "fire" | "ping"
        ) && !SUBJECTS.contains(&prev)
            && !modal;
    }
    if w == "if" {
        return matches!(next, "so" | "not")
            || (next == "you" && matches!(at(i + 2), "do" | "have"));
    }
    // "the funds are there": "there" inverts only before what is asked
    // about ("is there a brochure").
    let there_asks = matches!(
        at(i + 2),
        "any" | "a" | "an" | "some" | "anything" | "anyone" | "another"
    );
    // "… by monday does that work", not "the thing is it costs".
    let pronoun_ok = !matches!(next, "that" | "it" | "this")
        || matches!(
            w,
            "does" | "do" | "did" | "would" | "will" | "can" | "could"
        );
    // "well do you a quote": a verb with two objects, not a question
    // ("do you have").
    let ditransitive = matches!(at(i + 2), "a" | "an" | "the" | "some" | "something");
    AUX.contains(&w)
        && SUBJECTS.contains(&next)
        && !(ditransitive && matches!(next, "you" | "us" | "me" | "them"))
        && pronoun_ok
        && (next != "there" || there_asks)
        && !at(i + 2).is_empty()
        && !NOT_BEFORE.contains(&prev)
}

/// Words that open a question tagged on after a comma: "…by Friday, does
/// that work?", "…, sound good?", "…, right?".
fn tag_opener(words: &[String], i: usize) -> bool {
    let at = |k: usize| words.get(k).map_or("", String::as_str);
    match at(i) {
        "sound" | "sounds" | "right" | "okay" | "ok" | "yeah" | "alright" | "fair" | "agreed"
        | "correct" | "make" | "makes" => true,
        "how" | "what" => matches!(at(i + 1), "does" | "do" | "about" | "say" | "think"),
        "if" => at(i + 1) == "that" && matches!(at(i + 2), "makes" | "works" | "helps"),
        "you" => matches!(at(i + 1), "know" | "see" | "agree"),
        w => AUX.contains(&w) && matches!(at(i + 1), "that" | "it" | "this" | "you" | "we"),
    }
}

/// A question whose last comma part is a tag ("I'll send the quote by
/// Friday, does that work?") is two clauses: a statement and the
/// question; only the tag is asked.
pub(super) fn split_tags(
    text: &str,
    units: Vec<(Vec<RawWord>, Term)>,
) -> Vec<(Vec<RawWord>, Term)> {
    let mut out = Vec::with_capacity(units.len());
    for (words, term) in units {
        let tail = (term == Term::Question)
            .then(|| (1..words.len()).rev().find(|&j| words[j - 1].2))
            .flatten();
        let lower = |ws: &[RawWord]| -> Vec<String> {
            ws.iter()
                .map(|&(a, b, _)| text[a..b].to_lowercase().replace('\u{2019}', "'"))
                .collect()
        };
        match tail {
            Some(j) if tag_opener(&lower(&words[j..]), 0) => {
                out.push((words[..j].to_vec(), Term::Stop));
                out.push((words[j..].to_vec(), Term::Question));
            }
            _ => out.push((words, term)),
        }
    }
    out
}

/// Cuts each clause of an unpunctuated `text` where a sentence opens.
pub(super) fn split_run_ons(
    text: &str,
    units: Vec<(Vec<RawWord>, Term)>,
) -> Vec<(Vec<RawWord>, Term)> {
    let mut out = Vec::with_capacity(units.len());
    for (words, term) in units {
        let lower: Vec<String> = words
            .iter()
            .map(|&(a, b, _)| text[a..b].to_lowercase().replace('\u{2019}', "'"))
            .collect();
        let mut start = 0;
        for i in 1..words.len() {
            if opens(&lower, i) && i > start {
                out.push((words[start..i].to_vec(), Term::Stop));
                start = i;
            }
        }
        out.push((words[start..].to_vec(), term));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::split::split_units;

    fn clauses(text: &str) -> Vec<String> {
        split_run_ons(text, split_units(text))
            .into_iter()
            .map(|(w, _)| {
                w.iter()
                    .map(|&(a, b, _)| &text[a..b])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn cuts_where_a_sentence_plainly_opens() {
        assert_eq!(
            clauses("yeah we'd be up for a demo can you find us an hour next week"),
            [
                "yeah we'd be up for a demo",
                "can you find us an hour next week"
            ]
        );
        assert_eq!(
            clauses("do you have a one pager if so fire it over"),
            ["do you have a one pager", "if so fire it over"]
        );
        assert_eq!(
            clauses("sounds good let's book it"),
            ["sounds good", "let's book it"]
        );
        assert_eq!(
            clauses("i'll revert by monday does that work"),
            ["i'll revert by monday", "does that work"]
        );
    }

    #[test]
    fn a_tag_question_is_asked_on_its_own() {
        let text = "I'll send the quote by Friday, does that work?";
        let units = split_tags(text, split_units(text));
        let terms: Vec<Term> = units.iter().map(|(_, t)| *t).collect();
        assert_eq!(terms, [Term::Stop, Term::Question]);
        let text = "So, you'll send it by Friday?";
        assert_eq!(split_tags(text, split_units(text)).len(), 1);
    }

    #[test]
    fn leaves_embedded_and_plain_word_orders_alone() {
        for text in [
            "what can you do for us",
            "let me know if we can do the ninth",
            "i wonder whether we can",
            "we can do tuesday",
            "that is it",
            "i'd love to let's see",
            "the thing is it costs too much",
            "ill do you a quote for the hotel",
            "yeah we'll do you a price for both sites",
        ] {
            assert_eq!(clauses(text), [text], "{text}");
        }
    }
}
