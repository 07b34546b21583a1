//! `baton serve` as composed: the shell of `baton-service` (the core API,
//! auth, problem answers, Slack's and generic webhooks, health, the
//! engine's workers) with the sales app's routes, pages and workers
//! plugged in through its seam ([`baton_service::WebApp`], here
//! [`sales::SalesWeb`]).
//!
//! - [`api`]: the sales app's `/v1/…` routes (CRM, proposals, the brief,
//!   success metrics, connected accounts).
//! - [`webhooks`]: Meeting BaaS, and Gmail's and Google Calendar's pushes.
//! - [`inbox`]: the server-rendered inbox. [`openapi`]: `/openapi.json`.
//! - [`proposal`]: `/p/{token}`, a shared proposal's public page.
//! - [`sales`]: the app in the service: its settings, secrets, deliverer
//!   and workers (the mail and calendar loops).

pub mod api;
pub mod inbox;
pub mod openapi;
pub mod proposal;
pub mod sales;
pub mod webhooks;

pub use baton_service::{
    App, Secrets, ServiceError, Settings, Transports, auth, config, guard, listen, problem, router,
    serve, signature,
};

use crate::orchestrator::Orchestrator;
use sales::{SalesSecrets, SalesSettings, SalesWeb};
use std::sync::Arc;

/// The `[service]` table, then the environment over it: the shell's
/// settings, with the sales app's checked (so a bad or unknown key is
/// named before anything starts).
pub fn load_settings(
    table: &toml::Table,
    env: impl IntoIterator<Item = (String, String)> + Clone,
) -> Result<Settings, String> {
    let settings = Settings::load(table, env.clone())?;
    SalesSettings::load(&settings.rest, env)?;
    Ok(settings)
}

/// The service `baton serve` runs: the shell with the sales app, its
/// secrets read from `env`.
pub fn app(
    orch: Arc<Orchestrator>,
    settings: Settings,
    env: impl IntoIterator<Item = (String, String)> + Clone,
) -> Result<Arc<App>, ServiceError> {
    let own = SalesSettings::load(&settings.rest, env.clone()).map_err(ServiceError::Config)?;
    let secrets = Secrets::from_env(env.clone());
    let base = App::base(&orch, &settings, &secrets)?;
    let web = SalesWeb::new(&orch, &settings, own, SalesSecrets::from_env(env), &base)?;
    Ok(App::new(orch, settings, secrets, base, vec![Arc::new(web)]))
}
