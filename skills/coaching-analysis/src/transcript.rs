//! The transcript as the analysis reads it: one [`Line`] per utterance with
//! its side, speaker, start and length, and its sentences.
//!
//! Timing. With a start on every utterance (`Method::Timestamps`), a line
//! lasts until its `end` when the source gives one, otherwise until the
//! next line starts (the last line without an end: its words at 150 a
//! minute); either way never longer than [`SLOWEST_S_PER_WORD`] a word plus
//! [`PAUSE_S`], so that a silence inside or after a line is not talk (a
//! turn of 40 words spanning five minutes of an operator's hold music
//! counts 42 s). Without starts
//! (`Method::WordCounts`) no line has a time and each lasts its words at
//! 150 a minute, an estimate the output says it is.

use baton_sdk::coaching::Method;
use baton_sdk::meeting::{Meeting, Speaker};

/// Seconds a word takes at 150 words a minute.
pub const S_PER_WORD: f64 = 0.4;
/// Slowest plausible speech, seconds a word: the cap on a line measured by
/// the next line's start.
const SLOWEST_S_PER_WORD: f64 = 1.0;
/// A pause allowed on top of that cap, seconds.
const PAUSE_S: f64 = 2.0;

/// One utterance.
#[derive(Debug, Clone)]
pub struct Line {
    pub side: Speaker,
    /// The speaker's name, or the side when the source names nobody.
    pub name: String,
    pub text: String,
    /// Ms from the start of the meeting; `None` without timestamps.
    pub at_ms: Option<i64>,
    /// How long it lasted, ms (measured, or estimated from its words).
    pub dur_ms: i64,
    pub words: i64,
}

impl Line {
    /// Ms from the start to the end of the line, with timestamps.
    pub fn end_ms(&self) -> Option<i64> {
        self.at_ms.map(|a| a + self.dur_ms)
    }
}

fn ms(seconds: f64) -> i64 {
    // Rounded to the ms; meetings are hours long, far inside i64.
    (seconds * 1000.0).round() as i64
}

/// The meeting's lines (blank utterances dropped) and how they were timed.
pub fn lines(m: &Meeting) -> (Vec<Line>, Method) {
    let said: Vec<_> = m
        .utterances
        .iter()
        .filter(|u| !u.text.trim().is_empty())
        .collect();
    let timed = !said.is_empty()
        && said
            .iter()
            .all(|u| u.start.is_some_and(|s| s.is_finite() && s >= 0.0));
    let method = if timed {
        Method::Timestamps
    } else {
        Method::WordCounts
    };
    let lines = said
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let words = u.text.split_whitespace().count() as f64;
            let spoken = words * S_PER_WORD;
            let (at_ms, seconds) = match u.start.filter(|_| timed) {
                Some(start) => {
                    let next = said[i + 1..]
                        .iter()
                        .filter_map(|n| n.start)
                        .find(|&s| s >= start);
                    let span = match (u.end.filter(|&e| e.is_finite() && e >= start), next) {
                        (Some(end), _) => end - start,
                        (None, Some(next)) => next - start,
                        (None, None) => spoken,
                    };
                    let seconds = span.min(words * SLOWEST_S_PER_WORD + PAUSE_S);
                    (Some(ms(start)), seconds)
                }
                None => (None, spoken),
            };
            Line {
                side: u.speaker,
                name: baton_sdk::text::nonblank(u.name.as_deref())
                    .unwrap_or(u.speaker.as_str())
                    .to_owned(),
                text: u.text.trim().to_owned(),
                at_ms,
                dur_ms: ms(seconds),
                words: words as i64,
            }
        })
        .collect();
    (lines, method)
}

/// The sentences of `text`: cut after `.`, `?` or `!` (and an ellipsis or
/// dash that ends a line) followed by a space; each trimmed, none empty.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = matches!(c, '.' | '?' | '!');
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if ends && next_is_space {
            let end = i + c.len_utf8();
            let s = text[from..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            from = end;
        }
    }
    let rest = text[from..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The meeting's length in ms: from its start and end instants when both
/// are known, else the end of its last timed line.
pub fn duration_ms(m: &Meeting, lines: &[Line]) -> Option<i64> {
    let instant = |s: &Option<String>| s.as_deref()?.parse::<jiff::Timestamp>().ok();
    if let (Some(a), Some(b)) = (instant(&m.started_at), instant(&m.ended_at))
        && b >= a
    {
        return Some(b.as_millisecond() - a.as_millisecond());
    }
    lines.iter().filter_map(Line::end_ms).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_at_their_ends() {
        assert_eq!(
            sentences("Fair questions. Implementation is 2.5 weeks? Yes!  Ok"),
            [
                "Fair questions.",
                "Implementation is 2.5 weeks?",
                "Yes!",
                "Ok"
            ]
        );
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }
}
