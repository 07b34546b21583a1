//! `/v1/…`: events in, jobs and approvals out, skills, people and their
//! preferences, feature settings; operator routes under `/v1/admin`.
//! Every org route takes the caller's org from its token.
//!
//! One file per resource, each with its own routes: `events.rs`,
//! `jobs.rs`, `approvals.rs`, `people.rs` (users, preferences),
//! `features.rs` (skills, features), `skills.rs` (uploads and rollbacks),
//! `admin.rs` (orgs, tokens, magic links), `clock.rs` (moving a simulated
//! clock) and `provider_keys.rs` (an org's provider keys, for the
//! operator). This file merges them and holds what several share, for the
//! apps' routes too. The handlers translate HTTP to orchestrator and store
//! calls and back; they never hold business rules the CLI would also need.

mod admin;
mod approvals;
mod clock;
mod events;
mod features;
mod jobs;
mod people;
mod provider_keys;
mod sequences;
mod skills;

pub use admin::org_by_slug;
pub use events::submitted;
pub use people::replace_preferences;

use super::problem::Problem;
use super::{App, Routes};
use baton_engine::store::{Org, UserId};
use serde::Deserialize;

/// Longest list a caller can ask for.
pub const MAX_LIMIT: i64 = 1000;

/// The `/v1` routes of the shell.
pub fn routes(app: &App) -> Routes {
    Routes::new()
        .merge(skills::routes(app.settings.max_skill_bytes))
        .merge(events::routes())
        .merge(jobs::routes())
        .merge(approvals::routes())
        .merge(features::routes())
        .merge(people::routes())
        .merge(admin::routes())
        .merge(clock::routes())
        .merge(provider_keys::routes())
        .merge(sequences::routes())
}

/// `?status=…&limit=…` on a list route.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    pub limit: Option<i64>,
}

/// The list's length: 100 unless asked, at most [`MAX_LIMIT`].
pub fn limit(q: &ListQuery) -> Result<i64, Problem> {
    match q.limit {
        None => Ok(100),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(Problem::bad_request(format!(
            "limit {n} is out of range: 1 to {MAX_LIMIT}"
        ))),
    }
}

/// The id of the user `handle` in `org`, or 404.
pub async fn user_id(app: &App, org: &Org, handle: &str) -> Result<UserId, Problem> {
    Ok(app
        .store()
        .user_by_handle(&org.id, handle)
        .await?
        .ok_or_else(|| {
            Problem::not_found(format!("user `{handle}` not found in org `{}`", org.slug))
        })?
        .id)
}
