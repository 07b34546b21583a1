//! Clauses: [`Unit`] holds one normalised clause with its lexicon hits,
//! negators, time expressions and flags, and [`analyse`] builds the units of
//! an utterance and marks retracted ones.

use super::flags::{find_negators, first_content, is_question, is_retractor, is_speculative};
use super::homophones;
use super::lexicon::Lx;
use super::pattern::compute_hits;
use super::runon::{split_run_ons, split_tags, unpunctuated};
use super::split::{RawWord, Term, split_units};
use super::time::{TimeExpr, TimeKind, find_times};
use super::tokenise::{Word, collapse_repeats, normalise_words, remove_fillers};

/// Word-index span, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) s: usize,
    pub(super) e: usize,
}

/// One clause and everything known about it.
pub(super) struct Unit {
    pub(super) w: Vec<Word>,
    /// Byte span in the original text.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) term: Term,
    /// All lexicon hits, grouped by lexicon and sorted by start.
    hits: Vec<Span>,
    /// `hits[hit_at[lx]..hit_at[lx + 1]]` are the hits of lexicon `lx`.
    hit_at: Vec<usize>,
    /// Indices of negating words (idioms such as "no problem" excluded).
    neg: Vec<usize>,
    /// For each word, the index of the first word of its comma-delimited part.
    part_start: Vec<usize>,
    /// Index of the first word that is not a discourse marker.
    pub(super) first: usize,
    pub(super) question: bool,
    pub(super) retracted: bool,
    pub(super) speculative: bool,
    /// The utterance has no capital letter anywhere.
    pub(super) caseless: bool,
    pub(super) times: Vec<TimeExpr>,
}

