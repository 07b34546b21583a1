//! Property tests of the ICS reader: any text, and the reference calendars
//! (`tests/data/shared/ics/`) with lines cut, repeated, swapped or replaced
//! by hostile ones (endless or zero-interval rules, dates at the ends of
//! time, unknown zones, unbalanced components), give occurrences or an
//! `IcsError`, never a panic, over any span. 256 cases per property;
//! `PROPTEST_CASES` raises it (`cargo xtask fuzz` runs 10 000).

use crate::calendar::{Span, occurrences};
use jiff::civil::{Date, date};
use proptest::prelude::*;

const REAL: &[&str] = &[
    include_str!("../../../tests/data/shared/ics/icaljs_recur_instances.ics"),
    include_str!("../../../tests/data/shared/ics/rie_daylight_saving_time.ics"),
    include_str!("../../../tests/data/shared/ics/rie_each_week_but_two_deleted.ics"),
    include_str!("../../../tests/data/shared/ics/rie_issue_148_exdate_and_rdate_unedited.ics"),
    include_str!("../../../tests/data/shared/ics/rie_issue_20_exdate_ignored.ics"),
    include_str!("../../../tests/data/shared/ics/rie_issue_48_dst.ics"),
    include_str!("../../../tests/data/shared/ics/rie_issue_62_moved_event_2.ics"),
    include_str!("../../../tests/data/shared/ics/rie_one_day_event_repeat_every_day.ics"),
    include_str!("../../../tests/data/shared/ics/rie_recurring_events_moved.ics"),
];

/// Lines a broken exporter or a hostile sender might write.
const LINES: &[&str] = &[
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "BEGIN:STANDARD",
    "END:DAYLIGHT",
    "UID:x",
    "DTSTART:20261124T100000Z",
    "DTSTART:99991231T235959Z",
    "DTSTART:00010101T000000",
    "DTSTART;VALUE=DATE:20261124",
    "DTSTART;TZID=Nowhere/Zone:20261124T100000",
    "DTSTART;TZID=W. Europe Standard Time:20261124T100000",
    "DTEND:19700101T000000Z",
    "DURATION:P99999999W",
    "DURATION:-PT1H",
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=MINUTELY;INTERVAL=0",
    "RRULE:FREQ=DAILY;COUNT=4294967295",
    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=MONTHLY;BYDAY=-53MO;BYSETPOS=-366",
    "RRULE:FREQ=WEEKLY;UNTIL=00000000T000000Z",
    "RRULE:FREQ=BOGUS",
    "EXDATE:20261124T100000Z,garbage",
    "RDATE;VALUE=PERIOD:20261124T100000Z/PT1H",
    "RDATE:99999999T999999Z",
    "RECURRENCE-ID:20261124T100000Z",
    "RECURRENCE-ID;RANGE=THISANDFUTURE:20261124T100000Z",
    "TZOFFSETFROM:+9999",
    "TZOFFSETTO:-0000",
    "STATUS:CANCELLED",
    "TRANSP:TRANSPARENT",
    " folded continuation",
    "SUMMARY:\u{0}é\u{202e}",
    "",
];

#[derive(Debug, Clone)]
enum Edit {
    Cut(usize, usize),
    Repeat(usize),
    Swap(usize, usize),
    Insert(usize, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..4usize).prop_map(|(a, n)| Edit::Cut(a, n)),
        any::<usize>().prop_map(Edit::Repeat),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<usize>(), prop::sample::select(LINES)).prop_map(|(a, l)| Edit::Insert(a, l)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    for e in edits {
        let n = lines.len().max(1);
        match *e {
            Edit::Cut(a, k) => {
                let a = a % n;
                lines.drain(a..(a + k).min(lines.len()));
            }
            Edit::Repeat(a) => {
                if let Some(l) = lines.get(a % n).copied() {
                    lines.insert(a % n, l);
                }
            }
            Edit::Swap(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Edit::Insert(a, l) => lines.insert(a % (lines.len() + 1), l),
        }
    }
    lines.join("\r\n")
}

/// Up to five weeks somewhere between 1900 and 2200, or the far ends of
/// the calendar.
fn span() -> impl Strategy<Value = Span> {
    let start = prop_oneof![
        (0..365 * 300i32).prop_map(|d| date(1900, 1, 1) + jiff::Span::new().days(d)),
        Just(Date::MIN),
        Just(date(9999, 12, 1)),
    ];
    (start, 0..35i32).prop_map(|(from, days)| Span {
        from,
        to: from.saturating_add(jiff::Span::new().days(days)),
    })
}

#[test]
fn the_reference_calendars_read() {
    let s = Span {
        from: date(2000, 1, 1),
        to: date(2000, 2, 1),
    };
    for text in REAL {
        assert!(occurrences(text, s).is_ok());
    }
}

#[test]
fn an_end_past_the_calendars_range_is_dropped_not_a_panic() {
    // Found by `line_soup_reads_or_is_refused`: the end, 99 999 999 weeks
    // on, overflowed `DateTime + TimeDelta`.
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDURATION:P99999999W\r\n\
               DTSTART:20261124T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let s = Span {
        from: date(2026, 11, 23),
        to: date(2026, 11, 30),
    };
    assert!(occurrences(ics, s).is_ok_and(|found| found.is_empty()));
}

proptest! {
    #[test]
    fn any_text_reads_or_is_refused(text in "\\PC{0,300}", span in span()) {
        let _ = occurrences(&text, span);
    }

    #[test]
    fn line_soup_reads_or_is_refused(lines in prop::collection::vec(prop::sample::select(LINES), 0..40), span in span()) {
        let _ = occurrences(&lines.join("\r\n"), span);
    }

    #[test]
    fn edited_reference_calendars_read_or_are_refused(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
        span in span(),
    ) {
        let text = apply(REAL[pick.index(REAL.len())], &edits);
        if let Ok(found) = occurrences(&text, span) {
            prop_assert!(found.len() <= 20_000 * text.lines().count().max(1), "{} occurrences", found.len());
        }
    }
}
