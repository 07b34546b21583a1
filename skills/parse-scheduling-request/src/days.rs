//! Which days a request means: weekdays ("Tue or Wed", "next Thursday"),
//! weeks ("this week", "early next week", "in two weeks"), dates ("the
//! 9th", "Dec 3", "3rd of December"), and bounds around them ("before
//! Friday", "from Tuesday"), resolved against the day the request was made
//! in the rep's zone.
//!
//! Rules, chosen for what people mean when they ask to meet:
//! - a weekday is the next one after today; "next Tuesday" skips today's
//!   week; a weekday said with a week ("Tuesday next week") falls in it;
//! - a week means its Monday to Friday ("early" Monday–Tuesday, "late" or
//!   "end of" Thursday–Friday), never before today;
//! - a day that "does not work" ("this week is slammed", "not Friday") is
//!   left out;
//! - a weekday said as a habit ("he's in the warehouse on Mondays") is
//!   not a day asked for unless the sentence says it works ("Mondays are
//!   best", "free on Mondays");
//! - dates ([`crate::dates`]) are the next such date.

use crate::dates::date_at;
use crate::words::Token;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// How a mention limits the days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The day itself ("Thursday").
    Exact,
    /// Strictly before it ("before Friday").
    Before,
    /// Up to and including it ("by Friday", "until Friday").
    By,
    /// Strictly after it ("after the 9th").
    After,
    /// From it on ("from Tuesday").
    From,
}

/// Days named by some words of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Token range of the words.
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub first: Date,
    pub last: Date,
    /// The weekday named, when one was.
    pub weekday: Option<Weekday>,
    /// A whole week (or month) rather than one day.
    pub span: bool,
    /// "next Tuesday": already placed in a week.
    pub placed: bool,
    pub bound: Bound,
    /// Said as a day that does not work ("Thursday is out", "not Friday").
    pub negated: bool,
    /// A weekday said as a habit ("on Mondays") with nothing saying it
    /// works: neither asked for nor ruled out.
    pub aside: bool,
    /// A week whose weekdays were said with it: it adds no days itself.
    pub placed_days: bool,
}

/// A working day by name or its usual short forms ("tue", "tues", "thurs").
pub fn weekday(w: &str) -> Option<Weekday> {
    baton_sdk::calendar::weekday_number(w, true)
        .filter(|n| *n <= 5)
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
}

/// `mon`..`fri`, as the output names days.
pub fn short_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

/// The Monday of `d`'s week.
fn monday(d: Date) -> Date {
    d.saturating_sub(i64::from(d.weekday().to_monday_zero_offset()).days())
}

/// Days `from`..=`to` of the week starting `monday`, never before `today`.
fn week_part(monday: Date, from: i64, to: i64, today: Date) -> Option<(Date, Date)> {
    let first = monday.saturating_add(from.days()).max(today);
    let last = monday.saturating_add(to.days());
    (first <= last).then_some((first, last))
}

/// Every mention of days in `tokens`, skipping tokens already `used` (and
/// marking the ones it takes).
pub fn find(tokens: &[Token], today: Date, used: &mut [bool]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if used[i] {
            i += 1;
            continue;
        }
        match at(tokens, i, today) {
            Some(mut m) => {
                m.bound = bound_before(tokens, m.start);
                m.negated = m.bound == Bound::Exact && negated(tokens, m.start, m.end);
                m.aside = !m.negated && habit_aside(tokens, &m);
                // "from Tuesday to Thursday": the second end is a bound too.
                let joined = m.start > 0 && matches!(tokens[m.start - 1].text.as_str(), "to" | "-");
                if joined
                    && let Some(prev) = out.last()
                    && prev.bound == Bound::From
                    && prev.end + 1 == m.start
                {
                    m.bound = Bound::By;
                }
                used[m.start..m.end].iter_mut().for_each(|u| *u = true);
                i = m.end;
                out.push(m);
            }
            None => i += 1,
        }
    }
    place_in_weeks(&mut out, today);
    out
}

/// Words before a day that rule it out ("not Friday", "busy Thursday").
const NOT_BEFORE: &[&str] = &[
    "not",
    "except",
    "cannot",
    "can't",
    "unavailable",
    "busy",
    "out",
    "away",
    "off",
    "booked",
];
/// Words after a day that rule it out ("this week is slammed").
const NOT_AFTER: &[&str] = &[
    "slammed", "busy", "booked", "packed", "full", "swamped", "out", "off", "doesn't", "don't",
    "won't", "isn't", "not", "no",
];

