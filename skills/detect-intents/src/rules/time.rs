//! Time expressions: dates and periods in a clause ("next Tuesday", "the 12th
//! of March", "in about six weeks", "Q3"), each with its kind and whether it
//! lies in the past.

use super::tokenise::Word;
use super::words::{
    C_AFTER_ORDINAL, C_AMBIGUOUS_MONTH, C_DATE_PREP, C_END_TARGET, C_EVENT, C_MONTH, C_NUMBER,
    C_ORDINAL, C_PERIOD_HEDGE, C_PERIOD_UNIT, C_QUARTER, C_RELATIVE_UNIT, C_SEASON, C_SEASON_PREP,
    C_WEEKDAY,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeKind {
    Day,
    Week,
    Month,
    Quarter,
    Period,
    Event,
    Season,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct TimeExpr {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) kind: TimeKind,
    pub(super) past: bool,
}

/// Whether word `k` exists and has any of the class bits `c`.
fn is(w: &[Word], k: usize, c: u32) -> bool {
    w.get(k).is_some_and(|x| x.cls & c != 0)
}

/// A month name at `i`; "may"/"march" need a date-like neighbour and a
/// capital, or in text with no capitals (`caseless`) a neighbour that
/// leaves no other reading ("end of may", "by march", "the 4th of may").
fn is_month_at(w: &[Word], i: usize, caseless: bool) -> bool {
    if !is(w, i, C_MONTH) {
        return false;
    }
    if !is(w, i, C_AMBIGUOUS_MONTH) {
        return true;
    }
    let prev = i.checked_sub(1).map_or("", |k| w[k].t.as_str());
    let number_next = is(w, i + 1, C_ORDINAL | C_NUMBER);
    if caseless {
        // Not "this may take", "we may", "the march".
        return number_next
            || matches!(
                prev,
                "of" | "in"
                    | "by"
                    | "until"
                    | "till"
                    | "before"
                    | "after"
                    | "since"
                    | "during"
                    | "early"
                    | "mid"
                    | "late"
                    | "from"
            );
    }
    let prev_prep = i.checked_sub(1).is_some_and(|k| is(w, k, C_DATE_PREP));
    w[i].cap && (prev_prep || number_next)
}

/// Finds date and period expressions in a clause (`caseless`: the text
/// has no capitals, see [`is_month_at`]).
pub(super) fn find_times(w: &[Word], caseless: bool) -> Vec<TimeExpr> {
    let is_month_at = |w: &[Word], i: usize| is_month_at(w, i, caseless);
    let mut out = Vec::new();
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let mut i = 0;
    while i < w.len() {
        let t = at(i);
        let prev = i.checked_sub(1).map_or("", |k| at(k));
        let found: Option<(usize, TimeKind)> = if is(w, i, C_WEEKDAY) {
            let ext = matches!(at(i + 1), "morning" | "afternoon" | "evening" | "night");
            Some((1 + usize::from(ext), TimeKind::Day))
        } else if matches!(
            t,
            "tomorrow" | "tonight" | "today" | "eod" | "cob" | "eow" | "eom"
        ) {
            Some((1, TimeKind::Day))
        } else if matches!(t, "this" | "next" | "last") && is(w, i + 1, C_RELATIVE_UNIT) {
            Some((2, TimeKind::Week))
        } else if matches!(t, "this" | "next" | "last") && is(w, i + 1, C_WEEKDAY) {
            Some((2, TimeKind::Day))
        } else if matches!(t, "end" | "close" | "start" | "beginning" | "middle")
            && at(i + 1) == "of"
        {
            let mut k = i + 2;
            if at(k) == "the" {
                k += 1;
            }
            let target = at(k);
            if is(w, k, C_END_TARGET) || is_month_at(w, k) {
                let extra = usize::from(matches!(target, "next" | "this" | "financial" | "fiscal"))
                    + usize::from(matches!(target, "financial" | "fiscal"));
                Some((k + 1 + extra - i, TimeKind::Month))
            } else {
                None
            }
        } else if matches!(t, "mid" | "early" | "late") && i + 1 < w.len() && is_month_at(w, i + 1)
        {
            Some((2, TimeKind::Month))
        } else if is_month_at(w, i) {
            let ext = is(w, i + 1, C_ORDINAL | C_NUMBER);
            Some((1 + usize::from(ext), TimeKind::Month))
        } else if t == "the" && is(w, i + 1, C_ORDINAL) {
            ordinal_date(w, i + 1, caseless).map(|len| (len + 1, TimeKind::Day))
        } else if matches!(t, "twenty" | "thirty") && is(w, i + 1, C_ORDINAL) && prev == "the" {
            ordinal_date(w, i + 1, caseless).map(|len| (len + 1, TimeKind::Day))
        } else if is(w, i, C_ORDINAL) && prev != "the" && is_month_at(w, i + 1) {
            Some((2, TimeKind::Day))
        } else if is(w, i, C_ORDINAL)
            && at(i + 1) == "week"
            && at(i + 2) == "of"
            && is_month_at(w, i + 3)
        {
            // "first week of March".
            Some((4, TimeKind::Week))
        } else if matches!(
            t,
            "first" | "second" | "third" | "fourth" | "1st" | "2nd" | "3rd" | "4th"
        ) && matches!(at(i + 1), "quarter" | "half")
        {
            // "the first quarter", "in the second half"
            Some((2, TimeKind::Quarter))
        } else if is(w, i, C_QUARTER) {
            Some((1, TimeKind::Quarter))
        } else if matches!(t, "q" | "h")
            && matches!(
                at(i + 1),
                "one" | "two" | "three" | "four" | "1" | "2" | "3" | "4"
            )
        {
            // "q three", as a transcript writes Q3.
            Some((2, TimeKind::Quarter))
        } else if let Some(len) = week_number(w, i) {
            Some((len, TimeKind::Week))
        } else if matches!((t, at(i + 1)), ("black", "friday") | ("cyber", "monday"))
            || (matches!(t, "peak" | "busy" | "holiday" | "festive") && at(i + 1) == "season")
        {
            Some((2, TimeKind::Event))
        } else if matches!(t, "in" | "within") {
            period_after(w, i + 1).map(|len| (len + 1, TimeKind::Period))
        } else if t == "give" && matches!(at(i + 1), "me" | "us") {
            // "give me a couple of days"
            period_after(w, i + 2).map(|len| (len + 2, TimeKind::Period))
        } else if is(w, i, C_NUMBER)
            && matches!(at(i + 1), "weeks" | "months" | "days")
            && matches!(at(i + 2), "time" | "from")
        {
            Some((2, TimeKind::Period))
        } else if t == "week" && at(i + 1) == "after" && at(i + 2) == "next" {
            Some((3, TimeKind::Week))
        } else if let Some(len) = clock_time(w, i) {
            Some((len, TimeKind::Day))
        } else if matches!(t, "after" | "straight")
            && matches!(at(i + 1), "this" | "the" | "our")
            && matches!(at(i + 2), "call" | "meeting")
        {
            // "I'll send them after this call"
            Some((3, TimeKind::Day))
        } else if (t == "later" && matches!(at(i + 1), "today" | "tonight"))
            || (t == "first" && at(i + 1) == "thing")
        {
            Some((2, TimeKind::Day))
        } else if is(w, i, C_EVENT) || (t == "holidays" && prev == "the") {
            Some((1, TimeKind::Event))
        } else if t == "new" && matches!(at(i + 1), "financial" | "fiscal") && at(i + 2) == "year" {
            Some((3, TimeKind::Event))
        } else if matches!(t, "school" | "academic" | "tax" | "financial" | "fiscal")
            && matches!(at(i + 1), "year" | "term")
            && matches!(prev, "new" | "next" | "the" | "this")
        {
            // "the start of the new school year", "before the academic year"
            Some((2, TimeKind::Event))
        } else if t == "year" && at(i + 1) == "end" {
            Some((2, TimeKind::Event))
        } else if is(w, i, C_SEASON) && i > 0 && is(w, i - 1, C_SEASON_PREP) {
            Some((1, TimeKind::Season))
        } else if (matches!(t, "lunchtime" | "lunch" | "midday" | "noon")
            && matches!(prev, "by" | "at" | "before" | "after" | "over"))
            || (t == "weekend" && matches!(prev, "the" | "this" | "next"))
        {
            Some((1, TimeKind::Day))
        } else {
            None
        };
        if let Some((len, kind)) = found {
            let len = len.max(1);
            let end = (i + len).min(w.len());
            // "back in March" is past, "(they) come back in September" not.
            let returning = i >= 3
                && matches!(
                    at(i - 3),
                    "come"
                        | "comes"
                        | "coming"
                        | "be"
                        | "are"
                        | "is"
                        | "am"
                        | "get"
                        | "gets"
                        | "getting"
                        | "go"
                        | "goes"
                        | "going"
                );
            let past = t == "last"
                || prev == "last"
                || prev == "since"
                || at(end) == "ago"
                || (prev == "in" && i >= 2 && at(i - 2) == "back" && !returning);
            out.push(TimeExpr {
                s: i,
                e: end,
                kind,
                past,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Length of a date that starts with the ordinal at `i` ("ninth", "12th of
/// March"), or `None` if the ordinal is not used as a date ("the first vendor").
fn ordinal_date(w: &[Word], i: usize, caseless: bool) -> Option<usize> {
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let is_month_at = |w: &[Word], i: usize| is_month_at(w, i, caseless);
    let mut k = i;
    if matches!(at(k), "twenty" | "thirty") {
        k += 1;
    }
    let next = at(k + 1);
    if next == "of" {
        if is_month_at(w, k + 2) {
            return Some(k + 3 - i);
        }
        if at(k + 2) == "next" && at(k + 3) == "month" {
            return Some(k + 4 - i);
        }
        return None;
    }
    if next == "week" && at(k + 2) == "of" && is_month_at(w, k + 3) {
        return Some(k + 4 - i);
    }
    if is_month_at(w, k + 1) {
        return Some(k + 2 - i);
    }
    // "…by the thirtieth, that's a promise": the comma ends the date too.
    let part_ends = w.get(k).is_some_and(|x| x.comma);
    (next.is_empty() || part_ends || is(w, k + 1, C_AFTER_ORDINAL)).then_some(k + 1 - i)
}

/// Length of a week given by its number at `i`: "calendar week 14", "week
/// 14", "cw 14", "kw14" (as German and Nordic business English counts).
fn week_number(w: &[Word], i: usize) -> Option<usize> {
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let number = |t: &str| t.parse::<u8>().is_ok_and(|n| (1..=53).contains(&n));
    let t = at(i);
    if let Some(n) = t.strip_prefix("cw").or_else(|| t.strip_prefix("kw")) {
        if number(n) {
            return Some(1);
        }
        return (n.is_empty() && number(at(i + 1))).then_some(2);
    }
    // "calendar week ten", said.
    let said = is(w, i + 2, C_NUMBER) && !matches!(at(i + 2), "a" | "an" | "couple");
    if t == "calendar" && at(i + 1) == "week" && (number(at(i + 2)) || said) {
        return Some(3);
    }
    (t == "week" && number(at(i + 1))).then_some(2)
}

/// Length of a clock time at `i`: "10am", "3pm", "10:30", "10 am",
/// "2.30pm".
fn clock_time(w: &[Word], i: usize) -> Option<usize> {
    let t = w.get(i)?.t.as_str();
    let next = w.get(i + 1).map_or("", |x| x.t.as_str());
    let digits = t
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b':' || *b == b'.')
        .count();
    if digits == 0 || !t.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let (num, rest) = t.split_at(digits);
    let hour_like = num.len() <= 5 && num.split([':', '.']).next().is_some_and(|h| h.len() <= 2);
    match rest {
        "am" | "pm" if hour_like => Some(1),
        "" if hour_like && matches!(next, "am" | "pm") => Some(2),
        "" if hour_like && num.contains(':') => Some(1),
        _ => None,
    }
}

/// Length of "about six weeks" / "a couple of months" starting at `i`.
fn period_after(w: &[Word], i: usize) -> Option<usize> {
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let mut k = i;
    let mut saw_number = false;
    while k < w.len() && k < i + 5 {
        let t = at(k);
        if is(w, k, C_PERIOD_UNIT) {
            let bare = matches!(t, "fortnight" | "week" | "month" | "day");
            let det = k > 0 && matches!(at(k - 1), "a" | "next");
            return (saw_number || bare && det).then_some(k + 1 - i);
        }
        if is(w, k, C_NUMBER) {
            saw_number = true;
        } else if !is(w, k, C_PERIOD_HEDGE) {
            return None;
        }
        k += 1;
    }
    None
}
