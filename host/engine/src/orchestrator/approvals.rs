//! Decisions on gates: checked against the gate's pattern, the shape of
//! the action an edit replaces, the do-not-contact list and the rep's daily
//! send cap, then recorded once, with the recipients an approval sends to
//! reserved against the cap in the same transaction. The runner applies
//! them when the job resumes.

use super::conductor::{Extension, Orchestrator, OrchestratorError};
use super::edit;
use crate::address::email_recipients;
use crate::runtime::Decision;
use crate::runtime::Pattern;
use crate::store::{
    DecisionRecord, FeedbackRecord, GateId, GateKind, GateStatus, OrgId, OverCap, PendingAction,
    Reach, SendReservation, Store, StoreError, kind_of,
};
use serde_json::Value;
use std::sync::Arc;

/// Longest note a person may write with a decision.
pub const MAX_NOTE: usize = 500;

/// Furthest ahead a person may send later (30 days).
pub const MAX_SEND_LATER_MS: i64 = 30 * 24 * 3_600_000;

/// Who decided: the credential the request came with (an API token's name,
/// an inbox user, a Slack user id), never a claim made in the request, whom
/// that credential may act for, and any free-text note the person wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Decider {
    pub by: String,
    /// A gate of a user outside it is "not found" to this decider.
    pub reach: Reach,
    pub note: Option<String>,
    /// When the person asked for what an approval sends by email to leave
    /// (Unix ms; send later), if they chose a time.
    pub send_at: Option<i64>,
}

impl Decider {
    /// A decider without a note.
    pub fn new(by: impl Into<String>, reach: Reach) -> Decider {
        Decider {
            by: by.into(),
            reach,
            note: None,
            send_at: None,
        }
    }
}

impl Orchestrator {
    /// Decide gate `id` of `org` now and wake this process's worker, so the
    /// job resumes at once rather than at the worker's next poll. Refused
    /// (with a message naming the problem) when the decision does not fit
    /// the gate's pattern, when an edit does not have the shape of the
    /// action it replaces, when the gate is not open any more, or when
    /// approving would take the rep past their daily send cap (counted in
    /// recipients). This is the only way to decide a gate.
    pub async fn decide(
        &self,
        org: &OrgId,
        id: &GateId,
        decision: Decision,
        who: &Decider,
    ) -> Result<PendingAction, OrchestratorError> {
        let decided = decide(self, self.clock.now_ms(), org, id, decision, who, None).await?;
        // The job is runnable again.
        self.to_run.notify_one();
        Ok(decided)
    }
}

