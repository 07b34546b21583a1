//! The conductor: events, validation, sequences, the runner, approvals and
//! budgets (issue 3 grows it). Today it holds the CRM import that fills a
//! fresh install.
//!
//! The orchestrator talks to the store and the runtime; it never speaks HTTP
//! and never touches wasmtime directly.

pub mod import;
