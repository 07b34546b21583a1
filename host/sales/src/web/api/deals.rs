//! `GET /v1/deals/{id}/state`: a deal's engagement — stage, status,
//! tracks, facts, conflicts, missing information, the next decision, its
//! artifacts' versions, its tasks and its event log. `POST
//! /v1/deals/{id}/facts` reports a fact from elsewhere (one that disagrees
//! with the held one stops its track); `POST /v1/deals/{id}/decisions`
//! decides a conflict. `POST /v1/deals/{id}/approvals` asks for an
//! approval of a class, `POST /v1/deals/{id}/approvals/{n}/decision`
//! decides one (in full, in part or on conditions; one outside its class or
//! scope, or one a missing fact still holds, is refused naming why), and
//! `POST /v1/deals/{id}/events` reports a workflow event from elsewhere (a
//! contract signed). Another org's deal is 404, as if it did not exist.

use crate::engagement::{ApprovalClass, ApprovalState, Decision, Side, SourceKind};
use crate::lifecycle;
use crate::lifecycle::approvals::{self, ApprovalError, Ask};
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
        .routes(utoipa_axum::routes!(request_approval))
        .routes(utoipa_axum::routes!(decide_approval))
        .routes(utoipa_axum::routes!(report_event))
}

/// `{"class": "commercial", "subject": "invoice INV-0001", "scope": ["send_invoice"], "needs": ["fees"]}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "class": "commercial", "subject": "discount above 15%", "scope": ["offer_discount"], "needs": ["fees"] })))]
struct ApprovalAskIn {
    /// `commercial`, `legal_or_contract`, `security`, `external_send` or
    /// `public_proof`.
    #[schema(value_type = String)]
    class: ApprovalClass,
    /// What is to be approved (1 to 200 characters).
    subject: String,
    /// What a full approval permits (at least one action name).
    scope: Vec<String>,
    /// Facts of the workflow that must be known before it can be given.
    #[serde(default)]
    needs: Vec<String>,
}

/// `{"class": "legal_or_contract", "state": "partial", "permits": ["send_for_signature"], "evidence": "…"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "class": "legal_or_contract", "state": "partial", "permits": ["send_for_signature"], "evidence": "Clause 7 reviewed; indemnity still open" })))]
struct ApprovalDecisionIn {
    /// The class the decider decides under: it must be the approval's.
    #[schema(value_type = String)]
    class: ApprovalClass,
    /// `approved`, `partial`, `conditional` or `rejected`.
    #[schema(value_type = String)]
    state: ApprovalState,
    /// What a partial (or conditional) approval permits, from its scope.
    #[serde(default)]
    permits: Vec<String>,
    /// What a conditional approval holds the engagement to.
    #[serde(default)]
    conditions: Vec<String>,
    /// What the decision rests on (1 to 500 characters).
    evidence: String,
}

/// `{"event": "contract_signed", "evidence": "envelope 8812 completed"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "event": "contract_signed", "evidence": "envelope 8812 completed 26 Nov" })))]
struct EventIn {
    /// An event of the workflow's transitions or routes.
    event: String,
    /// What shows it happened (1 to 500 characters).
    evidence: String,
}

/// An approval or event refusal as a problem: another org's or an unknown
/// deal 404, a refusal by the engagement 409, bad input 422.
fn refused(id: &str, e: ApprovalError) -> Problem {
    match e {
        ApprovalError::Store(StoreError::NotFound(_)) => {
            Problem::not_found(format!("deal {id} not found"))
        }
        ApprovalError::Store(e) => e.into(),
        other => Problem::unprocessable(other.to_string()),
    }
}

#[utoipa::path(post, path = "/v1/deals/{id}/approvals", operation_id = "requestDealApproval", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    summary = "Ask for an approval of a class on a deal: held while a fact it needs is missing or disputed",
    request_body = ApprovalAskIn,
    responses(Org, Body, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn request_approval(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ApprovalAskIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org.id;
    let who = caller.credential();
    if body.scope.is_empty() {
        return Err(Problem::unprocessable(
            "`scope` names at least one thing the approval permits",
        ));
    }
    let ask = Ask {
        class: body.class,
        subject: body.subject,
        scope: body.scope,
        needs: body.needs,
    };
    approvals::request(
        app.store(),
        &sales.workflow,
        org,
        &id,
        ask,
        By::Caller(&who),
        app.now(),
    )
    .await
    .map_err(|e| refused(&id, e))?;
    after(&app, &sales, org, &id).await
}

#[utoipa::path(post, path = "/v1/deals/{id}/approvals/{n}/decision", operation_id = "decideDealApproval", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1),
        ("n" = String, Path, description = "The approval's number on the deal (1, 2, …)", min_length = 1)),
    summary = "Decide an approval: approved, partial or conditional (permitting part of its scope) or rejected; deciding a decided one reopens it, superseding the earlier",
    request_body = ApprovalDecisionIn,
    responses(Org, Body, Conflict, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn decide_approval(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path((id, n)): Path<(String, String)>,
    JsonBody(body): JsonBody<ApprovalDecisionIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org.id;
    let who = caller.credential();
    if !DECISIONS.contains(&body.state) {
        return Err(Problem::unprocessable(format!(
            "`{}` is not a decision: approved, partial, conditional or rejected",
            body.state
        )));
    }
    let d = Decision {
        id: approval_number(&n)?,
        class: body.class,
        state: body.state,
        permits: body.permits,
        conditions: body.conditions,
        evidence: body.evidence,
    };
    approvals::decide(
        app.store(),
        &sales.workflow,
        org,
        &id,
        d,
        By::Caller(&who),
        app.now(),
    )
    .await
    .map_err(|e| refused(&id, e))?;
    after(&app, &sales, org, &id).await
}

/// An approval's number from its path segment.
pub(crate) fn approval_number(n: &str) -> Result<u32, Problem> {
    n.parse()
        .map_err(|_| Problem::unprocessable(format!("`{n}` is not an approval's number (1, 2, …)")))
}

/// The states a decision may set.
pub(crate) const DECISIONS: [ApprovalState; 4] = [
    ApprovalState::Approved,
    ApprovalState::Partial,
    ApprovalState::Conditional,
    ApprovalState::Rejected,
];

#[utoipa::path(post, path = "/v1/deals/{id}/events", operation_id = "reportDealEvent", security(("org" = [])),
    params(("id" = String, Path, description = "The deal's id", min_length = 1)),
    summary = "Report a workflow event from elsewhere (a contract signed): the stage moves when its facts are known and its gate's approval permits it; otherwise the engagement names what is missing",
    request_body = EventIn,
    responses(Org, Body, (status = 200, description = "The deal's state", body = openapi::DealState)))]
async fn report_event(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<EventIn>,
) -> Result<Json<Value>, Problem> {
    let org = &caller.org.id;
    let who = caller.credential();
    approvals::report_event(
        app.store(),
        &sales.workflow,
        org,
        &id,
        &body.event,
        &body.evidence,
        By::Caller(&who),
        app.now(),
    )
    .await
    .map_err(|e| refused(&id, e))?;
    after(&app, &sales, org, &id).await
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

/// The deal's state after a change, or 404; the change may have made a new
/// contract to draft.
async fn after(app: &App, sales: &Sales, org: &OrgId, id: &str) -> Result<Json<Value>, Problem> {
    lifecycle::follow(
        &app.orch,
        app.store(),
        &sales.workflow,
        (org, id),
        &app.settings.base_url(),
    )
    .await;
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
