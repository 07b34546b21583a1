//! Jordan's calendar as an iCalendar feed on loopback, where the org's
//! `calendar` provider (`rep_ics_url`, `{user}` being the rep's user id)
//! points: what a calendar app's "secret address in iCal format" serves.
//! `find-available-slots` reads it to offer times. Plain HTTP/1.1 on a
//! thread, one answer per connection.

use crate::Result;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// The rep's user id, once the service has imported them: the feed
/// answers `/calendars/{id}.ics` and 404 until then.
pub(super) type Owner = Arc<Mutex<Option<String>>>;

/// Serve `ics` at `/calendars/{owner}.ics` on a free loopback port until
/// the process ends; the port.
pub(super) fn serve(owner: Owner, ics: String) -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot open the calendar feed's port: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("the calendar feed's port: {e}"))?
        .port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Read the headers to the blank line (a GET has no body).
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            // The target may be in absolute form (`http://host:port/…`).
            let target = request.split_whitespace().nth(1).unwrap_or_default();
            let target = target
                .strip_prefix("http://")
                .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
                .unwrap_or(target);
            let wanted = owner
                .lock()
                .ok()
                .and_then(|o| o.as_ref().map(|id| format!("/calendars/{id}.ics")))
                .is_some_and(|path| target == path);
            let (status, body) = if wanted {
                ("200 OK", ics.as_str())
            } else {
                ("404 Not Found", "no such calendar\n")
            };
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status}\r\nContent-Type: text/calendar; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(port)
}
