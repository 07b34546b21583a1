//! What the schedule fires, asked for now, through the same code as the
//! schedule's: `POST /v1/users/{handle}/digest` (a rep's weekly coaching
//! digest, `crate::coaching_digest::fire`) and `POST
//! /v1/orgs/campaign-check` (the org's campaign check,
//! `crate::campaigns::check_now`). Each is answered as any event is: 202
//! with the job, 200 naming the job already handling it; an org that
//! cannot be checked is a 422 naming why. The morning brief's is
//! `brief.rs`.

use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, NotFound, Org, Submit};
use crate::web::problem::Problem;
use crate::web::{App, Routes};
use crate::{campaigns, coaching_digest};
use axum::extract::{Path, State};
use axum::response::Response;
use std::sync::Arc;

/// The on-demand routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(digest_now))
        .routes(utoipa_axum::routes!(campaign_check_now))
}

#[utoipa::path(post, path = "/v1/users/{handle}/digest", operation_id = "digestNow", security(("org" = [])),
    summary = "The rep's weekly coaching digest now: their weeks taken at this moment, one coaching_digest job",
    responses(Org, NotFound, Submit,
        (status = 202, description = "A job was created", body = openapi::Accepted,
            links(("getJob" = (operation_id = "getJob", parameters(("id" = "$response.body#/job_id")))))),
        (status = 200, description = "A redelivery: the job already handling it", body = openapi::Duplicate)))]
async fn digest_now(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Response, Problem> {
    let user = super::rep(&app, &org, &handle).await?;
    let outcome = coaching_digest::fire(&app.orch, &org, &user, app.now(), false).await?;
    Ok(super::submitted(outcome))
}

#[utoipa::path(post, path = "/v1/orgs/campaign-check", operation_id = "campaignCheckNow", security(("org" = [])),
    summary = "The org's campaign check now: yesterday's figures in the owner's zone, one campaign_check job",
    responses(Org, Submit,
        (status = 202, description = "A job was created", body = openapi::Accepted,
            links(("getJob" = (operation_id = "getJob", parameters(("id" = "$response.body#/job_id")))))),
        (status = 200, description = "Today's check already ran or runs: its job", body = openapi::Duplicate)))]
async fn campaign_check_now(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Response, Problem> {
    match campaigns::check_now(&app.orch, &org, app.now()).await? {
        Ok(outcome) => Ok(super::submitted(outcome)),
        Err(why) => Err(Problem::unprocessable(why)),
    }
}
