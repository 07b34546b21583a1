//! `find-available-slots`: when the rep (and, if their calendar is known,
//! the prospect) could meet, as the top few free slots with local times for
//! both sides, scored by what each side prefers.
//!
//! Reads the rep's calendar as iCalendar text (inline in the event payload,
//! or fetched from the tier-3 `calendar` provider), the rep's zone, working
//! and quiet hours from the org tier, and what the prospect asked for from
//! the `parse-scheduling-request` step. [`calendar`] turns ICS into
//! occurrences ([`vtimezone`] names custom zones), [`slots`] finds and
//! scores free time, [`inputs`] gathers and checks the inputs. Never fails because a calendar cannot be fetched (it
//! says so and answers from working hours); never logs calendar contents or
//! addresses; proposes no effect.

pub mod calendar;
pub mod expand;
pub mod holidays;
pub mod inputs;
pub mod slots;
pub mod vtimezone;

use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use baton_sdk::scheduling::Slot;
use calendar::{Occurrence, When};
use inputs::{Inputs, Source};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Offered {
    #[schemars(range(min = 1, max = 480))]
    duration_min: i64,
    /// Minutes kept free around other meetings.
    #[schemars(range(min = 0))]
    buffer_min: i64,
    rep_timezone: String,
    prospect_timezone: Option<String>,
    window: Window,
    /// Whether the rep's calendar was read.
    #[schemars(extend("enum" = ["read", "unavailable"]))]
    calendar: &'static str,
    /// Whether the prospect's calendar was read.
    #[schemars(extend("enum" = ["read", "none"]))]
    prospect_calendar: &'static str,
    /// The best few, in time order.
    #[schemars(length(max = 5))]
    slots: Vec<Slot>,
    /// What limited the search.
    notes: Vec<String>,
    /// The busy time found, when the `list_busy` param asks for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    busy: Option<Vec<Busy>>,
}

/// Days searched in the rep's zone: `start` inclusive, `end` exclusive.
#[derive(Serialize, JsonSchema)]
struct Window {
    start: String,
    end: String,
}

/// One busy calendar entry in the window.
#[derive(Serialize, JsonSchema)]
struct Busy {
    start: At,
    end: At,
    uid: String,
    summary: String,
    /// Whose calendar it is in.
    #[schemars(extend("enum" = ["rep", "prospect"]))]
    source: &'static str,
}

/// A calendar time as written: an instant, a whole day, or a local time.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum At {
    /// RFC 3339 instant, UTC.
    Utc(String),
    /// `YYYY-MM-DD`.
    Date(String),
    /// A local time with no zone.
    Floating(String),
}

pub struct FindAvailableSlots;

impl Skill for FindAvailableSlots {
    fn manifest() -> Manifest {
        Manifest::new(
            "find-available-slots",
            env!("CARGO_PKG_VERSION"),
            "Finds free meeting slots in the rep's (and the prospect's) calendars, with local times for both sides.",
        )
        .uses(flow::names::SCHEDULING_REQUEST)
        .produces(flow::names::SCHEDULING_SLOTS)
        .capability("context:org")
        .capability("context:contact")
        .capability("context:external:calendar")
        .capability("http:*")
        .default_fuel(500_000_000)
        .params::<inputs::Params>()
        .output::<Offered>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let i = Inputs::gather(&input)?;
        let mut notes = i.notes.clone();
        let (ws, we) = (i.window_start_ts()?, i.window_end_ts()?);

        let mut busy_list = Vec::new();
        let mut busy = Vec::new();
        for (source, occurrences) in &i.calendars {
            let tz = match source {
                Source::Rep => &i.rep_tz,
                Source::Prospect => i.prospect_tz.as_ref().unwrap_or(&i.rep_tz),
            };
            for o in occurrences.iter().filter(|o| o.is_busy()) {
                let Some((a, b)) = interval(o, tz) else {
                    continue;
                };
                let overlaps = a < we && (b > ws || (a == b && a >= ws));
                if !overlaps {
                    continue;
                }
                // A zero-length event (a reminder) marks a moment, not busy time.
                if b > a {
                    busy.push((a, b));
                }
                if i.params.list_busy {
                    busy_list.push((a, busy_entry(o, *source)));
                }
            }
        }
        let (holidays, unknown) = holidays::Holidays::of(&i.countries());
        for code in unknown {
            notes.push(format!(
                "public holidays in {code} are not known, so they are not left out"
            ));
        }
        let mut search = slots::Search {
            rep_tz: &i.rep_tz,
            prospect_tz: i.prospect_tz.as_ref(),
            hours: i.hours,
            first: i.window.0,
            end: i.window.1,
            duration: jiff::SignedDuration::from_mins(i.duration_min),
            buffer: jiff::SignedDuration::from_mins(i.buffer_min),
            busy: &busy,
            not_before: i.now,
            part_of_day: i.part_of_day,
            days: &i.days,
            proposed: &i.proposed,
            holidays: &holidays,
            strict: true,
        };
        notes.extend(days_off(&holidays, &i));
        let mut all = slots::free_slots(&search);
        if all.is_empty() && search.asked() {
            search.strict = false;
            all = slots::free_slots(&search);
            if !all.is_empty() {
                notes.push(
                    "nothing is free on the days or at the time of day they asked for; these are \
                     the nearest other times"
                        .into(),
                );
            }
        }
        if all.is_empty() {
            notes.push(if we <= i.now {
                "the search window is in the past; no slot offered".to_owned()
            } else {
                "no free slot of this length in the window inside working hours".to_owned()
            });
        }
        let free = all.len();
        let best = slots::best(all, i.params.max_slots, &i.rep_tz);
        host::log(
            Level::Info,
            &format!(
                "{} busy intervals, {free} free slots, {} offered; calendar {}",
                busy.len(),
                best.len(),
                i.calendar_status()
            ),
        );
        let listed = i.params.list_busy.then(|| {
            busy_list.sort_by_key(|(a, _)| *a);
            busy_list.into_iter().map(|(_, b)| b).collect()
        });
        Output::of(&Offered {
            duration_min: i.duration_min,
            buffer_min: i.buffer_min,
            rep_timezone: i.rep_tz_name.clone(),
            prospect_timezone: i.prospect_tz_name.clone(),
            window: Window {
                start: i.window.0.to_string(),
                end: i.window.1.to_string(),
            },
            calendar: i.calendar_status(),
            prospect_calendar: i.prospect_calendar_status(),
            slots: best.iter().map(|s| slot(s, &i)).collect(),
            notes,
            busy: listed,
        })
    }
}

