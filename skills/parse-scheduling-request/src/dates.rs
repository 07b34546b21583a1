//! Calendar dates as people write them ("the 9th", "Dec 3", "3rd of
//! December"), resolved to the next such date on or after today: a day of
//! the month already past is next month's, a month and day already past
//! next year's.

use crate::words::Token;
use baton_sdk::calendar::{day_of_month, upcoming};
use jiff::ToSpan;
use jiff::civil::Date;

/// A month by name or three-letter form (`dec`, `sept`).
pub fn month(w: &str) -> Option<i8> {
    baton_sdk::calendar::month_number(w)
}

/// The next date with this day of the month, today included.
fn upcoming_day(today: Date, day: i8) -> Option<Date> {
    match Date::new(today.year(), today.month(), day) {
        Ok(d) if d >= today => Some(d),
        _ => {
            let next = today.first_of_month().saturating_add(1.month());
            Date::new(next.year(), next.month(), day).ok()
        }
    }
}

/// A date starting at `i`: "the 9th", "the 3rd of December", "on 9th",
/// "Dec 3", "December 3rd", "3 Dec", "3rd of December"; and where it ends.
pub fn date_at(tokens: &[Token], i: usize, today: Date) -> Option<(Date, usize)> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    if matches!(w(i), "the" | "on")
        && let Some(d) = day_of_month(w(i + 1), false)
    {
        return match month(w(i + 3)) {
            Some(mo) if w(i + 2) == "of" => Some((upcoming(today, mo, d)?, i + 4)),
            _ => match month(w(i + 2)) {
                Some(mo) => Some((upcoming(today, mo, d)?, i + 3)),
                None => Some((upcoming_day(today, d)?, i + 2)),
            },
        };
    }
    if let Some(mo) = month(w(i))
        && let Some(d) = day_of_month(w(i + 1), true)
    {
        return Some((upcoming(today, mo, d)?, i + 2));
    }
    let d = day_of_month(w(i), true)?;
    match (w(i + 1), month(w(i + 1)), month(w(i + 2))) {
        (_, Some(mo), _) => Some((upcoming(today, mo, d)?, i + 2)),
        ("of", _, Some(mo)) => Some((upcoming(today, mo, d)?, i + 3)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tokens;
    use jiff::civil::date;

    fn at(text: &str, today: Date) -> Option<Date> {
        date_at(&tokens(text), 0, today).map(|(d, _)| d)
    }

    #[test]
    fn dates_on_or_after_today() {
        let today = date(2026, 11, 20);
        assert_eq!(at("the 20th", today), Some(today));
        assert_eq!(at("the 19th", today), Some(date(2026, 12, 19)));
        assert_eq!(at("the 31st", date(2026, 11, 5)), Some(date(2026, 12, 31)));
        assert_eq!(at("feb 29", today), None);
        assert_eq!(at("jan 5", today), Some(date(2027, 1, 5)));
        assert_eq!(at("5 jan", today), Some(date(2027, 1, 5)));
        assert_eq!(at("5 things", today), None);
    }

    #[test]
    fn names_and_numbers() {
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("mon"), None);
        assert_eq!(day_of_month("21st", false), Some(21));
        assert_eq!(day_of_month("3", false), None);
        assert_eq!(day_of_month("32", true), None);
    }
}
