//! Live success metrics (the plan's Success Metrics table), computed from
//! what the store already records, for one org at a time: suggestions
//! accepted, edited, dismissed, expired and superseded per skill and label,
//! the dismissal rate, the measure of trust per skill and action kind (the
//! share approved unchanged, and how far edits moved the drafts), meeting end → follow-up sent, pre-meeting briefs
//! delivered before the meeting, scheduling requests handled, CRM update
//! completeness (meetings whose CRM update went in), action button
//! engagement (approval requests a person acted on, of those that reached
//! them) and stale deals re-engaged per week. Read by
//! `/metrics` (`baton::metrics`), `GET /v1/metrics/success` and the inbox's
//! metrics page; nothing here writes.
//!
//! - [`label`]: what one gate counts as (the outcome and the label rule).
//! - [`stats`]: quantiles, shares, days.
//! - [`prometheus`]: the gauges `/metrics` shows.
//!
//! Windows end now and reach back whole 24-hour periods; daily figures are
//! UTC days.

pub mod label;
pub mod prometheus;
pub mod stats;

use crate::store::SuccessTables;
use crate::store::success::{
    FinishedGate, MeetingBrief, MeetingFollowUp, Revival, SchedulingRequest,
};
use baton_store::{JobStatus, Org, Reach, Store, StoreError};
use label::Outcome;
use serde::{Deserialize, Serialize};
use stats::{DAY_MS, day, quantile, share};
use std::collections::BTreeMap;

/// The windows every summary has, in days.
pub const WINDOWS: [u32; 2] = [7, 30];
/// The longest window a caller may ask for, in days.
pub const MAX_DAYS: u32 = 90;
/// The skill whose `data.intent` labels an inbound email.
pub const CLASSIFIER: &str = "classify-email-intent";

/// Suggestions by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub accepted: u64,
    pub edited: u64,
    pub dismissed: u64,
    pub expired: u64,
    /// Withdrawn unanswered because what they were based on moved on.
    pub superseded: u64,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        *self.slot(o) += 1;
    }

    fn slot(&mut self, o: Outcome) -> &mut u64 {
        match o {
            Outcome::Accepted => &mut self.accepted,
            Outcome::Edited => &mut self.edited,
            Outcome::Dismissed => &mut self.dismissed,
            Outcome::Expired => &mut self.expired,
            Outcome::Superseded => &mut self.superseded,
        }
    }

    /// How many ended with `o`.
    pub fn get(&self, o: Outcome) -> u64 {
        match o {
            Outcome::Accepted => self.accepted,
            Outcome::Edited => self.edited,
            Outcome::Dismissed => self.dismissed,
            Outcome::Expired => self.expired,
            Outcome::Superseded => self.superseded,
        }
    }

    /// Every suggestion answered, expired or superseded.
    pub fn total(&self) -> u64 {
        self.answered_or_expired() + self.superseded
    }

    /// Those a person answered or let expire (not the superseded).
    pub fn answered_or_expired(&self) -> u64 {
        self.accepted + self.edited + self.dismissed + self.expired
    }

    /// Dismissed out of answered-or-expired; `None` without any.
    pub fn dismissal_rate(&self) -> Option<f64> {
        share(self.dismissed, self.answered_or_expired())
    }

    /// Approved as drafted out of every suggestion (the trust SLO); `None`
    /// without any.
    pub fn unchanged_share(&self) -> Option<f64> {
        share(self.accepted, self.total())
    }
}

/// Suggestions of one skill and label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillLabel {
    pub skill: String,
    pub label: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub dismissal_rate: Option<f64>,
}

/// The measure of trust in one skill's suggestions of one action kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trust {
    pub skill: String,
    /// The kind of the suggestion's first proposed action (`email_send`,
    /// `crm_update`, …), `none` when it showed none.
    pub kind: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Approved as drafted, out of every suggestion.
    pub approved_unchanged_share: Option<f64>,
    /// The mean edit distance of the edited ones (0 to 1, in words).
    pub edit_distance_mean: Option<f64>,
}

/// Meeting end → follow-up email sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowUps {
    /// Meetings that ended in the window (`meeting_ended` jobs).
    pub meetings: u64,
    /// Of those, how many had a follow-up email delivered.
    pub sent: u64,
    pub p50_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
}

/// Pre-meeting briefs and whether they arrived before the meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Briefs {
    /// `pre_meeting_90min` jobs in the window.
    pub briefs: u64,
    /// Delivered before the meeting started.
    pub on_time: u64,
    /// Delivered after the start, or not delivered by then.
    pub late: u64,
    /// Not delivered yet, before a start still to come.
    pub pending: u64,
    /// No start known (neither the event nor the calendar says).
    pub unknown_start: u64,
    /// `on_time / (on_time + late)`.
    pub on_time_share: Option<f64>,
}

