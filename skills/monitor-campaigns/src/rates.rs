//! Rates, their change since the previous period, and the flags against
//! the org's benchmarks. Rates are fractions of the emails sent in the
//! period (open, click and reply: unique leads over emails sent); a change
//! is in percentage points; a campaign is flagged only when it sent at
//! least `min_sent` emails in the period (too few to judge otherwise).

use baton_sdk::events::campaign_check::{Benchmarks, CampaignDay};
use schemars::JsonSchema;
use serde::Serialize;

/// A campaign's three rates; `None` when it sent nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Rates {
    pub open_rate: Option<f64>,
    pub click_rate: Option<f64>,
    pub reply_rate: Option<f64>,
}

/// The change of each rate against the previous period, in percentage
/// points (one decimal); `None` where either period sent nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Change {
    pub open_pts: Option<f64>,
    pub click_pts: Option<f64>,
    pub reply_pts: Option<f64>,
}

/// A rate under its benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Flag {
    /// `open_rate`, `click_rate` or `reply_rate`.
    pub metric: &'static str,
    pub rate: f64,
    pub benchmark: f64,
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The rates of a day's figures.
pub fn rates(d: &CampaignDay) -> Rates {
    Rates {
        open_rate: ratio(d.opened, d.sent),
        click_rate: ratio(d.clicked, d.sent),
        reply_rate: ratio(d.replied, d.sent),
    }
}

fn points(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(((now? - before?) * 1000.0).round() / 10.0)
}

/// `now` against `before`.
pub fn change(now: &Rates, before: &Rates) -> Change {
    Change {
        open_pts: points(now.open_rate, before.open_rate),
        click_pts: points(now.click_rate, before.click_rate),
        reply_pts: points(now.reply_rate, before.reply_rate),
    }
}

/// The rates under their benchmark, when the day sent enough to judge.
pub fn flags(d: &CampaignDay, r: &Rates, b: &Benchmarks) -> Vec<Flag> {
    if d.sent < b.min_sent {
        return Vec::new();
    }
    [
        ("open_rate", r.open_rate, b.open_rate),
        ("click_rate", r.click_rate, b.click_rate),
        ("reply_rate", r.reply_rate, b.reply_rate),
    ]
    .into_iter()
    .filter_map(|(metric, rate, benchmark)| {
        let rate = rate?;
        (rate < benchmark).then_some(Flag {
            metric,
            rate,
            benchmark,
        })
    })
    .collect()
}

/// A rate as a whole percentage ("18%").
pub fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(sent: i64, opened: i64, clicked: i64, replied: i64) -> CampaignDay {
        CampaignDay {
            campaign_id: "c".into(),
            name: "Q1".into(),
            date: "2026-11-23".into(),
            sent,
            opened,
            clicked,
            replied,
        }
    }

    #[test]
    fn changes_are_in_points_and_flags_need_enough_sends() {
        let now = rates(&day(45, 20, 8, 3));
        let before = rates(&day(50, 20, 5, 5));
        let c = change(&now, &before);
        assert_eq!(c.open_pts, Some(4.4));
        assert_eq!(c.reply_pts, Some(-3.3));
        assert_eq!(percent(now.click_rate), "18%");
        let b = Benchmarks::default();
        let f = flags(&day(45, 10, 0, 1), &rates(&day(45, 10, 0, 1)), &b);
        let metrics: Vec<&str> = f.iter().map(|f| f.metric).collect();
        assert_eq!(metrics, ["open_rate", "click_rate", "reply_rate"]);
        assert!(flags(&day(10, 0, 0, 0), &rates(&day(10, 0, 0, 0)), &b).is_empty());
        assert_eq!(change(&now, &rates(&day(0, 0, 0, 0))).open_pts, None);
    }
}
