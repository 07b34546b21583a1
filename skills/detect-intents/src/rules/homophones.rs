//! Words a speech-to-text engine writes for others that sound the same
//! ("their is budget", "well need legal", "are cfo", "the bored"), put
//! back by their neighbours. Only readings the neighbours leave no doubt
//! about are changed; "prize" for "price" is a plain spelling (see
//! `tokenise::SPELLINGS`).

use super::tokenise::Word;

/// Words after which "their" can only be "there" ("their is", "the
/// budget's their but …", or at the end).
#[rustfmt::skip]
const AFTER_THERE: &[&str] = &[
    "is", "are", "was", "were", "will", "has", "have", "had", "would", "could", "should", "might",
    "may", "must", "but", "and", "so", "too", "yet", "anyway", "as", "already", "now", "though",
    "at",
];

/// Words after which "their" can only be "they are" ("their going to").
#[rustfmt::skip]
const AFTER_THEY_ARE: &[&str] = &[
    "going", "not", "happy", "keen", "ready", "fine", "looking", "expecting", "planning", "aware",
    "sure", "probably", "definitely", "currently", "very", "really", "pretty", "quite", "always",
    "still", "also",
];

/// Verbs and adverbs that follow "we'll": "well need", "well send".
#[rustfmt::skip]
const AFTER_WE_WILL: &[&str] = &[
    "need", "have", "send", "get", "be", "make", "take", "put", "let", "choose", "decide", "know",
    "see", "come", "give", "circle", "follow", "pick", "book", "set", "sort", "revert", "review",
    "sign", "probably", "definitely", "also", "still", "confirm", "share", "email", "ping", "loop",
    "bring", "run", "check", "talk", "speak", "meet", "chat", "reconvene", "regroup", "aim",
    "start", "move", "push", "pencil", "hold", "update", "turn", "finalize", "prepare", "draft",
    "revisit", "schedule", "arrange", "walk", "want", "go", "look", "do", "happily", "gladly", "close",
    "both", "all", "definitely", "likely",
];

/// Nouns that follow "our" far more than "are" ("are cfo", "are contract").
#[rustfmt::skip]
const OUR_NOUNS: &[&str] = &[
    "cfo", "ceo", "cto", "cio", "coo", "ciso", "md", "vp", "board", "legal", "procurement",
    "finance", "team", "teams", "boss", "manager", "director", "head", "founder", "cofounder", "co",
    "exec", "execs", "leadership", "management", "committee", "ops", "hr", "security",
    "engineering", "contract", "contracts", "budget", "budgets", "renewal", "current", "existing",
    "own", "vendor", "supplier", "provider", "system", "sales", "solutions", "company", "parent",
    "group", "site", "sites", "kickoff", "launch", "deadline", "priority", "plan", "plans",
    "fiscal", "financial", "new", "main", "biggest", "account", "accounts", "it", "compliance",
    "partners", "investors", "lawyers", "developers", "engineers", "data", "lead", "list", "hands", "aim", "goal", "target", "focus", "funding", "money", "spend", "cash", "grant", "grants",
];

/// Words that make "are" a verb whatever follows ("we are", "things are").
#[rustfmt::skip]
const ARE_SUBJECTS: &[&str] = &[
    "we", "you", "they", "these", "those", "there", "who", "which", "that", "what", "where", "how",
    "why", "when", "both", "all",
];

/// Words before "bored" that make it a noun ("the bored", "on bored").
#[rustfmt::skip]
const BEFORE_BOARD: &[&str] = &[
    "the", "our", "their", "your", "to", "on", "a", "this", "that", "whole", "full", "by", "at",
];

/// Words before "are" that make it "our": a verb never follows them.
#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &[
    "on", "in", "at", "with", "to", "for", "from", "of", "by", "about", "into", "onto", "through",
    "over", "under", "before", "after", "past", "than", "within", "without", "across",
];

/// Nouns after "you're" that make it "your" ("send it you're way").
#[rustfmt::skip]
const YOUR_NOUNS: &[&str] = &[
    "way", "team", "side", "end", "proposal", "quote", "pricing", "price", "prices", "deck",
    "offer", "slides", "product", "platform", "tool", "system", "company", "contract", "cfo",
    "legal", "boss", "manager", "colleague", "colleagues", "inbox", "email", "calendar", "diary",
    "website", "docs", "documentation", "case",
];

