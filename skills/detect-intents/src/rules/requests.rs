//! `request:send_content` (prospect): questions, polite requests, wishes and
//! imperatives asking the rep to send or share content.

use super::clause::{Span, Unit};
use super::commitments::bump;
use super::lexicon::Lx;

/// Prospect asks the rep to send or share something.
pub(super) fn detect_request(u: &Unit) -> Option<f32> {
    if u.retracted || u.has(Lx::PastIntent) {
        return None;
    }
    let mut best: Option<f32> = None;
    let mut take = |c: Option<f32>| {
        if let Some(c) = c {
            bump(&mut best, c);
        }
    };
    for sp in u.hits(Lx::ReqQ) {
        // "…something you could send us?" only as a question.
        if u.word(sp.s) == "you" && !u.question {
            continue;
        }
        let conf = if u.word(sp.s) == "if" { 0.85 } else { 0.9 };
        take(request_verb_after(u, sp.s, sp.e, conf));
    }
    for sp in u.hits(Lx::ReqPlease) {
        take(request_verb_after(u, sp.s, sp.e, 0.9));
    }
    for sp in u.hits(Lx::ReqNeedYou) {
        take(request_verb_after(u, sp.s, sp.e, 0.85));
    }
    for sp in u.hits(Lx::ReqWish) {
        // "I'd like to understand the pricing model" asks to be told.
        let told = u.word(sp.e) == "to"
            && matches!(
                u.word(sp.e + 1),
                "understand"
                    | "know"
                    | "learn"
                    | "hear"
                    | "discuss"
                    | "talk"
                    | "ask"
                    | "clarify"
                    | "review"
                    | "go"
                    | "get"
            );
        if told {
            continue;
        }
        take(request_verb_after(u, sp.s, sp.e, 0.8));
        // "We'd like it sooner" wishes for a time, not a document.
        if named_content_after(u, sp.e, 6) && !u.negated(u.part_start(sp.s), sp.e + 6) {
            take(Some(0.75));
        }
    }
    for sp in u.hits(Lx::ReqMeHave) {
        // "is it possible to receive the English version of the spec".
        if content_after(u, sp.e, 7) && !meeting_object(u, sp.e) && !u.negated(sp.s, sp.e + 5) {
            take(Some(0.85));
        }
    }
    for sp in u.hits(Lx::ReqNeedIt) {
        // "we'd need to see some sort of written proposal".
        let content = named_content_after(u, sp.s, sp.e + 6 - sp.s);
        if content && !u.negated(u.part_start(sp.s), sp.e + 4) {
            take(Some(0.7));
        }
    }
    take(request_imperative(u));
    take(passive_request(u));
    best
}

/// "It would be appreciated if the price list could be emailed across":
/// the document as the subject of a passive send, asked for under "if" or
/// in a question (not yet the inverted "could the references be sent?").
fn passive_request(u: &Unit) -> Option<f32> {
    let n = u.len();
    (1..n.saturating_sub(2)).find_map(|k| {
        let sent = matches!(u.word(k), "could" | "can" | "would" | "might")
            && u.word(k + 1) == "be"
            && matches!(
                u.word(k + 2),
                "sent"
                    | "emailed"
                    | "shared"
                    | "forwarded"
                    | "provided"
                    | "supplied"
                    | "circulated"
            );
        let from = u.part_start(k).max(k.saturating_sub(10));
        let asked = u.question || (from..k).any(|j| u.word(j) == "if");
        let named = named_content_after(u, from, k - from);
        (sent && asked && named && !u.negated(from, k + 3) && !acknowledged(u, from)).then_some(0.8)
    })
}

/// "Thanks for sending…", "I've already got…" right before word `i` (or
/// at it), in the same comma part: what follows is not asked for.
fn acknowledged(u: &Unit, i: usize) -> bool {
    u.hits(Lx::Ack)
        .iter()
        .any(|a| u.part_start(a.s) == u.part_start(i) && a.s <= i && i <= a.e + 3)
}

/// Nouns that "drop/cut" lowers rather than sends ("drop the price").
const LOWERED: &[&str] = &[
    "price", "prices", "pricing", "cost", "costs", "fee", "fees", "rate",
];

