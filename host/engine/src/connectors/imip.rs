//! Calendar invitations: an approved `calendar_invite` read into an
//! [`Invite`], written as an iMIP request (RFC 5546 `METHOD:REQUEST`, sent
//! by RFC 6047 as a `text/calendar; method=REQUEST` part beside the plain
//! text) that every calendar client accepts, or handed to the Google
//! Calendar connector as an event.
//!
//! A `calendar_invite` payload: `title`, `start` and `end` (RFC 3339, or a
//! local date and time in `timezone`), `attendees` (addresses), optional
//! `description` and `timezone`.

use super::ConnectorError;
use super::email::Draft;
use super::ics::Ics;
use crate::address::{address_key, recipients};
use jiff::Timestamp;
use serde_json::Value;

/// An invitation, read from an effect's payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    pub title: String,
    pub description: Option<String>,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The rep's IANA zone the times were chosen in (`UTC` when unsaid).
    pub timezone: String,
    /// Addresses, as keys (lower case, no names).
    pub attendees: Vec<String>,
}

impl Invite {
    /// Read a `calendar_invite` payload; the message names what is wrong.
    pub fn from_payload(p: &Value) -> Result<Invite, ConnectorError> {
        let bad = |m: String| ConnectorError::rejected(format!("calendar_invite payload: {m}"));
        let title = p["title"]
            .as_str()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("`title` is missing".into()))?;
        let timezone = p["timezone"]
            .as_str()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("UTC");
        let at = |field: &str| -> Result<Timestamp, ConnectorError> {
            let s = p[field]
                .as_str()
                .ok_or_else(|| bad(format!("`{field}` is missing")))?;
            if let Ok(t) = s.parse::<Timestamp>() {
                return Ok(t);
            }
            let local: jiff::civil::DateTime = s
                .parse()
                .map_err(|_| bad(format!("`{field}` is not a date and time: `{s}`")))?;
            local.in_tz(timezone).map(|z| z.timestamp()).map_err(|e| {
                ConnectorError::rejected_by(
                    format!("calendar_invite payload: `{field}` in `{timezone}`"),
                    e,
                )
            })
        };
        let (start, end) = (at("start")?, at("end")?);
        if end <= start {
            return Err(bad("`end` is not after `start`".into()));
        }
        let attendees: Vec<String> = recipients(&p["attendees"])
            .map_err(bad)?
            .iter()
            .filter_map(|a| address_key(a))
            .collect();
        if attendees.is_empty() {
            return Err(bad("`attendees` names nobody".into()));
        }
        Ok(Invite {
            title: title.to_owned(),
            description: p["description"]
                .as_str()
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned),
            start,
            end,
            timezone: timezone.to_owned(),
            attendees,
        })
    }

    /// The start as the rep reads it, e.g. `Tue 24 Nov 2026 15:00 (Europe/Madrid)`.
    pub fn when(&self) -> String {
        match self.start.in_tz(&self.timezone) {
            Ok(z) => format!("{} ({})", z.strftime("%a %-d %b %Y %H:%M"), self.timezone),
            Err(_) => format!("{} UTC", self.start.strftime("%a %-d %b %Y %H:%M")),
        }
    }

    /// The email that carries the invitation: to the attendees, with the
    /// description and the time in the text part.
    pub fn draft(&self) -> Draft {
        let mut body = format!("{}\n\nWhen: {}", self.title, self.when());
        if let Some(d) = &self.description {
            body = format!("{d}\n\nWhen: {}", self.when());
        }
        Draft {
            to: self.attendees.clone(),
            cc: Vec::new(),
            subject: format!("Invitation: {} @ {}", self.title, self.when()),
            body,
            in_reply_to: None,
            references: Vec::new(),
            attachments: Vec::new(),
            html: None,
        }
    }

    /// The iMIP request: one VEVENT whose UID is `uid` (stable per effect,
    /// so a resent invitation updates the same event), organised by the rep,
    /// each attendee asked to reply.
    pub fn request(&self, uid: &str, organizer: (&str, &str), stamp: Timestamp) -> String {
        let utc = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut ics = Ics::new();
        ics.raw("BEGIN", &[], "VCALENDAR")
            .raw("PRODID", &[], "-//baton//iMIP invitation//EN")
            .raw("VERSION", &[], "2.0")
            .raw("CALSCALE", &[], "GREGORIAN")
            .raw("METHOD", &[], "REQUEST")
            .raw("BEGIN", &[], "VEVENT")
            .raw("UID", &[], uid)
            .raw("DTSTAMP", &[], &utc(stamp))
            .raw("DTSTART", &[], &utc(self.start))
            .raw("DTEND", &[], &utc(self.end))
            .raw("SEQUENCE", &[], "0")
            .raw("STATUS", &[], "CONFIRMED")
            .text("SUMMARY", &self.title);
        if let Some(d) = &self.description {
            ics.text("DESCRIPTION", d);
        }
        let (name, email) = organizer;
        ics.raw(
            "ORGANIZER",
            &[("CN", name)],
            &format!("mailto:{}", email.trim()),
        );
        for a in &self.attendees {
            ics.raw(
                "ATTENDEE",
                &[
                    ("CUTYPE", "INDIVIDUAL"),
                    ("ROLE", "REQ-PARTICIPANT"),
                    ("PARTSTAT", "NEEDS-ACTION"),
                    ("RSVP", "TRUE"),
                ],
                &format!("mailto:{a}"),
            );
        }
        ics.raw("END", &[], "VEVENT").raw("END", &[], "VCALENDAR");
        ics.finish()
    }
}

