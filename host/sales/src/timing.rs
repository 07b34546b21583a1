//! The sales schedule's lead times, shared by its fires (`schedule.rs`,
//! `brief.rs`, `coaching_digest.rs`) and the calendars. A leaf.

/// The idempotency key of a meeting's preparation is this and the
/// meeting's row id.
pub const MEETING_FIRES: &str = "pre_meeting_90min:";

/// `pre_meeting_90min` lead time.
pub const PRE_MEETING_MS: i64 = 90 * 60_000;
/// A day.
pub const DAY_MS: i64 = 86_400_000;
/// A deal is stale after this long without activity (pipeline scan).
pub const STALE_AFTER_MS: i64 = 14 * DAY_MS;

/// The weekly coaching digest's local minute on Mondays (08:00).
pub const COACHING_DIGEST_MIN: i16 = 8 * 60;
