//! Scheduled events, in each user's time zone: the morning brief at their
//! briefing time (with the rep's morning snapshot, `brief.rs`), the daily pipeline scan (stale deals to revive), the daily
//! campaign check (once per org, in its campaign owner's zone: `campaigns.rs`), the weekly coaching digest (Monday 08:00, for reps who
//! want it, `coaching_digest.rs`), and `pre_meeting_90min` 90
//! minutes before each meeting. Every fire is claimed in the store under a
//! key (user + event + local date, or the meeting), so a restart or a second
//! replica never fires twice. A fire missed while the service was down is
//! made up within [`CATCH_UP_MS`]; later than that it is skipped for the day.

use super::conductor::{Orchestrator, OrchestratorError};
use super::events::{Event, Submitted};
use super::timing::{
    CATCH_UP_MS, COACHING_DIGEST_MIN, MEETING_FIRES, PRE_MEETING_MS, STALE_AFTER_MS,
};
use crate::store::{Org, User};
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// When a scheduled event fires, in the user's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The user's `briefing_time_min`.
    Briefing,
    /// Every day at this minute after midnight.
    Daily(i16),
    /// Every week on this day at this minute.
    Weekly(Weekday, i16),
}

/// One scheduled event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fire {
    pub event: &'static str,
    pub when: When,
}

/// The spec's per-rep schedule. The pipeline scan fires
/// `stale_deal_revival` once per stale deal the user owns. The campaign
/// check is per org, not per rep (`campaigns.rs`).
pub const PLAN: &[Fire] = &[
    Fire {
        event: "morning_brief",
        when: When::Briefing,
    },
    Fire {
        event: "stale_deal_revival",
        when: When::Daily(7 * 60),
    },
    Fire {
        event: "coaching_digest",
        when: When::Weekly(Weekday::Monday, COACHING_DIGEST_MIN),
    },
];

/// Fires scheduled events for every org's users.
pub struct Scheduler {
    orch: Arc<Orchestrator>,
}

impl Scheduler {
    /// A scheduler over the orchestrator's store and sequences.
    pub fn new(orch: Arc<Orchestrator>) -> Scheduler {
        Scheduler { orch }
    }

    /// One pass at `now`: fire whatever is due. Returns the events submitted.
    pub async fn tick(&self, now: i64) -> Result<usize, OrchestratorError> {
        let store = &self.orch.store;
        let mut fired = 0;
        for m in store.meetings_starting(now, now + PRE_MEETING_MS).await? {
            if !store
                .claim_fire(&m.org_id, &m.user_id, "pre_meeting_90min", &m.id, now)
                .await?
            {
                continue;
            }
            let (Some(org), Some(user)) = (
                store.org(&m.org_id).await?,
                store.user(&m.org_id, &m.user_id).await?,
            ) else {
                continue;
            };
            let starts = jiff::Timestamp::from_millisecond(m.starts_at)
                .map(|t| t.to_string())
                .unwrap_or_default();
            let payload = json!({
                "meeting_id": m.external_id.clone().unwrap_or_else(|| m.id.clone()),
                "title": m.title, "starts_at": starts,
                "contact_id": m.contact_id, "deal_id": m.deal_id,
            });
            self.submit(
                &org,
                &user,
                "pre_meeting_90min",
                payload,
                format!("{MEETING_FIRES}{}", m.id),
            )
            .await?;
            fired += 1;
        }
        // After the meetings' preparation, so a brief fired in the same
        // pass sees the briefing it queued.
        for org in store.orgs().await? {
            for user in store.users(&org.id).await? {
                fired += self.user_fires(&org, &user, now).await?;
            }
            fired += usize::from(super::campaigns::tick(&self.orch, &org, now).await?);
        }
        Ok(fired)
    }

