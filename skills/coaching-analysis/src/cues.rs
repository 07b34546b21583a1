//! Matching cue phrases in a sentence by word stems, so that inflections
//! meet (`budgeted` matches `budget`, `challenges` matches `challenge`).
//! A cue is one or more words; a word ending in `*` matches any stem it
//! begins (`frustrat*` matches `frustrated`, `frustrating`, `frustration`).

use baton_sdk::hash::fnv;
use baton_sdk::text::{stem, stems};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A sentence read as stems, for matching cues.
pub struct Said {
    stems: Vec<String>,
    /// Each stem's [`key`], so that most comparisons with a cue's stem
    /// are one number's.
    keys: Vec<u64>,
}

impl Said {
    pub fn new(text: &str) -> Said {
        Said::of(stems(text))
    }

    fn of(stems: Vec<String>) -> Said {
        let keys = stems.iter().map(|s| key(s)).collect();
        Said { stems, keys }
    }

    /// The stems, in order.
    pub fn stems(&self) -> &[String] {
        &self.stems
    }

    /// A sentence of these stems.
    pub fn from_stems(stems: &[String]) -> Said {
        Said::of(stems.to_vec())
    }

    /// Whether `cue` occurs.
    pub fn has(&self, cue: &'static str) -> bool {
        compiled(cue, |pats| {
            let (Some(first), Some(last)) =
                (pats.first(), self.stems.len().checked_sub(pats.len()))
            else {
                return false;
            };
            // Where the cue's first stem is (one number compared per
            // stem), then whether the rest follows.
            (0..=last).any(|i| {
                let here = match first.key {
                    Some(k) => self.keys[i] == k,
                    None => self.stems[i].starts_with(first.text.as_str()),
                };
                here && self.matches_at(pats, i)
            })
        })
    }

