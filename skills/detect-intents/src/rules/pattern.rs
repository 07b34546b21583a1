//! The pattern mini-language and its compiled table: lexicon patterns are
//! parsed into slots and compiled once, with every word's class bits and
//! spelling, into a table keyed by first word, so a clause is matched against
//! all lexicons in one linear pass.

use baton_sdk::hash::FnvMap;
use std::sync::OnceLock;

use super::clause::Span;
use super::lexicon::LEXICONS;
use super::tokenise::{SPELLINGS, Word};
use super::words::{C_NUMBER, C_ORDINAL, C_QUARTER, WORD_CLASSES};

enum Slot {
    Lit(Vec<&'static str>, bool),
    Any,
    Gap(usize),
}

struct Pattern {
    lx: usize,
    slots: Vec<Slot>,
}

/// Keyed by short words: FNV-1a, not SipHash.
type FastMap<K, V> = FnvMap<K, V>;

/// What the tables know about one normalised word.
#[derive(Default)]
pub(super) struct Entry {
    /// `C_*` class bits.
    cls: u32,
    /// Patterns whose first slot accepts this word.
    pub(super) pats: Vec<u32>,
    /// American spelling, if this is a British one.
    pub(super) spell: Option<&'static str>,
}

/// Everything built once per process (or wasm instance) from the constants.
struct Tables {
    patterns: Vec<Pattern>,
    words: FastMap<&'static str, Entry>,
}

/// The lookup tables, built on first use.
fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(build_tables)
}

/// Compiles every lexicon pattern and word class into [`Tables`].
fn build_tables() -> Tables {
    // Sized up front: growing would rehash every word several times, on
    // every call (each call is a fresh instance).
    let n_patterns: usize = LEXICONS.iter().map(|(_, list)| list.len()).sum();
    let n_words = n_patterns
        + WORD_CLASSES
            .iter()
            .map(|(list, _)| list.len())
            .sum::<usize>()
        + SPELLINGS.len();
    let mut patterns = Vec::with_capacity(n_patterns);
    let mut words: FastMap<&'static str, Entry> =
        FastMap::with_capacity_and_hasher(n_words, Default::default());
    for (lx, list) in LEXICONS {
        for pat in list.iter() {
            let slots: Vec<Slot> = pat.split_whitespace().map(parse_slot).collect();
            let id = u32::try_from(patterns.len()).unwrap_or(u32::MAX);
            if let Some(Slot::Lit(alts, false)) = slots.first() {
                for a in alts {
                    words.entry(*a).or_default().pats.push(id);
                }
            }
            patterns.push(Pattern {
                lx: *lx as usize,
                slots,
            });
        }
    }
    for (list, bit) in WORD_CLASSES {
        for w in list.iter() {
            words.entry(*w).or_default().cls |= bit;
        }
    }
    for (from, to) in SPELLINGS {
        words.entry(*from).or_default().spell = Some(*to);
    }
    Tables { patterns, words }
}

/// What the tables know about a normalised word, if anything.
pub(super) fn entry(t: &str) -> Option<&'static Entry> {
    tables().words.get(t)
}

/// Class bits of a normalised word, including digit forms ("12th", "2025", "fy24").
pub(super) fn word_class(t: &str, e: Option<&Entry>) -> u32 {
    let mut c = e.map_or(0, |e| e.cls);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        match &t[digits..] {
            "" => c |= C_NUMBER,
            "st" | "nd" | "rd" | "th" if digits <= 2 => c |= C_ORDINAL,
            _ => {}
        }
    }
    if t.len() > 2 && t.starts_with("fy") && t[2..].bytes().all(|b| b.is_ascii_digit()) {
        c |= C_QUARTER;
    }
    c
}

/// Parses one pattern slot (see the lexicon syntax in `lexicon`).
fn parse_slot(tok: &'static str) -> Slot {
    match tok {
        "*" => Slot::Any,
        "~" => Slot::Gap(3),
        "~~" => Slot::Gap(6),
        _ => {
            let optional = tok.split('|').any(|a| a == "_");
            let alts = tok.split('|').filter(|a| *a != "_").collect();
            Slot::Lit(alts, optional)
        }
    }
}

/// Matches `slots` at word `i`; returns the exclusive end of the shortest match.
fn match_slots(w: &[Word], i: usize, slots: &[Slot]) -> Option<usize> {
    let Some((first, rest)) = slots.split_first() else {
        return Some(i);
    };
    match first {
        Slot::Any => (i < w.len()).then(|| match_slots(w, i + 1, rest)).flatten(),
        Slot::Gap(n) => (0..=*n)
            .filter(|k| i + k <= w.len())
            .find_map(|k| match_slots(w, i + k, rest)),
        Slot::Lit(alts, optional) => {
            let here = i < w.len() && alts.iter().any(|a| *a == w[i].t);
            if let Some(e) = here.then(|| match_slots(w, i + 1, rest)).flatten() {
                return Some(e);
            }
            if *optional {
                match_slots(w, i, rest)
            } else {
                None
            }
        }
    }
}

/// Every lexicon hit in a clause, grouped by lexicon (see
/// [`Unit::hits`](super::clause::Unit::hits)).
pub(super) fn compute_hits(w: &[Word]) -> (Vec<Span>, Vec<usize>) {
    let m = tables();
    let mut found: Vec<(usize, Span)> = Vec::new();
    for (i, word) in w.iter().enumerate() {
        for &id in word.pats {
            let Some(p) = m.patterns.get(id as usize) else {
                continue;
            };
            if let Some(e) = match_slots(w, i + 1, p.slots.get(1..).unwrap_or(&[])) {
                found.push((p.lx, Span { s: i, e }));
            }
        }
    }
    found.sort_by_key(|(lx, sp)| (*lx, sp.s, sp.e));
    let mut hit_at = vec![0; LEXICONS.len() + 1];
    for (lx, _) in &found {
        hit_at[lx + 1] += 1;
    }
    for k in 1..hit_at.len() {
        hit_at[k] += hit_at[k - 1];
    }
    (found.into_iter().map(|(_, sp)| sp).collect(), hit_at)
}
