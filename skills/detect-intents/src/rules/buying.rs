//! `signal:buying_positive` and `signal:buying_negative` (prospect): budget,
//! priority and intent to proceed, or budget tight, frozen or on hold.

use super::clause::{Span, Unit};
use super::commitments::bump;
use super::lexicon::Lx;
use super::words::C_NEGATOR;

/// Said of another organisation the speaker was at ("in my previous
/// company we had a freeze"), not of this one.
fn elsewhere(u: &Unit) -> bool {
    (0..u.len()).any(|k| {
        matches!(u.word(k), "previous" | "former" | "old" | "last")
            && matches!(
                u.word(k + 1),
                "company" | "job" | "employer" | "firm" | "role" | "organization" | "organisation"
            )
            && k > 0
            && matches!(u.word(k - 1), "my" | "our" | "a")
    })
}

/// Budget approved or available, top priority, or explicit intent to proceed.
pub(super) fn detect_buying_positive(u: &Unit) -> Option<f32> {
    // "ready to move ahead if the pilot goes well" is conditional.
    // …but not the softener "if that makes sense".
    let conditional = (0..u.len()).any(|k| {
        let softener = matches!(u.word(k + 1), "that" | "it")
            && matches!(u.word(k + 2), "makes" | "helps" | "works");
        matches!(
            u.word(k),
            "if" | "unless" | "provided" | "providing" | "whether"
        ) && !softener
    });
    if u.speculative || conditional || u.has(Lx::Counterfactual) || u.question || elsewhere(u) {
        return None;
    }
    let n = u.len();
    let restored = u.has(Lx::FreezeLifted) || budget_back(u);
    let clean = |sp: &Span| !u.negated(sp.s.saturating_sub(3), sp.s) && !u.negated(sp.s, sp.e);
    let mut best: Option<f32> = None;
    if restored {
        best = Some(0.8);
    }
    for sp in u.hits(Lx::BuyPos) {
        // "sign-off authority" is a role, not an approval; "zero budget" is none.
        let role = matches!(
            u.word(sp.e),
            "authority" | "rights" | "power" | "powers" | "limit" | "limits" | "process"
        );
        let none = (sp.s..sp.e).any(|k| matches!(u.word(k), "zero" | "little" | "nil"));
        if clean(sp) && !role && !none && !passing_priority(u, sp) {
            bump(&mut best, 0.85);
        }
    }
    // "we need this", "we really need it": at the clause's end, or before
    // a word that only stresses it ("like yesterday", "badly").
    for i in 0..n.saturating_sub(2) {
        let subject = matches!(u.word(i), "we" | "i");
        let k = if matches!(
            u.word(i + 1),
            "really" | "badly" | "desperately" | "absolutely" | "genuinely" | "definitely"
        ) {
            i + 2
        } else {
            i + 1
        };
        let need = matches!(u.word(k), "need" | "needed") && matches!(u.word(k + 1), "this" | "it");
        if !(subject && need) {
            continue;
        }
        let after = u.word(k + 2);
        let stress = after.is_empty()
            || u.w.get(k + 1).is_some_and(|w| w.comma)
            || matches!(after, "yesterday" | "badly" | "now" | "like" | "honestly");
        if stress && !u.negated(i, k + 1) {
            bump(&mut best, 0.8);
        }
    }
    // A closing "let's do it".
    if n >= 3
        && u.word(n - 3) == "let's"
        && u.word(n - 2) == "do"
        && matches!(u.word(n - 1), "it" | "this")
    {
        bump(&mut best, 0.75);
    }
    for sp in u.hits(Lx::Keen) {
        let after = u.word(sp.e);
        // The clause ends at "keen", or (in a transcript with no commas)
        // a new one starts: "we're keen really keen the team's asking".
        let next_clause = u.w[sp.e - 1].comma
            || matches!(
                after,
                "and" | "so" | "honestly" | "really" | "the" | "our" | "we" | "i" | "because"
            );
        let ends = after.is_empty()
            || next_clause
            || matches!(after, "on" | "to" | "for")
                && matches!(
                    u.word(sp.e + 1),
                    "this"
                        | "it"
                        | "move"
                        | "go"
                        | "get"
                        | "proceed"
                        | "start"
                        | "sign"
                        | "press"
                        | "push"
                        | "crack"
                );
        if ends && clean(sp) {
            bump(&mut best, 0.8);
        }
    }
    for b in u.hits(Lx::BudgetWord) {
        // "approved a $10K-15K per month budget".
        let lo = b.s.saturating_sub(7);
        let hi = (b.e + 5).min(n);
        // "until the budget's confirmed" is not confirmed yet.
        let pending = (b.s.saturating_sub(3)..b.s).any(|k| {
            matches!(
                u.word(k),
                "until" | "till" | "once" | "when" | "if" | "unless" | "before"
            )
        });
        // Near the budget word, or further on in a passive ("the budget for
        // the whole rollout has already been signed off").
        let passive = |at: usize| {
            at > 0
                && matches!(
                    u.word(at - 1),
                    "been" | "was" | "were" | "is" | "are" | "got"
                )
        };
        let hits = u.hits_in(Lx::BudgetPos, lo, n);
        for p in hits.iter().filter(|p| p.s < hi || passive(p.s)) {
            let (a, z) = (b.s.min(p.s), b.e.max(p.e));
            if !u.negated(a.saturating_sub(2), z) && !pending && !not_yet(u, p.s) {
                bump(&mut best, 0.85);
            }
        }
        // "the budget meeting went fine" is about the meeting.
        let compound = matches!(
            u.word(b.e),
            "meeting"
                | "meetings"
                | "review"
                | "call"
                | "cycle"
                | "planning"
                | "discussion"
                | "process"
                | "season"
                | "holder"
                | "owner"
                | "line"
                | "talks"
        );
        for p in u.hits_in(Lx::BudgetOk, b.e, hi) {
            if !u.negated(lo, b.s) && p.s <= b.e + 3 && !compound {
                bump(&mut best, 0.85);
            }
        }
    }
    best
}

