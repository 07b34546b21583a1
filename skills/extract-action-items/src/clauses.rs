//! Finding action items in one utterance: who takes on what.
//!
//! Three shapes make an action item, each on its own clause:
//! - a **commitment**: `I`/`we` + a future marker (`'ll`, `will`, `am going
//!   to`, `let me`, `I can`, `happy to`) + an action verb — owned by the
//!   speaker's side;
//! - a **request**: `can you` / `could you` / `please` + an action verb —
//!   owned by the other side;
//! - a **hand-off**: `you'll` / `you will` + an action verb — owned by the
//!   other side ("so you'll loop in your CFO").
//!
//! Negated, past and hypothetical clauses ("I won't", "I didn't", "I would
//! send it if…") are not action items; neither is chit-chat built on verbs
//! that promise nothing ("I'll be honest", "I'll tell you what").

use baton_sdk::meeting::Speaker;

/// Verbs that promise work someone can check off.
const ACTION_VERBS: &[&str] = &[
    "send",
    "share",
    "email",
    "forward",
    "follow",
    "circle",
    "get",
    "put",
    "prepare",
    "draft",
    "write",
    "set",
    "schedule",
    "book",
    "arrange",
    "organise",
    "organize",
    "invite",
    "loop",
    "bring",
    "introduce",
    "connect",
    "check",
    "confirm",
    "verify",
    "look",
    "review",
    "run",
    "talk",
    "speak",
    "ask",
    "reach",
    "call",
    "ping",
    "update",
    "finalise",
    "finalize",
    "sign",
    "walk",
    "demo",
    "show",
    "sort",
    "figure",
    "dig",
    "pull",
    "compile",
    "gather",
    "provide",
    "deliver",
    "test",
    "trial",
    "discuss",
    "raise",
    "escalate",
    "document",
    "map",
    "coordinate",
    "block",
    "hold",
    "reserve",
    "pencil",
    "submit",
    "approve",
    "process",
    "kick",
    "start",
    "give",
    "drop",
    "shoot",
    "have",
    "take",
    "touch",
    "let",
    "find",
    "grab",
    "come",
    "set up",
    "build",
    "create",
    "tee",
    "line",
    "chase",
    "nudge",
    "mail",
    "upload",
    "install",
    "clarify",
    "double-check",
    "investigate",
    "research",
    "put together",
    "pass",
    "run by",
];

/// Adverbs and softeners allowed between the future marker and the verb.
const FILLERS: &[&str] = &[
    "also",
    "just",
    "definitely",
    "then",
    "absolutely",
    "certainly",
    "quickly",
    "probably",
    "happily",
    "gladly",
    "go",
    "ahead",
    "and",
    "make",
    "sure",
    "to",
    "try",
    "be",
    "first",
    "personally",
    "both",
    "all",
    "still",
    "totally",
    "immediately",
    "right",
    "away",
    "actually",
    "need",
    "going",
    "gonna",
    "want",
    "will",
    "can",
    "get",
    "around",
];

/// Verbs that follow "I'll" without promising work.
const IDLE_AFTER: &[&str] = &[
    "be", "tell", "say", "admit", "bet", "guess", "see", "leave", "stop", "keep", "think",
    "remember", "take", "pass",
];

/// One action item as found in a clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub owner: Speaker,
    pub kind: Kind,
    /// The clause's words from the verb on, as said.
    pub words: Vec<String>,
    pub confidence: f32,
}

/// How the item was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Commitment,
    Request,
    Handoff,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Commitment => "commitment",
            Kind::Request => "request",
            Kind::Handoff => "handoff",
        }
    }
}

