//! What the org can run: the installed skills (`/v1/skills`) and, per event
//! type, whether its sequence is enabled and runnable (`/v1/features`).
//! Turning a feature on or off never changes a sequence or a skill.

use crate::auth::OrgCaller;
use crate::openapi::{self, Body, Org};
use crate::problem::{JsonBody, Problem};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The skill and feature routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(skills))
        .routes(utoipa_axum::routes!(features))
        .routes(utoipa_axum::routes!(put_feature))
}

#[utoipa::path(get, path = "/v1/skills", operation_id = "listSkills", summary = "Installed skills and load problems",
    security(("org" = [])), responses(Org, (status = 200, description = "Skills", body = openapi::Skills)))]
async fn skills(State(app): State<Arc<App>>, _caller: OrgCaller) -> Json<Value> {
    Json(json!({
        "skills": app.orch.registry.list(),
        "problems": app.orch.registry.problems(),
    }))
}

#[utoipa::path(get, path = "/v1/features", operation_id = "listFeatures", security(("org" = [])),
    summary = "Event types: enabled, runnable, missing skills",
    responses(Org, (status = 200, description = "Features", body = Vec<openapi::Feature>, links(
        ("putFeature" = (operation_id = "putFeature", parameters(("event_type" = "$response.body#/0/event_type"))))))))]
async fn features(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let disabled = app.store().disabled_features(&org.id).await?;
    let list: Vec<Value> = app
        .orch
        .sequences()
        .iter()
        .map(|s| {
            let missing = app.orch.missing_skills(s);
            json!({
                "event_type": s.event,
                "enabled": !disabled.contains(&s.event),
                "runnable": missing.is_empty(),
                "missing_skills": missing,
            })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

/// An event type on or off.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "enabled": true })))]
struct FeatureIn {
    enabled: bool,
}

#[utoipa::path(put, path = "/v1/features/{event_type}", operation_id = "putFeature",
    summary = "Enable or disable an event type", security(("org" = [])), request_body = FeatureIn,
    responses(Org, Body, (status = 200, description = "The setting now", body = openapi::FeatureSet)))]
async fn put_feature(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(event_type): Path<String>,
    JsonBody(f): JsonBody<FeatureIn>,
) -> Result<Json<Value>, Problem> {
    if app.orch.sequences().get(&event_type).is_none() {
        return Err(Problem::not_found(format!(
            "no sequence handles `{event_type}` events"
        )));
    }
    app.store()
        .set_feature(&org.id, &event_type, f.enabled)
        .await?;
    Ok(Json(
        json!({ "event_type": event_type, "enabled": f.enabled }),
    ))
}
