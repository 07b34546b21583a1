//! `baton serve`: the HTTP API, signed webhooks, the web approval inbox,
//! `/metrics`, and, in the same process, the workers that run jobs, deliver
//! the outbox, send approval requests and fire scheduled events.
//!
//! - [`config`]: settings from the config file and the environment.
//! - [`auth`]: org tokens, the admin token, inbox sessions.
//! - [`api`]: `/v1/…` JSON routes. [`webhooks`]: `/v1/webhooks/…`.
//! - [`inbox`]: the server-rendered inbox. [`openapi`]: `/openapi.json`.
//! - [`problem`]: errors as `application/problem+json`.
//! - [`proposal`]: `/p/{token}`, a shared proposal's public page.
//! - [`signature`]: Slack and Standard Webhooks signatures.

pub mod api;
pub mod auth;
pub mod config;
mod guard;
pub mod inbox;
pub mod openapi;
pub mod problem;
pub mod proposal;
mod run;
pub mod signature;
pub mod webhooks;

pub use config::{Secrets, Settings};
pub use run::{listen, serve};

use crate::accounts::{Accounts, GoogleOAuth, Vault};
use crate::connectors::{Connectors, Deliver, Mailer, Slack, Webhook};
use crate::orchestrator::sequence::{self, SequenceError};
use crate::orchestrator::{Orchestrator, notify::Notifier, scheduler::Scheduler};
use crate::store::Store;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use problem::Problem;
use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// What every handler shares.
pub struct App {
    pub orch: Arc<Orchestrator>,
    pub settings: Settings,
    pub secrets: Secrets,
    pub connectors: Connectors,
    /// Connected accounts' credentials (sealed at rest) and Google's OAuth
    /// client.
    pub accounts: Accounts,
    /// Wakes the mail loop (a Gmail push asked for a mailbox's sync).
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Wakes the calendar loop (a Google Calendar push asked for a read).
    pub calendar_wake: Arc<tokio::sync::Notify>,
    /// False once shutdown has begun (`/readyz` answers 503).
    ready: AtomicBool,
    /// Skills loaded so far and of how many, at start-up.
    loading: Loading,
}

/// Start-up progress: the API answers 503 until every skill is loaded.
#[derive(Default)]
struct Loading {
    done: AtomicBool,
    /// Woken once `done` is set.
    ready: tokio::sync::Notify,
    loaded: AtomicUsize,
    of: AtomicUsize,
}

