//! CalDAV (RFC 4791), any provider: a connected account with provider
//! `caldav`, settings `{url, username}` (the calendar collection) and the
//! secret `{password}`, read with HTTP Basic auth.
//!
//! Each poll sends one `REPORT` calendar-query for the events overlapping
//! the window (a day back, thirty days ahead) and reads every returned
//! calendar object. Why calendar-query and not sync-collection (RFC 6578):
//! a sync report names the resources that changed, not the occurrences in a
//! window, so every change would still need a multiget and our own window
//! filter; one windowed query a poll is small and also notices deletions
//! (what is no longer returned is cancelled). Recurrences are expanded here
//! with `calcard` (RRULE, EXDATE, RDATE, overrides by RECURRENCE-ID, VTIMEZONE)
//! rather than asking for `<C:expand>`, which not every server implements;
//! one code path for all. The multistatus is read with `roxmltree`.

use super::meetings::{self, CalendarEvent, Landed};
use super::{CalendarError, Calendars};
use crate::store::MeetingTables;
use crate::trial::Trial;
use baton_engine::report::Context;
use baton_store::Account;
use calcard::common::timezone::Tz;
use calcard::icalendar::dates::TimeOrDelta;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarFrequency, ICalendarProperty,
    ICalendarStatus, ICalendarValue,
};
use calcard::{Entry, Parser};
use reqwest::StatusCode;

/// A read covers from a day ago …
const WINDOW_BACK_MS: i64 = 86_400_000;
/// … to thirty days ahead.
const WINDOW_AHEAD_MS: i64 = 30 * 86_400_000;
/// Occurrences expanded per recurring event at most (from its start).
const EXPAND_LIMIT: usize = 5_000;
/// Instances of one series read into the window at most: a daily meeting
/// over the window fits with room; more is not a calendar of meetings.
const MAX_PER_SERIES: usize = 64;
const CALDAV_NS: &str = "urn:ietf:params:xml:ns:caldav";

impl Calendars {
    /// Read a CalDAV account's window into `meetings`; what the window no
    /// longer holds is cancelled.
    pub async fn sync_caldav(&self, account: &Account) -> Result<Landed, CalendarError> {
        let Some(user) = &account.user_id else {
            return Ok(Landed::default());
        };
        let settings = account.settings();
        let url = settings["url"].as_str().ok_or_else(|| {
            CalendarError::Provider(Context::new("the CalDAV account has no `url` setting"))
        })?;
        let username = settings["username"]
            .as_str()
            .unwrap_or(&account.address)
            .to_owned();
        let secret = self.accounts.secret(account)?;
        let password = secret["password"].as_str().unwrap_or_default();
        let now = self.now();
        let (from, to) = (now - WINDOW_BACK_MS, now + WINDOW_AHEAD_MS);
        let method = reqwest::Method::from_bytes(b"REPORT").map_err(|e| {
            CalendarError::Provider(Context::because("REPORT is not an HTTP method here", e))
        })?;
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            CalendarError::Provider(Context::because("the CalDAV `url` setting", e))
        })?;
        if let Err(e) = self.accounts.egress().check_url(&parsed, true) {
            tracing::warn!(account = %account.id, reason = %e, "a CalDAV account's server is refused");
            return Err(CalendarError::Provider(Context::because("CalDAV", e)));
        }
        let r = self
            .account_http
            .request(method, parsed)
            .basic_auth(&username, Some(password))
            .header("Depth", "1")
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(query(from, to))
            .send()
            .await
            .map_err(|e| CalendarError::Provider(Context::because("CalDAV", e.without_url())))?;
        let status = r.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let detail = format!("the CalDAV server refused the username and password ({status})");
            self.store
                .mark_reconnect(&account.org_id, &account.id, &detail, now)
                .await?;
            tracing::warn!(account = %account.id, %status, "CalDAV account marked for reconnecting");
            return Err(CalendarError::Provider(Context::new(detail)));
        }
        if status.is_redirection() {
            return Err(CalendarError::Provider(Context::new(format!(
                "the CalDAV server answered {status}, a redirect to another server, which is not followed: connect the calendar's own URL"
            ))));
        }
        let body = baton_engine::wire::text(r)
            .await
            .map_err(|e| CalendarError::Provider(Context::because("CalDAV", e)))?;
        if status != StatusCode::MULTI_STATUS {
            return Err(CalendarError::Provider(Context::new(format!(
                "the CalDAV REPORT answered {status}, not 207 Multi-Status"
            ))));
        }
        let [prefix, _] = super::meeting_prefixes(&account.id);
        let mut events = Vec::new();
        let mut notes = Vec::new();
        for object in calendar_data(&body)? {
            events.extend(occurrences(&prefix, &object, from, to, &mut notes));
        }
        meetings::bound(&mut events, &mut notes);
        self.store
            .note_account(
                &account.org_id,
                &account.id,
                meetings::note(&notes).as_deref(),
            )
            .await?;
        let store = &self.store;
        let insiders = meetings::insiders(store, &account.org_id, account).await?;
        let mut landed = Landed::default();
        for e in &events {
            landed += meetings::land(store, &account.org_id, user, &insiders, e, now).await?;
        }
        let seen: Vec<String> = events.iter().map(|e| e.external_id.clone()).collect();
        landed.cancelled += store
            .cancel_meetings_not_seen(&account.org_id, &prefix, from, to, &seen, now)
            .await?;
        Ok(landed)
    }
}

