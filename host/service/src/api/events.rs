//! `POST /v1/events`: an event in, a job out; and how an event's outcome
//! is answered, shared with every webhook. It validates only the envelope;
//! the orchestrator decides whether the event is accepted.

use crate::App;
use crate::auth::OrgCaller;
use crate::problem::{JsonBody, Problem};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use baton_engine::orchestrator::{Event, Reason, Submitted};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The event routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new().route("/v1/events", post(post_event))
}

/// An event as posted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    #[serde(rename = "type")]
    event_type: String,
    /// The user's handle.
    user: String,
    payload: Value,
    idempotency_key: Option<String>,
    /// Where it came from, e.g. `billing`; recorded as `api:<source>`.
    source: Option<String>,
}

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
