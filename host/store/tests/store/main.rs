//! The store's tests, as one test binary: the engine's tables on SQLite
//! and on Postgres alike (`store_test!` runs each test on both), with the
//! engine's migrations alone. The sales app's tables are tested end to end
//! (`tests/all/store/`).

mod erasure;
mod jobs;
mod orgs;
mod wal;
