//! Objections the prospect raises and how the rep meets them.
//!
//! - An objection is a prospect's sentence with one of a kind's cues (a
//!   phrase that is an objection by itself, e.g. `not interested`, `too
//!   expensive`, `run it by my boss`), or, for price, a money word with a
//!   word of resistance in the same sentence (`the price is higher than we
//!   budgeted`), or, for authority, someone who holds the decision with a
//!   word of deciding (`our CFO signs anything over fifty thousand`). A
//!   sentence counts once, as the first kind it matches in the order
//!   competitor, authority, price, timing, need.
//! - The same kind raised again counts as the same objection until the rep
//!   has met it with evidence; after that it is a new one.
//! - Answered: the rep's reply (the rep's lines up to the prospect's next
//!   turn) acknowledges it (`I understand`, `fair`, `I appreciate`…),
//!   speaks to its subject, or brings evidence. A reply that talks past it
//!   is not an answer.
//! - With evidence: a statement (not a question) among the rep's next
//!   [`WINDOW`] lines, before the next objection, carries a figure (a
//!   number with `%`, a currency or a unit such as `days`, `reps`), a
//!   customer (`one of our clients`, `case study`) or a proof point
//!   (`pilot`, `ROI`, `benchmark`).

use crate::cues::Said;
use crate::transcript::{Line, sentences};
use baton_sdk::coaching::{Objection, ObjectionKind, quote};
use baton_sdk::meeting::Speaker;
use baton_sdk::numbers;

/// Rep lines after an objection in which evidence still counts as its answer.
const WINDOW: usize = 6;

/// Phrases that are an objection of the kind by themselves.
const KINDS: &[(ObjectionKind, &[&str])] = &[
    (
        ObjectionKind::Competitor,
        &[
            "already use",
            "already using",
            "already have a",
            "already work with",
            "already working with",
            "also looking at",
            "also talking to",
            "also evaluat*",
            "evaluating other",
            "other vendor",
            "other option",
            "other solution",
            "comparing",
            "trialling",
            "trialing",
            "competitor",
            "how does this compare",
            "how do you compare",
            "what makes you different",
            "how are you different",
            "went with",
            "cheaper option",
            "we use",
            "we're using",
            "we are using",
        ],
    ),
    (
        ObjectionKind::Authority,
        &[
            "run it by",
            "run this by",
            "not my decision",
            "not my call",
            "not up to me",
            "my boss",
            "need approval",
            "needs approval",
            "get approval",
            "get buy-in",
            "decision maker",
            "above my",
            "sign off on this",
        ],
    ),
    (
        ObjectionKind::Price,
        &[
            "too expensive",
            "expensive",
            "pricey",
            "too much",
            "can't afford",
            "cannot afford",
            "over budget",
            "out of our budget",
            "not in the budget",
            "don't have the budget",
            "no budget",
            "justify the cost",
            "justify the price",
            "justify the spend",
            "careful with spend",
            "cheaper",
            "price is",
            "pricing is",
            "quote came in",
        ],
    ),
    (
        ObjectionKind::Timing,
        &[
            "not a good time",
            "bad time",
            "wrong time",
            "not right now",
            "not now",
            "maybe next quarter",
            "maybe next year",
            "until next quarter",
            "until next year",
            "wait until",
            "not until",
            "push this to",
            "push it to",
            "not this quarter",
            "not this year",
            "later this year",
            "too busy",
            "i don't have time",
            "we don't have time",
            "don't have time for this",
            "no time for this",
            "bandwidth",
            "not a priority right now",
            "revisit",
            "circle back",
            "down the road",
            "in a few months",
            "timing isn't",
            "timing is not",
            "not the right time",
        ],
    ),
    (
        ObjectionKind::Need,
        &[
            "not interested",
            "not really interested",
            "don't need",
            "do not need",
            "no need",
            "don't see the need",
            "don't see the value",
            "not a priority",
            "we're fine",
            "we are fine",
            "works fine",
            "working fine",
            "happy with what we have",
            "happy with our",
            "not a problem for us",
            "doesn't apply",
            "not relevant",
            "take me off",
        ],
    ),
];