/// Try a calendar's URL and credentials before they are stored: a
/// `PROPFIND` (Depth 0) of the collection through `http` (an
/// [`baton_engine::accounts::Egress`] client) must answer 207 and name a
/// calendar.
pub async fn try_propfind(
    http: &reqwest::Client,
    url: &reqwest::Url,
    username: &str,
    password: &str,
) -> Result<(), Trial> {
    let method = reqwest::Method::from_bytes(b"PROPFIND")
        .map_err(|e| Trial::Unreachable(format!("PROPFIND is not an HTTP method here: {e}")))?;
    let body = r#"<?xml version="1.0" encoding="utf-8" ?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"#;
    let r = http
        .request(method, url.clone())
        .basic_auth(username, Some(password))
        .header("Depth", "0")
        .header("Content-Type", "application/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .map_err(|e| {
            Trial::Unreachable(format!(
                "the CalDAV server could not be reached: {}",
                baton_engine::report::Report(&e.without_url())
            ))
        })?;
    let status = r.status();
    let refused = |field, why: String| Err(Trial::Refused { field, why });
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => refused(
            "password",
            format!("the CalDAV server refused the username and password ({status})"),
        ),
        StatusCode::NOT_FOUND => refused(
            "url",
            "the CalDAV server has nothing at this URL (404)".into(),
        ),
        s if s.is_redirection() => refused(
            "url",
            format!("the CalDAV server answered {s}, a redirect: connect the calendar's own URL"),
        ),
        StatusCode::MULTI_STATUS => {
            let text = baton_engine::wire::text(r).await.map_err(|e| {
                Trial::Unreachable(format!("the CalDAV answer could not be read: {e}"))
            })?;
            if is_calendar(&text) {
                Ok(())
            } else {
                refused(
                    "url",
                    "this URL is not a calendar collection (connect the calendar's own URL, not the account's)".into(),
                )
            }
        }
        s if s.is_client_error() => refused(
            "url",
            format!("the CalDAV server refused the request ({s})"),
        ),
        s => Err(Trial::Unreachable(format!(
            "the CalDAV server answered {s} to PROPFIND, not 207 Multi-Status"
        ))),
    }
}

/// Whether a PROPFIND answer's resource type is a calendar.
fn is_calendar(multistatus: &str) -> bool {
    let Ok(doc) = roxmltree::Document::parse(multistatus) else {
        return false;
    };
    doc.descendants()
        .any(|n| n.tag_name().name() == "calendar" && n.tag_name().namespace() == Some(CALDAV_NS))
}

