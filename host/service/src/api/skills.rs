//! Operator routes for skill versions, behind the admin token: upload a
//! component (`PUT /v1/admin/skills/{name}`, the body is the `.wasm`) and
//! put the previous version back (`POST /v1/admin/skills/{name}/rollback`).
//! Either is checked off the async threads, made live here at once and
//! recorded in the release log, from which every replica loads it.
//! `POST /v1/admin/skills/{name}/shadow` (the body is a candidate `.wasm`)
//! replays a candidate over recent recorded runs without making it live;
//! `PUT` on the same path runs it beside the live version on new calls for
//! a while (`GET` its report so far, `DELETE` to stop).

use crate::auth::Admin;
use crate::openapi::{
    self, Admin as AdminOnly, BadRequest, Conflict, Db, Invalid, NotFound, TooLarge,
};
use crate::problem::{Problem, QueryArgs, RawBody};
use crate::{App, Routes};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use baton_engine::orchestrator::releases::ReleaseError;
use baton_engine::registry::{LoadedSkill, PublishError, Reloaded};
use baton_engine::replay;
use baton_engine::report::Report;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The skill routes; uploads take bodies up to `max_skill_bytes`.
pub(super) fn routes(max_skill_bytes: usize) -> Routes {
    let (schemas, paths, upload) = utoipa_axum::routes!(upload);
    let (shadow_schemas, shadow_paths, shadows) = utoipa_axum::routes!(shadow, start_shadow);
    let limit = DefaultBodyLimit::max(max_skill_bytes);
    Routes::new()
        .routes((schemas, paths, upload.layer(limit)))
        .routes((shadow_schemas, shadow_paths, shadows.layer(limit)))
        .routes(utoipa_axum::routes!(rollback))
        .routes(utoipa_axum::routes!(shadow_report, stop_shadow))
}

/// How long a shadow on new calls runs at most.
const MAX_SHADOW_MS: i64 = 7 * 86_400_000;

/// How long to shadow new calls.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShadowFor {
    /// `30m`, `4h`, `1d` (default `1h`, at most `7d`).
    #[serde(rename = "for")]
    duration: Option<String>,
}

/// Run the candidate in the body beside the live version on each call this
/// process serves, for a while; the report grows as calls come.
#[utoipa::path(put, path = "/v1/admin/skills/{name}/shadow", operation_id = "startShadow",
    summary = "Run a candidate version (the body is the .wasm) beside the live one on each call this replica serves, for a while; the job sees only the live outcome",
    security(("admin" = [])),
    params(("for" = Option<String>, Query, description = "How long: `30m`, `4h`, `1d` (default `1h`, at most `7d`)")),
    request_body(content = inline(openapi::Wasm), content_type = "application/wasm"),
    responses(AdminOnly, BadRequest, TooLarge, Invalid,
        (status = 200, description = "The shadow, with no calls yet", body = openapi::LiveShadow)))]
async fn start_shadow(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
    QueryArgs(q): QueryArgs<ShadowFor>,
    RawBody(body): RawBody,
) -> Result<Json<replay::ShadowReport>, Problem> {
    let spec = q.duration.as_deref().unwrap_or("1h");
    let ms = replay::duration_ms(spec)
        .filter(|ms| (1..=MAX_SHADOW_MS).contains(ms))
        .ok_or_else(|| {
            Problem::bad_request(format!(
                "for `{}` is not a duration from 1 ms to 7d, like `30m` or `4h`",
                spec.escape_debug()
            ))
        })?;
    let candidate = candidate(&app, &name, body).await?;
    let now = app.now();
    Ok(Json(app.orch.shadows.start(&candidate, now, now + ms)))
}

/// The shadow of `name` on new calls so far.
#[utoipa::path(get, path = "/v1/admin/skills/{name}/shadow", operation_id = "shadowReport",
    summary = "The shadow on new calls so far", security(("admin" = [])),
    responses(AdminOnly, NotFound, (status = 200, description = "The comparisons so far", body = openapi::LiveShadow)))]
async fn shadow_report(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<Json<replay::ShadowReport>, Problem> {
    app.orch
        .shadows
        .report(&name)
        .map(Json)
        .ok_or_else(|| no_shadow(&name))
}

/// Stop the shadow of `name`; its final report.
#[utoipa::path(delete, path = "/v1/admin/skills/{name}/shadow", operation_id = "stopShadow",
    summary = "Stop the shadow on new calls", security(("admin" = [])),
    responses(AdminOnly, NotFound, (status = 200, description = "Its final report", body = openapi::LiveShadow)))]
async fn stop_shadow(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<Json<replay::ShadowReport>, Problem> {
    app.orch
        .shadows
        .stop(&name)
        .map(Json)
        .ok_or_else(|| no_shadow(&name))
}

/// The body checked as a candidate version of `name` (not made live).
async fn candidate(app: &App, name: &str, body: Bytes) -> Result<LoadedSkill, Problem> {
    if body.is_empty() {
        return Err(Problem::bad_request(
            "the body must be the candidate's component file (.wasm)",
        ));
    }
    app.orch
        .registry
        .candidate(name, body.to_vec().into())
        .await
        .map_err(|e| problem(ReleaseError::Publish(e)))
}

fn no_shadow(name: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!(
            "no shadow of `{}` here (start one with PUT and the candidate as the body)",
            name.escape_debug()
        ),
    )
}

/// The window and size of a shadow replay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ShadowQuery {
    /// How far back: `7d`, `36h`, `90m` (default `7d`).
    since: Option<String>,
    /// The most runs (jobs, for a sequence), newest first (default 100).
    limit: Option<i64>,
    /// Only this org's runs (its slug).
    org: Option<String>,
}