/// Lowercase words of a clause, punctuation stripped (apostrophes kept).
pub fn words(clause: &str) -> Vec<String> {
    clause
        .split_whitespace()
        .map(|w| {
            w.replace('\u{2019}', "'")
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .trim_matches('\'')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Split an utterance into clauses: sentences, then `, and` / `; ` joins.
pub fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end = matches!(c, '.' | '!' | '?' | ';')
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_verb(w: &[String], k: usize) -> bool {
    w.get(k).is_some_and(|v| ACTION_VERBS.contains(&v.as_str()))
}

/// Whether the word at `k` negates or puts the clause in the past.
fn negated(w: &[String], from: usize, to: usize) -> bool {
    w[from..to.min(w.len())].iter().any(|x| {
        matches!(
            x.as_str(),
            "not" | "never" | "won't" | "can't" | "cannot" | "don't" | "didn't" | "wouldn't"
        )
    })
}

/// Skip fillers from `k`; the index of the first other word.
fn skip_fillers(w: &[String], mut k: usize) -> usize {
    while k < w.len() && FILLERS.contains(&w[k].as_str()) && !is_verb_not_filler(w, k) {
        k += 1;
    }
    k
}

/// `get` is both a filler ("get it sent") and a verb ("get you the numbers").
fn is_verb_not_filler(w: &[String], k: usize) -> bool {
    w[k] == "get"
        && w.get(k + 1).is_some_and(|n| {
            matches!(
                n.as_str(),
                "you"
                    | "back"
                    | "that"
                    | "those"
                    | "the"
                    | "it"
                    | "them"
                    | "a"
                    | "an"
                    | "our"
                    | "your"
            )
        })
}

/// Action items in one clause said by `speaker`.
pub fn find(speaker: Speaker, clause: &str) -> Option<Found> {
    let w = words(clause);
    let question = clause.trim_end().ends_with('?');
    let conditional = w
        .first()
        .is_some_and(|f| matches!(f.as_str(), "if" | "unless" | "when"));
    for i in 0..w.len() {
        let (owner, kind, after, confidence) =
            match (w[i].as_str(), w.get(i + 1).map(String::as_str)) {
                ("i'll" | "we'll", _) => (speaker, Kind::Commitment, i + 1, 0.9),
                ("i" | "we", Some("will" | "shall")) => (speaker, Kind::Commitment, i + 2, 0.9),
                ("i'm" | "we're", Some("going" | "gonna" | "happy")) => {
                    (speaker, Kind::Commitment, i + 2, 0.85)
                }
                ("i" | "we", Some("can")) if !question => (speaker, Kind::Commitment, i + 2, 0.75),
                ("i'd" | "we'd", Some("be"))
                    if w.get(i + 2).is_some_and(|x| x == "happy" || x == "glad") =>
                {
                    (speaker, Kind::Commitment, i + 3, 0.75)
                }
                ("let", Some("me" | "us")) if i == 0 || w[i - 1] == "so" || w[i - 1] == "and" => {
                    (speaker, Kind::Commitment, i + 2, 0.8)
                }
                ("can" | "could" | "would" | "will", Some("you")) if question || i == 0 => {
                    (speaker.other(), Kind::Request, i + 2, 0.8)
                }
                ("please", _) if i == 0 || w[i - 1] == "so" => {
                    (speaker.other(), Kind::Request, i + 1, 0.8)
                }
                ("you'll", _) if !question => (speaker.other(), Kind::Handoff, i + 1, 0.7),
                ("you", Some("will")) if !question => (speaker.other(), Kind::Handoff, i + 2, 0.7),
                _ => continue,
            };
        if negated(&w, i, after + 1) || (question && kind == Kind::Commitment) {
            return None;
        }
        let v = skip_fillers(&w, after);
        if v >= w.len() || IDLE_AFTER.contains(&w[v].as_str()) && !promising_idle(&w, v) {
            continue;
        }
        if !is_verb(&w, v) {
            continue;
        }
        // "let me know" asks nothing of the speaker; it is the other side's item.
        if w[v] == "let" && w.get(v + 2).is_none_or(|x| x != "know") {
            continue;
        }
        let confidence = if conditional {
            confidence - 0.15
        } else {
            confidence
        };
        return Some(Found {
            owner,
            kind,
            words: clause_tail(clause, &w, v),
            confidence,
        });
    }
    None
}

/// "I'll take a look" and "I'll pass it on" promise work, unlike "I'll take it".
fn promising_idle(w: &[String], v: usize) -> bool {
    matches!(
        (
            w[v].as_str(),
            w.get(v + 1).map(String::as_str),
            w.get(v + 2).map(String::as_str)
        ),
        ("take", Some("a"), Some("look"))
            | ("pass", Some("it" | "that" | "this"), Some("on" | "along"))
    )
}

/// The clause's original words from word `v` on (case kept, end punctuation dropped).
fn clause_tail(clause: &str, lower: &[String], v: usize) -> Vec<String> {
    let original: Vec<String> = clause
        .split_whitespace()
        .map(|x| x.replace('\u{2019}', "'"))
        .filter(|x| x.chars().any(char::is_alphanumeric))
        .collect();
    // `words` drops only tokens with no letters or digits, so the two align.
    let start = v.min(original.len());
    let mut tail: Vec<String> = original[start..].to_vec();
    if tail.len() != lower.len() - v.min(lower.len()) {
        tail = lower[v..].to_vec();
    }
    if let Some(last) = tail.last_mut() {
        *last = last
            .trim_end_matches(['.', '!', '?', ',', ';', ':'])
            .to_owned();
    }
    tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(speaker: Speaker, text: &str) -> Option<(Speaker, Kind, String)> {
        find(speaker, text).map(|f| (f.owner, f.kind, f.words.join(" ")))
    }

    #[test]
    fn commitments_belong_to_the_speaker() {
        assert_eq!(
            item(
                Speaker::Rep,
                "I'll send you a proposal with pricing by Friday."
            ),
            Some((
                Speaker::Rep,
                Kind::Commitment,
                "send you a proposal with pricing by Friday".into()
            ))
        );
        assert_eq!(
            item(Speaker::Prospect, "I will run it by our CFO next week."),
            Some((
                Speaker::Prospect,
                Kind::Commitment,
                "run it by our CFO next week".into()
            ))
        );
        assert_eq!(
            item(Speaker::Rep, "Let me check with our solutions team."),
            Some((
                Speaker::Rep,
                Kind::Commitment,
                "check with our solutions team".into()
            ))
        );
        assert_eq!(
            item(Speaker::Rep, "I'm going to set up a sandbox for your team."),
            Some((
                Speaker::Rep,
                Kind::Commitment,
                "set up a sandbox for your team".into()
            ))
        );
    }

    #[test]
    fn requests_belong_to_the_other_side() {
        assert_eq!(
            item(
                Speaker::Prospect,
                "Could you send me the security questionnaire?"
            ),
            Some((
                Speaker::Rep,
                Kind::Request,
                "send me the security questionnaire".into()
            ))
        );
        assert_eq!(
            item(Speaker::Rep, "So you'll loop in your CFO."),
            Some((Speaker::Prospect, Kind::Handoff, "loop in your CFO".into()))
        );
    }

    #[test]
    fn idle_negated_and_question_clauses_are_not_items() {
        assert_eq!(
            item(Speaker::Rep, "I'll be honest, it's a big project."),
            None
        );
        assert_eq!(
            item(Speaker::Rep, "I won't send anything until you confirm."),
            None
        );
        assert_eq!(item(Speaker::Rep, "Should I send it to you?"), None);
        assert_eq!(item(Speaker::Prospect, "We sent the data last week."), None);
        assert_eq!(
            item(Speaker::Rep, "I'll tell you what we see elsewhere."),
            None
        );
        assert_eq!(item(Speaker::Prospect, "Can you believe it?"), None);
    }

    #[test]
    fn clauses_split_on_sentence_ends() {
        assert_eq!(
            clauses("Great. I'll send it over! Does Friday work? Yes"),
            vec!["Great.", "I'll send it over!", "Does Friday work?", "Yes"]
        );
        assert_eq!(clauses("v1.2 is out."), vec!["v1.2 is out."]);
    }
}