/// Scheduling requests and whether the rep was offered times.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scheduling {
    /// `calendar_find_times` jobs that reached a gate or ended.
    pub requests: u64,
    /// Of those, how many reached the rep's choice of times or completed.
    pub handled: u64,
    /// Still working (neither at a gate nor ended); not in `requests`.
    pub in_progress: u64,
    pub handled_share: Option<f64>,
}

/// CRM update completeness: meetings whose CRM update went in (the plan's
/// goal: over 90%).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CrmUpdates {
    /// Meetings that ended in the window.
    pub meetings: u64,
    /// Of those, how many had a CRM update delivered.
    pub updated: u64,
    pub completeness: Option<f64>,
}

/// Action button engagement: approval requests a person acted on (approve,
/// edit, skip, choose), out of those that reached them and were not
/// withdrawn (the plan's goal: over 60%).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Buttons {
    /// Answered or expired.
    pub delivered: u64,
    /// Answered by a person.
    pub clicked: u64,
    pub engagement: Option<f64>,
}

/// Stale deals re-engaged: revivals whose email went out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Revivals {
    /// Stale deals a revival was drafted for in the window.
    pub stale_deals: u64,
    /// Of those, how many had the revival email sent.
    pub re_engaged: u64,
    /// `re_engaged` over the window, per 7 days.
    pub re_engaged_per_week: f64,
}

/// Every metric over one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub days: u32,
    pub suggestions: Counts,
    pub dismissal_rate: Option<f64>,
    /// Per skill and label, most suggestions first.
    pub by_skill_label: Vec<SkillLabel>,
    /// Approved as drafted, out of every suggestion.
    pub approved_unchanged_share: Option<f64>,
    /// The mean edit distance of the edited suggestions.
    pub edit_distance_mean: Option<f64>,
    /// Per skill and action kind, most suggestions first.
    pub trust: Vec<Trust>,
    pub follow_up: FollowUps,
    pub briefs: Briefs,
    pub scheduling: Scheduling,
    pub crm_updates: CrmUpdates,
    pub buttons: Buttons,
    pub revivals: Revivals,
}

/// One UTC day's suggestions and follow-ups, for charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub suggestions: Counts,
    pub dismissal_rate: Option<f64>,
    /// Median follow-up time of the meetings that ended that day.
    pub follow_up_p50_seconds: Option<f64>,
}

/// An org's success metrics now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The org's slug.
    pub org: String,
    /// When this was computed (unix ms).
    pub as_of: i64,
    /// The window asked for, in days (`daily` covers it).
    pub days: u32,
    /// The 7- and 30-day windows, and the one asked for if it is neither;
    /// shortest first.
    pub windows: Vec<Window>,
    /// Oldest first, one per day of the window asked for.
    pub daily: Vec<Day>,
}

impl Summary {
    /// The window of `days`, if the summary has it.
    pub fn window(&self, days: u32) -> Option<&Window> {
        self.windows.iter().find(|w| w.days == days)
    }
}

/// What the summary is computed from: the store's rows since the longest
/// window's start.
struct Facts {
    gates: Vec<Counted>,
    meetings: Vec<(i64, Option<f64>)>,
    /// Each meeting's end and whether its CRM update went in.
    crm: Vec<(i64, bool)>,
    briefs: Vec<MeetingBrief>,
    scheduling: Vec<SchedulingRequest>,
    revivals: Vec<Revival>,
}

/// The success metrics of `org` at `now`, over the work within `reach` (a
/// rep's own and their team's, or the org's), with windows of 7 and 30
/// days and of `days` (1 to [`MAX_DAYS`]; the caller checks).
pub async fn summarise(
    store: &Store,
    org: &Org,
    reach: &Reach,
    now: i64,
    days: u32,
) -> Result<Summary, StoreError> {
    let longest = WINDOWS.iter().copied().chain([days]).max().unwrap_or(days);
    let since = now - i64::from(longest) * DAY_MS;
    let gates = store
        .finished_gates(&org.id, reach, since, CLASSIFIER)
        .await?;
    let meetings = store.meeting_follow_ups(&org.id, reach, since).await?;
    let facts = Facts {
        gates: gates.iter().filter_map(counted).collect(),
        meetings: meetings.iter().map(follow_up_time).collect(),
        crm: meetings
            .iter()
            .map(|m| (follow_up_time(m).0, m.crm_updated_at.is_some()))
            .collect(),
        briefs: store.meeting_briefs(&org.id, reach, since).await?,
        scheduling: store.scheduling_requests(&org.id, reach, since).await?,
        revivals: store.revivals(&org.id, reach, since).await?,
    };
    let mut spans: Vec<u32> = WINDOWS.to_vec();
    if !spans.contains(&days) {
        spans.push(days);
    }
    spans.sort_unstable();
    Ok(Summary {
        org: org.slug.clone(),
        as_of: now,
        days,
        windows: spans.iter().map(|&d| window(&facts, now, d)).collect(),
        daily: daily(&facts, now, days),
    })
}

