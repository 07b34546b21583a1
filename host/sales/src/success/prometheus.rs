//! The success metrics as Prometheus gauges, built afresh at each scrape
//! from the orgs' summaries (so an org, skill or label that no longer has
//! numbers drops out). Every series carries `org` (the slug) and `window`
//! (`7d`, `30d`); the rest are skill names, labels from the one label rule
//! (`label.rs`), outcomes and quantiles: a bounded set, never customer
//! text.
//!
//! - `baton_suggestions{org,skill,label,outcome,window}`: count;
//! - trust, per skill and action kind:
//!   `baton_trust_suggestions{org,skill,kind,outcome,window}` (count),
//!   `baton_approved_unchanged_ratio{org,skill,kind,window}` (the SLO:
//!   approved as drafted, out of every suggestion) and
//!   `baton_edit_distance_mean{org,skill,kind,window}` (how far edits moved
//!   the drafts, 0 to 1, in words);
//! - `baton_dismissal_rate{org,window}` and
//!   `baton_dismissal_rate_by_skill{org,skill,label,window}`: dismissed over
//!   answered-or-expired;
//! - `baton_followup_seconds{org,quantile,window}` (0.5, 0.9) and
//!   `baton_followup_meetings{org,followup,window}` (`sent`, `not_sent`);
//! - `baton_briefs{org,outcome,window}` (`on_time`, `late`, `pending`,
//!   `unknown_start`) and `baton_briefs_on_time_ratio{org,window}`;
//! - `baton_scheduling_requests{org,outcome,window}` (`handled`,
//!   `not_handled`) and `baton_scheduling_handled_ratio{org,window}`;
//! - `baton_crm_update_completeness_ratio{org,window}` (meetings whose CRM
//!   update went in), `baton_button_engagement_ratio{org,window}`
//!   (approval requests acted on, of those answered or expired) and
//!   `baton_stale_deals_reengaged_per_week{org,window}`.
//!
//! A ratio or quantile without data is left out rather than written as 0.

use super::label::Outcome;
use super::{Summary, WINDOWS, Window};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

