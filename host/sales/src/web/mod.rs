//! The sales app in `baton serve`, on the service's seam
//! ([`baton_service::WebApp`], here [`SalesWeb`]): its routes, the
//! deliverer its effects go out through (the engine's transports with the
//! CRM, HubSpot and proposal connectors), and the workers that read reps'
//! mailboxes and calendars.
//!
//! - [`api`]: its `/v1/…` routes (CRM, proposals, the brief, success
//!   metrics, connected accounts).
//! - [`webhooks`]: Meeting BaaS, and Gmail's and Google Calendar's pushes.
//! - [`inbox`]: its inbox pages. [`openapi`]: its part of `/openapi.json`.
//! - [`proposal`]: `/p/{token}`, a shared proposal's public page.
//! - [`settings`]: its settings and secrets.

pub mod api;
pub mod inbox;
pub mod openapi;
pub mod proposal;
pub mod settings;
pub mod tracking;
pub mod webhooks;

pub use baton_service::{App, Routes, auth, guard, problem, signature};
pub use settings::{SalesSecrets, SalesSettings};

use crate::connectors::{Connectors, Deliver, GoogleCalendar, MailboxApis, content::ContentFolder};
use crate::engagement::Workflow;
use axum::Extension;
use baton_engine::orchestrator::Orchestrator;
use baton_service::{Base, ServiceError, Settings, WebApp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// The engine's tables and the sales app's, under one path, for the
/// handlers.
pub(crate) mod store {
    pub(crate) use crate::store::*;
    pub(crate) use baton_store::*;
}

/// What the sales app's handlers share beside [`App`] (an `Extension` of
/// its routes).
pub struct Sales {
    pub settings: SalesSettings,
    pub secrets: SalesSecrets,
    /// Wakes the mail loop (a Gmail push asked for a mailbox's sync).
    pub mail_wake: Arc<Notify>,
    /// Wakes the calendar loop (a Google Calendar push asked for a read).
    pub calendar_wake: Arc<Notify>,
    /// The engagement workflow deals move under.
    pub workflow: Arc<Workflow>,
}

/// The sales app composed into the service.
pub struct SalesWeb {
    sales: Arc<Sales>,
    connectors: Connectors,
}

impl SalesWeb {
    /// Its deliverer over the shell's transports and accounts.
    pub fn new(
        orch: &Orchestrator,
        settings: &Settings,
        own: SalesSettings,
        secrets: SalesSecrets,
        Base {
            transports,
            accounts,
        }: &Base,
    ) -> Result<SalesWeb, ServiceError> {
        let workflow = Arc::new(match &own.workflow {
            Some(file) => Workflow::load(std::path::Path::new(file))
                .map_err(|e| ServiceError::Config(format!("the engagement workflow: {e}")))?,
            None => Workflow::shipped(),
        });
        let clock = orch.clock.clone();
        let connectors = Connectors {
            workflow: Some(workflow.clone()),
            proposal_link_days: Some(own.proposal_link_days),
            now: Some(Arc::new(move || clock.now_ms())),
            store: Some(orch.store.clone()),
            slack: transports.slack.clone(),
            mailer: transports.mailer.clone(),
            webhook: transports.webhook.clone(),
            public_url: Some(settings.base_url()),
            accounts: Some(accounts.clone()),
            hubspot_api_url: Some(own.hubspot_api_url.clone()),
            google_calendar: Some(GoogleCalendar::new(&settings.google_api_url)?),
            mailbox: Some(MailboxApis::new(
                &settings.google_api_url,
                &settings.microsoft_graph_url,
            )?),
            content: settings
                .content_dir
                .as_deref()
                .map(|d| ContentFolder::open(std::path::Path::new(d)))
                .transpose()?,
        };
        Ok(SalesWeb {
            sales: Arc::new(Sales {
                settings: own,
                secrets,
                mail_wake: Arc::default(),
                calendar_wake: Arc::default(),
                workflow,
            }),
            connectors,
        })
    }
}

impl WebApp for SalesWeb {
    fn name(&self) -> &'static str {
        "sales"
    }

    fn routes(&self, app: &Arc<App>) -> Routes {
        Routes::new()
            .merge(api::routes())
            .merge(webhooks::routes())
            .merge(inbox::routes(app))
            .merge(proposal::routes(app))
            .merge(tracking::routes())
            .layer(Extension(self.sales.clone()))
    }

    fn openapi(&self) -> serde_json::Value {
        openapi::part()
    }

    fn deliverer(&self) -> Option<Arc<dyn Deliver>> {
        Some(Arc::new(self.connectors.clone()))
    }

    fn workers(
        &self,
        app: &Arc<App>,
        stop: &watch::Receiver<bool>,
        tasks: &mut JoinSet<()>,
    ) -> Result<(), ServiceError> {
        let client = |what: &'static str| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|source| ServiceError::Client { what, source })
        };
        let mail = crate::sources::mail::MailLoop {
            orch: app.orch.clone(),
            accounts: app.accounts.clone(),
            http: client("the mail loop's HTTP client")?,
            google_api_url: app.settings.google_api_url.clone(),
            pubsub_topic: app.settings.gmail_pubsub_topic.clone(),
            poll: Duration::from_millis(app.settings.mail_poll_ms),
            wake: self.sales.mail_wake.clone(),
            leases: app.leases.clone(),
            reads_per_s: app.settings.account_reads_per_s,
        };
        let stop_mail = stop.clone();
        tasks.spawn(async move { mail.run(stop_mail).await });
        let calendars = crate::sources::calendar::Calendars {
            store: app.store().clone(),
            accounts: app.accounts.clone(),
            http: client("the calendar HTTP client")?,
            account_http: app
                .accounts
                .egress()
                .http_client(Duration::from_secs(30))
                .map_err(|source| ServiceError::Client {
                    what: "the CalDAV HTTP client",
                    source,
                })?,
            google_api: app.settings.google_api_url.trim_end_matches('/').to_owned(),
            public_url: app
                .settings
                .public_url
                .as_ref()
                .map(|_| app.settings.base_url()),
            clock: app.orch.clock.clone(),
            poll: Duration::from_millis(app.settings.calendar_poll_ms.max(100)),
            wake: self.sales.calendar_wake.clone(),
            leases: app.leases.clone(),
            reads_per_s: app.settings.account_reads_per_s,
        };
        let stop_calendars = stop.clone();
        tasks.spawn(async move { calendars.run(stop_calendars).await });
        // What finished steps say happened to engagements (a billing
        // dispute an email raised), applied with the operator's workflow.
        let (orch, workflow, stop_engagements) =
            (app.orch.clone(), self.sales.workflow.clone(), stop.clone());
        tasks.spawn(async move {
            crate::lifecycle::disputes::run(orch, workflow, stop_engagements).await
        });
        Ok(())
    }
}