/// The calendar-query for VEVENTs overlapping `[from, to)`.
fn query(from: i64, to: i64) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8" ?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="{CALDAV_NS}">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR">
      <C:comp-filter name="VEVENT">
        <C:time-range start="{}" end="{}"/>
      </C:comp-filter>
    </C:comp-filter>
  </C:filter>
</C:calendar-query>"#,
        utc_basic(from),
        utc_basic(to)
    )
}

/// `20261123T150000Z`.
fn utc_basic(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// The `calendar-data` of each response in a multistatus.
fn calendar_data(xml: &str) -> Result<Vec<String>, CalendarError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| {
        CalendarError::Provider(Context::because("the CalDAV REPORT answer is not XML", e))
    })?;
    Ok(doc
        .descendants()
        .filter(|n| {
            n.tag_name().name() == "calendar-data" && n.tag_name().namespace() == Some(CALDAV_NS)
        })
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .filter(|t| !t.trim().is_empty())
        .collect())
}

/// One calendar object's occurrences starting in `[from, to)`, timed ones
/// only (an all-day event is not a meeting to prepare for). A series that
/// repeats more often than daily is not read, nor more than
/// [`MAX_PER_SERIES`] instances of one: each says so in `notes`.
fn occurrences(
    prefix: &str,
    ics: &str,
    from: i64,
    to: i64,
    notes: &mut Vec<String>,
) -> Vec<CalendarEvent> {
    let mut parser = Parser::new(ics);
    let mut out = Vec::new();
    loop {
        match parser.entry() {
            Entry::ICalendar(cal) => read_calendar(prefix, &cal, (from, to), &mut out, notes),
            Entry::Eof => break,
            Entry::InvalidLine(_) | Entry::VCard(_) => {}
            _ => {
                tracing::warn!("a CalDAV calendar object is not valid iCalendar; skipped");
                break;
            }
        }
    }
    out
}

/// The title an event shows, for notes.
fn title_of(comp: &ICalendarComponent) -> &str {
    comp.property(&ICalendarProperty::Summary)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_text())
        .unwrap_or("(no title)")
}

/// The RRULE frequency of `comp` when it repeats more often than daily.
fn sub_daily(comp: &ICalendarComponent) -> Option<&'static str> {
    comp.properties(&ICalendarProperty::Rrule)
        .flat_map(|e| e.values.iter())
        .find_map(|v| match v {
            ICalendarValue::RecurrenceRule(r) => match r.freq {
                ICalendarFrequency::Hourly => Some("HOURLY"),
                ICalendarFrequency::Minutely => Some("MINUTELY"),
                ICalendarFrequency::Secondly => Some("SECONDLY"),
                _ => None,
            },
            _ => None,
        })
}

