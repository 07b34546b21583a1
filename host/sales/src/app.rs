//! The sales app on the engine's extension seam
//! (`baton_engine::orchestrator::conductor::Extension`): [`Sales`] is the
//! one value the binary composes with the engine; each hook hands over to
//! the file that holds its concept (`schedule.rs`, `admitted.rs`, `rows.rs`,
//! `campaigns.rs`, `kinds.rs`, `words.rs`, `sources/transcript.rs`).

use crate::sources::transcript;
use crate::store::preferences::{self, SalesPreferences};
use crate::store::{ContactRef, ContextTables, PreferenceTables, address_of};
use crate::words::{self, About};
use crate::{admitted, basis, campaigns, kinds, requests, rows, schedule};
use baton_engine::orchestrator::conductor::{
    Due, Extension, Extensions, Orchestrator, OrchestratorError,
};
use baton_engine::orchestrator::extension::{
    Finished, Fire, GateDraft, Hook, KindRules, PreferenceProblem, Prepared, Request, Understood,
};
use baton_engine::orchestrator::{Attach, Labels};
use baton_store::{
    ActionKind, Job, JobId, NewJob, Org, OrgId, PendingAction, Row, Store, StoreError, UserId,
};
use baton_types::coaching::{Coaching, UnknownCoaching};
use baton_types::tone::{Tone, UnknownTone};
use serde_json::{Map, Value};
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

    /// The org's campaign check when it is due, and its transcripts past
    /// their retention erased (`transcripts.rs`).
    fn org_pass<'a>(
        &'a self,
        orch: &'a Orchestrator,
        org: &'a Org,
        now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(async move {
            let fired = usize::from(campaigns::tick(orch, org, now).await?);
            // Transcripts past the org's retention; a failure holds no fire
            // back (the next pass tries again).
            if let Err(e) =
                crate::transcripts::expire(&orch.store, orch.extensions(), org, now).await
            {
                tracing::warn!(org = %org.slug, error = %e, "expired transcripts not erased this pass");
            }
            Ok::<_, OrchestratorError>(fired)
        })
    }

    /// A call that ended, or an email that came in, is activity on its
    /// contact and deal at once (`admitted.rs`).
    fn admitted<'a>(
        &'a self,
        store: &'a Store,
        job: &'a NewJob,
        now: i64,
    ) -> Hook<'a, Result<Vec<Row>, StoreError>> {
        Box::pin(admitted::rows(store, job, now))
    }

    /// A call's words are stored once and carried by id
    /// (`transcripts.rs`).
    fn attach(&self, _event_type: &str, payload: &Value) -> Option<Attach> {
        crate::transcripts::attach(payload)
    }

    /// Where a call's words may reach in the app's tables
    /// (`transcripts.rs`).
    fn erasable(&self) -> &'static [baton_store::TextColumn] {
        crate::transcripts::ERASABLE
    }

    fn prepare<'a>(
        &'a self,
        store: &'a Store,
        job: &'a Job,
    ) -> Hook<'a, Result<Prepared, StoreError>> {
        Box::pin(transcript::prepare(store, job, transcript::Fetch::DEFAULT))
    }

    fn rows(&self, step: &Finished<'_>) -> Vec<Row> {
        rows::of(step)
    }

    /// Its calendar's meetings (and their queued preparations) are
    /// cancelled and its calendar sources go.
    fn on_disconnect(&self, org: &OrgId, account: &str, now: i64) -> Vec<Row> {
        crate::store::calendars::disconnect_rows(
            org,
            account,
            &crate::sources::calendar::meeting_prefixes(account),
            crate::timing::MEETING_FIRES,
            now,
        )
    }

    /// "Follow-up email to Marta Ruiz (Northwind)", never a kind or step
    /// name (`words.rs`).
    fn gate_title(&self, gate: &GateDraft<'_>) -> Option<String> {
        let about = About::of_job(gate.payload, gate.contact);
        Some(words::describe_gate(gate.body, gate.pattern, gate.title, &about).title)
    }

    /// A revival or reply draft is based on the newest activity it read
    /// (`basis.rs`).
    fn basis(&self, gate: &GateDraft<'_>) -> Option<Value> {
        basis::of(gate)
    }

    /// Newer activity on the deal, or a newer message from the person,
    /// withdraws the draft (`basis.rs`).
    fn moved_on<'a>(
        &'a self,
        store: &'a Store,
        gate: &'a PendingAction,
    ) -> Hook<'a, Result<Option<String>, StoreError>> {
        Box::pin(basis::moved_on(store, gate))
    }

    fn migrations(&self) -> Option<baton_store::Migrations> {
        Some(crate::store::MIGRATIONS)
    }

    fn event_title(&self, event: &str) -> Option<String> {
        Some(words::event_title(event).to_owned())
    }

    /// A click in the morning brief or the coaching digest leaves it as it is.
    fn keeps_message(&self, block_id: &str) -> bool {
        block_id.starts_with(crate::connectors::slack_post::BRIEF_BLOCKS)
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

    /// A detection's intent labels, or an inbound email's label.
    fn labels<'a>(
        &'a self,
        store: &'a Store,
        org: &'a OrgId,
        job: &'a JobId,
    ) -> Hook<'a, Result<Option<Labels>, StoreError>> {
        Box::pin(async move {
            let kind = crate::suggested::suggested(store, org, job).await?.kind();
            Ok(crate::suggested::labels(kind))
        })
    }

    fn preference_keys(&self) -> &'static [&'static str] {
        preferences::KEYS
    }

    /// The brief's time, revivals, coaching and tone.
    fn preferences<'a>(
        &'a self,
        store: &'a Store,
        org: &'a OrgId,
        user: &'a UserId,
    ) -> Hook<'a, Result<Map<String, Value>, StoreError>> {
        Box::pin(async move { Ok(store.sales_preferences(org, user).await?.to_doc()) })
    }

    /// A coaching choice or tone the app does not know is named first;
    /// then the fields as read, then their ranges.
    fn check_preferences(&self, doc: &Map<String, Value>) -> Result<(), PreferenceProblem> {
        if let Some(c) = doc.get("coaching")
            && c.as_str().is_none_or(|c| Coaching::parse(c).is_none())
        {
            let shown = c.as_str().map_or_else(|| c.to_string(), str::to_owned);
            return Err(PreferenceProblem::Unknown(
                UnknownCoaching(shown).to_string(),
            ));
        }
        if let Some(t) = doc.get("tone")
            && t.as_str().is_none_or(|t| Tone::parse(t).is_none())
        {
            let shown = t.as_str().map_or_else(|| t.to_string(), str::to_owned);
            return Err(PreferenceProblem::Unknown(UnknownTone(shown).to_string()));
        }
        let p = SalesPreferences::from_doc(doc).map_err(PreferenceProblem::Invalid)?;
        p.problem()
            .map_or(Ok(()), |m| Err(PreferenceProblem::Invalid(m)))
    }

    fn set_preferences<'a>(
        &'a self,
        store: &'a Store,
        org: &'a OrgId,
        user: &'a UserId,
        doc: &'a Map<String, Value>,
    ) -> Hook<'a, Result<(), OrchestratorError>> {
        Box::pin(async move {
            let p = SalesPreferences::from_doc(doc).map_err(OrchestratorError::Invalid)?;
            Ok(store.set_sales_preferences(org, user, &p).await?)
        })
    }

    /// Each org's success metrics over the last 30 days, as last computed
    /// when that was less than `max_age_ms` ago.
    fn metrics<'a>(
        &'a self,
        store: &'a Store,
        now: i64,
        max_age_ms: i64,
    ) -> Hook<'a, Result<Option<prometheus_client::registry::Registry>, StoreError>> {
        Box::pin(async move {
            let orgs = crate::success::every_org_cached(store, now, max_age_ms).await?;
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
            let email = address_of(&job.payload);
            let about = ContactRef::of_payload(&job.payload, email.as_deref());
            store.contact_context(&job.org_id, &about).await
        })
    }

    /// Requests in a rep's words, read by rules (`requests.rs`).
    fn understand<'a>(
        &'a self,
        store: &'a Store,
        request: Request<'a>,
    ) -> Hook<'a, Result<Option<Understood>, StoreError>> {
        Box::pin(requests::understand(store, request))
    }

    fn request_examples(&self) -> &'static [&'static str] {
        requests::EXAMPLES
    }
}

/// The engine's extensions in the `baton` binary: the sales app.
pub fn extensions() -> Extensions {
    Arc::new([Arc::new(Sales) as Arc<dyn Extension>])
}
