//! The morning brief's snapshot and its one way in. Skills cannot query the
//! store, so the host takes the rep's morning from the stores that exist —
//! today's meetings with their preparation job, email threads awaiting a
//! reply, open gates, open deals with their activity and tasks, proposals
//! awaiting an answer, and what ended or was viewed since the previous
//! brief — and hands it to the `morning_brief` job in its payload
//! ([`baton_types::brief::Snapshot`]). The scheduler (at each rep's
//! briefing time) and an on-demand request (`POST /v1/users/{handle}/brief`)
//! both call [`fire`], so both see the same snapshot for the same moment.
//!
//! Why the payload and not a context tier: the brief is a picture of one
//! moment, and the payload is recorded with the job, so its skills, a
//! retry, the job page and a shadow replay all see the morning as it was,
//! not as the store has it when a step happens to run. Everything here is
//! scoped to one org and one rep; it never writes.

use super::snapshot::Taken;
use super::timing::{DAY_MS, PRE_MEETING_MS, STALE_AFTER_MS};
use crate::store::{BriefTables, CrmTables, MeetingTables, ProposalTables};
use baton_engine::connectors::blocks::gate_button_value;
use baton_engine::orchestrator::conductor::{Orchestrator, OrchestratorError};
use baton_engine::orchestrator::events::Submitted;
use baton_store::{Org, Store, StoreError, User};
use baton_types::brief::{
    Attention, Count, DealPulse, Gate, Gates, JobCount, MAX_GATES, Meeting, MoneyTotal, Overnight,
    Pipeline, Prep, PrepStatus, ProposalViewed, Rep, Snapshot, Thread, ThreadState,
};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// The event type.
pub const EVENT: &str = "morning_brief";
/// The skill whose output is the composed brief (the inbox shows it).
pub const COMPOSER: &str = "compose-morning-brief";
/// The skill that classifies inbound email.
const CLASSIFIER: &str = "classify-email-intent";
/// The classifier's label for mail that wants an answer.
const NEEDS_RESPONSE: &str = "needs_response";
/// How far back a thread may still await a reply.
const THREADS_WINDOW_MS: i64 = 7 * 86_400_000;

/// Take the rep's snapshot at `now` and submit a `morning_brief` job with
/// it. `scheduled` says the scheduler fired it (keyed by the local date,
/// so a day has one); otherwise it was asked for and is keyed by the
/// moment, so each ask makes its own brief.
pub async fn fire(
    orch: &Orchestrator,
    org: &Org,
    user: &User,
    now: i64,
    scheduled: bool,
) -> Result<Submitted, OrchestratorError> {
    let snap = snapshot(&orch.store, org, user, now, scheduled).await?;
    let date = snap.date.clone().unwrap_or_default();
    let taken = Taken {
        event: EVENT,
        date: &date,
        now,
        scheduled,
        asked_source: "api:brief",
    };
    super::snapshot::submit(orch, org, user, taken, &snap).await
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The rep's morning at `now`, in their zone.
pub async fn snapshot(
    store: &Store,
    org: &Org,
    user: &User,
    now: i64,
    scheduled: bool,
) -> Result<Snapshot, StoreError> {
    let prefs = store.preferences(&org.id, &user.id).await?;
    let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
    let local = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_zoned(tz.clone()))
        .map_err(StoreError::time(format!("time {now}")))?;
    let hhmm = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M").to_string())
            .unwrap_or_default()
    };
    let today = local.date().to_string();
    let since = store
        .previous_brief_at(&org.id, &user.id, now)
        .await?
        .unwrap_or(now - DAY_MS);
    Ok(Snapshot {
        date: Some(today.clone()),
        weekday: Some(local.strftime("%A").to_string()),
        scheduled,
        generated_at: Some(rfc3339(now)),
        rep: Some(Rep {
            handle: user.handle.clone(),
            name: user.name.clone(),
            timezone: prefs.timezone.clone(),
        }),
        meetings: meetings(store, org, user, &local, &hhmm, now).await?,
        attention: Attention {
            threads: threads(store, org, user, now).await?,
            gates: gates(store, org, user, now).await?,
        },
        pipeline: pipeline(store, org, user, now, since, &today).await?,
        overnight: overnight(store, org, user, now, since).await?,
        inbox_path: Some("/inbox".into()),
    })
}

