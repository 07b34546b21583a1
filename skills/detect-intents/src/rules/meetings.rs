//! `commitment:schedule_meeting` (either side): time-proposing questions,
//! the heads that can introduce a meeting, and the verbs and nouns that
//! complete one.

use super::Speaker;
use super::clause::{Span, Unit};
use super::commitments::{HeadKind, bump, commitment_heads, present_heads};
use super::lexicon::Lx;
use super::time::TimeKind;

/// Either side proposes, asks for or commits to a future meeting.
pub(super) fn detect_meeting(u: &Unit, speaker: Speaker) -> Option<f32> {
    let blocked = u.retracted
        || u.speculative
        || u.has(Lx::PastIntent)
        || u.has(Lx::Habit)
        || u.has(Lx::Cancel)
        || u.only_vague_time();
    if blocked {
        return None;
    }
    let mut best = meeting_question(u).or_else(|| slot_accepted(u));
    for h in meeting_heads(u, speaker) {
        if let Some(c) = meeting_after_head(u, &h, speaker) {
            bump(&mut best, c);
        }
    }
    best
}

/// Questions that propose a time: "does the ninth work for you?", "how about
/// Tuesday?", "are you free Thursday for a catch-up?".
fn meeting_question(u: &Unit) -> Option<f32> {
    if !u.question {
        return None;
    }
    let n = u.len();
    let mut best = None;
    // "Is now still a good time for our call?" is about this one.
    let now = (0..n).any(|k| u.word(k) == "now");
    for sp in u.hits(Lx::FreeQ) {
        let has_time = u.concrete_times().any(|t| t.s >= sp.s && t.s <= sp.e + 6);
        let noun = !u.hits_in(Lx::MeetNoun, sp.s, (sp.e + 8).min(n)).is_empty();
        // "When are you free?" asks for a slot on its own.
        let when = matches!(u.word(sp.s), "when" | "what") && sp.e >= n.saturating_sub(1);
        // "Can I get back to you…" promises an answer, not a call.
        let back = u.word(sp.e) == "back";
        // "Can I get the quote by Friday?" asks for a document by a date.
        let document = !noun
            && !u
                .hits_in(Lx::ContentNoun, sp.e, (sp.e + 4).min(n))
                .is_empty();
        // "Is 11 AM okay for you?" names a time; "is it okay for your
        // presentation?" asks about this one.
        let okay = matches!(
            u.word(sp.e.saturating_sub(1)),
            "okay" | "ok" | "fine" | "convenient"
        );
        let asks = (has_time && !document) || (noun && !now && !okay) || when;
        if asks && !back && !u.negated(sp.s, sp.e) {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::ProposeQ) {
        let what_about = matches!(u.word(sp.s), "how" | "what");
        let time_next = u.concrete_times().any(|t| t.s >= sp.e && t.s <= sp.e + 2);
        // "shall we say Thursday, same time?"
        let say =
            u.word(sp.e) == "say" && u.concrete_times().any(|t| t.s > sp.e && t.s <= sp.e + 3);
        if (what_about && time_next) || say {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// A slot proposed to one's side accepted: "Friday at two works for the
/// call", "Tuesday suits me". A day or date, then (within three words)
/// "works", "suits" or "is good/fine", ending the clause or followed by
/// "for" me, us or a meeting. A bare availability ("mornings are tough
/// for me") names no day and is left out.
fn slot_accepted(u: &Unit) -> Option<f32> {
    if u.question || u.is_past() {
        return None;
    }
    let n = u.len();
    for t in u
        .concrete_times()
        .filter(|t| t.kind == TimeKind::Day && !t.past)
    {
        let Some(k) = (t.e..(t.e + 4).min(n)).find(|&k| {
            matches!(u.word(k), "works" | "suits" | "work" | "suit")
                || (matches!(u.word(k), "is" | "'s")
                    && matches!(
                        u.word(k + 1),
                        "good" | "fine" | "perfect" | "great" | "better" | "best"
                    ))
        }) else {
            continue;
        };
        let k = if matches!(u.word(k), "is" | "'s") {
            k + 1
        } else {
            k
        };
        let after = u.word(k + 1);
        let for_us = after.is_empty()
            || matches!(after, "me" | "us" | "perfectly" | "great" | "well")
            || (after == "for"
                && (matches!(u.word(k + 2), "me" | "us" | "everyone" | "both")
                    || has_meet_noun(u, k + 2, (k + 5).min(n))));
        if for_us && !u.negated(t.s, k + 1) {
            return Some(0.8);
        }
    }
    // "Let's do Tuesday then", "we could do Thursday at ten", "talk
    // Friday": a day named as the meeting.
    let f = u.first;
    let opener = match (u.word(f), u.word(f + 1), u.word(f + 2)) {
        ("let's", "do" | "say", _) => Some(f + 2),
        ("we" | "i", "could" | "can", "do") => Some(f + 3),
        ("talk" | "speak" | "chat", _, _) => Some(f + 1),
        _ => None,
    };
    // The day, then nothing but "then", a clock time or the meeting
    // ("…for the go-live" would be a date for something else).
    let named_day = |at: usize| {
        let at = if u.word(at) == "on" { at + 1 } else { at };
        u.concrete_times().any(|t| {
            let after = u.word(t.e);
            let rest_ok = after.is_empty()
                || matches!(after, "then" | "at" | "if" | "works" | "instead" | "again")
                || (after == "for" && has_meet_noun(u, t.e + 1, (t.e + 4).min(n)));
            t.s == at && t.kind == TimeKind::Day && !t.past && rest_ok
        })
    };
    opener.filter(|&at| named_day(at)).map(|_| 0.8)
}

/// Words after "meet"/"catch up" that make it an idiom ("meet halfway",
/// "meet your needs").
const MEET_IDIOM_NEXT: &[&str] = &[
    "halfway",
    "your",
    "our",
    "their",
    "requirements",
    "needs",
    "deadline",
    "deadlines",
    "criteria",
    "target",
    "targets",
    "expectations",
    "demand",
    "standards",
];

/// A meeting proposed or promised after one head ("let's", "I'll", "can we").
fn meeting_after_head(u: &Unit, h: &MeetHead, speaker: Speaker) -> Option<f32> {
    let n = u.len();
    let timed = u.has_future_time();
    let lim = clause_limit(u, h.e, (h.e + 14).min(n));
    if u.negated(u.part_start(h.s), lim.min(h.e + 6)) {
        return None;
    }
    let mut conf: Option<f32> = None;
    // "send over a few slots", "I'll send you an invite".
    for v in u.hits_in(Lx::Delivery, h.s, lim) {
        if !u.hits_in(Lx::MeetSendObj, v.e, (v.e + 6).min(n)).is_empty() {
            bump(&mut conf, 0.9);
        }
    }
    // "book a follow-up", "set up a call".
    for v in u.hits_in(Lx::SchedVerb, h.s, lim) {
        if has_meet_noun(u, v.s.saturating_sub(5), (v.e + 6).min(n)) {
            bump(&mut conf, 0.9);
        }
    }
    // "stick something in the diary", "find time".
    if !u.hits_in(Lx::SchedSelf, h.s, lim).is_empty() {
        bump(&mut conf, 0.85);
    }
    // "let's do another session", "could we get a quick call".
    for v in u.hits_in(Lx::MeetGeneric, h.s, lim) {
        // "ask our CTO to join the next call" brings someone along.
        let joins = u.word(v.s) == "join" && !matches!(h.kind, MHead::YouQ | MHead::WeQ);
        if !joins && has_meet_noun(u, v.e, (v.e + 5).min(n)) {
            bump(&mut conf, 0.85);
        }
    }
    // "we'd love a demo next week".
    let wants_noun = h.kind == MHead::Want
        && matches!(
            u.word(h.e.saturating_sub(1)),
            "a" | "an" | "another" | "some"
        );
    if wants_noun && has_meet_noun(u, h.e, (h.e + 3).min(n)) {
        bump(&mut conf, 0.8);
    }
    let first_person = h.kind == MHead::Commit;
    // "let's reconvene", "shall we touch base" (not "catch up on the backlog").
    for v in u.hits_in(Lx::MeetVerbStrong, h.e, lim) {
        let after = u.word(v.e);
        let idiom = MEET_IDIOM_NEXT.contains(&after)
            || (matches!(after, "on" | "with" | "about") && !timed);
        if !idiom && (!first_person || timed) {
            bump(&mut conf, 0.85);
        }
    }
    // "let's talk next week" (but not "let me chat with the team").
    let plural = h.kind == MHead::WeQ
        || (h.kind == MHead::Let && u.word(h.s) == "let's")
        || (h.kind == MHead::Want && u.word(h.s) == "we");
    for v in u.hits_in(Lx::MeetVerbWeak, h.e, lim) {
        let third_party = matches!(u.word(v.e), "with" | "to") && u.word(v.e + 1) != "you";
        if plural && timed && !third_party {
            bump(&mut conf, 0.8);
        }
    }
    // "get our CFO and finance lead on a call with you".
    for v in u.hits_in(Lx::MeetGeneric, h.s, lim) {
        let brings = matches!(u.word(v.s), "get" | "have" | "bring");
        if brings && !u.hits_in(Lx::OnACall, v.e, lim).is_empty() {
            bump(&mut conf, 0.85);
        }
    }
    // "I'll give you a call on Friday" (the rep's call; a prospect's "I'll
    // give you a bell Monday" is getting back to them).
    let rep = speaker == Speaker::Rep;
    if rep && first_person && timed && !u.hits_in(Lx::CallYou, h.e, lim).is_empty() {
        bump(&mut conf, 0.75);
    }
    conf
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MHead {
    /// "I'll", "we can", "my assistant will".
    Commit,
    /// "let's", "let me".
    Let,
    /// "can we", "how about we", "why don't we".
    WeQ,
    /// "can you", "could you".
    YouQ,
    /// "I'd like to", "we should".
    Want,
    /// An imperative at the start of the clause ("book us in").
    Imperative,
}

#[derive(Debug, Clone, Copy)]
struct MeetHead {
    s: usize,
    e: usize,
    kind: MHead,
}

/// Everything in a clause that can introduce a meeting proposal.
fn meeting_heads(u: &Unit, speaker: Speaker) -> Vec<MeetHead> {
    let mut out = Vec::new();
    let mut add = |spans: &[Span], kind: MHead| {
        for sp in spans {
            out.push(MeetHead {
                s: sp.s,
                e: sp.e,
                kind,
            });
        }
    };
    add(u.hits(Lx::HeadFirst), MHead::Commit);
    let present: Vec<Span> = present_heads(u)
        .iter()
        .map(|h| Span { s: h.s, e: h.e })
        .collect();
    add(&present, MHead::Commit);
    add(u.hits(Lx::HeadCan), MHead::Commit);
    add(u.hits(Lx::HeadCould), MHead::Commit);
    add(u.hits(Lx::HeadLet), MHead::Let);
    add(u.hits(Lx::ProposeQ), MHead::WeQ);
    add(u.hits(Lx::WantTo), MHead::Want);
    let you_q: Vec<Span> = u
        .hits(Lx::ReqQ)
        .iter()
        // "if you can send me a few times, that'd be great" asks politely.
        .filter(|sp| matches!(u.word(sp.s), "can" | "could" | "would" | "will" | "if"))
        .copied()
        .collect();
    add(&you_q, MHead::YouQ);
    if speaker == Speaker::Rep {
        let team: Vec<Span> = commitment_heads(u, true)
            .iter()
            .filter(|h| h.kind == HeadKind::Team)
            .map(|h| Span { s: h.s, e: h.e })
            .collect();
        add(&team, MHead::Commit);
    }
    // "Kindly block thirty minutes…": the imperative after a courtesy.
    let f = if matches!(u.word(u.first), "kindly" | "please" | "pls") {
        u.first + 1
    } else {
        u.first
    };
    if f < u.len()
        && (u.starts_at(Lx::SchedVerb, f).is_some()
            || u.starts_at(Lx::SchedSelf, f).is_some()
            || (u.starts_at(Lx::Delivery, f).is_some() && u.has(Lx::MeetSendObj)))
    {
        out.push(MeetHead {
            s: f,
            e: f,
            kind: MHead::Imperative,
        });
    }
    out
}

/// End of the window `[from, lim)` at a comma that starts a new clause
/// ("I'll have to jump at quarter past, I've got another meeting").
fn clause_limit(u: &Unit, from: usize, lim: usize) -> usize {
    (from..lim)
        .find(|&k| {
            u.w[k].comma
                && matches!(
                    u.word(k + 1),
                    "i" | "we" | "you" | "they" | "he" | "she" | "it" | "that" | "there"
                )
        })
        .map_or(lim, |k| k + 1)
}

/// A meeting noun in `[from, to)` that is not "demo environment", "call notes"…
fn has_meet_noun(u: &Unit, from: usize, to: usize) -> bool {
    u.hits_in(Lx::MeetNoun, from, to)
        .iter()
        .any(|sp| u.starts_at(Lx::MeetNounBad, sp.s).is_none())
}
