//! Jordan's calendar as an iCalendar feed on loopback, where the org's
//! `calendar` provider (`rep_ics_url`) points: what a calendar app's
//! "secret address in iCal format" serves. `find-available-slots` reads it
//! to offer times. Plain HTTP/1.1 on a thread, one answer per connection.

use crate::Result;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// Serve `ics` at `/calendars/{user}.ics` on a free loopback port until the
/// process ends; the port.
pub fn serve(user: &str, ics: String) -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot open the calendar feed's port: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("the calendar feed's port: {e}"))?
        .port();
    let path = format!("/calendars/{user}.ics");
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
            let wanted = request.split_whitespace().nth(1) == Some(path.as_str());
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