/// Who holds a decision, and deciding: together, an authority objection
/// (`our CFO signs anything over 50k`, `legal has to approve it`).
const HOLDER: &[&str] = &[
    "boss",
    "manager",
    "cfo",
    "ceo",
    "cto",
    "cio",
    "coo",
    "vp",
    "director",
    "board",
    "procurement",
    "legal",
    "finance",
    "leadership",
    "partner",
    "founder",
    "committee",
    "head of",
];
const DECIDE: &[&str] = &[
    "sign*",
    "approv*",
    "decide",
    "decision",
    "check with",
    "run it by",
    "talk to",
    "loop in",
    "buy-in",
    "final say",
    "veto",
];

/// Money words and resistance words: together, a price objection.
const MONEY: &[&str] = &[
    "price", "pricing", "cost", "budget", "spend", "invest*", "fee",
];
const RESIST: &[&str] = &[
    "too",
    "higher",
    "more than",
    "over",
    "can't",
    "cannot",
    "don't",
    "not",
    "justify",
    "steep",
    "tight",
    "careful",
    "cut",
];

/// Words of a reply that speak to each kind.
fn subject(kind: ObjectionKind) -> &'static [&'static str] {
    match kind {
        ObjectionKind::Price => &[
            "price", "pricing", "cost", "invest*", "budget", "roi", "return", "value", "pay",
        ],
        ObjectionKind::Timing => &["time", "timing", "quick", "minute", "later", "when", "busy"],
        ObjectionKind::Competitor => &[
            "compar*",
            "different",
            "differ*",
            "unlike",
            "versus",
            "vs",
            "switch*",
            "alongside",
        ],
        ObjectionKind::Authority => &[
            "who", "decision", "loop", "includ*", "bring", "boss", "approv*", "sign",
        ],
        ObjectionKind::Need => &["need", "value", "why", "problem", "priorit*"],
    }
}

/// Acknowledgements: the rep heard it.
pub const ACK: &[&str] = &[
    "understand",
    "understood",
    "agreed",
    "fair",
    "appreciate",
    "makes sense",
    "hear you",
    "good point",
    "great question",
    "good question",
    "totally",
    "i get",
    "get that",
    "of course",
    "valid",
    "no problem",
    "respect",
];

/// Customers and proof points.
const PROOF: &[&str] = &[
    "case study",
    "one of our client",
    "one of our customer",
    "our customers",
    "our clients",
    "a customer",
    "a client",
    "for example",
    "for instance",
    "reference",
    "testimonial",
    "pilot",
    "proof of concept",
    "roi",
    "benchmark",
    "guarantee",
    "data show*",
    "on average",
    "average customer",
];

/// Words after a number that make it a figure.
const UNITS: &[&str] = &[
    "day", "week", "month", "year", "hour", "minute", "rep", "customer", "client", "compan*",
    "user", "team", "deal", "seat", "x", "time", "point", "percent", "million", "thousand",
];

/// The figure, customer or proof point in a statement, if any.
pub fn is_evidence(sentence: &str) -> bool {
    if sentence.trim_end().ends_with('?') {
        return false;
    }
    let said = Said::new(sentence);
    if said.any(PROOF) {
        return true;
    }
    let words = numbers::words(sentence);
    numbers::numbers_in(&words).iter().any(|n| {
        n.percent
            || n.currency_sign.is_some()
            // `one minute` is not a figure; `32 days` is.
            || n.value > 1.0 && words.get(n.end).is_some_and(|w| {
                let next = Said::new(w);
                next.any(UNITS)
            })
    })
}

/// The kind of objection `sentence` raises, if any.
pub fn kind(sentence: &str) -> Option<ObjectionKind> {
    let said = Said::new(sentence);
    KINDS
        .iter()
        .find(|(_, cues)| said.any(cues))
        .map(|(k, _)| *k)
        .or_else(|| (said.any(HOLDER) && said.any(DECIDE)).then_some(ObjectionKind::Authority))
        .or_else(|| (said.any(MONEY) && said.any(RESIST)).then_some(ObjectionKind::Price))
}