async fn meetings(
    store: &Store,
    org: &Org,
    user: &User,
    local: &jiff::Zoned,
    hhmm: &impl Fn(i64) -> String,
    now: i64,
) -> Result<Vec<Meeting>, StoreError> {
    let bounds = local.start_of_day().and_then(|start| {
        let end = start.tomorrow()?;
        Ok((
            start.timestamp().as_millisecond(),
            end.timestamp().as_millisecond(),
        ))
    });
    let Ok((from, to)) = bounds else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for m in store.meetings_between(&org.id, &user.id, from, to).await? {
        let who = match &m.contact_id {
            Some(c) => store.contact_named_by_id(&org.id, c).await?,
            None => None,
        };
        let deal = match &m.deal_id {
            Some(d) => store.deal(&org.id, d).await?,
            None => None,
        };
        let due = m.starts_at - PRE_MEETING_MS;
        let job = store.prep_job(&org.id, &user.id, &m.id).await?;
        // The scheduler fires a briefing for every meeting 90 minutes ahead;
        // one that started without one is past preparing.
        let status = match &job {
            Some(j) => match j.status.as_str() {
                "completed" => PrepStatus::Ready,
                "pending" | "running" | "awaiting_approval" => PrepStatus::InProgress,
                _ => PrepStatus::Failed,
            },
            None if m.starts_at <= now => PrepStatus::NotNeeded,
            None => PrepStatus::Scheduled,
        };
        out.push(Meeting {
            meeting_id: m.id.clone(),
            title: m.title.clone(),
            starts_at: rfc3339(m.starts_at),
            ends_at: m.ends_at.map(rfc3339),
            starts_local: Some(hhmm(m.starts_at)),
            contact_id: m.contact_id.clone(),
            contact_name: who.as_ref().map(|w| w.name.clone()),
            company: who.and_then(|w| w.company),
            deal_id: m.deal_id.clone(),
            deal_name: deal.map(|d| d.name),
            prep: Prep {
                status,
                job_id: job.map(|j| j.id.0),
                due_at: Some(rfc3339(due)),
                due_local: Some(hhmm(due)),
            },
        });
    }
    Ok(out)
}

/// The display name in a `From` value (`Marta Ruiz <marta@…>`), never the
/// address.
fn display_name(from: &str) -> Option<String> {
    let name = from.split('<').next()?.trim().trim_matches('"').trim();
    (!name.is_empty() && !name.contains('@')).then(|| name.to_owned())
}

async fn threads(
    store: &Store,
    org: &Org,
    user: &User,
    now: i64,
) -> Result<Vec<Thread>, StoreError> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Mail {
        from: Option<String>,
        subject: Option<String>,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Classified {
        intent: Option<String>,
    }
    let emails = store
        .classified_emails(&org.id, &user.id, CLASSIFIER, now - THREADS_WINDOW_MS, 200)
        .await?;
    let mut out = Vec::new();
    for e in emails {
        let c: Classified = serde_json::from_value(e.classified).unwrap_or_default();
        if c.intent.as_deref() != Some(NEEDS_RESPONSE) {
            continue;
        }
        let gates = store.gate_statuses(&org.id, &e.job_id).await?;
        let state = match gates.last().map(|(_, s)| s.as_str()) {
            Some("open") => ThreadState::DraftWaiting,
            Some("approved" | "edited") => continue,
            Some(_) => ThreadState::DraftSkipped,
            None => ThreadState::NoReply,
        };
        let gate = match (state, gates.last()) {
            (ThreadState::DraftWaiting, Some((id, _))) => {
                store.pending_action(&org.id, id).await?.map(|g| {
                    gate_of(
                        org,
                        &g.id,
                        &g.title,
                        &g.step_name,
                        g.pattern.as_str(),
                        g.created_at,
                    )
                })
            }
            _ => None,
        };
        let mail: Mail = serde_json::from_value(e.payload).unwrap_or_default();
        let from = mail.from.unwrap_or_default();
        let address = baton_store::address::address_key(&from);
        let who = match address {
            Some(a) => store.contact_named(&org.id, &a).await?,
            None => None,
        };
        out.push(Thread {
            job_id: e.job_id.0,
            contact_name: who
                .as_ref()
                .map(|w| w.name.clone())
                .or_else(|| display_name(&from)),
            company: who.and_then(|w| w.company),
            subject: mail.subject,
            received_at: rfc3339(e.created_at),
            state,
            gate,
        });
    }
    Ok(out)
}