/// Check and record a decision on gate `id` of `org` at `now`, with the
/// "Not right" feedback a skip may carry; see [`Orchestrator::decide`] and
/// [`Orchestrator::mark_not_right`], the only callers.
pub(super) async fn decide(
    orch: &Orchestrator,
    now: i64,
    org: &OrgId,
    id: &GateId,
    decision: Decision,
    who: &Decider,
    feedback: Option<FeedbackRecord<'_>>,
) -> Result<PendingAction, OrchestratorError> {
    let (store, apps) = (&orch.store, &orch.extensions()[..]);
    let action = gate_for(store, org, id, who).await?;
    if let Some(note) = &who.note
        && note.chars().count() > MAX_NOTE
    {
        return Err(OrchestratorError::Invalid(format!(
            "the note is longer than {MAX_NOTE} characters"
        )));
    }
    // A suggestion whose inputs moved on is withdrawn, not decided.
    if let Some(reason) = orch.supersede_if_moved(&action).await? {
        return Err(OrchestratorError::Store(StoreError::Stale(format!(
            "approval {id} was withdrawn: {reason}"
        ))));
    }
    let mut sends = 0;
    if action.status == GateStatus::Open {
        check_fits(apps, &action, &decision)?;
        if approves(&decision) {
            let emails = approved_emails(&action, &decision);
            if let Some(at) = who.send_at {
                check_send_later(&action, &emails, at, now)?;
            }
            check_do_not_contact(store, &action, &emails).await?;
            sends = emails
                .iter()
                .map(|e| email_recipients(e).len() as i64)
                .sum();
        }
    }
    let prefs = if sends > 0 {
        Some(store.preferences(&action.org_id, &action.user_id).await?)
    } else {
        None
    };
    let value = serde_json::to_value(&decision)?;
    let record = DecisionRecord {
        decision: &value,
        by: &who.by,
        note: who.note.as_deref(),
        reserve: prefs.as_ref().map(|p| SendReservation {
            user: &action.user_id,
            recipients: sends,
            cap: p.daily_send_cap,
            since: local_midnight(now, &p.timezone),
        }),
        feedback,
        send_at: who.send_at.filter(|_| approves(&decision)),
    };
    if who.send_at.is_some() && action.status == GateStatus::Open && !approves(&decision) {
        return Err(OrchestratorError::Invalid(
            "a send time goes with an approval: nothing is sent when a draft is skipped or cancelled"
                .into(),
        ));
    }
    match store.decide(org, id, &record, now).await? {
        Ok(()) => {}
        Err(OverCap { cap, used, wanted }) => {
            let zone = prefs.as_ref().map_or("UTC", |p| p.timezone.as_str());
            return Err(OrchestratorError::Refused(format!(
                "the daily send cap is {cap} recipients and {used} are already used today ({zone}); \
                 approving this would send to {wanted} more — try again tomorrow or raise the cap"
            )));
        }
    }
    store
        .pending_action(org, id)
        .await?
        .ok_or_else(|| OrchestratorError::NotFound(format!("approval {id}")))
}

/// Gate `id` of `org`, if `who` may decide it. Another rep's gate is not
/// there for this decider, as another org's is not: the same answer, so
/// nothing is learnt from it.
pub(super) async fn gate_for(
    store: &Store,
    org: &OrgId,
    id: &GateId,
    who: &Decider,
) -> Result<PendingAction, OrchestratorError> {
    let missing = || OrchestratorError::NotFound(format!("approval {id}"));
    let gate = store.pending_action(org, id).await?.ok_or_else(missing)?;
    if !store.reaches(org, &who.reach, &gate.user_id).await? {
        return Err(missing());
    }
    Ok(gate)
}

fn approves(d: &Decision) -> bool {
    matches!(
        d,
        Decision::Approved | Decision::Edited(_) | Decision::Chosen(_) | Decision::PerItem(_)
    )
}

/// The emails this decision would queue (their payloads, an edit applied),
/// as far as the gate shows them. A skill's own gate does not show its
/// effects: its emails are checked when they are queued and sent.
fn approved_emails(action: &PendingAction, decision: &Decision) -> Vec<Value> {
    let actions: Vec<&Value> = action
        .body
        .get("actions")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let payload = |a: &Value| a.get("payload").cloned().unwrap_or(Value::Null);
    // Each approved action with the payload it goes out with.
    let approved: Vec<(&Value, Value)> = match decision {
        Decision::Chosen(i) => actions
            .get(*i as usize)
            .map(|a| (*a, payload(a)))
            .into_iter()
            .collect(),
        Decision::PerItem(keep) => actions
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(a, _)| (*a, payload(a)))
            .collect(),
        // An edit replaces the first action's payload (see the runner).
        Decision::Edited(v) => actions
            .iter()
            .enumerate()
            .map(|(n, a)| (*a, if n == 0 { v.clone() } else { payload(a) }))
            .collect(),
        _ => actions.iter().map(|a| (*a, payload(a))).collect(),
    };
    // An email, or another kind that emails (an edit may change its delivery).
    approved
        .into_iter()
        .filter(|(a, p)| kind_of(a).is_some_and(|k| k.sends_email(p)))
        .map(|(_, p)| p)
        .collect()
}

