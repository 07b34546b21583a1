//! One request read whole: its length, days, part of day, bounds, the
//! times offered (each tied to the day said with it) and the zone hinted
//! at. Pure: the day it was made on comes in, nothing is looked up.

use crate::days::{self, Bound, Days, Mention};
use crate::times::{self, Kind, Said};
use crate::{duration, words, zones};
use baton_sdk::scheduling::PartOfDay;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// A time they offered: a day, and minutes after local midnight in the
/// zone the request's times are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub day: Date,
    pub from: u32,
    /// The end of a span they are free in; a start alone has none.
    pub to: Option<u32>,
}

/// What a request asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub duration_min: Option<u32>,
    pub days: Days,
    pub part_of_day: Option<PartOfDay>,
    pub not_before_min: Option<u32>,
    pub not_after_min: Option<u32>,
    /// The IANA zone the text hints at.
    pub zone: Option<&'static str>,
    pub offers: Vec<Offer>,
}

/// Read `text`, said on `today` (the rep's local date).
pub fn read(text: &str, today: Date) -> Request {
    let tokens = words::tokens(text);
    let mut used = vec![false; tokens.len()];
    let duration_min = duration::find(&tokens, &mut used);
    let mentions = days::find(&tokens, today, &mut used);
    let said = times::find(&tokens, &used);
    for s in &said {
        used[s.start..s.end].iter_mut().for_each(|u| *u = true);
    }
    let mut req = Request {
        duration_min,
        days: days::combine(&mentions),
        zone: zones::find(&tokens),
        ..Request::default()
    };
    part_of_day(&tokens, &used, &mut req);
    for s in &said {
        match s.kind {
            Kind::NotBefore => not_before(&mut req, s.from),
            Kind::NotAfter => not_after(&mut req, s.from),
            Kind::Offer => {
                let on = days_for(s, &mentions, &tokens);
                match (on.is_empty(), s.to) {
                    // A span with no day is when they are free on any day.
                    (true, Some(to)) => {
                        not_before(&mut req, s.from);
                        not_after(&mut req, to);
                    }
                    (true, None) => {
                        let day = default_day(&req.days, today);
                        push_offer(&mut req.offers, day, s);
                    }
                    (false, _) => on
                        .into_iter()
                        .for_each(|d| push_offer(&mut req.offers, d, s)),
                }
            }
        }
    }
    req
}

fn push_offer(offers: &mut Vec<Offer>, day: Date, s: &Said) {
    let offer = Offer {
        day,
        from: s.from,
        to: s.to,
    };
    if !offers.contains(&offer) {
        offers.push(offer);
    }
}

fn not_before(req: &mut Request, m: u32) {
    req.not_before_min = Some(req.not_before_min.map_or(m, |x| x.max(m)));
}

fn not_after(req: &mut Request, m: u32) {
    req.not_after_min = Some(req.not_after_min.map_or(m, |x| x.min(m)));
}

/// "morning", "afternoon", a lone "am"/"pm", "first thing", "evening",
/// "after lunch", "before lunch".
fn part_of_day(tokens: &[words::Token], used: &[bool], req: &mut Request) {
    let (mut morning, mut afternoon) = (false, false);
    for (i, t) in tokens.iter().enumerate() {
        if used[i] {
            continue;
        }
        let prev = if i > 0 {
            tokens[i - 1].text.as_str()
        } else {
            ""
        };
        match t.text.as_str() {
            "morning" | "mornings" | "am" => morning = true,
            "thing" if prev == "first" => morning = true,
            "afternoon" | "afternoons" | "pm" => afternoon = true,
            "evening" | "evenings" => {
                afternoon = true;
                not_before(req, 16 * 60);
            }
            "lunch" | "lunchtime" if prev == "after" => not_before(req, 13 * 60),
            "lunch" | "lunchtime" if prev == "before" => not_after(req, 12 * 60),
            _ => {}
        }
    }
    req.part_of_day = match (morning, afternoon) {
        (true, false) => Some(PartOfDay::Morning),
        (false, true) => Some(PartOfDay::Afternoon),
        _ => None,
    };
}

