//! `baton serve`.
