//! The weekly coaching digest's payload and its one way in. The scheduler
//! fires `coaching_digest` on each rep's Monday morning in their zone
//! (only for reps whose coaching preference is `weekly` or `both`); [`fire`]
//! takes the rep's two weeks from the stored analyses
//! (`coaching_analyses`, written by the meeting chain's checkpoints) and
//! hands them to the job as its payload ([`baton_types::coaching::Digest`]),
//! as the morning brief does (`brief.rs`): the payload is recorded with the
//! job, so its skills, a retry and the job page see the week as it was.
//!
//! What is taken, all scoped to one org and one rep, never written:
//! - this week's and last week's figures (the seven local days before the
//!   digest's date, and the seven before those) against the org's targets
//!   (org profile `coaching.targets`; defaults 40/60 talk and 6 discovery
//!   questions);
//! - this week's moments (the longest monologues, unanswered questions,
//!   objections without evidence), with their timestamp and quote, for the
//!   focus area;
//! - the winning pattern's counts: deals of the last 90 days' analysed
//!   meetings, won against lost or stalled (open and quiet 14 days), and
//!   how many of each had the current process asked about in the first 5
//!   minutes of their first analysed meeting (the skill says nothing when
//!   either side has too few);
//! - follow-up speed: meeting end → the first follow-up email delivered.

use super::snapshot::Taken;
use super::timing::{DAY_MS, STALE_AFTER_MS};
use crate::store::CoachingTables;
use crate::store::coaching::{CoachingAnalysis, FollowUpTiming};
use baton_engine::orchestrator::conductor::{Orchestrator, OrchestratorError};
use baton_engine::orchestrator::events::Submitted;
use baton_store::{Org, Store, StoreError, User};
use baton_types::brief::Rep;
use baton_types::coaching::{
    Digest, FollowUpSpeed, Moment, MomentKind, Side, Targets, Week, WinningPattern,
};
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde_json::Value;

/// The event type.
pub const EVENT: &str = "coaching_digest";
/// The skill whose output is the composed digest (the inbox shows it).
pub const COMPOSER: &str = "compose-coaching-digest";
/// The pattern: the current process asked about within this many minutes.
const PROCESS_WITHIN_MIN: u32 = 5;
/// Deals whose analysed meetings are this recent count for the pattern.
const LOOKBACK_DAYS: u32 = 90;
/// A follow-up this soon after the meeting counts as fast.
const FAST_FOLLOW_UP_MIN: u32 = 10;
/// Moments of each kind handed to the composer.
const MOMENTS_PER_KIND: usize = 2;
/// Longest quote handed on, in characters.
const QUOTE_CHARS: usize = 120;

/// Take the rep's digest at `now` and submit a `coaching_digest` job with
/// it, keyed by the local date (one a day when scheduled; each ask its own).
pub async fn fire(
    orch: &Orchestrator,
    org: &Org,
    user: &User,
    now: i64,
    scheduled: bool,
) -> Result<Submitted, OrchestratorError> {
    let digest = snapshot(&orch.store, org, user, now, scheduled).await?;
    let date = digest.date.clone().unwrap_or_default();
    let taken = Taken {
        event: EVENT,
        date: &date,
        now,
        scheduled,
        asked_source: "api:coaching",
    };
    super::snapshot::submit(orch, org, user, taken, &digest).await
}

/// The rep's coaching weeks at `now`, in their zone.
pub async fn snapshot(
    store: &Store,
    org: &Org,
    user: &User,
    now: i64,
    scheduled: bool,
) -> Result<Digest, StoreError> {
    let prefs = store.preferences(&org.id, &user.id).await?;
    let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
    let local = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_zoned(tz))
        .map_err(StoreError::time(format!("time {now}")))?;
    let midnight = local
        .start_of_day()
        .map_err(StoreError::time(format!("time {now}")))?;
    // Local days, so a week across a clock change is still seven days.
    let day = |n: i64| -> Result<(i64, String), StoreError> {
        let z = midnight
            .checked_sub(jiff::Span::new().days(n))
            .map_err(StoreError::time(format!("time {now}")))?;
        Ok((z.timestamp().as_millisecond(), z.date().to_string()))
    };
    let (to, _) = day(0)?;
    let (mid, this_from) = day(7)?;
    let (from, last_from) = day(14)?;
    let targets = org
        .profile
        .pointer("/coaching/targets")
        .and_then(|t| Targets::deserialize(t).ok())
        .unwrap_or_default();
    let this = store.coaching_analyses(&org.id, &user.id, mid, to).await?;
    let last = store
        .coaching_analyses(&org.id, &user.id, from, mid)
        .await?;
    let this_follow = store.follow_up_timings(&org.id, &user.id, mid, to).await?;
    let last_follow = store
        .follow_up_timings(&org.id, &user.id, from, mid)
        .await?;
    let deals = store
        .coached_deals(&org.id, &user.id, now - i64::from(LOOKBACK_DAYS) * DAY_MS)
        .await?;
    let within_ms = i64::from(PROCESS_WITHIN_MIN) * 60_000;
    let mut pattern = WinningPattern {
        within_minutes: PROCESS_WITHIN_MIN,
        lookback_days: LOOKBACK_DAYS,
        ..WinningPattern::default()
    };
    for d in &deals {
        let side = match d.stage.as_str() {
            "closed_won" => &mut pattern.won,
            "closed_lost" => &mut pattern.lost_or_stalled,
            _ if d
                .last_activity_at
                .max(d.last_meeting_at)
                .is_none_or(|t| t < now - STALE_AFTER_MS) =>
            {
                &mut pattern.lost_or_stalled
            }
            _ => continue,
        };
        count(side, d.first_process_at_ms.is_some_and(|t| t <= within_ms));
    }
    Ok(Digest {
        rep: Some(Rep {
            handle: user.handle.clone(),
            name: user.name.clone(),
            timezone: prefs.timezone.clone(),
        }),
        date: Some(local.date().to_string()),
        scheduled,
        targets,
        this_week: week(this_from, &this, &this_follow, within_ms),
        last_week: week(last_from, &last, &last_follow, within_ms),
        moments: moments(&this),
        pattern,
        inbox_path: Some("/inbox".into()),
    })
}

