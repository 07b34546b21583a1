//! "Send at…" on a gate whose draft is an email: a time in the rep's zone,
//! the prospect's next morning suggested when their zone is known (the
//! zone a scheduling skill read, else the offset of the Date their last
//! email carried). The time travels with the approval
//! ([`baton_engine::orchestrator::Decider::send_at`]); the email then waits
//! in the outbox until it, cancellable like any queued email. Quiet hours
//! are the rep's for notifications and do not hold an email the rep timed.

use baton_service::inbox::RepClock;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use maud::{Markup, html};
use serde_json::Value;

/// The hour the prospect's morning is suggested at.
const MORNING_HOUR: i8 = 9;
/// The soonest a suggestion is (so it is not past by the time the rep
/// clicks).
const LEAD_MS: i64 = 30 * 60_000;

/// The form's field, as a browser's `datetime-local` sends it.
pub(super) const FIELD: &str = "send_at";
/// The button that schedules (`later=1`); without it a filled time is not
/// read, so "Approve edited" always sends now.
pub(super) const LATER: &str = "later";

/// A suggested time: when, and in whose words.
pub(super) struct Suggestion {
    pub at: i64,
    pub words: String,
}

/// The prospect's zone, if the gate or the event that led to it says: a
/// named zone (`prospect_timezone`), else the UTC offset of the Date of
/// the email being answered (`sender_utc_offset_minutes`).
fn prospect_zone(body: &Value, trigger: Option<&Value>) -> Option<(TimeZone, String)> {
    if let Some(name) = body["prospect_timezone"].as_str()
        && let Ok(tz) = TimeZone::get(name)
    {
        return Some((tz, name.to_owned()));
    }
    let minutes = trigger?.get("sender_utc_offset_minutes")?.as_i64()?;
    let offset = Offset::from_seconds(i32::try_from(minutes * 60).ok()?).ok()?;
    Some((TimeZone::fixed(offset), format!("UTC{offset}")))
}

/// The prospect's next morning (09:00 their time, at least half an hour
/// from `now`), when their zone is known.
pub(super) fn suggestion(body: &Value, trigger: Option<&Value>, now: i64) -> Option<Suggestion> {
    let (tz, name) = prospect_zone(body, trigger)?;
    let soonest = Timestamp::from_millisecond(now + LEAD_MS)
        .ok()?
        .to_zoned(tz.clone());
    let mut day = soonest.date();
    for _ in 0..3 {
        let morning = day.at(MORNING_HOUR, 0, 0, 0).to_zoned(tz.clone()).ok()?;
        // A weekday morning: an email is read at the start of a work day.
        let weekday = morning.weekday().to_monday_one_offset() <= 5;
        if morning >= soonest && weekday {
            return Some(Suggestion {
                at: morning.timestamp().as_millisecond(),
                words: format!("their morning: {} {name}", morning.strftime("%a %H:%M")),
            });
        }
        day = day.checked_add(1.day()).ok()?;
    }
    // Past a weekend: the next Monday.
    while day.weekday().to_monday_one_offset() > 5 {
        day = day.checked_add(1.day()).ok()?;
    }
    let morning = day.at(MORNING_HOUR, 0, 0, 0).to_zoned(tz).ok()?;
    Some(Suggestion {
        at: morning.timestamp().as_millisecond(),
        words: format!("their morning: {} {name}", morning.strftime("%a %H:%M")),
    })
}

/// `ms` as a `datetime-local` value in `tz`.
fn local_value(tz: &TimeZone, ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Read a `datetime-local` value (`2026-11-30T09:00`, seconds allowed) as
/// a moment in the rep's zone `tz`.
pub(super) fn read(value: &str, tz: &TimeZone) -> Result<i64, String> {
    let civil: DateTime = value.trim().parse().map_err(|_| {
        format!("“{value}” is not a date and time: pick one, e.g. 2026-11-30 09:00")
    })?;
    civil
        .to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| format!("“{value}” does not exist in your time zone"))
}

/// The "Send at…" control: the time (the suggestion, else an hour from
/// now, on the hour) in the rep's zone, and the button.
pub(super) fn form(action: &str, clock: &RepClock, suggested: Option<&Suggestion>) -> Markup {
    let tz = clock.zone();
    let now = clock.now();
    let default = suggested.map_or_else(|| (now / 3_600_000 + 2) * 3_600_000, |s| s.at);
    html! {
        details #send-later {
            summary.button { "Send at…" }
            form method="post" action=(action) {
                input type="hidden" name="decision" value="approve";
                input type="hidden" name=(LATER) value="1";
                label for="send-at" { "Send at (your time, " (clock.zone_name(default)) ")" }
                input #send-at type="datetime-local" name=(FIELD) value=(local_value(tz, default)) required;
                @if let Some(s) = suggested {
                    p.muted #send-at-suggested { "Suggested: " (s.words) " — " (clock.at(s.at)) " your time" }
                }
                p.muted { "It waits in your outbox until then; you can cancel it there." }
                button #send-later-submit type="submit" { "Approve and send then" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Tuesday 24 November 2026, 17:00 UTC = 12:00 in New York.
    const NOW: i64 = 1_795_539_600_000;

    #[test]
    fn the_prospects_next_weekday_morning_is_suggested() {
        let body = json!({ "prospect_timezone": "Europe/London" });
        let s = suggestion(&body, None, NOW).expect("a suggestion");
        // Wednesday 09:00 in London (GMT) = 09:00 UTC.
        assert_eq!(s.at, NOW + 16 * 3_600_000);
        assert!(s.words.contains("Wed 09:00 Europe/London"), "{}", s.words);
        // From the offset of their email's Date when no zone is named.
        let trigger = json!({ "sender_utc_offset_minutes": -300 });
        let s = suggestion(&json!({}), Some(&trigger), NOW).expect("a suggestion");
        // 12:00 in UTC−5 now: Wednesday 09:00 there = 14:00 UTC.
        assert_eq!(s.at, NOW + 21 * 3_600_000);
        assert!(s.words.contains("UTC-05"), "{}", s.words);
        // Friday afternoon: Monday morning.
        let friday = NOW + 3 * 86_400_000;
        let s = suggestion(&body, None, friday).expect("a suggestion");
        assert!(
            s.words.starts_with("their morning: Mon 09:00"),
            "{}",
            s.words
        );
        // Unknown: nothing is suggested.
        assert!(suggestion(&json!({}), None, NOW).is_none());
        assert!(suggestion(&json!({ "prospect_timezone": "Not/AZone" }), None, NOW).is_none());
    }

    #[test]
    fn a_local_time_reads_in_the_reps_zone_and_nonsense_is_named() {
        let ny = TimeZone::get("America/New_York").expect("zone");
        assert_eq!(read("2026-11-24T12:00", &ny), Ok(NOW));
        assert_eq!(read("2026-11-24T12:00:00", &ny), Ok(NOW));
        assert_eq!(local_value(&ny, NOW), "2026-11-24T12:00");
        let e = read("tomorrow-ish", &ny).expect_err("not a time");
        assert!(e.contains("not a date and time"), "{e}");
    }
}
