//! How calcard is driven for one event: the calendar's VTIMEZONE blocks
//! copied once ([`Zones`]), each event expanded alone against them, its
//! RRULE bounded to the window first ([`Zones::bounded`], [`advance`]), and
//! DTSTART-like values (RECURRENCE-ID, EXDATE) resolved as DTSTART would be.

use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarFrequency,
    ICalendarProperty, ICalendarValue,
};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};

/// Most instances generated for one recurring event (a daily event kept for
/// twenty years stays well under it).
const MAX_INSTANCES: usize = 20_000;

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl Bounds {
    /// Whether an occurrence ending at `end` (seconds since the epoch, local
    /// or UTC) ends too early to matter.
    pub fn before(&self, end: i64) -> bool {
        self.from
            .is_some_and(|f| end < f.and_utc().timestamp() - 2 * 86_400)
    }
}

/// Move a daily or weekly rule without COUNT on by whole periods
/// (INTERVAL days or weeks, so every instance, weekday and week parity stay
/// the same) until its DTSTART lies within one period of two weeks before
/// `from`, moving DTEND alike. Expansion then starts near the window instead
/// of years back. A DTSTART that did not match its own rule (still an
/// instance by RFC 5545) lands before the window, where it is dropped.
pub fn advance(c: &mut ICalendarComponent, from: NaiveDateTime) {
    let Some(rule) = c
        .entries
        .iter()
        .find_map(|e| match (&e.name, e.values.first()) {
            (ICalendarProperty::Rrule, Some(ICalendarValue::RecurrenceRule(r))) => Some(r.clone()),
            _ => None,
        })
    else {
        return;
    };
    let unit = match rule.freq {
        ICalendarFrequency::Daily => 1,
        ICalendarFrequency::Weekly => 7,
        _ => return,
    };
    if rule.count.is_some() {
        return;
    }
    let period = unit * i64::from(rule.interval.unwrap_or(1).max(1));
    let Some(start) = c
        .entries
        .iter()
        .find_map(|e| match (&e.name, e.values.first()) {
            (ICalendarProperty::Dtstart, Some(ICalendarValue::PartialDateTime(d))) => {
                d.to_date_time()
            }
            _ => None,
        })
    else {
        return;
    };
    let target = from - chrono::TimeDelta::days(14);
    let gap = (target - start.date_time).num_days();
    if gap < period {
        return;
    }
    let shift = chrono::TimeDelta::days(gap / period * period);
    let until_ok = rule
        .until
        .as_ref()
        .and_then(|u| u.to_date_time())
        .is_none_or(|u| u.date_time > start.date_time + shift);
    if !until_ok {
        return;
    }
    for e in &mut c.entries {
        if !matches!(
            e.name,
            ICalendarProperty::Dtstart | ICalendarProperty::Dtend
        ) {
            continue;
        }
        if let Some(ICalendarValue::PartialDateTime(d)) = e.values.first_mut()
            && let Some(n) = d.to_date_time()
        {
            let moved = n.date_time + shift;
            d.year = u16::try_from(moved.year()).ok();
            d.month = Some(moved.month() as u8);
            d.day = Some(moved.day() as u8);
        }
    }
}

pub fn partial(n: &NaiveDateTime) -> PartialDateTime {
    PartialDateTime {
        year: u16::try_from(n.year()).ok(),
        month: Some(n.month() as u8),
        day: Some(n.day() as u8),
        hour: Some(n.hour() as u8),
        minute: Some(n.minute() as u8),
        second: Some(n.second() as u8),
        tz_hour: None,
        tz_minute: None,
        tz_minus: false,
    }
}

/// The calendar's VTIMEZONE blocks, copied once into a small calendar each
/// event is expanded against.
pub struct Zones {
    base: Vec<ICalendarComponent>,
}

impl Zones {
    pub fn of(cal: &ICalendar) -> Zones {
        let mut base = Vec::new();
        for tz in cal.timezones() {
            let mut copy = tz.clone();
            copy.component_ids.clear();
            if tz.timezone().is_none()
                && let Some(zone) = crate::vtimezone::guess(tz, &cal.components)
            {
                copy.entries.push(crate::vtimezone::location(zone));
            }
            let first_child = base.len() as u32 + 1;
            let children: Vec<ICalendarComponent> = tz
                .component_ids
                .iter()
                .filter_map(|id| cal.components.get(*id as usize))
                .map(|c| ICalendarComponent {
                    component_ids: Vec::new(),
                    ..c.clone()
                })
                .collect();
            copy.component_ids = (first_child..first_child + children.len() as u32).collect();
            base.push(copy);
            base.extend(children);
        }
        Zones { base }
    }

