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

use super::Routes;

/// The sales app's webhook routes.
pub fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(meetingbaas::receive))
        .routes(utoipa_axum::routes!(google::gmail))
        .routes(utoipa_axum::routes!(google::calendar))
}
