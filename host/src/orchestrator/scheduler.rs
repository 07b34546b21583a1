//! Scheduled events, in each user's time zone: the morning brief at their
//! briefing time (with the day's meetings from calendar sync), the daily pipeline scan (stale deals to revive), the daily
//! campaign check, the weekly coaching digest, and `pre_meeting_90min` 90
//! minutes before each meeting. Every fire is claimed in the store under a
//! key (user + event + local date, or the meeting), so a restart or a second
//! replica never fires twice. A fire missed while the service was down is
//! made up within [`CATCH_UP_MS`]; later than that it is skipped for the day.

use super::conductor::{Orchestrator, OrchestratorError};
use super::events::Event;
use crate::store::{Org, User, UserId};
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// How late a daily fire may still go out.
pub const CATCH_UP_MS: i64 = 2 * 3_600_000;
/// `pre_meeting_90min` lead time.
pub const PRE_MEETING_MS: i64 = 90 * 60_000;
/// A deal is stale after this long without activity (pipeline scan).
pub const STALE_AFTER_MS: i64 = 14 * 86_400_000;

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

/// The spec's schedule. The pipeline scan fires `stale_deal_revival` once
/// per stale deal the user owns.
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
        event: "campaign_check",
        when: When::Daily(10 * 60),
    },
    Fire {
        event: "coaching_digest",
        when: When::Weekly(Weekday::Friday, 16 * 60),
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
        for org in store.orgs().await? {
            for user in store.users(&org.id).await? {
                fired += self.user_fires(&org, &user, now).await?;
            }
        }
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
                format!("pre_meeting_90min:{}", m.id),
            )
            .await?;
            fired += 1;
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
                "stale_deal_revival" => self.pipeline_scan(org, user, &date, now).await?,
                event => {
                    let key = format!("{event}:{}:{date}", user.handle);
                    let mut payload = json!({ "date": date, "scheduled": true });
                    if event == "morning_brief" {
                        payload["meetings"] = self.todays_meetings(user, &local).await?;
                    }
                    self.submit(org, user, event, payload, key).await?;
                    1
                }
            };
        }
        Ok(fired)
    }

    /// The rep's meetings on `local`'s date (their time zone), earliest
    /// first, as the morning brief lists them.
    async fn todays_meetings(
        &self,
        user: &User,
        local: &jiff::Zoned,
    ) -> Result<serde_json::Value, OrchestratorError> {
        let bounds = local.start_of_day().and_then(|start| {
            let end = start.tomorrow()?;
            Ok((
                start.timestamp().as_millisecond(),
                end.timestamp().as_millisecond(),
            ))
        });
        let Ok((from, to)) = bounds else {
            return Ok(json!([]));
        };
        let at = |ms: i64| {
            jiff::Timestamp::from_millisecond(ms)
                .map(|t| t.to_string())
                .unwrap_or_default()
        };
        let meetings = self
            .orch
            .store
            .meetings_between(&user.org_id, &user.id, from, to)
            .await?;
        Ok(meetings
            .into_iter()
            .map(|m| {
                json!({
                    "meeting_id": m.id, "title": m.title, "starts_at": at(m.starts_at),
                    "ends_at": m.ends_at.map(at), "contact_id": m.contact_id, "deal_id": m.deal_id,
                })
            })
            .collect())
    }

    /// Queue `stale_deal_revival` for each of the user's stale deals, at most
    /// once a week per deal.
    async fn pipeline_scan(
        &self,
        org: &Org,
        user: &User,
        date: &str,
        now: i64,
    ) -> Result<usize, OrchestratorError> {
        let deals = self
            .orch
            .store
            .stale_deals(&org.id, now - STALE_AFTER_MS, 200)
            .await?;
        let week = jiff::civil::Date::strptime("%Y-%m-%d", date)
            .map(|d| d.iso_week_date())
            .map(|w| format!("{}-W{:02}", w.year(), w.week()))
            .unwrap_or_else(|_| date.to_owned());
        let mine: Vec<_> = deals
            .into_iter()
            .filter(|d| d.owner_user_id.as_ref() == Some(&user.id as &UserId))
            .collect();
        for d in &mine {
            let days = d.last_activity_at.map(|t| (now - t) / 86_400_000);
            let payload = json!({ "deal_name": d.name, "deal_id": d.id, "stage": d.stage, "days_quiet": days });
            self.submit(
                org,
                user,
                "stale_deal_revival",
                payload,
                format!("stale_deal_revival:{}:{week}", d.id),
            )
            .await?;
        }
        Ok(mine.len())
    }

    async fn submit(
        &self,
        org: &Org,
        user: &User,
        event: &str,
        payload: serde_json::Value,
        key: String,
    ) -> Result<(), OrchestratorError> {
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
        Ok(())
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
