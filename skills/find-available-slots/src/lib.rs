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
pub mod inputs;
pub mod slots;
pub mod vtimezone;

use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use calendar::{Occurrence, When};
use inputs::{Inputs, Source};
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub struct FindAvailableSlots;

impl Skill for FindAvailableSlots {
    fn manifest() -> Manifest {
        Manifest::new(
            "find-available-slots",
            env!("CARGO_PKG_VERSION"),
            "Finds free meeting slots in the rep's (and the prospect's) calendars, with local times for both sides.",
        )
        .capability("context:org")
        .capability("context:contact")
        .capability("context:external:calendar")
        .capability("http:*")
        .default_fuel(500_000_000)
        .params::<inputs::Params>()
        .output_schema(output_schema())
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
                    busy_list.push((a, busy_json(o, *source)));
                }
            }
        }
        let search = slots::Search {
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
        };
        let all = slots::free_slots(&search);
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
        let mut data = json!({
            "duration_min": i.duration_min,
            "buffer_min": i.buffer_min,
            "rep_timezone": i.rep_tz_name,
            "prospect_timezone": i.prospect_tz_name,
            "window": { "start": i.window.0.to_string(), "end": i.window.1.to_string() },
            "calendar": i.calendar_status(),
            "prospect_calendar": i.prospect_calendar_status(),
            "slots": best.iter().map(|s| slot_json(s, &i)).collect::<Vec<_>>(),
            "notes": notes,
        });
        if i.params.list_busy {
            busy_list.sort_by_key(|(a, _)| *a);
            data["busy"] = Value::Array(busy_list.into_iter().map(|(_, b)| b).collect());
        }
        Ok(Output::new(data))
    }
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

fn when_json(w: &When) -> Value {
    match w {
        When::Instant(t) => json!({ "utc": t.to_string() }),
        When::Date(d) => json!({ "date": d.to_string() }),
        When::Floating(dt) => json!({ "floating": dt.to_string() }),
    }
}

fn busy_json(o: &Occurrence, source: Source) -> Value {
    json!({
        "start": when_json(&o.start),
        "end": when_json(&o.end),
        "uid": o.uid,
        "summary": o.summary,
        "source": source.as_str(),
    })
}

fn slot_json(s: &slots::Slot, i: &Inputs) -> Value {
    json!({
        "start": s.start.to_string(),
        "end": s.end.to_string(),
        "rep_local": label(s.start, s.end, &i.rep_tz),
        "prospect_local": i.prospect_tz.as_ref().map(|tz| label(s.start, s.end, tz)),
        "score": (s.score * 100.0).round() / 100.0,
        "reasons": s.reasons,
        "warning": s.warning,
    })
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

fn output_schema() -> Value {
    let when = json!({
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": {
            "utc": { "type": "string" },
            "date": { "type": "string" },
            "floating": { "type": "string" }
        },
        "additionalProperties": false
    });
    json!({
        "type": "object",
        "required": ["duration_min", "rep_timezone", "prospect_timezone", "window", "calendar", "slots"],
        "properties": {
            "duration_min": { "type": "integer", "minimum": 1, "maximum": 480 },
            "buffer_min": { "type": "integer", "minimum": 0 },
            "rep_timezone": { "type": "string" },
            "prospect_timezone": { "type": ["string", "null"] },
            "window": {
                "type": "object",
                "required": ["start", "end"],
                "description": "Days searched in the rep's zone: `start` inclusive, `end` exclusive.",
                "properties": { "start": { "type": "string" }, "end": { "type": "string" } }
            },
            "calendar": { "enum": ["read", "unavailable"] },
            "prospect_calendar": { "enum": ["read", "unavailable", "none"] },
            "slots": { "type": "array", "maxItems": 5, "items": {
                "type": "object",
                "required": ["start", "end", "rep_local", "prospect_local", "score", "reasons", "warning"],
                "properties": {
                    "start": { "type": "string" },
                    "end": { "type": "string" },
                    "rep_local": { "type": "string" },
                    "prospect_local": { "type": ["string", "null"] },
                    "score": { "type": "number", "minimum": 0, "maximum": 1 },
                    "reasons": { "type": "array", "items": { "type": "string" } },
                    "warning": { "type": ["string", "null"] }
                }
            }},
            "notes": { "type": "array", "items": { "type": "string" } },
            "busy": { "type": "array", "items": {
                "type": "object",
                "required": ["start", "end", "uid", "summary", "source"],
                "properties": {
                    "start": when.clone(),
                    "end": when,
                    "uid": { "type": "string" },
                    "summary": { "type": "string" },
                    "source": { "enum": ["rep", "prospect"] }
                }
            }}
        }
    })
}

export_skill!(FindAvailableSlots);

#[cfg(test)]
mod tests;
