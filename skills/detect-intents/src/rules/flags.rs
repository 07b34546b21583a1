//! Clause flags: negating words, the first content word, question form,
//! speculative or counterfactual conditionals, and retraction by the clause
//! that follows.

use super::clause::Unit;
use super::lexicon::Lx;
use super::split::Term;
use super::tokenise::Word;
use super::words::{C_DISCOURSE, C_FILLER, C_NEGATOR, C_QUESTION, C_WEEKDAY};

/// Positions of negating words, skipping idioms and an interjected "no,".
pub(super) fn find_negators(u: &Unit) -> Vec<usize> {
    let idioms = u.hits(Lx::NegIdiom);
    let masked = |i: usize| idioms.iter().any(|s| s.s <= i && i < s.e);
    (0..u.len())
        .filter(|&i| {
            let t = u.word(i);
            if u.w[i].cls & C_NEGATOR == 0 || masked(i) {
                return false;
            }
            if t == "no" {
                // "Yeah, no, we're keen": an interjection, not a negator;
                // so is "no" straight before a subject ("no we'll send it")
                // or an answer ("no problem" is an idiom).
                let interjection = u.w[i].comma
                    || i + 1 == u.len()
                    || (i > 0 && matches!(u.word(i - 1), "yeah" | "yes" | "oh" | "ah"))
                    || (i == u.first
                        && matches!(
                            u.word(i + 1),
                            "i" | "we" | "you" | "that" | "yeah" | "actually"
                        ));
                return !interjection;
            }
            true
        })
        .collect()
}

/// Index of the first word after discourse markers ("so", "okay", "to be honest").
pub(super) fn first_content(w: &[Word]) -> usize {
    let mut i = 0;
    while i < w.len() {
        let t = w[i].t.as_str();
        if w[i].cls & (C_DISCOURSE | C_FILLER) != 0 {
            i += 1;
        } else if matches!(t, "to" | "if" | "in")
            && matches!(
                w.get(i + 1).map(|x| x.t.as_str()),
                Some("be" | "so" | "that")
            )
        {
            // "to be honest", "if so", "in that case"; "to be honest with you"
            i += if t == "to" || t == "in" { 3 } else { 2 };
            if t == "to" && w.get(i).is_some_and(|x| x.t == "with") {
                i += 2;
            }
        } else if t == "if"
            && matches!(w.get(i + 1).map(|x| x.t.as_str()), Some("you"))
            && w.get(i + 2)
                .is_some_and(|x| x.t == "do" || (x.t == "have" && x.comma))
            && w.get(i + 3).is_some()
        {
            // "if you do, send it my way": the condition is an answer.
            i += 3;
        } else if t == "got" && w.get(i + 1).is_some_and(|x| x.t == "it") {
            i += 2;
        } else if t == "tell" && w.get(i + 1).is_some_and(|x| x.t == "you") {
            i += 3;
        } else {
            break;
        }
    }
    i.min(w.len())
}

/// Inverted or wh- questions, or a '?' clause that does not open with "I/we".
pub(super) fn is_question(u: &Unit) -> bool {
    let first = u.word(u.first);
    let wh = matches!(
        first,
        "what" | "when" | "where" | "who" | "how" | "why" | "which"
    );
    // "What I'll do is…" is a statement; "What do you…" is a question.
    let wh_statement = wh
        && matches!(
            u.word(u.first + 1),
            "i" | "we" | "you" | "they" | "he" | "she" | "our" | "my"
        );
    // "Any chance…?" asks; "Any new spend has to be justified" states.
    let any_statement = first == "any"
        && u.term != Term::Question
        && !matches!(
            u.word(u.first + 1),
            "chance"
                | "update"
                | "updates"
                | "idea"
                | "ideas"
                | "news"
                | "thoughts"
                | "luck"
                | "word"
                | "questions"
                | "feedback"
                | "progress"
                | "way"
                | "plans"
        );
    // "Will get back to you tomorrow.": a promise with its "I" left out.
    let elided = elided_subject(u) && u.term != Term::Question;
    if u.w.get(u.first).is_some_and(|w| w.cls & C_QUESTION != 0)
        && !wh_statement
        && !any_statement
        && !elided
    {
        return true;
    }
    // "Tomorrow I revert to you, can?": a promise with a tag asking assent.
    let dated = matches!(first, "tomorrow" | "today" | "tonight")
        || u.w.get(u.first).is_some_and(|w| w.cls & C_WEEKDAY != 0);
    let dated_promise = dated && matches!(u.word(u.first + 1), "i" | "we");
    u.term == Term::Question
        && !dated_promise
        && !matches!(first, "i" | "we" | "let's" | "let" | "my" | "our")
}

