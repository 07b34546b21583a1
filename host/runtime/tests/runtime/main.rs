//! The runtime's tests, as one test binary: the registry over a real
//! folder of real test guests, swapping skills while calls run, and the
//! compile cache. Nothing
//! here knows the store, the engine's orchestrator or the sales app (the
//! hostile guests run through the `baton` CLI in `tests/all/guests.rs`).
//! The shared helpers are `baton-testkit`'s.
//!
//! The tests share a process and run on parallel threads: none may set
//! environment variables, change the working directory, or hold a fixed
//! port; each makes its own folders.

mod compile_cache;
mod hot_swap;
mod quick_start;
