//! The sales schedule, in each rep's time zone: the morning brief at their
//! briefing time (with the rep's morning snapshot, `brief.rs`), the daily
//! pipeline scan (stale deals to revive), the weekly coaching digest
//! (Monday 08:00, for reps who want it, `coaching_digest.rs`),
//! `pre_meeting_90min` 90 minutes before each meeting (claimed per
//! meeting), and the daily campaign check (once per org, `campaigns.rs`).
//! The engine's scheduler claims each daily fire and calls [`fire`].

use super::timing::{COACHING_DIGEST_MIN, DAY_MS, MEETING_FIRES, PRE_MEETING_MS, STALE_AFTER_MS};
use super::{brief, coaching_digest};
use crate::store::MeetingTables;
use crate::store::{PipelineTables, Scan};
use crate::store::{PreferenceTables, SalesPreferences};
use baton_engine::orchestrator::conductor::{Due, Orchestrator, OrchestratorError};
use baton_engine::orchestrator::events::Submitted;
use baton_engine::orchestrator::extension::{Fire, When};
use jiff::civil::Weekday;
use serde_json::json;

/// The per-rep schedule. The pipeline scan fires `stale_deal_revival` once
/// per stale deal the rep owns. The campaign check is per org, not per rep.
pub(super) const PLAN: &[Fire] = &[
    Fire {
        event: brief::EVENT,
        when: When::Preference("briefing_time_min"),
    },
    Fire {
        event: "stale_deal_revival",
        when: When::Daily(7 * 60),
    },
    Fire {
        event: coaching_digest::EVENT,
        when: When::Weekly(Weekday::Monday, COACHING_DIGEST_MIN),
    },
];

/// Do a claimed fire of the plan (`None`: the scheduler's plain event).
pub(super) async fn fire(due: Due<'_>) -> Result<Option<usize>, OrchestratorError> {
    Ok(Some(match due.event {
        "stale_deal_revival" => pipeline_scan(&due).await?,
        // The brief carries the rep's morning, taken as it fires
        // (`brief.rs`, shared with the on-demand route).
        brief::EVENT => {
            brief::fire(due.orch, due.org, due.user, due.now, true).await?;
            1
        }
        // Only for reps who want it; their week from the stored analyses
        // (`coaching_digest.rs`).
        coaching_digest::EVENT if !settings(&due).await?.coaching.weekly() => 0,
        coaching_digest::EVENT => {
            coaching_digest::fire(due.orch, due.org, due.user, due.now, true).await?;
            1
        }
        _ => return Ok(None),
    }))
}

/// The rep's sales settings.
async fn settings(due: &Due<'_>) -> Result<SalesPreferences, OrchestratorError> {
    Ok(due
        .orch
        .store
        .sales_preferences(&due.org.id, &due.user.id)
        .await?)
}

/// `pre_meeting_90min` for each meeting starting within the lead time,
/// once per meeting; before the reps' daily fires, so a brief fired in the
/// same pass sees the briefing it queued.
pub(super) async fn meetings(orch: &Orchestrator, now: i64) -> Result<usize, OrchestratorError> {
    let store = &orch.store;
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
        let key = format!("{MEETING_FIRES}{}", m.id);
        orch.submit_scheduled(&org, &user, "pre_meeting_90min", payload, key)
            .await?;
        fired += 1;
    }
    Ok(fired)
}

/// Queue `stale_deal_revival` for the rep's stale deals, most stale first,
/// at most their `max_revivals_per_day` new jobs; a deal is revived at most
/// once a week (a deal already queued this week is passed over for the
/// next one), and not while a meeting on it is on the calendar within
/// their `revival_meeting_days`.
async fn pipeline_scan(due: &Due<'_>) -> Result<usize, OrchestratorError> {
    let prefs = settings(due).await?;
    let cap = prefs.max_revivals_per_day;
    if cap <= 0 {
        return Ok(0);
    }
    let scan = Scan {
        quiet_since: due.now - STALE_AFTER_MS,
        meetings_from: due.now,
        meetings_until: due
            .now
            .saturating_add(prefs.revival_meeting_days.saturating_mul(DAY_MS)),
        // A few more than the cap, for the deals this week already took.
        limit: cap.saturating_mul(4),
    };
    let deals = due
        .orch
        .store
        .stale_deals_of(&due.org.id, &due.user.id, &scan)
        .await?;
    let week = jiff::civil::Date::strptime("%Y-%m-%d", due.date)
        .map(|d| d.iso_week_date())
        .map(|w| format!("{}-W{:02}", w.year(), w.week()))
        .unwrap_or_else(|_| due.date.to_owned());
    let mut queued = 0;
    for d in &deals {
        if queued >= cap {
            break;
        }
        let days = d.last_activity_at.map(|t| (due.now - t) / DAY_MS);
        let payload = json!({ "deal_name": d.name, "deal_id": d.id, "stage": d.stage,
            "days_quiet": days, "last_activity_at": d.last_activity_at });
        let key = format!("stale_deal_revival:{}:{week}", d.id);
        let outcome = due
            .orch
            .submit_scheduled(due.org, due.user, "stale_deal_revival", payload, key)
            .await?;
        if matches!(outcome, Submitted::Accepted { .. }) {
            queued += 1;
        }
    }
    Ok(usize::try_from(queued).unwrap_or(0))
}
