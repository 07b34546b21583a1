//! Meetings in an import document: calendar events for a rep, as calendar
//! sync would write them, so a fresh install (the demo) has a day to brief
//! and prepare for. A start is RFC 3339, or `today HH:MM` / `tomorrow
//! HH:MM` in the rep's time zone on the day of the import, so the demo's
//! meetings are always today's. Each is keyed by rep, local date, time and
//! title: importing again the same day changes nothing.

use crate::import_doc::{ImportDoc, ImportError};
use crate::store::MeetingTables;
use crate::store::SyncedMeeting;
use baton_store::{OrgId, Store, UserId};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// A start as written: an instant, or a day relative to the import and a
/// local time.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Start {
    At(jiff::Timestamp),
    Local { days: i64, time: Time },
}

fn parse_start(s: &str) -> Result<Start, String> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(Start::At(t));
    }
    let (day, time) = s
        .split_once(' ')
        .ok_or_else(|| format!("`{s}` is neither RFC 3339 nor `today HH:MM`"))?;
    let days = match day {
        "today" => 0,
        "tomorrow" => 1,
        other => return Err(format!("`{other}` is not `today` or `tomorrow`")),
    };
    let time = Time::strptime("%H:%M", time.trim())
        .map_err(|_| format!("`{time}` is not a time of day as HH:MM"))?;
    Ok(Start::Local { days, time })
}

/// Check the meetings before anything is written.
pub fn validate(doc: &ImportDoc) -> Result<(), ImportError> {
    for (i, m) in doc.meetings.iter().enumerate() {
        let at = |what: String| ImportError::Invalid(format!("meetings[{i}]: {what}"));
        if !doc.users.iter().any(|u| u.handle == m.user) {
            return Err(at(format!("user `{}` is not in `users`", m.user)));
        }
        if m.title.trim().is_empty() {
            return Err(at("the title is empty".into()));
        }
        if !(1..=24 * 60).contains(&m.minutes) {
            return Err(at(format!("minutes is {}: 1 to 1440", m.minutes)));
        }
        if let Some(c) = &m.contact
            && !doc.contacts.iter().any(|x| &x.email == c)
        {
            return Err(at(format!("contact `{c}` is not in `contacts`")));
        }
        if let Some(d) = &m.deal
            && !doc.deals.iter().any(|x| &x.name == d)
        {
            return Err(at(format!("deal `{d}` is not in `deals`")));
        }
        parse_start(&m.starts_at).map_err(|e| at(format!("starts_at: {e}")))?;
    }
    Ok(())
}

/// The ids the rest of the import wrote, by the names the document uses.
pub struct Written<'a> {
    pub users: &'a BTreeMap<&'a str, UserId>,
    pub contacts: &'a BTreeMap<&'a str, String>,
    pub deals: &'a BTreeMap<&'a str, String>,
}

/// Write the document's meetings (validated) at import time `now`.
pub async fn import(
    store: &Store,
    org: &OrgId,
    doc: &ImportDoc,
    ids: &Written<'_>,
    now: i64,
) -> Result<usize, ImportError> {
    let invalid = |i: usize, e: String| ImportError::Invalid(format!("meetings[{i}]: {e}"));
    for (i, m) in doc.meetings.iter().enumerate() {
        let Some(user) = ids.users.get(m.user.as_str()) else {
            return Err(invalid(i, format!("user `{}` was not written", m.user)));
        };
        let prefs = store.preferences(org, user).await?;
        let tz = TimeZone::get(&prefs.timezone).unwrap_or(TimeZone::UTC);
        let starts = match parse_start(&m.starts_at).map_err(|e| invalid(i, e))? {
            Start::At(t) => t,
            Start::Local { days, time } => {
                let today: Date = jiff::Timestamp::from_millisecond(now)
                    .map(|t| t.to_zoned(tz.clone()).date())
                    .map_err(|e| invalid(i, e.to_string()))?;
                today
                    .checked_add(jiff::Span::new().days(days))
                    .and_then(|d| d.to_datetime(time).to_zoned(tz.clone()))
                    .map(|z| z.timestamp())
                    .map_err(|e| invalid(i, e.to_string()))?
            }
        };
        let starts_at = starts.as_millisecond();
        let local = starts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string();
        let key = format!("import:{}:{local}:{}", m.user, m.title);
        store
            .upsert_meeting(
                org,
                &SyncedMeeting {
                    user_id: user,
                    external_id: &key,
                    title: &m.title,
                    starts_at,
                    ends_at: Some(starts_at + m.minutes * 60_000),
                    contact_id: m
                        .contact
                        .as_deref()
                        .and_then(|c| ids.contacts.get(c))
                        .map(String::as_str),
                    deal_id: m
                        .deal
                        .as_deref()
                        .and_then(|d| ids.deals.get(d))
                        .map(String::as_str),
                },
                now,
            )
            .await?;
    }
    Ok(doc.meetings.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_is_an_instant_or_a_local_time_today_or_tomorrow() {
        assert!(matches!(
            parse_start("2026-11-24T14:30:00Z"),
            Ok(Start::At(_))
        ));
        assert_eq!(
            parse_start("tomorrow 09:30"),
            Ok(Start::Local {
                days: 1,
                time: Time::constant(9, 30, 0, 0)
            })
        );
        assert!(parse_start("today 25:00").is_err());
        assert!(parse_start("yesterday 09:00").is_err());
        assert!(parse_start("soon").is_err());
    }
}
