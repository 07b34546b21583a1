//! A deal's engagement as the app moves it and shows it, above the store:
//! [`approvals`] (approvals by class asked and decided, and workflow events
//! reported from elsewhere), [`contract`] (the contract asked for from the
//! accepted terms), [`invoice`] (the deposit invoice the approved contract
//! calls for), [`drafting`] (what asking for either takes), [`disputes`]
//! (a billing dispute an email raised, applied to its deal), [`decisions`]
//! (a conflict's decision asked of the rep in Slack), [`proposals`] (what a proposal sent, accepted, declined or asked about
//! does to its deal's engagement), [`facts`] (facts reported from
//! elsewhere, and decisions on conflicts between sources) and [`view`] (a deal's state as the API,
//! the inbox and the CLI show it). The engagement itself — workflow, state
//! and its one change — is [`crate::engagement`].

pub mod approvals;
pub mod contract;
pub mod decisions;
pub mod disputes;
mod drafting;
pub mod facts;
pub mod invoice;
pub mod proposals;
pub mod view;

use crate::documents::{CONTRACT, INVOICE};
use crate::engagement::Workflow;
use crate::store::EngagementTables;
use baton_engine::orchestrator::Orchestrator;
use baton_store::{OrgId, Store, StoreError};

/// After something changed on `deal` (an acceptance, a fact, a decision,
/// an approval): ask for the documents it may now call for, its contract
/// and its invoice, and for the decision an open conflict needs (an
/// unchanged ask is a no-op; `base` is the service's public address), from
/// the engagement and org read once. Never fails the change that called
/// it: a failure is logged.
pub async fn follow(
    orch: &Orchestrator,
    store: &Store,
    w: &Workflow,
    (org, deal): (&OrgId, &str),
    base: &str,
) {
    let loaded: Result<_, StoreError> =
        async { Ok((store.engagement(org, deal).await?, store.org(org).await?)) }.await;
    let (e, o) = match loaded {
        Ok((Some(e), Some(o))) => (e, o),
        Ok(_) => return,
        Err(err) => {
            tracing::warn!(deal, error = %err, "what the change calls for could not be asked");
            return;
        }
    };
    drafting::logged(
        deal,
        CONTRACT,
        contract::request_draft(orch, store, &o, &e).await,
    );
    drafting::logged(
        deal,
        INVOICE,
        invoice::request_draft(orch, store, w, &o, &e).await,
    );
    if let Err(err) = decisions::ask(orch, store, &o, &e, base).await {
        tracing::warn!(deal, error = %err, "the decision could not be asked for");
    }
}
