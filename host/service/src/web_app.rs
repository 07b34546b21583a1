//! The seam an app plugs into the service through: its routes (API,
//! webhooks, pages) with their documents, the schemas they name, the deliverer that
//! carries its effects, and the workers it runs beside the shell's. The shell composes the apps in one
//! list ([`crate::App::new`]); the engine's side of an app is its
//! `Extension`.

use crate::{App, Routes, ServiceError};
use baton_engine::connectors::Deliver;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// An app in the service. Every hook but [`WebApp::name`] has a default
/// that adds nothing.
pub trait WebApp: Send + Sync + 'static {
    /// The app's name, for logs.
    fn name(&self) -> &'static str;

    /// Its routes, served beside the shell's under the same layers (body
    /// limit, the wait for skills, problem answers), each added with its
    /// handler's document (`utoipa_axum::routes!`).
    fn routes(&self, _app: &Arc<App>) -> Routes {
        Routes::new()
    }

    /// The schemas its routes' documents name, and the fields its
    /// preferences add to a user's: `{"schemas", "preferences"}`, written
    /// with [`crate::openapi::kit`].
    fn openapi(&self) -> serde_json::Value {
        serde_json::Value::Null
    }

    /// What carries approved effects that no engine extension delivers
    /// itself; the first app that has one carries them.
    fn deliverer(&self) -> Option<Arc<dyn Deliver>> {
        None
    }

    /// Start the workers it runs once the service is ready, each stopping
    /// when `stop` turns true.
    fn workers(
        &self,
        _app: &Arc<App>,
        _stop: &watch::Receiver<bool>,
        _tasks: &mut JoinSet<()>,
    ) -> Result<(), ServiceError> {
        Ok(())
    }
}