/// The days an offered time goes with: the nearest run of single days
/// named in the same sentence ("Tue or Wed 10–12" is both).
fn days_for(s: &Said, mentions: &[Mention], tokens: &[words::Token]) -> Vec<Date> {
    let mut singles: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            m.bound == Bound::Exact && !m.span && !m.negated && !m.aside && m.sentence == s.sentence
        })
        .collect();
    singles.sort_by_key(|m| m.start);
    let mut groups: Vec<Vec<&Mention>> = Vec::new();
    // Days joined only by "or"/"and" are one run.
    let joined = |a: usize, b: usize| {
        (a..b).all(|k| {
            tokens
                .get(k)
                .is_some_and(|t| matches!(t.text.as_str(), "or" | "and" | "-"))
        })
    };
    for m in singles {
        match groups.last_mut() {
            Some(g)
                if g.last()
                    .is_some_and(|p| m.start >= p.end && joined(p.end, m.start)) =>
            {
                g.push(m)
            }
            _ => groups.push(vec![m]),
        }
    }
    // "10am on Thursday" looks forward; otherwise the day said before wins a tie.
    let forward = tokens.get(s.end).is_some_and(|t| t.text == "on");
    let distance = |g: &[&Mention]| -> Option<(usize, bool)> {
        let (start, end) = (g.first()?.start, g.last()?.end);
        Some(if end <= s.start {
            (s.start - end, forward)
        } else if start >= s.end {
            (start - s.end, !forward)
        } else {
            (0, false)
        })
    };
    groups
        .iter()
        .filter_map(|g| distance(g).map(|d| (d, g)))
        .filter(|((d, _), _)| *d <= 8)
        .min_by_key(|(d, _)| *d)
        .map(|(_, g)| g.iter().map(|m| m.first).collect())
        .unwrap_or_default()
}

