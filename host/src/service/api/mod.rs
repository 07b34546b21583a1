//! `/v1/…`: events in, jobs and approvals out, skills, CRM import,
//! preferences and feature settings; operator routes under `/v1/admin`.
//! Every org route takes the caller's org from its token.
//!
//! One file per resource, each with its own routes: `events.rs`,
//! `jobs.rs`, `approvals.rs`, `crm.rs` (import, do-not-contact),
//! `people.rs` (users, preferences), `brief.rs` (a rep's morning brief now), `features.rs` (skills, features),
//! `skills.rs` (uploads and rollbacks), `accounts.rs` (connected accounts),
//! `admin.rs`, `clock.rs` (moving a simulated clock) and `provider_keys.rs` (an org's provider keys, for the operator),
//! `proposals.rs` (proposals sent, their links and views), `success.rs`
//! (the org's live success metrics). This file merges
//! them and holds what several share. The
//! handlers translate HTTP to orchestrator and store calls and back; they
//! never hold business rules the CLI would also need.

mod account_credentials;
mod accounts;
mod admin;
mod approvals;
mod brief;
mod clock;
mod crm;
mod events;
mod features;
mod jobs;
mod people;
mod proposals;
mod provider_keys;
mod skills;
mod success;

pub use events::submitted;

use super::App;
use super::problem::Problem;
use crate::orchestrator::import::{ImportDoc, ImportError, import};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// Longest list a caller can ask for.
const MAX_LIMIT: i64 = 1000;

/// The `/v1` routes.
pub fn routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .merge(skills::routes(app.settings.max_skill_bytes))
        .merge(events::routes())
        .merge(jobs::routes())
        .merge(approvals::routes())
        .merge(brief::routes())
        .merge(features::routes())
        .merge(crm::routes())
        .merge(people::routes())
        .merge(admin::routes())
        .merge(clock::routes())
        .merge(accounts::routes())
        .merge(provider_keys::routes())
        .merge(proposals::routes())
        .merge(success::routes())
}

/// `?status=…&limit=…` on a list route.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<i64>,
}

/// The list's length: 100 unless asked, at most [`MAX_LIMIT`].
fn limit(q: &ListQuery) -> Result<i64, Problem> {
    match q.limit {
        None => Ok(100),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(Problem::bad_request(format!(
            "limit {n} is out of range: 1 to {MAX_LIMIT}"
        ))),
    }
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

/// The id of the user `handle` in `org`, or 404.
async fn user_id(
    app: &App,
    org: &crate::store::Org,
    handle: &str,
) -> Result<crate::store::UserId, Problem> {
    Ok(app
        .store()
        .user_by_handle(&org.id, handle)
        .await?
        .ok_or_else(|| {
            Problem::not_found(format!("user `{handle}` not found in org `{}`", org.slug))
        })?
        .id)
}
