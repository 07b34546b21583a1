//! `/v1/proposals`: the org's proposals (each with its share link), one
//! with its views, and the prospect's answer as the rep records it
//! (`accepted` or `declined`, only from `sent` or `viewed`: 409 otherwise).
//! Another org's proposal is 404, as if it did not exist.

use super::{MAX_LIMIT, user_id};
use crate::lifecycle;
use crate::lifecycle::proposals::{By, proposal_moved};
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, Body, Conflict, NotFound, Org};
use crate::web::problem::{JsonBody, Problem, QueryArgs};
use crate::web::store::ProposalTables;
use crate::web::store::{Proposal, ProposalStatus};
use crate::web::{App, Routes, Sales};
use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// The proposal routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(list))
        .routes(utoipa_axum::routes!(one))
        .routes(utoipa_axum::routes!(set_status))
}

/// `?status=…&user=…&limit=…`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalQuery {
    status: Option<String>,
    /// A rep's handle.
    user: Option<String>,
    limit: Option<i64>,
}

/// `{"status": "accepted" | "declined"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "status": "accepted" })))]
struct ProposalStatusIn {
    /// `accepted` or `declined`.
    status: String,
}

/// A proposal as the API shows it: its row and its public link.
fn shown(app: &App, p: &Proposal) -> Result<Value, Problem> {
    let mut v = serde_json::to_value(p).map_err(Problem::internal)?;
    if let (Some(token), Some(m)) = (&p.share_token, v.as_object_mut()) {
        m.insert(
            "link".into(),
            Value::String(format!("{}/p/{token}", app.settings.base_url())),
        );
    }
    Ok(v)
}

fn status_of(s: &str) -> Result<ProposalStatus, Problem> {
    ProposalStatus::parse(s).map_err(|_| {
        Problem::unprocessable(format!(
            "`{s}` is not a proposal status: draft, sent, viewed, accepted, declined or superseded"
        ))
    })
}

#[utoipa::path(get, path = "/v1/proposals", operation_id = "listProposals", security(("org" = [])),
    summary = "Proposals sent, newest first, each with its share link", params(openapi::ProposalsQuery),
    responses(Org, NotFound, (status = 200, description = "Proposals", body = Vec<openapi::Proposal>, links(
        ("getProposal" = (operation_id = "getProposal", parameters(("id" = "$response.body#/0/id")))),
        ("setProposalStatus" = (operation_id = "setProposalStatus", parameters(("id" = "$response.body#/0/id"))))))))]
async fn list(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<ProposalQuery>,
) -> Result<Json<Value>, Problem> {
    let n = match q.limit {
        None => 100,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(n) => {
            return Err(Problem::bad_request(format!(
                "limit {n} is out of range: 1 to {MAX_LIMIT}"
            )));
        }
    };
    let status = match q.status.as_deref() {
        None | Some("all") => None,
        Some(s) => Some(status_of(s).map_err(|p| Problem::bad_request(p.detail))?),
    };
    let user = match q.user.as_deref() {
        Some(handle) => Some(user_id(&app, &org, handle).await?),
        None => None,
    };
    let all = app
        .store()
        .proposals(&org.id, user.as_ref(), status, n)
        .await?;
    let shown: Vec<Value> = all
        .iter()
        .map(|p| shown(&app, p))
        .collect::<Result<_, _>>()?;
    Ok(Json(Value::Array(shown)))
}

#[utoipa::path(get, path = "/v1/proposals/{id}", operation_id = "getProposal", security(("org" = [])),
    summary = "A proposal: its document, link and every view of it",
    responses(Org, (status = 200, description = "The proposal", body = openapi::ProposalWithViews)))]
async fn one(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let p = app
        .store()
        .proposal(&org.id, &id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("proposal {id} not found")))?;
    let views = app.store().proposal_views(&org.id, &id).await?;
    let mut v = shown(&app, &p)?;
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "views".into(),
            serde_json::to_value(views).map_err(Problem::internal)?,
        );
    }
    Ok(Json(v))
}

#[utoipa::path(post, path = "/v1/proposals/{id}/status", operation_id = "setProposalStatus", security(("org" = [])),
    summary = "Record the prospect's answer: `accepted` or `declined` (only a sent or viewed proposal takes one)",
    request_body = ProposalStatusIn,
    responses(Org, Body, Conflict, (status = 200, description = "The proposal", body = openapi::Proposal)))]
async fn set_status(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ProposalStatusIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org;
    let to = status_of(&body.status)?;
    if !matches!(to, ProposalStatus::Accepted | ProposalStatus::Declined) {
        return Err(Problem::unprocessable(format!(
            "a proposal's answer is `accepted` or `declined`, not `{to}`"
        )));
    }
    let now = app.now();
    let p = app
        .store()
        .set_proposal_status(&org.id, &id, to, now)
        .await?;
    // The deal moves on (accepted) or back (declined), per the workflow.
    let who = caller.credential();
    proposal_moved(app.store(), &sales.workflow, &p, By::Caller(&who), now).await?;
    if let Some(deal) = &p.deal_id {
        lifecycle::follow(
            &app.orch,
            app.store(),
            &sales.workflow,
            (&org.id, deal),
            &app.settings.base_url(),
        )
        .await;
    }
    Ok(Json(shown(&app, &p)?))
}
