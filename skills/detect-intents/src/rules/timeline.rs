//! `commitment:prospect_followup` and `signal:timeline` (prospect): promises
//! to get back by a stated time, and concrete future dates for the deal.

use super::clause::{Span, Unit};
use super::commitments::{HeadKind, bump, commitment_blocked, commitment_heads, head_negated};
use super::lexicon::Lx;
use super::time::TimeKind;

// ---------------------------------------------------------------------------
// commitment:prospect_followup (prospect)
// ---------------------------------------------------------------------------

/// Prospect commits to get back, or to send something, by a stated time.
pub(super) fn detect_followup(u: &Unit) -> Option<f32> {
    if commitment_blocked(u) || !u.has_future_time() {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    for h in commitment_heads(u, true) {
        // The prospect's own team ("our team will get back to you…"), but
        // not a third party.
        let own_team = h.kind == HeadKind::Team
            && (h.s.saturating_sub(3)..=h.s).any(|k| matches!(u.word(k), "our" | "my"));
        if h.kind == HeadKind::OnMe || (h.kind == HeadKind::Team && !own_team) {
            continue;
        }
        // "You'll have our answer by…" is itself the delivery.
        let verb_end = if h.kind == HeadKind::YouWill {
            h.e
        } else {
            match u.hits_in(Lx::FollowupVerb, h.e, (h.e + 12).min(n)).first() {
                Some(v) => v.s + 1,
                None => continue,
            }
        };
        if head_negated(u, &h, verb_end) {
            continue;
        }
        let mut conf = h.conf;
        if h.kind == HeadKind::Let {
            conf = 0.85;
        }
        if u.has(Lx::Hedge) {
            conf -= 0.1;
        }
        bump(&mut best, conf);
    }
    // "The seat numbers will be with you by tomorrow lunchtime": what the
    // prospect owes, as the subject, dated ahead.
    let owed = matches!(u.word(u.first), "the" | "our" | "my")
        && (u.first..n.saturating_sub(3)).any(|k| {
            u.word(k) == "will"
                && u.word(k + 1) == "be"
                && matches!(
                    (u.word(k + 2), u.word(k + 3)),
                    ("with", "you") | ("in", "your")
                )
                && !(u.first..k).any(|j| matches!(u.word(j), "i" | "we" | "you" | "they"))
                && !u.negated(u.first, k + 2)
        });
    if owed {
        bump(&mut best, 0.8);
    }
    best
}

// ---------------------------------------------------------------------------
// signal:timeline (prospect)
// ---------------------------------------------------------------------------

/// `busy`: the clause is a meeting proposal, content request or follow-up
/// promise, whose date is a due date rather than a deal date.
/// `rival`: the clause is about a competitor, whose trial dates are not
/// the deal's ("we've got Clari on trial this month").
pub(super) fn detect_timeline(u: &Unit, busy: bool, rival: bool) -> Option<f32> {
    // "We usually sign contracts in January" is a habit, not this deal.
    // "In a world where we had the income, I'd sign today" is no date.
    if u.question || u.speculative || u.is_past() || u.has(Lx::Habit) || u.has(Lx::Counterfactual) {
        return None;
    }
    let decision = u.has(Lx::DecisionWord);
    if busy && !decision {
        return None;
    }
    let mut best: Option<f32> = None;
    for t in u.concrete_times() {
        let inside = |sp: &Span| sp.s >= t.s && sp.s < t.e;
        let context = decision
            || u.hits(Lx::DealContext).iter().any(|sp| {
                let rivals_trial = rival && matches!(u.word(sp.s), "trial" | "pilot");
                // "pick it up again next quarter" resumes talk, not a choice.
                let resume =
                    u.word(sp.s) == "pick" && matches!(u.word(sp.s + 1), "it" | "this" | "up");
                // "I cannot commit to a response before…" refuses.
                // ("…commit any spend until Q3" still dates the deal.)
                let refused = u.negated(sp.s.saturating_sub(3), sp.s) && u.word(sp.e) == "to";
                !inside(sp)
                    && !rivals_trial
                    && !resume
                    && !refused
                    && sp.s + 12 >= t.s
                    && sp.s <= t.e + 12
            });
        if !context {
            continue;
        }
        let conf = match t.kind {
            TimeKind::Season | TimeKind::Event => 0.75,
            _ => 0.85,
        };
        bump(&mut best, conf);
    }
    best
}