/// Words that turn to another thought: negation does not reach past them.
const TURNS: &[&str] = &["but", "or", "otherwise", "though", "however", "and", "if"];

/// Whether the words around a day say it does not work, in the same
/// sentence and before any turn ("Thursday works, but not Friday").
fn negated(tokens: &[Token], start: usize, end: usize) -> bool {
    let sentence = tokens[start].sentence;
    let word = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.sentence == sentence)
            .map(|t| t.text.as_str())
    };
    let rules_out = |ks: &mut dyn Iterator<Item = usize>, words: &[&str]| {
        for k in ks {
            match word(k) {
                None => return false,
                Some(w) if TURNS.contains(&w) => return false,
                Some(w) if words.contains(&w) => return true,
                Some(_) => {}
            }
        }
        false
    };
    rules_out(&mut (start.saturating_sub(3)..start).rev(), NOT_BEFORE)
        || rules_out(&mut (end..end + 3), NOT_AFTER)
}

/// Words in a sentence that say a day works for them.
const WORKS: &[&str] = &[
    "work",
    "works",
    "good",
    "best",
    "better",
    "free",
    "fine",
    "ok",
    "okay",
    "suit",
    "suits",
    "prefer",
    "preferred",
    "ideal",
    "ideally",
    "available",
    "open",
    "easiest",
    "easier",
];

/// Whether `m` is a plural weekday ("Mondays") with no word near it (four
/// before, three after, in its sentence) saying it works: a habit told in
/// passing, not a request.
fn habit_aside(tokens: &[Token], m: &Mention) -> bool {
    let plural =
        m.weekday.is_some() && m.end == m.start + 1 && tokens[m.start].text.ends_with("days");
    let near = tokens
        .iter()
        .enumerate()
        .skip(m.start.saturating_sub(4))
        .take(m.end + 3 - m.start.saturating_sub(4))
        .filter(|(_, t)| t.sentence == m.sentence);
    plural
        && !near
            .into_iter()
            .any(|(_, t)| WORKS.contains(&t.text.as_str()))
}

fn bound_before(tokens: &[Token], start: usize) -> Bound {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let prev = if start == 0 { "" } else { w(start - 1) };
    let prev2 = if start < 2 { "" } else { w(start - 2) };
    match (prev2, prev) {
        ("not", "before") => Bound::From,
        (_, "before") => Bound::Before,
        (_, "by" | "until" | "till" | "through" | "thru") => Bound::By,
        ("not", "after") => Bound::By,
        (_, "after") => Bound::After,
        (_, "from" | "starting") => Bound::From,
        _ => Bound::Exact,
    }
}

/// A weekday said alongside a week falls in it: a week in the same
/// sentence ("Tue or Wed next week"), else the week of the nearest earlier
/// sentence ("Can we find time next week? Ideally Tuesday"). A week that
/// placed a weekday adds no days of its own.
fn place_in_weeks(mentions: &mut [Mention], today: Date) {
    let weeks: Vec<(usize, usize, Date)> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| is_week(m) && !m.negated)
        .map(|(k, m)| (k, m.sentence, monday(m.first)))
        .collect();
    let mut placing = Vec::new();
    for m in mentions.iter_mut() {
        let week = weeks
            .iter()
            .find(|(_, s, _)| *s == m.sentence)
            .or_else(|| weeks.iter().rev().find(|(_, s, _)| *s < m.sentence));
        if let (Some(d), false, Some((k, _, week))) = (m.weekday, m.placed, week) {
            let date = week.saturating_add(i64::from(d.to_monday_zero_offset()).days());
            if date >= today {
                m.first = date;
                m.last = date;
                placing.push(*k);
            }
        }
    }
    for k in placing {
        mentions[k].placed_days = true;
    }
}

/// A week (or month) said as such, not bounding anything.
fn is_week(m: &Mention) -> bool {
    m.span && m.weekday.is_none() && m.bound == Bound::Exact
}

