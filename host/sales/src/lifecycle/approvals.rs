//! Approvals by class on a deal's engagement, asked and decided by someone
//! of the org (the API, the inbox), and the workflow events reported from
//! elsewhere (a contract signed in an e-signature tool, delivery accepted)
//! that a gate may hold. Each is applied once per key, so a retried
//! request changes nothing twice; what the engagement refuses (a decision
//! outside the approval's class or scope, an approval a missing fact still
//! holds) is [`StoreError::Stale`] naming why, and nothing is stored.

use super::facts::digest;
use super::proposals::By;
use crate::engagement::{ApprovalClass, ApprovalStep, Decision, Happening, Workflow};
use crate::store::{Advanced, EngagementTables};
use baton_store::{OrgId, Store, StoreError};

/// Why a request is refused before the engagement is asked.
#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    #[error("`{0}` is not a fact of the workflow: one of {1}")]
    UnknownFact(String, String),
    #[error("`{0}` is not an event of the workflow: one of {1}")]
    UnknownEvent(String, String),
    #[error("{0} is 1 to {1} characters")]
    BadText(&'static str, usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn text(what: &'static str, s: &str, max: usize) -> Result<String, ApprovalError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max {
        return Err(ApprovalError::BadText(what, max));
    }
    Ok(s.to_owned())
}

/// What someone asks to be approved.
#[derive(Debug, Clone)]
pub struct Ask {
    pub class: ApprovalClass,
    pub subject: String,
    /// What a full approval permits.
    pub scope: Vec<String>,
    /// Facts of the workflow it needs known first.
    pub needs: Vec<String>,
}

/// Ask for an approval of `ask.class` on `ask.subject` (nothing changes
/// while a live one stands, unless it was rejected).
pub async fn request(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
    ask: Ask,
    by: By<'_>,
    now: i64,
) -> Result<Advanced, ApprovalError> {
    let subject = text("an approval's subject", &ask.subject, 200)?;
    let mut scope = Vec::new();
    for s in &ask.scope {
        let s = text("each thing an approval permits", s, 100)?;
        if !scope.contains(&s) {
            scope.push(s);
        }
    }
    if let Some(f) = ask.needs.iter().find(|f| !w.fields.contains_key(*f)) {
        return Err(ApprovalError::UnknownFact(f.clone(), fields(w)));
    }
    // The key names the approval it would replace, so asking again after a
    // rejection is a new request and a retry is not.
    let live = store
        .engagement(org, deal)
        .await?
        .and_then(|e| e.approval(ask.class, &subject).map(|a| a.id))
        .unwrap_or(0);
    let key = format!(
        "approval-ask:{}:{}",
        ask.class,
        digest(&[&subject, &live.to_string()])
    );
    let h = Happening {
        event: "approval_requested".into(),
        actor: by.actor(),
        facts: Vec::new(),
        artifact: None,
        evidence: format!("asked by {}", by.actor()),
        artifact_log: None,
        resolve: None,
        approval: Some(ApprovalStep::Request {
            class: ask.class,
            subject,
            scope,
            needs: ask.needs,
        }),
    };
    Ok(store
        .advance_engagement(org, deal, w, &key, &h, now)
        .await?)
}

/// Decide approval `d.id` as one of `d.class`; the same decision twice is
/// one.
pub async fn decide(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
    mut d: Decision,
    by: By<'_>,
    now: i64,
) -> Result<Advanced, ApprovalError> {
    d.evidence = text("a decision's evidence", &d.evidence, 500)?;
    d.conditions = d
        .conditions
        .iter()
        .map(|c| text("each condition", c, 300))
        .collect::<Result<_, _>>()?;
    let key = format!(
        "approval-decide:{}:{}:{}",
        d.id,
        // The class decided under: the same decision under another class
        // is no retry but a new request, refused by the engagement.
        d.class,
        digest(&[
            d.state.as_str(),
            &d.permits.join("\u{1f}"),
            &d.conditions.join("\u{1f}"),
        ])
    );
    let h = Happening {
        event: "approval_decided".into(),
        actor: by.actor(),
        facts: Vec::new(),
        artifact: None,
        evidence: d.evidence.clone(),
        artifact_log: None,
        resolve: None,
        approval: Some(ApprovalStep::Decide(d)),
    };
    Ok(store
        .advance_engagement(org, deal, w, &key, &h, now)
        .await?)
}

/// Report that `event` of the workflow happened to the deal (a contract
/// signed, delivery accepted), with `evidence`: the stage moves when the
/// transition's facts are known and its gate's approval permits it;
/// otherwise what is missing is named on the engagement.
#[allow(clippy::too_many_arguments)]
pub async fn report_event(
    store: &Store,
    w: &Workflow,
    org: &OrgId,
    deal: &str,
    event: &str,
    evidence: &str,
    by: By<'_>,
    now: i64,
) -> Result<Advanced, ApprovalError> {
    if !w.transitions.iter().any(|t| t.on == event) && w.routes(event).next().is_none() {
        let mut known: Vec<&str> = w
            .transitions
            .iter()
            .map(|t| t.on.as_str())
            .chain(w.all_routes().map(|r| r.on.as_str()))
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(ApprovalError::UnknownEvent(
            event.to_owned(),
            known.join(", "),
        ));
    }
    let evidence = text("an event's evidence", evidence, 500)?;
    // The same report against the same state is one; once the state has
    // moved (say, the gate's approval was given), reporting it again is
    // news.
    let held = store.engagement(org, deal).await?;
    let state = serde_json::to_string(&held).unwrap_or_default();
    let key = format!("event:{event}:{}", digest(&[&evidence, &state]));
    let h = Happening {
        event: event.to_owned(),
        actor: by.actor(),
        facts: Vec::new(),
        artifact: None,
        evidence,
        artifact_log: None,
        resolve: None,
        approval: None,
    };
    Ok(store
        .advance_engagement(org, deal, w, &key, &h, now)
        .await?)
}

fn fields(w: &Workflow) -> String {
    w.fields
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