fn read_calendar(
    prefix: &str,
    cal: &ICalendar,
    (from, to): (i64, i64),
    out: &mut Vec<CalendarEvent>,
    notes: &mut Vec<String>,
) {
    let resolver = cal.build_tz_resolver().with_default(Tz::UTC);
    let expanded = cal.expand_dates(Tz::UTC, EXPAND_LIMIT);
    let mut per_series: std::collections::BTreeMap<String, usize> = Default::default();
    for occurrence in expanded.events {
        let Some(comp) = cal.component_by_id(occurrence.comp_id) else {
            continue;
        };
        if comp.component_type != ICalendarComponentType::VEvent || !timed(comp) {
            continue;
        }
        let starts_at = occurrence.start.timestamp_millis();
        if starts_at < from || starts_at >= to {
            continue;
        }
        let series = comp.uid().unwrap_or("no-uid").to_owned();
        if let Some(freq) = sub_daily(comp) {
            let note = format!(
                "\"{}\" repeats more often than daily (FREQ={freq}): not read as meetings",
                title_of(comp)
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
            continue;
        }
        let n = per_series.entry(series).or_default();
        *n += 1;
        if *n > MAX_PER_SERIES {
            if *n == MAX_PER_SERIES + 1 {
                notes.push(format!(
                    "\"{}\" has more than {MAX_PER_SERIES} instances in the window: only the first {MAX_PER_SERIES} are read",
                    title_of(comp)
                ));
            }
            continue;
        }
        let ends_at = match occurrence.end {
            TimeOrDelta::Time(t) => t.timestamp_millis(),
            TimeOrDelta::Delta(d) => starts_at + d.num_milliseconds(),
        };
        let uid = comp.uid().unwrap_or("no-uid");
        // An instance is named by its original start (its RECURRENCE-ID), so
        // moving one instance keeps its meeting.
        let instance = if comp.is_recurrence_override() {
            comp.property(&ICalendarProperty::RecurrenceId)
                .and_then(|e| {
                    let tz = resolver.resolve_or_default(e.tz_id());
                    e.values
                        .first()
                        .and_then(|v| v.as_partial_date_time())
                        .and_then(|d| d.to_date_time_with_tz(tz))
                })
                .map(|d| d.timestamp_millis())
        } else if comp.is_recurrent() {
            Some(starts_at)
        } else {
            None
        };
        let external_id = match instance {
            Some(rid) => format!("{prefix}{uid}:{rid}"),
            None => format!("{prefix}{uid}"),
        };
        let participants = comp
            .properties(&ICalendarProperty::Attendee)
            .chain(comp.properties(&ICalendarProperty::Organizer))
            .filter_map(|e| e.calendar_address())
            .map(str::to_owned)
            .collect();
        out.push(CalendarEvent {
            external_id,
            title: title_of(comp).to_owned(),
            starts_at,
            ends_at: Some(ends_at),
            participants,
            cancelled: comp.status() == Some(&ICalendarStatus::Cancelled),
        });
    }
}

/// Whether the event's DTSTART has a time of day.
fn timed(comp: &ICalendarComponent) -> bool {
    comp.property(&ICalendarProperty::Dtstart)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_partial_date_time())
        .is_some_and(|d| d.has_time())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEKLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTART;TZID=Europe/London:20261124T100000\r\nDTEND;TZID=Europe/London:20261124T103000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Weekly sync\r\nORGANIZER:mailto:rep@acme.example\r\nATTENDEE:mailto:buyer@client.example\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:weekly-1\r\nRECURRENCE-ID;TZID=Europe/London:20261201T100000\r\nDTSTART;TZID=Europe/London:20261201T140000\r\nDTEND;TZID=Europe/London:20261201T143000\r\nSUMMARY:Weekly sync (moved)\r\nORGANIZER:mailto:rep@acme.example\r\nATTENDEE:mailto:buyer@client.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn recurrences_expand_and_a_moved_instance_keeps_its_id() {
        // 2026-11-23T00:00Z .. 2026-12-31
        let (from, to) = (1_795_392_000_000, 1_798_675_200_000);
        let mut notes = Vec::new();
        let mut got = occurrences("caldav:a:", WEEKLY, from, to, &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
        got.sort_by_key(|e| e.starts_at);
        let ids: Vec<_> = got.iter().map(|e| e.external_id.as_str()).collect();
        // 10:00 London is 10:00 UTC in winter.
        assert_eq!(
            ids,
            [
                "caldav:a:weekly-1:1795514400000",
                "caldav:a:weekly-1:1796119200000",
                "caldav:a:weekly-1:1796724000000"
            ]
        );
        assert_eq!(got[1].title, "Weekly sync (moved)");
        assert_eq!(got[1].starts_at, 1_796_119_200_000 + 4 * 3_600_000);
        assert_eq!(got[0].ends_at, Some(got[0].starts_at + 30 * 60_000));
        assert_eq!(
            got[0].participants,
            ["buyer@client.example", "rep@acme.example"]
        );
    }

    #[test]
    fn multistatus_calendar_data_is_read_with_escapes() {
        let xml = r#"<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><response><href>/a/b.ics</href><propstat><prop><C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:A &amp; B&#13;
END:VCALENDAR</C:calendar-data></prop></propstat></response></multistatus>"#;
        let data = calendar_data(xml).expect("xml");
        assert_eq!(data.len(), 1);
        assert!(data[0].contains("SUMMARY:A & B"));
        assert!(calendar_data("not xml").is_err());
    }
}
