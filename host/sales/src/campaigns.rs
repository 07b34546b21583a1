//! The daily campaign check, once per org. Campaigns belong to the org,
//! not to one rep, so the check fires once a day per org (not per user),
//! at 10:00 in the zone of the rep it runs as — the org's campaign owner
//! (`campaigns.owner` in the org profile, else its first rep by handle):
//! whose Slack receives the update and in whose name the replies are
//! drafted. The payload ([`Check`]) carries the day to report (the day
//! before, in the owner's zone), the org's settings with their defaults
//! filled in, and what the store kept of the day before it, to compare
//! with; `monitor-campaigns` answers with the day's figures
//! ([`days_of`]), which the checkpoint stores for tomorrow. Scoped to one
//! org; it never talks to the provider itself. An org without a campaign
//! provider (`providers.campaigns`) is not checked.

use crate::store::CampaignTables;
use baton_engine::orchestrator::conductor::{Orchestrator, OrchestratorError};
use baton_engine::orchestrator::events::{Event, Submitted};
use baton_engine::orchestrator::scheduler::CATCH_UP_MS;
use baton_store::{Org, StoreError, User};
use baton_types::campaigns::{CampaignDay, Check, EVENT, MONITOR, PROVIDER, Settings};
use jiff::tz::TimeZone;
use serde_json::Value;

/// When the check fires, in minutes after the owner's local midnight.
pub const DUE_MIN: i64 = 10 * 60;

/// The org's campaign settings: `campaigns` in its profile over the
/// defaults. A profile that sets them wrongly is the operator's mistake
/// to hear about, not a reason to skip the check: the defaults apply and
/// the error is logged.
pub fn settings(org: &Org) -> Settings {
    match org.profile.get("campaigns") {
        None | Some(Value::Null) => Settings::default(),
        Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|e| {
            tracing::warn!(org = %org.slug, error = %e, "profile `campaigns` is not valid; using the defaults");
            Settings::default()
        }),
    }
}

/// The rep the check runs as: the configured owner, else the org's first
/// rep by handle (`None` when the org has no rep).
pub fn owner<'a>(settings: &Settings, users: &'a [User]) -> Option<&'a User> {
    match &settings.owner {
        Some(handle) => users.iter().find(|u| &u.handle == handle),
        None => users.iter().find(|u| u.role == "rep"),
    }
}

/// Fire the org's check if it is due at `now` and not yet fired today:
/// `Ok(true)` when a job was submitted.
pub async fn tick(orch: &Orchestrator, org: &Org, now: i64) -> Result<bool, OrchestratorError> {
    let Ok(ready) = ready(orch, org).await? else {
        return Ok(false);
    };
    let Ok(local) = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(ready.tz)) else {
        return Ok(false);
    };
    let minute_now = i64::from(local.hour()) * 60 + i64::from(local.minute());
    if !(0..CATCH_UP_MS).contains(&((minute_now - DUE_MIN) * 60_000)) {
        return Ok(false);
    }
    let today = local.date();
    if !orch
        .store
        .claim_fire(
            &org.id,
            &ready.owner.id,
            EVENT,
            &format!("org:{today}"),
            now,
        )
        .await?
    {
        return Ok(false);
    }
    let outcome = fire(orch, org, &ready.owner, ready.settings, today, true).await?;
    Ok(matches!(outcome, Submitted::Accepted { .. }))
}

/// The org's check now, on demand (`POST /v1/orgs/campaign-check`,
/// `baton campaigns`): the day before today in the owner's zone, keyed by
/// that day as the scheduled check is (a second ask, or the schedule,
/// finds the same job). `Err` says why the org cannot be checked.
pub async fn check_now(
    orch: &Orchestrator,
    org: &Org,
    now: i64,
) -> Result<Result<Submitted, String>, OrchestratorError> {
    let ready = match ready(orch, org).await? {
        Ok(ready) => ready,
        Err(why) => return Ok(Err(why)),
    };
    let today = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_zoned(ready.tz).date())
        .map_err(|e| StoreError::Corrupt(format!("the clock reads {now}: {e}")))?;
    Ok(Ok(fire(
        orch,
        org,
        &ready.owner,
        ready.settings,
        today,
        false,
    )
    .await?))
}