type Real = Gauge<f64, AtomicU64>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SuggestionLabels {
    org: String,
    skill: String,
    label: String,
    outcome: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindOutcome {
    org: String,
    skill: String,
    kind: String,
    outcome: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindWindow {
    org: String,
    skill: String,
    kind: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OrgWindow {
    org: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SkillWindow {
    org: String,
    skill: String,
    label: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QuantileLabels {
    org: String,
    quantile: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FollowUpLabels {
    org: String,
    followup: String,
    window: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    org: String,
    outcome: String,
    window: String,
}

/// The gauges, one family each.
#[derive(Default)]
struct Gauges {
    suggestions: Family<SuggestionLabels, Real>,
    trust: Family<KindOutcome, Real>,
    unchanged: Family<KindWindow, Real>,
    edit_distance: Family<KindWindow, Real>,
    dismissal: Family<OrgWindow, Real>,
    dismissal_by_skill: Family<SkillWindow, Real>,
    followup_seconds: Family<QuantileLabels, Real>,
    followup_meetings: Family<FollowUpLabels, Real>,
    briefs: Family<OutcomeLabels, Real>,
    briefs_on_time: Family<OrgWindow, Real>,
    scheduling: Family<OutcomeLabels, Real>,
    scheduling_handled: Family<OrgWindow, Real>,
    crm_completeness: Family<OrgWindow, Real>,
    button_engagement: Family<OrgWindow, Real>,
    reengaged_per_week: Family<OrgWindow, Real>,
}

/// A registry (prefix `baton`) holding the success gauges of `orgs`.
pub fn registry(orgs: &[Summary]) -> Registry {
    let g = Gauges::default();
    for s in orgs {
        for w in s.windows.iter().filter(|w| WINDOWS.contains(&w.days)) {
            set_window(&g, &s.org, w);
        }
    }
    let mut r = Registry::with_prefix("baton");
    r.register(
        "suggestions",
        "Suggestions answered or expired in the window, by skill, label and outcome",
        g.suggestions,
    );
    r.register(
        "trust_suggestions",
        "Suggestions answered, expired or superseded in the window, by skill, action kind and outcome",
        g.trust,
    );
    r.register(
        "approved_unchanged_ratio",
        "Suggestions approved as drafted out of every suggestion of one skill and action kind",
        g.unchanged,
    );
    r.register(
        "edit_distance_mean",
        "How far edits moved one skill's drafts of one action kind (0 to 1, in words)",
        g.edit_distance,
    );
    r.register(
        "dismissal_rate",
        "Suggestions dismissed out of those answered or expired in the window",
        g.dismissal,
    );
    r.register(
        "dismissal_rate_by_skill",
        "The dismissal rate of one skill and label",
        g.dismissal_by_skill,
    );
    r.register(
        "followup_seconds",
        "Meeting end to follow-up email delivered, for meetings that ended in the window",
        g.followup_seconds,
    );
    r.register(
        "followup_meetings",
        "Meetings that ended in the window, by whether a follow-up email went out",
        g.followup_meetings,
    );
    r.register(
        "briefs",
        "Pre-meeting briefs in the window, by whether they arrived before the meeting",
        g.briefs,
    );
    r.register(
        "briefs_on_time_ratio",
        "Pre-meeting briefs delivered before the meeting, out of those delivered or late",
        g.briefs_on_time,
    );
    r.register(
        "scheduling_requests",
        "Scheduling requests in the window, by whether the rep was offered times",
        g.scheduling,
    );
    r.register(
        "scheduling_handled_ratio",
        "Scheduling requests that reached the rep's choice of times or completed",
        g.scheduling_handled,
    );
    r.register(
        "crm_update_completeness_ratio",
        "Meetings that ended in the window whose CRM update was delivered",
        g.crm_completeness,
    );
    r.register(
        "button_engagement_ratio",
        "Approval requests a person acted on, out of those answered or expired in the window",
        g.button_engagement,
    );
    r.register(
        "stale_deals_reengaged_per_week",
        "Stale deals whose revival email went out, per 7 days of the window",
        g.reengaged_per_week,
    );
    r
}

fn set_window(g: &Gauges, org: &str, w: &Window) {
    let window = format!("{}d", w.days);
    let ow = || OrgWindow {
        org: org.to_owned(),
        window: window.clone(),
    };
    let outcome = |o: &str| OutcomeLabels {
        org: org.to_owned(),
        outcome: o.to_owned(),
        window: window.clone(),
    };
    for sl in &w.by_skill_label {
        for o in Outcome::ALL {
            g.suggestions
                .get_or_create(&SuggestionLabels {
                    org: org.to_owned(),
                    skill: sl.skill.clone(),
                    label: sl.label.clone(),
                    outcome: o.as_str().to_owned(),
                    window: window.clone(),
                })
                .set(sl.counts.get(o) as f64);
        }
        if let Some(rate) = sl.dismissal_rate {
            g.dismissal_by_skill
                .get_or_create(&SkillWindow {
                    org: org.to_owned(),
                    skill: sl.skill.clone(),
                    label: sl.label.clone(),
                    window: window.clone(),
                })
                .set(rate);
        }
    }
    for t in &w.trust {
        let kw = || KindWindow {
            org: org.to_owned(),
            skill: t.skill.clone(),
            kind: t.kind.clone(),
            window: window.clone(),
        };
        for o in Outcome::ALL {
            g.trust
                .get_or_create(&KindOutcome {
                    org: org.to_owned(),
                    skill: t.skill.clone(),
                    kind: t.kind.clone(),
                    outcome: o.as_str().to_owned(),
                    window: window.clone(),
                })
                .set(t.counts.get(o) as f64);
        }
        if let Some(r) = t.approved_unchanged_share {
            g.unchanged.get_or_create(&kw()).set(r);
        }
        if let Some(d) = t.edit_distance_mean {
            g.edit_distance.get_or_create(&kw()).set(d);
        }
    }
    if let Some(rate) = w.dismissal_rate {
        g.dismissal.get_or_create(&ow()).set(rate);
    }
    let f = &w.follow_up;
    for (q, v) in [("0.5", f.p50_seconds), ("0.9", f.p90_seconds)] {
        if let Some(v) = v {
            g.followup_seconds
                .get_or_create(&QuantileLabels {
                    org: org.to_owned(),
                    quantile: q.to_owned(),
                    window: window.clone(),
                })
                .set(v);
        }
    }
    for (sent, n) in [("sent", f.sent), ("not_sent", f.meetings - f.sent)] {
        g.followup_meetings
            .get_or_create(&FollowUpLabels {
                org: org.to_owned(),
                followup: sent.to_owned(),
                window: window.clone(),
            })
            .set(n as f64);
    }
    let b = &w.briefs;
    for (o, n) in [
        ("on_time", b.on_time),
        ("late", b.late),
        ("pending", b.pending),
        ("unknown_start", b.unknown_start),
    ] {
        g.briefs.get_or_create(&outcome(o)).set(n as f64);
    }
    if let Some(r) = b.on_time_share {
        g.briefs_on_time.get_or_create(&ow()).set(r);
    }
    let s = &w.scheduling;
    for (o, n) in [
        ("handled", s.handled),
        ("not_handled", s.requests - s.handled),
    ] {
        g.scheduling.get_or_create(&outcome(o)).set(n as f64);
    }
    if let Some(r) = s.handled_share {
        g.scheduling_handled.get_or_create(&ow()).set(r);
    }
    if let Some(r) = w.crm_updates.completeness {
        g.crm_completeness.get_or_create(&ow()).set(r);
    }
    if let Some(r) = w.buttons.engagement {
        g.button_engagement.get_or_create(&ow()).set(r);
    }
    g.reengaged_per_week
        .get_or_create(&ow())
        .set(w.revivals.re_engaged_per_week);
}
