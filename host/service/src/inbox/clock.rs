//! Times as a rep reads them, in their own zone: "in 2 h", "5 min ago",
//! "today 14:30", "tomorrow 09:00", "Mon 30 Nov 09:00". The zone comes
//! from the preferences of the rep a page is about (the signed-in rep, or
//! the rep a gate or job belongs to when an operator signed in by token).

use crate::App;
use crate::problem::Problem;
use baton_engine::store::{OrgId, UserId};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// A rep's zone and the moment the page was drawn.
#[derive(Debug, Clone)]
pub struct RepClock {
    tz: TimeZone,
    now: i64,
}

impl RepClock {
    /// The clock for `tz` (an IANA name; UTC when unknown) at `now` (ms).
    pub fn new(tz: &str, now: i64) -> RepClock {
        RepClock {
            tz: TimeZone::get(tz).unwrap_or(TimeZone::UTC),
            now,
        }
    }

    /// The clock of `user` in `org`, from their preferences.
    pub async fn of(app: &App, org: &OrgId, user: &UserId) -> Result<RepClock, Problem> {
        let prefs = app.store().preferences(org, user).await?;
        Ok(RepClock::new(&prefs.timezone, app.now()))
    }

    /// The moment the page was drawn (ms since the epoch).
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The rep's zone.
    pub fn zone(&self) -> &TimeZone {
        &self.tz
    }

    fn zoned(&self, ms: i64) -> Option<Zoned> {
        Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned(self.tz.clone()))
    }

    /// The zone's abbreviation at `ms` ("EST", "GMT").
    pub fn zone_name(&self, ms: i64) -> String {
        self.zoned(ms)
            .map(|z| z.strftime("%Z").to_string())
            .unwrap_or_default()
    }

    /// A moment by the rep's calendar: "today 14:30", "tomorrow 09:00",
    /// "yesterday 17:05", "Mon 30 Nov 09:00", "Mon 30 Nov 2027 09:00".
    pub fn at(&self, ms: i64) -> String {
        let (Some(then), Some(now)) = (self.zoned(ms), self.zoned(self.now)) else {
            return String::new();
        };
        let days = (then.date() - now.date()).get_days();
        let clock = then.strftime("%H:%M");
        match days {
            0 => format!("today {clock}"),
            1 => format!("tomorrow {clock}"),
            -1 => format!("yesterday {clock}"),
            _ if then.year() == now.year() => format!("{} {clock}", then.strftime("%a %-d %b")),
            _ => format!("{} {clock}", then.strftime("%a %-d %b %Y")),
        }
    }

    /// How far `ms` is from now, in words: "in 2 h", "in 40 min",
    /// "5 min ago", "just now".
    pub fn relative(&self, ms: i64) -> String {
        let delta = ms - self.now;
        let span = span_words(delta.unsigned_abs());
        match span {
            None => "just now".into(),
            Some(s) if delta > 0 => format!("in {s}"),
            Some(s) => format!("{s} ago"),
        }
    }
}

/// A length of time, rounded to what a person would say; `None` under a
/// minute.
fn span_words(ms: u64) -> Option<String> {
    const MIN: u64 = 60_000;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    Some(match ms {
        m if m < MIN => return None,
        m if m < HOUR => format!("{} min", m / MIN),
        m if m < 2 * DAY => format!("{} h", (m + HOUR / 2) / HOUR),
        m => format!("{} days", (m + DAY / 2) / DAY),
    })
}

#[cfg(test)]
mod tests {
    use super::RepClock;

    // Tuesday 24 November 2026, 17:00 UTC = 12:00 in New York.
    const NOW: i64 = 1_795_539_600_000;

    #[test]
    fn moments_read_in_the_reps_zone() {
        let ny = RepClock::new("America/New_York", NOW);
        assert_eq!(ny.at(NOW), "today 12:00");
        assert_eq!(ny.at(NOW + 21 * 3_600_000), "tomorrow 09:00");
        assert_eq!(ny.at(NOW + 6 * 86_400_000), "Mon 30 Nov 12:00");
        let london = RepClock::new("Europe/London", NOW);
        assert_eq!(london.at(NOW), "today 17:00");
        assert_eq!(london.zone_name(NOW), "GMT");
        assert_eq!(RepClock::new("Not/AZone", NOW).at(NOW), "today 17:00");
    }

    #[test]
    fn spans_read_as_a_person_says_them() {
        let c = RepClock::new("UTC", NOW);
        assert_eq!(c.relative(NOW + 2 * 3_600_000), "in 2 h");
        assert_eq!(c.relative(NOW - 5 * 60_000), "5 min ago");
        assert_eq!(c.relative(NOW + 20_000), "just now");
        assert_eq!(c.relative(NOW + 3 * 86_400_000), "in 3 days");
    }
}
