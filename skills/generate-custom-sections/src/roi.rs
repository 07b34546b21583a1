//! The ROI section: each pain point the prospect gave a number for, and
//! what it comes to, with the sum written out. Only their numbers are used
//! (and an hourly cost they or the org profile gave): a sum that needs a
//! number nobody gave says which number is missing instead.

use baton_sdk::crm::money;
use baton_sdk::numbers::{Number, numbers_in, words};
use baton_sdk::proposal::{Quote, RoiLine, says_any};

/// Words that make a sentence with a number a pain point (or a target).
const PAIN_CUES: &[&str] = &[
    "lose",
    "lost",
    "losing",
    "problem",
    "hurt",
    "hurts",
    "slip",
    "slips",
    "fall through",
    "falls through",
    "takes",
    "take",
    "spend",
    "spends",
    "spent",
    "waste",
    "wasted",
    "frantic",
    "miss",
    "missed",
    "don't have",
    "manual",
    "manually",
    "gave away",
    "discount",
    "chase",
    "churn",
    "behind",
    "target",
    "costs",
    "cost",
];
/// ROI lines at most.
const MAX_LINES: usize = 5;

/// An hourly cost in minor units, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub per_hour: i64,
    pub source: String,
}

/// The price the return is set against: amount per period.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub amount: i64,
    pub per_year: bool,
}

/// An hourly cost the prospect stated ("$50 an hour"), in minor units.
pub fn stated_rate(said: &[Quote]) -> Option<Rate> {
    said.iter().find_map(|q| {
        let w = words(&q.text);
        numbers_in(&w).into_iter().find_map(|n| {
            let next = |k: usize| w.get(n.end + k).map(String::as_str);
            let hourly = matches!((next(0), next(1)), (Some("an" | "a" | "per"), Some("hour")))
                || next(0) == Some("hourly");
            (hourly && is_money(&n, &w)).then(|| Rate {
                per_hour: minor(n.value),
                source: format!("your figure: \"{}\"", q.text),
            })
        })
    })
}

/// The ROI lines for the pain points in `said`.
pub fn lines(said: &[Quote], rate: Option<&Rate>, price: &Price, currency: &str) -> Vec<RoiLine> {
    said.iter()
        .filter(|q| says_any(&q.text, PAIN_CUES))
        .filter_map(|q| {
            let w = words(&q.text);
            // An hourly cost is the rate, not a pain point.
            let mut nums = numbers_in(&w);
            nums.retain(|n| !(is_money(n, &w) && is_hourly(n, &w)));
            (!nums.is_empty()).then(|| line(q, &w, &nums, rate, price, currency))
        })
        .take(MAX_LINES)
        .collect()
}

fn line(
    q: &Quote,
    w: &[String],
    nums: &[Number],
    rate: Option<&Rate>,
    price: &Price,
    currency: &str,
) -> RoiLine {
    let mut out = RoiLine {
        quote: q.clone(),
        arithmetic: None,
        annual_value: None,
        missing: Vec::new(),
    };
    let at = |i: usize| w.get(i).map(String::as_str).unwrap_or("");
    // Money first: "around ninety thousand a year", "$4,000 a month".
    if let Some(n) = nums.iter().find(|n| is_money(n, w) && !is_hourly(n, w)) {
        let per = period(w, n.end);
        let value = minor(n.value);
        let (annual, sum) = match per {
            Some(("month", 12)) => (
                value.saturating_mul(12),
                format!(
                    "{} a month × 12 months = {} a year",
                    money(value, currency),
                    money(value.saturating_mul(12), currency)
                ),
            ),
            _ => (value, format!("{} a year", money(value, currency))),
        };
        let against = if price.amount > 0 && price.per_year {
            format!(
                ", {:.1} times the {} a year this proposal costs ({} ÷ {})",
                annual as f64 / price.amount as f64,
                money(price.amount, currency),
                money(annual, currency),
                money(price.amount, currency)
            )
        } else {
            String::new()
        };
        out.arithmetic = Some(format!("{sum}{against}"));
        out.annual_value = Some(annual);
        if n.currency_sign.is_none() && !says_any(&w.join(" "), &["dollars", "pounds", "euros"]) {
            out.missing
                .push(format!("the currency (read here as {currency})"));
        }
        return out;
    }
    // Time: "12 hours a week", "twenty minutes".
    if let Some(n) = nums
        .iter()
        .find(|n| matches!(at(n.end), "hour" | "hours" | "minute" | "minutes" | "mins"))
    {
        let hours = if at(n.end).starts_with('h') {
            n.value
        } else {
            n.value / 60.0
        };
        let per = period(w, n.end + 1);
        match (per, rate) {
            (Some((unit, times)), Some(rate)) => {
                let year_hours = hours * times as f64;
                let annual = (year_hours * rate.per_hour as f64).round() as i64;
                out.arithmetic = Some(format!(
                    "{} a {unit} × {times} = {} hours a year × {} an hour = {} a year",
                    time_said(n, at(n.end)),
                    trim_float(year_hours),
                    money(rate.per_hour, currency),
                    money(annual, currency)
                ));
                out.annual_value = Some(annual);
            }
            (per, rate) => {
                if per.is_none() {
                    out.missing
                        .push("how often it happens (a day, a week or a month)".into());
                }
                if rate.is_none() {
                    out.missing.push("the hourly cost of that time".into());
                }
            }
        }
        return out;
    }
    // Two rates: "a target of 94 percent, we finished at 89".
    let percents: Vec<&Number> = nums.iter().filter(|n| n.value <= 100.0).collect();
    if nums.iter().any(|n| n.percent) && percents.len() >= 2 {
        let (a, b) = (percents[0].value, percents[1].value);
        out.arithmetic = Some(format!(
            "{}% − {}% = {} percentage points",
            trim_float(a.max(b)),
            trim_float(a.min(b)),
            trim_float((a - b).abs())
        ));
        out.missing
            .push("what one percentage point is worth to you".into());
        return out;
    }
    out.missing.push("what each one costs you".into());
    out
}

