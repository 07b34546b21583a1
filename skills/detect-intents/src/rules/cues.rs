//! The rules' reading of an utterance as named cues, for the learned
//! component (`crate::judge`): which lexicons matched, the clause flags
//! (question, speculative, retracted, negated, past, habit, vague or
//! concrete time) and the kinds of date found. Retracted clauses' cues are
//! kept apart.

use super::Reading;
use super::lexicon::{LEXICONS, Lx};
use std::collections::BTreeSet;

/// Every cue of `text`, sorted, without duplicates.
pub fn cues(text: &str) -> Vec<String> {
    cues_in(&Reading::new(text))
}

/// [`cues`] of an utterance already read.
pub fn cues_in(reading: &Reading) -> Vec<String> {
    let units = &reading.units;
    let mut out = BTreeSet::new();
    out.insert(format!("clauses:{}", units.len().min(4)));
    for u in units {
        let pre = if u.retracted { "retracted:" } else { "" };
        let mut add = |name: String| {
            out.insert(format!("{pre}{name}"));
        };
        for (lx, _) in LEXICONS {
            if u.has(*lx) {
                add(format!("lx:{lx:?}"));
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
                add(format!("flag:{name}"));
            }
        }
        for t in &u.times {
            add(format!(
                "time:{:?}{}",
                t.kind,
                if t.past { ":past" } else { "" }
            ));
        }
    }
    out.into_iter().collect()
}