impl ShadowQuery {
    /// The window's start, the limit and the org, checked.
    pub(super) async fn read(
        &self,
        app: &App,
    ) -> Result<(i64, i64, Option<baton_engine::store::OrgId>), Problem> {
        let since = replay::since(self.since.as_deref().unwrap_or("7d"), app.now())
            .map_err(|e| Problem::bad_request(e.to_string()))?;
        let limit = self.limit.unwrap_or(replay::DEFAULT_LIMIT);
        if !(1..=replay::MAX_LIMIT).contains(&limit) {
            return Err(Problem::bad_request(format!(
                "limit must be 1-{}",
                replay::MAX_LIMIT
            )));
        }
        let org = match &self.org {
            Some(slug) => Some(
                app.store()
                    .org_by_slug(slug)
                    .await?
                    .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("no org `{slug}`")))?
                    .id,
            ),
            None => None,
        };
        Ok((since, limit, org))
    }
}

/// Replay the candidate in the body over the skill's recent recorded runs;
/// nothing is made live and nothing is sent.
#[utoipa::path(post, path = "/v1/admin/skills/{name}/shadow", operation_id = "shadowSkill",
    summary = "Replay a candidate version (the body is the .wasm) over the skill's recent recorded runs, without making it live or sending anything",
    security(("admin" = [])),
    params(("since" = Option<String>, Query, description = "How far back: `7d`, `36h`, `90m` (default `7d`)"),
        ("limit" = Option<i64>, Query, description = "The most runs, newest first (default 100)", minimum = 1, maximum = 5000),
        ("org" = Option<String>, Query, description = "Only this org's runs (its slug)")),
    request_body(content = inline(openapi::Wasm), content_type = "application/wasm"),
    responses(AdminOnly, Db, BadRequest, NotFound, TooLarge, Invalid,
        (status = 200, description = "Run by run: same or different output, errors, fuel and time against the live version",
            body = openapi::ShadowReport)))]
async fn shadow(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
    QueryArgs(q): QueryArgs<ShadowQuery>,
    RawBody(body): RawBody,
) -> Result<Json<replay::Report>, Problem> {
    let (since, limit, org) = q.read(&app).await?;
    let candidate = candidate(&app, &name, body).await?;
    let scope = replay::Scope {
        since,
        limit,
        org: org.as_ref(),
        against_decisions: false,
    };
    let report = replay::replay(app.store(), &candidate, &scope, |_, _| {})
        .await
        .map_err(|e| match e {
            replay::ReplayError::Store(s) => Problem::from(s),
            other => Problem::bad_request(other.to_string()),
        })?;
    Ok(Json(report))
}

#[utoipa::path(put, path = "/v1/admin/skills/{name}", operation_id = "uploadSkill",
    summary = "Upload a skill version (the body is the .wasm component); checked, made live on every replica",
    security(("admin" = [])), request_body(content = inline(openapi::Wasm), content_type = "application/wasm"),
    responses(AdminOnly, Db, TooLarge, Invalid,
        (status = 200, description = "The skill as it serves now", body = openapi::SkillSwap)))]
async fn upload(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
    RawBody(body): RawBody,
) -> Result<Json<Value>, Problem> {
    if body.is_empty() {
        return Err(Problem::bad_request(
            "the body must be the skill's component file (.wasm)",
        ));
    }
    let outcome = app.orch.releases.publish(&name, body.to_vec().into()).await;
    answer(&app, &name, outcome)
}

#[utoipa::path(post, path = "/v1/admin/skills/{name}/rollback", operation_id = "rollbackSkill",
    summary = "Put back the version that served before the live one", security(("admin" = [])),
    responses(AdminOnly, Db, Conflict, (status = 200, description = "The skill as it serves now", body = openapi::SkillSwap)))]
async fn rollback(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<Json<Value>, Problem> {
    let outcome = app.orch.releases.rollback(&name).await;
    answer(&app, &name, outcome)
}

/// The skill as it serves now, or the problem.
fn answer(
    app: &App,
    name: &str,
    outcome: Result<Reloaded, ReleaseError>,
) -> Result<Json<Value>, Problem> {
    let changed = match outcome.map_err(problem)? {
        Reloaded::Live { .. } => true,
        Reloaded::Unchanged => false,
        other => return Err(Problem::internal(format!("unexpected outcome {other:?}"))),
    };
    let skill = app
        .orch
        .registry
        .list()
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Problem::internal(format!("`{name}` is not live after its swap")))?;
    Ok(Json(json!({
        "outcome": if changed { "live" } else { "unchanged" },
        "skill": skill,
    })))
}

fn problem(e: ReleaseError) -> Problem {
    let status = match &e {
        ReleaseError::Publish(PublishError::BadName(_)) => StatusCode::BAD_REQUEST,
        ReleaseError::Publish(PublishError::Refused(_) | PublishError::OtherSkill { .. }) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ReleaseError::Publish(PublishError::NotInstalled(_)) => StatusCode::NOT_FOUND,
        ReleaseError::Publish(PublishError::NoPrevious(_)) => StatusCode::CONFLICT,
        ReleaseError::Store(_) => {
            return match e {
                ReleaseError::Store(s) => s.into(),
                other => Problem::internal(Report(&other)),
            };
        }
        ReleaseError::Publish(PublishError::Write { .. }) | ReleaseError::Missing { .. } => {
            return Problem::internal(Report(&e));
        }
    };
    Problem::new(status, e.to_string())
}
