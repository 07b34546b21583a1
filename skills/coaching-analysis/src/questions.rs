//! Questions: which sentences are questions, open or closed, and whether a
//! rep's question is discovery (about the prospect's own situation).
//!
//! - A question is a sentence ending in `?`, or an imperative that asks for
//!   a story (`Tell me about…`, `Walk me through…`, `Help me understand…`).
//! - Open: its first clause that asks (after fillers such as `so`,
//!   `okay`, and lead-ins such as `To start,`) opens with what, how, why,
//!   who, where or when, or asks for a story (`tell me`, `walk me
//!   through`, `describe`, `explain`), also politely (`Can you tell me
//!   how…`, `Can I ask what…`). Closed: everything else — yes/no questions
//!   (`Do you…`, `Is that…`), either/or (`Which works better?`), statements
//!   with a question mark (`Sound familiar?`), small talk (`How are you?`).
//! - Discovery: about one of the [`Topic`]s (each a small list of cues
//!   below) and about their side, not the rep's: a question in the first
//!   person with no `you` (`Could I send…`, `…so we don't slow him down?`)
//!   is not discovery, nor is small talk.

use crate::cues::{Said, YOU};

use baton_sdk::coaching::Topic;

/// Question words that open a question (as stems).
const WH: &[&str] = &[
    "what", "whats", "how", "hows", "howd", "why", "who", "whos", "where", "wher", "when",
];

/// Verbs that ask for a story when the question leads with them or with a
/// polite `can you`.
const STORY: &[&str] = &[
    "tell me",
    "walk me",
    "talk me",
    "describe",
    "explain",
    "share",
    "help me understand",
    "elaborate",
    "give me a sense",
    "ask",
];

/// Cues of each discovery topic, most specific first: a question takes the
/// first topic it has a cue of.
const TOPICS: &[(Topic, &[&str])] = &[
    (
        Topic::Budget,
        &[
            "budget",
            "spend",
            "invest*",
            "afford",
            "allocat*",
            "price range",
            "pay for",
            "cost you",
        ],
    ),
    (
        Topic::Timeline,
        &[
            "timeline",
            "deadline",
            "by when",
            "how soon",
            "when do you need",
            "when would you",
            "when are you",
            "when does",
            "go live",
            "go-live",
            "start date",
            "urgen*",
            "timeframe",
            "time frame",
            "fiscal year",
            "in place by",
        ],
    ),
    (
        Topic::Stakeholders,
        &[
            "who else",
            "decision",
            "decide",
            "involved",
            "sign off",
            "sign-off",
            "approv*",
            "stakeholder",
            "buy-in",
            "buy in",
            "report to",
            "leadership",
            "procurement",
            "the board",
            "champion",
            "who would",
            "who will",
            "weigh in",
            "who own*",
            "stop you",
            "move ahead",
            "moving ahead",
            "move forward",
            "moving forward",
        ],
    ),
    (
        Topic::Pain,
        &[
            "challeng*",
            "problem",
            "pain",
            "struggl*",
            "frustrat*",
            "issue",
            "difficult",
            "hard",
            "slow",
            "bottleneck",
            "go wrong",
            "goes wrong",
            "fall through",
            "slip*",
            "keep you up",
            "worr*",
            "biggest",
            "hurt*",
            "broken",
            "break*",
            "missing",
            "worth",
        ],
    ),
    (
        Topic::Goals,
        &[
            "goal",
            "success",
            "succeed",
            "achiev*",
            "priorit*",
            "objective",
            "target",
            "hope",
            "hoping",
            "looking to",
            "trying to",
            "ideal",
            "outcome",
            "plan",
            "vision",
            "improv*",
            "look like",
            "change",
            "prompt*",
        ],
    ),
    (
        Topic::Process,
        &[
            "process",
            "workflow",
            "today",
            "currently",
            "current",
            "right now",
            "at the moment",
            "handle",
            "manag*",
            "tool",
            "use",
            "using",
            "stack",
            "crm",
            "system",
            "set up",
            "setup",
            "day to day",
            "how do you",
            "how does your",
            "how does the",
            "how is your",
            "how are your",
            "team",
            "how many",
            "how much",
            "how big",
            "pipeline",
            "track",
            "supposed to",
            "happen*",
        ],
    ),
];

/// A sentence read as a question.
pub struct Asked {
    pub open: bool,
    /// The topic when it is a discovery question.
    pub topic: Option<Topic>,
    /// It has a cue of [`Topic::Process`] (how they work today), whichever
    /// topic it was counted under.
    pub about_process: bool,
}

/// Whether `sentence` is a question.
pub fn is_question(sentence: &str, said: &Said) -> bool {
    sentence.trim_end().ends_with('?') || {
        let (i, _) = said.lead();
        let rest = Said::from_stems(&said.stems()[i..]);
        rest.starts_with_any(&["tell me", "walk me through", "help me understand"])
    }
}