/// Words that follow an auxiliary as its subject ("will you…", "can
/// anyone…"): then the auxiliary asks rather than promises.
const AUX_SUBJECTS: &[&str] = &[
    "you", "we", "i", "they", "he", "she", "it", "there", "the", "a", "an", "this", "that",
    "anyone", "someone", "everyone", "somebody", "anybody", "your", "our", "my", "their", "his",
    "her", "these", "those", "all",
];

/// A clause that opens on "will", "should" or "can" and a verb, its "I"
/// left out as speakers do: "Will get back to you tomorrow", "Can send it
/// over tonight".
pub(super) fn elided_subject(u: &Unit) -> bool {
    let next = u.word(u.first + 1);
    matches!(u.word(u.first), "will" | "should" | "can")
        && !next.is_empty()
        && !AUX_SUBJECTS.contains(&next)
        && u.w.get(u.first + 1).is_some_and(|w| !w.cap)
}

/// A speculative or counterfactual "if" ("if you ever wanted…", "if we had
/// budget…"), or "in case". Softeners such as "if that helps" do not count.
pub(super) fn is_speculative(u: &Unit) -> bool {
    for i in 0..u.len() {
        let t = u.word(i);
        if t == "in" && u.word(i + 1) == "case" {
            return true;
        }
        if t != "if" {
            continue;
        }
        let window: Vec<&str> = (i + 1..(i + 6).min(u.len())).map(|k| u.word(k)).collect();
        if matches!(window.first(), Some(&("that" | "it")))
            && window
                .iter()
                .take(3)
                .any(|x| matches!(*x, "helps" | "help" | "helpful" | "useful" | "works"))
        {
            continue;
        }
        let spec = window.iter().enumerate().any(|(k, x)| {
            matches!(
                *x,
                "ever"
                    | "want"
                    | "wanted"
                    | "wants"
                    | "need"
                    | "needed"
                    | "interested"
                    | "interesting"
                    | "prefer"
                    | "decide"
                    | "decided"
                    | "choose"
                    | "helpful"
                    | "useful"
                    | "help"
            ) || (*x == "like" && k > 0)
                || (matches!(*x, "had" | "was" | "were") && (1..=2).contains(&k))
        });
        if spec {
            return true;
        }
    }
    false
}

/// "…, actually, no, don't worry" / "scratch that" retracts the clause before.
pub(super) fn is_retractor(u: &Unit, prev: &Unit) -> bool {
    let skip = (0..u.len())
        .find(|&k| !matches!(u.word(k), "oh" | "ah" | "sorry" | "hmm" | "um" | "uh"))
        .unwrap_or(0);
    let w0 = u.word(skip);
    let w1 = u.word(skip + 1);
    let w2 = u.word(skip + 2);
    let opener = match w0 {
        "actually" => {
            matches!(
                w1,
                "no" | "not" | "let's" | "hold" | "scratch" | "forget" | "never" | "wait" | "skip"
            ) || (w1 == "do" && w2 == "not")
                // "actually nah, forget it".
                || matches!(w1, "nah" | "nope") && matches!(w2, "forget" | "scratch" | "never" | "skip")
                || prev.has(Lx::PastIntent)
        }
        "scratch" | "scrap" | "forget" | "ignore" => matches!(w1, "that" | "it" | "this" | "me"),
        "never" => w1 == "mind",
        // "…budget for the robots last year, nothing to do with this".
        "nothing" => w1 == "to" && w2 == "do" && u.word(skip + 3) == "with",
        "unrelated" => true,
        "no" => {
            u.w.get(skip).is_some_and(|w| w.comma)
                && matches!(
                    w1,
                    "wait" | "actually" | "sorry" | "never" | "forget" | "scratch" | "it" | "that"
                )
                || w1 == "wait"
        }
        "on" => w1 == "second",
        "wait" | "hang" => matches!(w1, "no" | "on" | "actually"),
        _ => false,
    };
    opener || (prev.has(Lx::PastIntent) && u.has(Lx::Cancel))
}