    /// `comp` with its RRULE's UNTIL made expandable by calcard, which reads
    /// UNTIL as a floating time: a UTC UNTIL becomes the same instant in
    /// DTSTART's zone (else the last instance east of UTC is lost); a rule
    /// without COUNT ends at the bounds' end, and a daily or weekly one
    /// without COUNT starts a little before the bounds (see [`advance`]).
    pub fn bounded(&self, comp: &ICalendarComponent, bounds: Bounds) -> ICalendarComponent {
        let horizon = bounds.to;
        let mut c = comp.clone();
        let start_tz = c
            .entries
            .iter()
            .find(|e| e.name == ICalendarProperty::Dtstart)
            .and_then(|e| self.start_of(e))
            .map(|s| s.timezone());
        for e in c
            .entries
            .iter_mut()
            .filter(|e| e.name == ICalendarProperty::Rrule)
        {
            for v in &mut e.values {
                let ICalendarValue::RecurrenceRule(rule) = v else {
                    continue;
                };
                if let (Some(u), Some(tz)) = (&rule.until, start_tz)
                    && u.tz_hour.is_some()
                    && !tz.is_floating()
                    && let Some(at) = u.to_date_time_with_tz(Tz::UTC)
                {
                    rule.until = Some(partial(&at.with_timezone(&tz).naive_local()));
                }
                if rule.count.is_none()
                    && let Some(h) = horizon
                {
                    let later = rule
                        .until
                        .as_ref()
                        .and_then(|u| u.to_date_time())
                        .is_none_or(|u| u.date_time > h);
                    if later {
                        rule.until = Some(partial(&h));
                    }
                }
            }
        }
        if let Some(from) = bounds.from {
            advance(&mut c, from);
        }
        c
    }

    /// The occurrences of `comp` (without the properties in `skip`), as
    /// calcard expands them, each with its end.
    pub fn expand(
        &self,
        comp: &ICalendarComponent,
        skip: &[ICalendarProperty],
        bounds: Bounds,
    ) -> Vec<(DateTime<Tz>, DateTime<Tz>)> {
        let mut event = comp.clone();
        event.component_ids.clear();
        event.entries.retain(|e| !skip.contains(&e.name));
        let mut components = self.base.clone();
        components.push(event);
        let cal = ICalendar { components };
        let expanded = cal.expand_dates(Tz::Floating, MAX_INSTANCES);
        expanded
            .events
            .into_iter()
            .filter_map(|ev| {
                let (s, e) = ev.timestamps();
                if bounds.before(e) {
                    return None;
                }
                let start = ev.start;
                match ev.try_into_date_time() {
                    Some(done) => Some((done.start, done.end)),
                    // An end in a DST gap: keep the length in seconds. An
                    // end past the calendar's range (a DURATION of a
                    // million years) drops the occurrence.
                    None => e
                        .checked_sub(s)
                        .and_then(chrono::TimeDelta::try_seconds)
                        .and_then(|d| start.checked_add_signed(d))
                        .map(|end| (start, end)),
                }
            })
            .collect()
    }

    /// The instant a DTSTART-like entry names (a RECURRENCE-ID or one EXDATE
    /// value), resolved as the event's DTSTART would be.
    pub fn start_of(&self, entry: &ICalendarEntry) -> Option<DateTime<Tz>> {
        let comp = ICalendarComponent {
            component_type: ICalendarComponentType::VEvent,
            entries: vec![ICalendarEntry {
                name: ICalendarProperty::Dtstart,
                params: entry.params.clone(),
                values: entry.values.iter().take(1).cloned().collect(),
            }],
            component_ids: Vec::new(),
        };
        let all = Bounds {
            from: None,
            to: None,
        };
        self.expand(&comp, &[], all).first().map(|(s, _)| *s)
    }

    /// As [`Zones::start_of`], for an EXDATE or RECURRENCE-ID of `event`: a
    /// value with neither TZID nor `Z` takes the event's DTSTART zone.
    pub fn start_of_with(
        &self,
        entry: &ICalendarEntry,
        event: &ICalendarComponent,
    ) -> Option<DateTime<Tz>> {
        let utc_or_zoned = matches!(entry.values.first(), Some(ICalendarValue::PartialDateTime(d)) if d.tz_hour.is_some())
            || entry.tz_id().is_some();
        if utc_or_zoned {
            return self.start_of(entry);
        }
        let mut e = entry.clone();
        if let Some(start) = event
            .entries
            .iter()
            .find(|x| x.name == ICalendarProperty::Dtstart)
        {
            e.params = start.params.clone();
        }
        self.start_of(&e)
    }
}
