//! iCalendar text → the occurrences of its events, each with its start and
//! end in the shape the file gave them: an instant (`DTSTART` with `TZID` or
//! `Z`), a date (all-day) or a floating local time.
//!
//! Parsing, zone resolution (IANA names, VTIMEZONE blocks, Windows names)
//! and RRULE/EXDATE/RDATE expansion are `calcard`'s. Its `expand_dates`
//! treats a calendar as one CalDAV resource (one UID) and pairs a
//! RECURRENCE-ID with its master by SEQUENCE, which real files break (the
//! moved instance usually has a higher SEQUENCE), and it neither lets an
//! override replace an RDATE nor applies EXDATE to RDATEs. So each master is
//! expanded alone, and the overrides are applied here, matched by UID and by
//! the instant their RECURRENCE-ID names (resolved by calcard too).
//!
//! Never logs or returns anything but times, UIDs and summaries.

use crate::expand::{Bounds, Zones};
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarProperty,
    ICalendarStatus, ICalendarTransparency, ICalendarValue,
};
use calcard::{Entry, Parser};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};
use jiff::Timestamp;
use jiff::civil;
use std::collections::{BTreeMap, BTreeSet};

/// A start or end as the calendar gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// A zoned or UTC time.
    Instant(Timestamp),
    /// An all-day date.
    Date(civil::Date),
    /// A floating local time (no zone: the reader's own).
    Floating(civil::DateTime),
}

/// One occurrence of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub start: When,
    pub end: When,
    pub uid: String,
    pub summary: String,
    /// `TRANSP:TRANSPARENT`: shown, but not busy.
    pub transparent: bool,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
}

impl Occurrence {
    /// Whether this occurrence makes its owner busy.
    pub fn is_busy(&self) -> bool {
        !self.transparent && !self.cancelled
    }
}

/// Why a calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsError(pub String);

/// The days whose occurrences are wanted, `[from, to)`, as local midnights
/// (a zone's day may start up to 14 hours either side of UTC's: the caller
/// pads, then filters the window precisely).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: civil::Date,
    pub to: civil::Date,
}

impl Span {
    fn naive(d: civil::Date) -> Option<NaiveDateTime> {
        chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    }
}

/// The occurrences of every event in `ics` that may touch `span`. An
/// endless rule stops at the span's end; a daily or weekly one without COUNT
/// starts near the span (its DTSTART moved on by whole periods, which keeps
/// every instance); any rule stops after 20 000 instances.
pub fn occurrences(ics: &str, span: Span) -> Result<Vec<Occurrence>, IcsError> {
    let calendars = parse(ics)?;
    let bounds = Bounds {
        from: Span::naive(span.from),
        to: Span::naive(span.to),
    };
    let mut out = Vec::new();
    for cal in &calendars {
        expand_calendar(cal, bounds, &mut out);
    }
    Ok(out)
}

fn parse(ics: &str) -> Result<Vec<ICalendar>, IcsError> {
    let mut parser = Parser::new(ics);
    let mut calendars = Vec::new();
    loop {
        match parser.entry() {
            Entry::ICalendar(cal) => calendars.push(cal),
            Entry::Eof => break,
            // A stray line is skipped, as calendar clients do.
            Entry::InvalidLine(_) | Entry::VCard(_) => {}
            Entry::UnexpectedComponentEnd { expected, found } => {
                return Err(IcsError(format!(
                    "the calendar is not valid iCalendar: END:{found:?} where END:{expected:?} was expected"
                )));
            }
            Entry::UnterminatedComponent(c) => {
                return Err(IcsError(format!(
                    "the calendar is not valid iCalendar: BEGIN:{c} is never ended"
                )));
            }
            _ => {
                return Err(IcsError(
                    "the calendar has more components than can be read".into(),
                ));
            }
        }
    }
    // calcard closes an unterminated calendar itself; a cut-off download
    // must not pass for an empty week.
    let ended = ics
        .lines()
        .any(|l| l.trim().eq_ignore_ascii_case("END:VCALENDAR"));
    if !calendars.is_empty() && !ended {
        return Err(IcsError(
            "the calendar is cut short (no END:VCALENDAR)".into(),
        ));
    }
    if calendars.is_empty() {
        return Err(IcsError(
            "the calendar is not iCalendar text (no BEGIN:VCALENDAR … END:VCALENDAR)".into(),
        ));
    }
    Ok(calendars)
}

/// What one VEVENT says about itself.
struct Event<'a> {
    comp: &'a ICalendarComponent,
    uid: String,
    summary: String,
    transparent: bool,
    cancelled: bool,
    recurrence_id: Option<&'a ICalendarEntry>,
}

