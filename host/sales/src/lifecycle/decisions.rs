//! A decision a deal's engagement waits for, asked of its rep in Slack
//! besides the deal's page: when two sources disagree on a fact a track
//! depends on, the `decision_needed` sequence posts the question (both
//! values, their sources, the likely truth) with a link to the page where
//! the rep picks a side. Asked once per open question: the event is keyed
//! by the deal and the question, so the same conflict is asked once and a
//! new one (or the same fact disputed again with other values) is news.

use super::drafting::rep_of;
use super::facts::digest;
use crate::engagement::Engagement;
use crate::store::CrmTables;
use baton_engine::orchestrator::{Event, Orchestrator, Submitted};
use baton_store::{Org, Store, StoreError};
use baton_types::decision::DecisionNeeded;

/// The event the `decision_needed` sequence handles.
pub const EVENT: &str = "decision_needed";

/// Ask the rep of the deal whose engagement is `e` (in org `o`) for the
/// decision its first open conflict needs, if it has one (`base` is the
/// service's public address, for the link).
pub async fn ask(
    orch: &Orchestrator,
    store: &Store,
    o: &Org,
    e: &Engagement,
    base: &str,
) -> Result<Option<Submitted>, StoreError> {
    if orch.sequences().get(EVENT).is_none() {
        return Ok(None);
    }
    let Some(c) = e.conflicts.first() else {
        return Ok(None);
    };
    let (org, deal) = (&o.id, e.deal_id.as_str());
    let Some(d) = store.deal(org, deal).await? else {
        return Ok(None);
    };
    // The deal's owner, else the rep whose proposal was accepted.
    let owner = match &d.owner_user_id {
        Some(id) => store.user(org, id).await?,
        None => None,
    };
    let rep = match owner {
        Some(u) => u,
        None => match rep_of(store, o, e).await? {
            Some(u) => u,
            None => return Ok(None),
        },
    };
    let question = c.question();
    let payload = DecisionNeeded {
        deal_id: deal.to_owned(),
        deal: d.name.clone(),
        fact: c.fact.clone(),
        question: question.clone(),
        track: c.track.clone(),
        link: format!("{}/inbox/deals/{deal}", base.trim_end_matches('/')),
    };
    let payload = serde_json::to_value(&payload)
        .map_err(StoreError::json(format!("the decision deal {deal} needs")))?;
    let event = Event {
        event_type: EVENT.into(),
        org: o.slug.clone(),
        user: rep.handle,
        payload,
        source: "engagement".into(),
        idempotency_key: Some(format!("{EVENT}:{deal}:{}", digest(&[&question]))),
    };
    match orch.submit(&event).await {
        Ok(s) => Ok(Some(s)),
        Err(err) => {
            tracing::warn!(deal, error = %err, "the decision could not be asked for");
            Ok(None)
        }
    }
}
