//! The engine's tests, as one test binary: the orchestrator on a real
//! store (SQLite and Postgres) over the real `scripted` test guest, with no
//! app on its seam or a small one of a test's own; the group commit;
//! connected accounts and provider keys. Nothing here knows the sales app
//! (the product's end-to-end tests are `tests/all/`). The shared helpers
//! are `baton-testkit`'s.
//!
//! The tests share a process and run on parallel threads: none may set
//! environment variables, change the working directory, or hold a fixed
//! port; each makes its own database, folders and loopback peers.

mod account_leases;
mod accounts;
mod commit;
mod orchestrator;
mod provider_keys;
