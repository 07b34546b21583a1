//! Scheduled events, in each user's time zone: each extension's fires
//! (`extension.rs`: a time every day or week, or a minute the app's
//! preferences of the user give), and what each extension does on every pass and for
//! each org. Every fire is claimed in the store under a key (the user, the
//! event and the local date), so a restart or a second replica never fires
//! twice. A fire missed while the service was down is made up within
//! [`CATCH_UP_MS`]; later than that it is skipped for the day.

use super::conductor::{Due, Orchestrator, OrchestratorError};
use super::events::{Event, Submitted};
use super::extension::When;
use crate::store::{Org, User};
use jiff::tz::TimeZone;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How late a daily fire may still go out.
pub const CATCH_UP_MS: i64 = 2 * 3_600_000;

/// Fires scheduled events for every org's users.
pub struct Scheduler {
    orch: Arc<Orchestrator>,
}

impl Scheduler {
    /// A scheduler over the orchestrator's store, sequences and extensions.
    pub fn new(orch: Arc<Orchestrator>) -> Scheduler {
        Scheduler { orch }
    }

    /// One pass at `now`: fire whatever is due. Returns the events submitted.
    pub async fn tick(&self, now: i64) -> Result<usize, OrchestratorError> {
        let orch = &*self.orch;
        // Suggestions whose inputs moved on since the last pass go first;
        // a failed check holds no fire back (the next pass checks again).
        if let Err(e) = orch.supersede_moved_on(None).await {
            tracing::warn!(error = %e, "open suggestions not checked this pass");
        }
        let mut fired = 0;
        for ext in orch.extensions().iter() {
            fired += ext.pass(orch, now).await?;
        }
        for org in orch.store.orgs().await? {
            for user in orch.store.users(&org.id).await? {
                fired += self.user_fires(&org, &user, now).await?;
            }
            for ext in orch.extensions().iter() {
                fired += ext.org_pass(orch, &org, now).await?;
            }
        }
        Ok(fired)
    }

    async fn user_fires(
        &self,
        org: &Org,
        user: &User,
        now: i64,
    ) -> Result<usize, OrchestratorError> {
        let orch = &*self.orch;
        let prefs = orch.store.preferences(&org.id, &user.id).await?;
        let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
        let Ok(local) = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(tz)) else {
            return Ok(0);
        };
        let date = local.date().to_string();
        let minute_now = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let mut fired = 0;
        for ext in orch.extensions().iter() {
            // The app's own preferences of the user, read once if a fire
            // is at a time they give.
            let mut own: Option<serde_json::Map<String, Value>> = None;
            for fire in ext.schedule() {
                if orch.sequences().get(fire.event).is_none() {
                    continue;
                }
                let due_min = match fire.when {
                    When::Preference(key) => {
                        if own.is_none() {
                            own = Some(ext.preferences(&orch.store, &org.id, &user.id).await?);
                        }
                        match own
                            .as_ref()
                            .and_then(|p| p.get(key))
                            .and_then(Value::as_i64)
                        {
                            Some(m) => m,
                            None => continue,
                        }
                    }
                    When::Daily(m) => i64::from(m),
                    When::Weekly(day, m) if local.weekday() == day => i64::from(m),
                    When::Weekly(..) => continue,
                };
                let late = (minute_now - due_min) * 60_000;
                if !(0..CATCH_UP_MS).contains(&late) {
                    continue;
                }
                if !orch
                    .store
                    .claim_fire(&org.id, &user.id, fire.event, &date, now)
                    .await?
                {
                    continue;
                }
                let due = Due {
                    orch,
                    org,
                    user,
                    prefs: &prefs,
                    event: fire.event,
                    date: &date,
                    now,
                };
                fired += match ext.fire(due).await? {
                    Some(n) => n,
                    None => {
                        let key = format!("{}:{}:{date}", fire.event, user.handle);
                        let payload = serde_json::json!({ "date": date, "scheduled": true });
                        orch.submit_scheduled(org, user, fire.event, payload, key)
                            .await?;
                        1
                    }
                };
            }
        }
        Ok(fired)
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

impl Orchestrator {
    /// Submit a scheduled event of `user` in `org`, idempotent under `key`.
    pub async fn submit_scheduled(
        &self,
        org: &Org,
        user: &User,
        event: &str,
        payload: Value,
        key: String,
    ) -> Result<Submitted, OrchestratorError> {
        let outcome = self
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
}
