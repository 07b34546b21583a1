//! Times of day in a request: points ("at 2:30", "10am"), ranges ("10–12",
//! "between 2 and 4pm") and bounds ("after 2pm", "before 11", "no later
//! than 4"), as minutes after local midnight.
//!
//! An hour without am/pm is read as a working hour: 1 to 6 are afternoon,
//! 7 to 11 morning. A bare number is a time only after a word that
//! introduces one ("at 3", "after 2"); a number next to a month or a unit is
//! never a time.

use crate::dates::month;
use crate::words::Token;

/// What a time expression says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A start ("at 2:30") or a span they are free in ("10–12").
    Offer,
    /// Not before this minute.
    NotBefore,
    /// Not after this minute.
    NotAfter,
}

/// A time expression and where it sits in the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub from: u32,
    /// The end of a range.
    pub to: Option<u32>,
    pub kind: Kind,
    /// Said with "between" (a window, not an offer, when no day goes with it).
    pub between: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// A clock reading before am/pm is applied.
#[derive(Debug, Clone, Copy)]
struct Raw {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    /// Written with minutes or am/pm or as "noon": surely a time.
    sure: bool,
    end: usize,
}

/// Words after a number that make it something other than a time.
fn is_unit(w: &str) -> bool {
    matches!(
        w,
        "min"
            | "mins"
            | "minute"
            | "minutes"
            | "m"
            | "hour"
            | "hours"
            | "hr"
            | "hrs"
            | "h"
            | "day"
            | "days"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "people"
            | "seats"
            | "users"
            | "k"
            | "percent"
            | "of"
    )
}

fn raw(tokens: &[Token], i: usize, used: &[bool]) -> Option<Raw> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    if used.get(i).copied().unwrap_or(true) {
        return None;
    }
    if matches!(w(i), "noon" | "midday") {
        return Some(Raw {
            hour: 12,
            minute: 0,
            meridiem: Some(Meridiem::Pm),
            sure: true,
            end: i + 1,
        });
    }
    let text = w(i);
    let (h, m, colon) = match text.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?, true),
        Some(_) => return None,
        None => (text.parse::<u32>().ok()?, 0, false),
    };
    if h > 23 || m > 59 || (i > 0 && (month(w(i - 1)).is_some() || w(i - 1) == "the")) {
        return None;
    }
    let (meridiem, end) = match w(i + 1) {
        "am" => (Some(Meridiem::Am), i + 2),
        "pm" => (Some(Meridiem::Pm), i + 2),
        "o'clock" | "oclock" => (None, i + 2),
        _ => (None, i + 1),
    };
    if meridiem.is_none() && (is_unit(w(i + 1)) || month(w(i + 1)).is_some()) {
        return None;
    }
    if meridiem.is_some() && !(1..=12).contains(&h) {
        return None;
    }
    Some(Raw {
        hour: h,
        minute: m,
        meridiem,
        sure: colon || meridiem.is_some() || end == i + 2,
        end,
    })
}

/// Minutes after midnight, reading an hour without am/pm as a working hour.
fn minutes(r: Raw) -> u32 {
    let hour = match (r.meridiem, r.hour) {
        (Some(Meridiem::Pm), h) if h < 12 => h + 12,
        (Some(Meridiem::Am), 12) => 0,
        (None, h @ 1..=6) => h + 12,
        (_, h) => h,
    };
    hour * 60 + r.minute
}

/// A range's two ends, lending am/pm from one end to the other when that
/// keeps the range in order ("2-4pm" is 14:00–16:00, "10-12pm" 10:00–12:00).
fn range(a: Raw, b: Raw) -> Option<(u32, u32)> {
    let to = minutes(b);
    let mut from = minutes(a);
    if a.meridiem.is_none()
        && b.meridiem == Some(Meridiem::Pm)
        && a.hour < 12
        && from < 12 * 60
        && from + 12 * 60 < to
    {
        from += 12 * 60;
    }
    (from < to).then_some((from, to))
}