/// "Our top priority this morning is finding the ferret": a priority of
/// the hour, not of the purchase.
fn passing_priority(u: &Unit, sp: &Span) -> bool {
    let priority = (sp.s..sp.e).any(|k| matches!(u.word(k), "priority" | "priorities"));
    let at = sp.e;
    priority
        && (matches!(u.word(at), "today" | "tonight")
            || u.word(at) == "this"
                && matches!(u.word(at + 1), "morning" | "afternoon" | "evening"))
}

/// "I'm on hold with the bank": a telephone queue, not a project.
fn phone_hold(u: &Unit, sp: &Span) -> bool {
    let hold = sp.e > sp.s && u.word(sp.e - 1) == "hold";
    let person = sp.s >= 2 && u.word(sp.s - 2) == "i" && matches!(u.word(sp.s - 1), "am" | "'m")
        // "they've had me on hold for forty minutes".
        || sp.s >= 1 && matches!(u.word(sp.s - 1), "me" | "us");
    hold && (u.word(sp.e) == "with" || person)
}

/// "The freezer's been frozen since Monday": ice, not a budget.
fn physical_freeze(u: &Unit) -> bool {
    (0..u.len()).any(|k| {
        matches!(
            u.word(k),
            "freezer"
                | "fridge"
                | "pipes"
                | "pipe"
                | "screen"
                | "laptop"
                | "computer"
                | "pond"
                | "lake"
                | "ground"
                | "tank"
                | "water"
                | "roads"
                | "ice"
                | "snow"
        )
    })
}

/// "The budget's back", "funding came back in the new year": restored
/// (not "we lost our funding back in March").
fn budget_back(u: &Unit) -> bool {
    u.hits(Lx::BudgetBack).iter().any(|sp| {
        // "the budget got cut back" is cut, not restored.
        !(sp.s.saturating_sub(3)..sp.e).any(|k| {
            matches!(
                u.word(k),
                "lost" | "lose" | "cut" | "pulled" | "withdrew" | "withdrawn"
            )
        })
    })
}

/// "…will need to be approved", "…has yet to be signed off", "…is being
/// agreed": an approval still to come, not one that happened.
fn not_yet(u: &Unit, at: usize) -> bool {
    let before = |k: usize| if at >= k { u.word(at - k) } else { "" };
    match before(1) {
        "being" => true,
        "be" => matches!(
            before(2),
            "to" | "will" | "would" | "should" | "must" | "might" | "may" | "could" | "can"
        ),
        _ => false,
    }
}