/// Every objection in `lines`, with how the rep met it.
pub fn objections(lines: &[Line]) -> Vec<Objection> {
    // Each objection found, with the line its evidence came from (if any).
    let mut found: Vec<(usize, Objection, Option<usize>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.side != Speaker::Prospect {
            continue;
        }
        for s in sentences(&line.text) {
            let Some(k) = kind(s) else { continue };
            // Raised again before it was met with evidence: the same one.
            let open = found
                .iter()
                .rev()
                .find(|(_, o, _)| o.kind == k)
                .is_some_and(|(_, _, met)| met.is_none_or(|m| m > i));
            if open {
                continue;
            }
            let met = evidence_line(lines, i).map(|(j, _)| j);
            found.push((i, meet(lines, i, k, s), met));
        }
    }
    // Evidence after a later objection answers that one, not this one.
    let starts: Vec<usize> = found.iter().map(|(i, _, _)| *i).collect();
    found
        .into_iter()
        .enumerate()
        .map(|(n, (i, mut o, met))| {
            let next = starts.get(n + 1).copied().filter(|&s| s > i);
            if let (Some(m), Some(next)) = (met, next)
                && m > next
            {
                o.with_evidence = false;
                if o.answered {
                    o.answer_quote = reply(lines, i).map(|(_, s)| quote(s));
                } else {
                    o.answer_quote = None;
                }
            }
            o
        })
        .collect()
}

/// The first rep line after `i` and its first sentence.
fn reply(lines: &[Line], i: usize) -> Option<(usize, &str)> {
    let j = i + 1 + lines[i + 1..].iter().position(|l| l.side == Speaker::Rep)?;
    Some((j, sentences(&lines[j].text).first().copied()?))
}

/// The rep's first statement with evidence in the [`WINDOW`] after `i`.
fn evidence_line(lines: &[Line], i: usize) -> Option<(usize, &str)> {
    lines
        .iter()
        .enumerate()
        .skip(i + 1)
        .filter(|(_, l)| l.side == Speaker::Rep)
        .take(WINDOW)
        .find_map(|(j, l)| {
            sentences(&l.text)
                .into_iter()
                .find(|s| is_evidence(s))
                .map(|s| (j, s))
        })
}

/// The objection of kind `k` raised in sentence `s` of line `i`, met or not.
fn meet(lines: &[Line], i: usize, k: ObjectionKind, s: &str) -> Objection {
    // The reply: the rep's lines up to the prospect's next turn.
    let first_rep = lines[i + 1..]
        .iter()
        .position(|l| l.side == Speaker::Rep)
        .map(|p| i + 1 + p);
    let reply_text: String = first_rep
        .map(|j| {
            lines[j..]
                .iter()
                .take_while(|l| l.side == Speaker::Rep)
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let said = Said::new(&reply_text);
    let evidence = evidence_line(lines, i);
    let answered = !reply_text.is_empty()
        && (said.any(ACK)
            || said.any(subject(k))
            || sentences(&reply_text).into_iter().any(is_evidence));
    let answer_quote = match evidence {
        Some((_, e)) => Some(quote(e)),
        None if answered => reply(lines, i).map(|(_, s)| quote(s)),
        None => None,
    };
    Objection {
        kind: k,
        at_ms: lines[i].at_ms,
        quote: quote(s),
        answered: answered || evidence.is_some(),
        with_evidence: evidence.is_some(),
        answer_quote,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_objection() {
        let k = |s| kind(s);
        assert_eq!(
            k("I've got to be honest—the price is higher than what we budgeted for."),
            Some(ObjectionKind::Price)
        );
        assert_eq!(k("I'm not really interested."), Some(ObjectionKind::Need));
        assert_eq!(
            k("I really don't have time for this."),
            Some(ObjectionKind::Timing)
        );
        assert_eq!(
            k("We're also trialling Renewly at the moment."),
            Some(ObjectionKind::Competitor)
        );
        assert_eq!(
            k("I'd need to run it by our CFO first."),
            Some(ObjectionKind::Authority)
        );
        assert_eq!(k("What does the pricing look like?"), None);
        assert_eq!(k("We have forty people on the team."), None);
    }

    #[test]
    fn evidence_is_a_figure_a_customer_or_a_proof_point() {
        assert!(is_evidence(
            "One of our clients kept their cycle at 32 days."
        ));
        assert!(is_evidence("So that's $27 million in total revenue."));
        assert!(is_evidence("Our average customer sees 20-30% improvement."));
        assert!(is_evidence("Let's do a 90-day pilot with 10 of your reps."));
        assert!(!is_evidence(
            "We're best-in-class and can deliver game-changing results."
        ));
        assert!(!is_evidence(
            "What were you planning to get for that $50-60K?"
        ));
        assert!(!is_evidence("Give me one minute"));
    }
}