/// A send verb for the rep within a few words after a request head
/// ("could you [please] send…", "would you mind sharing…").
fn request_verb_after(u: &Unit, head_s: usize, from: usize, conf: f32) -> Option<f32> {
    let n = u.len();
    let lim = (from + 5).min(n);
    if u.negated(u.part_start(head_s), lim) || acknowledged(u, head_s) {
        return None;
    }
    // "Would you prefer I send…": the sender is not the rep.
    let own = |v: &Span| {
        (from..v.s).any(|k| matches!(u.word(k), "i" | "we")) || not_content_object(u, v.e)
    };
    let mut got: Option<f32> = None;
    for v in u.hits_in(Lx::ReqVerb, from, lim) {
        if !meeting_object(u, v.e) && !own(v) {
            bump(&mut got, conf);
        }
    }
    for v in u.hits_in(Lx::ReqVerbLoose, from, lim) {
        let lowering = matches!(u.word(v.s), "drop" | "cut" | "knock")
            && (v.e..(v.e + 3).min(n)).any(|k| LOWERED.contains(&u.word(k)));
        if content_after(u, v.e, 6) && !meeting_object(u, v.e) && !own(v) && !lowering {
            bump(&mut got, conf - 0.05);
        }
    }
    got
}

/// Words that may follow an imperative send verb ("send me…", "fire it over").
const IMPERATIVE_OBJECTS: &[&str] = &[
    "me",
    "us",
    "it",
    "that",
    "them",
    "this",
    "those",
    "these",
    "over",
    "across",
    "through",
    "the",
    "a",
    "an",
    "your",
    "any",
    "some",
    "whatever",
    "everything",
    "anything",
    "along",
    "on",
];

/// An imperative opening the clause: "Send me whatever you've got",
/// "if so, fire it over" (but not "Shoot, I forgot").
fn request_imperative(u: &Unit) -> Option<f32> {
    // "If you've got the datasheet, send it our way": the imperative after
    // a condition that opens the clause.
    let after_if = (u.word(u.first) == "if")
        .then(|| (u.first..u.len()).find(|&k| u.w[k].comma).map(|k| k + 1))
        .flatten();
    [Some(u.first), after_if]
        .into_iter()
        .flatten()
        .find_map(|f| imperative_at(u, f))
}

/// [`request_imperative`] with the verb at word `f`.
fn imperative_at(u: &Unit, f: usize) -> Option<f32> {
    if u.question || f >= u.len() {
        return None;
    }
    let v = u.starts_at(Lx::ReqVerb, f)?;
    let objecty = IMPERATIVE_OBJECTS.contains(&u.word(f + 1)) || v.e > f + 1;
    let clean = !u.w[f].comma
        && !acknowledged(u, f)
        && !meeting_object(u, f + 1)
        && !not_content_object(u, v.e)
        && !u.negated(0, f + 1);
    (objecty && clean).then_some(0.85)
}

/// Objects of "share/send" that are not documents ("share your screen").
const NON_CONTENT_OBJECTS: &[&str] = &[
    "screen",
    "screens",
    "thoughts",
    "views",
    "view",
    "opinion",
    "opinions",
    "thinking",
    "perspective",
    "experience",
    "experiences",
    "regards",
    "love",
    "best",
    "apologies",
];

/// "share your screen", "send your thoughts": not a document.
fn not_content_object(u: &Unit, from: usize) -> bool {
    (from..(from + 3).min(u.len())).any(|k| NON_CONTENT_OBJECTS.contains(&u.word(k)))
}

/// A content noun within `max` words after `from`.
fn content_after(u: &Unit, from: usize, max: usize) -> bool {
    !u.hits_in(Lx::ContentNoun, from, (from + max).min(u.len()))
        .is_empty()
}

/// Stand-ins that [`content_after`] accepts after a send verb ("send it
/// over") but that name no document on their own.
const PRONOUNS: &[&str] = &[
    "it",
    "that",
    "them",
    "those",
    "one",
    "something",
    "anything",
    "whatever",
];

/// A content noun within `max` words after `from` that is not a stand-in.
fn named_content_after(u: &Unit, from: usize, max: usize) -> bool {
    u.hits_in(Lx::ContentNoun, from, (from + max).min(u.len()))
        .iter()
        .any(|sp| !(sp.e == sp.s + 1 && PRONOUNS.contains(&u.word(sp.s))))
}

/// The object right after a verb is an invite or time slots (a meeting
/// request, not content).
fn meeting_object(u: &Unit, from: usize) -> bool {
    !u.hits_in(Lx::MeetSendObj, from, (from + 4).min(u.len()))
        .is_empty()
}
