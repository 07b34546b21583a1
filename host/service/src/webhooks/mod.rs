//! `/v1/webhooks/…`: event sources calling in. Each is verified before its
//! body is trusted (a shared secret, an HMAC signature, a channel id) and
//! idempotent: a redelivery names the job already handling it and creates
//! nothing.
//!
//! - [`slack`]: Slack interactivity; buttons decide approvals.
//! - [`generic`]: any source, Standard Webhooks-signed.
//!
//! Apps add their own sources' webhooks as routes of their own.

pub mod generic;
pub mod slack;
mod slack_click;
pub mod slack_command;
pub mod slack_not_right;
mod slack_reply;

use super::{App, Routes};
use axum::http::HeaderMap;

/// The webhook routes.
pub fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(slack::receive))
        .routes(utoipa_axum::routes!(generic::receive))
}

/// A header's value as text, trimmed (Google's samples pad them).
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Seconds since the epoch as the peers count them, for signature
/// timestamps: real time even when the service runs a simulated clock
/// ([`baton_engine::orchestrator::Clock::real_ms`]).
pub fn now_s(app: &App) -> i64 {
    app.orch.clock.real_ms() / 1000
}
