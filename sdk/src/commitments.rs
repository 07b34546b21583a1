//! Commitments as a follow-up email and a task list name them, read the same
//! way by `draft-followup-email` and `create-tasks-from-actions`:
//!
//! - [`object_words`] / [`same_object`]: what a commitment is *about*
//!   ("the security pack", "our security documentation", "the security
//!   docs" are one object), so two promises of the same thing become one
//!   line or one task;
//! - [`groups`]: lines grouped by object, in order of first mention;
//! - [`with_due`]: a line's spoken deadline ("by Friday", "today") replaced
//!   by the date it means, in the reader's terms ("by Friday, 27 November",
//!   or "by Fri 27 Nov" in a task title).
//!
//! Pure; nothing here reads the host.

use crate::text::stems;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// Words that say nothing about *what* was promised: pronouns, articles,
/// auxiliaries, the verbs of handing something over, and time words (the
/// deadline is not the object).
const NOT_OBJECT: &[&str] = &[
    // pronouns, articles, auxiliaries and little words (stemmed forms)
    "i",
    "ill",
    "im",
    "id",
    "ive",
    "we",
    "well",
    "wed",
    "weve",
    "you",
    "youll",
    "your",
    "yours",
    "me",
    "my",
    "us",
    "our",
    "they",
    "them",
    "their",
    "it",
    "its",
    "that",
    "this",
    "these",
    "those",
    "the",
    "a",
    "an",
    "to",
    "for",
    "of",
    "on",
    "in",
    "at",
    "with",
    "and",
    "or",
    "by",
    "from",
    "over",
    "up",
    "across",
    "along",
    "back",
    "out",
    "into",
    "about",
    "some",
    "any",
    "all",
    "few",
    "couple",
    "just",
    "also",
    "so",
    "if",
    "then",
    "will",
    "would",
    "can",
    "could",
    "shall",
    "should",
    "be",
    "is",
    "are",
    "was",
    "do",
    "does",
    "get",
    "got",
    "let",
    "make",
    "sure",
    "go",
    "ahead",
    "happy",
    "glad",
    "able",
    "there",
    "here",
    "what",
    "which",
    "who",
    "please",
    "too",
    "more",
    "one",
    "two",
    "three",
    "promis",
    "ask",
    "mention",
    "need",
    "want",
    "like",
    "love",
    "talk",
    "said",
    "say",
    "again",
    "asked",
    // handing something over
    "send",
    "sent",
    "shar",
    "forward",
    "email",
    "pass",
    "drop",
    "put",
    "together",
    "follow",
    "provid",
    "giv",
    "give",
    "walk",
    "through",
    "loop",
    "circl",
    "hav",
    "have",
    // time words
    "today",
    "tonight",
    "tomorrow",
    "eod",
    "end",
    "clos",
    "week",
    "month",
    "day",
    "next",
    "early",
    "later",
    "soon",
    "asap",
    "morning",
    "afternoon",
    "evening",
    "befor",
    "until",
    "till",
    "within",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// Different words for one thing: a document sent is a "pack", "packet",
/// "documentation", "docs", "materials" alike; a meeting is "times", "a
/// session", "an invite"; a proposal a "quote" or an "estimate". Matched on
/// stems ([`crate::text::stem`]).
const SAME_THING: &[(&str, &[&str])] = &[
    (
        "doc",
        &[
            "pack",
            "packet",
            "packag",
            "documentation",
            "doc",
            "document",
            "material",
            "info",
            "information",
            "detail",
            "overview",
            "file",
            "writeup",
            "write",
            "report",
            "whitepaper",
            "paper",
            "guide",
            "brochure",
        ],
    ),
    (
        "meeting",
        &[
            "time",
            "meet",
            "meeting",
            "invit",
            "invite",
            "slot",
            "calendar",
            "availability",
            "session",
            "schedul",
            "book",
        ],
    ),
    (
        "proposal",
        &["proposal", "quot", "quote", "estimat", "offer"],
    ),
    ("number", &["number", "figur", "data", "stat", "metric"]),
];

/// The words that say what `line` is about, stemmed, with synonyms for the
/// same kind of thing folded into one (see the module docs). `names` (the
/// people the lines mention, e.g. the contact's first name) are not part
/// of any object: "Send Marta the deck" and "Send the deck" match.
pub fn object_words(line: &str, names: &[&str]) -> BTreeSet<String> {
    let names: Vec<String> = names.iter().flat_map(|n| stems(n)).collect();
    stems(line)
        .into_iter()
        .filter(|w| {
            !NOT_OBJECT.contains(&w.as_str())
                && !names.contains(w)
                && !w.chars().all(|c| c.is_ascii_digit())
        })
        .map(|w| {
            SAME_THING
                .iter()
                .find(|(_, words)| words.contains(&w.as_str()))
                .map_or(w, |(thing, _)| (*thing).to_owned())
        })
        .collect()
}

/// Things a call has one of: two lines about a proposal (or about the next
/// meeting) are about the same one.
const ONE_PER_CALL: [&str; 2] = ["proposal", "meeting"];

/// Whether two commitments are about the same object: each names
/// something, and one's object words contain the other's ("the proposal"
/// and "a proposal with pricing for forty seats"), most of them are
/// shared, or both name the call's proposal or next meeting.
pub fn same_object(a: &str, b: &str, names: &[&str]) -> bool {
    same_words(&object_words(a, names), &object_words(b, names))
}

fn same_words(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(b).count();
    shared == a.len()
        || shared == b.len()
        || shared * 3 >= a.union(b).count() * 2
        || a.intersection(b)
            .any(|w| ONE_PER_CALL.contains(&w.as_str()))
}

/// The indices of `lines` grouped by object ([`same_object`]), each group
/// in order and the groups in order of their first line. A line joins the
/// first group any of whose lines it matches. A line that names no object
/// ("send it to you by Thursday") joins the line before it from the same
/// utterance (`utterances[i]`, where known): "I'll put together a proposal
/// and send it to you by Thursday" is one promise.
pub fn groups<S: AsRef<str>>(
    lines: &[S],
    utterances: &[Option<usize>],
    names: &[&str],
) -> Vec<Vec<usize>> {
    let words: Vec<BTreeSet<String>> = lines
        .iter()
        .map(|l| object_words(l.as_ref(), names))
        .collect();
    let said_in = |i: usize| utterances.get(i).copied().flatten();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let same_breath =
            |j: usize| w.is_empty() && said_in(i).is_some() && said_in(j) == said_in(i);
        match out.iter_mut().find(|g| {
            g.iter()
                .any(|&j| same_words(&words[j], w) || same_breath(j))
        }) {
            Some(g) => g.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// Of `lines` (say, one group from [`groups`]), the index of the one that
/// says most about its object: the most object words, then the most
/// words ("Send Marta times for the next meeting" over "Send over a few
/// times"), then the first.
pub fn most_specific<S: AsRef<str>>(lines: &[S], names: &[&str]) -> Option<usize> {
    let score = |l: &S| {
        let l = l.as_ref();
        (object_words(l, names).len(), l.split_whitespace().count())
    };
    (0..lines.len()).rev().max_by_key(|&i| score(&lines[i]))
}

/// How a date is written for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `Friday, 27 November`, for prose.
    Long,
    /// `Fri 27 Nov`, for a task title.
    Short,
}

/// `date` as a reader reads it (see [`DateStyle`]); the year only when it
/// is not the year of `today`.
pub fn reader_date(date: Date, today: Date, style: DateStyle) -> String {
    let mut out = match style {
        DateStyle::Long => format!(
            "{}, {} {}",
            date.strftime("%A"),
            date.day(),
            date.strftime("%B")
        ),
        DateStyle::Short => format!(
            "{} {} {}",
            date.strftime("%a"),
            date.day(),
            date.strftime("%b")
        ),
    };
    if date.year() != today.year() {
        out.push_str(&format!(" {}", date.year()));
    }
    out
}

/// `line` with the spoken deadline `said` (as `extract-action-items`
/// reports it, lower case, e.g. `by friday`, `today`, `early next week`)
/// taken out and the date it means put at the end: `Send Marta the deck
/// today` → `Send Marta the deck by Friday, 20 November`. A line that does
/// not contain the words keeps them and gains the date. "on" is kept for a
/// day said without "by" ("next Tuesday" → "on Tuesday, 1 December").
pub fn with_due(line: &str, said: &str, date: Date, today: Date, style: DateStyle) -> String {
    let said_words: Vec<String> = said.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = line.split_whitespace().collect();
    let norm = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let n = said_words.len();
    let at = (n > 0 && n <= words.len())
        .then(|| {
            (0..=words.len() - n)
                .rev()
                .find(|&i| (0..n).all(|k| norm(words[i + k]) == said_words[k]))
        })
        .flatten();
    let kept: Vec<&str> = match at {
        Some(i) => words[..i].iter().chain(&words[i + n..]).copied().collect(),
        None => words.clone(),
    };
    let mut text = kept.join(" ");
    let trailing: &[char] = &['.', ',', ';', '!', ' '];
    text.truncate(text.trim_end_matches(trailing).len());
    let on_a_day = !said_words.iter().any(|w| {
        matches!(
            w.as_str(),
            "by" | "before"
                | "until"
                | "till"
                | "end"
                | "close"
                | "within"
                | "in"
                | "eod"
                | "today"
                | "tonight"
                | "tomorrow"
                | "early"
        )
    });
    let lead = if on_a_day { "on" } else { "by" };
    format!("{text} {lead} {}", reader_date(date, today, style))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const MARTA: &[&str] = &["Marta"];

    fn same_object(a: &str, b: &str) -> bool {
        super::same_object(a, b, MARTA)
    }

    #[test]
    fn one_document_under_different_names_is_one_object() {
        assert!(same_object(
            "Send Marta the security documentation",
            "Send Marta our security pack today"
        ));
        assert!(same_object(
            "I'll send over the security docs",
            "Could you send me your security packet?"
        ));
        assert!(same_object(
            "Send Marta a proposal with pricing for forty seats by Friday",
            "I'll send you the proposal you promised"
        ));
        assert!(same_object(
            "I'll send over a few times",
            "Send Marta times for the next meeting"
        ));
        assert!(same_object(
            "Make that explicit in the proposal",
            "Send Marta a proposal with pricing for forty seats"
        ));
    }

    #[test]
    fn different_things_stay_apart() {
        assert!(!same_object(
            "Send Marta the security pack",
            "Send Marta the security questionnaire answers"
        ));
        assert!(!same_object(
            "Send Marta the proposal",
            "Send Marta the case study"
        ));
        assert!(
            !same_object("Send it over", "Send it over"),
            "no object, no match"
        );
        assert!(
            !same_object("Email Marta", "Send Marta the deck"),
            "a name is no object"
        );
        assert!(!same_object(
            "Send the renewal numbers by Wednesday",
            "Check the HubSpot property"
        ));
    }

    #[test]
    fn groups_keep_the_order_of_first_mention() {
        let lines = [
            "Send Marta the security documentation",
            "Send Marta a proposal by Friday",
            "Send Marta our security pack today",
            "Book a call with their CFO",
            "Send the pricing proposal",
        ];
        assert_eq!(
            groups(&lines, &[], MARTA),
            [vec![0, 2], vec![1, 4], vec![3]]
        );
        let one_breath = [
            "Put together a proposal",
            "Send it to Marta by Thursday",
            "Send it over",
        ];
        assert_eq!(
            groups(&one_breath, &[Some(4), Some(4), Some(9)], MARTA),
            [vec![0, 1], vec![2]]
        );
    }

    #[test]
    fn the_most_specific_line_speaks_for_its_group() {
        let lines = [
            "Send over a few times",
            "Send Marta times for the next meeting",
            "Send Marta the security pack and the data processing agreement",
        ];
        assert_eq!(most_specific(&lines[..2], MARTA), Some(1));
        assert_eq!(most_specific(&lines, MARTA), Some(2));
        assert_eq!(
            most_specific(&["red deck", "blue deck"], MARTA),
            Some(0),
            "ties: the first"
        );
        assert_eq!(most_specific::<&str>(&[], MARTA), None);
    }

    #[test]
    fn deadlines_are_dates_in_the_readers_terms() {
        let today = date(2026, 11, 20);
        let friday = date(2026, 11, 27);
        assert_eq!(
            with_due(
                "Send Marta a proposal by Friday",
                "by friday",
                friday,
                today,
                DateStyle::Long
            ),
            "Send Marta a proposal by Friday, 27 November"
        );
        assert_eq!(
            with_due(
                "Send Marta the security pack today.",
                "today",
                today,
                today,
                DateStyle::Short
            ),
            "Send Marta the security pack by Fri 20 Nov"
        );
        assert_eq!(
            with_due(
                "Walk their ops lead through it next Tuesday",
                "next tuesday",
                date(2026, 12, 1),
                today,
                DateStyle::Long
            ),
            "Walk their ops lead through it on Tuesday, 1 December"
        );
        assert_eq!(
            with_due(
                "Send the numbers",
                "by friday",
                friday,
                today,
                DateStyle::Long
            ),
            "Send the numbers by Friday, 27 November",
            "words not found: the date is added"
        );
        assert_eq!(
            reader_date(date(2027, 1, 4), today, DateStyle::Long),
            "Monday, 4 January 2027"
        );
    }
}