/// The success metrics of every org at `now`, over the 7- and 30-day
/// windows (for `/metrics`).
pub async fn every_org(store: &Store, now: i64) -> Result<Vec<Summary>, StoreError> {
    let mut all = Vec::new();
    for org in store.orgs().await? {
        all.push(summarise(store, &org, &Reach::Org, now, 30).await?);
    }
    Ok(all)
}

/// How long a replica may take to recompute an org's figures before
/// another may claim them.
const RECOMPUTE_CLAIM_MS: i64 = 60_000;

/// [`every_org`] as `/metrics` reads it: each org's figures as last
/// computed, recomputed only when older than `max_age_ms`, and then by
/// the one replica that claims them (the others read the older figures
/// meanwhile; with none yet, they compute without keeping them).
pub async fn every_org_cached(
    store: &Store,
    now: i64,
    max_age_ms: i64,
) -> Result<Vec<Summary>, StoreError> {
    let mut all = Vec::new();
    for org in store.orgs().await? {
        let kept = match store.success_snapshot(&org.id).await? {
            Some((json, at)) if at > 0 => {
                serde_json::from_str::<Summary>(&json).ok().map(|s| (s, at))
            }
            _ => None,
        };
        let summary = match kept {
            Some((s, at)) if now - at < max_age_ms => s,
            kept => {
                if store
                    .claim_success_snapshot(&org.id, now, now + RECOMPUTE_CLAIM_MS)
                    .await?
                {
                    let fresh = summarise(store, &org, &Reach::Org, now, 30).await?;
                    let json = serde_json::to_string(&fresh)
                        .map_err(StoreError::json("the success figures"))?;
                    store.put_success_snapshot(&org.id, &json, now).await?;
                    fresh
                } else if let Some((s, _)) = kept {
                    s
                } else {
                    summarise(store, &org, &Reach::Org, now, 30).await?
                }
            }
        };
        all.push(summary);
    }
    Ok(all)
}

/// A finished gate as the metrics count it.
struct Counted {
    /// When it was answered, expired or withdrawn.
    at: i64,
    skill: String,
    label: String,
    kind: &'static str,
    outcome: Outcome,
    /// How far an edit moved the draft.
    distance: Option<f64>,
}

fn counted(g: &FinishedGate) -> Option<Counted> {
    label::outcome(g).map(|outcome| Counted {
        at: g.decided_at,
        skill: label::skill(g),
        label: label::label(g),
        kind: label::kind(g),
        outcome,
        distance: label::edit_distance(g),
    })
}

/// The mean of the distances given; `None` without any.
fn mean<'a>(distances: impl Iterator<Item = &'a Counted>) -> Option<f64> {
    let d: Vec<f64> = distances.filter_map(|c| c.distance).collect();
    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
}

/// A meeting as (when it ended, seconds to its follow-up if one was sent).
/// It ended at the event's `ended_at` when the payload has one, else when
/// the job was created (the webhook's arrival).
fn follow_up_time(m: &MeetingFollowUp) -> (i64, Option<f64>) {
    let ended = m
        .ended_at
        .as_deref()
        .and_then(stats::instant)
        .unwrap_or(m.created_at);
    let seconds = m
        .first_sent()
        .map(|sent| (sent - ended).max(0) as f64 / 1000.0);
    (ended, seconds)
}

