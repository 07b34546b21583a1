//! Small arithmetic for the success metrics: nearest-rank quantiles,
//! shares, UTC days, RFC 3339 instants.

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The nearest-rank `q` quantile (0 < q <= 1) of `values`: the smallest
/// value with at least `q` of them at or below it; `None` when empty.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// `part / whole`, `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The UTC day (days since the epoch) of `ms`.
pub fn day(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// A UTC day as `YYYY-MM-DD`.
pub fn date(day: i64) -> String {
    jiff::Timestamp::from_millisecond(day * DAY_MS)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Unix ms of an RFC 3339 instant, if it is one.
pub fn instant(text: &str) -> Option<i64> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[900.0, 300.0], 0.5), Some(300.0));
        assert_eq!(quantile(&[900.0, 300.0], 0.9), Some(900.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile(&ten, 0.5), Some(5.0));
        assert_eq!(quantile(&ten, 0.9), Some(9.0));
    }

    #[test]
    fn days_dates_and_instants() {
        let t = instant("2026-11-23T14:55:00Z").expect("instant");
        assert_eq!(t, 1_795_445_700_000);
        assert_eq!(date(day(t)), "2026-11-23");
        assert_eq!(instant("yesterday"), None);
        assert_eq!(share(1, 8), Some(0.125));
        assert_eq!(share(0, 0), None);
    }
}
