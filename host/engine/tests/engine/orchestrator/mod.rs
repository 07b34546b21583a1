//! The orchestrator end to end, on SQLite and on Postgres: real sequences
//! over the real `scripted` test guest, a manual clock for time. The
//! harness is `baton_testkit::engine`; each submodule is one topic.

mod admission;
mod approvals;
mod decisions;
mod example_app;
mod extension;
mod failures;
mod flow;
mod limits;
