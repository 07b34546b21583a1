//! Who talked how much, and the rep's longest monologue.
//!
//! Talk per participant is the sum of their lines' lengths (see
//! [`crate::transcript`]); with timestamps, speech that overlaps counts for
//! each speaker. Shares are of all talk (with word counts, of all words).
//! A monologue is a run of the rep's lines with no prospect line between;
//! the longest is measured by time, or by words without timestamps.

use crate::transcript::{Line, sentences};
use baton_sdk::coaching::{Method, Monologue, Participant, quote};
use baton_sdk::meeting::Speaker;

/// Each participant's talk, in order of first words, and the rep's and the
/// prospect's shares.
pub fn participants(lines: &[Line], method: Method) -> (Vec<Participant>, f64, f64) {
    let mut out: Vec<Participant> = Vec::new();
    for l in lines {
        let p = match out
            .iter_mut()
            .find(|p| p.name == l.name && p.side == l.side)
        {
            Some(p) => p,
            None => {
                out.push(Participant {
                    name: l.name.clone(),
                    side: l.side,
                    talk_ms: 0,
                    words: 0,
                    share: 0.0,
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        p.talk_ms += l.dur_ms;
        p.words += l.words;
    }
    let measure = |p: &Participant| match method {
        Method::Timestamps => p.talk_ms as f64,
        Method::WordCounts => p.words as f64,
    };
    let total: f64 = out.iter().map(measure).sum();
    let share = |x: f64| {
        if total > 0.0 {
            (x / total * 10_000.0).round() / 10_000.0
        } else {
            0.0
        }
    };
    for p in &mut out {
        p.share = share(measure(p));
    }
    let side = |s: Speaker| share(out.iter().filter(|p| p.side == s).map(measure).sum());
    let (rep, prospect) = (side(Speaker::Rep), side(Speaker::Prospect));
    (out, rep, prospect)
}

/// The rep's longest run of lines with no prospect line between.
pub fn longest_monologue(lines: &[Line], method: Method) -> Option<Monologue> {
    let mut best: Option<(i64, Monologue)> = None;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].side != Speaker::Rep {
            i += 1;
            continue;
        }
        let run = lines[i..]
            .iter()
            .take_while(|l| l.side == Speaker::Rep)
            .count();
        let stretch = &lines[i..i + run];
        let words: i64 = stretch.iter().map(|l| l.words).sum();
        let start_ms = stretch[0].at_ms;
        let duration_ms = match (start_ms, stretch[run - 1].end_ms()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        let size = match method {
            Method::Timestamps => duration_ms.unwrap_or(0),
            Method::WordCounts => words,
        };
        if best.as_ref().is_none_or(|(b, _)| size > *b) {
            // What it was about: the run's longest line (not a greeting
            // before it), from its first sentence of some substance.
            let body = stretch
                .iter()
                .max_by_key(|l| (l.words, std::cmp::Reverse(l.at_ms)))
                .map(|l| l.text.as_str())
                .unwrap_or_default();
            let said = sentences(body);
            let first = said
                .iter()
                .find(|s| s.split_whitespace().count() >= 4)
                .or(said.first())
                .copied()
                .unwrap_or_default();
            best = Some((
                size,
                Monologue {
                    start_ms,
                    duration_ms,
                    words,
                    quote: quote(first),
                },
            ));
        }
        i += run;
    }
    best.map(|(_, m)| m)
}