impl Unit {
    /// All hits of one lexicon, sorted by start.
    pub(super) fn hits(&self, lx: Lx) -> &[Span] {
        let i = lx as usize;
        match (self.hit_at.get(i), self.hit_at.get(i + 1)) {
            (Some(&a), Some(&b)) => self.hits.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Whether the lexicon matched anywhere in the clause.
    pub(super) fn has(&self, lx: Lx) -> bool {
        !self.hits(lx).is_empty()
    }

    /// Hits of `lx` starting in `[from, to)`.
    pub(super) fn hits_in(&self, lx: Lx, from: usize, to: usize) -> &[Span] {
        let h = self.hits(lx);
        let a = h.partition_point(|s| s.s < from);
        let b = h.partition_point(|s| s.s < to);
        if a < b { &h[a..b] } else { &[] }
    }

    /// The longest hit of `lx` starting at word `i`.
    pub(super) fn starts_at(&self, lx: Lx, i: usize) -> Option<Span> {
        self.hits_in(lx, i, i + 1)
            .iter()
            .max_by_key(|s| s.e)
            .copied()
    }

    /// A negator in `[from, to)`.
    pub(super) fn negated(&self, from: usize, to: usize) -> bool {
        let a = self.neg.partition_point(|&i| i < from);
        a < self.neg.len() && self.neg[a] < to
    }

    /// First word of the comma-delimited part containing word `i`.
    pub(super) fn part_start(&self, i: usize) -> usize {
        self.part_start.get(i).copied().unwrap_or(0)
    }

    /// Normalised word `i`, or "" past the end.
    pub(super) fn word(&self, i: usize) -> &str {
        self.w.get(i).map_or("", |w| w.t.as_str())
    }

    /// Number of words.
    pub(super) fn len(&self) -> usize {
        self.w.len()
    }

    /// Date expressions that are not in the past.
    pub(super) fn concrete_times(&self) -> impl Iterator<Item = &TimeExpr> {
        self.times.iter().filter(|t| !t.past)
    }

    /// Whether the clause names a concrete, non-past time.
    pub(super) fn has_future_time(&self) -> bool {
        self.concrete_times().next().is_some()
    }

    /// Vague timing ("at some point", "ASAP") with no concrete date.
    pub(super) fn only_vague_time(&self) -> bool {
        self.has(Lx::Vague) && !self.has_future_time()
    }

    /// Whether word `k` is the verb of a "once you've had a look" clause:
    /// a perfect that waits on something still to come.
    fn after_once(&self, k: usize) -> bool {
        (k.saturating_sub(4)..k).any(|j| {
            self.word(j) == "once"
                && matches!(self.word(j + 1), "you" | "we" | "they" | "i" | "he" | "she")
                && self.word(j + 2) == "have"
        })
    }

    /// A past-tense clause: a past verb and nothing pointing forward.
    /// Passives ("gets switched off", "to be signed") do not count.
    pub(super) fn is_past(&self) -> bool {
        let past_verb = self.hits(Lx::PastVerb).iter().any(|sp| {
            let prev = sp.s.checked_sub(1).map_or("", |k| self.word(k));
            !matches!(
                prev,
                "gets"
                    | "get"
                    | "getting"
                    | "got"
                    | "be"
                    | "been"
                    | "being"
                    | "is"
                    | "are"
                    | "am"
                    | "to"
                    | "will"
            ) && !self.after_once(sp.s)
        });
        // "We signed in 2019, so the contract ends next June" points ahead.
        let ahead = self.concrete_times().any(|t| {
            let before = t.s.checked_sub(1).map_or("", |k| self.word(k));
            self.word(t.s) == "next"
                || t.kind == TimeKind::Period
                || matches!(before, "by" | "until" | "till" | "before" | "next")
        });
        past_verb && !self.has(Lx::Future) && !ahead
    }
}

/// Splits an utterance into clauses and marks retracted ones.
pub(super) fn analyse(text: &str) -> Vec<Unit> {
    let mut raw = split_units(text);
    if unpunctuated(&raw) {
        raw = split_run_ons(text, raw);
    } else if raw.iter().any(|(_, t)| *t == Term::Question) {
        raw = split_tags(text, raw);
    }
    // Text with no word capitalised ("we trialled einstein"): names and
    // months cannot be told by their capitals.
    let caseless = !raw.iter().flat_map(|(w, _)| w).any(|&(a, _, _)| {
        text.get(a..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_uppercase)
    });
    let mut units: Vec<Unit> = raw
        .into_iter()
        .filter_map(|(raw, term)| build_unit(text, &raw, term, caseless))
        .collect();
    for i in 1..units.len() {
        if is_retractor(&units[i], &units[i - 1]) {
            units[i - 1].retracted = true;
        }
    }
    units
}

/// Normalises one clause and computes its facts; `None` if nothing is left.
fn build_unit(text: &str, raw: &[RawWord], term: Term, caseless: bool) -> Option<Unit> {
    let mut w = normalise_words(text, raw);
    homophones::join_split(&mut w);
    homophones::restore(&mut w);
    remove_fillers(&mut w);
    collapse_repeats(&mut w);
    homophones::restore_were(&mut w);
    if w.is_empty() {
        return None;
    }
    let start = w.first().map_or(0, |x| x.start);
    let end = w.last().map_or(0, |x| x.end);
    let mut part_start = Vec::with_capacity(w.len());
    let mut ps = 0;
    for (i, word) in w.iter().enumerate() {
        part_start.push(ps);
        if word.comma {
            ps = i + 1;
        }
    }
    let (hits, hit_at) = compute_hits(&w);
    let mut u = Unit {
        w,
        start,
        end,
        term,
        hits,
        hit_at,
        neg: Vec::new(),
        part_start,
        first: 0,
        question: false,
        retracted: false,
        speculative: false,
        caseless,
        times: Vec::new(),
    };
    u.neg = find_negators(&u);
    u.first = first_content(&u.w);
    u.question = is_question(&u);
    u.speculative = is_speculative(&u);
    u.times = find_times(&u.w, caseless);
    Some(u)
}
