//! `present-time-options` (being written).
