//! baton's engine: events in, sequences of sandboxed skills run, a person
//! asked wherever an effect would touch the outside world, the effect
//! delivered once. It names no app: apps plug into its one seam
//! ([`orchestrator::conductor::Extension`]).
//!
//! - [`orchestrator`]: events, sequences, conditions, the runner, budgets,
//!   gates and decisions, the outbox and its delivery, notifications,
//!   policy, quiet hours, the scheduler, and the seam.
//! - [`replay`]: a recorded call run again against another version.
//! - [`connectors`]: the transports the engine and apps deliver through
//!   (Slack, SMTP email, calendar invitations, webhooks, the LLM) and the
//!   [`connectors::Deliver`] trait.
//! - [`accounts`]: connected accounts, the vault their secrets are sealed
//!   in, the egress rules for their servers.
//! - [`distance`]: how far one draft is from another (an edit, a
//!   candidate against a rep's decision).
//! - [`metrics`]: the engine's Prometheus metrics.
//! - [`wire`]: reading answers from outside servers, bounded.
//!
//! The runtime (`baton-runtime`) and the store (`baton-store`) are
//! re-exported under their names, so every layer reads them one way.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod accounts;
pub mod attachments;
pub mod connectors;
pub mod distance;
pub mod metrics;
pub mod orchestrator;
pub mod replay;
pub mod wire;

/// The sandbox and the skill registry (the `baton-runtime` crate).
pub use baton_runtime as runtime;
pub use baton_runtime::{registry, report, verdict, watch};
/// Persistence: the engine's tables (the `baton-store` crate).
pub use baton_store as store;
/// Email addresses, parsed one way for every layer (in `baton-store`).
pub use baton_store::address;
