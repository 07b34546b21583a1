//! The sales app's `/v1/webhooks/…`, beside the shell's (Slack's
//! interactivity, generic sources). Each is verified before its body is
//! trusted (a shared secret, an HMAC signature, a channel id) and
//! idempotent: a redelivery names the job already handling it and creates
//! nothing.
//!
//! - [`meetingbaas`]: a meeting ended (v1 API-key header, v2 Svix-signed).
//! - [`google`]: Gmail Pub/Sub push and Google Calendar push.

pub mod google;
pub mod meetingbaas;
#[cfg(test)]
mod props;

pub use baton_service::webhooks::{generic, header, now_s, slack};

use super::App;
use axum::Router;
use axum::routing::post;
use std::sync::Arc;

/// The sales app's webhook routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/webhooks/meetingbaas", post(meetingbaas::receive))
        .route("/v1/webhooks/gmail", post(google::gmail))
        .route("/v1/webhooks/google-calendar", post(google::calendar))
}
