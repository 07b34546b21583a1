//! Everything the search needs, gathered and checked in one place: step
//! params, the parse step's request, the org tier's zone and hours, the
//! prospect's zone, "now", the window, and the calendars (inline or from the
//! tier-3 `calendar` provider). Bad input is refused here with a message
//! naming it; an unreachable calendar is a note, never an error.

use crate::calendar::{self, Occurrence};
use crate::slots::{self, Hours};
use baton_sdk::context::{self, External};
use baton_sdk::events::event_time;
use baton_sdk::http::{self, HttpError};
use baton_sdk::prelude::*;
use baton_sdk::scheduling::PartOfDay;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

const MAX_DURATION_MIN: i64 = 8 * 60;
const MAX_WINDOW_DAYS: i32 = 366;
const FETCH_TIMEOUT_MS: u32 = 5_000;

/// The step params; the manifest's input schema is derived from this.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_DURATION_MIN))]
    pub duration_min: Option<i64>,
    /// First day searched (`YYYY-MM-DD`, the rep's zone).
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub window_start: Option<String>,
    /// First day not searched (`YYYY-MM-DD`, exclusive).
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub window_end: Option<String>,
    #[serde(default)]
    #[schemars(range(min = 0, max = 120), extend("default" = 15))]
    pub buffer_min: Option<i64>,
    #[serde(default = "default_max_slots")]
    #[schemars(range(min = 3, max = 5))]
    pub max_slots: usize,
    #[serde(default)]
    pub list_busy: bool,
    #[serde(default = "default_step")]
    pub step: String,
}

fn default_max_slots() -> usize {
    4
}
fn default_step() -> String {
    "parse-scheduling-request".to_owned()
}

/// Whose calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Rep,
    Prospect,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rep => "rep",
            Source::Prospect => "prospect",
        }
    }
}

pub struct Inputs {
    pub params: Params,
    pub duration_min: i64,
    pub buffer_min: i64,
    pub rep_tz: TimeZone,
    pub rep_tz_name: String,
    /// The org profile's `country` (ISO 3166 alpha-2), when set.
    pub rep_country: Option<String>,
    pub prospect_tz: Option<TimeZone>,
    pub prospect_tz_name: Option<String>,
    pub hours: Hours,
    pub now: Timestamp,
    /// `[first, end)` in the rep's zone.
    pub window: (Date, Date),
    pub part_of_day: Option<PartOfDay>,
    pub days: Vec<Weekday>,
    pub proposed: Vec<(Timestamp, Timestamp)>,
    pub calendars: Vec<(Source, Vec<Occurrence>)>,
    pub notes: Vec<String>,
}

fn bad(m: impl Into<String>) -> SkillError {
    SkillError::InvalidInput(m.into())
}