/// An id for what an effect creates elsewhere, stable across redeliveries:
/// the SHA-256 of its idempotency key in lower-case hex (64 characters, all
/// in Google's base32hex event-id alphabet).
pub fn effect_uid(idempotency_key: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(idempotency_key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_invite_reads_local_times_in_its_zone_and_names_what_is_missing() {
        let i = Invite::from_payload(&json!({
            "title": "Pricing call", "start": "2026-11-25T10:00:00", "end": "2026-11-25T10:30:00",
            "timezone": "Europe/Madrid", "attendees": ["Marta <Marta.Ruiz@northwind.example>"],
        }))
        .expect("an invite");
        assert_eq!(i.start.to_string(), "2026-11-25T09:00:00Z");
        assert_eq!(i.attendees, vec!["marta.ruiz@northwind.example"]);
        let ics = i.request(
            "abc@baton",
            ("Jordan Avery", "jordan@acme.example"),
            i.start,
        );
        // Content lines are folded at 75 octets; a reader unfolds them.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("METHOD:REQUEST\r\n"), "{ics}");
        assert!(unfolded.contains("DTSTART:20261125T090000Z\r\n"), "{ics}");
        assert!(
            unfolded.contains("RSVP=TRUE:mailto:marta.ruiz@northwind.example\r\n"),
            "{ics}"
        );
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
        for (payload, problem) in [
            (json!({ "start": "2026-11-25T10:00:00Z" }), "title"),
            (
                json!({ "title": "x", "start": "soon", "end": "2026-11-25T10:00:00Z" }),
                "start",
            ),
            (
                json!({ "title": "x", "start": "2026-11-25T10:00:00Z", "end": "2026-11-25T09:00:00Z", "attendees": ["a@b.example"] }),
                "not after",
            ),
            (
                json!({ "title": "x", "start": "2026-11-25T10:00:00Z", "end": "2026-11-25T11:00:00Z" }),
                "attendees",
            ),
        ] {
            let e = Invite::from_payload(&payload).expect_err("refused");
            assert!(e.report().contains(problem), "{e}");
            assert!(!e.is_retriable());
        }
        assert_eq!(effect_uid("k").len(), 64);
        assert_eq!(effect_uid("k"), effect_uid("k"));
    }
}
