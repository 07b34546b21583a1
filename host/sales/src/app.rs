//! The sales app on the engine's extension seam
//! (`baton_engine::orchestrator::conductor::Extension`): [`Sales`] is the
//! one value the binary composes with the engine; each hook hands over to
//! the file that holds its concept (`schedule.rs`, `rows.rs`,
//! `campaigns.rs`, `kinds.rs`, `words.rs`).

use crate::store::{ContactRef, ContextTables};
use crate::words::{self, About};
use crate::{campaigns, kinds, rows, schedule};
use baton_engine::orchestrator::conductor::{
    Due, Extension, Extensions, Orchestrator, OrchestratorError,
};
use baton_engine::orchestrator::extension::{Finished, Fire, GateDraft, Hook, KindRules};
use baton_store::{ActionKind, Job, Org, Row, Store, StoreError};
use serde_json::Value;
use std::sync::Arc;

/// The sales app on the engine's seam.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sales;

impl Extension for Sales {
    fn name(&self) -> &'static str {
        "sales"
    }

    fn schedule(&self) -> &'static [Fire] {
        schedule::PLAN
    }

    fn fire<'a>(&'a self, due: Due<'a>) -> Hook<'a, Result<Option<usize>, OrchestratorError>> {
        Box::pin(schedule::fire(due))
    }

    fn pass<'a>(
        &'a self,
        orch: &'a Orchestrator,
        now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(schedule::meetings(orch, now))
    }

    fn org_pass<'a>(
        &'a self,
        orch: &'a Orchestrator,
        org: &'a Org,
        now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(async move {
            Ok::<_, OrchestratorError>(usize::from(campaigns::tick(orch, org, now).await?))
        })
    }

    fn rows(&self, step: &Finished<'_>) -> Vec<Row> {
        rows::of(step)
    }

    /// "Follow-up email to Marta Ruiz (Northwind)", never a kind or step
    /// name (`words.rs`).
    fn gate_title(&self, gate: &GateDraft<'_>) -> Option<String> {
        let about = About::of_job(gate.payload, gate.contact);
        Some(words::describe_gate(gate.body, gate.pattern, gate.title, &about).title)
    }

    fn event_title(&self, event: &str) -> Option<String> {
        Some(words::event_title(event).to_owned())
    }

    fn kind(&self, kind: ActionKind) -> Option<&dyn KindRules> {
        match kind {
            ActionKind::CrmUpdate => Some(&kinds::CrmUpdate),
            ActionKind::ProposalSend => Some(&kinds::ProposalSend),
            _ => None,
        }
    }

    /// "Follow-up email to Marta Ruiz", in the rep's words (`words.rs`).
    fn action_title(
        &self,
        kind: Option<ActionKind>,
        preview: &str,
        payload: &Value,
    ) -> Option<String> {
        Some(words::action_title(kind, preview, payload))
    }

    /// Each org's success metrics over the last 30 days.
    fn metrics<'a>(
        &'a self,
        store: &'a Store,
        now: i64,
    ) -> Hook<'a, Result<Option<prometheus_client::registry::Registry>, StoreError>> {
        Box::pin(async move {
            let orgs = crate::success::every_org(store, now).await?;
            Ok(Some(crate::success::prometheus::registry(&orgs)))
        })
    }

    /// The contact, company, deals, meetings, emails and activities of
    /// the person the job is about (CRM-lite).
    fn contact<'a>(
        &'a self,
        store: &'a Store,
        job: &'a Job,
    ) -> Hook<'a, Result<Option<Value>, StoreError>> {
        Box::pin(async move {
            let p = &job.payload;
            let text = |k: &str| p.get(k).and_then(Value::as_str);
            // An inbound email names its sender as `Name <addr>`.
            let email = text("contact_email")
                .or_else(|| text("from"))
                .and_then(baton_store::address::address_key);
            store
                .contact_context(
                    &job.org_id,
                    &ContactRef {
                        contact_id: text("contact_id"),
                        contact_email: email.as_deref(),
                        deal_id: text("deal_id"),
                        deal_name: text("deal_name"),
                    },
                )
                .await
        })
    }
}

/// The engine's extensions in the `baton` binary: the sales app.
pub fn extensions() -> Extensions {
    Arc::new([Arc::new(Sales) as Arc<dyn Extension>])
}