impl Inputs {
    pub fn gather(input: &Input) -> Result<Inputs, SkillError> {
        let params: Params = input.params()?;
        if !(3..=5).contains(&params.max_slots) {
            return Err(bad(format!(
                "max_slots is {}; it must be 3, 4 or 5",
                params.max_slots
            )));
        }
        let empty = Value::Null;
        let req = input.previous(&params.step).unwrap_or(&empty);
        let payload = &input.event.payload;
        let mut notes = Vec::new();

        let duration_min = params
            .duration_min
            .or_else(|| req["duration_min"].as_i64())
            .unwrap_or(30);
        if duration_min <= 0 || duration_min > MAX_DURATION_MIN {
            return Err(bad(format!(
                "duration_min is {duration_min}; a meeting lasts 1 to {MAX_DURATION_MIN} minutes"
            )));
        }
        let buffer_min = params.buffer_min.unwrap_or(15);
        if !(0..=120).contains(&buffer_min) {
            return Err(bad(format!(
                "buffer_min is {buffer_min}; it must be 0 to 120"
            )));
        }

        let org = context::org()?.unwrap_or_default();
        // `{user}` in a calendar URL is the rep's handle (the event names
        // the rep by id).
        let rep = org
            .user
            .and_then(|u| u.handle)
            .unwrap_or_else(|| input.event.user.clone());
        let rep_country = org.org.as_ref().and_then(|o| {
            o.profile["country"]
                .as_str()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
        });
        let prefs = org.preferences.unwrap_or_default();
        let (rep_tz, rep_tz_name) = match prefs.timezone.as_deref() {
            Some(name) => zone(name, "the rep's time zone (preferences.timezone)")?,
            None => {
                notes.push("the rep has no time zone in their preferences; times are UTC".into());
                (TimeZone::UTC, "UTC".to_owned())
            }
        };
        let minute = |m: Option<i64>| m.filter(|m| (0..=24 * 60).contains(m));
        let hours = Hours {
            working_start: minute(prefs.working_start_min).unwrap_or(9 * 60),
            working_end: minute(prefs.working_end_min).unwrap_or(17 * 60),
            quiet: minute(prefs.quiet_start_min).zip(minute(prefs.quiet_end_min)),
        };

        let (prospect_tz, prospect_tz_name) = match prospect_zone(req)? {
            Some((tz, name)) => (Some(tz), Some(name)),
            None => (None, None),
        };

        let now = event_time(payload).unwrap_or_else(Timestamp::now);
        let today = now.to_zoned(rep_tz.clone()).date();
        let window = window(&params, req, today)?;

        let part_of_day = req["part_of_day"].as_str().and_then(PartOfDay::parse);
        let days = req["days"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str())
                    .filter_map(weekday)
                    .collect()
            })
            .unwrap_or_default();
        let proposed = req["proposed"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        let s = p["start"].as_str()?.parse::<Timestamp>().ok()?;
                        let e = p["end"].as_str()?.parse::<Timestamp>().ok()?;
                        Some((s, e))
                    })
                    .collect()
            })
            .unwrap_or_default();

        // Expand recurrences a little past the window (zones differ).
        let span = calendar::Span {
            from: window.0.checked_sub(2.days()).unwrap_or(window.0),
            to: window.1.checked_add(2.days()).unwrap_or(window.1),
        };
        let calendars = read_calendars(input, &rep, span, &mut notes)?;
        Ok(Inputs {
            params,
            duration_min,
            buffer_min,
            rep_tz,
            rep_tz_name,
            rep_country,
            prospect_tz,
            prospect_tz_name,
            hours,
            now,
            window,
            part_of_day,
            days,
            proposed,
            calendars,
            notes,
        })
    }

    /// Each side's zone and country, for its public holidays: the rep's
    /// from the org profile's `country`, else from their zone; the
    /// prospect's from their zone.
    pub fn countries(&self) -> Vec<(&TimeZone, &str)> {
        let rep = self
            .rep_country
            .as_deref()
            .or_else(|| crate::holidays::zone_country(&self.rep_tz_name));
        let prospect = self
            .prospect_tz_name
            .as_deref()
            .and_then(crate::holidays::zone_country);
        let mut out = Vec::new();
        if let Some(c) = rep {
            out.push((&self.rep_tz, c));
        }
        if let (Some(tz), Some(c)) = (self.prospect_tz.as_ref(), prospect) {
            out.push((tz, c));
        }
        out
    }

    pub fn calendar_status(&self) -> &'static str {
        if self.calendars.iter().any(|(s, _)| *s == Source::Rep) {
            "read"
        } else {
            "unavailable"
        }
    }

    pub fn prospect_calendar_status(&self) -> &'static str {
        if self.calendars.iter().any(|(s, _)| *s == Source::Prospect) {
            "read"
        } else {
            "none"
        }
    }

    pub fn window_start_ts(&self) -> Result<Timestamp, SkillError> {
        day_start(self.window.0, &self.rep_tz)
    }

    pub fn window_end_ts(&self) -> Result<Timestamp, SkillError> {
        day_start(self.window.1, &self.rep_tz)
    }
}

fn day_start(d: Date, tz: &TimeZone) -> Result<Timestamp, SkillError> {
    d.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| bad(format!("the day {d} has no start in the rep's zone: {e}")))
}

/// An IANA zone, or a Windows/Outlook name calcard maps to one.
pub fn zone(name: &str, what: &str) -> Result<(TimeZone, String), SkillError> {
    if let Ok(tz) = TimeZone::get(name) {
        return Ok((tz, name.to_owned()));
    }
    let mapped = name
        .parse::<calcard::common::timezone::Tz>()
        .ok()
        .and_then(|tz| tz.name())
        .map(|n| n.into_owned());
    if let Some(iana) = mapped
        && let Ok(tz) = TimeZone::get(&iana)
    {
        return Ok((tz, iana));
    }
    Err(bad(format!(
        "{what} `{name}` is not a known time zone; use an IANA name such as America/New_York"
    )))
}

fn prospect_zone(req: &Value) -> Result<Option<(TimeZone, String)>, SkillError> {
    if let Some(name) = req["prospect_timezone"].as_str() {
        return zone(name, "the prospect's time zone (prospect_timezone)").map(Some);
    }
    // The contact tier may be absent or not granted: then the zone is unknown.
    let crm = context::contact().ok().flatten();
    let Some(crm) = crm else { return Ok(None) };
    for (path, v) in [
        ("contact.timezone", crm.contact.and_then(|c| c.timezone)),
        ("company.timezone", crm.company.and_then(|c| c.timezone)),
    ] {
        if let Some(name) = v.as_deref() {
            return zone(name, &format!("the prospect's time zone ({path})")).map(Some);
        }
    }
    Ok(None)
}