    /// Whether the sentence starts with one of `cues`.
    pub fn starts_with_any(&self, cues: &[&'static str]) -> bool {
        cues.iter().any(|c| self.starts_with(c).is_some())
    }

    /// How many stems `cue` covers when the sentence starts with it.
    pub fn starts_with(&self, cue: &'static str) -> Option<usize> {
        compiled(cue, |pats| self.matches_at(pats, 0).then_some(pats.len()))
    }

    fn matches_at(&self, pats: &[Pat], i: usize) -> bool {
        !pats.is_empty()
            && self.stems.get(i..i + pats.len()).is_some_and(|win| {
                win.iter()
                    .zip(&self.keys[i..])
                    .zip(pats)
                    .all(|((s, k), p)| match p.key {
                        None => s.starts_with(p.text.as_str()),
                        Some(pk) => *k == pk && *s == p.text,
                    })
            })
    }

    /// Whether any of `cues` occurs.
    pub fn any(&self, cues: &[&'static str]) -> bool {
        cues.iter().any(|c| self.has(c))
    }

    /// The first stem, after leading fillers (`so`, `and`, `okay`, …).
    pub fn lead(&self) -> (usize, Option<&str>) {
        let i = self
            .stems
            .iter()
            .position(|s| !FILLERS.contains(&s.as_str()))
            .unwrap_or(self.stems.len());
        (i, self.stems.get(i).map(String::as_str))
    }
}

/// A cue literal by where it is: its address and length. Compiling is a
/// function of the text alone, so two equal literals at two addresses only
/// compile twice; looking one up hashes two numbers instead of its text.
type CueAt = (usize, usize);

/// One word of a compiled cue: a stem, or a prefix as written.
struct Pat {
    text: String,
    /// The stem's [`key`]; `None` for a prefix.
    key: Option<u64>,
}

/// The compiled cues: per cue, its words.
type Compiled = HashMap<CueAt, Vec<Pat>, BuildHasherDefault<AtHasher>>;

/// A stem's FNV-1a hash: equal stems have equal keys.
fn key(stem: &str) -> u64 {
    fnv(stem.as_bytes())
}

/// Mixes the two numbers of a [`CueAt`] (Fx-style multiply and rotate):
/// cheap and deterministic, and the keys are the program's own literals.
#[derive(Default)]
struct AtHasher(u64);

impl Hasher for AtHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

thread_local! {
    /// Each cue compiled once (cues are literals; a call reads thousands of
    /// sentences against the same few hundred cues).
    static COMPILED: RefCell<Compiled> = RefCell::new(Compiled::default());
}

/// `f` of `cue` compiled.
fn compiled<R>(cue: &'static str, f: impl FnOnce(&[Pat]) -> R) -> R {
    let at = (cue.as_ptr() as usize, cue.len());
    COMPILED.with(|cache| {
        if let Some(pats) = cache.borrow().get(&at) {
            return f(pats);
        }
        let pats = compile(cue);
        let r = f(&pats);
        cache.borrow_mut().insert(at, pats);
        r
    })
}

/// A cue as stems, a prefix kept as written.
fn compile(cue: &str) -> Vec<Pat> {
    cue.split_whitespace()
        .flat_map(|w| {
            let prefix = w.ends_with('*');
            let mut pieces: Vec<Pat> = stems(w.trim_end_matches('*'))
                .into_iter()
                .map(|s| Pat {
                    key: Some(key(&s)),
                    text: s,
                })
                .collect();
            if prefix && let Some(last) = pieces.last_mut() {
                // A prefix is matched as written, not stemmed.
                last.text = w.trim_end_matches('*').to_lowercase();
                last.key = None;
            }
            pieces
        })
        .collect()
}

/// Words that open a sentence without carrying it (as stems).
const FILLERS: &[&str] = &[
    "so",
    "and",
    "but",
    "okay",
    "ok",
    "well",
    "great",
    "perfect",
    "right",
    "now",
    "oh",
    "um",
    "uh",
    "alright",
    "then",
    "just",
    "also",
    "maybe",
    "actually",
    "cool",
    "got",
    "it",
    "sure",
    "hey",
    "yeah",
    "yes",
    "anyway",
    "honestly",
    "quick",
    "question",
    "curiosity",
    "out",
    "of",
];

/// Second-person words: a question that has one is about the listener.
pub const YOU: &[&str] = &[
    "you", "your", "youre", "yours", "youve", "youd", "youll", "yall", "yourself", "yourselv",
];

/// Words too common to tie a reply to a question.
const STOP: &[&str] = &[
    "about",
    "after",
    "again",
    "also",
    "been",
    "being",
    "could",
    "does",
    "doing",
    "dont",
    "from",
    "have",
    "here",
    "into",
    "just",
    "know",
    "like",
    "make",
    "more",
    "much",
    "need",
    "only",
    "other",
    "over",
    "really",
    "should",
    "some",
    "than",
    "that",
    "thats",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "think",
    "this",
    "those",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "your",
    "youre",
    "yeah",
    "okay",
    "right",
    "going",
    "want",
    "well",
    "very",
    "were",
    "weve",
    "work",
    "good",
    "great",
    "thank",
    "thanks",
    "question",
    "mean",
    "actually",
    "kind",
    "sort",
    "maybe",
    "still",
    "even",
    "every",
    "sure",
    "look",
    "tell",
    "said",
    "anything",
    "something",
    "hows",
    "howd",
    "whos",
    "wher",
];

/// The content stems of a text: four letters or more, not common words.
pub fn content(said: &Said) -> Vec<&str> {
    said.stems
        .iter()
        .map(String::as_str)
        .filter(|s| s.chars().count() >= 4 && !stop().iter().any(|w| w == s))
        .collect()
}

/// [`STOP`] as stems, made once.
fn stop() -> &'static [String] {
    static STEMS: OnceLock<Vec<String>> = OnceLock::new();
    STEMS.get_or_init(|| STOP.iter().map(|w| stem(w)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_match_by_stem_and_prefix() {
        let s = Said::new("So what had you budgeted, and how frustrating is it today?");
        assert!(s.has("budget"));
        assert!(s.has("frustrat*"));
        assert!(s.has("how frustrat*"));
        assert!(!s.has("budget today"));
        assert!(s.any(&["nothing", "today"]));
        assert_eq!(s.lead().1, Some("what"));
        let t = Said::new("I don’t have the budget");
        assert!(t.has("don't have"));
    }
}
