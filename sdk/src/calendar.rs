//! Day and month names as people write them, for the skills that read
//! dates out of text ("by Friday", "Tue or Wed", "Dec 3", "the 3rd of
//! September"), and the date such a phrase means. Words are expected in
//! lowercase.

/// Day names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month names, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// 1 (Monday) to 7 (Sunday) for a day name or its plural ("fridays"). With
/// `short_forms`, also the usual abbreviations ("mon", "tue", "tues",
/// "weds", "thur", "thurs", "fri", "sat", "sun"); leave them off where a
/// word like "sat" or "sun" is more likely English than a day.
pub fn weekday_number(word: &str, short_forms: bool) -> Option<i8> {
    let w = word
        .strip_suffix('s')
        .filter(|s| s.ends_with("day"))
        .unwrap_or(word);
    let w = match (short_forms, w) {
        (true, "tues") => "tue",
        (true, "weds") => "wed",
        (true, "thur" | "thurs") => "thu",
        (_, other) => other,
    };
    WEEKDAYS
        .iter()
        .position(|d| *d == w || (short_forms && w.len() == 3 && d.starts_with(w)))
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// 1 (January) to 12 for a month name, its three-letter form ("dec") or
/// "sept".
pub fn month_number(word: &str) -> Option<i8> {
    MONTHS
        .iter()
        .position(|m| {
            *m == word
                || (word.len() == 3 && m.starts_with(word))
                || (word == "sept" && *m == "september")
        })
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// A day of the month as written: `3rd`, `21st`, or a plain `3` when
/// `plain` (where a bare number is more likely a day than a count).
pub fn day_of_month(word: &str, plain: bool) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let ok = matches!(suffix, "st" | "nd" | "rd" | "th") || (plain && suffix.is_empty());
    if !ok || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i8>().ok().filter(|d| (1..=31).contains(d))
}

/// The first date on or after `from` with this month and day: this year's,
/// else next year's ("3 Dec" said on 5 Dec is next December; "29 Feb" said
/// in 2027 is 2028-02-29). `None` when neither year has that day.
pub fn upcoming(from: jiff::civil::Date, month: i8, day: i8) -> Option<jiff::civil::Date> {
    match jiff::civil::Date::new(from.year(), month, day) {
        Ok(d) if d >= from => Some(d),
        _ => jiff::civil::Date::new(from.year().checked_add(1)?, month, day).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_next_date_with_a_month_and_day() {
        let today = date(2026, 11, 23);
        assert_eq!(upcoming(today, 12, 3), Some(date(2026, 12, 3)));
        assert_eq!(upcoming(today, 11, 23), Some(today), "today counts");
        assert_eq!(upcoming(today, 1, 5), Some(date(2027, 1, 5)));
        assert_eq!(upcoming(date(2027, 3, 1), 2, 29), Some(date(2028, 2, 29)));
        assert_eq!(upcoming(date(2025, 3, 1), 2, 29), None);
        assert_eq!(upcoming(today, 4, 31), None);
    }

    #[test]
    fn days_of_the_month_with_and_without_suffixes() {
        assert_eq!(day_of_month("21st", false), Some(21));
        assert_eq!(day_of_month("3rd", false), Some(3));
        assert_eq!(day_of_month("3", false), None);
        assert_eq!(day_of_month("3", true), Some(3));
        assert_eq!(day_of_month("32", true), None);
        assert_eq!(day_of_month("0th", true), None);
        assert_eq!(day_of_month("3x", true), None);
        assert_eq!(day_of_month("th", true), None);
        assert_eq!(day_of_month("-3", true), None);
    }

    #[test]
    fn day_names_plurals_and_short_forms() {
        assert_eq!(weekday_number("monday", false), Some(1));
        assert_eq!(weekday_number("fridays", false), Some(5));
        assert_eq!(
            weekday_number("sun", false),
            None,
            "no short forms unless asked"
        );
        assert_eq!(weekday_number("sun", true), Some(7));
        assert_eq!(weekday_number("thurs", true), Some(4));
        assert_eq!(weekday_number("tues", true), Some(2));
        assert_eq!(weekday_number("weds", true), Some(3));
        assert_eq!(weekday_number("funday", true), None);
        assert_eq!(weekday_number("mo", true), None);
    }

    #[test]
    fn month_names_and_short_forms() {
        assert_eq!(month_number("december"), Some(12));
        assert_eq!(month_number("dec"), Some(12));
        assert_eq!(month_number("sept"), Some(9));
        assert_eq!(month_number("sep"), Some(9));
        assert_eq!(month_number("may"), Some(5));
        assert_eq!(month_number("ma"), None);
        assert_eq!(month_number("decade"), None);
    }
}
