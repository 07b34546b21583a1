//! `parse-scheduling-request`: what someone asking to meet wants — how
//! long, which days, what time of day, the times they offered, and their
//! zone — read from the request's words relative to when it was made in the
//! rep's zone, for `find-available-slots` to search and
//! `present-time-options` to answer.
//!
//! The `calendar_find_times` payload comes from a meeting (`trigger_phrase`,
//! the contact and deal), from an email (`request`, `subject`, `message_id`,
//! `thread_id`) or directly (`request`, `contact_email`,
//! `duration_minutes`). Deterministic: [`request`] reads the words; this
//! file only gathers the payload and the rep's zone. It reads the org tier
//! and proposes no effect.
//!
//! Offered times and `not_before_min`/`not_after_min` are read in the zone
//! the text names (`prospect_timezone`), else the rep's; `times_timezone`
//! says which.

pub mod dates;
pub mod days;
pub mod duration;
pub mod request;
pub mod times;
pub mod words;
pub mod zones;

use baton_sdk::context::{self, OrgTier};
use baton_sdk::events::calendar_find_times::Payload;
use baton_sdk::events::event_time;
use baton_sdk::prelude::*;
use baton_sdk::scheduling::PartOfDay;
use baton_sdk::scheduling::ReplyTo;
use baton_sdk::text::nonblank;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use request::Offer;
use serde::{Deserialize, Serialize};

/// The longest request text read, in characters; the rest is quoted history.
const READ_CHARS: usize = 4000;
/// The request text kept in the output, in characters.
const KEEP_CHARS: usize = 500;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The meeting length when neither the payload nor the text gives one.
    #[serde(default = "default_duration_min")]
    #[schemars(range(min = 5, max = 480))]
    default_duration_min: u32,
}

fn default_duration_min() -> u32 {
    30
}

/// Meeting lengths accepted from params and payloads, in minutes.
const DURATIONS: std::ops::RangeInclusive<u32> = 5..=480;

/// A subject without its `Re:`/`Fwd:` prefixes.
fn bare_subject(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(p) = ["re:", "fwd:", "fw:"]
            .iter()
            .find(|p| lower.starts_with(*p))
        else {
            return s;
        };
        s = s[p.len()..].trim_start();
    }
}

/// The contact, then each other address once (compared without case),
/// leaving out anything that is not an address and the rep's own.
fn invitees(contact: Option<&str>, others: &[String], rep: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in contact.into_iter().chain(others.iter().map(String::as_str)) {
        let a = a.trim();
        let valid = a.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !a.contains(char::is_whitespace)
        });
        let seen = |b: &str| b.eq_ignore_ascii_case(a);
        if valid && !rep.is_some_and(seen) && !out.iter().any(|b| seen(b)) {
            out.push(a.to_owned());
        }
    }
    out
}

/// An offer as UTC instants: its span, or its start and the meeting length.
fn instants(offer: &Offer, tz: &TimeZone, duration_min: u32) -> Option<(Timestamp, Timestamp)> {
    let at = |m: u32| -> Option<Timestamp> {
        let hour = i8::try_from(m / 60).ok()?;
        let minute = i8::try_from(m % 60).ok()?;
        offer
            .day
            .at(hour, minute, 0, 0)
            .to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp())
    };
    let start = at(offer.from)?;
    let end = match offer.to {
        Some(to) => at(to)?,
        None => start.checked_add(i64::from(duration_min).minutes()).ok()?,
    };
    Some((start, end))
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Wanted {
    #[schemars(range(min = 5, max = 480))]
    duration_min: u32,
    /// The first day they can meet.
    #[schemars(extend("format" = "date"))]
    earliest: Option<String>,
    /// The last day they can meet.
    #[schemars(extend("format" = "date"))]
    latest: Option<String>,
    /// The IANA zone their text names.
    prospect_timezone: Option<&'static str>,
    /// The zone `proposed` and the minute bounds were read in.
    times_timezone: String,
    part_of_day: Option<PartOfDay>,
    /// Weekdays they named (`mon` … `sun`).
    days: Vec<&'static str>,
    /// The times they offered, in time order.
    proposed: Vec<Span>,
    /// Minutes after midnight (in `times_timezone`) before which not to meet.
    #[schemars(range(max = 1440))]
    not_before_min: Option<u32>,
    /// Minutes after midnight after which not to meet.
    #[schemars(range(max = 1440))]
    not_after_min: Option<u32>,
    /// Everyone from outside to invite: the contact first, then the other
    /// outside attendees of the meeting, never the rep.
    attendees: Vec<String>,
    subject: String,
    /// The request's first 500 characters.
    request_text: String,
    /// The email to answer in, when the request came by email.
    reply_to: Option<ReplyTo>,
}

