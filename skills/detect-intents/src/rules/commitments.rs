//! Commitment heads and helpers shared by the commitment rules, and the
//! `commitment:send_proposal` rule (rep).

use super::clause::{Span, Unit};
use super::flags::elided_subject;
use super::lexicon::Lx;
use super::split::Term;
use super::words::{C_NEGATOR, C_NON_TEAM, C_SUBORDINATOR};

// ---------------------------------------------------------------------------
// Shared commitment helpers
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadKind {
    /// "I'll", "we're going to".
    First,
    /// "let's", "let me".
    Let,
    /// "I can", "we can".
    Can,
    /// "Priya will", "our team will".
    Team,
    /// "action on me".
    OnMe,
    /// "you'll have the quote".
    YouWill,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Head {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) kind: HeadKind,
    pub(super) conf: f32,
}

/// Affirmative commitment heads in a clause. `team` also accepts
/// third-person subjects ("my colleague will send…").
pub(super) fn commitment_heads(u: &Unit, team: bool) -> Vec<Head> {
    let mut heads = Vec::new();
    let mut add = |lx: Lx, kind: HeadKind, conf: f32| {
        for sp in u.hits(lx) {
            heads.push(Head {
                s: sp.s,
                e: sp.e,
                kind,
                conf,
            });
        }
    };
    add(Lx::HeadFirst, HeadKind::First, 0.9);
    add(Lx::HeadLet, HeadKind::Let, 0.88);
    add(Lx::HeadCan, HeadKind::Can, 0.75);
    add(Lx::HeadOnMe, HeadKind::OnMe, 0.85);
    add(Lx::HeadYouWill, HeadKind::YouWill, 0.8);
    if team {
        for i in 1..u.len() {
            // "…will send", or "…is going to send".
            let going = u.word(i) == "going"
                && u.word(i + 1) == "to"
                && i >= 2
                && matches!(u.word(i - 1), "is" | "are");
            if u.word(i) != "will" && !going {
                continue;
            }
            let subject = if going { i - 2 } else { i - 1 };
            let yours = (subject.saturating_sub(4)..=subject).any(|k| u.word(k) == "your");
            if u.w[subject].cls & (C_NON_TEAM | C_NEGATOR) == 0 && !yours {
                heads.push(Head {
                    s: subject,
                    e: if going { i + 2 } else { i + 1 },
                    kind: HeadKind::Team,
                    conf: 0.85,
                });
            }
        }
    }
    heads.extend(present_heads(u));
    // "Will send the quote over tonight", "Can get you a revised proposal
    // by Monday": the speaker's "I" left out.
    if elided_subject(u) {
        let kind = if u.word(u.first) == "can" {
            HeadKind::Can
        } else {
            HeadKind::First
        };
        let conf = if kind == HeadKind::Can { 0.75 } else { 0.85 };
        heads.push(Head {
            s: u.first,
            e: u.first + 1,
            kind,
            conf,
        });
    }
    // "…whether we can do a better price": a head inside an indirect question
    // or condition is not a commitment.
    heads.retain(|h| {
        let in_clause = h.s > 0 && matches!(u.word(h.s - 1), "whether" | "if");
        // An imperative "expect a decision…" must open the clause.
        let imperative_ok = u.word(h.s) != "expect" || h.s == u.first;
        !in_clause && imperative_ok
    });
    heads.sort_by_key(|h| h.s);
    heads
}

/// "I send you the offer tomorrow", "we come back to you next week": the
/// present for the future, as many speakers of English as a second
/// language say it. Only with a date to come, no habit ("every Monday"),
/// and a verb that can only be a promise there.
pub(super) fn present_heads(u: &Unit) -> Vec<Head> {
    if !u.has_future_time() || u.has(Lx::Habit) {
        return Vec::new();
    }
    (0..u.len())
        .filter(|&i| {
            let (verb, after) = (u.word(i + 1), u.word(i + 2));
            let promise = match verb {
                "send" | "email" | "forward" | "mail" | "share" => matches!(
                    after,
                    "you" | "the" | "it" | "this" | "that" | "them" | "a" | "an" | "our" | "over"
                ),
                "give" | "call" | "ring" | "inform" | "tell" | "update" => after == "you",
                "confirm" => matches!(after, "you" | "with" | "to"),
                // "we fix a call for Monday", "we make another meeting on Sunday".
                "fix" | "make" | "book" | "arrange" => {
                    matches!(after, "a" | "another" | "one" | "the" | "you" | "us")
                }
                "come" | "get" => after == "back",
                "revert" | "prepare" | "deliver" => true,
                _ => false,
            };
            let subordinate = i > 0 && u.w[i - 1].cls & C_SUBORDINATOR != 0;
            matches!(u.word(i), "i" | "we") && promise && !subordinate
        })
        .map(|i| Head {
            s: i,
            e: i + 1,
            kind: HeadKind::First,
            conf: 0.8,
        })
        .collect()
}

