//! `signal:multi_stakeholder` (prospect): someone else still has to review,
//! approve or be involved.

use super::clause::{Span, Unit};
use super::commitments::bump;
use super::lexicon::Lx;
use super::names::unknown_word;
use super::words::{DOCUMENT_HEADS, PENDING_REVIEW};

/// Prospect says someone else still has to review, approve or be involved.
/// `next` is the following clause ("…for our CFO. She'll want to see it").
pub(super) fn detect_multi(u: &Unit, next: Option<&Unit>, meeting: bool) -> Option<f32> {
    if u.has(Lx::NotMyCall) {
        return Some(0.85);
    }
    if u.has(Lx::SelfDecider) {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    // "until legal's come back", "once procurement have been through it".
    for s in stakeholders(u) {
        // "until such time as the governance team has…" reaches six back.
        let pending = (s.s.saturating_sub(6)..s.s)
            .any(|k| matches!(u.word(k), "until" | "till" | "once" | "pending" | "unless"))
            && (s.e..(s.e + 4).min(n)).any(|k| PENDING_REVIEW.contains(&u.word(k)));
        if pending && !owned_by_rep(u, s.s) {
            return Some(0.8);
        }
    }
    // "once I've spoken to the team" is still to come.
    let really_past = u.hits(Lx::MultiPast).iter().any(|sp| {
        !(sp.s.saturating_sub(3)..sp.s).any(|k| {
            matches!(
                u.word(k),
                "once" | "until" | "till" | "after" | "when" | "before"
            )
        })
    });
    // Said of the past ("our CFO looked at it last week"), only what is
    // still to come counts ("…and wants to see the final numbers").
    let then = really_past || u.has(Lx::PastTime);
    let to_come = |c: &Span| {
        let at = |k: usize| u.word(k);
        let modal = |w: &str| {
            matches!(
                w,
                "want"
                    | "wants"
                    | "need"
                    | "needs"
                    | "will"
                    | "would"
                    | "going"
                    | "must"
                    | "should"
            )
        };
        (c.s.saturating_sub(4)..=c.s).any(|k| modal(at(k)))
    };
    if then {
        for s in stakeholders(u) {
            let lo = s.s.saturating_sub(8);
            let hi = (s.e + 14).min(n);
            let ahead = u
                .hits_in(Lx::InvolveCue, lo, hi)
                .iter()
                .any(|c| c.s > s.s && to_come(c) && !u.negated(c.s.saturating_sub(4), c.s));
            if ahead && !owned_by_rep(u, s.s) {
                bump(&mut best, 0.8);
            }
        }
        return best.or_else(|| pronoun_next(u, next));
    }
    for sp in u.hits(Lx::ThirdApproves) {
        if !u.negated(sp.s, sp.e) {
            bump(&mut best, 0.75);
        }
    }
    for sp in u.hits(Lx::Internal) {
        if !u.negated(u.part_start(sp.s), sp.e) {
            bump(&mut best, 0.75);
        }
    }
    for s in stakeholders(u) {
        if owned_by_rep(u, s.s) || u.negated(s.s.saturating_sub(4), s.s) {
            continue;
        }
        // The meeting itself involves them: "a call with our head of IT".
        if meeting && (s.s.saturating_sub(5)..s.s).any(|k| matches!(u.word(k), "with" | "for")) {
            bump(&mut best, 0.85);
            continue;
        }
        // Something prepared for them: "a business case for the exec team".
        let for_them = (s.s.saturating_sub(3)..s.s).any(|k| u.word(k) == "for")
            && !u
                .hits_in(Lx::BuildVerb, s.s.saturating_sub(10), s.s)
                .is_empty();
        if for_them {
            bump(&mut best, 0.8);
            continue;
        }
        let lo = s.s.saturating_sub(8);
        let hi = (s.e + 14).min(n);
        let cue = u
            .hits_in(Lx::InvolveCue, lo, hi)
            .iter()
            .find(|c| !u.negated(c.s.saturating_sub(4), c.s));
        if cue.is_some() {
            bump(&mut best, 0.85);
        }
    }
    best.or_else(|| pronoun_next(u, next))
}

/// "She'll want to see it" right after the stakeholder was named: the next
/// clause opens with the pronoun and an involvement cue.
fn pronoun_next(u: &Unit, next: Option<&Unit>) -> Option<f32> {
    let nx = next?;
    let named = stakeholders(u).iter().any(|s| !owned_by_rep(u, s.s));
    let pronoun = matches!(nx.word(nx.first), "she" | "he" | "they");
    (named && pronoun && nx.starts_at(Lx::InvolveCue, nx.first + 1).is_some()).then_some(0.8)
}

/// Stakeholder mentions, including an upper-case "IT" (or "our it" in a
/// transcript).
pub(super) fn stakeholders(u: &Unit) -> Vec<Span> {
    let mut out: Vec<Span> = u.hits(Lx::Stakeholder).to_vec();
    for (i, w) in u.w.iter().enumerate() {
        // In text with no capitals, "our it", "the it team".
        let lower_it = u.caseless
            && (matches!(u.word(i.wrapping_sub(1)), "our" | "the" | "their")
                || matches!(
                    u.word(i + 1),
                    "team"
                        | "department"
                        | "dept"
                        | "director"
                        | "manager"
                        | "lead"
                        | "folks"
                        | "guys"
                        | "people"
                ));
        if w.t == "it" && (w.upper || lower_it) {
            out.push(Span { s: i, e: i + 1 });
        }
        // "our clinical lead", "the finance lead" (not "lead time").
        let lead = matches!(w.t.as_str(), "lead" | "leads")
            && (1..=2).any(|k| matches!(u.word(i.wrapping_sub(k)), "our" | "my" | "the"))
            && !matches!(
                u.word(i + 1),
                "time" | "times" | "generation" | "gen" | "source" | "sources" | "score" | "up"
            );
        if lead {
            out.push(Span { s: i, e: i + 1 });
        }
        // "let me talk to Amy and Tom", "I'll check with Priya": a
        // colleague by name, after a verb of consulting in my own voice.
        let consult = matches!(
            w.t.as_str(),
            "talk" | "speak" | "chat" | "check" | "confer" | "consult" | "run" | "loop" | "ask"
        ) && (i.saturating_sub(3)..i).any(|k| matches!(u.word(k), "me" | "i"));
        if consult {
            // The name straight after the verb and its particles ("check
            // with Priya"), not "our HubSpot admin".
            let k = (i + 1..u.len())
                .find(|&k| {
                    !matches!(
                        u.word(k),
                        "to" | "with" | "it" | "this" | "that" | "by" | "past" | "in" | "over"
                    )
                })
                .unwrap_or(u.len());
            let name = u.w.get(k).is_some_and(|x| {
                let capital = x.cap && x.cls == 0 && x.pats.is_empty();
                (capital || (u.caseless && unknown_word(x))) && x.t.chars().all(char::is_alphabetic)
            });
            if name {
                out.push(Span { s: k, e: k + 1 });
            }
        }
    }
    out.retain(|s| {
        // "security questionnaire", "legal documents": a document, not a person.
        if DOCUMENT_HEADS.contains(&u.word(s.e)) {
            return false;
        }
        // "IT" is matched above; a lower-case "it" is a pronoun, and a bare
        // "team" needs a determiner ("the team", "our team").
        let t = u.word(s.s);
        // "our operations team": a word may stand between.
        let determined = |k: usize| {
            matches!(
                u.word(k),
                "the" | "our" | "my" | "exec" | "leadership" | "wider" | "whole" | "management"
            )
        };
        t != "team"
            || (s.s > 0 && determined(s.s - 1))
            || (s.s > 1 && matches!(u.word(s.s - 2), "the" | "our" | "my"))
    });
    out.sort_by_key(|s| s.s);
    out
}

/// "your CFO": the rep's people, not the prospect's.
fn owned_by_rep(u: &Unit, i: usize) -> bool {
    (i.saturating_sub(2)..i).any(|k| u.word(k) == "your")
}
