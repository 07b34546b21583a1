//! `/v1/webhooks/…`: event sources calling in. Each is verified before its
//! body is trusted (a shared secret, an HMAC signature, a channel id) and
//! idempotent: a redelivery names the job already handling it and creates
//! nothing.
//!
//! - [`meetingbaas`]: a meeting ended (v1 API-key header, v2 Svix-signed).
//! - [`slack`]: Slack interactivity; buttons decide approvals.
//! - [`google`]: Gmail Pub/Sub push and Google Calendar push.
//! - [`generic`]: any other source, Standard Webhooks-signed.

pub mod generic;
pub mod google;
pub mod meetingbaas;
#[cfg(test)]
mod props;
pub mod slack;

use super::App;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use std::sync::Arc;

/// The webhook routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/webhooks/meetingbaas", post(meetingbaas::receive))
        .route("/v1/webhooks/slack/interactions", post(slack::receive))
        .route("/v1/webhooks/gmail", post(google::gmail))
        .route("/v1/webhooks/google-calendar", post(google::calendar))
        .route("/v1/webhooks/generic/{source}", post(generic::receive))
}

/// A header's value as text, trimmed (Google's samples pad them).
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Seconds since the epoch as the peers count them, for signature
/// timestamps: real time even when the service runs a simulated clock
/// ([`crate::orchestrator::Clock::real_ms`]).
pub(crate) fn now_s(app: &App) -> i64 {
    app.orch.clock.real_ms() / 1000
}