/// Whether an approval may send later at `at`: a step's own gate (a
/// skill's gate does not show what it will send), something it sends by
/// email, a time after `now` and within [`MAX_SEND_LATER_MS`].
fn check_send_later(
    action: &PendingAction,
    emails: &[Value],
    at: i64,
    now: i64,
) -> Result<(), OrchestratorError> {
    let bad = |m: &str| Err(OrchestratorError::Invalid(m.to_owned()));
    if action.kind != GateKind::Step {
        return bad("this approval cannot send later: its skill sends what it decides itself");
    }
    if emails.is_empty() {
        return bad("nothing this approval sends is an email, so there is nothing to send later");
    }
    if at <= now {
        return bad("the send time has passed: choose a later time, or approve to send now");
    }
    if at > now + MAX_SEND_LATER_MS {
        return bad("the send time is more than 30 days away: choose an earlier time");
    }
    Ok(())
}

/// Refuse an approval that would email an address on the do-not-contact
/// list.
async fn check_do_not_contact(
    store: &Store,
    action: &PendingAction,
    emails: &[Value],
) -> Result<(), OrchestratorError> {
    let to: Vec<String> = emails.iter().flat_map(email_recipients).collect();
    if to.is_empty() {
        return Ok(());
    }
    let listed = store.do_not_contact(&action.org_id, &to).await?;
    match listed.first() {
        None => Ok(()),
        Some(s) => Err(OrchestratorError::Refused(format!(
            "{} is on the do-not-contact list ({}); baton will not email them — \
             skip or cancel this draft",
            s.email, s.reason
        ))),
    }
}

/// Whether `decision` makes sense for this gate.
fn check_fits(
    apps: &[Arc<dyn Extension>],
    action: &PendingAction,
    decision: &Decision,
) -> Result<(), OrchestratorError> {
    let bad = |m: String| Err(OrchestratorError::Invalid(m));
    let options = action.options.len();
    match (action.pattern, decision) {
        (_, Decision::Skipped | Decision::Cancelled) => Ok(()),
        (Pattern::Confirm, Decision::Approved) => Ok(()),
        (Pattern::Confirm, Decision::Edited(value)) => edit::check(apps, action, value),
        (Pattern::Choose, Decision::Chosen(i)) if (*i as usize) < options => Ok(()),
        (Pattern::Choose, Decision::Chosen(i)) => bad(format!(
            "option {i} does not exist: approval {} offers options 0 to {}",
            action.id,
            options.saturating_sub(1)
        )),
        (Pattern::Batch, Decision::PerItem(v)) if v.len() == options => Ok(()),
        (Pattern::Batch, Decision::PerItem(v)) => bad(format!(
            "approval {} has {options} items; {} decisions were given",
            action.id,
            v.len()
        )),
        (pattern, d) => bad(format!(
            "a `{}` approval cannot take `{}`; use {}",
            pattern.as_str(),
            decision_name(d),
            match pattern {
                Pattern::Choose => "--choose N, --skip or --cancel",
                Pattern::Batch => "--items (one 1/0 per item), --skip or --cancel",
                Pattern::Confirm | Pattern::Inform => "--approve, --edit, --skip or --cancel",
            }
        )),
    }
}

fn decision_name(d: &Decision) -> &'static str {
    match d {
        Decision::Approved => "approve",
        Decision::Edited(_) => "edit",
        Decision::Skipped => "skip",
        Decision::Cancelled => "cancel",
        Decision::Chosen(_) => "choose",
        Decision::PerItem(_) => "items",
    }
}

/// Unix ms of the last local midnight at or before `now` in `tz` (UTC if
/// the zone is unknown).
fn local_midnight(now: i64, tz: &str) -> i64 {
    let tz = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(now)
        .ok()
        .and_then(|t| t.to_zoned(tz).start_of_day().ok())
        .map_or(now - now.rem_euclid(86_400_000), |z| {
            z.timestamp().as_millisecond()
        })
}