/// Every time expression in `tokens`, skipping `used` tokens.
pub fn find(tokens: &[Token], used: &[bool]) -> Vec<Said> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(a) = raw(tokens, i, used) else {
            i += 1;
            continue;
        };
        let between = i > 0 && w(i - 1) == "between";
        let joined =
            matches!(w(a.end), "-" | "to" | "until" | "till") || (between && w(a.end) == "and");
        let second = if joined {
            raw(tokens, a.end + 1, used)
        } else {
            None
        };
        let (from, to, end) = match second.and_then(|b| range(a, b).map(|r| (r, b.end))) {
            Some(((from, to), end)) => (from, Some(to), end),
            None => (minutes(a), None, a.end),
        };
        let kind = match (w(end), w(end + 1), w(end + 2)) {
            ("onwards" | "onward", _, _) | ("or", "later" | "after", _) => Kind::NotBefore,
            ("at", "the", "earliest") => Kind::NotBefore,
            ("or", "earlier" | "before", _) | ("at", "the", "latest") => Kind::NotAfter,
            _ => kind_before(tokens, i),
        };
        let introduced = i > 0
            && matches!(
                w(i - 1),
                "at" | "after"
                    | "before"
                    | "by"
                    | "until"
                    | "till"
                    | "from"
                    | "around"
                    | "about"
                    | "say"
                    | "between"
                    | "than"
                    | "past"
                    | "maybe"
                    | "ideally"
            );
        if a.sure || to.is_some() || introduced {
            out.push(Said {
                start: i,
                end,
                sentence: tokens[i].sentence,
                from,
                to,
                kind: if to.is_some() && kind != Kind::Offer && !between {
                    // "from 10 to 12" is an offer of a span.
                    Kind::Offer
                } else {
                    kind
                },
                between,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// What the words before a time make of it.
fn kind_before(tokens: &[Token], i: usize) -> Kind {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let mut k = i;
    // Skip hedges: "after about 2", "before say 11".
    while k > 0
        && matches!(
            w(k - 1),
            "about" | "around" | "say" | "like" | "roughly" | "maybe"
        )
    {
        k -= 1;
    }
    let prev = if k >= 1 { w(k - 1) } else { "" };
    let prev2 = if k >= 2 { w(k - 2) } else { "" };
    let prev3 = if k >= 3 { w(k - 3) } else { "" };
    match (prev3, prev2, prev) {
        (_, "not", "before") => Kind::NotBefore,
        (_, "not", "after") => Kind::NotAfter,
        (_, _, "after" | "past" | "from") => Kind::NotBefore,
        (_, _, "before" | "by" | "until" | "till") => Kind::NotAfter,
        ("no" | "not", "earlier", "than") => Kind::NotBefore,
        ("no" | "not", "later", "than") => Kind::NotAfter,
        _ => Kind::Offer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tokens;

    fn said(s: &str) -> Vec<(Kind, u32, Option<u32>)> {
        let t = tokens(s);
        let used = vec![false; t.len()];
        find(&t, &used)
            .into_iter()
            .map(|x| (x.kind, x.from, x.to))
            .collect()
    }

    const H: u32 = 60;

    #[test]
    fn points_and_ranges() {
        assert_eq!(
            said("could we start at 2:30?"),
            [(Kind::Offer, 14 * H + 30, None)]
        );
        assert_eq!(
            said("free Thursday 10–12"),
            [(Kind::Offer, 10 * H, Some(12 * H))]
        );
        assert_eq!(said("2-4pm"), [(Kind::Offer, 14 * H, Some(16 * H))]);
        assert_eq!(said("10-12pm"), [(Kind::Offer, 10 * H, Some(12 * H))]);
        assert_eq!(said("11 to 1"), [(Kind::Offer, 11 * H, Some(13 * H))]);
        assert_eq!(said("9am"), [(Kind::Offer, 9 * H, None)]);
        assert_eq!(
            said("12pm or 12:30"),
            [
                (Kind::Offer, 12 * H, None),
                (Kind::Offer, 12 * H + 30, None)
            ]
        );
        assert_eq!(said("at noon"), [(Kind::Offer, 12 * H, None)]);
        assert_eq!(said("16:00 works"), [(Kind::Offer, 16 * H, None)]);
        assert_eq!(
            said("between 2 and 4"),
            [(Kind::Offer, 14 * H, Some(16 * H))]
        );
    }

    #[test]
    fn bounds() {
        assert_eq!(said("after 2pm"), [(Kind::NotBefore, 14 * H, None)]);
        assert_eq!(said("before 11"), [(Kind::NotAfter, 11 * H, None)]);
        assert_eq!(said("not before 10am"), [(Kind::NotBefore, 10 * H, None)]);
        assert_eq!(said("no later than 4"), [(Kind::NotAfter, 16 * H, None)]);
        assert_eq!(
            said("no earlier than 9:30"),
            [(Kind::NotBefore, 9 * H + 30, None)]
        );
        assert_eq!(said("after about 3"), [(Kind::NotBefore, 15 * H, None)]);
        assert_eq!(said("2pm onwards"), [(Kind::NotBefore, 14 * H, None)]);
        assert_eq!(
            said("10am at the earliest"),
            [(Kind::NotBefore, 10 * H, None)]
        );
        assert_eq!(
            said("4:30 or earlier"),
            [(Kind::NotAfter, 16 * H + 30, None)]
        );
    }

    #[test]
    fn numbers_that_are_not_times() {
        assert!(said("Dec 3").is_empty());
        assert!(said("3 weeks").is_empty());
        assert!(said("we have 40 seats").is_empty());
        assert!(said("the 9th").is_empty());
        assert!(said("2-3 weeks").is_empty());
        assert!(said("version 2 is out").is_empty());
        assert!(said("2026").is_empty());
    }
}
