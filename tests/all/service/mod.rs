//! `baton serve` over real HTTP on loopback, on SQLite and on Postgres:
//! the API, auth and org scoping, problem documents, signed webhooks (with
//! the shared Slack and Svix vectors), Slack and SMTP delivery against real
//! peers, the LLM connector, the notifier's limits and the scheduler, the
//! live success metrics, the simulated clock, where connected accounts may
//! reach, and the load run in small.

mod api;
mod clock;
mod connect_tried;
mod connectors;
mod demo;
mod denials;
mod egress;
/// `echo-headers`' tests: provider keys injected at the boundary.
pub(crate) mod keys;
mod lifecycle;
mod load_smoke;
mod mail;
mod mailbox_send;
mod meetingbaas;
mod payloads;
pub(crate) mod proposals;
mod push;
mod sequences;
mod slack;
mod success;

use baton_tests::shared_data;
use serde_json::Value;

/// The shared Google push, Gmail Pub/Sub and Svix vectors.
fn webhook_vectors() -> Value {
    let text =
        std::fs::read_to_string(shared_data().join("webhooks/google_push_gmail_pubsub_svix.json"))
            .expect("vectors");
    serde_json::from_str(&text).expect("parse")
}
