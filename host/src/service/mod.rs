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
pub mod signature;
pub mod webhooks;

pub use config::{Secrets, Settings};

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
    pub async fn until_ready(&self) {
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
        let config = |e: crate::connectors::ConnectorError| ServiceError::Config(e.to_string());
        let slack = match &secrets.slack_bot_token {
            Some(token) => Some(Slack::new(&settings.slack_api_url, token).map_err(config)?),
            None => None,
        };
        let mailer = match &settings.smtp_url {
            Some(url) => Some(Mailer::new(url).map_err(config)?),
            None => None,
        };
        let webhook = match &settings.delivery_url {
            Some(url) => Some(Arc::new(Webhook::new(url).map_err(config)?)),
            None => None,
        };
        let vault = match &secrets.secret_key {
            Some(key) => {
                Some(Vault::from_key(key).map_err(|e| ServiceError::Config(e.to_string()))?)
            }
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
            google_calendar: Some(
                crate::connectors::GoogleCalendar::new(&settings.google_api_url)
                    .map_err(|e| ServiceError::Config(e.to_string()))?,
            ),
            content: settings
                .content_dir
                .as_deref()
                .map(|d| crate::connectors::content::ContentFolder::open(std::path::Path::new(d)))
                .transpose()
                .map_err(|e| ServiceError::Config(e.to_string()))?,
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
    let success = crate::success::every_org(app.store(), app.now()).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        crate::metrics::render(pending, lag, &success),
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

/// Serve on `listener` until `shutdown` resolves. Health checks answer at
/// once; the skills load meanwhile (`/readyz` says how far), then the
/// workers start beside: jobs, the outbox, approval requests, the
/// scheduler, the mail loop, the folder watches and the skill release log. On shutdown,
/// new requests stop, then the jobs in flight reach their next checkpoint
/// before this returns.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let app_for_shutdown = app.clone();
    let graceful = async move {
        shutdown.await;
        app_for_shutdown.ready.store(false, Ordering::Relaxed);
        tracing::info!("shutting down: finishing requests and in-flight steps");
    };
    let mut server = tokio::spawn(
        axum::serve(
            listener,
            // The client's address, for counting a proposal's viewers.
            router(app.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(graceful)
        .into_future(),
    );
    let served = |r: Result<std::io::Result<()>, tokio::task::JoinError>| {
        r.map_err(|e| ServiceError::Serve(std::io::Error::other(e)))?
            .map_err(ServiceError::Serve)
    };
    tokio::select! {
        loaded = load_skills(&app) => {
            if let Err(e) = loaded {
                server.abort();
                return Err(e);
            }
        }
        r = &mut server => return served(r),
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let _watches = app
        .orch
        .watch_folders()
        .map_err(|(what, error)| ServiceError::Watch { what, error })?;
    // Ready only once the folders are watched: an edit made after `/readyz`
    // says 200 is always seen.
    app.loading.done.store(true, Ordering::Release);
    app.loading.ready.notify_waiters();
    tracing::info!(
        skills = app.orch.registry.list().len(),
        "skills loaded; ready"
    );
    let mut tasks = tokio::task::JoinSet::new();
    {
        let orch = app.orch.clone();
        let every = Duration::from_millis(app.settings.releases_every_ms.max(50));
        let stop = stop_rx.clone();
        tasks.spawn(async move { orch.releases.follow(every, stop).await });
    }
    {
        let orch = app.orch.clone();
        let deliver: Arc<dyn Deliver> = Arc::new(app.connectors.clone());
        let stop = stop_rx.clone();
        tasks.spawn(async move {
            if let Err(e) = orch.work(Some(deliver), stop).await {
                tracing::error!(error = %e, "worker stopped");
            }
        });
    }
    {
        let notifier = Notifier {
            store: app.store().clone(),
            slack: app.connectors.slack.clone(),
            public_url: Some(app.settings.base_url()),
        };
        let clock = app.orch.clock.clone();
        let every = Duration::from_millis(app.settings.notify_every_ms.max(50));
        let stop = stop_rx.clone();
        let wake = app.orch.to_announce();
        tasks.spawn(async move { notifier.run(clock.as_ref(), every, &wake, stop).await });
    }
    {
        let scheduler = Scheduler::new(app.orch.clone());
        let every = Duration::from_millis(app.settings.schedule_every_ms.max(100));
        let stop = stop_rx.clone();
        tasks.spawn(async move { scheduler.run(every, stop).await });
    }
    {
        let mail = crate::sources::mail::MailLoop {
            orch: app.orch.clone(),
            accounts: app.accounts.clone(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| ServiceError::Config(format!("the mail loop's HTTP client: {e}")))?,
            google_api_url: app.settings.google_api_url.clone(),
            pubsub_topic: app.settings.gmail_pubsub_topic.clone(),
            poll: Duration::from_millis(app.settings.mail_poll_ms),
            wake: app.mail_wake.clone(),
        };
        let stop = stop_rx.clone();
        tasks.spawn(async move { mail.run(stop).await });
    }
    {
        let calendars = crate::sources::calendar::Calendars {
            store: app.store().clone(),
            accounts: app.accounts.clone(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| ServiceError::Config(format!("calendar HTTP client: {e}")))?,
            account_http: app
                .accounts
                .egress()
                .http_client(Duration::from_secs(30))
                .map_err(|e| ServiceError::Config(format!("CalDAV HTTP client: {e}")))?,
            google_api: app.settings.google_api_url.trim_end_matches('/').to_owned(),
            public_url: app
                .settings
                .public_url
                .as_ref()
                .map(|_| app.settings.base_url()),
            clock: app.orch.clock.clone(),
            poll: Duration::from_millis(app.settings.calendar_poll_ms.max(100)),
            wake: app.calendar_wake.clone(),
        };
        let stop = stop_rx.clone();
        tasks.spawn(async move { calendars.run(stop).await });
    }
    let result = (&mut server).await;
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
    served(result)
}

/// Load the skills folder (progress in `/readyz`) and settle it against
/// the release log; refuse step params that break their skill's params
/// schema; then report what cannot run. The service is ready once the
/// folders are watched as well (see [`serve`]).
async fn load_skills(app: &App) -> Result<(), ServiceError> {
    let loading = &app.loading;
    app.orch
        .registry
        .load_folder(|done, of| {
            loading.loaded.store(done, Ordering::Relaxed);
            loading.of.store(of, Ordering::Relaxed);
        })
        .await
        .map_err(|e| ServiceError::Skills(format!("{}: {e}", app.orch.registry.dir().display())))?;
    app.orch
        .releases
        .reconcile()
        .await
        .map_err(|e| ServiceError::Skills(format!("the skill release log: {e}")))?;
    let bad = app.orch.invalid_params();
    if !bad.is_empty() {
        return Err(ServiceError::Params(bad));
    }
    for p in app.orch.registry.problems() {
        tracing::warn!(path = %p.path, reason = %p.reason, "skill not loaded");
    }
    Ok(())
}

/// Bind `addr`.
pub async fn listen(addr: &str) -> Result<tokio::net::TcpListener, ServiceError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServiceError::Listen {
            addr: addr.to_owned(),
            source,
        })
}