/// Words after "bored" that make it the board ("the trust bored will").
#[rustfmt::skip]
const AFTER_BOARD: &[&str] = &[
    "will", "would", "has", "meets", "meeting", "approval", "approve", "approves", "members",
    "needs", "decides", "votes", "level", "pack", "papers", "signs",
];

/// Words after "its" that make it "it is" ("its the top thing").
#[rustfmt::skip]
const AFTER_IT_IS: &[&str] = &[
    "the", "a", "an", "not", "going", "all", "just", "still", "really", "very", "too", "quite",
    "now", "already", "fine", "okay", "ok", "probably", "definitely", "never", "always", "only",
    "pretty", "our", "your", "their", "my", "what", "that", "this", "hard", "difficult", "tight",
    "on", "in", "at", "with", "for", "about", "over", "up",
];

/// Words after "weather" that make it "whether".
#[rustfmt::skip]
const AFTER_WHETHER: &[&str] = &[
    "or", "it", "we", "they", "you", "i", "the", "to", "that", "this", "there", "he", "she", "our",
];

/// Puts back homophones in one clause's normalised words.
pub(super) fn restore(w: &mut Vec<Word>) {
    let mut i = 0;
    while i < w.len() {
        let prev = i.checked_sub(1).map_or("", |k| w[k].t.as_str());
        let next = w.get(i + 1).map_or("", |x| x.t.as_str());
        let fix: Option<&[&str]> = match w[i].t.as_str() {
            "their" if next.is_empty() || AFTER_THERE.contains(&next) => Some(&["there"]),
            "their" if AFTER_THEY_ARE.contains(&next) => Some(&["they", "are"]),
            "well"
                if AFTER_WE_WILL.contains(&next)
                    && !matches!(
                        prev,
                        "as" | "very"
                            | "pretty"
                            | "so"
                            | "quite"
                            | "really"
                            | "too"
                            | "how"
                            | "just"
                    )
                    && !w[i].comma =>
            {
                Some(&["we", "will"])
            }
            "are"
                if PREPOSITIONS.contains(&prev)
                    || ((OUR_NOUNS.contains(&next)
                        || OUR_NOUNS.contains(&w.get(i + 2).map_or("", |x| x.t.as_str())))
                        && !ARE_SUBJECTS.contains(&prev)
                        && !prev.ends_with('s')
                        && !ARE_SUBJECTS.contains(&next)) =>
            {
                Some(&["our"])
            }
            // "by the end of cue two": a quarter.
            "cue" | "queue"
                if matches!(
                    next,
                    "one" | "two" | "three" | "four" | "1" | "2" | "3" | "4"
                ) =>
            {
                Some(&["q"])
            }
            "bored" if BEFORE_BOARD.contains(&prev) || AFTER_BOARD.contains(&next) => {
                Some(&["board"])
            }
            "its" if next == "been" => Some(&["it", "has"]),
            "its" if AFTER_IT_IS.contains(&next) => Some(&["it", "is"]),
            // "you're" was read as "you are"; before a noun it is "your".
            "you"
                if next == "are"
                    && w.get(i + 1).is_some_and(|x| x.start == w[i].start)
                    && YOUR_NOUNS.contains(&w.get(i + 2).map_or("", |x| x.t.as_str())) =>
            {
                w.remove(i + 1);
                Some(&["your"])
            }
            "weather" if AFTER_WHETHER.contains(&next) => Some(&["whether"]),
            // "going to by it": only a verb can follow "to" there.
            "by" if prev == "to"
                && matches!(
                    next,
                    "it" | "this" | "that" | "them" | "one" | "from" | "now"
                ) =>
            {
                Some(&["buy"])
            }
            "your" if matches!(next, "going" | "not" | "welcome" | "right") => {
                Some(&["you", "are"])
            }
            _ => None,
        };
        match fix {
            Some(words) => {
                let old = w.remove(i);
                for (j, t) in words.iter().enumerate() {
                    let last = j + 1 == words.len();
                    w.insert(i + j, Word::new(t, &old, j == 0, last));
                }
                i += words.len();
            }
            None => i += 1,
        }
    }
}

