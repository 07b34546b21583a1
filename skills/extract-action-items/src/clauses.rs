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

/// Verbs for what is done on the call itself (a demo, a screen share, a
/// topic to return to), unless a deadline says otherwise.
const IN_CALL: &[&str] = &[
    "show", "walk", "demo", "come", "go", "start", "recap", "talk",
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
    /// Done during the call itself ("let me show you", "I'll come back to
    /// that"): an action item only when a deadline puts it after the call.
    pub in_call: bool,
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
pub fn find(speaker: Speaker, clause: &str) -> Vec<Found> {
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
            return Vec::new();
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
        let original = original_words(clause, &w);
        return verb_runs(&w, v)
            .into_iter()
            .map(|(from, to)| Found {
                owner,
                kind,
                words: tidy(original[from..to].to_vec()),
                confidence,
                in_call: IN_CALL.contains(&w[from].as_str())
                    || (w[from] == "share" && w.get(from + 1).is_some_and(|x| x == "my")),
            })
            .collect();
    }
    Vec::new()
}

/// Split "send the deck and check the numbers" at each `and` (or `, then`)
/// followed by another action verb: the word ranges of each action.
fn verb_runs(w: &[String], v: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut from = v;
    let mut k = v + 1;
    while k < w.len() {
        if matches!(w[k].as_str(), "and" | "then") {
            let next = skip_fillers(w, k + 1);
            if next < w.len() && is_verb(w, next) && w[next] != "let" && w[next] != "have" {
                runs.push((from, k));
                from = next;
                k = next;
            }
        }
        k += 1;
    }
    runs.push((from, w.len()));
    runs
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

/// The clause's words as said (case kept), aligned with `lower`; falls back
/// to `lower` when a token could not be aligned.
fn original_words(clause: &str, lower: &[String]) -> Vec<String> {
    let original: Vec<String> = clause
        .split_whitespace()
        .map(|x| x.replace('\u{2019}', "'"))
        .filter(|x| x.chars().any(char::is_alphanumeric))
        .collect();
    // `words` drops only tokens with no letters or digits, so the two align.
    if original.len() == lower.len() {
        original
    } else {
        lower.to_vec()
    }
}

/// Drop the trailing punctuation of an action's last word.
fn tidy(mut words: Vec<String>) -> Vec<String> {
    if let Some(last) = words.last_mut() {
        *last = last
            .trim_end_matches(['.', '!', '?', ',', ';', ':'])
            .to_owned();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(speaker: Speaker, text: &str) -> Option<(Speaker, Kind, String)> {
        find(speaker, text)
            .first()
            .map(|f| (f.owner, f.kind, f.words.join(" ")))
    }

    #[test]
    fn joined_actions_split_and_in_call_ones_are_marked() {
        let found = find(
            Speaker::Prospect,
            "And I'll send the renewal numbers by Wednesday and check the HubSpot property.",
        );
        let lines: Vec<String> = found.iter().map(|f| f.words.join(" ")).collect();
        assert_eq!(
            lines,
            [
                "send the renewal numbers by Wednesday",
                "check the HubSpot property"
            ]
        );
        assert!(found.iter().all(|f| !f.in_call));
        let shown = find(
            Speaker::Rep,
            "Let me share my screen and show you the dashboard.",
        );
        assert_eq!(shown.len(), 2);
        assert!(shown.iter().all(|f| f.in_call));
        assert_eq!(
            find(Speaker::Rep, "I'll send the proposal and pricing.").len(),
            1,
            "`pricing` is no verb"
        );
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
