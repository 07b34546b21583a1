//! `baton serve`'s shell: the HTTP API's core (events, jobs, approvals,
//! skills, people, the operator's routes), signed webhooks (Slack's
//! interactivity, Standard Webhooks), `/metrics`, health, and, in the
//! same process, the workers that run jobs, deliver the outbox, send
//! approval requests and fire scheduled events. Apps add their own routes,
//! pages and workers through one seam, [`WebApp`]; the shell names no app.
//!
//! - [`config`]: settings from the config file and the environment.
//! - [`auth`]: org tokens, the admin token, inbox sessions.
//! - [`api`]: `/v1/…` JSON routes. [`webhooks`]: `/v1/webhooks/…`.
//! - [`problem`]: errors as `application/problem+json`.
//! - [`openapi`]: `/openapi.json`, the shell's part and each app's.
//! - [`inbox`]: the inbox's shell (the page, signing in, the session, the
//!   rep's clock, connected accounts), which apps' pages stand in.
//! - [`guard`]: what keeps another site out of the pages.
//! - [`signature`]: Slack and Standard Webhooks signatures.
//! - [`web_app`]: the seam.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod auth;
mod base;
pub mod config;
pub mod guard;
pub mod inbox;
pub mod openapi;
pub mod problem;
mod run;
pub mod signature;
pub mod web_app;
pub mod webhooks;

pub use base::{Base, Transports};
pub use config::{Secrets, Settings};
pub use run::{listen, serve};
pub use web_app::WebApp;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use baton_engine::accounts::{self, Accounts};
use baton_engine::connectors::{self, Deliver};
use baton_engine::orchestrator::sequence::{self, SequenceError};
use baton_engine::orchestrator::{Orchestrator, notify::Notifier, scheduler::Scheduler};
use baton_engine::store::Store;
use problem::Problem;
use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use utoipa_axum::routes;

/// Routes with their documents: each handler's `#[utoipa::path]`, added
/// with `routes!`, is its part of `/openapi.json`.
pub type Routes = utoipa_axum::router::OpenApiRouter<Arc<App>>;