/// "If funds weren't an issue…", "if budget allowed…": the budget is missing.
fn budget_counterfactual(u: &Unit) -> bool {
    (0..u.len()).filter(|&i| u.word(i) == "if").any(|i| {
        let end = (i + 9).min(u.len());
        let clause_end = (i + 1..end).find(|&k| u.w[k].comma).map_or(end, |k| k + 1);
        let money = !u.hits_in(Lx::BudgetWord, i + 1, clause_end).is_empty()
            || (i + 1..clause_end).any(|k| u.word(k) == "afford");
        let unreal = (i + 1..clause_end).any(|k| {
            matches!(
                u.word(k),
                "had" | "were" | "was" | "allowed" | "could" | "would"
            )
        });
        money && unreal
    })
}

/// Budget tight, cut, frozen or missing; deprioritised or on hold.
pub(super) fn detect_buying_negative(u: &Unit) -> Option<f32> {
    if u.question || u.has(Lx::FreezeLifted) || budget_back(u) || elsewhere(u) {
        return None;
    }
    let n = u.len();
    if u.has(Lx::Counterfactual) || budget_counterfactual(u) {
        return Some(0.85);
    }
    // A date in the past ("last year") leaves only what still holds.
    let then =
        u.has(Lx::PastTime) && !(0..n).any(|k| matches!(u.word(k), "still" | "now" | "currently"));
    let counts = |sp: &Span| !then || holds_now(u, sp);
    let mut best: Option<f32> = None;
    for sp in u.hits(Lx::BuyNeg) {
        let self_neg = u.w[sp.s].cls & C_NEGATOR != 0;
        if (self_neg || !u.negated(sp.s.saturating_sub(3), sp.s))
            && counts(sp)
            && !phone_hold(u, sp)
        {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::BuyNegSubj) {
        // "it's been parked" or, said actively, "finance pushed the project back".
        let subject = !u
            .hits_in(Lx::NegSubject, sp.s.saturating_sub(4), sp.s)
            .is_empty()
            || u.hits_in(Lx::NegSubject, sp.e, (sp.e + 3).min(n))
                .iter()
                .any(|o| !matches!(u.word(o.s), "it" | "this" | "that" | "everything"));
        let ice = u.word(sp.s) == "frozen" && physical_freeze(u);
        if subject && !u.negated(sp.s.saturating_sub(3), sp.s) && counts(sp) && !ice {
            bump(&mut best, 0.8);
        }
    }
    for b in u.hits(Lx::BudgetWord) {
        let lo = b.s.saturating_sub(5);
        let hi = (b.e + 6).min(n);
        for p in u.hits_in(Lx::BudgetNegState, lo, hi) {
            let (a, z) = (b.s.min(p.s), b.e.max(p.e));
            // "budget's not a problem": the idiom is positive.
            let raw_neg =
                (p.s.saturating_sub(3)..p.s).any(|k| matches!(u.word(k), "not" | "no" | "never"));
            if !u.negated(a, z) && !raw_neg && (counts(p) || counts(b)) && !phone_hold(u, p) {
                bump(&mut best, 0.85);
            }
        }
    }
    // "everything's frozen", "tooling's frozen".
    for i in 0..n {
        if u.word(i) == "frozen"
            && !u.hits_in(Lx::NegSubject, i.saturating_sub(5), i).is_empty()
            && !physical_freeze(u)
        {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Things done to a budget or a project: said of the past ("cut last
/// month", "put on hold in March"), they still hold now.
const EVENTS: &[&str] = &[
    "cut",
    "cuts",
    "slashed",
    "frozen",
    "froze",
    "freeze",
    "pulled",
    "lost",
    "gone",
    "reduced",
    "halved",
    "trimmed",
    "withdrawn",
    "diverted",
    "reallocated",
    "redirected",
    "repurposed",
    "exhausted",
    "dried",
    "fell",
    "fallen",
    "gutted",
    "finished",
    "deprioritized",
    "hold",
    "paused",
    "parked",
    "shelved",
    "postponed",
    "delayed",
    "pushed",
    "kicked",
    "bumped",
    "scrapped",
    "canceled",
    "axed",
    "stopped",
    "suspended",
];

/// Whether a budget cue in a clause dated in the past still holds: a thing
/// done to the budget ([`EVENTS`]), or a state said in the present ("we
/// were told last week there's no budget", "money's been tight since…").
fn holds_now(u: &Unit, sp: &Span) -> bool {
    (sp.s..sp.e).any(|k| EVENTS.contains(&u.word(k)))
        || (sp.s.saturating_sub(4)..sp.e)
            .any(|k| matches!(u.word(k), "is" | "'s" | "are" | "am" | "has" | "have"))
}
