//! `POST /v1/users/{handle}/brief`: a morning brief for a rep now, through
//! the same code as the scheduler's (`crate::brief::fire`): the
//! rep's snapshot taken at this moment, one `morning_brief` job, answered
//! as any event is (202 with the job; quiet hours defer it; a refusal is a
//! problem naming why). `GET` the same path: the rep's latest composed
//! brief (title, sections, text), as the inbox shows it.

use crate::brief;
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, NotFound, Org, Submit};
use crate::web::problem::Problem;
use crate::web::store::BriefTables;
use crate::web::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use baton_types::brief::Composed;
use serde_json::{Value, json};
use std::sync::Arc;

/// The brief route.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(brief_now, latest))
}

#[utoipa::path(get, path = "/v1/users/{handle}/brief", operation_id = "latestBrief", security(("org" = [])),
    summary = "The rep's latest morning brief: title, sections (key, heading, lines with links), text",
    responses(Org, NotFound, (status = 200, description = "The brief", body = openapi::Brief)))]
async fn latest(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Json<Value>, Problem> {
    let user = super::user_id(&app, &org, &handle).await?;
    let brief = app
        .store()
        .latest_brief(&org.id, Some(&user), brief::COMPOSER)
        .await?
        .ok_or_else(|| Problem::not_found(format!("`{handle}` has no morning brief yet")))?;
    let composed: Composed = serde_json::from_value(brief.data).map_err(Problem::internal)?;
    Ok(Json(json!({
        "job_id": brief.job_id, "created_at": brief.created_at,
        "title": composed.title, "sections": composed.sections, "text": composed.text,
    })))
}

#[utoipa::path(post, path = "/v1/users/{handle}/brief", operation_id = "briefNow", security(("org" = [])),
    summary = "A morning brief for the rep now: their snapshot taken at this moment, one morning_brief job",
    responses(Org, Submit,
        (status = 202, description = "A job was created", body = openapi::Accepted,
            links(("getJob" = (operation_id = "getJob", parameters(("id" = "$response.body#/job_id")))))),
        (status = 200, description = "A redelivery: the job already handling it", body = openapi::Duplicate)))]
async fn brief_now(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Response, Problem> {
    let user = super::rep(&app, &org, &handle).await?;
    let outcome = brief::fire(&app.orch, &org, &user, app.now(), false).await?;
    Ok(super::submitted(outcome))
}
