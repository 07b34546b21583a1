//! `baton serve` as composed: the shell of `baton-service` (the core API,
//! auth, problem answers, Slack's and generic webhooks, health, the
//! engine's workers) with the sales app plugged in through its seam
//! ([`baton_service::WebApp`]; the app's side is `baton_sales::web`: its
//! routes, inbox, deliverer and workers).

pub use baton_sales::web::{
    SalesSecrets, SalesSettings, SalesWeb, api, inbox, openapi, proposal, webhooks,
};
pub use baton_service::{
    App, Base, Secrets, ServiceError, Settings, Transports, auth, config, guard, listen, problem,
    router, serve, signature,
};

use crate::orchestrator::Orchestrator;
use std::sync::Arc;

/// The `[service]` table, then the environment over it: the shell's
/// settings, with the sales app's checked (so a bad or unknown key is
/// named before anything starts).
pub fn load_settings(
    table: &toml::Table,
    env: impl IntoIterator<Item = (String, String)> + Clone,
) -> Result<Settings, String> {
    let settings = Settings::load(table, env.clone())?;
    sales_settings(&settings, env)?;
    Ok(settings)
}

/// The sales app's settings from the keys the shell left; a key neither
/// took is refused, named.
fn sales_settings(
    settings: &Settings,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<SalesSettings, String> {
    let own = SalesSettings::load(&settings.rest, env)?;
    match config::unknown_keys(&own.rest) {
        Some(unknown) => Err(unknown),
        None => Ok(own),
    }
}

/// The service `baton serve` runs: the shell with the sales app, its
/// secrets read from `env`.
pub fn app(
    orch: Arc<Orchestrator>,
    settings: Settings,
    env: impl IntoIterator<Item = (String, String)> + Clone,
) -> Result<Arc<App>, ServiceError> {
    let own = sales_settings(&settings, env.clone()).map_err(ServiceError::Config)?;
    let secrets = Secrets::from_env(env.clone());
    let base = Base::new(&orch, &settings, &secrets)?;
    let web = SalesWeb::new(&orch, &settings, own, SalesSecrets::from_env(env), &base)?;
    Ok(App::new(orch, settings, secrets, base, vec![Arc::new(web)]))
}