fn date(v: &str, what: &str) -> Result<Date, SkillError> {
    v.parse::<Date>()
        .map_err(|_| bad(format!("{what} `{v}` is not a date (YYYY-MM-DD)")))
}

fn window(params: &Params, req: &Value, today: Date) -> Result<(Date, Date), SkillError> {
    let first = match (&params.window_start, req["earliest"].as_str()) {
        (Some(s), _) => date(s, "window_start")?,
        (None, Some(e)) => date(e, "earliest (from the parse step)")?.max(today),
        (None, None) => today,
    };
    let end = match (&params.window_end, req["latest"].as_str()) {
        (Some(e), _) => date(e, "window_end")?,
        (None, Some(l)) => date(l, "latest (from the parse step)")?
            .tomorrow()
            .map_err(|e| bad(format!("latest: {e}")))?,
        (None, None) => slots::after_business_days(first.tomorrow().unwrap_or(first), 10),
    };
    if end <= first {
        return Err(bad(format!(
            "the window ends ({end}) before it starts ({first}); window_end is the first day not searched"
        )));
    }
    if first
        .checked_add(MAX_WINDOW_DAYS.days())
        .is_ok_and(|d| end > d)
    {
        return Err(bad(format!(
            "the window {first} to {end} is longer than {MAX_WINDOW_DAYS} days"
        )));
    }
    Ok((first, end))
}

fn weekday(d: &str) -> Option<Weekday> {
    baton_sdk::calendar::weekday_number(&d.trim().to_ascii_lowercase(), true)
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
}

/// The calendars to read: inline ICS in the payload (unreadable = bad
/// input), else the `calendar` provider's URLs, `{user}` in them replaced
/// by `rep`'s handle (unreachable = a note).
fn read_calendars(
    input: &Input,
    rep: &str,
    span: calendar::Span,
    notes: &mut Vec<String>,
) -> Result<Vec<(Source, Vec<Occurrence>)>, SkillError> {
    let inline = &input.event.payload["calendars"];
    let mut out = Vec::new();
    let mut provider: Option<Option<External>> = None;
    for source in [Source::Rep, Source::Prospect] {
        let who = source.as_str();
        if let Some(text) = inline[who].as_str() {
            let occ = calendar::occurrences(text, span)
                .map_err(|e| bad(format!("calendars.{who}: {}", e.0)))?;
            out.push((source, occ));
            continue;
        }
        let config = provider.get_or_insert_with(|| open_provider(source, notes));
        let Some(config) = config else { continue };
        let key = format!("{who}_ics_url");
        let Some(url) = config.rest.get(&key).and_then(Value::as_str) else {
            if source == Source::Rep {
                notes.push(format!(
                    "the `calendar` provider has no `{key}`; slots come from working hours only"
                ));
            }
            continue;
        };
        let url = url.replace("{user}", rep);
        match fetch(&url) {
            Ok(text) => match calendar::occurrences(&text, span) {
                Ok(occ) => out.push((source, occ)),
                Err(e) => notes.push(format!(
                    "the {who}'s calendar from the provider is unreadable ({}); {}",
                    e.0,
                    fallback(source)
                )),
            },
            Err(why) => notes.push(format!(
                "the {who}'s calendar could not be fetched: {why}; {}",
                fallback(source)
            )),
        }
    }
    Ok(out)
}

fn fallback(source: Source) -> &'static str {
    match source {
        Source::Rep => "slots come from working hours only",
        Source::Prospect => "their busy times are not known",
    }
}

fn open_provider(source: Source, notes: &mut Vec<String>) -> Option<External> {
    match context::external("calendar") {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            if source == Source::Rep {
                notes.push("no rep calendar was given and no `calendar` provider is configured; slots come from working hours only".into());
            }
            None
        }
        Err(e) => {
            notes.push(format!(
                "the `calendar` provider context is unavailable ({e}; grant `context:external:calendar`); slots come from working hours only"
            ));
            None
        }
    }
}

fn fetch(url: &str) -> Result<String, String> {
    match http::get(url, FETCH_TIMEOUT_MS) {
        Ok(r) if (200..300).contains(&r.status) => {
            String::from_utf8(r.body).map_err(|_| "the answer is not UTF-8 text".to_owned())
        }
        Ok(r) => Err(format!("the provider answered HTTP {}", r.status)),
        Err(HttpError::Denied(_)) => {
            let grant = http::Url::parse(url)
                .map(|u| u.capability())
                .unwrap_or_else(|_| "http:<host>".into());
            Err(format!(
                "outbound HTTP is not granted (grant `{grant}` to find-available-slots in grants.toml)"
            ))
        }
        Err(HttpError::Timeout) => Err("the provider did not answer in time".into()),
        Err(e) => Err(format!("the provider could not be reached ({e})")),
    }
}
