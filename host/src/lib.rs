//! baton: a self-hosted service that turns business events into chains of
//! sandboxed skills (WebAssembly components) and pauses for a person wherever
//! an action would touch the outside world.
//!
//! Layout mirrors the architecture (see `docs/architecture.md`):
//! - [`runtime`] (the `baton-runtime` crate): the wasmtime engine, per-call
//!   limits, host imports; with [`registry`]: loading skills, manifests,
//!   grants, hot swap; [`verdict`] and [`watch`].
//! - [`orchestrator`] (the `baton-engine` crate, with [`replay`],
//!   [`accounts`], [`metrics`] and the transports of [`connectors`]):
//!   events, sequences, the runner, approvals, budgets, the outbox, and the
//!   extension seam the sales app ([`sales`]) plugs into; the CRM import.
//! - [`eval`] (in `baton-sales`): offline evaluation of the sales skills
//!   against labelled data.
//! - [`store`] (the `baton-store` crate, with the sales tables of `baton-sales`): sqlx persistence, SQLite and Postgres.
//! - [`connectors`]: the process's deliverer: the engine's transports and
//!   the sales app's CRM and proposal connectors.
//! - [`service`]: `baton serve` composed: the shell of the `baton-service`
//!   crate (the core API, auth, Slack's and generic webhooks, health, the
//!   workers) with the sales app's side (`baton_sales::web`: its routes,
//!   the inbox, its deliverer and workers) plugged in.
//! - [`metrics`]: Prometheus metrics.
//! - [`address`] (in `baton-store`): email addresses and recipients, parsed one way for every layer.
//! - [`cli`]: the `baton` command line; the one place errors become exit codes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod service;

/// The engine (the `baton-engine` crate): connected accounts, metrics,
/// replay, bounded answers.
pub use baton_engine::{accounts, metrics, replay, wire};
/// The engine's orchestrator, with the CRM import of `baton-sales` beside it.
pub mod orchestrator {
    pub use baton_engine::orchestrator::*;
    pub use baton_sales::{import, import_meetings};
}

/// The sandbox and the skill registry live in their own crate, `baton-runtime`.
pub use baton_runtime as runtime;
pub use baton_runtime::{registry, report, verdict, watch};
/// The sales app (the `baton-sales` crate), composed with the engine.
pub use baton_sales as sales;
/// The process's deliverer: the engine's transports with the sales app's
/// CRM and proposal connectors (in `baton-sales`).
pub use baton_sales::connectors;
/// Offline evaluation of the sales skills (in `baton-sales`).
pub use baton_sales::eval;
/// The rep's mailbox and calendar, read (in `baton-sales`).
pub use baton_sales::sources;
/// The success metrics (in `baton-sales`).
pub use baton_sales::success;
/// How baton names what it does to a person (in `baton-sales`).
pub use baton_sales::words;
/// Persistence: the engine's tables (the `baton-store` crate) and the sales
/// app's beside them (`baton-sales`'s `store`), under one path.
pub mod store {
    pub use baton_sales::store::*;
    pub use baton_store::*;

    /// Open the store at `url` with the engine's migrations and those of
    /// every app composed (each [`Extension::migrations`]).
    ///
    /// [`Extension::migrations`]: crate::orchestrator::Extension::migrations
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let apps: Vec<Migrations> = baton_sales::extensions()
            .iter()
            .filter_map(|e| e.migrations())
            .collect();
        Store::open_with(url, &apps).await
    }
}
/// Email addresses, parsed one way for every layer (in `baton-store`, whose
/// do-not-contact list keys them).
pub use baton_store::address;