/// A time they offered, as UTC instants.
#[derive(Serialize, JsonSchema)]
struct Span {
    #[schemars(extend("format" = "date-time"))]
    start: String,
    #[schemars(extend("format" = "date-time"))]
    end: String,
}

pub struct ParseSchedulingRequest;

impl Skill for ParseSchedulingRequest {
    fn manifest() -> Manifest {
        Manifest::new(
            "parse-scheduling-request",
            env!("CARGO_PKG_VERSION"),
            "Reads a request to meet: how long, which days, what time of day, times offered, their zone.",
        )
        .produces(flow::names::SCHEDULING_REQUEST)
        .capability("context:org")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Wanted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        if !DURATIONS.contains(&params.default_duration_min) {
            return Err(SkillError::InvalidInput(format!(
                "params: default_duration_min is {}; it must be 5 to 480",
                params.default_duration_min
            )));
        }
        let payload: Payload = input.payload()?;
        let text =
            nonblank(payload.request.as_deref()).or(nonblank(payload.trigger_phrase.as_deref()));
        let email = nonblank(payload.contact_email.as_deref()).filter(|e| e.contains('@'));
        if text.is_none() && email.is_none() && nonblank(payload.contact_id.as_deref()).is_none() {
            return Err(SkillError::InvalidInput(
                "event payload: no request text (`request` or `trigger_phrase`) and no contact \
                 (`contact_email` or `contact_id`); send at least one"
                    .into(),
            ));
        }
        if let Some(d) = payload.duration_minutes
            && !DURATIONS.contains(&d)
        {
            return Err(SkillError::InvalidInput(format!(
                "event payload: duration_minutes is {d}; a meeting lasts 5 to 480 minutes"
            )));
        }

        let org = context::org()?;
        let rep_email = org
            .as_ref()
            .and_then(|o| o.user.as_ref())
            .and_then(|u| u.email.clone());
        let rep_tz = org
            .as_ref()
            .and_then(OrgTier::timezone)
            .and_then(|z| TimeZone::get(z).ok())
            .unwrap_or(TimeZone::UTC);
        // When the request was made: the payload's time, else now.
        let today: Date = event_time(&input.event.payload)
            .unwrap_or_else(Timestamp::now)
            .to_zoned(rep_tz.clone())
            .date();
        let read_text: String = text.unwrap_or("").chars().take(READ_CHARS).collect();
        let req = request::read(&read_text, today);

        let duration_min = payload
            .duration_minutes
            .or(req.duration_min)
            .unwrap_or(params.default_duration_min);
        let times_tz = req
            .zone
            .and_then(|z| TimeZone::get(z).ok())
            .unwrap_or_else(|| rep_tz.clone());
        let mut spans: Vec<(Timestamp, Timestamp)> = req
            .offers
            .iter()
            .filter_map(|o| instants(o, &times_tz, duration_min))
            .collect();
        spans.sort();
        let proposed: Vec<Span> = spans
            .iter()
            .map(|(s, e)| Span {
                start: s.to_string(),
                end: e.to_string(),
            })
            .collect();

        let subject = nonblank(payload.subject.as_deref())
            .map(|s| bare_subject(s).to_owned())
            .or_else(|| nonblank(payload.title.as_deref()).map(|t| format!("Follow-up: {t}")))
            .or_else(|| nonblank(payload.deal_name.as_deref()).map(|d| format!("Follow-up: {d}")))
            .unwrap_or_default();
        let reply_to = nonblank(payload.message_id.as_deref()).map(|id| ReplyTo {
            message_id: id.to_owned(),
            thread_id: nonblank(payload.thread_id.as_deref()).map(str::to_owned),
            subject: Some(
                nonblank(payload.subject.as_deref())
                    .map(bare_subject)
                    .unwrap_or("")
                    .to_owned(),
            ),
        });
        let days: Vec<&'static str> = req
            .days
            .weekdays
            .iter()
            .map(|d| days::short_name(*d))
            .collect();
        Output::of(&Wanted {
            duration_min,
            earliest: req.days.earliest.map(|d| d.to_string()),
            latest: req.days.latest.map(|d| d.to_string()),
            prospect_timezone: req.zone,
            times_timezone: times_tz.iana_name().unwrap_or("UTC").to_owned(),
            part_of_day: req.part_of_day,
            days,
            proposed,
            not_before_min: req.not_before_min,
            not_after_min: req.not_after_min,
            attendees: invitees(email, &payload.attendees, rep_email.as_deref()),
            subject,
            request_text: text.unwrap_or("").chars().take(KEEP_CHARS).collect(),
            reply_to,
        })
    }
}

export_skill!(ParseSchedulingRequest);

#[cfg(test)]
mod tests;
