//! The prospect's own words about when to meet, for the
//! `calendar_find_times` a meeting queues: the rep's "I'll send over a few
//! times" says nothing about when, and the prospect's "Ideally Tuesday or
//! Wednesday afternoon" says it all.
//!
//! Kept: each prospect utterance that asks for a meeting, and each one
//! just after a meeting was raised (by either side) that names a day, a
//! week or a part of the day and carries no other intent (so "I'll send
//! the numbers by Wednesday" after the rep's recap is not read as a time
//! to meet).

use crate::rules::{self, Label};
use baton_sdk::calendar::{month_number, weekday_number};
use baton_sdk::events::meeting_ended::{Speaker, Utterance};

/// Utterances after one that raised a meeting that may answer it.
const ANSWER_WITHIN: usize = 2;

/// Whether `text` names a day, a week or a part of the day.
pub fn names_when(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .any(|w| {
            (w.len() > 3 && weekday_number(&w, true).is_some())
                || (w.len() > 3 && month_number(&w).is_some())
                || matches!(
                    w.as_str(),
                    "morning"
                        | "mornings"
                        | "afternoon"
                        | "afternoons"
                        | "evening"
                        | "evenings"
                        | "tomorrow"
                        | "week"
                        | "weeks"
                        | "am"
                        | "pm"
                        | "noon"
                )
        })
}

/// The prospect's words about when to meet, in the order said; `None` when
/// they said nothing about it.
pub fn prospect_words(
    utterances: &[Utterance<String>],
    found: &[(Speaker, Vec<rules::Detection>)],
) -> Option<String> {
    let raised = |i: usize| {
        found
            .get(i)
            .is_some_and(|(_, ds)| ds.iter().any(|d| d.label == Label::ScheduleMeeting))
    };
    let words: Vec<&str> = utterances
        .iter()
        .zip(found)
        .enumerate()
        .filter(|(_, (_, (speaker, _)))| *speaker == Speaker::Prospect)
        .filter(|(i, (u, (_, ds)))| {
            let other_intent = ds.iter().any(|d| d.label != Label::ScheduleMeeting);
            // Cheapest first: most utterances are nowhere near a meeting.
            raised(*i)
                || (!other_intent
                    && (1..=ANSWER_WITHIN).any(|k| i.checked_sub(k).is_some_and(raised))
                    && names_when(&u.text))
        })
        .map(|(_, (u, _))| u.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
