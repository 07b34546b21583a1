//! baton-sales: the sales copilot built on the engine (`baton-engine`)
//! through its one extension seam. It holds:
//! - [`Sales`] (`app.rs`), the app as the binary composes it, and
//!   [`extensions`], the list it is composed in;
//! - `schedule.rs`: the morning brief, the pipeline scan, the weekly
//!   coaching digest, the pre-meeting brief and the daily campaign check,
//!   with the schedule's lead times ([`timing`]);
//! - `admitted.rs`: what an accepted event says already happened, written
//!   with its job (a call that ended, an email that came in: activity on
//!   its contact and deal);
//! - `basis.rs`: what a revival or reply draft was based on, and whether
//!   newer activity withdrew it;
//! - `rows.rs`: what a finished step writes with its checkpoint (a campaign
//!   check's figures, a meeting's coaching analysis);
//! - [`brief`], [`coaching_digest`] (with `snapshot.rs`), [`campaigns`],
//!   [`coaching`]: what each of those reads and submits;
//! - `kinds.rs`: the rules of the action kinds the app owns (CRM updates,
//!   proposals);
//! - [`store`]: the app's own tables; [`words`]: how a gate, an action or
//!   an event is named for a rep; [`success`]: its success metrics;
//!   [`import`]: the CRM import.
//!
//! - [`suggested`]: what a gate of the app suggested, and the labels a
//!   "Not right" on it may name;
//! - [`eval`]: the app's skills scored against labelled data, and the
//!   labelled data exported from decisions;
//! - [`sources`]: what reads a rep's mailbox (Gmail, IMAP) and calendar
//!   (Google, CalDAV) into events and meetings.
//!
//! - [`engagement`]: a deal's lifecycle as one state under the operator's
//!   workflow (the workflow file, the state and its one change);
//!   [`lifecycle`]: what moves it (proposals sent, accepted, asked about,
//!   approvals, the contract asked for) and how a deal's state is shown;
//!   [`documents`]: a deal's documents (a contract) laid out once and
//!   rendered as HTML and PDF.
//!
//! - [`connectors`]: the process's deliverer, [`connectors::Connectors`]:
//!   the engine's transports with the app's CRM-lite, HubSpot and
//!   proposals.
//!
//! Its API routes and inbox panels still live in the `baton` crate and move here as the service crate stands apart
//! (docs/architecture.md, "Layers").

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// `/openapi.json` is one large `json!` literal.
#![recursion_limit = "256"]

mod admitted;
mod app;
mod basis;
pub mod brief;
pub mod campaigns;
pub mod coaching;
pub mod coaching_digest;
pub mod connectors;
pub mod documents;
pub mod engagement;
pub mod eval;
pub mod import;
mod import_doc;
mod import_lines;
pub mod import_meetings;
mod kinds;
pub mod lifecycle;
mod requests;
mod rows;
mod schedule;
mod snapshot;
pub mod sources;
pub mod store;
pub mod success;
pub mod suggested;
pub mod timing;
pub mod transcripts;
pub mod trial;
pub mod web;
pub mod words;

pub use app::{Sales, extensions};