    async fn user_fires(
        &self,
        org: &Org,
        user: &User,
        now: i64,
    ) -> Result<usize, OrchestratorError> {
        let store = &self.orch.store;
        let prefs = store.preferences(&org.id, &user.id).await?;
        let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
        let Ok(local) = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(tz)) else {
            return Ok(0);
        };
        let date = local.date().to_string();
        let minute_now = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let mut fired = 0;
        for fire in PLAN {
            if self.orch.sequences().get(fire.event).is_none() {
                continue;
            }
            let due_min = match fire.when {
                When::Briefing => prefs.briefing_time_min,
                When::Daily(m) => i64::from(m),
                When::Weekly(day, m) if local.weekday() == day => i64::from(m),
                When::Weekly(..) => continue,
            };
            let late = (minute_now - due_min) * 60_000;
            if !(0..CATCH_UP_MS).contains(&late) {
                continue;
            }
            if !store
                .claim_fire(&org.id, &user.id, fire.event, &date, now)
                .await?
            {
                continue;
            }
            fired += match fire.event {
                "stale_deal_revival" => {
                    let cap = prefs.max_revivals_per_day;
                    self.pipeline_scan(org, user, cap, &date, now).await?
                }
                // The brief carries the rep's morning, taken as it fires
                // (`brief.rs`, shared with the on-demand route).
                "morning_brief" => {
                    super::brief::fire(&self.orch, org, user, now, true).await?;
                    1
                }
                // Only for reps who want it; their week from the stored
                // analyses (`coaching_digest.rs`).
                "coaching_digest" if !prefs.coaching.weekly() => 0,
                "coaching_digest" => {
                    super::coaching_digest::fire(&self.orch, org, user, now, true).await?;
                    1
                }
                event => {
                    let key = format!("{event}:{}:{date}", user.handle);
                    let payload = json!({ "date": date, "scheduled": true });
                    self.submit(org, user, event, payload, key).await?;
                    1
                }
            };
        }
        Ok(fired)
    }

    /// Queue `stale_deal_revival` for the user's stale deals, most stale
    /// first, at most `cap` (their `max_revivals_per_day`) new jobs; a deal is
    /// revived at most once a week (a deal already queued this week is
    /// passed over for the next one).
    async fn pipeline_scan(
        &self,
        org: &Org,
        user: &User,
        cap: i64,
        date: &str,
        now: i64,
    ) -> Result<usize, OrchestratorError> {
        if cap <= 0 {
            return Ok(0);
        }
        // A few more than the cap, for the deals this week already took.
        let deals = self
            .orch
            .store
            .stale_deals_of(
                &org.id,
                &user.id,
                now - STALE_AFTER_MS,
                cap.saturating_mul(4),
            )
            .await?;
        let week = jiff::civil::Date::strptime("%Y-%m-%d", date)
            .map(|d| d.iso_week_date())
            .map(|w| format!("{}-W{:02}", w.year(), w.week()))
            .unwrap_or_else(|_| date.to_owned());
        let mut queued = 0;
        for d in &deals {
            if queued >= cap {
                break;
            }
            let days = d.last_activity_at.map(|t| (now - t) / 86_400_000);
            let payload = json!({ "deal_name": d.name, "deal_id": d.id, "stage": d.stage, "days_quiet": days });
            let outcome = self
                .submit(
                    org,
                    user,
                    "stale_deal_revival",
                    payload,
                    format!("stale_deal_revival:{}:{week}", d.id),
                )
                .await?;
            if matches!(outcome, Submitted::Accepted { .. }) {
                queued += 1;
            }
        }
        Ok(usize::try_from(queued).unwrap_or(0))
    }

    async fn submit(
        &self,
        org: &Org,
        user: &User,
        event: &str,
        payload: serde_json::Value,
        key: String,
    ) -> Result<Submitted, OrchestratorError> {
        let outcome = self
            .orch
            .submit(&Event {
                event_type: event.into(),
                org: org.slug.clone(),
                user: user.handle.clone(),
                payload,
                source: "scheduler".into(),
                idempotency_key: Some(key),
            })
            .await?;
        tracing::info!(org = %org.slug, event, outcome = ?outcome, "scheduled event fired");
        Ok(outcome)
    }

    /// Tick every `every` until `stop`.
    pub async fn run(&self, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
        while !*stop.borrow() {
            if let Err(e) = self.tick(self.orch.clock.now_ms()).await {
                tracing::warn!(error = %e, "scheduler pass failed; retrying");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => {}
            }
        }
    }
}
