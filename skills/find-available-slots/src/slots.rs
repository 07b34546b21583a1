//! Free time: the rep's working hours on business days, less public
//! holidays of either side, quiet hours and busy time (padded by the
//! buffer), cut into candidate meetings on the half hour, each scored for
//! both sides; then the best few, spread over different days. When the
//! search is `strict`, only the days and part of the day they asked for
//! (read in their zone) are offered, and any time they proposed.
//!
//! Pure: every input (zones, busy intervals, "now") is given.

use crate::holidays::Holidays;
use baton_sdk::scheduling::PartOfDay;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// Candidate starts are this far apart.
const STEP_MIN: i64 = 30;
/// The prospect's business hours, in minutes after their local midnight.
const THEIR_DAY: (i64, i64) = (9 * 60, 17 * 60);

/// The rep's day, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub working_start: i64,
    pub working_end: i64,
    /// Quiet hours (no meetings), possibly across midnight.
    pub quiet: Option<(i64, i64)>,
}

/// What the search needs.
pub struct Search<'a> {
    pub rep_tz: &'a TimeZone,
    pub prospect_tz: Option<&'a TimeZone>,
    pub hours: Hours,
    /// Days searched: `[first, end)` in the rep's zone.
    pub first: Date,
    pub end: Date,
    pub duration: SignedDuration,
    pub buffer: SignedDuration,
    /// Busy intervals `[start, end)`, any order, not yet padded.
    pub busy: &'a [(Timestamp, Timestamp)],
    /// No slot starts before this.
    pub not_before: Timestamp,
    pub part_of_day: Option<PartOfDay>,
    /// Days of the week the prospect asked for.
    pub days: &'a [Weekday],
    /// Times the prospect proposed.
    pub proposed: &'a [(Timestamp, Timestamp)],
    /// Days either side has off.
    pub holidays: &'a Holidays,
    /// Offer only the days and part of the day asked for.
    pub strict: bool,
}

impl Search<'_> {
    /// Whether they asked for something a strict search keeps to.
    pub fn asked(&self) -> bool {
        !self.days.is_empty() || self.part_of_day.is_some()
    }

    /// Whether `[start, end)` is on a day and in the part of the day they
    /// asked for, read in their zone (else the rep's).
    fn as_asked(&self, start: Timestamp, end: Timestamp) -> bool {
        let tz = self.prospect_tz.unwrap_or(self.rep_tz);
        let day = start.to_zoned(tz.clone()).weekday();
        let (a, b) = local_minutes(start, end, tz);
        let part = match self.part_of_day {
            Some(PartOfDay::Morning) => b <= 12 * 60,
            Some(PartOfDay::Afternoon) => a >= 12 * 60,
            None => true,
        };
        part && (self.days.is_empty() || self.days.contains(&day))
    }
}

/// One candidate meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
    pub score: f64,
    pub reasons: Vec<&'static str>,
    pub warning: Option<String>,
}

/// Every free slot in the search, scored, in time order.
pub fn free_slots(s: &Search) -> Vec<Slot> {
    let mut busy: Vec<(Timestamp, Timestamp)> = s
        .busy
        .iter()
        .map(|(a, b)| {
            (
                a.checked_sub(s.buffer).unwrap_or(*a),
                b.checked_add(s.buffer).unwrap_or(*b),
            )
        })
        .collect();
    busy.sort();
    let days = business_days(s.first, s.end);
    let mut out = Vec::new();
    for (index, day) in days.iter().enumerate() {
        let mut minute = round_up(s.hours.working_start, STEP_MIN);
        let length = s.duration.as_mins();
        while minute + length <= s.hours.working_end {
            if let Some(slot) = candidate(s, *day, minute, index, days.len(), &busy) {
                out.push(slot);
            }
            minute += STEP_MIN;
        }
    }
    out
}

