//! baton-concepts: the leaves every engine crate shares and none owns: the
//! clock (the wall clock and the settable clocks the engine reads), the
//! retry verdict (whether another attempt of a failed operation may help)
//! and errors that keep their cause (`report`).
//! It depends on no other baton crate, so the runtime and the store build
//! side by side.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod clock;
pub mod report;
pub mod verdict;
