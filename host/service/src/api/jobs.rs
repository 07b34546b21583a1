//! `GET /v1/jobs` and `/v1/jobs/{id}`: the org's jobs, read through the one
//! job view the CLI and the inbox use. Read-only.

use super::{ListQuery, limit};
use crate::auth::OrgCaller;
use crate::openapi::{self, Org, list_params};
use crate::problem::{Problem, QueryArgs};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use baton_engine::orchestrator::views;
use baton_engine::store::{JobId, JobStatus, Reach};
use serde_json::Value;
use std::sync::Arc;

/// `?status=` (a job status, or `all`) and `?limit=`, for the document.
struct JobsQuery;
impl utoipa::IntoParams for JobsQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let statuses = [
            "all",
            "pending",
            "running",
            "awaiting_approval",
            "completed",
            "failed",
            "cancelled",
            "skipped",
            "budget_exceeded",
        ];
        list_params(&statuses, "all", super::MAX_LIMIT)
    }
}

/// The job routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(list_jobs))
        .routes(utoipa_axum::routes!(get_job))
}

#[utoipa::path(get, path = "/v1/jobs", operation_id = "listJobs", summary = "Jobs, newest first",
    security(("org" = [])), params(JobsQuery),
    responses(Org, (status = 200, description = "Jobs", body = Vec<openapi::JobSummary>, links(
        ("getJob" = (operation_id = "getJob", parameters(("id" = "$response.body#/0/id")))),
        ("inboxJob" = (operation_id = "inboxJob", parameters(("id" = "$response.body#/0/id"))))))))]
async fn list_jobs(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<ListQuery>,
) -> Result<Json<Value>, Problem> {
    let n = limit(&q)?;
    let jobs = match q.status.as_deref() {
        None | Some("all") => app.store().jobs(&org.id, &Reach::Org, n).await?,
        Some(s) => {
            let status = JobStatus::parse(s)
                .map_err(|_| Problem::bad_request(format!("`{s}` is not a job status")))?;
            app.store()
                .jobs_with_status(&org.id, &Reach::Org, status, n)
                .await?
        }
    };
    Ok(Json(Value::Array(
        jobs.iter().map(views::job_summary).collect(),
    )))
}

#[utoipa::path(get, path = "/v1/jobs/{id}", operation_id = "getJob", security(("org" = [])),
    summary = "A job: step timeline, gates, follow-ups, effects, execution metadata",
    responses(Org, (status = 200, description = "The job", body = openapi::Job)))]
async fn get_job(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<JobId>,
) -> Result<Json<Value>, Problem> {
    views::job_view(app.store(), &org.id, &id)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("job {id} not found")))
}
