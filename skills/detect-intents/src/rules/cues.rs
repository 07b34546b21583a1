//! The rules' reading of an utterance as named cues, for the learned
//! component (`crate::judge`): which lexicons matched, the clause flags
//! (question, speculative, retracted, negated, past, habit, vague or
//! concrete time) and the kinds of date found. Retracted clauses' cues are
//! kept apart.

use super::Reading;
use super::lexicon::{LEXICONS, Lx};
use std::sync::OnceLock;

/// Every cue of `text`, sorted, without duplicates.
pub fn cues(text: &str) -> Vec<String> {
    cues_in(&Reading::new(text))
}

/// [`cues`] of an utterance already read.
pub fn cues_in(reading: &Reading) -> Vec<String> {
    let units = &reading.units;
    let mut out = vec![format!("clauses:{}", units.len().min(4))];
    for u in units {
        let pre = if u.retracted { "retracted:" } else { "" };
        let mut add = |kind: &str, name: &str| {
            let mut cue = String::with_capacity(pre.len() + kind.len() + name.len());
            cue.push_str(pre);
            cue.push_str(kind);
            cue.push_str(name);
            out.push(cue);
        };
        for (k, (lx, _)) in LEXICONS.iter().enumerate() {
            if u.has(*lx) {
                add("lx:", lexicon_name(k, *lx));
            }
        }
        let flags = [
            ("question", u.question),
            ("speculative", u.speculative),
            ("retracted", u.retracted),
            ("negated", u.negated(0, u.len())),
            ("past", u.is_past()),
            ("past_intent", u.has(Lx::PastIntent)),
            ("future_time", u.has_future_time()),
            ("vague_time", u.only_vague_time()),
        ];
        for (name, on) in flags {
            if on {
                add("flag:", name);
            }
        }
        for t in &u.times {
            let past = if t.past { ":past" } else { "" };
            add("time:", &format!("{:?}{past}", t.kind));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Lexicon `lx`'s name (at `k` in [`LEXICONS`]) as its cue spells it:
/// formatted the first time it is used in an instance, not at every hit.
fn lexicon_name(k: usize, lx: Lx) -> &'static str {
    static NAMES: [OnceLock<String>; LEXICONS.len()] = [const { OnceLock::new() }; LEXICONS.len()];
    match NAMES.get(k) {
        Some(name) => name.get_or_init(|| format!("{lx:?}")),
        None => "",
    }
}
