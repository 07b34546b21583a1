//! `GET /v1/deals/{id}/state`: a deal's engagement — stage, status,
//! tracks, facts, conflicts, missing information, the next decision, its
//! artifacts' versions, its tasks and its event log. Another org's deal is
//! 404, as if it did not exist.

use crate::lifecycle::view::deal_state;
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, Org};
use crate::web::problem::Problem;
use crate::web::{App, Routes, Sales};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;
use std::sync::Arc;

pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(state))
}

#[utoipa::path(get, path = "/v1/deals/{id}/state", operation_id = "getDealState", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    summary = "A deal's engagement: stage, status, tracks, facts, conflicts, missing information, next decision, artifact versions, tasks and event log",
    responses(Org, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn state(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let found = deal_state(app.store(), &sales.workflow, &org.id, &id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("deal {id} not found")))?;
    Ok(Json(
        serde_json::to_value(found).map_err(Problem::internal)?,
    ))
}
