//! Tokenising and normalising: the [`Word`] type and the steps that turn a
//! clause's raw words into normalised ones — lower-casing, expanding
//! contractions and colloquial forms, American spelling, dropping fillers and
//! collapsing stuttered repeats. Every word keeps its byte span in the
//! original text.

use super::pattern::{entry, word_class};
use super::split::RawWord;
use super::words::C_FILLER;

#[derive(Debug, Clone)]
pub(super) struct Word {
    /// Normalised text.
    pub(super) t: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Original starts with an upper-case letter.
    pub(super) cap: bool,
    /// Original is an all-caps acronym of two or more letters.
    pub(super) upper: bool,
    /// A comma (or colon) follows in the original.
    pub(super) comma: bool,
    /// `C_*` class bits.
    pub(super) cls: u32,
    /// Patterns that may start at this word.
    pub(super) pats: &'static [u32],
}

impl Word {
    /// Normalised word `t` in place of (part of) `old`: its span, its
    /// capitals if `first`, the comma after it if `last`.
    pub(super) fn new(t: &str, old: &Word, first: bool, last: bool) -> Word {
        let e = entry(t);
        Word {
            cls: word_class(t, e),
            pats: e.map_or(&[], |e| e.pats.as_slice()),
            t: t.to_owned(),
            start: old.start,
            end: old.end,
            cap: old.cap && first,
            upper: old.upper && first,
            comma: old.comma && last,
        }
    }
}

/// Lower-cases, expands contractions and applies spelling and word classes.
pub(super) fn normalise_words(text: &str, raw: &[RawWord]) -> Vec<Word> {
    let mut lowered: Vec<String> = raw
        .iter()
        .map(|&(a, b, _)| {
            let w = &text[a..b];
            if w.is_ascii() {
                w.to_ascii_lowercase()
            } else {
                w.to_lowercase()
                    .replace(['\u{2019}', '\u{02bc}', '\u{2018}'], "'")
            }
        })
        .collect();
    let mut out = Vec::with_capacity(raw.len() + 4);
    for (k, &(a, b, comma)) in raw.iter().enumerate() {
        let orig = &text[a..b];
        let cap = orig.chars().next().is_some_and(char::is_uppercase);
        let upper = cap && {
            let mut letters = orig.chars().filter(|c| c.is_alphabetic());
            letters.clone().count() >= 2 && letters.all(char::is_uppercase)
        };
        let pieces = if lowered[k].contains('\'') || COLLOQUIAL.contains(&lowered[k].as_str()) {
            let next = lowered.get(k + 1).map_or("", String::as_str);
            expand(&lowered[k], next)
        } else {
            vec![std::mem::take(&mut lowered[k])]
        };
        let n = pieces.len();
        for (j, mut t) in pieces.into_iter().enumerate() {
            let mut e = entry(&t);
            if let Some(american) = e.and_then(|e| e.spell) {
                t = american.to_string();
                e = entry(american);
            }
            out.push(Word {
                cls: word_class(&t, e),
                pats: e.map_or(&[], |e| e.pats.as_slice()),
                t,
                start: a,
                end: b,
                cap: cap && j == 0,
                upper: upper && j == 0,
                comma: comma && j + 1 == n,
            });
        }
    }
    out
}

/// Apostrophe-free words that [`expand`] rewrites.
const COLLOQUIAL: &[&str] = &[
    "cannot", "gonna", "wanna", "gotta", "lemme", "gimme", "kinda", "sorta", "dunno", "lets",
    // Contractions typed or transcribed without their apostrophe.
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "havent", "hasnt", "wont", "cant",
    "couldnt", "wouldnt", "shouldnt", "im", "ive", "ill", "youll", "theyll", "theyre", "youre",
    "weve", "theyve", "youve", "thats", "whats", "theres", "moneys",
    // A caption cut off before it: "…ll get the costing over".
    "ll", "hows",
];

/// Verbs (and adverbs before them) after an apostrophe-less "ill" that make
/// it "I'll" ("ill send it over"), not "ill" as in sick.
const ILL_NEXT: &[&str] = &[
    "get",
    "send",
    "have",
    "be",
    "let",
    "make",
    "put",
    "check",
    "come",
    "do",
    "talk",
    "circle",
    "follow",
    "loop",
    "run",
    "shoot",
    "email",
    "call",
    "give",
    "take",
    "ping",
    "set",
    "book",
    "try",
    "ask",
    "see",
    "just",
    "also",
    "definitely",
    "probably",
    "then",
    "pull",
    "work",
    "draft",
    "prepare",
    "confirm",
    "forward",
    "share",
    "revert",
    "drop",
    "speak",
    "reach",
    "update",
    "go",
    "pass",
    "bring",
    "write",
    "sort",
    "chat",
    "review",
    "look",
    "speak",
    "text",
    "mail",
    "fire",
    "drop",
    "pop",
    "ring",
    "forward",
    "pass",
    "flick",
    "drag",
    "whatsapp",
    "chuck",
    "sort",
    "grab",
    "revert",
    "confirm",
    "share",
    "try",
    "reach",
    "speak",
    "update",
    "write",
    "bring",
    "see",
    "just",
    "definitely",
    "probably",
    "also",
    "need",
    "dig",
    "knock",
    "stick",
    "whip",
    "pull",
    "chase",
    "throw",
    "bang",
    "go",
    "try",
    "look",
    "sit",
];

