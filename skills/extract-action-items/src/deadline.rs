//! Deadlines as people say them ("by Friday", "end of next week", "the 3rd",
//! "in two weeks") found in a clause and resolved to a calendar date
//! relative to the day of the meeting in the rep's time zone.
//!
//! Resolution rules, chosen to match what the speaker most likely meant:
//! - a weekday is the next one after the meeting day ("Friday" said on a
//!   Friday is a week later); "next Tuesday" skips the meeting's own week;
//! - "this week" / "end of the week" is that week's Friday, "next week" the
//!   following Friday, "early next week" its Tuesday;
//! - a day of the month or a month and day already past is the next one.

use baton_sdk::calendar::{day_of_month, upcoming};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// A deadline: the words that said it and the date they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The phrase as said, e.g. `by Friday`.
    pub text: String,
    pub date: Date,
}

const SMALL_NUMBERS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

/// Words that may introduce a deadline and belong in its text.
const LEADS: [&str; 8] = [
    "by", "before", "until", "till", "on", "this", "next", "coming",
];

fn weekday(w: &str) -> Option<Weekday> {
    baton_sdk::calendar::weekday_number(w, false)
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
}

fn month(w: &str) -> Option<i8> {
    baton_sdk::calendar::month_number(w)
}

fn number(w: &str) -> Option<i64> {
    SMALL_NUMBERS
        .iter()
        .position(|n| *n == w)
        .and_then(|i| i64::try_from(i).ok())
        .or_else(|| w.parse().ok())
        .or(match w {
            "a" | "an" => Some(1),
            "couple" => Some(2),
            "few" => Some(3),
            _ => None,
        })
}

/// The next `day` strictly after `from`.
fn next_weekday(from: Date, day: Weekday) -> Date {
    let ahead = (day.to_monday_zero_offset() - from.weekday().to_monday_zero_offset() + 7) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    from.saturating_add(i64::from(ahead).days())
}

/// The Monday of the week `from` is in.
fn monday_of(from: Date) -> Date {
    from.saturating_sub(i64::from(from.weekday().to_monday_zero_offset()).days())
}

fn friday_of(from: Date) -> Date {
    monday_of(from).saturating_add(4.days())
}

fn end_of_month(d: Date) -> Date {
    d.last_of_month()
}

/// Find the first deadline in `words` (lowercase, punctuation stripped) and
/// resolve it against `today`, the meeting's date in the rep's zone.
pub fn find(words: &[&str], today: Date) -> Option<Deadline> {
    (0..words.len()).find_map(|i| at(words, i, today))
}

/// A deadline starting at `i` (after any lead words), with its text.
fn at(words: &[&str], i: usize, today: Date) -> Option<Deadline> {
    // Lead words are part of the text but not of the meaning, except
    // `next`, which shifts a weekday by a week.
    let mut j = i;
    while words.get(j).is_some_and(|w| LEADS.contains(w)) {
        j += 1;
    }
    if j > i + 2 {
        return None;
    }
    let lead = &words[i..j];
    let next = lead.contains(&"next");
    let w = |k: usize| words.get(k).copied().unwrap_or("");
    let (date, end) = match w(j) {
        "today" | "tonight" | "eod" => (today, j + 1),
        "tomorrow" => (today.saturating_add(1.days()), j + 1),
        "end" | "close" if w(j + 1) == "of" => {
            let k = if matches!(w(j + 2), "the" | "this") {
                j + 3
            } else {
                j + 2
            };
            match (w(k), w(k + 1)) {
                ("day", _) | ("business", "day") => (today, k + 1),
                ("week", _) => (friday_of(today), k + 1),
                ("month", _) => (end_of_month(today), k + 1),
                ("next", "week") => (friday_of(today).saturating_add(7.days()), k + 2),
                ("next", "month") => (end_of_month(first_of_next_month(today)), k + 2),
                _ => return None,
            }
        }
        "early" if w(j + 1) == "next" && w(j + 2) == "week" => {
            (monday_of(today).saturating_add(8.days()), j + 3)
        }
        "week" if !lead.is_empty() => {
            if next {
                (friday_of(today).saturating_add(7.days()), j + 1)
            } else if lead.contains(&"this") {
                (friday_of(today), j + 1)
            } else {
                return None;
            }
        }
        "month" if next => (end_of_month(first_of_next_month(today)), j + 1),
        "in" | "within" => {
            let mut k = j + 1;
            if matches!(w(k), "a" | "an") && matches!(w(k + 1), "couple" | "few") {
                k += 1;
            }
            let n = number(w(k))?;
            k += 1;
            if w(k) == "of" {
                k += 1;
            }
            let days = match w(k).trim_end_matches('s') {
                "day" => n,
                "week" => n * 7,
                _ => return None,
            };
            (today.saturating_add(days.days()), k + 1)
        }
        "the" => {
            let d = day_of_month(w(j + 1), true)?;
            if w(j + 2) == "of"
                && let Some(m) = month(w(j + 3))
            {
                (upcoming(today, m, d)?, j + 4)
            } else {
                let this = Date::new(today.year(), today.month(), d).ok();
                let date = match this {
                    Some(x) if x >= today => x,
                    _ => {
                        let n = first_of_next_month(today);
                        Date::new(n.year(), n.month(), d).ok()?
                    }
                };
                (date, j + 2)
            }
        }
        other => {
            if let Some(day) = weekday(other) {
                let mut date = next_weekday(today, day);
                if next && monday_of(date) == monday_of(today) {
                    date = date.saturating_add(7.days());
                }
                (date, j + 1)
            } else if let Some(m) = month(other) {
                let d = day_of_month(w(j + 1), true)?;
                (upcoming(today, m, d)?, j + 2)
            } else {
                return None;
            }
        }
    };
    Some(Deadline {
        text: words[i..end].join(" "),
        date,
    })
}

