//! A billing dispute an email raised, applied to the sender's deal: the
//! email classifier says the newest text contests a bill
//! (`billing_dispute` in its output), the step's checkpoint keeps it in the
//! engagement outbox (`rows.rs`), and [`run`], the sales app's engagement
//! worker, applies it here through the engagement's one change. On a deal
//! that has an invoice, the workflow's `billing_dispute` route blocks the
//! commercial track with its note, the log records the email as evidence,
//! and no invoice is sent (an open send is withdrawn) until the dispute is
//! settled (`billing_settled`, reported on the deal). An email from no
//! deal's contact, or about a deal with no invoice, stops nothing.

use crate::documents::INVOICE;
use crate::engagement::{Happening, Workflow};
use crate::store::Pending;
use crate::store::{ContactRef, ContextTables, DocumentTables, EngagementTables, OutboxTables};
use baton_engine::orchestrator::Orchestrator;
use baton_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The workflow event a dispute is.
pub const EVENT: &str = "billing_dispute";
/// How often the worker looks for what waits.
const EVERY: Duration = Duration::from_secs(1);
/// How many it applies per look.
const BATCH: i64 = 50;

/// The engagement worker: applies what the outbox holds until `stop`.
pub async fn run(orch: Arc<Orchestrator>, w: Arc<Workflow>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(e) = apply_pending(&orch.store, &w, orch.clock.now_ms()).await {
            tracing::warn!(error = %e, "engagement worker: what waits could not be applied; trying again");
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Apply what waits in the outbox (the oldest first) at `now`; how many
/// changed an engagement. A row that fails stays for the next pass.
pub async fn apply_pending(store: &Store, w: &Workflow, now: i64) -> Result<usize, StoreError> {
    let mut applied = 0;
    for p in store.pending_happenings(BATCH).await? {
        match apply(store, w, &p, now).await {
            Ok(changed) => applied += usize::from(changed),
            Err(StoreError::Stale(why)) => {
                tracing::warn!(event = %p.event, why, "engagement worker: refused by the engagement; dropped");
            }
            Err(e) => {
                tracing::warn!(event = %p.event, error = %e, "engagement worker: not applied; kept");
                continue;
            }
        }
        store.applied_happening(&p.org_id, &p.key).await?;
    }
    Ok(applied)
}

/// Apply `p` to its sender's deal, when it has an invoice; whether the
/// engagement changed.
async fn apply(store: &Store, w: &Workflow, p: &Pending, now: i64) -> Result<bool, StoreError> {
    let about = ContactRef {
        contact_id: None,
        contact_email: Some(&p.address),
        deal_id: None,
        deal_name: None,
    };
    let (_, deal) = store.subject(&p.org_id, &about).await?;
    let Some(deal) = deal else {
        tracing::info!(event = %p.event, "from no deal's contact: nothing stopped");
        return Ok(false);
    };
    let Some(invoice) = store.live_document(&p.org_id, &deal.id, INVOICE).await? else {
        tracing::info!(event = %p.event, deal = %deal.id, "the deal has no invoice: nothing stopped");
        return Ok(false);
    };
    let h = Happening {
        event: p.event.clone(),
        actor: "email".into(),
        facts: Vec::new(),
        artifact: Some(invoice.id),
        evidence: p.evidence.clone(),
        artifact_log: None,
        resolve: None,
        approval: None,
    };
    let done = store
        .advance_engagement(&p.org_id, &deal.id, w, &p.key, &h, now)
        .await?;
    Ok(done.outcome.is_some())
}