/// Raises `best` to `conf` if that is higher.
pub(super) fn bump(best: &mut Option<f32>, conf: f32) {
    if best.is_none_or(|b| conf > b) {
        *best = Some(conf);
    }
}

/// Clause-level reasons that rule out any commitment.
pub(super) fn commitment_blocked(u: &Unit) -> bool {
    u.question || u.retracted || u.speculative || u.has(Lx::PastIntent)
}

/// Negation between the start of the head's comma part and `to`.
pub(super) fn head_negated(u: &Unit, h: &Head, to: usize) -> bool {
    u.negated(u.part_start(h.s), to)
}

// ---------------------------------------------------------------------------
// commitment:send_proposal (rep)
// ---------------------------------------------------------------------------

/// Rep commits to send a proposal, quote, pricing, estimate or costed SOW.
pub(super) fn detect_send_proposal(u: &Unit) -> Option<f32> {
    if commitment_blocked(u) || u.has(Lx::Cancel) {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    for h in commitment_heads(u, true) {
        let mut conf = h.conf;
        if u.has(Lx::Hedge) {
            conf -= 0.1;
        }
        let direct = u
            .hits_in(Lx::ProposalVerb, h.e, (h.e + 6).min(n))
            .iter()
            .find(|sp| !head_negated(u, &h, sp.e));
        if direct.is_some() && h.kind != HeadKind::YouWill {
            bump(&mut best, conf);
            continue;
        }
        for nsp in u.hits_in(Lx::ProposalNoun, h.e, (h.e + 18).min(n)) {
            if !valid_proposal_noun(u, nsp) || head_negated(u, &h, nsp.e) {
                continue;
            }
            let delivered = match verb_before(u, h.s, nsp.s) {
                Some(ok) => ok,
                None => {
                    h.kind == HeadKind::YouWill
                        || !u
                            .hits_in(Lx::DeliveryTail, nsp.e, (nsp.e + 14).min(n))
                            .is_empty()
                }
            };
            let subordinate = (h.e..nsp.s).any(|k| u.w[k].cls & C_SUBORDINATOR != 0);
            if delivered && !subordinate {
                let far = if nsp.s - h.e > 10 { 0.05 } else { 0.0 };
                bump(&mut best, conf - far);
                break;
            }
        }
    }
    // "The proposal will be with you Friday", "your quote will land
    // tomorrow", "a revised quote reflecting the discount will be sent over
    // before Friday", "quote's coming to you tonight": the document as
    // subject, dated ahead.
    if u.has_future_time() {
        for nsp in u.hits(Lx::ProposalNoun) {
            let lead = (u.first..nsp.s).all(|k| {
                matches!(
                    u.word(k),
                    "the"
                        | "your"
                        | "our"
                        | "my"
                        | "a"
                        | "revised"
                        | "updated"
                        | "formal"
                        | "full"
                        | "final"
                        | "new"
                        | "written"
                        | "detailed"
                        | "itemised"
                        | "itemized"
                        | "priced"
                        | "proper"
                        | "draft"
                )
            });
            // The verb within a short modifier of the noun ("reflecting
            // the charity discount"), before any other subject.
            let verb = (nsp.e..(nsp.e + 7).min(u.len()))
                .take_while(|&k| {
                    let subject = matches!(u.word(k), "i" | "we" | "you" | "they" | "he" | "she");
                    let new_part = k > nsp.e && u.w[k - 1].comma;
                    !subject && !new_part
                })
                .find(|&k| matches!(u.word(k), "will" | "is"));
            let arrives = verb.is_some_and(|v| {
                let at = |k: usize| u.word(v + k);
                match (at(0), at(1)) {
                    ("will", "be") => {
                        matches!(
                            (at(2), at(3)),
                            ("with", "you") | ("in", "your") | ("over" | "across", _)
                        ) || matches!(
                            at(2),
                            "sent" | "emailed" | "issued" | "submitted" | "delivered" | "shared"
                        )
                    }
                    ("will", "arrive" | "land" | "follow") => true,
                    ("will", "come") | ("is", "coming") => {
                        matches!(at(2), "to" | "over" | "through" | "your" | "across")
                    }
                    ("is", "with") => at(2) == "you",
                    _ => false,
                }
            });
            if lead && arrives && valid_proposal_noun(u, nsp) && !u.negated(nsp.s, nsp.e + 9) {
                bump(&mut best, 0.8);
            }
        }
    }
    best
}

/// "I'll put some numbers together — a proper proposal, not a ballpark": a
/// delivery commitment whose object is named after a dash.
pub(super) fn appositive_proposal(u: &Unit, next: Option<&Unit>) -> Option<f32> {
    let next = next?;
    if u.term != Term::Dash || commitment_blocked(u) || u.has(Lx::Cancel) || next.question {
        return None;
    }
    let head = commitment_heads(u, true)
        .into_iter()
        .find(|h| verb_before(u, h.s, u.len()) == Some(true) && !head_negated(u, h, u.len()))?;
    let noun = next
        .hits_in(Lx::ProposalNoun, 0, 4)
        .iter()
        .find(|sp| valid_proposal_noun(next, sp))?;
    let verbless = commitment_heads(next, true).is_empty() && noun.s <= 3;
    verbless.then_some(head.conf - 0.1)
}

/// The nearest delivery or non-delivery verb before `to`: `Some(true)` for
/// "send/get/put together…", `Some(false)` for "walk through/discuss…".
fn verb_before(u: &Unit, from: usize, to: usize) -> Option<bool> {
    (from..to).rev().find_map(|p| {
        // "send the contract once you've approved the quote": the noun sits
        // in a subordinate clause, not in the verb's object.
        if (u.w[p].cls & C_SUBORDINATOR != 0 && p > from)
            || u.starts_at(Lx::NonDelivery, p).is_some()
        {
            Some(false)
        } else if u.starts_at(Lx::Delivery, p).is_some()
            && !is_auxiliary(u, p)
            && (u.word(p) != "make" || makes_an_offer(u, p))
        {
            Some(true)
        } else {
            None
        }
    })
}

/// "make you an offer", "make an offer": "make" delivers only there (not
/// "make a call on pricing", "make sure the quote…").
fn makes_an_offer(u: &Unit, p: usize) -> bool {
    matches!(u.word(p + 1), "you" | "us" | "them")
        || (matches!(u.word(p + 1), "a" | "an")
            && matches!(u.word(p + 2), "offer" | "proposal" | "quote" | "estimate"))
}

/// "have" as an auxiliary ("once you've approved") rather than "have it sorted".
fn is_auxiliary(u: &Unit, p: usize) -> bool {
    let next = u.word(p + 1);
    matches!(u.word(p), "have" | "has" | "had")
        && (next.ends_with("ed")
            || matches!(
                next,
                "been"
                    | "got"
                    | "sent"
                    | "done"
                    | "seen"
                    | "made"
                    | "given"
                    | "put"
                    | "gone"
                    | "had"
                    | "taken"
                    | "heard"
                    | "spoken"
                    | "told"
                    | "already"
                    | "just"
            ))
}

/// Rules out "pricing page", the verb "to estimate" and SOWs without costs.
fn valid_proposal_noun(u: &Unit, sp: &Span) -> bool {
    let t = u.word(sp.s);
    let next = u.word(sp.e);
    let prev = sp.s.checked_sub(1).map_or("", |k| u.word(k));
    match t {
        "pricing" | "price" | "prices" => !matches!(
            next,
            "page"
                | "question"
                | "questions"
                | "query"
                | "queries"
                | "section"
                | "slide"
                | "slides"
                | "tab"
                | "call"
                | "meeting"
                | "discussion"
                | "conversation"
                | "point"
                | "increase"
        ),
        "estimate" | "estimates" | "cost" | "costs" | "quote" => {
            !matches!(prev, "to" | "will" | "would" | "it" | "that" | "which")
        }
        "sow" | "statement" => {
            // A statement of work only counts with costs in it.
            u.hits(Lx::CostWord)
                .iter()
                .any(|c| c.s >= sp.e || c.e <= sp.s)
        }
        _ => true,
    }
}