/// Expands contractions and colloquial forms into normalised words.
fn expand(w: &str, next: &str) -> Vec<String> {
    // "thats", "whats", "theres", "moneys": read as their "'s" forms are.
    if let Some(stem) = matches!(w, "thats" | "whats" | "theres" | "moneys")
        .then(|| w.strip_suffix('s'))
        .flatten()
    {
        return expand(&format!("{stem}'s"), next);
    }
    let fixed: &[&str] = match w {
        "won't" => &["will", "not"],
        "can't" | "cannot" => &["can", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        "lemme" => &["let", "me"],
        "gimme" => &["give", "me"],
        "kinda" => &["kind", "of"],
        "sorta" => &["sort", "of"],
        "dunno" => &["do", "not", "know"],
        "let's" | "lets" => &["let's"],
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "arent" => &["are", "not"],
        "wasnt" => &["was", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "wont" => &["will", "not"],
        "cant" => &["can", "not"],
        "couldnt" => &["could", "not"],
        "wouldnt" => &["would", "not"],
        "shouldnt" => &["should", "not"],
        "im" => &["i", "am"],
        "ive" => &["i", "have"],
        "youll" => &["you", "will"],
        "theyll" => &["they", "will"],
        "theyre" => &["they", "are"],
        "youre" => &["you", "are"],
        "weve" => &["we", "have"],
        "theyve" => &["they", "have"],
        "youve" => &["you", "have"],
        "ill" if ILL_NEXT.contains(&next) => &["i", "will"],
        "ll" => &["i", "will"],
        "hows" => &["how", "is"],
        "y'all" => &["you"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| (*s).to_string()).collect();
    }
    if !w.contains('\'') {
        return vec![w.to_string()];
    }
    let suffixes: [(&str, &str); 6] = [
        ("n't", "not"),
        ("'ll", "will"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'m", "am"),
        ("'d", "would"),
    ];
    for (suf, full) in suffixes {
        if let Some(stem) = w.strip_suffix(suf).filter(|s| !s.is_empty()) {
            return vec![stem.to_string(), full.to_string()];
        }
    }
    if let Some(stem) = w.strip_suffix("'s").filter(|s| !s.is_empty()) {
        let second = if !S_PRONOUNS.contains(&stem) {
            "'s"
        } else if HAS_NEXT.contains(&next) {
            "has"
        } else {
            "is"
        };
        return vec![stem.to_string(), second.to_string()];
    }
    vec![w.to_string()]
}

/// Drops fillers ("um", a comma-fenced "like", "you know", "I mean").
pub(super) fn remove_fillers(w: &mut Vec<Word>) {
    let mut keep = vec![true; w.len()];
    let mut last: Option<usize> = None;
    let mut i = 0;
    while i < w.len() {
        let t = w[i].t.as_str();
        let prev_comma = last.is_none_or(|p| w[p].comma);
        let prev = last.map_or("", |p| w[p].t.as_str());
        // A comma-fenced "like" ("is there, like, a spec?") but not "I'd like".
        // "we're keen like really keen": before an intensifier, as a
        // comma would have fenced it.
        let intensifier_next = matches!(
            w.get(i + 1).map(|x| x.t.as_str()),
            Some("really" | "totally" | "literally" | "seriously" | "genuinely" | "super" | "so")
        );
        let filler_like = t == "like"
            && (w[i].comma || i + 1 == w.len() || intensifier_next)
            && (prev_comma
                || !matches!(
                    prev,
                    "would" | "i" | "we" | "you" | "they" | "to" | "really" | "just" | "do" | "did"
                ));
        let you_know = t == "you"
            && w.get(i + 1).is_some_and(|n| n.t == "know")
            && (w[i + 1].comma || i + 2 == w.len() || (prev_comma && last.is_some()))
            && !matches!(prev, "do" | "did" | "would" | "if" | "let" | "will" | "to");
        let i_mean = t == "i" && w.get(i + 1).is_some_and(|n| n.t == "mean" && n.comma);
        // "Could you, I think, send…": an aside fenced by commas inside
        // the clause; the words either side join up again.
        let aside = match last {
            Some(p) if w[p].comma => parenthetical(w, i),
            _ => 0,
        };
        let drop_n = if w[i].cls & C_FILLER != 0 || filler_like {
            1
        } else if you_know || i_mean {
            2
        } else {
            aside
        };
        if drop_n == 0 {
            last = Some(i);
            i += 1;
        } else if aside > 0 && drop_n == aside {
            if let Some(p) = last {
                w[p].comma = false;
            }
            for k in keep.iter_mut().skip(i).take(drop_n) {
                *k = false;
            }
            i += drop_n;
        } else {
            let had_comma = w[i + drop_n - 1].comma;
            if let Some(p) = last {
                w[p].comma |= had_comma;
            }
            for k in keep.iter_mut().skip(i).take(drop_n) {
                *k = false;
            }
            i += drop_n;
        }
    }
    let mut k = 0;
    w.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// Asides a speaker drops into a clause between commas.
const ASIDES: &[&[&str]] = &[
    &["i", "think"],
    &["i", "guess"],
    &["i", "suppose"],
    &["i", "believe"],
    &["i", "would", "say"],
    &["as", "i", "said"],
    &["as", "i", "say"],
    &["as", "you", "know"],
    &["to", "be", "honest"],
    &["to", "be", "fair"],
    &["to", "be", "frank"],
    &["if", "you", "like"],
    &["so", "to", "speak"],
    &["of", "course"],
    &["you", "see"],
    &["mind", "you"],
    &["in", "fairness"],
    &["honestly"],
    &["frankly"],
    &["basically"],
    &["obviously"],
    &["personally"],
    &["realistically"],
    &["again"],
    &["say"],
];

/// The length of an aside at word `i` that a comma closes, if any.
fn parenthetical(w: &[Word], i: usize) -> usize {
    ASIDES
        .iter()
        .find(|a| {
            let n = a.len();
            i + n < w.len()
                && w[i + n - 1].comma
                && a.iter().enumerate().all(|(k, t)| w[i + k].t == *t)
        })
        .map_or(0, |a| a.len())
}

/// Collapses stuttered repeats: "i will i will send" → "i will send".
pub(super) fn collapse_repeats(w: &mut Vec<Word>) {
    // Each word is appended, then a block of one to three words that now
    // appears twice at the end loses its first copy; the work per word is
    // bounded, so this stays linear on long input.
    let mut out: Vec<Word> = Vec::with_capacity(w.len());
    for word in w.drain(..) {
        out.push(word);
        for n in (1..=3).rev() {
            let len = out.len();
            if len >= 2 * n && (0..n).all(|k| out[len - 2 * n + k].t == out[len - n + k].t) {
                out.drain(len - 2 * n..len - n);
                break;
            }
        }
    }
    *w = out;
}

pub(super) const SPELLINGS: &[(&str, &str)] = &[
    ("organise", "organize"),
    ("organised", "organized"),
    ("organising", "organizing"),
    ("prioritise", "prioritize"),
    ("prioritised", "prioritized"),
    ("deprioritise", "deprioritize"),
    ("deprioritised", "deprioritized"),
    ("finalise", "finalize"),
    ("finalised", "finalized"),
    ("diarise", "diarize"),
    ("authorise", "authorize"),
    ("authorised", "authorized"),
    ("trialled", "trialed"),
    ("trialling", "trialing"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("programme", "program"),
    ("analyse", "analyze"),
    ("centre", "center"),
    ("summarise", "summarize"),
    ("customise", "customize"),
    ("favour", "favor"),
    ("catalogue", "catalog"),
    ("socialise", "socialize"),
    ("socialising", "socializing"),
    ("socialised", "socialized"),
    ("ringfence", "ringfenced"),
    ("mins", "minutes"),
    ("min", "minutes"),
    ("hrs", "hours"),
    ("ok", "okay"),
    ("tmrw", "tomorrow"),
    ("thru", "through"),
    ("u", "you"),
    ("ur", "your"),
    // Heard for "price" by speech-to-text engines.
    ("prize", "price"),
    ("prizes", "prices"),
    ("purposal", "proposal"),
    ("purposals", "proposals"),
    ("weaks", "weeks"),
    ("thurs", "thursday"),
    ("tues", "tuesday"),
    ("weds", "wednesday"),
    ("arvo", "afternoon"),
    ("standardise", "standardize"),
    ("standardising", "standardizing"),
];

/// Pronouns whose "'s" is "is"/"has" rather than a possessive.
const S_PRONOUNS: &[&str] = &[
    "it",
    "that",
    "there",
    "what",
    "here",
    "he",
    "she",
    "who",
    "where",
    "how",
    "everything",
    "nothing",
    "something",
    "everyone",
    "anything",
    "this",
    "when",
    "why",
];

/// Words after which a pronoun's "'s" reads as "has".
const HAS_NEXT: &[&str] = &[
    "been", "got", "gone", "come", "had", "done", "taken", "made", "said", "slipped", "put",
    "already", "just", "never", "decided", "always",
];
