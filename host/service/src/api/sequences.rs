//! `POST /v1/sequences/{event}/plan`: a dry run of the sequence for an
//! event type on a sample payload (the body, optional): its stages, the
//! gates a person meets, the conditions the payload decides, and the cost
//! to expect from the org's recorded runs. Nothing runs, nothing is
//! written.

use crate::auth::OrgCaller;
use crate::openapi::{Body, NotFound, Org};
use crate::problem::Problem;
use crate::{App, Routes};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use baton_engine::orchestrator::plan::PlanError;
use serde_json::Value;
use std::sync::Arc;

/// The sequence routes.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(plan_sequence))
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
