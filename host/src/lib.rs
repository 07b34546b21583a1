//! baton: a self-hosted service that turns business events into chains of
//! sandboxed skills (WebAssembly components) and pauses for a person wherever
//! an action would touch the outside world.
//!
//! Layout mirrors the architecture (see `docs/architecture.md`):
//! - [`runtime`]: the wasmtime engine, per-call limits, host imports.
//! - [`registry`]: loading skills, manifests, grants, hot swap.
//! - [`eval`]: offline evaluation of skills against labelled data.
//! - [`orchestrator`]: events, sequences, the runner, approvals, budgets; the CRM import.
//! - [`store`]: sqlx persistence, SQLite and Postgres.
//! - [`connectors`]: Slack, SMTP email, the LLM and webhooks, host-side.
//! - [`service`]: `baton serve`: the HTTP API, webhooks, the inbox, the scheduler.
//! - [`metrics`]: Prometheus metrics.
//! - [`address`]: email addresses and recipients, parsed one way for every layer.
//! - [`verdict`]: whether an error is worth retrying, one answer for every layer.
//! - [`watch`]: debounced folder watches (skills, sequences).
//! - [`cli`]: the `baton` command line; the one place errors become exit codes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// `/openapi.json` is one large `json!` literal.
#![recursion_limit = "256"]

pub mod accounts;
pub mod address;
pub mod cli;
pub mod connectors;
pub mod eval;
pub mod metrics;
pub mod orchestrator;
pub mod registry;
pub mod replay;
pub mod runtime;
pub mod service;
pub mod sources;
pub mod store;
#[cfg(test)]
mod strategies;
pub mod success;
pub mod verdict;
pub mod watch;
pub mod words;