/// The day a time said without one most likely means: the one day asked
/// for, else the first working day (of the days asked for) from the
/// earliest, else the next working day.
fn default_day(days: &Days, today: Date) -> Date {
    let start = days
        .earliest
        .unwrap_or_else(|| today.saturating_add(1.day()));
    (0..14)
        .map(|n| start.saturating_add(n.days()))
        .find(|d| {
            !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
                && (days.weekdays.is_empty() || days.weekdays.contains(&d.weekday()))
        })
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Friday 20 November 2026.
    const TODAY: Date = date(2026, 11, 20);
    const H: u32 = 60;

    fn offer(day: Date, from: u32, to: Option<u32>) -> Offer {
        Offer { day, from, to }
    }

    #[test]
    fn a_span_on_a_day_is_an_offer() {
        let r = read("I'm free Thursday 10–12 EST", TODAY);
        assert_eq!(r.offers, [offer(date(2026, 11, 26), 10 * H, Some(12 * H))]);
        assert_eq!(r.zone, Some("America/New_York"));
        assert_eq!(r.days.weekdays, [Weekday::Thursday]);
    }

    #[test]
    fn each_time_goes_with_its_own_day() {
        let r = read("Tuesday at 10 or Wednesday at 3 work for me", TODAY);
        assert_eq!(
            r.offers,
            [
                offer(date(2026, 11, 24), 10 * H, None),
                offer(date(2026, 11, 25), 15 * H, None)
            ]
        );
        let r = read("10am on Thursday or 2pm on Friday", TODAY);
        assert_eq!(
            r.offers,
            [
                offer(date(2026, 11, 26), 10 * H, None),
                offer(date(2026, 11, 27), 14 * H, None)
            ]
        );
        let r = read("I could do 3-4pm tomorrow or anytime Friday morning", TODAY);
        assert_eq!(r.offers, [offer(date(2026, 11, 21), 15 * H, Some(16 * H))]);
        let r = read("Tue or Wed 2-4pm", TODAY);
        assert_eq!(r.offers.len(), 2);
        assert_eq!(r.offers[1], offer(date(2026, 11, 25), 14 * H, Some(16 * H)));
    }

    #[test]
    fn a_start_without_a_day_takes_the_likeliest_day() {
        let r = read("Could we start at 2:30?", TODAY);
        // Friday: the next working day is Monday.
        assert_eq!(r.offers, [offer(date(2026, 11, 23), 14 * H + 30, None)]);
        let r = read("Next week works. Could we start at 2:30?", TODAY);
        assert_eq!(r.offers, [offer(date(2026, 11, 23), 14 * H + 30, None)]);
        let r = read("Let's do Wednesday. Could we start at 2:30?", TODAY);
        assert_eq!(r.offers, [offer(date(2026, 11, 25), 14 * H + 30, None)]);
    }

    #[test]
    fn spans_and_bounds_without_a_day_limit_the_hours() {
        let r = read("Any day next week after 2pm", TODAY);
        assert_eq!((r.not_before_min, r.not_after_min), (Some(14 * H), None));
        assert!(r.offers.is_empty());
        let r = read("mornings before 11 please", TODAY);
        assert_eq!(r.not_after_min, Some(11 * H));
        assert_eq!(r.part_of_day, Some(PartOfDay::Morning));
        let r = read("I'm usually free between 10 and 12", TODAY);
        assert_eq!(
            (r.not_before_min, r.not_after_min),
            (Some(10 * H), Some(12 * H))
        );
        let r = read("after lunch on Tuesday", TODAY);
        assert_eq!(r.not_before_min, Some(13 * H));
    }

    #[test]
    fn parts_of_the_day() {
        assert_eq!(
            read("Thursday afternoon?", TODAY).part_of_day,
            Some(PartOfDay::Afternoon)
        );
        assert_eq!(
            read("first thing Monday", TODAY).part_of_day,
            Some(PartOfDay::Morning)
        );
        assert_eq!(
            read("morning or afternoon, either", TODAY).part_of_day,
            None
        );
        // The pm of a time is not a part of the day.
        assert_eq!(read("Thursday at 2pm", TODAY).part_of_day, None);
    }

    #[test]
    fn the_whole_of_a_real_request() {
        let r = read(
            "Hi Jordan, thanks for the deck. Could we find a quick 15-min call early next week? \
             Mornings are best for me, ideally before 11 London time.",
            TODAY,
        );
        assert_eq!(r.duration_min, Some(15));
        assert_eq!(r.days.earliest, Some(date(2026, 11, 23)));
        assert_eq!(r.days.latest, Some(date(2026, 11, 24)));
        assert_eq!(r.part_of_day, Some(PartOfDay::Morning));
        assert_eq!(r.not_after_min, Some(11 * H));
        assert_eq!(r.zone, Some("Europe/London"));
        assert!(r.offers.is_empty());
    }

    /// Issue 40: the prospect's own words from the demo call, two
    /// utterances joined: next week, Tuesday or Wednesday, afternoon; the
    /// ops lead's Mondays in the warehouse are told in passing, not asked.
    #[test]
    fn the_prospects_words_from_the_demo_call() {
        let r = read(
            "Great. Can we find time next week to walk our ops lead through it? Ideally Tuesday \
             or Wednesday afternoon, our ops lead is Daniel, he's in the warehouse on Mondays.",
            TODAY,
        );
        assert_eq!(r.days.weekdays, [Weekday::Tuesday, Weekday::Wednesday]);
        assert_eq!(r.days.earliest, Some(date(2026, 11, 24)));
        assert_eq!(r.days.latest, Some(date(2026, 11, 25)));
        assert_eq!(r.part_of_day, Some(PartOfDay::Afternoon));
        assert!(r.offers.is_empty());
        // Said with a word that it works, a habit is a request.
        let r = read("Mondays are best for me", TODAY);
        assert_eq!(r.days.weekdays, [Weekday::Monday]);
        // Said on Monday 16th, the Tuesday goes in the week named before.
        let r = read(
            "Can we find time next week? Ideally Tuesday.",
            date(2026, 11, 16),
        );
        assert_eq!(r.days.earliest, Some(date(2026, 11, 24)));
        // A week ruled out places nothing.
        let r = read("Next week is slammed. Tuesday?", date(2026, 11, 16));
        assert_eq!(r.days.earliest, Some(date(2026, 11, 17)));
    }

    #[test]
    fn days_parts_of_day_and_dates_in_other_words() {
        let r = read("tuesday or wednesday afternoon", TODAY);
        assert_eq!(r.days.weekdays, [Weekday::Tuesday, Weekday::Wednesday]);
        assert_eq!(r.part_of_day, Some(PartOfDay::Afternoon));
        let r = read("Anytime after the 3rd works, mornings ideally", TODAY);
        assert_eq!(r.days.earliest, Some(date(2026, 12, 4)));
        assert_eq!(r.part_of_day, Some(PartOfDay::Morning));
        let r = read("Wed or Thu next week, afternoon Eastern", TODAY);
        assert_eq!(r.days.weekdays, [Weekday::Wednesday, Weekday::Thursday]);
        assert_eq!(r.days.earliest, Some(date(2026, 11, 25)));
        assert_eq!(r.days.latest, Some(date(2026, 11, 26)));
        assert_eq!(r.zone, Some("America/New_York"));
    }
}
