//! `POST /v1/sequences/{event}/plan`: a dry run of the sequence for an
//! event type on a sample payload (the body, optional): its stages, the
//! gates a person meets, the conditions the payload decides, and the cost
//! to expect from the org's recorded runs. Nothing runs, nothing is
//! written.
//!
//! Operator routes for sequence versions, behind the admin token: publish
//! a sequence file (`PUT /v1/admin/sequences/{event}`, the body is the
//! TOML), list its versions (`GET …/versions`), serve an earlier one
//! again (`POST …/rollback`), hold one (`PUT …/pin`, `DELETE …/pin`).
//! Each is recorded with who and when, and every replica follows it; jobs
//! already running finish on the version they started on. A candidate file
//! can be replayed over the event's recent jobs first (`POST …/shadow`):
//! the steps it changes, where its conditions decide otherwise, and the
//! changed steps called again on their recorded inputs, compared.

use crate::auth::{Admin, OrgCaller};
use crate::openapi::{Admin as AdminOnly, BadRequest, Body, Conflict, Db, Invalid, NotFound, Org};
use crate::problem::{Problem, QueryArgs, RawBody};
use crate::{App, Routes};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use baton_engine::orchestrator::plan::PlanError;
use baton_engine::orchestrator::sequence_replay::SequenceReplayError;
use baton_engine::replay;
use serde_json::{Value, json};
use std::sync::Arc;

/// The sequence routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(plan_sequence))
        .routes(utoipa_axum::routes!(publish_sequence))
        .routes(utoipa_axum::routes!(sequence_versions))
        .routes(utoipa_axum::routes!(roll_back_sequence))
        .routes(utoipa_axum::routes!(shadow_sequence))
        .routes(utoipa_axum::routes!(pin_sequence, unpin_sequence))
}

#[utoipa::path(post, path = "/v1/sequences/{event}/plan", operation_id = "planSequence",
    summary = "A dry run: the stages, gates, conditions and cost estimate of the sequence for an event, nothing run",
    security(("org" = [])),
    params(("event" = String, Path, description = "The event type the sequence handles, e.g. `meeting_ended`")),
    request_body(content = Object, description = "A sample event payload (optional): conditions on the event are decided on it, and it is checked against the payload schema"),
    responses(Org, Body, NotFound, (status = 200, description = "The plan", body = Object)))]
async fn plan_sequence(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(event): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let payload: Option<Value> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(serde_json::from_slice(&body).map_err(|e| {
            Problem::unprocessable(format!("the body is not a JSON event payload: {e}"))
        })?)
    };
    let plan = app
        .orch
        .plan(&org.id, &event, payload.as_ref())
        .await
        .map_err(|e| match e {
            PlanError::Unknown(_) => Problem::not_found(e.to_string()),
            PlanError::Payload { .. } => Problem::unprocessable(e.to_string()),
            PlanError::Orchestrator(o) => Problem::from(o),
        })?;
    let mut out = serde_json::to_value(&plan).map_err(Problem::internal)?;
    if let Value::Object(m) = &mut out {
        m.insert("text".into(), Value::String(plan.text()));
    }
    Ok(Json(out))
}

/// Who did it, as recorded.
const BY: &str = "admin";

#[utoipa::path(put, path = "/v1/admin/sequences/{event}", operation_id = "publishSequence",
    summary = "Publish a sequence file (the body is its TOML): checked as `baton serve` checks the folder, recorded as the next version, served on every replica unless the event is pinned",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type the file handles (must match its `event`)")),
    request_body(content = String, content_type = "text/plain", description = "The sequence file (TOML)"),
    responses(AdminOnly, Db, Invalid, (status = 200, description = "The version recorded", body = Object)))]
async fn publish_sequence(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
    RawBody(body): RawBody,
) -> Result<Json<Value>, Problem> {
    let text = sequence_text(&body, &event)?;
    let p = app.orch.publish_sequence(text, BY).await?;
    Ok(Json(json!({
        "event": p.event,
        "version": p.version,
        "outcome": if p.known { "unchanged" } else if p.served { "live" } else { "recorded (the event is pinned)" },
    })))
}

/// The body as the TOML of a sequence file for `event`.
fn sequence_text<'a>(body: &'a [u8], event: &str) -> Result<&'a str, Problem> {
    let text = std::str::from_utf8(body).map_err(|_| {
        Problem::unprocessable("the body must be the sequence file's TOML, as UTF-8")
    })?;
    if text.contains('\0') {
        return Err(Problem::unprocessable("the sequence file holds a NUL"));
    }
    let declared =
        baton_engine::orchestrator::sequence::parse(std::path::Path::new("published.toml"), text)
            .map_err(|e| Problem::unprocessable(format!("the sequence does not load: {e}")))?;
    if declared.event != event {
        return Err(Problem::unprocessable(format!(
            "the file handles `{}` events, not `{event}`",
            declared.event
        )));
    }
    Ok(text)
}

