//! The schedule's lead times and windows, shared by the scheduler and the
//! fires it calls (`brief.rs`, `campaigns.rs`, `coaching_digest.rs`). A leaf.

/// How late a daily fire may still go out.
pub const CATCH_UP_MS: i64 = 2 * 3_600_000;
/// The idempotency key of a meeting's preparation is this and the
/// meeting's row id.
pub const MEETING_FIRES: &str = "pre_meeting_90min:";

/// `pre_meeting_90min` lead time.
pub const PRE_MEETING_MS: i64 = 90 * 60_000;
/// A deal is stale after this long without activity (pipeline scan).
pub const STALE_AFTER_MS: i64 = 14 * 86_400_000;

/// The weekly coaching digest's local minute on Mondays (08:00).
pub const COACHING_DIGEST_MIN: i16 = 8 * 60;
