//! baton: a self-hosted service that turns business events into chains of
//! sandboxed skills (WebAssembly components) and pauses for a person wherever
//! an action would touch the outside world.
//!
//! Layout mirrors the architecture (see `docs/architecture.md`):
//! - [`runtime`] (the `baton-runtime` crate): the wasmtime engine, per-call
//!   limits, host imports; with [`registry`]: loading skills, manifests,
//!   grants, hot swap; [`verdict`] and [`watch`].
//! - [`eval`]: offline evaluation of skills against labelled data.
//! - [`orchestrator`]: events, sequences, the runner, approvals, budgets; the CRM import.
//! - [`store`] (the `baton-store` crate, with the sales tables of `baton-sales`): sqlx persistence, SQLite and Postgres.
//! - [`connectors`]: Slack, SMTP email, the LLM and webhooks, host-side.
//! - [`service`]: `baton serve`: the HTTP API, webhooks, the inbox, the scheduler.
//! - [`metrics`]: Prometheus metrics.
//! - [`address`] (in `baton-store`): email addresses and recipients, parsed one way for every layer.
//! - [`cli`]: the `baton` command line; the one place errors become exit codes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// `/openapi.json` is one large `json!` literal.
#![recursion_limit = "256"]

pub mod accounts;
pub mod cli;
pub mod connectors;
pub mod eval;
pub mod metrics;
pub mod orchestrator;
pub mod replay;
pub mod sales;
pub mod service;
pub mod sources;
#[cfg(test)]
mod strategies;
pub mod wire;

/// The sandbox and the skill registry live in their own crate, `baton-runtime`.
pub use baton_runtime as runtime;
pub use baton_runtime::{registry, verdict, watch};
/// The success metrics (in `baton-sales`).
pub use baton_sales::success;
/// How baton names what it does to a person (in `baton-sales`).
pub use baton_sales::words;
/// Persistence: the engine's tables (the `baton-store` crate) and the sales
/// app's beside them (`baton-sales`'s `store`), under one path.
pub mod store {
    pub use baton_sales::store::*;
    pub use baton_store::*;
}
/// Email addresses, parsed one way for every layer (in `baton-store`, whose
/// do-not-contact list keys them).
pub use baton_store::address;
