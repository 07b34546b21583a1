//! `POST /v1/events`: an event in, a job out; and how an event's outcome
//! is answered, shared with every webhook. It validates only the envelope;
//! the orchestrator decides whether the event is accepted.

use crate::auth::OrgCaller;
use crate::openapi::{self, Body, Org, Submit};
use crate::problem::{JsonBody, Problem};
use crate::{App, Routes};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use baton_engine::orchestrator::{Event, Reason, Submitted};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The event routes.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(post_event))
}

/// An event as posted.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "type": "meeting_ended", "user": "rep1", "payload": { "meeting_id": "m-42" } })))]
struct EventIn {
    /// The event type, e.g. `meeting_ended`.
    #[serde(rename = "type")]
    event_type: String,
    /// The user's handle.
    user: String,
    /// The event type's payload (checked against its schema).
    #[schema(value_type = Object)]
    payload: Value,
    idempotency_key: Option<String>,
    /// Where it came from, e.g. `billing`; recorded as `api:<source>`.
    source: Option<String>,
}

#[utoipa::path(post, path = "/v1/events", operation_id = "submitEvent", summary = "Submit an event",
    security(("org" = [])),
    params(("Idempotency-Key" = Option<String>, Header, nullable = false,
        description = "The event's idempotency key, if the body names none")),
    request_body = EventIn,
    responses(Org, Body, Submit,
        (status = 202, description = "A job was created", body = openapi::Accepted,
            links(("getJob" = (operation_id = "getJob", parameters(("id" = "$response.body#/job_id")))))),
        (status = 200, description = "A redelivery: the job already handling it", body = openapi::Duplicate)))]
async fn post_event(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    headers: HeaderMap,
    JsonBody(e): JsonBody<EventIn>,
) -> Result<Response, Problem> {
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let event = Event {
        event_type: e.event_type,
        org: org.slug,
        user: e.user,
        payload: e.payload,
        source: format!("api:{}", e.source.as_deref().unwrap_or("client")),
        idempotency_key: e.idempotency_key.or(header_key),
    };
    Ok(submitted(app.orch.submit(&event).await?))
}

/// How an event's outcome is answered, for the API and every webhook: a
/// new job is 202; a redelivery is 200 naming the job already handling it;
/// a refusal is a problem with its reason code.
pub fn submitted(outcome: Submitted) -> Response {
    match outcome {
        Submitted::Accepted {
            job_id,
            scheduled_at,
            deferred,
        } => (
            StatusCode::ACCEPTED,
            Json(json!({
                "outcome": "accepted", "job_id": job_id,
                "scheduled_at": scheduled_at, "deferred": deferred,
            })),
        )
            .into_response(),
        Submitted::Refused {
            reason: Reason::Duplicate,
            job_id,
            ..
        } => (
            StatusCode::OK,
            Json(json!({ "outcome": "duplicate", "job_id": job_id })),
        )
            .into_response(),
        Submitted::Refused {
            reason,
            detail,
            job_id,
        } => {
            let status = match reason {
                Reason::UnknownOrg | Reason::UnknownUser => StatusCode::NOT_FOUND,
                Reason::UnknownType | Reason::InvalidPayload => StatusCode::UNPROCESSABLE_ENTITY,
                Reason::Budget => StatusCode::PAYMENT_REQUIRED,
                Reason::Disabled | Reason::SequenceUnavailable | Reason::Duplicate => {
                    StatusCode::CONFLICT
                }
            };
            Problem::new(status, detail)
                .with(json!({ "reason": reason.code(), "job_id": job_id }))
                .into_response()
        }
    }
}