/// What a check needs: the org's settings, the rep it runs as and their zone.
struct Ready {
    settings: Settings,
    owner: User,
    tz: TimeZone,
}

/// The org's check as it would run, or why it cannot: no sequence serves
/// it, no campaign provider, or no rep to run it as.
async fn ready(orch: &Orchestrator, org: &Org) -> Result<Result<Ready, String>, OrchestratorError> {
    if orch.sequences().get(EVENT).is_none() {
        return Ok(Err(format!("no sequence handles `{EVENT}`")));
    }
    if org
        .profile
        .pointer(&format!("/providers/{PROVIDER}"))
        .is_none()
    {
        return Ok(Err(format!(
            "the org has no campaign provider (`providers.{PROVIDER}` in its profile)"
        )));
    }
    let settings = settings(org);
    let users = orch.store.users(&org.id).await?;
    let Some(owner) = owner(&settings, &users).cloned() else {
        return Ok(Err(match &settings.owner {
            Some(h) => format!("the campaign owner `{h}` is not a user of the org"),
            None => "the org has no rep to run the campaign check as".to_owned(),
        }));
    };
    let prefs = orch.store.preferences(&org.id, &owner.id).await?;
    let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
    Ok(Ok(Ready {
        settings,
        owner,
        tz,
    }))
}

/// Submit the check of the day before `today` as `user`. The day's key
/// makes a second check of the same day a duplicate.
pub async fn fire(
    orch: &Orchestrator,
    org: &Org,
    user: &User,
    settings: Settings,
    today: jiff::civil::Date,
    scheduled: bool,
) -> Result<Submitted, OrchestratorError> {
    let (Ok(date), Ok(before)) = (
        today.yesterday(),
        today.yesterday().and_then(|d| d.yesterday()),
    ) else {
        return Err(StoreError::Corrupt(format!("no day before {today}")).into());
    };
    let check = Check {
        date: date.to_string(),
        previous_date: before.to_string(),
        settings,
        previous: orch
            .store
            .campaign_days(&org.id, &before.to_string())
            .await?,
        scheduled,
    };
    let payload =
        serde_json::to_value(&check).map_err(StoreError::json("campaign check payload"))?;
    let outcome = orch
        .submit(&Event {
            event_type: EVENT.into(),
            org: org.slug.clone(),
            user: user.handle.clone(),
            payload,
            source: if scheduled { "scheduler" } else { "api" }.into(),
            idempotency_key: Some(format!("{EVENT}:{date}")),
        })
        .await?;
    tracing::info!(org = %org.slug, event = EVENT, scheduled, outcome = ?outcome, "campaign check fired");
    Ok(outcome)
}

/// The campaign figures in a step's output, to store: those of a
/// `campaign_check` job's `monitor-campaigns` step (its `days`), nothing
/// for any other step. Figures that cannot be read are skipped and
/// logged: the report stands without tomorrow's comparison.
pub(crate) fn days_of(event_type: &str, skill: &str, data: &Value) -> Vec<CampaignDay> {
    if event_type != EVENT || skill != MONITOR {
        return Vec::new();
    }
    match data.get("days").cloned().map(serde_json::from_value) {
        Some(Ok(days)) => days,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "campaign figures not stored: `days` cannot be read");
            Vec::new()
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_monitors_days_in_a_campaign_check_are_kept() {
        let data = json!({ "days": [{ "campaign_id": "c1", "name": "Q1", "date": "2026-11-23",
            "sent": 45, "opened": 20, "clicked": 8, "replied": 3 }] });
        assert_eq!(days_of(EVENT, MONITOR, &data).len(), 1);
        assert!(days_of("email_received", MONITOR, &data).is_empty());
        assert!(days_of(EVENT, "other", &data).is_empty());
        assert!(days_of(EVENT, MONITOR, &json!({ "days": "x" })).is_empty());
    }
}