impl<'a> Event<'a> {
    fn read(comp: &'a ICalendarComponent) -> Self {
        let mut e = Event {
            comp,
            uid: String::new(),
            summary: String::new(),
            transparent: false,
            cancelled: false,
            recurrence_id: None,
        };
        for entry in &comp.entries {
            let value = entry.values.first();
            match (&entry.name, value) {
                (ICalendarProperty::Uid, Some(v)) => e.uid = v.as_text().unwrap_or("").to_owned(),
                (ICalendarProperty::Summary, Some(v)) => {
                    e.summary = v.as_text().unwrap_or("").to_owned()
                }
                (ICalendarProperty::Transp, Some(ICalendarValue::Transparency(t))) => {
                    e.transparent = *t == ICalendarTransparency::Transparent
                }
                (ICalendarProperty::Status, Some(ICalendarValue::Status(s))) => {
                    e.cancelled = *s == ICalendarStatus::Cancelled
                }
                (ICalendarProperty::RecurrenceId, Some(_)) => e.recurrence_id = Some(entry),
                _ => {}
            }
        }
        e
    }

    /// DTSTART is in UTC (`Z`): calcard hands such a rule's instances back
    /// as floating times, which are UTC wall times here.
    fn utc_start(&self) -> bool {
        self.comp.entries.iter().any(|e| {
            e.name == ICalendarProperty::Dtstart
                && matches!(e.values.first(), Some(ICalendarValue::PartialDateTime(d)) if d.tz_hour.is_some())
        })
    }

    fn all_day(&self) -> bool {
        self.comp.entries.iter().any(|e| {
            e.name == ICalendarProperty::Dtstart
                && matches!(e.values.first(), Some(ICalendarValue::PartialDateTime(d)) if !d.has_time())
        })
    }
}

fn expand_calendar(cal: &ICalendar, bounds: Bounds, out: &mut Vec<Occurrence>) {
    let zones = Zones::of(cal);
    let events: Vec<Event> = cal
        .components
        .iter()
        .filter(|c| c.component_type == ICalendarComponentType::VEvent)
        .map(Event::read)
        .collect();
    // Overrides by UID, with the instant each replaces.
    let mut overrides: BTreeMap<&str, Vec<(DateTime<Tz>, &Event)>> = BTreeMap::new();
    let mut masters = Vec::new();
    for e in &events {
        match e.recurrence_id {
            Some(rid) => {
                let at = zones.start_of_with(rid, e.comp);
                match at {
                    Some(at) => overrides.entry(e.uid.as_str()).or_default().push((at, e)),
                    None => masters.push(e),
                }
            }
            None => masters.push(e),
        }
    }
    for m in &masters {
        let exdates: Vec<DateTime<Tz>> = m
            .comp
            .entries
            .iter()
            .filter(|e| e.name == ICalendarProperty::Exdate)
            .flat_map(|e| {
                e.values.iter().map(move |v| ICalendarEntry {
                    name: ICalendarProperty::Dtstart,
                    params: e.params.clone(),
                    values: vec![v.clone()],
                })
            })
            .filter_map(|e| zones.start_of_with(&e, m.comp))
            .collect();
        let replaced = overrides.get(m.uid.as_str());
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        let master = zones.bounded(m.comp, bounds);
        for (start, end) in zones.expand(&master, &[], bounds) {
            if exdates.contains(&start)
                || !seen.insert(start.timestamp())
                || replaced.is_some_and(|r| r.iter().any(|(at, _)| *at == start))
            {
                continue;
            }
            out.push(occurrence(m, start, end));
        }
    }
    // Each override stands for one instance (its master's, or alone when the
    // master is missing from the file).
    for list in overrides.values() {
        for (_, e) in list {
            let skip = [
                ICalendarProperty::RecurrenceId,
                ICalendarProperty::Rrule,
                ICalendarProperty::Rdate,
                ICalendarProperty::Exdate,
            ];
            for (start, end) in zones.expand(e.comp, &skip, bounds).into_iter().take(1) {
                out.push(occurrence(e, start, end));
            }
        }
    }
}

fn occurrence(e: &Event, start: DateTime<Tz>, end: DateTime<Tz>) -> Occurrence {
    let floating = start.timezone().is_floating();
    let (start, end) = if floating && e.all_day() {
        (
            When::Date(civil_date(&start.naive_local())),
            When::Date(civil_date(&end.naive_local())),
        )
    } else if floating && e.utc_start() {
        let utc = |n: NaiveDateTime| {
            When::Instant(
                Timestamp::from_second(n.and_utc().timestamp()).unwrap_or(Timestamp::UNIX_EPOCH),
            )
        };
        (utc(start.naive_local()), utc(end.naive_local()))
    } else if floating {
        (
            When::Floating(civil_datetime(&start.naive_local())),
            When::Floating(civil_datetime(&end.naive_local())),
        )
    } else {
        (instant(&start), instant(&end))
    };
    Occurrence {
        start,
        end,
        uid: e.uid.clone(),
        summary: e.summary.clone(),
        transparent: e.transparent,
        cancelled: e.cancelled,
    }
}

fn instant(t: &DateTime<Tz>) -> When {
    When::Instant(Timestamp::from_second(t.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH))
}

fn civil_date(n: &NaiveDateTime) -> civil::Date {
    civil::Date::new(n.year() as i16, n.month() as i8, n.day() as i8).unwrap_or(civil::Date::ZERO)
}

fn civil_datetime(n: &NaiveDateTime) -> civil::DateTime {
    civil_date(n).at(n.hour() as i8, n.minute() as i8, n.second() as i8, 0)
}
