//! The sales app's `/v1/…` routes, beside the shell's (`baton-service`'s
//! `api`): `crm.rs` (import, deals, do-not-contact, and the operator's
//! import of any org), `brief.rs` (a rep's morning brief now),
//! `on_demand.rs` (a rep's coaching digest and the org's campaign check now),
//! `deals.rs` (a deal's engagement state), `accounts.rs` and `account_credentials.rs` (connected mailboxes,
//! calendars and HubSpot), `proposals.rs` (proposals sent, their links and
//! views), `success.rs` (the org's live success metrics), `transcripts.rs`
//! (a meeting's transcript erased). This file merges
//! them and holds what several share; what the shell's routes share
//! (`limit`, `user_id`) is re-exported here.

mod account_credentials;
mod accounts;
mod brief;
mod crm;
mod deals;
pub(crate) use deals::{DECISIONS, approval_number};
mod on_demand;
mod proposals;
mod success;
mod tracking;
mod transcripts;

pub use baton_service::api::{ListQuery, MAX_LIMIT, limit, submitted, user_id};

use super::problem::Problem;
use super::{App, Routes};
use crate::import::{ImportDoc, ImportError, import};
use axum::Json;
use baton_store::{Org, User};
use serde_json::Value;

/// The sales app's `/v1` routes.
pub fn routes() -> Routes {
    Routes::new()
        .merge(brief::routes())
        .merge(on_demand::routes())
        .merge(crm::routes())
        .merge(deals::routes())
        .merge(accounts::routes())
        .merge(proposals::routes())
        .merge(success::routes())
        .merge(tracking::routes())
        .merge(transcripts::routes())
}

/// The org's user `handle` (404 naming it when the org has none).
async fn rep(app: &App, org: &Org, handle: &str) -> Result<User, Problem> {
    let id = user_id(app, org, handle).await?;
    app.store()
        .user(&org.id, &id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("user `{handle}` not found")))
}

/// Import a CRM document (org routes and admin alike).
async fn run_import(app: &App, doc: &ImportDoc) -> Result<Json<Value>, Problem> {
    let summary = import(app.store(), doc, app.now())
        .await
        .map_err(|e| match e {
            ImportError::Invalid(m) => Problem::unprocessable(m),
            ImportError::Store(e) => e.into(),
        })?;
    Ok(Json(
        serde_json::to_value(summary).map_err(Problem::internal)?,
    ))
}