/// "Thu 26 Nov is Thanksgiving Day in United States: no time is offered
/// that day", for each working day of the window either side has off.
fn days_off(holidays: &holidays::Holidays, i: &Inputs) -> Vec<String> {
    slots::business_days(i.window.0, i.window.1)
        .into_iter()
        .filter_map(|d| {
            let noon = d
                .to_datetime(jiff::civil::Time::constant(12, 0, 0, 0))
                .to_zoned(i.rep_tz.clone())
                .ok()?
                .timestamp();
            let off = holidays.at(noon)?;
            Some(format!(
                "{} is {} in {}: no time is offered that day",
                d.strftime("%a %-d %b"),
                off.name,
                off.country
            ))
        })
        .collect()
}

/// The occurrence as a UTC interval: dates are the whole local day, floating
/// times local, in `tz`.
fn interval(o: &Occurrence, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let at = |w: &When| -> Option<Timestamp> {
        match w {
            When::Instant(t) => Some(*t),
            When::Date(d) => d.to_zoned(tz.clone()).ok().map(|z| z.timestamp()),
            When::Floating(dt) => dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp()),
        }
    };
    let (a, b) = (at(&o.start)?, at(&o.end)?);
    Some((a, b.max(a)))
}

fn at(w: &When) -> At {
    match w {
        When::Instant(t) => At::Utc(t.to_string()),
        When::Date(d) => At::Date(d.to_string()),
        When::Floating(dt) => At::Floating(dt.to_string()),
    }
}

fn busy_entry(o: &Occurrence, source: Source) -> Busy {
    Busy {
        start: at(&o.start),
        end: at(&o.end),
        uid: o.uid.clone(),
        summary: o.summary.clone(),
        source: source.as_str(),
    }
}

fn slot(s: &slots::Slot, i: &Inputs) -> Slot {
    Slot {
        start: s.start.to_string(),
        end: s.end.to_string(),
        rep_local: Some(label(s.start, s.end, &i.rep_tz)),
        prospect_local: i.prospect_tz.as_ref().map(|tz| label(s.start, s.end, tz)),
        score: baton_sdk::two_decimals(s.score),
        reasons: s.reasons.iter().map(|r| (*r).to_owned()).collect(),
        warning: s.warning.clone(),
    }
}

/// "Wed 25 Nov 10:00–10:30 EST".
pub fn label(start: Timestamp, end: Timestamp, tz: &TimeZone) -> String {
    let a = start.to_zoned(tz.clone());
    let b = end.to_zoned(tz.clone());
    format!(
        "{}–{}",
        a.strftime("%a %-d %b %H:%M"),
        b.strftime("%H:%M %Z")
    )
}

export_skill!(FindAvailableSlots);

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