/// Verbs that open a yes/no question (as stems).
const AUX: &[&str] = &[
    "is", "are", "was", "were", "am", "do", "doe", "did", "can", "could", "would", "will",
    "should", "shall", "have", "ha", "had", "may", "might", "isnt", "arent", "dont", "doesnt",
    "didnt", "cant", "wont", "wouldnt", "shouldnt", "any", "anything", "mind",
];

/// First-person words: a question with these and no second person is
/// about the rep's side (`Could I send…`, `so we don't slow him down?`).
const ME: &[&str] = &[
    "i", "im", "ill", "id", "ive", "we", "wed", "weve", "us", "our", "my",
];

/// Small talk that looks like a question (`How are you doing?`).
const SMALL_TALK: &[&str] = &[
    "how are you",
    "how is your day",
    "hows your day",
    "hows your week",
    "how is your week",
    "hows the week",
    "how was your",
    "hows it going",
    "how is it going",
    "can you hear me",
    "can you see",
];

/// What may follow a small-talk opener and keep it small talk (`How are
/// you doing today?`, not `How are you handling renewals today?`).
const SMALL_TALK_REST: &[&str] = &[
    "do",
    "doing",
    "today",
    "this",
    "morning",
    "afternoon",
    "week",
    "go",
    "going",
    "hold",
    "holding",
    "up",
    "treat",
    "treating",
    "the",
    "so",
    "far",
    "feel",
    "feeling",
    "me",
    "my",
    "screen",
    "ok",
    "okay",
    "now",
    "it",
    "going",
    "been",
    "there",
    "all",
    "right",
];

/// Whether a clause (its stems) asks openly, asks yes/no, or neither.
fn clause_kind(stems: &[String]) -> Option<bool> {
    let said = Said::from_stems(stems);
    let (i, lead) = said.lead();
    let lead = lead?;
    let rest = Said::from_stems(&stems[i..]);
    if WH.contains(&lead) || rest.starts_with_any(STORY) {
        return Some(true);
    }
    if AUX.contains(&lead) {
        // `Can you tell me how…`, `Can I ask what…`: a polite open question.
        let polite = rest.any(STORY)
            && (rest
                .stems()
                .iter()
                .skip(1)
                .any(|s| WH.contains(&s.as_str()))
                || rest.has("about"));
        return Some(polite);
    }
    None
}

/// `sentence` read as a question (call when [`is_question`]). Its clauses
/// (cut at commas and colons) are read in order; the first that opens
/// with a question word, a story verb or a yes/no verb says open or closed
/// (`To start, can you tell me about…` is open; `I have us down for an
/// hour, does that still work?` is closed); none of them: closed.
pub fn read(sentence: &str, said: &Said) -> Asked {
    let small_talk = SMALL_TALK.iter().any(|opener| {
        said.starts_with(opener).is_some_and(|n| {
            said.stems()[n..]
                .iter()
                .all(|s| SMALL_TALK_REST.contains(&s.as_str()) || YOU.contains(&s.as_str()))
        })
    });
    let open = !small_talk
        && sentence
            .split([',', ':', ';', '\u{2014}'])
            .find_map(|clause| clause_kind(Said::new(clause).stems()))
            .unwrap_or(false);
    let has = |words: &[&str]| said.stems().iter().any(|s| words.contains(&s.as_str()));
    let theirs = !small_talk && (has(YOU) || !has(ME));
    let cued = |t: Topic| {
        TOPICS
            .iter()
            .find(|(topic, _)| *topic == t)
            .is_some_and(|(_, cues)| said.any(cues))
    };
    let topic = TOPICS
        .iter()
        .find(|(_, cues)| said.any(cues))
        .map(|(t, _)| *t)
        .filter(|_| theirs);
    Asked {
        open,
        topic,
        about_process: theirs && cued(Topic::Process),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(s: &str) -> (bool, Option<Topic>) {
        let said = Said::new(s);
        assert!(is_question(s, &said), "{s}");
        let a = read(s, &said);
        (a.open, a.topic)
    }

    #[test]
    fn open_and_closed() {
        assert_eq!(
            ask("Could you walk me through how your team handles renewals today?"),
            (true, Some(Topic::Process))
        );
        assert_eq!(
            ask("Can I ask what you had budgeted?"),
            (true, Some(Topic::Budget))
        );
        assert_eq!(ask("Which works better?"), (false, None));
        assert_eq!(ask("Sound familiar?"), (false, None));
        assert_eq!(
            ask("Is now still a good time for our quick call?"),
            (false, None)
        );
        assert_eq!(
            ask("So who else would be involved in signing this off?"),
            (true, Some(Topic::Stakeholders))
        );
        assert_eq!(
            ask("Do you have a date you need this in place by?"),
            (false, Some(Topic::Timeline))
        );
        assert_eq!(
            ask("Tell me about the biggest headache in renewals."),
            (true, Some(Topic::Pain))
        );
        assert_eq!(ask("How are you doing?"), (false, None));
        assert_eq!(
            ask("Could I just send you some information?"),
            (false, None)
        );
        assert_eq!(
            ask("What does success look like for you this year?"),
            (true, Some(Topic::Goals))
        );
    }
}
