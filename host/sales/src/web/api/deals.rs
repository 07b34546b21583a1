//! `GET /v1/deals/{id}/state`: a deal's engagement — stage, status,
//! tracks, facts, conflicts, missing information, the next decision, its
//! artifacts' versions, its tasks and its event log. `POST
//! /v1/deals/{id}/facts` reports a fact from elsewhere (one that disagrees
//! with the held one stops its track); `POST /v1/deals/{id}/decisions`
//! decides a conflict. Another org's deal is 404, as if it did not exist.

use crate::engagement::{Side, SourceKind};
use crate::lifecycle::facts::{self, FactError};
use crate::lifecycle::proposals::By;
use crate::lifecycle::view::deal_state;
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, Body, Conflict, Org};
use crate::web::problem::{JsonBody, Problem};
use crate::web::store::{OrgId, StoreError};
use crate::web::{App, Routes, Sales};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(state))
        .routes(utoipa_axum::routes!(report_fact))
        .routes(utoipa_axum::routes!(decide_conflict))
}

/// `{"name": "seats", "value": 45, "source": "…", "kind": "conversation"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "name": "seats", "value": 45, "source": "discovery call notes, 24 Nov", "kind": "conversation" })))]
struct FactIn {
    /// A fact of the workflow's `[fields]`.
    name: String,
    /// Any JSON but null.
    #[schema(value_type = Object)]
    value: Value,
    /// Where it comes from (1 to 200 characters).
    source: String,
    /// `conversation`, `person` (default), `crm` or `document`: which of
    /// two disagreeing sources is the likelier truth.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    kind: SourceKind,
}

/// `{"fact": "seats", "keep": "held" | "other"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "fact": "seats", "keep": "other" })))]
struct ConflictDecisionIn {
    fact: String,
    /// `held` or `other`.
    #[schema(value_type = String)]
    keep: Side,
}

/// The deal's state after a change, or 404.
async fn after(app: &App, sales: &Sales, org: &OrgId, id: &str) -> Result<Json<Value>, Problem> {
    let found = deal_state(app.store(), &sales.workflow, org, id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("deal {id} not found")))?;
    Ok(Json(
        serde_json::to_value(found).map_err(Problem::internal)?,
    ))
}

#[utoipa::path(post, path = "/v1/deals/{id}/facts", operation_id = "reportDealFact", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    summary = "Report a fact about a deal; one that disagrees with the held one records a conflict and stops its track until decided",
    request_body = FactIn,
    responses(Org, Body, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn report_fact(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<FactIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org.id;
    let who = caller.credential();
    facts::report(
        app.store(),
        &sales.workflow,
        org,
        &id,
        &body.name,
        &body.value,
        &body.source,
        body.kind,
        By::Caller(&who),
        app.now(),
    )
    .await
    .map_err(|e| match e {
        FactError::Store(StoreError::NotFound(_)) => {
            Problem::not_found(format!("deal {id} not found"))
        }
        FactError::Store(e) => e.into(),
        other => Problem::unprocessable(other.to_string()),
    })?;
    after(&app, &sales, org, &id).await
}

#[utoipa::path(post, path = "/v1/deals/{id}/decisions", operation_id = "decideDealConflict", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    summary = "Decide a conflict between two sources on a deal's fact: keep the held value or the other; its track goes on",
    request_body = ConflictDecisionIn,
    responses(Org, Body, Conflict, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn decide_conflict(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ConflictDecisionIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org.id;
    let who = caller.credential();
    facts::decide(
        app.store(),
        &sales.workflow,
        org,
        &id,
        &body.fact,
        body.keep,
        By::Caller(&who),
        app.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound(_) => Problem::not_found(format!("deal {id} not found")),
        e => e.into(),
    })?;
    after(&app, &sales, org, &id).await
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