/// Days named by the words starting at `i`.
fn at(tokens: &[Token], i: usize, today: Date) -> Option<Mention> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let mention = |end: usize, (first, last): (Date, Date), weekday: Option<Weekday>| Mention {
        start: i,
        end,
        sentence: tokens[i].sentence,
        first,
        last,
        weekday,
        span: true,
        placed: false,
        bound: Bound::Exact,
        negated: false,
        aside: false,
        placed_days: false,
    };
    let this_monday = monday(today);
    let next_monday = this_monday.saturating_add(7.days());
    let day = |d: Date| (d, d);
    match (w(i), w(i + 1), w(i + 2)) {
        ("today", _, _) => return Some(single(mention(i + 1, day(today), None))),
        ("tomorrow", _, _) => {
            return Some(single(mention(
                i + 1,
                day(today.saturating_add(1.day())),
                None,
            )));
        }
        ("this", "morning" | "afternoon" | "evening", _) => {
            return Some(single(mention(i + 1, day(today), None)));
        }
        ("the", "week", "after") if w(i + 3) == "next" => {
            let m = next_monday.saturating_add(7.days());
            return Some(mention(i + 4, week_part(m, 0, 4, today)?, None));
        }
        ("the" | "a", "week", "of") => {
            let (date, end) = date_at(tokens, i + 3, today)?;
            return Some(mention(end, week_part(monday(date), 0, 4, today)?, None));
        }
        ("this" | "the", "week", _) => {
            let r = week_part(this_monday, 0, 4, today)
                .or_else(|| week_part(next_monday, 0, 4, today))?;
            return Some(mention(i + 2, r, None));
        }
        ("next", "week", _) => {
            return Some(mention(i + 2, week_part(next_monday, 0, 4, today)?, None));
        }
        ("early", "next", "week") => {
            return Some(mention(i + 3, week_part(next_monday, 0, 1, today)?, None));
        }
        ("early", "this", "week") => {
            return Some(mention(i + 3, week_part(this_monday, 0, 1, today)?, None));
        }
        ("late" | "later", "next", "week") => {
            return Some(mention(i + 3, week_part(next_monday, 3, 4, today)?, None));
        }
        ("late" | "later", "this", "week") => {
            return Some(mention(i + 3, week_part(this_monday, 3, 4, today)?, None));
        }
        ("later", "in", "the") if w(i + 3) == "week" => {
            return Some(mention(i + 4, week_part(this_monday, 3, 4, today)?, None));
        }
        ("end", "of", "next") if w(i + 3) == "week" => {
            return Some(mention(i + 4, week_part(next_monday, 3, 4, today)?, None));
        }
        ("end", "of", "the" | "this") if w(i + 3) == "week" => {
            return Some(mention(i + 4, week_part(this_monday, 3, 4, today)?, None));
        }
        ("week", "after", "next") => {
            let m = next_monday.saturating_add(7.days());
            return Some(mention(i + 3, week_part(m, 0, 4, today)?, None));
        }
        ("next", "month", _) => {
            let first = today.first_of_month().saturating_add(1.month());
            return Some(mention(i + 2, (first, first.last_of_month()), None));
        }
        _ => {}
    }
    // "in two weeks", "in a couple of weeks", "in a week".
    if w(i) == "in" {
        let mut k = i + 1;
        let n = if w(k) == "a" && w(k + 1).starts_with("week") {
            k += 1;
            1
        } else {
            if w(k) == "a" {
                k += 1;
            }
            let n = weeks(w(k))?;
            k += 1;
            if w(k) == "of" {
                k += 1;
            }
            n
        };
        if !matches!(w(k), "week" | "weeks" | "week's" | "weeks'") {
            return None;
        }
        let m = this_monday.saturating_add((7 * n).days());
        return Some(mention(k + 1, week_part(m, 0, 4, today)?, None));
    }
    // A weekday, perhaps `next`/`this`/`coming` first.
    let lead = matches!(w(i), "next" | "this" | "coming");
    let k = if lead { i + 1 } else { i };
    if let Some(d) = weekday(w(k)) {
        let mut date = today.nth_weekday(1, d).ok()?;
        if w(i) == "next" && monday(date) == this_monday {
            date = date.saturating_add(7.days());
        }
        let mut m = single(mention(k + 1, day(date), Some(d)));
        m.placed = lead;
        // "Monday the 30th", "Thu Dec 3": the date says which one.
        if let Some((date, end)) = date_at(tokens, k + 1, today) {
            m.first = date;
            m.last = date;
            m.end = end;
            m.placed = true;
            return Some(m);
        }
        // "Tuesday next week" / "Tuesday this week".
        if matches!(w(k + 1), "next" | "this") && w(k + 2) == "week" {
            let week = if w(k + 1) == "next" {
                next_monday
            } else {
                this_monday
            };
            let placed = week.saturating_add(i64::from(d.to_monday_zero_offset()).days());
            if placed >= today {
                m.first = placed;
                m.last = placed;
                m.end = k + 3;
                m.placed = true;
            }
        }
        return Some(m);
    }
    let (date, end) = date_at(tokens, i, today)?;
    Some(single(mention(end, day(date), None)))
}

