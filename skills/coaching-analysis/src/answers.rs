//! The prospect's questions and when the rep took each up.
//!
//! The rule: a prospect's questions (sentences ending in `?`, three words
//! or more; those of one line go together, `What about the tasks? Do they
//! land in HubSpot?`) are taken up by the rep's next turn, unless that turn
//! talks past them: it neither acknowledges nor answers in its first
//! sentence (`yes`, `sure`, `fair`, `good question`…), shares no content
//! word with them, and carries on with what the rep was doing (`So…`,
//! `And…`, `Here…`, `Let me show…`, `Moving on…`). A question with no
//! content words of its own (`How'd they do that?`) is about what was just
//! said, and the next turn takes it up.
//!
//! A question talked past is taken up by the first later rep line that
//! shares a content word with it, or never. It is listed as unanswered
//! when never taken up, or taken up more than `after_ms` after it was asked
//! (with timestamps; without them, only never).

use crate::cues::{Said, content};
use crate::questions::is_question;
use crate::transcript::{Line, sentences};
use baton_sdk::coaching::{UnansweredQuestion, quote};
use baton_sdk::meeting::Speaker;

/// How a reply that carries on past a question opens.
const CARRY_ON: &[&str] = &[
    "so",
    "and",
    "anyway",
    "moving on",
    "as i was saying",
    "back to",
    "let me show",
    "let me pull",
    "let me go",
    "here",
    "next",
    "now",
    "also",
    "if you look",
];

/// Words in a reply's first sentence that answer or acknowledge.
const ANSWER_OPENERS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "yup",
    "no",
    "nope",
    "sure",
    "absolutely",
    "definitely",
    "of course",
    "good question",
    "great question",
    "fair",
    "it's",
    "it is",
    "we do",
    "we don't",
    "we can",
    "it does",
    "that's right",
    "correct",
    "exactly",
    "they do",
    "they don't",
    "they can",
    "it can",
    "it will",
    "we will",
    "you can",
    "not yet",
];

/// When the rep took up the questions of line `i` (their content stems:
/// `words`): the line index, or `None` when never. `said[j]` holds line `j`'s content stems.
fn taken_up(lines: &[Line], said: &[Vec<String>], i: usize, words: &[&str]) -> Option<usize> {
    let shares = |j: usize| said[j].iter().any(|w| words.contains(&w.as_str()));
    let next = i + 1 + lines[i + 1..].iter().position(|l| l.side == Speaker::Rep)?;
    let turn = lines[next..]
        .iter()
        .take_while(|l| l.side == Speaker::Rep)
        .count();
    let first = sentences(&lines[next].text)
        .first()
        .map(|s| Said::new(s))
        .unwrap_or_else(|| Said::new(""));
    let answers = first.starts_with_any(ANSWER_OPENERS) || first.any(crate::objections::ACK);
    let carries_on = first.starts_with_any(CARRY_ON);
    if answers || words.is_empty() || (next..next + turn).any(shares) || !carries_on {
        return Some(next);
    }
    (next..lines.len()).find(|&j| lines[j].side == Speaker::Rep && shares(j))
}

/// The prospect's questions not taken up within `after_ms`.
pub fn unanswered(lines: &[Line], after_ms: i64) -> Vec<UnansweredQuestion> {
    let said: Vec<Vec<String>> = lines
        .iter()
        .map(|l| match l.side {
            Speaker::Rep => content(&Said::new(&l.text))
                .into_iter()
                .map(str::to_owned)
                .collect(),
            Speaker::Prospect => Vec::new(),
        })
        .collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.side != Speaker::Prospect {
            continue;
        }
        let asked: Vec<(&str, Said)> = sentences(&l.text)
            .into_iter()
            .map(|s| (s, Said::new(s)))
            .filter(|(s, said)| s.ends_with('?') && said.stems().len() >= 3 && is_question(s, said))
            .collect();
        if asked.is_empty() {
            continue;
        }
        let words: Vec<&str> = asked.iter().flat_map(|(_, said)| content(said)).collect();
        let answer = taken_up(lines, &said, i, &words);
        let answered_at_ms = answer.and_then(|j| lines[j].at_ms);
        let late = match (l.at_ms, answered_at_ms) {
            (Some(a), Some(b)) => b - a > after_ms,
            _ => false,
        };
        if answer.is_none() || late {
            let text: Vec<&str> = asked.iter().map(|(s, _)| *s).collect();
            out.push(UnansweredQuestion {
                at_ms: l.at_ms,
                quote: quote(&text.join(" ")),
                answered_at_ms,
            });
        }
    }
    out
}