fn first_of_next_month(d: Date) -> Date {
    d.first_of_month().saturating_add(1.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Thursday 20 November 2026.
    const MEETING: Date = date(2026, 11, 20);

    fn resolve(phrase: &str) -> Option<(String, Date)> {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        find(&words, MEETING).map(|d| (d.text, d.date))
    }

    #[test]
    fn weekdays_are_the_next_one_after_the_meeting() {
        assert_eq!(
            resolve("i'll send it by friday"),
            Some(("by friday".into(), date(2026, 11, 27)))
        );
        assert_eq!(
            resolve("send it on monday"),
            Some(("on monday".into(), date(2026, 11, 23)))
        );
        assert_eq!(
            resolve("let's talk next tuesday"),
            Some(("next tuesday".into(), date(2026, 11, 24)))
        );
    }

    #[test]
    fn next_weekday_skips_the_current_week() {
        // Monday 16 November: "next Thursday" is the 26th, not the 19th.
        let words = ["next", "thursday"];
        assert_eq!(
            find(&words, date(2026, 11, 16)).map(|d| d.date),
            Some(date(2026, 11, 26))
        );
        assert_eq!(
            find(&["thursday"], date(2026, 11, 16)).map(|d| d.date),
            Some(date(2026, 11, 19))
        );
    }

    #[test]
    fn relative_days_weeks_and_months() {
        assert_eq!(
            resolve("by tomorrow").map(|d| d.1),
            Some(date(2026, 11, 21))
        );
        assert_eq!(resolve("today").map(|d| d.1), Some(MEETING));
        assert_eq!(
            resolve("by end of the week").map(|d| d.1),
            Some(date(2026, 11, 20))
        );
        assert_eq!(resolve("next week").map(|d| d.1), Some(date(2026, 11, 27)));
        assert_eq!(
            resolve("early next week").map(|d| d.1),
            Some(date(2026, 11, 24))
        );
        assert_eq!(
            resolve("by the end of the month").map(|d| d.1),
            Some(date(2026, 11, 30))
        );
        assert_eq!(
            resolve("end of next month").map(|d| d.1),
            Some(date(2026, 12, 31))
        );
        assert_eq!(
            resolve("in two weeks").map(|d| d.1),
            Some(date(2026, 12, 4))
        );
        assert_eq!(
            resolve("within a couple of days").map(|d| d.1),
            Some(date(2026, 11, 22))
        );
    }

    #[test]
    fn dates_of_the_month_roll_forward() {
        assert_eq!(resolve("by the 3rd").map(|d| d.1), Some(date(2026, 12, 3)));
        assert_eq!(
            resolve("by the 25th").map(|d| d.1),
            Some(date(2026, 11, 25))
        );
        assert_eq!(
            resolve("by january 15th").map(|d| d.1),
            Some(date(2027, 1, 15))
        );
        assert_eq!(
            resolve("on the 2nd of december").map(|d| d.1),
            Some(date(2026, 12, 2))
        );
    }

    #[test]
    fn no_deadline_in_plain_words() {
        assert_eq!(resolve("i'll send the deck over"), None);
        assert_eq!(resolve("this is the week we planned"), None);
        assert_eq!(resolve("may i ask a question"), None);
    }
}
