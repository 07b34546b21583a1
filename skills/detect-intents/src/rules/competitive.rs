//! `signal:competitive` (prospect): evaluating, trialling or using an
//! alternative, building in-house or keeping the status quo.

use super::clause::{Span, Unit};
use super::commitments::bump;
use super::lexicon::Lx;
use super::stakeholders::stakeholders;
use super::time::TimeKind;
use super::words::{C_MONTH, C_NOT_NAME, C_WEEKDAY};

/// Prospect is evaluating, trialling or using an alternative.
pub(super) fn detect_competitive(u: &Unit) -> Option<f32> {
    if u.has(Lx::CompDead) {
        return None;
    }
    [
        competitive_evaluation(u),
        competitive_incumbent(u),
        competitive_build_or_stay(u),
        competitive_offer(u),
    ]
    .into_iter()
    .flatten()
    .reduce(f32::max)
}

/// No negator shortly before a competitive cue ("we're not looking at…").
fn comp_cue_ok(u: &Unit, sp: &Span) -> bool {
    !u.negated(sp.s.saturating_sub(5), sp.s)
}

/// Evaluations in progress: bake-offs, shortlists, "also looking at Gong",
/// "a trial of Aircall", "we trialled Einstein last month and are still…".
fn competitive_evaluation(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompStrong) {
        // "also talking to legal" is a stakeholder, not a vendor.
        let talking = matches!(
            u.word(sp.e.saturating_sub(1)),
            "talking" | "speaking" | "chatting"
        );
        let to_stakeholder = talking
            && stakeholders(u)
                .iter()
                .any(|s| s.s >= sp.e && s.s <= sp.e + 3);
        if comp_cue_ok(u, sp) && !to_stakeholder && !u.is_past() {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::CompEval) {
        let progressive = (sp.s.saturating_sub(3)..sp.s).any(|k| {
            matches!(
                u.word(k),
                "are" | "am" | "is" | "currently" | "still" | "been" | "also"
            )
        });
        let target = vendor_name_in(u, sp.e, (sp.e + 4).min(n))
            || !u.hits_in(Lx::CompOther, sp.e, (sp.e + 4).min(n)).is_empty();
        if progressive && target && comp_cue_ok(u, sp) {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::CompTrialNoun) {
        if vendor_name_in(u, sp.e, (sp.e + 3).min(n)) && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.8);
        }
    }
    // A finished evaluation only counts while it is recent or still open.
    let still_open =
        (0..n).any(|k| matches!(u.word(k), "still" | "recently" | "currently" | "weighing"));
    let recent = u
        .times
        .iter()
        .any(|t| t.past && matches!(t.kind, TimeKind::Week | TimeKind::Day | TimeKind::Month));
    for sp in u.hits(Lx::CompPastEval) {
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if named && (still_open || recent) && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Incumbents and tools in use: "our contract with RingCentral runs out…",
/// "we've got Freshdesk in", "we already use HubSpot's tool for this".
fn competitive_incumbent(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for k in 0..n {
        if !vendor_name_in(u, k, k + 1) {
            continue;
        }
        let contract = (k.saturating_sub(3)..(k + 8).min(n)).any(|j| {
            matches!(
                u.word(j),
                "contract" | "renewal" | "renew" | "license" | "licenses" | "subscription"
            )
        });
        let installed = k >= 2
            && matches!(u.word(k - 1), "got" | "have")
            && matches!(u.word(k + 1), "in" | "at" | "currently" | "right" | "for");
        if (contract || installed) && !u.is_past() && !u.negated(k.saturating_sub(5), k) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompUse) {
        let same_need = !u
            .hits_in(Lx::CompUseFor, sp.e, (sp.e + 10).min(n))
            .is_empty();
        if same_need && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompContract) {
        let ends = !u
            .hits_in(Lx::CompContractEnd, sp.e, (sp.e + 10).min(n))
            .is_empty();
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if (ends || named) && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.85);
        }
    }
    best
}

/// Building it in-house, or keeping the status quo as a real option.
fn competitive_build_or_stay(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompInHouse) {
        let built = !u
            .hits_in(Lx::BuildVerb, sp.s.saturating_sub(6), sp.s)
            .is_empty();
        if built && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    // "build something on top of our warehouse instead".
    for i in 0..n {
        let build = matches!(
            u.word(i),
            "build" | "develop" | "code" | "building" | "developing"
        );
        let instead = (i + 1..(i + 12).min(n)).any(|k| {
            matches!(u.word(k), "instead" | "ourselves" | "internally")
                || (u.word(k) == "on" && u.word(k + 1) == "top")
        });
        if build && instead && !u.negated(i.saturating_sub(4), i) {
            bump(&mut best, 0.75);
        }
    }
    for sp in u.hits(Lx::CompStatusQuo) {
        let real_option = !u
            .hits_in(Lx::StatusQuoObj, sp.e, (sp.e + 4).min(n))
            .is_empty()
            || (0..n).any(|k| u.word(k) == "option");
        if real_option && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Another vendor pitched, demoed or priced: "Chorus gave us a pretty
/// aggressive price", "Zoho came in cheaper than you".
fn competitive_offer(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompPrice) {
        // "you gave us a great price" is the rep's own offer.
        let ours = (0..sp.s).any(|k| matches!(u.word(k), "you" | "your"));
        // "a quote from …" needs the vendor named right after.
        let needs_name = matches!(
            u.word(sp.s),
            "quote"
                | "proposal"
                | "pricing"
                | "offer"
                | "price"
                | "demo"
                | "pitch"
                | "presentation"
        );
        let from_vendor = !needs_name || vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if !ours && from_vendor && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// A capitalised word in `[from, to)` that looks like a vendor name.
fn vendor_name_in(u: &Unit, from: usize, to: usize) -> bool {
    (from..to.min(u.len())).any(|k| {
        let w = &u.w[k];
        w.cap
            && k > 0
            && w.cls & (C_NOT_NAME | C_WEEKDAY | C_MONTH) == 0
            && u.starts_at(Lx::Stakeholder, k).is_none()
    })
}