fn window(f: &Facts, now: i64, days: u32) -> Window {
    let since = now - i64::from(days) * DAY_MS;
    let mut total = Counts::default();
    let mut by: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
    let mut trusted: BTreeMap<(&str, &str), Vec<&Counted>> = BTreeMap::new();
    let within: Vec<&Counted> = f.gates.iter().filter(|g| g.at >= since).collect();
    for g in &within {
        total.add(g.outcome);
        by.entry((g.skill.as_str(), g.label.as_str()))
            .or_default()
            .add(g.outcome);
        trusted
            .entry((g.skill.as_str(), g.kind))
            .or_default()
            .push(g);
    }
    let mut trust: Vec<Trust> = trusted
        .into_iter()
        .map(|((skill, kind), gates)| {
            let mut counts = Counts::default();
            gates.iter().for_each(|g| counts.add(g.outcome));
            Trust {
                skill: skill.to_owned(),
                kind: kind.to_owned(),
                approved_unchanged_share: counts.unchanged_share(),
                edit_distance_mean: mean(gates.into_iter()),
                counts,
            }
        })
        .collect();
    trust.sort_by_key(|t| std::cmp::Reverse(t.counts.total()));
    let mut by_skill_label: Vec<SkillLabel> = by
        .into_iter()
        .map(|((skill, label), counts)| SkillLabel {
            skill: skill.to_owned(),
            label: label.to_owned(),
            dismissal_rate: counts.dismissal_rate(),
            counts,
        })
        .collect();
    by_skill_label.sort_by_key(|s| std::cmp::Reverse(s.counts.total()));
    Window {
        days,
        suggestions: total,
        dismissal_rate: total.dismissal_rate(),
        by_skill_label,
        approved_unchanged_share: total.unchanged_share(),
        edit_distance_mean: mean(within.into_iter()),
        trust,
        follow_up: follow_ups(f.meetings.iter().filter(|m| m.0 >= since)),
        briefs: briefs(f.briefs.iter().filter(|b| b.created_at >= since), now),
        scheduling: scheduling(f.scheduling.iter().filter(|s| s.created_at >= since)),
        crm_updates: crm_updates(f.crm.iter().filter(|m| m.0 >= since)),
        buttons: buttons(&total),
        revivals: revivals(f.revivals.iter().filter(|r| r.created_at >= since), days),
    }
}

fn crm_updates<'a>(meetings: impl Iterator<Item = &'a (i64, bool)>) -> CrmUpdates {
    let mut c = CrmUpdates::default();
    for (_, updated) in meetings {
        c.meetings += 1;
        c.updated += u64::from(*updated);
    }
    c.completeness = share(c.updated, c.meetings);
    c
}

fn buttons(total: &Counts) -> Buttons {
    let clicked = total.accepted + total.edited + total.dismissed;
    Buttons {
        delivered: total.answered_or_expired(),
        clicked,
        engagement: share(clicked, total.answered_or_expired()),
    }
}

fn revivals<'a>(jobs: impl Iterator<Item = &'a Revival>, days: u32) -> Revivals {
    let mut r = Revivals::default();
    for j in jobs {
        r.stale_deals += 1;
        r.re_engaged += u64::from(j.sent_at.is_some());
    }
    r.re_engaged_per_week = r.re_engaged as f64 * 7.0 / f64::from(days.max(1));
    r
}

fn follow_ups<'a>(meetings: impl Iterator<Item = &'a (i64, Option<f64>)>) -> FollowUps {
    let mut n = 0;
    let times: Vec<f64> = meetings.inspect(|_| n += 1).filter_map(|m| m.1).collect();
    FollowUps {
        meetings: n,
        sent: times.len() as u64,
        p50_seconds: quantile(&times, 0.5),
        p90_seconds: quantile(&times, 0.9),
    }
}

fn briefs<'a>(jobs: impl Iterator<Item = &'a MeetingBrief>, now: i64) -> Briefs {
    let mut b = Briefs::default();
    for j in jobs {
        b.briefs += 1;
        let start = j
            .starts_at
            .as_deref()
            .and_then(stats::instant)
            .or(j.meeting_starts_at);
        match (start, j.delivered_at) {
            (None, _) => b.unknown_start += 1,
            (Some(s), Some(d)) if d < s => b.on_time += 1,
            (Some(s), None) if now < s => b.pending += 1,
            _ => b.late += 1,
        }
    }
    b.on_time_share = share(b.on_time, b.on_time + b.late);
    b
}

fn scheduling<'a>(jobs: impl Iterator<Item = &'a SchedulingRequest>) -> Scheduling {
    let mut s = Scheduling::default();
    for j in jobs {
        let status = JobStatus::parse(&j.status).ok();
        let gated = j.gated != 0;
        if !gated && !status.is_some_and(JobStatus::is_final) {
            s.in_progress += 1;
            continue;
        }
        s.requests += 1;
        if gated || status == Some(JobStatus::Completed) {
            s.handled += 1;
        }
    }
    s.handled_share = share(s.handled, s.requests);
    s
}

fn daily(f: &Facts, now: i64, days: u32) -> Vec<Day> {
    let last = day(now);
    let first = last - i64::from(days) + 1;
    let mut counts: BTreeMap<i64, Counts> = BTreeMap::new();
    for g in &f.gates {
        counts.entry(day(g.at)).or_default().add(g.outcome);
    }
    let mut times: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (ended, seconds) in &f.meetings {
        if let Some(s) = seconds {
            times.entry(day(*ended)).or_default().push(*s);
        }
    }
    (first..=last)
        .map(|d| {
            let c = counts.get(&d).copied().unwrap_or_default();
            Day {
                date: stats::date(d),
                suggestions: c,
                dismissal_rate: c.dismissal_rate(),
                follow_up_p50_seconds: times.get(&d).and_then(|t| quantile(t, 0.5)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
