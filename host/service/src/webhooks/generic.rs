//! `POST /v1/webhooks/generic/{source}`: any other event source, signed the
//! Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`) with `BATON_WEBHOOK_SECRET_<SOURCE>` or the shared
//! `BATON_WEBHOOK_SECRET`. The body names the event:
//! `{"type", "org", "user", "payload", "idempotency_key"?}`. Without an
//! `idempotency_key` the event is keyed as any other (the sequence's
//! `dedupe_key`, else the payload's digest), so a redelivery under a new
//! `webhook-id` is still a duplicate.

use super::{header, now_s};
use crate::App;
use crate::api::submitted;
use crate::openapi::{self, DuplicateOrIgnored, Submit, Verified};
use crate::problem::{Problem, RawBody, refuse_nul};
use crate::signature::verify_standard;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use baton_engine::orchestrator::Event;
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// An event from any source.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "type": "meeting_ended", "org": "acme", "user": "rep1", "payload": { "meeting_id": "m-42" } })))]
struct GenericEvent {
    #[serde(rename = "type")]
    event_type: String,
    /// The org's slug.
    org: String,
    /// The user's handle.
    user: String,
    #[schema(value_type = Object)]
    payload: Value,
    idempotency_key: Option<String>,
}

/// Receive one generic event.
#[utoipa::path(post, path = "/v1/webhooks/generic/{source}", operation_id = "genericWebhook",
    summary = "Any source, Standard Webhooks-signed (BATON_WEBHOOK_SECRET_<SOURCE> or BATON_WEBHOOK_SECRET)",
    params(("webhook-id" = String, Header, description = "The message id"),
        ("webhook-timestamp" = String, Header, description = "Seconds since the epoch, within the tolerance"),
        ("webhook-signature" = String, Header, description = "`v1,<base64 HMAC-SHA256>`")),
    request_body = GenericEvent,
    responses(Verified, Submit,
        (status = 202, description = "A job was created", body = openapi::Accepted),
        (status = 200, description = "A redelivery: the job already handling it", body = inline(DuplicateOrIgnored))))]
pub async fn receive(
    State(app): State<Arc<App>>,
    Path(source): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, Problem> {
    if source.is_empty()
        || source.len() > 64
        || !source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Problem::bad_request(
            "a source name is 1 to 64 letters, digits or dashes",
        ));
    }
    let secret = app.secrets.generic_secret(&source).ok_or_else(|| {
        Problem::forbidden(format!(
            "no secret is configured for source `{source}` (BATON_WEBHOOK_SECRET_{})",
            source.to_ascii_uppercase().replace('-', "_")
        ))
    })?;
    let id = header(&headers, "webhook-id");
    verify_standard(
        secret,
        id,
        header(&headers, "webhook-timestamp"),
        header(&headers, "webhook-signature"),
        &body,
        now_s(&app),
        app.settings.webhook_tolerance_s,
    )
    .map_err(|e| Problem::unauthorized(format!("webhook signature: {e}")))?;
    Ok(submitted(app.orch.submit(&read(&source, &body)?).await?))
}

/// The event a verified body names: 422 for a body that is not JSON, holds
/// a NUL, or is not `{"type", "org", "user", "payload", "idempotency_key"?}`.
pub fn read(source: &str, body: &[u8]) -> Result<Event, Problem> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| Problem::unprocessable(format!("the body is not JSON: {e}")))?;
    refuse_nul(&doc, "")?;
    let e: GenericEvent = serde_json::from_value(doc)
        .map_err(|e| Problem::unprocessable(format!("the body is not a generic event: {e}")))?;
    // The same event delivered again under a new `webhook-id` is still the
    // same event: like every other route, it is keyed by the sequence's
    // `dedupe_key` (or the payload) unless the sender names a key.
    Ok(Event {
        event_type: e.event_type,
        org: e.org,
        user: e.user,
        payload: e.payload,
        source: format!("webhook:{source}"),
        idempotency_key: e.idempotency_key,
    })
}
