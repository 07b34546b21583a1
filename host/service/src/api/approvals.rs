//! `/v1/approvals`: the org's gates, and a decision on one. The decision is
//! read here (who decided comes from the credential, never the body) and
//! checked and recorded by the orchestrator; this file never writes a gate
//! itself.

use super::{ListQuery, limit};
use crate::auth::OrgCaller;
use crate::openapi::{self, Body, Conflict, Org, list_params};
use crate::problem::{JsonBody, Problem, QueryArgs};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use baton_engine::orchestrator::{Decider, Feedback};
use baton_engine::runtime::Decision;
use baton_engine::store::{FeedbackReason, GateId, GateStatus, Reach};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// `?status=` (a gate status, or `all`) and `?limit=`, for the document.
struct ApprovalsQuery;
impl utoipa::IntoParams for ApprovalsQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let statuses = ["open", "decided", "expired", "cancelled", "all"];
        list_params(&statuses, "open", super::MAX_LIMIT)
    }
}

/// The approval routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(list_approvals))
        .routes(utoipa_axum::routes!(get_approval))
        .routes(utoipa_axum::routes!(decide))
}

#[utoipa::path(get, path = "/v1/approvals", operation_id = "listApprovals", summary = "Approvals, newest first",
    security(("org" = [])), params(ApprovalsQuery),
    responses(Org, (status = 200, description = "Approvals", body = Vec<openapi::Approval>, links(
        ("getApproval" = (operation_id = "getApproval", parameters(("id" = "$response.body#/0/id")))),
        ("decideApproval" = (operation_id = "decideApproval", parameters(("id" = "$response.body#/0/id")))),
        ("inboxApproval" = (operation_id = "inboxApproval", parameters(("id" = "$response.body#/0/id")))),
        ("inboxDecide" = (operation_id = "inboxDecide", parameters(("id" = "$response.body#/0/id"))))))))]
async fn list_approvals(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<ListQuery>,
) -> Result<Json<Value>, Problem> {
    let n = limit(&q)?;
    let status = match q.status.as_deref() {
        None => Some(GateStatus::Open),
        Some("all") => None,
        Some(s) => Some(GateStatus::parse(s).map_err(|_| {
            Problem::bad_request(format!(
                "`{s}` is not an approval status: open, decided, expired, cancelled, superseded or all"
            ))
        })?),
    };
    let gates = app
        .store()
        .pending_actions(&org.id, &Reach::Org, status, n)
        .await?;
    Ok(Json(
        serde_json::to_value(gates).map_err(Problem::internal)?,
    ))
}

#[utoipa::path(get, path = "/v1/approvals/{id}", operation_id = "getApproval",
    summary = "One approval with its preview", security(("org" = [])),
    responses(Org, (status = 200, description = "The approval", body = openapi::Approval)))]
async fn get_approval(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<GateId>,
) -> Result<Json<Value>, Problem> {
    let gate = app
        .store()
        .pending_action(&org.id, &id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("approval {id} not found")))?;
    let feedback = app.store().gate_feedback(&org.id, &id).await?;
    let mut out = serde_json::to_value(gate).map_err(Problem::internal)?;
    out["feedback"] = serde_json::to_value(feedback).map_err(Problem::internal)?;
    Ok(Json(out))
}

/// `feedback` as a client sends it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackIn {
    reason: String,
    #[serde(default)]
    labels: Option<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
}

/// Take a decision document's `feedback` ("Not right":
/// `{"reason": …, "labels"?: […], "note"?: …}`), if it has one. Whether
/// the labels fit the gate is the orchestrator's check.
fn take_feedback(body: &mut Value) -> Result<Option<Feedback>, Problem> {
    let Some(raw) = body.as_object_mut().and_then(|m| m.remove("feedback")) else {
        return Ok(None);
    };
    if raw.is_null() {
        return Ok(None);
    }
    let f: FeedbackIn = serde_json::from_value(raw).map_err(|e| {
        Problem::unprocessable(format!(
            "`feedback` is not feedback ({e}); send {{\"reason\": \"wrong_intent\", \"labels\": [\"signal:timeline\"], \"note\": \"…\"}}"
        ))
    })?;
    let reason = FeedbackReason::from_wire(&f.reason)
        .map_err(|m| Problem::unprocessable(format!("feedback: {m}")))?;
    Ok(Some(Feedback {
        reason,
        labels: f
            .labels
            .map(|l| l.into_iter().map(|x| x.trim().to_owned()).collect()),
        note: f
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
    }))
}

