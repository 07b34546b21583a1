//! A VTIMEZONE whose TZID calcard cannot name (not IANA, not a Windows
//! name, no X-LIC-LOCATION: e.g. Outlook's `tzone://Microsoft/Custom`) is
//! matched to a well-known zone by its current rules: standard and daylight
//! offsets and the month daylight time starts. calcard resolves zones by
//! name only, so the match is written into the block as X-LIC-LOCATION.
//!
//! Covers the common rule sets (North America, the EU, south-east
//! Australia, New Zealand) and zones without daylight time; anything else
//! stays unresolved and its times are read as floating.

use calcard::icalendar::{
    ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarProperty, ICalendarValue,
};

/// (standard offset, daylight offset, month daylight time starts) in
/// minutes east of UTC → zone.
const WITH_DST: &[(i32, i32, u8, &str)] = &[
    (-210, -150, 3, "America/St_Johns"),
    (-240, -180, 3, "America/Halifax"),
    (-300, -240, 3, "America/New_York"),
    (-360, -300, 3, "America/Chicago"),
    (-420, -360, 3, "America/Denver"),
    (-480, -420, 3, "America/Los_Angeles"),
    (-540, -480, 3, "America/Anchorage"),
    (0, 60, 3, "Europe/London"),
    (60, 120, 3, "Europe/Berlin"),
    (120, 180, 3, "Europe/Helsinki"),
    (570, 630, 10, "Australia/Adelaide"),
    (600, 660, 10, "Australia/Sydney"),
    (720, 780, 9, "Pacific/Auckland"),
];

/// Standard offset → zone, for blocks without daylight time.
const WITHOUT_DST: &[(i32, &str)] = &[
    (-600, "Pacific/Honolulu"),
    (-420, "America/Phoenix"),
    (0, "UTC"),
    (180, "Europe/Moscow"),
    (240, "Asia/Dubai"),
    (330, "Asia/Kolkata"),
    (480, "Asia/Singapore"),
    (540, "Asia/Tokyo"),
    (600, "Australia/Brisbane"),
];

/// One STANDARD or DAYLIGHT observance.
struct Observance {
    daylight: bool,
    offset_to: i32,
    month: u8,
    year: u16,
    recurring: bool,
}

/// The zone `tz` (a VTIMEZONE, its observances in `all`) most likely means.
pub fn guess(tz: &ICalendarComponent, all: &[ICalendarComponent]) -> Option<&'static str> {
    let observances: Vec<Observance> = tz
        .component_ids
        .iter()
        .filter_map(|id| all.get(*id as usize))
        .filter_map(observance)
        .collect();
    // The rules in force: the recurring ones, else the latest of each kind.
    let current = |daylight: bool| {
        observances
            .iter()
            .filter(|o| o.daylight == daylight)
            .max_by_key(|o| (o.recurring, o.year))
    };
    let standard = current(false)?;
    match current(true) {
        Some(d) if d.recurring == standard.recurring && d.year + 1 >= standard.year => WITH_DST
            .iter()
            .find(|(s, dl, m, _)| *s == standard.offset_to && *dl == d.offset_to && *m == d.month)
            .map(|(_, _, _, name)| *name),
        _ => WITHOUT_DST
            .iter()
            .find(|(s, _)| *s == standard.offset_to)
            .map(|(_, name)| *name),
    }
}

fn observance(c: &ICalendarComponent) -> Option<Observance> {
    let daylight = match c.component_type {
        ICalendarComponentType::Daylight => true,
        ICalendarComponentType::Standard => false,
        _ => return None,
    };
    let mut o = Observance {
        daylight,
        offset_to: 0,
        month: 0,
        year: 0,
        recurring: false,
    };
    for e in &c.entries {
        match (&e.name, e.values.first()) {
            (ICalendarProperty::Tzoffsetto, Some(ICalendarValue::PartialDateTime(p))) => {
                let minutes = i32::from(p.tz_hour?) * 60 + i32::from(p.tz_minute.unwrap_or(0));
                o.offset_to = if p.tz_minus { -minutes } else { minutes };
            }
            (ICalendarProperty::Dtstart, Some(ICalendarValue::PartialDateTime(p))) => {
                o.month = p.month?;
                o.year = p.year?;
            }
            (ICalendarProperty::Rrule, Some(_)) => o.recurring = true,
            _ => {}
        }
    }
    Some(o)
}

/// The X-LIC-LOCATION entry naming `zone`.
pub fn location(zone: &str) -> ICalendarEntry {
    ICalendarEntry {
        name: ICalendarProperty::Other("X-LIC-LOCATION".into()),
        params: Vec::new(),
        values: vec![ICalendarValue::Text(zone.to_owned())],
    }
}
