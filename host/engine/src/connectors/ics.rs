//! A small iCalendar (RFC 5545) writer, enough for one iMIP invitation:
//! content lines ended by CRLF, folded at 75 octets without splitting a
//! UTF-8 character (§3.1), TEXT values escaped (§3.3.11) and parameter
//! values quoted (§3.2).
//!
//! Written here rather than taken from a crate: the Rust `icalendar` crate
//! brings chrono beside the jiff the host already uses, for the ~60 lines
//! an invitation needs; what calendar clients read of it is checked by
//! Python's `icalendar` in the service tests.

/// An iCalendar object being written, one content line at a time.
#[derive(Debug, Default)]
pub struct Ics {
    out: String,
}

impl Ics {
    /// An empty object.
    pub fn new() -> Ics {
        Ics::default()
    }

    /// A property whose value is written as is (a date-time, a URI, a
    /// keyword), with `params` as `(name, value)` pairs.
    pub fn raw(&mut self, name: &str, params: &[(&str, &str)], value: &str) -> &mut Ics {
        let mut line = name.to_owned();
        for (k, v) in params {
            line.push(';');
            line.push_str(k);
            line.push('=');
            line.push_str(&param_value(v));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
        self
    }

    /// A TEXT property (escaped).
    pub fn text(&mut self, name: &str, value: &str) -> &mut Ics {
        self.raw(name, &[], &escape_text(value))
    }

    /// The object as written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A TEXT value escaped: backslash, semicolon, comma and newlines.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value, quoted when it holds `:;,` or a space; a double
/// quote cannot appear in one and is dropped.
fn param_value(v: &str) -> String {
    let clean: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',', ' ']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Append `line` folded at 75 octets: each continuation line starts with a
/// space, and a character is never split.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut ics = Ics::new();
        let summary = "Café ".repeat(40);
        ics.text("SUMMARY", &summary);
        let out = ics.finish();
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{summary}\r\n"));
    }

    #[test]
    fn text_is_escaped_and_parameters_quoted() {
        assert_eq!(escape_text("a, b; c\\d\r\nnext"), "a\\, b\\; c\\\\d\\nnext");
        let mut ics = Ics::new();
        ics.raw(
            "ORGANIZER",
            &[("CN", "Avery, \"Jo\"")],
            "mailto:jo@acme.example",
        );
        assert_eq!(
            ics.finish(),
            "ORGANIZER;CN=\"Avery, Jo\":mailto:jo@acme.example\r\n"
        );
    }
}