impl Loading {
    /// `None` once loaded, else why the service is not ready yet.
    fn pending(&self) -> Option<String> {
        if self.done.load(Ordering::Acquire) {
            return None;
        }
        Some(format!(
            "starting: loading skills ({} of {})",
            self.loaded.load(Ordering::Relaxed),
            self.of.load(Ordering::Relaxed)
        ))
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Config(String),
    /// A connector the settings name cannot be set up.
    #[error(transparent)]
    Connector(#[from] crate::connectors::ConnectorError),
    /// The secret key (`BATON_SECRET_KEY`) is not one.
    #[error(transparent)]
    Vault(#[from] crate::accounts::VaultError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot load skills: {0}")]
    Skills(String),
    /// Step params that break their skill's params schema.
    #[error("invalid step params:{}", sequence::lines(.0))]
    Params(Vec<SequenceError>),
    #[error("cannot watch {what}: {error}")]
    Watch {
        what: String,
        error: ::notify::Error,
    },
}

impl App {
    /// Resolves once the service is ready (skills loaded, folders
    /// watched): what `baton serve` waits for before it says it serves.
    pub(crate) async fn until_ready(&self) {
        let woken = self.loading.ready.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        if self.loading.done.load(Ordering::Acquire) {
            return;
        }
        woken.await;
    }

    /// Assemble the app and its connectors from settings and secrets.
    pub fn new(
        orch: Arc<Orchestrator>,
        settings: Settings,
        secrets: Secrets,
    ) -> Result<Arc<App>, ServiceError> {
        let slack = match &secrets.slack_bot_token {
            Some(token) => Some(Slack::new(&settings.slack_api_url, token)?),
            None => None,
        };
        let mailer = match &settings.smtp_url {
            Some(url) => Some(Mailer::new(url)?),
            None => None,
        };
        let webhook = match &settings.delivery_url {
            Some(url) => Some(Arc::new(Webhook::new(url)?)),
            None => None,
        };
        let vault = match &secrets.secret_key {
            Some(key) => Some(Vault::from_key(key)?),
            None => None,
        };
        let google = match (&secrets.google_client_id, &secrets.google_client_secret) {
            (Some(id), Some(secret)) => Some(
                GoogleOAuth::new(
                    id,
                    secret,
                    &settings.google_auth_url,
                    &settings.google_token_url,
                    &format!(
                        "{}{}",
                        settings.base_url(),
                        crate::accounts::google::CALLBACK_PATH
                    ),
                )
                .map_err(ServiceError::Config)?,
            ),
            (None, None) => None,
            _ => {
                return Err(ServiceError::Config(
                    "Google needs both BATON_GOOGLE_CLIENT_ID and BATON_GOOGLE_CLIENT_SECRET"
                        .into(),
                ));
            }
        };
        if let Some(vault) = &vault {
            orch.lend_provider_keys(vault.clone());
        }
        let egress = crate::accounts::Egress::allowing(&settings.accounts_allow)
            .map_err(ServiceError::Config)?;
        let accounts = Accounts::new(orch.store.clone(), vault, google).with_egress(egress);
        let clock = orch.clock.clone();
        let connectors = Connectors {
            proposal_link_days: Some(settings.proposal_link_days),
            now: Some(Arc::new(move || clock.now_ms())),
            store: Some(orch.store.clone()),
            slack,
            mailer,
            webhook,
            public_url: Some(settings.base_url()),
            accounts: Some(accounts.clone()),
            hubspot_api_url: Some(settings.hubspot_api_url.clone()),
            google_calendar: Some(crate::connectors::GoogleCalendar::new(
                &settings.google_api_url,
            )?),
            content: settings
                .content_dir
                .as_deref()
                .map(|d| crate::connectors::content::ContentFolder::open(std::path::Path::new(d)))
                .transpose()?,
        };
        Ok(Arc::new(App {
            orch,
            settings,
            secrets,
            connectors,
            accounts,
            mail_wake: Arc::default(),
            calendar_wake: Arc::default(),
            ready: AtomicBool::new(true),
            loading: Loading::default(),
        }))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.orch.store
    }

    /// Now, by the orchestrator's clock.
    pub fn now(&self) -> i64 {
        self.orch.clock.now_ms()
    }
}

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi::document))
        .merge(api::routes(&app))
        .merge(webhooks::routes())
        .merge(inbox::routes(&app))
        .merge(proposal::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(app.settings.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            wait_for_skills,
        ))
        .layer(axum::middleware::from_fn(problem::refuse_bad_uri))
        .with_state(app)
}

/// While the skills load, everything but health, metrics and the API
/// document answers 503 with `Retry-After` (an event accepted now would
/// be refused for want of its skills).
async fn wait_for_skills(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let always = ["/healthz", "/readyz", "/metrics", "/openapi.json"];
    match app.loading.pending() {
        // A 503 problem carries `Retry-After`.
        Some(why) if !always.contains(&request.uri().path()) => {
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, why).into_response()
        }
        _ => next.run(request).await,
    }
}

/// How long `/readyz` waits for the database.
const READY_PING: Duration = Duration::from_secs(2);

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(app): State<Arc<App>>) -> Result<&'static str, Problem> {
    if !app.ready.load(Ordering::Relaxed) {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down",
        ));
    }
    if let Some(why) = app.loading.pending() {
        return Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, why));
    }
    let unreachable = |why: String| {
        tracing::warn!(error = %why, "readiness: database unreachable");
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is unreachable",
        )
    };
    // A probe answers at once: a database that does not answer within
    // READY_PING is as good as gone (the pool would wait for a connection
    // far longer than a load balancer waits for a probe).
    match tokio::time::timeout(READY_PING, app.store().ping()).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable(format!("no answer within {READY_PING:?}"))),
    }
}

async fn metrics(
    State(app): State<Arc<App>>,
    _reader: auth::MetricsReader,
) -> Result<impl IntoResponse, Problem> {
    let pending = app.store().open_actions_count().await?;
    let lag = app.store().outbox_lag_ms(app.now()).await?;
    let mut apps = Vec::new();
    for ext in app.orch.extensions().iter() {
        apps.extend(ext.metrics(app.store(), app.now()).await?);
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        crate::metrics::render(pending, lag, &apps),
    ))
}

async fn not_found(uri: axum::http::Uri) -> Problem {
    Problem::not_found(format!("no route for {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not take {method}", uri.path()),
    )
}