/// The `send_at` of a decision document (send later), taken off: an RFC
/// 3339 time with its offset, as Unix ms.
fn take_send_at(body: &mut Value) -> Result<Option<i64>, Problem> {
    match body.as_object_mut().and_then(|m| m.remove("send_at")) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<jiff::Timestamp>()
            .map(|t| Some(t.as_millisecond()))
            .map_err(|_| {
                Problem::unprocessable(format!(
                    "`send_at` `{s}` is not a time: send RFC 3339 with its offset, e.g. 2026-11-30T09:00:00-05:00"
                ))
            }),
        Some(_) => Err(Problem::unprocessable(
            "`send_at` must be a time (RFC 3339 text with its offset)",
        )),
    }
}

/// Read a decision document: `{"decision": "approved" | "edited" |
/// "skipped" | "cancelled" | "chosen" | "per_item", "value": …, "note": …}`
/// (its `feedback`, if any, taken off first by [`take_feedback`]).
/// The note is the person's own words (`by` is read as a note too, for
/// older clients); who decided is never taken from the body.
pub(super) fn parse_decision(mut body: Value) -> Result<(Decision, Option<String>), Problem> {
    let mut note = None;
    for key in ["note", "by"] {
        match body.as_object_mut().and_then(|m| m.remove(key)) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if note.is_none() => {
                note = Some(s.trim().to_owned()).filter(|s| !s.is_empty())
            }
            Some(Value::String(_)) => {
                return Err(Problem::unprocessable("send `note` or `by`, not both"));
            }
            Some(_) => return Err(Problem::unprocessable(format!("`{key}` must be a string"))),
        }
    }
    let decision: Decision = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "not a decision ({e}); send {{\"decision\": \"approved\"}}, \
             {{\"decision\": \"edited\", \"value\": …}}, skipped, cancelled, \
             {{\"decision\": \"chosen\", \"value\": N}} or {{\"decision\": \"per_item\", \"value\": [true, false]}}"
        ))
    })?;
    Ok((decision, note))
}

#[utoipa::path(post, path = "/v1/approvals/{id}/decision", operation_id = "decideApproval",
    security(("org" = [])),
    summary = "Decide an approval; who decided is the token (`api:<token name>`), never the body",
    request_body = openapi::DecisionIn,
    responses(Org, Body, Conflict, (status = 200, description = "Decided", body = openapi::Decided)))]
async fn decide(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(id): Path<GateId>,
    JsonBody(mut body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let feedback = take_feedback(&mut body)?;
    let send_at = take_send_at(&mut body)?;
    let (decision, note) = parse_decision(body)?;
    let who = Decider {
        send_at,
        ..caller.decider(note)
    };
    let org = &caller.org;
    let gate = match &feedback {
        None => app.orch.decide(&org.id, &id, decision, &who).await?,
        Some(f) if decision == Decision::Skipped => {
            app.orch.mark_not_right(&org.id, &id, f, &who).await?
        }
        Some(_) => {
            return Err(Problem::unprocessable(
                "`feedback` goes with `\"decision\": \"skipped\"`: a \"Not right\" skips the suggestion",
            ));
        }
    };
    let stored = match feedback {
        Some(_) => app.store().gate_feedback(&org.id, &id).await?,
        None => None,
    };
    Ok(Json(json!({
        "id": gate.id, "status": gate.status, "job_id": gate.job_id, "decision": gate.decision,
        "decided_by": gate.decided_by, "decision_note": gate.decision_note, "feedback": stored,
    })))
}