/// Money: a currency sign or word, or a sum of a thousand or more said
/// "a year" / "a month".
fn is_money(n: &Number, w: &[String]) -> bool {
    let next = w.get(n.end).map(String::as_str).unwrap_or("");
    n.currency_sign.is_some()
        || matches!(next, "dollars" | "pounds" | "euros" | "usd" | "gbp" | "eur")
        || (n.value >= 1_000.0 && !n.percent && period(w, n.end).is_some())
}

fn is_hourly(n: &Number, w: &[String]) -> bool {
    let next = |k: usize| w.get(n.end + k).map(String::as_str);
    next(0) == Some("hourly") || next(1) == Some("hour")
}

/// "a week", "per month", "each day", "weekly" at `i`: the unit and how
/// many there are in a year (working days: 5 a week).
fn period(w: &[String], i: usize) -> Option<(&'static str, u32)> {
    let unit = |s: &str| match s {
        "day" | "daily" => Some(("day", 260)),
        "week" | "weekly" => Some(("week", 52)),
        "month" | "monthly" => Some(("month", 12)),
        "year" | "annually" | "yearly" => Some(("year", 1)),
        _ => None,
    };
    match w.get(i).map(String::as_str) {
        Some("a" | "per" | "each" | "every" | "an") => w.get(i + 1).and_then(|s| unit(s)),
        Some(s) => unit(s).filter(|_| s.ends_with("ly")),
        None => None,
    }
}

fn time_said(n: &Number, unit: &str) -> String {
    format!("{} {unit}", trim_float(n.value))
}

fn trim_float(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Major units to minor (cents).
fn minor(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quote {
        Quote {
            text: text.into(),
            utterance: None,
        }
    }

    const PRICE: Price = Price {
        amount: 2_160_000,
        per_year: true,
    };

    #[test]
    fn time_times_a_stated_rate_is_shown_as_a_sum() {
        let said = [
            q("We lose about 12 hours a week on renewals."),
            q("Our people cost us about $50 an hour."),
        ];
        let rate = stated_rate(&said).expect("rate");
        assert_eq!(rate.per_hour, 5_000);
        let l = lines(&said, Some(&rate), &PRICE, "USD");
        assert_eq!(l.len(), 1, "the rate is not a pain point: {l:?}");
        assert_eq!(
            l[0].arithmetic.as_deref(),
            Some("12 hours a week × 52 = 624 hours a year × $50 an hour = $31,200 a year")
        );
        assert_eq!(l[0].annual_value, Some(3_120_000));
        assert!(l[0].missing.is_empty());
    }

    #[test]
    fn a_missing_number_is_named_not_invented() {
        let said = [
            q("Writing a good recap takes twenty minutes they don't have."),
            q("We lose about 12 hours a week on renewals."),
        ];
        let l = lines(&said, None, &PRICE, "USD");
        assert_eq!(l[0].arithmetic, None);
        assert_eq!(
            l[0].missing,
            [
                "how often it happens (a day, a week or a month)",
                "the hourly cost of that time"
            ]
        );
        assert_eq!(l[1].missing, ["the hourly cost of that time"]);
        assert_eq!(l[1].annual_value, None);
    }

    #[test]
    fn money_and_rates_from_the_demo_call() {
        let said = [
            q(
                "Last quarter we lost two accounts we could have saved, and one of them was a big one, around ninety thousand a year.",
            ),
            q(
                "Our retention target for next year is ninety-four percent, we finished this year at eighty-nine.",
            ),
            q("Somewhere between twelve and twenty."),
        ];
        let l = lines(&said, None, &PRICE, "USD");
        assert_eq!(l.len(), 2);
        assert_eq!(
            l[0].arithmetic.as_deref(),
            Some(
                "$90,000 a year, 4.2 times the $21,600 a year this proposal costs ($90,000 ÷ $21,600)"
            )
        );
        assert_eq!(l[0].annual_value, Some(9_000_000));
        assert_eq!(l[0].missing, ["the currency (read here as USD)"]);
        assert_eq!(
            l[1].arithmetic.as_deref(),
            Some("94% − 89% = 5 percentage points")
        );
    }

    #[test]
    fn a_monthly_sum_is_made_yearly() {
        let l = lines(&[q("Churn costs us $4,000 a month.")], None, &PRICE, "USD");
        assert_eq!(l[0].annual_value, Some(4_800_000));
        assert!(
            l[0].arithmetic
                .as_deref()
                .is_some_and(|a| a.starts_with("$4,000 a month × 12 months = $48,000 a year")),
            "{l:?}"
        );
        assert!(l[0].missing.is_empty());
    }
}