fn gate_of(
    org: &Org,
    id: &baton_store::GateId,
    title: &str,
    step: &str,
    pattern: &str,
    created_at: i64,
) -> Gate {
    let decision = match pattern {
        "confirm" | "inform" => Some("approve"),
        "batch" => Some("all"),
        _ => None,
    };
    Gate {
        id: id.0.clone(),
        title: title.to_owned(),
        step: step.to_owned(),
        pattern: pattern.to_owned(),
        opened_at: rfc3339(created_at),
        approve_value: decision.map(|d| gate_button_value(&org.id, id, d)),
        inbox_path: format!("/inbox/approvals/{id}"),
    }
}

async fn gates(store: &Store, org: &Org, user: &User, now: i64) -> Result<Gates, StoreError> {
    let limit = i64::try_from(MAX_GATES).unwrap_or(10);
    let (count, open) = store.open_gates_of(&org.id, &user.id, limit).await?;
    let oldest = open.first().map(|g| g.created_at);
    Ok(Gates {
        count,
        oldest_at: oldest.map(rfc3339),
        oldest_hours: oldest.map(|t| (now - t).max(0) / 3_600_000),
        items: open
            .iter()
            .map(|g| gate_of(org, &g.id, &g.title, &g.step_name, &g.pattern, g.created_at))
            .collect(),
    })
}

async fn pipeline(
    store: &Store,
    org: &Org,
    user: &User,
    now: i64,
    since: i64,
    today: &str,
) -> Result<Pipeline, StoreError> {
    let deals = store.open_deals_of(&org.id, &user.id, since, today).await?;
    let awaiting = store.proposals_awaiting(&org.id, Some(&user.id)).await?;
    Ok(Pipeline {
        stale_after_days: STALE_AFTER_MS / DAY_MS,
        deals: deals
            .into_iter()
            .map(|d| DealPulse {
                days_inactive: d.last_activity_at.map(|t| (now - t).max(0) / DAY_MS),
                id: d.id,
                name: d.name,
                stage: d.stage,
                company: d.company,
                amount_cents: d.amount_cents,
                currency: d.currency,
                close_date: d.close_date,
                recent_activities: d.recent_activities,
                open_tasks: d.open_tasks,
                overdue_tasks: d.overdue_tasks,
                proposal_status: d.proposal_status,
            })
            .collect(),
        proposals_awaiting: awaiting
            .into_iter()
            .map(|a| MoneyTotal {
                currency: a.currency,
                amount_cents: a.amount_cents,
                count: a.proposals,
            })
            .collect(),
    })
}

async fn overnight(
    store: &Store,
    org: &Org,
    user: &User,
    now: i64,
    since: i64,
) -> Result<Overnight, StoreError> {
    let finished = store
        .jobs_finished_between(&org.id, &user.id, since, now)
        .await?;
    let mut intents: BTreeMap<String, i64> = BTreeMap::new();
    for e in store
        .classified_emails(&org.id, &user.id, CLASSIFIER, since, 1000)
        .await?
    {
        if let Some(label) = e.classified.get("intent").and_then(|i| i.as_str()) {
            *intents.entry(label.to_owned()).or_default() += 1;
        }
    }
    let viewed = store
        .proposals_viewed_between(&org.id, &user.id, since, now)
        .await?;
    Ok(Overnight {
        since: Some(rfc3339(since)),
        jobs_finished: finished
            .into_iter()
            .filter(|f| f.event_type != EVENT)
            .map(|f| JobCount {
                event_type: f.event_type,
                status: f.status,
                count: f.count,
            })
            .collect(),
        emails_classified: intents
            .into_iter()
            .map(|(label, count)| Count { label, count })
            .collect(),
        proposals_viewed: viewed
            .into_iter()
            .map(|v| ProposalViewed {
                proposal_id: v.id,
                title: v.title,
                deal_name: v.deal_name,
                views: v.views,
                first_viewed_at: rfc3339(v.first_viewed_at),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_senders_display_name_never_its_address() {
        assert_eq!(
            display_name("\"Marta Ruiz\" <marta@northwind.example>").as_deref(),
            Some("Marta Ruiz")
        );
        assert_eq!(display_name("marta@northwind.example"), None);
        assert_eq!(display_name("<marta@northwind.example>"), None);
    }
}
