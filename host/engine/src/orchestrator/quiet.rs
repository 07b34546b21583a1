//! Quiet hours: when a user may not be disturbed, in their time zone.

use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;

const DAY_MIN: i64 = 24 * 60;

/// If `now_ms` falls in the quiet window `[start, end)` (minutes after local
/// midnight in `tz`; the window may wrap midnight, and `start == end` means
/// none), the first instant after the window; otherwise `None`.
pub(crate) fn quiet_until(now_ms: i64, tz: &TimeZone, start_min: i64, end_min: i64) -> Option<i64> {
    if start_min == end_min
        || !(0..DAY_MIN).contains(&start_min)
        || !(0..DAY_MIN).contains(&end_min)
    {
        return None;
    }
    let now = Timestamp::from_millisecond(now_ms)
        .ok()?
        .to_zoned(tz.clone());
    let minute = i64::from(now.hour()) * 60 + i64::from(now.minute());
    let quiet = if start_min < end_min {
        (start_min..end_min).contains(&minute)
    } else {
        minute >= start_min || minute < end_min
    };
    if !quiet {
        return None;
    }
    // The window ends today, or (wrapping, before midnight) tomorrow.
    let days_ahead = i64::from(start_min > end_min && minute >= start_min);
    let date = now
        .date()
        .checked_add(jiff::Span::new().days(days_ahead))
        .ok()?;
    local_instant(date, end_min, tz)
}

/// `minute` after midnight on `date` in `tz` (a time skipped by a DST gap
/// moves forward; a repeated one takes its first occurrence).
fn local_instant(date: jiff::civil::Date, minute: i64, tz: &TimeZone) -> Option<i64> {
    let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
    let zoned = date.to_datetime(time).to_zoned(tz.clone()).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn ny() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    #[test]
    fn a_daytime_window() {
        // 10:00 in New York (EST, UTC-5): quiet 09:00–11:00 ends at 11:00.
        let now = ms("2026-11-23T15:00:00Z");
        assert_eq!(
            quiet_until(now, &ny(), 540, 660),
            Some(ms("2026-11-23T16:00:00Z"))
        );
        assert_eq!(quiet_until(now, &ny(), 660, 720), None);
    }

    #[test]
    fn edges_start_is_quiet_end_is_not() {
        let start = ms("2026-11-23T14:00:00Z"); // 09:00 local
        let end = ms("2026-11-23T16:00:00Z"); // 11:00 local
        assert_eq!(quiet_until(start, &ny(), 540, 660), Some(end));
        assert_eq!(quiet_until(end, &ny(), 540, 660), None);
    }

    #[test]
    fn a_window_across_midnight() {
        // 22:00–07:00 in London (GMT in November).
        let london = TimeZone::get("Europe/London").unwrap();
        let late = ms("2026-11-23T23:30:00Z");
        let early = ms("2026-11-24T03:00:00Z");
        let end = ms("2026-11-24T07:00:00Z");
        assert_eq!(quiet_until(late, &london, 1320, 420), Some(end));
        assert_eq!(quiet_until(early, &london, 1320, 420), Some(end));
        assert_eq!(
            quiet_until(ms("2026-11-24T12:00:00Z"), &london, 1320, 420),
            None
        );
    }

    #[test]
    fn daylight_saving_is_respected() {
        // 2026-03-08: New York springs forward at 02:00. Quiet 00:00–03:00
        // ends at 03:00 EDT = 07:00 UTC, not 08:00.
        let now = ms("2026-03-08T06:00:00Z"); // 01:00 EST
        assert_eq!(
            quiet_until(now, &ny(), 0, 180),
            Some(ms("2026-03-08T07:00:00Z"))
        );
    }

    #[test]
    fn no_window_and_bad_minutes_mean_never_quiet() {
        let now = ms("2026-11-23T15:00:00Z");
        assert_eq!(quiet_until(now, &ny(), 600, 600), None);
        assert_eq!(quiet_until(now, &ny(), -1, 600), None);
        assert_eq!(quiet_until(now, &ny(), 0, 1440), None);
    }
}
