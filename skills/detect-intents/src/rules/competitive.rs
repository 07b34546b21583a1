//! `signal:competitive` (prospect): evaluating, trialling or using an
//! alternative, building in-house or keeping the status quo.

use super::clause::{Span, Unit};
use super::commitments::bump;
use super::lexicon::Lx;
use super::names::{caseless_name_at, past_at, people_of_name_at, vendor_name_in};
use super::stakeholders::stakeholders;
use super::time::TimeKind;
use super::words::DOCUMENT_HEADS;

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

/// Whether word `k` is part of a date ("q three", "the next two weeks").
fn in_time(u: &Unit, k: usize) -> bool {
    u.times.iter().any(|t| k >= t.s && k < t.e)
}

/// Other vendors in `[from, to)` ("a few others", "two suppliers"), not a
/// number that is part of a date ("q three").
fn others_in(u: &Unit, from: usize, to: usize) -> bool {
    u.hits_in(Lx::CompOther, from, to)
        .iter()
        .any(|o| !in_time(u, o.s))
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
        // "our tender document" is a document the rep is sent.
        let document = DOCUMENT_HEADS.contains(&u.word(sp.e));
        if comp_cue_ok(u, sp) && !to_stakeholder && !document && !past_at(u, sp.s) {
            bump(&mut best, 0.85);
        }
    }
    // "we've got Clari on trial", "Gong are in on a pilot with us".
    for k in 0..n {
        let on_trial = matches!(u.word(k), "on" | "in")
            && (matches!(u.word(k + 1), "trial" | "pilot" | "trials")
                || (u.word(k + 1) == "a" && matches!(u.word(k + 2), "trial" | "pilot")));
        let named =
            vendor_name_in(u, k.saturating_sub(3), k) || (k > 0 && caseless_name_at(u, k - 1));
        if on_trial && named && !u.negated(k.saturating_sub(6), k) {
            bump(&mut best, 0.8);
        }
    }
    // "pressure to standardise on that", "consolidating onto Gong".
    for k in 0..n {
        let verb = matches!(
            u.word(k),
            "standardize" | "standardizing" | "consolidate" | "consolidating"
        );
        let onto = matches!(u.word(k + 1), "on" | "onto");
        let object = u.word(k + 2);
        let other = matches!(object, "that" | "it" | "them" | "one")
            || vendor_name_in(u, k + 2, k + 3)
            || caseless_name_at(u, k + 2);
        if verb && onto && other && !u.negated(k.saturating_sub(5), k) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompEval) {
        // "we're evaluating …", or in the present "we compare you with …".
        let progressive = if u.word(sp.s).ends_with("ing") || sp.e > sp.s + 1 {
            (sp.s.saturating_sub(3)..sp.s).any(|k| {
                matches!(
                    u.word(k),
                    "are" | "am" | "is" | "currently" | "still" | "been" | "also"
                )
            })
        } else {
            sp.s > 0 && matches!(u.word(sp.s - 1), "we" | "also")
        };
        // "looking at" / "talking to" take any object: only a capital
        // tells a vendor there.
        let verb = u.word(sp.s).ends_with("ing")
            && !matches!(u.word(sp.s), "talking" | "speaking" | "chatting");
        let target = vendor_name_in(u, sp.e, (sp.e + 5).min(n))
            || (verb && caseless_name_at(u, sp.e))
            || others_in(u, sp.e, (sp.e + 4).min(n));
        if progressive && target && comp_cue_ok(u, sp) {
            bump(&mut best, 0.85);
        }
    }
    // "Motive is also being looked at for the telematics side": the
    // evaluation in the passive, the vendor its subject.
    for k in 1..n {
        let being = u.word(k) == "being"
            && (matches!(
                u.word(k + 1),
                "evaluated" | "considered" | "trialed" | "tested" | "piloted" | "assessed"
            ) || (u.word(k + 1) == "looked" && u.word(k + 2) == "at"));
        // The subject before "is (currently|also) being", caseless in a
        // transcript ("samsara is currently being evaluated").
        let subject = (k.saturating_sub(4)..k).rev().find(|&j| {
            !matches!(
                u.word(j),
                "is" | "are" | "also" | "currently" | "still" | "now"
            )
        });
        if being
            && (vendor_name_in(u, k.saturating_sub(4), k)
                || subject.is_some_and(|j| caseless_name_at(u, j)))
            && !u.negated(k.saturating_sub(4), k + 1)
        {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompTrialNoun) {
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n))
            || caseless_name_at(u, sp.e)
            || others_in(u, sp.e, (sp.e + 5).min(n));
        if named && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.8);
        }
    }
    // A finished evaluation only counts while it is recent or still open.
    // "…so we're looking at both": the other is still in the running.
    let still_open = (0..n).any(|k| {
        matches!(u.word(k), "still" | "recently" | "currently" | "weighing")
            || (matches!(u.word(k), "at" | "between" | "compare" | "comparing")
                && u.word(k + 1) == "both")
    });
    let recent = u
        .times
        .iter()
        .any(|t| t.past && matches!(t.kind, TimeKind::Week | TimeKind::Day | TimeKind::Month));
    for sp in u.hits(Lx::CompPastEval) {
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n))
            || people_of_name_at(u, sp.e)
            || caseless_name_at(u, sp.e)
            || others_in(u, sp.e, (sp.e + 5).min(n));
        // "we've had a demo from …": just now, as "have" says. Meeting or
        // talking to a name counts only while it goes on ("…and we're
        // still talking to them"): the name may be a person.
        let just_now = sp.s > 0 && matches!(u.word(sp.s - 1), "have" | "has");
        let social = matches!(u.word(sp.s), "met" | "spoke" | "talked" | "chatted");
        let open = still_open || (!social && (recent || just_now));
        if named && open && comp_cue_ok(u, sp) {
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
    // "the current system does the job", "our existing platform's
    // licence is up in May": the tool in place as the option it is.
    let kept = (0..n).any(|k| {
        matches!(
            u.word(k),
            "contract"
                | "renewal"
                | "renew"
                | "license"
                | "licenses"
                | "subscription"
                | "option"
                | "alternative"
                | "stick"
                | "stay"
                | "keep"
        )
    }) || u
        .hits(Lx::CompUseFor)
        .iter()
        .any(|sp| !matches!(u.word(sp.s), "tool" | "tools"));
    // "integration with our existing tools" is about fitting in with them.
    let integrates = (0..n).any(|k| u.word(k).starts_with("integrat"));
    for sp in u.hits(Lx::CompCurrentTool) {
        if kept && !integrates && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.8);
        }
    }
    // "We're on Pipedrive and it does most of what we need" (not "we're on
    // HubSpot", a system they run, nor a lexicon cue the model would take
    // for one).
    for k in 0..n.saturating_sub(2) {
        let on = u.word(k) == "we" && u.word(k + 1) == "are" && u.word(k + 2) == "on";
        let same_need = !u.hits_in(Lx::CompUseFor, k + 3, (k + 13).min(n)).is_empty();
        if on && same_need && !u.negated(k.saturating_sub(3), k + 3) {
            bump(&mut best, 0.8);
        }
    }
    // "Sage does most of what we need already".
    for sp in u.hits(Lx::CompUseFor) {
        // Only the forms that say it meets the need ("does most of what we
        // need", "does the job"), not "what does that stand for".
        let last = u.word(sp.e.saturating_sub(1));
        let does = matches!(
            u.word(sp.s),
            "does" | "do" | "doing" | "covers" | "covering" | "handles" | "handling" | "works"
        ) && (matches!(last, "need" | "job" | "trick" | "us")
            || (sp.s..sp.e).any(|k| u.word(k) == "of"));
        // "Meditrack already does…": the name before any adverb.
        let subject = (0..sp.s).rev().find(|&k| {
            !matches!(
                u.word(k),
                "already" | "also" | "currently" | "still" | "really"
            )
        });
        let named = vendor_name_in(u, sp.s.saturating_sub(3), sp.s)
            || subject.is_some_and(|k| caseless_name_at(u, k));
        if does && named && comp_cue_ok(u, sp) {
            bump(&mut best, 0.75);
        }
    }
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
    // "we've been with Brightwave for six years": the supplier in place.
    for k in 1..n.saturating_sub(1) {
        let with = u.word(k) == "been" && u.word(k + 1) == "with" && u.word(k - 1) == "have";
        let named = vendor_name_in(u, k + 2, k + 3) || caseless_name_at(u, k + 2);
        let since = matches!(u.word(k + 3), "for" | "since");
        if with && named && since && !u.negated(k.saturating_sub(4), k) {
            bump(&mut best, 0.8);
        }
    }
    // "We already do a fair bit of this in Salesforce": the same need met
    // today in a named tool (not "can we do this in Slack?", a question
    // about fitting in, nor "we'll do this in March").
    for k in 1..n {
        let tool = matches!(u.word(k), "in" | "on" | "through" | "using")
            && !in_time(u, k + 1)
            && (vendor_name_in(u, k + 1, k + 2) || caseless_name_at(u, k + 1));
        let Some(this) = tool
            .then(|| (k.saturating_sub(6)..k).rfind(|&j| matches!(u.word(j), "this" | "that")))
            .flatten()
        else {
            continue;
        };
        let does = (this.saturating_sub(7)..this).find(|&j| {
            matches!(
                u.word(j),
                "do" | "doing"
                    | "handle"
                    | "handling"
                    | "manage"
                    | "managing"
                    | "track"
                    | "tracking"
            )
        });
        let present = does.is_some_and(|d| {
            (d.saturating_sub(3)..d).any(|j| matches!(u.word(j), "we" | "already" | "currently"))
                && !(d.saturating_sub(3)..d).any(|j| {
                    matches!(
                        u.word(j),
                        "will" | "would" | "could" | "can" | "should" | "might" | "to" | "want"
                    )
                })
        });
        if present
            && !u.question
            && !u.speculative
            && !u.is_past()
            && !u.negated(this.saturating_sub(8), k)
        {
            bump(&mut best, 0.75);
        }
    }
    for sp in u.hits(Lx::CompUse) {
        // "we already use gong for call recording so there's a bit of
        // overlap there": the need may come a clause's length later.
        let same_need = !u
            .hits_in(Lx::CompUseFor, sp.e, (sp.e + 14).min(n))
            .is_empty();
        if same_need && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompContract) {
        let ends = !u
            .hits_in(Lx::CompContractEnd, sp.e, (sp.e + 10).min(n))
            .is_empty();
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n)) || caseless_name_at(u, sp.e);
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
        if built && comp_cue_ok(u, sp) && !past_at(u, sp.s) {
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
        if build && instead && !u.negated(i.saturating_sub(4), i) && !past_at(u, i) {
            bump(&mut best, 0.75);
        }
    }
    for sp in u.hits(Lx::CompStatusQuo) {
        // "carry on with that", "keep using it": about the tool in place.
        let carry_on = matches!(u.word(sp.s), "carry" | "keep")
            && matches!(u.word(sp.e), "that" | "it" | "them" | "this");
        let real_option = carry_on
            || !u
                .hits_in(Lx::StatusQuoObj, sp.e, (sp.e + 4).min(n))
                .is_empty()
            || (0..n).any(|k| {
                u.word(k) == "option"
                    || (u.word(k) == "on" && u.word(k + 1) == "the" && u.word(k + 2) == "table")
            });
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
    // "offered a discount last year by our old supplier": long gone.
    let stale = (0..n).any(|k| {
        (u.word(k) == "last" && u.word(k + 1) == "year")
            || (matches!(u.word(k), "years" | "year") && matches!(u.word(k + 1), "ago" | "back"))
            || (matches!(u.word(k), "old" | "previous" | "former")
                && matches!(u.word(k + 1), "supplier" | "vendor" | "provider"))
    });
    for sp in u.hits(Lx::CompPrice).iter().filter(|_| !stale) {
        // "you gave us a great price" is the rep's own offer; "yours is
        // higher than what Collibra proposed" compares it with another.
        let comparison = matches!(u.word(sp.s), "higher" | "pricier" | "dearer");
        // "your competitor offered…" is not the rep's own.
        let ours = !comparison
            && (0..sp.s).any(|k| {
                matches!(u.word(k), "you" | "your")
                    && !matches!(
                        u.word(k + 1),
                        "competitor" | "competitors" | "rival" | "rivals"
                    )
            });
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
                | "higher"
                | "pricier"
                | "dearer"
        );
        // "they're coming back to us with a proposal" about a vendor named.
        let coming = matches!(u.word(sp.s), "coming" | "come");
        let from_vendor = if coming {
            vendor_name_in(u, 0, sp.s)
                || (0..sp.s).any(|k| {
                    caseless_name_at(u, k) && matches!(u.word(k + 1), "are" | "is" | "were")
                })
        } else {
            !needs_name
        } || vendor_name_in(u, sp.e, (sp.e + 3).min(n))
            || caseless_name_at(u, sp.e)
            // "a quote from another company", "pricing from a competitor".
            || u.hits_in(Lx::CompOther, sp.e, (sp.e + 3).min(n)).iter().any(|o| {
                matches!(
                    u.word(o.s),
                    "other" | "another" | "alternative" | "similar" | "competitor" | "competitors" | "rival" | "rivals"
                )
            });
        if !ours && from_vendor && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}
