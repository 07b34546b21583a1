//! The end-to-end tests, as one test binary: each module is one topic
//! (the way wasmtime's `crates/wasi/tests/all/main.rs` gathers its tests),
//! so wasmtime and the host are linked into one executable instead of one
//! per file. The shared helpers are the crate's library (`tests/support/`).
//!
//! The tests share a process and run on parallel threads: none may set
//! environment variables, change the working directory, or hold a fixed
//! port; each makes its own database, folders and loopback peers.

mod account_replicas;
mod calendars;
mod campaigns;
mod coaching;
mod coaching_reference;
mod content_retrieval;
mod crash;
mod decide_wakes;
mod detect_intents;
mod docs;
mod drafts_check;
mod effects;
mod email_received;
mod evidence;
mod faults;
mod feedback;
mod gates;
mod guests;
mod ics_reference;
mod import;
mod inbox_browser;
mod inbox_gates;
mod inbox_keys;
mod inbox_list;
mod inbox_pager;
mod inbox_pages;
mod inbox_settings;
mod inbox_upcoming;
mod intent_actions;
mod llm_review;
mod meeting_ended;
mod morning_brief;
mod notifier;
mod off_schema;
mod pre_meeting;
mod probe;
mod proposal_generation;
mod reach;
mod replay;
mod replicas;
mod scheduling;
mod schema;
mod send_later;
mod service;
mod skill_cli;
mod skill_js;
mod skill_python;
mod stale_deal_revival;
mod store;
mod swap_service;
mod tracking;
mod transcripts;
mod workflow_cli;