/// What every handler shares.
pub struct App {
    pub orch: Arc<Orchestrator>,
    pub settings: Settings,
    pub secrets: Secrets,
    /// The transports the settings set up (Slack, SMTP, the delivery
    /// webhook), which apps' deliverers carry effects through.
    pub transports: Transports,
    /// Connected accounts' credentials (sealed at rest) and Google's OAuth
    /// client.
    pub accounts: Accounts,
    /// The connected accounts this replica reads (the others' are read by
    /// the other replicas).
    pub leases: Arc<baton_engine::accounts::AccountLeases>,
    /// The apps composed into the service, in order.
    apps: Vec<Arc<dyn WebApp>>,
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
    #[error("{}", .0.report())]
    Connector(#[from] connectors::ConnectorError),
    /// Google's OAuth client cannot be made from its settings.
    #[error(transparent)]
    OAuth(#[from] accounts::OAuthSetupError),
    /// The secret key (`BATON_SECRET_KEY`) is not one.
    #[error(transparent)]
    Vault(#[from] accounts::VaultError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// An HTTP client a worker needs cannot be made (its TLS roots).
    #[error("cannot make {what}: {source}")]
    Client {
        what: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
    /// The skills folder cannot be read.
    #[error("cannot load skills: {dir}: {source}")]
    Skills {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    /// The skill release log cannot be settled against the folder.
    #[error("cannot load skills: the skill release log: {0}")]
    Releases(#[source] baton_engine::orchestrator::releases::ReleaseError),
    /// Sequences that do not load with the skills: a data flow with a
    /// cycle or a missing producer, step params that break their skill's
    /// params schema.
    #[error("invalid sequences:{}", sequence::lines(.0))]
    Params(Vec<SequenceError>),
    /// The sequence versions could not be recorded or read.
    #[error("sequence versions: {0}")]
    Versions(String),
    #[error("cannot watch {what}: {error}")]
    Watch {
        what: String,
        #[source]
        error: ::notify::Error,
    },
}

impl App {
    /// Resolves once the service is ready (skills loaded, folders
    /// watched): what `baton serve` waits for before it says it serves.
    pub async fn until_ready(&self) {
        let woken = self.loading.ready.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        if self.loading.done.load(Ordering::Acquire) {
            return;
        }
        woken.await;
    }

    /// The service: the shell with `apps` composed into it, in order.
    pub fn new(
        orch: Arc<Orchestrator>,
        settings: Settings,
        secrets: Secrets,
        base: Base,
        apps: Vec<Arc<dyn WebApp>>,
    ) -> Arc<App> {
        let leases = Arc::new(baton_engine::accounts::AccountLeases::new(
            orch.store.clone(),
            orch.worker_id(),
            settings.account_lease_ms as i64,
        ));
        Arc::new(App {
            orch,
            settings,
            secrets,
            leases,
            transports: base.transports,
            accounts: base.accounts,
            apps,
            ready: AtomicBool::new(true),
            loading: Loading::default(),
        })
    }

    /// The apps composed into the service.
    pub fn apps(&self) -> &[Arc<dyn WebApp>] {
        &self.apps
    }

    /// What carries approved effects no engine extension delivers itself:
    /// the first app's deliverer that has one.
    pub fn deliverer(&self) -> Option<Arc<dyn Deliver>> {
        self.apps.iter().find_map(|w| w.deliverer())
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

/// Every route: the shell's, then each app's; `/openapi.json` is their
/// documents.
pub fn router(app: Arc<App>) -> Router {
    let mut routes = Routes::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .routes(routes!(openapi::document))
        .merge(api::routes(&app))
        .merge(webhooks::routes())
        .merge(inbox::routes(&app));
    for web in &app.apps {
        routes = routes.merge(web.routes(&app));
    }
    let (router, generated) = routes.split_for_parts();
    let document = Arc::new(openapi::spec(generated, &app.apps));
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(Extension(document))
        .layer(DefaultBodyLimit::max(app.settings.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            wait_for_skills,
        ))
        .layer(axum::middleware::from_fn(problem::refuse_bad_uri))
        .layer(axum::middleware::from_fn(problem::close_after_refused_body))
        .with_state(app)
}

/// While the skills load, everything but health, metrics and the API
/// document (`/openapi.json`, when an app serves one) answers 503 with `Retry-After` (an event accepted now would
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

#[utoipa::path(get, path = "/healthz", operation_id = "healthz", summary = "Liveness",
    responses((status = 200, description = "`ok`", body = String, content_type = "text/plain")))]
async fn healthz() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/readyz", operation_id = "readyz",
    summary = "Readiness: the database answers and no shutdown is under way",
    responses(openapi::Db, (status = 200, description = "`ready`", body = String, content_type = "text/plain")))]
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

#[utoipa::path(get, path = "/metrics", operation_id = "metrics",
    summary = "Prometheus metrics (they name the orgs, so a scraper sends BATON_METRICS_TOKEN or the admin token; with neither set, 403)",
    security(("metrics" = []), ("admin" = [])),
    responses(openapi::Db, openapi::Unauthorized, openapi::Forbidden,
        (status = 200, description = "OpenMetrics text", body = String, content_type = "application/openmetrics-text")))]
async fn metrics(
    State(app): State<Arc<App>>,
    _reader: auth::MetricsReader,
) -> Result<impl IntoResponse, Problem> {
    let pending = app.store().open_actions_count().await?;
    let lag = app.store().outbox_lag_ms(app.now()).await?;
    let mut apps = Vec::new();
    for ext in app.orch.extensions().iter() {
        let max_age = i64::try_from(app.settings.metrics_cache_ms).unwrap_or(i64::MAX);
        apps.extend(ext.metrics(app.store(), app.now(), max_age).await?);
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        baton_engine::metrics::render(pending, lag, &apps),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connector_that_cannot_be_set_up_says_why() {
        let e = ServiceError::from(connectors::ConnectorError::config_by(
            "mail drop /srv/drop",
            std::io::Error::other("permission denied"),
        ));
        assert_eq!(e.to_string(), "mail drop /srv/drop: permission denied");
    }
}