/// Words a speech-to-text engine splits or mishears as two, put back as
/// one reading: "to night", "after noon", "how bout", "q a", "all ready
/// said", "too other (vendors)", "shell want".
pub(super) fn join_split(w: &mut Vec<Word>) {
    let mut i = 0;
    while i + 1 < w.len() {
        let (a, b) = (w[i].t.clone(), w[i + 1].t.clone());
        let after = w.get(i + 2).map_or("", |x| x.t.as_str());
        let joined: Option<Vec<&str>> = match (a.as_str(), b.as_str()) {
            ("to", "night") => Some(vec!["tonight"]),
            ("to", "morrow") => Some(vec!["tomorrow"]),
            ("after", "noon") => Some(vec!["afternoon"]),
            ("pro", "posal") => Some(vec!["proposal"]),
            ("pro", "posals") => Some(vec!["proposals"]),
            ("work", "shop") => Some(vec!["workshop"]),
            ("in", "vite") => Some(vec!["invite"]),
            ("soft", "ware") => Some(vec!["software"]),
            ("club", "house") => Some(vec!["clubhouse"]),
            ("re", "vised") => Some(vec!["revised"]),
            ("how", "bout") => Some(vec!["how", "about"]),
            ("q", "a") if !matches!(after, "" | "few" | "lot" | "bit" | "call") => Some(vec!["qa"]),
            ("all", "ready")
                if after.ends_with("ed")
                    || matches!(
                        after,
                        "said" | "got" | "done" | "sent" | "told" | "have" | "has"
                    ) =>
            {
                Some(vec!["already"])
            }
            ("too", "other" | "more" | "different" | "separate") => Some(vec!["two", b.as_str()]),
            ("shell", "want" | "need" | "be" | "have" | "probably" | "definitely" | "get") => {
                Some(vec!["she", "will", b.as_str()])
            }
            _ => None,
        };
        match joined {
            Some(words) => {
                let first = w.remove(i);
                let second = w.remove(i);
                for (j, t) in words.iter().enumerate() {
                    let last = j + 1 == words.len();
                    let mut word = Word::new(t, &first, j == 0, last);
                    word.end = second.end;
                    word.comma = last && second.comma;
                    w.insert(i + j, word);
                }
                i += words.len();
            }
            None => i += 1,
        }
    }
}

/// With no subject before it, "were" is "we're": "were trialling…", "so
/// were down to three". Run after fillers and repeats are gone ("were um
/// were trialling").
pub(super) fn restore_were(w: &mut Vec<Word>) {
    let mut i = 0;
    while i < w.len() {
        let prev = i.checked_sub(1).map_or("", |k| w[k].t.as_str());
        let next = w.get(i + 1).map_or("", |x| x.t.as_str());
        let opens = matches!(
            prev,
            "" | "so"
                | "and"
                | "but"
                | "yeah"
                | "yes"
                | "now"
                | "because"
                | "cause"
                | "okay"
                | "ok"
                | "oh"
                | "actually"
                | "honestly"
                | "basically"
                | "right"
        );
        let verb_follows = next.ends_with("ing")
            || matches!(
                next,
                "going"
                    | "not"
                    | "still"
                    | "also"
                    | "currently"
                    | "just"
                    | "down"
                    | "on"
                    | "in"
                    | "definitely"
                    | "probably"
                    | "kind"
                    | "pretty"
                    | "really"
                    | "all"
                    | "both"
            );
        if w[i].t == "were" && opens && verb_follows {
            let old = w.remove(i);
            w.insert(i, Word::new("we", &old, true, false));
            w.insert(i + 1, Word::new("are", &old, false, true));
            i += 2;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::clause::analyse;

    fn words(text: &str) -> Vec<String> {
        analyse(text)
            .iter()
            .flat_map(|u| u.w.iter().map(|w| w.t.clone()))
            .collect()
    }

    #[test]
    fn homophones_are_put_back_by_their_neighbours() {
        assert_eq!(
            words("the budget's their but are cto needs to sign"),
            [
                "the", "budget", "'s", "there", "our", "cto", "needs", "to", "sign"
            ]
        );
        assert_eq!(
            words("well need the bored on bored"),
            ["we", "will", "need", "the", "board", "on", "board"]
        );
        assert_eq!(
            words("their going to send a prize list"),
            ["they", "are", "going", "to", "send", "a", "price", "list"]
        );
    }

    #[test]
    fn right_words_stay() {
        for (text, kept) in [
            ("their team will review it", "their"),
            ("we are legal", "are"),
            ("the numbers are finance's", "are"),
            ("i'm bored", "bored"),
            ("well we need it", "well"),
            ("oh well, send it anyway", "well"),
            ("as well need be", "well"),
            ("the weather was lovely", "weather"),
        ] {
            let got = words(text);
            assert!(got.iter().any(|w| w == kept), "{text}: {got:?}");
        }
    }
}