fn single(mut m: Mention) -> Mention {
    m.span = false;
    m
}

fn weeks(w: &str) -> Option<i64> {
    match w {
        "one" | "1" => Some(1),
        "two" | "2" | "couple" => Some(2),
        "three" | "3" | "few" => Some(3),
        "four" | "4" => Some(4),
        _ => None,
    }
}

/// What the mentions make of the days: the earliest and latest day, and
/// the weekdays asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Days {
    pub earliest: Option<Date>,
    pub latest: Option<Date>,
    pub weekdays: Vec<Weekday>,
}

pub fn combine(mentions: &[Mention]) -> Days {
    let kept: Vec<Mention> = mentions
        .iter()
        .filter(|m| !m.negated && !m.aside)
        .cloned()
        .collect();
    let mentions = kept.as_slice();
    let has_weekday = |sentence: usize| {
        mentions
            .iter()
            .any(|m| m.weekday.is_some() && m.bound == Bound::Exact && m.sentence == sentence)
    };
    // A week that only placed its weekdays adds no days of its own.
    let exact: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            m.bound == Bound::Exact && !(is_week(m) && (m.placed_days || has_weekday(m.sentence)))
        })
        .collect();
    let mut earliest = exact.iter().map(|m| m.first).min();
    let mut latest = exact.iter().map(|m| m.last).max();
    for m in mentions {
        let (e, l) = match m.bound {
            Bound::Exact => continue,
            Bound::Before => (None, Some(m.first.saturating_sub(1.day()))),
            Bound::By => (None, Some(m.last)),
            Bound::After => (Some(m.last.saturating_add(1.day())), None),
            Bound::From => (Some(m.first), None),
        };
        if let Some(e) = e {
            earliest = Some(earliest.map_or(e, |x| x.max(e)));
        }
        if let Some(l) = l {
            latest = Some(latest.map_or(l, |x| x.min(l)));
        }
    }
    if let (Some(e), Some(l)) = (earliest, latest)
        && l < e
    {
        latest = None;
    }
    let mut weekdays: Vec<Weekday> = exact.iter().filter_map(|m| m.weekday).collect();
    weekdays.sort_by_key(|d| d.to_monday_zero_offset());
    weekdays.dedup();
    Days {
        earliest,
        latest,
        weekdays,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tokens;
    use jiff::civil::date;

    /// Friday 20 November 2026.
    const TODAY: Date = date(2026, 11, 20);

    fn days_at(text: &str, today: Date) -> Days {
        let t = tokens(text);
        let mut used = vec![false; t.len()];
        combine(&find(&t, today, &mut used))
    }

    fn days(text: &str) -> (Option<Date>, Option<Date>, Vec<&'static str>) {
        let d = days_at(text, TODAY);
        (
            d.earliest,
            d.latest,
            d.weekdays.into_iter().map(short_name).collect(),
        )
    }

    fn range(a: Date, b: Date) -> (Option<Date>, Option<Date>) {
        (Some(a), Some(b))
    }

    #[test]
    fn weekdays_are_the_next_ones() {
        let (e, l, d) = days("How about Thursday?");
        assert_eq!((e, l), range(date(2026, 11, 26), date(2026, 11, 26)));
        assert_eq!(d, ["thu"]);
        let (e, l, d) = days("Tue or Wed works");
        assert_eq!((e, l), range(date(2026, 11, 24), date(2026, 11, 25)));
        assert_eq!(d, ["tue", "wed"]);
        // Said on a Friday, "Friday" is a week later.
        assert_eq!(days("friday").0, Some(date(2026, 11, 27)));
        // Said on Monday 16th, "next Thursday" skips that week.
        let d = days_at("next thursday", date(2026, 11, 16));
        assert_eq!(d.earliest, Some(date(2026, 11, 26)));
        assert_eq!(
            days_at("thursday", date(2026, 11, 16)).earliest,
            Some(date(2026, 11, 19))
        );
    }

    #[test]
    fn weeks_and_their_parts() {
        let (e, l, d) = days("sometime next week");
        assert_eq!((e, l), range(date(2026, 11, 23), date(2026, 11, 27)));
        assert!(d.is_empty());
        assert_eq!(
            (days("early next week").0, days("early next week").1),
            range(date(2026, 11, 23), date(2026, 11, 24))
        );
        assert_eq!(
            (days("late next week").0, days("late next week").1),
            range(date(2026, 11, 26), date(2026, 11, 27))
        );
        // Monday 16th: "this week" is what is left of it.
        let d = days_at("this week if possible", date(2026, 11, 18));
        assert_eq!(
            (d.earliest, d.latest),
            range(date(2026, 11, 18), date(2026, 11, 20))
        );
        // On a Saturday "this week" has gone: it is the coming one.
        let d = days_at("this week", date(2026, 11, 21));
        assert_eq!(
            (d.earliest, d.latest),
            range(date(2026, 11, 23), date(2026, 11, 27))
        );
        let (e, l, _) = days("in two weeks");
        assert_eq!((e, l), range(date(2026, 11, 30), date(2026, 12, 4)));
        let (e, l, _) = days("today or tomorrow");
        assert_eq!((e, l), range(TODAY, date(2026, 11, 21)));
    }

    #[test]
    fn weekdays_inside_a_week() {
        let (e, l, d) = days("Tuesday or Wednesday next week");
        assert_eq!((e, l), range(date(2026, 11, 24), date(2026, 11, 25)));
        assert_eq!(d, ["tue", "wed"]);
        let d = days_at("next week, ideally Thu", date(2026, 11, 16));
        assert_eq!(
            (d.earliest, d.latest),
            range(date(2026, 11, 26), date(2026, 11, 26))
        );
        // A week said on its own is another choice, not the weekdays' week.
        let d = days_at("Thursday? Otherwise next week.", date(2026, 11, 16));
        assert_eq!(
            (d.earliest, d.latest),
            range(date(2026, 11, 19), date(2026, 11, 27))
        );
    }

    #[test]
    fn dates_roll_forward() {
        assert_eq!(days("on the 9th").0, Some(date(2026, 12, 9)));
        assert_eq!(days("the 25th?").0, Some(date(2026, 11, 25)));
        assert_eq!(days("Dec 3 works").0, Some(date(2026, 12, 3)));
        assert_eq!(days("December 3rd").0, Some(date(2026, 12, 3)));
        assert_eq!(days("3rd of December").0, Some(date(2026, 12, 3)));
        assert_eq!(days("the 2nd of january").0, Some(date(2027, 1, 2)));
        assert_eq!(days("Nov 2").0, Some(date(2027, 11, 2)));
        assert_eq!(days("may i ask").0, None);
        // A weekday with its date is one day.
        let (e, l, d) = days("Monday the 30th?");
        assert_eq!((e, l), range(date(2026, 11, 30), date(2026, 11, 30)));
        assert_eq!(d, ["mon"]);
        assert_eq!(days("Thu Dec 3").1, Some(date(2026, 12, 3)));
        let (e, l, _) = days("the week of Dec 7?");
        assert_eq!((e, l), range(date(2026, 12, 7), date(2026, 12, 11)));
    }

    #[test]
    fn bounds_limit_the_range() {
        let (e, l, d) = days("anytime before Friday");
        assert_eq!((e, l), (None, Some(date(2026, 11, 26))));
        assert!(d.is_empty());
        assert_eq!(days("by Wednesday").1, Some(date(2026, 11, 25)));
        assert_eq!(days("after the 9th").0, Some(date(2026, 12, 10)));
        let (e, l, _) = days("free from Tuesday to Thursday");
        assert_eq!((e, l), range(date(2026, 11, 24), date(2026, 11, 26)));
        let (e, l, _) = days("from Tuesday until Thursday");
        assert_eq!((e, l), range(date(2026, 11, 24), date(2026, 11, 26)));
    }

    #[test]
    fn days_that_do_not_work_are_left_out() {
        let (e, l, d) = days("Sorry, this week is slammed. Early next week?");
        assert_eq!((e, l), range(date(2026, 11, 23), date(2026, 11, 24)));
        assert!(d.is_empty());
        let (e, l, d) = days("Thursday works, but not Friday");
        assert_eq!((e, l), range(date(2026, 11, 26), date(2026, 11, 26)));
        assert_eq!(d, ["thu"]);
        assert_eq!(days("I'm busy Tuesday; Wednesday?").2, ["wed"]);
        assert_eq!(days("not before Tuesday").0, Some(date(2026, 11, 24)));
    }

    #[test]
    fn names_and_short_forms() {
        assert_eq!(weekday("tues"), Some(Weekday::Tuesday));
        assert_eq!(weekday("thurs"), Some(Weekday::Thursday));
        assert_eq!(weekday("mondays"), Some(Weekday::Monday));
        assert_eq!(weekday("saturday"), None);
        assert_eq!(weekday("wedding"), None);
    }
}
