//! Time zone hints ("EST", "PT", "CET", "London time", "Sydney") as IANA
//! names. An abbreviation names the zone people use it for, whatever the
//! season: "EST" in July still means New York. The first hint wins.

use crate::words::Token;

/// Abbreviations and single words that name a zone on their own.
const WORDS: &[(&str, &str)] = &[
    ("est", "America/New_York"),
    ("edt", "America/New_York"),
    ("et", "America/New_York"),
    ("eastern", "America/New_York"),
    ("cst", "America/Chicago"),
    ("cdt", "America/Chicago"),
    ("ct", "America/Chicago"),
    ("mst", "America/Denver"),
    ("mdt", "America/Denver"),
    ("pst", "America/Los_Angeles"),
    ("pdt", "America/Los_Angeles"),
    ("pt", "America/Los_Angeles"),
    ("pacific", "America/Los_Angeles"),
    ("gmt", "Europe/London"),
    ("bst", "Europe/London"),
    ("uk", "Europe/London"),
    ("london", "Europe/London"),
    ("dublin", "Europe/Dublin"),
    ("lisbon", "Europe/Lisbon"),
    ("utc", "UTC"),
    ("cet", "Europe/Berlin"),
    ("cest", "Europe/Berlin"),
    ("berlin", "Europe/Berlin"),
    ("munich", "Europe/Berlin"),
    ("paris", "Europe/Paris"),
    ("madrid", "Europe/Madrid"),
    ("amsterdam", "Europe/Amsterdam"),
    ("zurich", "Europe/Zurich"),
    ("stockholm", "Europe/Stockholm"),
    ("eet", "Europe/Helsinki"),
    ("helsinki", "Europe/Helsinki"),
    ("dubai", "Asia/Dubai"),
    ("ist", "Asia/Kolkata"),
    ("india", "Asia/Kolkata"),
    ("bangalore", "Asia/Kolkata"),
    ("singapore", "Asia/Singapore"),
    ("sgt", "Asia/Singapore"),
    ("tokyo", "Asia/Tokyo"),
    ("jst", "Asia/Tokyo"),
    ("sydney", "Australia/Sydney"),
    ("melbourne", "Australia/Melbourne"),
    ("brisbane", "Australia/Brisbane"),
    ("perth", "Australia/Perth"),
    ("aest", "Australia/Sydney"),
    ("aedt", "Australia/Sydney"),
    ("auckland", "Pacific/Auckland"),
    ("nzt", "Pacific/Auckland"),
    ("nzdt", "Pacific/Auckland"),
    ("toronto", "America/Toronto"),
    ("vancouver", "America/Vancouver"),
    ("chicago", "America/Chicago"),
    ("austin", "America/Chicago"),
    ("denver", "America/Denver"),
    ("seattle", "America/Los_Angeles"),
    ("boston", "America/New_York"),
    ("nyc", "America/New_York"),
];

/// Pairs of words that name a zone together.
const PAIRS: &[(&str, &str, &str)] = &[
    ("new", "york", "America/New_York"),
    ("san", "francisco", "America/Los_Angeles"),
    ("los", "angeles", "America/Los_Angeles"),
    ("hong", "kong", "Asia/Hong_Kong"),
    ("central", "european", "Europe/Berlin"),
    ("central", "time", "America/Chicago"),
    ("mountain", "time", "America/Denver"),
];

/// The first zone the request hints at.
pub fn find(tokens: &[Token]) -> Option<&'static str> {
    tokens.iter().enumerate().find_map(|(i, t)| {
        let next = tokens.get(i + 1).map_or("", |n| n.text.as_str());
        PAIRS
            .iter()
            .find(|(a, b, _)| *a == t.text && *b == next)
            .map(|(_, _, z)| *z)
            .or_else(|| WORDS.iter().find(|(w, _)| *w == t.text).map(|(_, z)| *z))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tokens;

    fn zone(s: &str) -> Option<&'static str> {
        find(&tokens(s))
    }

    #[test]
    fn abbreviations_cities_and_phrases() {
        assert_eq!(zone("10am EST works"), Some("America/New_York"));
        assert_eq!(zone("2pm PT?"), Some("America/Los_Angeles"));
        assert_eq!(zone("9:00 CET"), Some("Europe/Berlin"));
        assert_eq!(zone("after 3 London time"), Some("Europe/London"));
        assert_eq!(zone("I'm in Sydney this month"), Some("Australia/Sydney"));
        assert_eq!(zone("our New York office"), Some("America/New_York"));
        assert_eq!(zone("3pm central time"), Some("America/Chicago"));
        assert_eq!(zone("Central European hours"), Some("Europe/Berlin"));
        assert_eq!(zone("free thursday at 10"), None);
        assert_eq!(zone("a central question"), None);
    }

    #[test]
    fn every_name_is_a_zone_jiff_knows() {
        for z in WORDS.iter().map(|w| w.1).chain(PAIRS.iter().map(|p| p.2)) {
            assert!(jiff::tz::TimeZone::get(z).is_ok(), "{z}");
        }
    }
}
