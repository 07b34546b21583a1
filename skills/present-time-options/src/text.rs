//! The words the rep and the prospect see: one line per slot for the gate
//! ("Wed 25 Nov 10:00–10:30 EST · 15:00 GMT for them ⚠️ early for them"),
//! and the email listing the times in the prospect's zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use baton_sdk::scheduling::Slot;

/// The slots and how to show them.
pub struct Times<'a> {
    pub slots: &'a [Slot],
    pub rep_zone: &'a str,
    pub prospect_zone: Option<&'a str>,
    pub duration_min: u32,
}

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

impl Times<'_> {
    /// The slot in the rep's time: the finder's words, else its start and
    /// end formatted in the rep's zone.
    pub fn rep_time(&self, slot: &Slot) -> String {
        match slot.rep_local.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => s.to_owned(),
            None => format_span(slot, &zone(self.rep_zone)).unwrap_or_else(|| slot.start.clone()),
        }
    }

    /// When the slot starts for the prospect, "15:00 GMT", with the day
    /// when it is not the rep's day ("Thu 01:00 AEDT").
    fn their_start(&self, slot: &Slot) -> Option<String> {
        let tz = zone(self.prospect_zone?);
        let start: Timestamp = slot.start.parse().ok()?;
        let theirs = start.to_zoned(tz);
        let ours = start.to_zoned(zone(self.rep_zone));
        let format = if theirs.date() == ours.date() {
            "%H:%M %Z"
        } else {
            "%a %H:%M %Z"
        };
        Some(theirs.strftime(format).to_string())
    }

    /// The gate's line for a slot.
    pub fn line(&self, slot: &Slot) -> String {
        let mut line = self.rep_time(slot);
        match (self.their_start(slot), slot.prospect_local.as_deref()) {
            (Some(t), _) => line.push_str(&format!(" · {t} for them")),
            (None, Some(p)) if !p.trim().is_empty() => {
                line.push_str(&format!(" · {p} for them"));
            }
            _ => {}
        }
        if let Some(w) = slot
            .warning
            .as_deref()
            .map(short_warning)
            .filter(|w| !w.is_empty())
        {
            line.push(' ');
            line.push_str(w);
        }
        line
    }

    /// One gate option per slot.
    pub fn option_lines(&self) -> Vec<String> {
        self.slots.iter().map(|s| self.line(s)).collect()
    }

    /// A slot as the prospect reads it: in their zone when known.
    fn for_them(&self, slot: &Slot) -> String {
        if let Some(p) = slot
            .prospect_local
            .as_deref()
            .filter(|p| !p.trim().is_empty())
        {
            return p.to_owned();
        }
        if let Some(s) = self.prospect_zone.and_then(|z| format_span(slot, &zone(z))) {
            return s;
        }
        self.rep_time(slot)
    }

    /// The email offering every slot.
    pub fn email_body(&self, first_name: Option<&str>) -> String {
        let mut body = format!("Hi {},\n\n", first_name.unwrap_or("there"));
        let lead = if self.slots.len() == 1 {
            "Here is a time that works"
        } else {
            "Here are a few times that work"
        };
        body.push_str(&format!(
            "{lead} on my side for a {}-minute call:\n\n",
            self.duration_min
        ));
        for slot in self.slots {
            body.push_str(&format!("- {}\n", self.for_them(slot)));
        }
        body.push_str(
            "\nDoes one of these work for you? If not, send me a couple of times that do and \
             I'll fit around you.\n",
        );
        body
    }
}

/// "⚠️ early for them (8:00 their time)" → "⚠️ early for them".
fn short_warning(w: &str) -> &str {
    match w.find(" (") {
        Some(i) => w[..i].trim(),
        None => w.trim(),
    }
}

/// "Wed 25 Nov 10:00–10:30 EST" in `tz`.
fn format_span(slot: &Slot, tz: &TimeZone) -> Option<String> {
    let start = slot.start.parse::<Timestamp>().ok()?.to_zoned(tz.clone());
    let end = slot.end.parse::<Timestamp>().ok()?.to_zoned(tz.clone());
    Some(format!(
        "{}\u{2013}{}",
        start.strftime("%a %-d %b %H:%M"),
        end.strftime("%H:%M %Z")
    ))
}

/// A first name from an address like `marta.ruiz@…`: the local part's
/// first piece when it has a separator and the piece reads like a name.
/// `marta@…` could as well be `jsmith@…`, and `info@…` is nobody: `None`,
/// so the email says "Hi there" rather than risk a wrong name.
pub fn first_name(address: &str) -> Option<String> {
    let local = address.split('@').next()?;
    let mut pieces = local.split(['.', '_', '-']);
    let first = pieces.next()?;
    pieces.next()?;
    const ROLES: &[&str] = &[
        "info", "sales", "hello", "contact", "admin", "team", "support", "office", "mail",
        "billing", "accounts", "no", "noreply",
    ];
    if first.len() < 2
        || !first.chars().all(|c| c.is_ascii_alphabetic())
        || ROLES.contains(&first.to_ascii_lowercase().as_str())
    {
        return None;
    }
    let mut c = first.chars();
    let head = c.next()?.to_ascii_uppercase();
    Some(
        std::iter::once(head)
            .chain(c.map(|c| c.to_ascii_lowercase()))
            .collect(),
    )
}

/// "Marta", "Marta and Ken", "Marta, Ken and Daniel": the first names of
/// `addresses`, or `None` when one of them has no name to read.
pub fn names(addresses: &[&str]) -> Option<String> {
    let names: Vec<String> = addresses
        .iter()
        .map(|a| first_name(a))
        .collect::<Option<_>>()?;
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_join_as_said() {
        use super::names;
        assert_eq!(names(&["marta.ruiz@n.example"]).as_deref(), Some("Marta"));
        assert_eq!(
            names(&[
                "marta.ruiz@n.example",
                "ken.ito@n.example",
                "dan.moss@n.example"
            ])
            .as_deref(),
            Some("Marta, Ken and Dan")
        );
        assert_eq!(names(&["marta.ruiz@n.example", "info@n.example"]), None);
        assert_eq!(names(&[]), None);
    }

    use super::*;

    #[test]
    fn first_names_from_addresses() {
        assert_eq!(
            first_name("marta.ruiz@northwind.example").as_deref(),
            Some("Marta")
        );
        assert_eq!(first_name("SAM.LEE@example.com").as_deref(), Some("Sam"));
        assert_eq!(first_name("jsmith@example.com"), None);
        assert_eq!(first_name("sales.team@example.com"), None);
        assert_eq!(first_name("info@example.com"), None);
        assert_eq!(first_name("j.smith@example.com"), None);
        assert_eq!(first_name("x9@example.com"), None);
    }

    #[test]
    fn warnings_lose_their_detail() {
        assert_eq!(
            short_warning("⚠️ early for them (8:00 their time)"),
            "⚠️ early for them"
        );
        assert_eq!(short_warning("⚠️ late for them"), "⚠️ late for them");
    }
}