fn candidate(
    s: &Search,
    day: Date,
    minute: i64,
    index: usize,
    count: usize,
    busy: &[(Timestamp, Timestamp)],
) -> Option<Slot> {
    let length = s.duration.as_mins();
    if s.hours
        .quiet
        .is_some_and(|q| in_quiet(q, minute, minute + length))
    {
        return None;
    }
    let local = day.to_datetime(Time::midnight()) + minute.minutes();
    let start = local.to_zoned(s.rep_tz.clone()).ok()?.timestamp();
    let end = start.checked_add(s.duration).ok()?;
    if start < s.not_before {
        return None;
    }
    if busy.iter().any(|(a, b)| *a < end && start < *b) || s.holidays.at(start).is_some() {
        return None;
    }
    let proposed = s.proposed.iter().any(|(a, b)| *a <= start && end <= *b);
    if s.strict && !proposed && !s.as_asked(start, end) {
        return None;
    }
    let mut reasons = Vec::new();
    let mut score = 0.0;
    // Sooner is better.
    let soon = 1.0 - index as f64 / count.max(1) as f64;
    score += 0.25 * soon;
    if index < count.div_ceil(3) {
        reasons.push("sooner");
    }
    // The part of the day asked for, else mornings a little over afternoons.
    let rep_part = if minute < 12 * 60 {
        PartOfDay::Morning
    } else {
        PartOfDay::Afternoon
    };
    match s.part_of_day {
        Some(p) if p == rep_part => {
            score += 0.2;
            reasons.push("the part of the day they asked for");
        }
        Some(_) => {}
        None if rep_part == PartOfDay::Morning && minute >= 9 * 60 => {
            score += 0.15;
            reasons.push("morning");
        }
        None if minute >= 13 * 60 && minute + length <= 16 * 60 => {
            score += 0.1;
            reasons.push("afternoon");
        }
        None => {}
    }
    let weekday = day.weekday();
    if !s.days.is_empty() {
        if s.days.contains(&weekday) {
            score += 0.15;
            reasons.push("a day they asked for");
        }
    } else if matches!(
        weekday,
        Weekday::Tuesday | Weekday::Wednesday | Weekday::Thursday
    ) {
        score += 0.15;
        reasons.push("mid-week");
    } else {
        score += 0.05;
    }
    let mut warning = None;
    match s.prospect_tz {
        Some(tz) => {
            let (a, b) = local_minutes(start, end, tz);
            if a >= THEIR_DAY.0 && b <= THEIR_DAY.1 {
                score += 0.3;
                reasons.push("inside their business hours");
            } else {
                warning = Some(warn(a, b, "them", "their"));
            }
        }
        None => score += 0.3,
    }
    if warning.is_none() {
        let (a, b) = local_minutes(start, end, s.rep_tz);
        if a < THEIR_DAY.0 || b > THEIR_DAY.1 {
            warning = Some(warn(a, b, "you", "your"));
        }
    }
    if proposed {
        score += 0.3;
        reasons.push("they proposed it");
    }
    Some(Slot {
        start,
        end,
        score: (score / 1.2).min(1.0),
        reasons,
        warning,
    })
}

/// "⚠️ early for them (8:00 their time)" or "⚠️ late for them (17:30 their
/// time)" for a meeting from local minute `a` to `b`.
pub fn warn(a: i64, b: i64, who: &str, whose: &str) -> String {
    if a < THEIR_DAY.0 {
        format!("⚠️ early for {who} ({} {whose} time)", clock(a))
    } else {
        format!("⚠️ late for {who} ({} {whose} time)", clock(b))
    }
}

fn clock(minute: i64) -> String {
    let m = minute.rem_euclid(24 * 60);
    format!("{}:{:02}", m / 60, m % 60)
}

/// Start and end of `[start, end)` in minutes after `tz`'s local midnight of
/// the start (an end past midnight counts on).
fn local_minutes(start: Timestamp, end: Timestamp, tz: &TimeZone) -> (i64, i64) {
    let z = start.to_zoned(tz.clone());
    let a = i64::from(z.hour()) * 60 + i64::from(z.minute());
    (a, a + end.duration_since(start).as_mins())
}

fn in_quiet((qs, qe): (i64, i64), a: i64, b: i64) -> bool {
    let overlaps = |x: i64, y: i64| a < y && x < b;
    if qs <= qe {
        overlaps(qs, qe)
    } else {
        overlaps(qs, 24 * 60) || overlaps(0, qe)
    }
}

fn round_up(m: i64, step: i64) -> i64 {
    (m + step - 1).div_euclid(step) * step
}

/// Monday to Friday in `[first, end)`.
pub fn business_days(first: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = first;
    while d < end {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            out.push(d);
        }
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

/// The date `n` business days after `from` (exclusive end of a window of
/// `n` business days starting with `from`'s next business day or itself).
pub fn after_business_days(from: Date, n: usize) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    d
}

/// The best `max` slots: highest score first, at most one per day while
/// other days have room, never overlapping.
pub fn best(mut all: Vec<Slot>, max: usize, rep_tz: &TimeZone) -> Vec<Slot> {
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    let day = |s: &Slot| s.start.to_zoned(rep_tz.clone()).date();
    let mut chosen: Vec<Slot> = Vec::new();
    for s in &all {
        if chosen.len() == max {
            break;
        }
        if chosen.iter().all(|c| day(c) != day(s)) {
            chosen.push(s.clone());
        }
    }
    for s in &all {
        if chosen.len() == max {
            break;
        }
        if chosen.iter().all(|c| c.end <= s.start || s.end <= c.start) {
            chosen.push(s.clone());
        }
    }
    chosen.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    chosen
}
