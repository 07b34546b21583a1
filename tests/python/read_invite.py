"""Read an iMIP invitation as a calendar client would: the email (argv[1],
raw RFC 5322) must carry a text/plain part and a text/calendar part with
method=REQUEST, which the `icalendar` library parses. Prints what a client
would show, as JSON, for the Rust test to check."""

import email
import json
import sys
from email import policy

import icalendar

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=policy.default)

parts = [p for p in msg.walk() if not p.is_multipart()]
plain = [p for p in parts if p.get_content_type() == "text/plain"]
cal = [p for p in parts if p.get_content_type() == "text/calendar"]
if len(cal) != 1:
    sys.exit(f"expected one text/calendar part, found {len(cal)}")
part = cal[0]
text = part.get_content()
c = icalendar.Calendar.from_ical(text)
events = [e for e in c.walk("VEVENT")]
if len(events) != 1:
    sys.exit(f"expected one VEVENT, found {len(events)}")
e = events[0]
attendees = e.get("ATTENDEE")
if not isinstance(attendees, list):
    attendees = [attendees]
print(json.dumps({
    "content_type_method": part.get_param("method"),
    "method": str(c.get("METHOD")),
    "version": str(c.get("VERSION")),
    "prodid": str(c.get("PRODID")),
    "uid": str(e.get("UID")),
    "summary": str(e.get("SUMMARY")),
    "description": str(e.get("DESCRIPTION")),
    "sequence": int(e.get("SEQUENCE")),
    "dtstamp": e.decoded("DTSTAMP").isoformat(),
    "dtstart": e.decoded("DTSTART").isoformat(),
    "dtend": e.decoded("DTEND").isoformat(),
    "organizer": str(e.get("ORGANIZER")),
    "organizer_cn": str(e.get("ORGANIZER").params.get("CN")),
    "attendees": [str(a) for a in attendees],
    "rsvp": [str(a.params.get("RSVP")) for a in attendees],
    "plain": plain[0].get_content() if plain else None,
}))