#[utoipa::path(post, path = "/v1/admin/sequences/{event}/shadow", operation_id = "shadowSequence",
    summary = "Replay a candidate sequence (the body is its TOML) over the event's recent jobs, without publishing it or sending anything",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type the file handles (must match its `event`)"),
        ("since" = Option<String>, Query, description = "How far back: `7d`, `36h`, `90m` (default `7d`)"),
        ("limit" = Option<i64>, Query, description = "The most jobs, newest first (default 100)", minimum = 1, maximum = 5000),
        ("org" = Option<String>, Query, description = "Only this org's jobs (its slug)")),
    request_body(content = String, content_type = "text/plain", description = "The candidate sequence file (TOML)"),
    responses(AdminOnly, Db, BadRequest, NotFound, Invalid,
        (status = 200, description = "The steps it changes against each version the jobs ran; job by job, the steps it decides otherwise and the changed steps called again and compared", body = Object)))]
async fn shadow_sequence(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
    QueryArgs(q): QueryArgs<super::skills::ShadowQuery>,
    RawBody(body): RawBody,
) -> Result<Json<Value>, Problem> {
    let text = sequence_text(&body, &event)?;
    let (since, limit, org) = q.read(&app).await?;
    let scope = replay::Scope {
        since,
        limit,
        org: org.as_ref(),
        against_decisions: false,
    };
    let report = app
        .orch
        .replay_sequence(text, &scope, |_, _| {})
        .await
        .map_err(|e| match e {
            SequenceReplayError::Orchestrator(o) => Problem::from(o),
            SequenceReplayError::Replay(r) => Problem::bad_request(r.to_string()),
        })?;
    Ok(Json(
        serde_json::to_value(&report).map_err(Problem::internal)?,
    ))
}

#[utoipa::path(get, path = "/v1/admin/sequences/{event}/versions", operation_id = "sequenceVersions",
    summary = "A sequence's versions, newest first, with who published each and when, and the one serving",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type")),
    responses(AdminOnly, Db, NotFound, (status = 200, description = "The versions", body = Object)))]
async fn sequence_versions(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
) -> Result<Json<Value>, Problem> {
    let versions = app.store().sequence_versions(&event).await?;
    if versions.is_empty() {
        return Err(Problem::not_found(format!(
            "no version of sequence `{event}` is recorded"
        )));
    }
    let head = app.store().sequence_head(&event).await?;
    Ok(Json(
        json!({ "event": event, "head": head, "versions": versions }),
    ))
}

/// Which version to serve again.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RollBack {
    /// The version (default: the one before the version serving).
    to: Option<i64>,
}

#[utoipa::path(post, path = "/v1/admin/sequences/{event}/rollback", operation_id = "rollBackSequence",
    summary = "Serve an earlier version of a sequence again (default: the one before the version serving)",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type")),
    request_body(content = inline(RollBack), description = "Optional"),
    responses(AdminOnly, Db, NotFound, Conflict, Invalid, (status = 200, description = "The version serving now", body = Object)))]
async fn roll_back_sequence(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let to = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<RollBack>(&body)
            .map_err(|e| Problem::unprocessable(format!("the body is not a rollback: {e}")))?
            .to
    };
    let version = app.orch.roll_back_sequence(&event, to, BY).await?;
    Ok(Json(
        json!({ "event": event, "version": version, "outcome": "live" }),
    ))
}

/// The version to hold.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PinTo {
    version: i64,
}

#[utoipa::path(put, path = "/v1/admin/sequences/{event}/pin", operation_id = "pinSequence",
    summary = "Serve this version of a sequence and hold it: later publishes are recorded, not served",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type")),
    request_body(content = inline(PinTo)),
    responses(AdminOnly, Db, NotFound, Invalid, (status = 200, description = "Pinned", body = Object)))]
async fn pin_sequence(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let pin: PinTo = serde_json::from_slice(&body)
        .map_err(|e| Problem::unprocessable(format!("the body must be {{\"version\": N}}: {e}")))?;
    app.orch.pin_sequence(&event, Some(pin.version), BY).await?;
    Ok(Json(
        json!({ "event": event, "version": pin.version, "pinned": true }),
    ))
}

#[utoipa::path(delete, path = "/v1/admin/sequences/{event}/pin", operation_id = "unpinSequence",
    summary = "Stop holding a sequence's version: later publishes serve again",
    security(("admin" = [])),
    params(("event" = String, Path, description = "The event type")),
    responses(AdminOnly, Db, NotFound, (status = 200, description = "Unpinned", body = Object)))]
async fn unpin_sequence(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(event): Path<String>,
) -> Result<Json<Value>, Problem> {
    app.orch.pin_sequence(&event, None, BY).await?;
    Ok(Json(json!({ "event": event, "pinned": false })))
}
