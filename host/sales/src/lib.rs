//! baton-sales: the sales copilot built on the engine. For now it holds the
//! app's own tables, its words (how a gate, an action or an event is
//! named for a rep), its success metrics, what a coaching analysis stores,
//! its schedule's lead times and the CRM import; the rest of the app (the brief, coaching, campaigns,
//! proposals, CRM-lite, sources, success metrics, its words) still lives in
//! the `baton` crate's `sales` side and moves here as the engine crate
//! stands apart (docs/architecture.md, "Layers").

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod coaching;
pub mod import;
mod import_doc;
mod import_lines;
pub mod import_meetings;
pub mod store;
pub mod success;
pub mod timing;
pub mod words;
