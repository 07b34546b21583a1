//! `GET /v1/jobs` and `/v1/jobs/{id}`: the org's jobs, read through the one
//! job view the CLI and the inbox use. Read-only.

use super::{ListQuery, limit};
use crate::App;
use crate::auth::OrgCaller;
use crate::problem::{Problem, QueryArgs};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use baton_engine::orchestrator::views;
use baton_engine::store::{JobId, JobStatus, Reach};
use serde_json::Value;
use std::sync::Arc;

/// The job routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/jobs", get(list_jobs))
        .route("/v1/jobs/{id}", get(get_job))
}

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