fn count(side: &mut Side, with: bool) {
    side.deals += 1;
    side.with_pattern += u32::from(with);
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

fn small(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// One week's figures.
fn week(from: String, rows: &[CoachingAnalysis], follow: &[FollowUpTiming], within: i64) -> Week {
    let mut minutes: Vec<f64> = follow
        .iter()
        .filter_map(|f| {
            f.first_sent()
                .map(|s| (s - f.ended_at).max(0) as f64 / 60_000.0)
        })
        .collect();
    minutes.sort_by(f64::total_cmp);
    let median = match minutes.len() {
        0 => None,
        n if n % 2 == 1 => Some(minutes[n / 2]),
        n => Some((minutes[n / 2 - 1] + minutes[n / 2]) / 2.0),
    };
    Week {
        from,
        meetings: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        rep_share: mean(rows.iter().filter_map(|r| r.rep_share)),
        discovery_per_meeting: mean(rows.iter().map(|r| r.discovery_questions as f64)),
        questions_per_meeting: mean(rows.iter().map(|r| r.questions as f64)),
        objections: small(rows.iter().map(|r| r.objections).sum()),
        objections_with_evidence: small(
            rows.iter()
                .map(|r| r.objections_answered_with_evidence)
                .sum(),
        ),
        unanswered: small(rows.iter().map(|r| r.unanswered).sum()),
        process_early: u32::try_from(
            rows.iter()
                .filter(|r| r.current_process_at_ms.is_some_and(|t| t <= within))
                .count(),
        )
        .unwrap_or(u32::MAX),
        follow_up: FollowUpSpeed {
            sent: u32::try_from(minutes.len()).unwrap_or(u32::MAX),
            fast: u32::try_from(
                minutes
                    .iter()
                    .filter(|m| **m <= f64::from(FAST_FOLLOW_UP_MIN))
                    .count(),
            )
            .unwrap_or(u32::MAX),
            fast_minutes: FAST_FOLLOW_UP_MIN,
            median_minutes: median,
        },
    }
}

/// The parts of a stored analysis (`detail`) a moment is taken from.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Detail {
    longest_monologue: Option<DetailMonologue>,
    unanswered_questions: Vec<DetailQuestion>,
    objections: Vec<DetailObjection>,
}

#[derive(Deserialize)]
struct DetailMonologue {
    #[serde(default)]
    start_ms: Option<i64>,
    #[serde(default)]
    duration_ms: Option<i64>,
    #[serde(default)]
    quote: String,
}

#[derive(Deserialize)]
struct DetailQuestion {
    #[serde(default)]
    at_ms: Option<i64>,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    answered_at_ms: Option<i64>,
}

#[derive(Deserialize)]
struct DetailObjection {
    kind: String,
    #[serde(default)]
    at_ms: Option<i64>,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    with_evidence: bool,
}

fn short(quote: &str) -> String {
    let q = quote.trim();
    if q.chars().count() <= QUOTE_CHARS {
        return q.to_owned();
    }
    let cut: String = q.chars().take(QUOTE_CHARS - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// This week's moments: per kind, the worst [`MOMENTS_PER_KIND`] (longest
/// monologue, longest-waiting question, objections without evidence).
fn moments(rows: &[CoachingAnalysis]) -> Vec<Moment> {
    let mut monologues = Vec::new();
    let mut questions = Vec::new();
    let mut objections = Vec::new();
    for r in rows {
        // A row whose detail does not read gives no moments, not an error.
        let Ok(d) = serde_json::from_str::<Value>(&r.detail).and_then(Detail::deserialize) else {
            continue;
        };
        let meeting = r.title.clone().unwrap_or_else(|| r.meeting_id.clone());
        if let Some(m) = d.longest_monologue {
            monologues.push(Moment {
                kind: MomentKind::Monologue,
                meeting: meeting.clone(),
                at_ms: m.start_ms,
                duration_ms: m.duration_ms,
                quote: short(&m.quote),
                detail: None,
            });
        }
        for q in d.unanswered_questions {
            questions.push(Moment {
                kind: MomentKind::Unanswered,
                meeting: meeting.clone(),
                at_ms: q.at_ms,
                duration_ms: q.answered_at_ms.zip(q.at_ms).map(|(a, b)| a - b),
                quote: short(&q.quote),
                detail: None,
            });
        }
        for o in d.objections.into_iter().filter(|o| !o.with_evidence) {
            objections.push(Moment {
                kind: MomentKind::Objection,
                meeting: meeting.clone(),
                at_ms: o.at_ms,
                duration_ms: None,
                quote: short(&o.quote),
                detail: Some(o.kind),
            });
        }
    }
    // Longest first; an unanswered question never answered is the longest.
    let key = |m: &Moment| std::cmp::Reverse(m.duration_ms.unwrap_or(i64::MAX));
    monologues.sort_by_key(|m| std::cmp::Reverse(m.duration_ms.unwrap_or(0)));
    questions.sort_by_key(key);
    monologues
        .into_iter()
        .take(MOMENTS_PER_KIND)
        .chain(questions.into_iter().take(MOMENTS_PER_KIND))
        .chain(objections.into_iter().take(MOMENTS_PER_KIND))
        .collect()
}

#[cfg(test)]
mod tests;
