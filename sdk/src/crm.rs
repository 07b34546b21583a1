//! The CRM-lite vocabulary skills share: the deal stages, in order.
//!
//! Imported CRMs name stages their own way; these are the names baton's
//! demo data and its skills use, with the common synonyms folded in.

/// Deal stages from first touch to close, in order.
pub const STAGES: [&str; 8] = [
    "lead",
    "discovery",
    "qualification",
    "demo",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
];

/// Where `stage` sits in [`STAGES`] (synonyms folded, case ignored), or
/// `None` for a stage this vocabulary does not know.
pub fn stage_position(stage: &str) -> Option<usize> {
    let s = stage.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let s = match s.as_str() {
        "prospecting" | "new" => "lead",
        "qualified" => "qualification",
        "evaluation" | "solution" => "demo",
        "quote" | "proposal_sent" => "proposal",
        "contract" | "negotiating" => "negotiation",
        "won" => "closed_won",
        "lost" => "closed_lost",
        other => other,
    };
    STAGES.iter().position(|x| *x == s)
}

/// Whether a deal at `stage` is still open.
pub fn is_open(stage: &str) -> bool {
    !matches!(stage_position(stage), Some(6 | 7))
}

/// `$21,600` or `£5,400.50`: the amount with its currency.
pub fn money(cents: i64, currency: &str) -> String {
    let symbol = match currency {
        "USD" => "$",
        "GBP" => "£",
        "EUR" => "€",
        _ => "",
    };
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = if cents.is_multiple_of(100) {
        String::new()
    } else {
        format!(".{:02}", cents % 100)
    };
    if symbol.is_empty() {
        format!("{sign}{grouped}{frac} {currency}")
    } else {
        format!("{sign}{symbol}{grouped}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_money() {
        assert_eq!(money(2_160_000, "USD"), "$21,600");
        assert_eq!(money(540_050, "GBP"), "£5,400.50");
        assert_eq!(money(99, "SEK"), "0.99 SEK");
        assert_eq!(money(-123_456_789, "EUR"), "-€1,234,567.89");
    }

    #[test]
    fn stages_fold_synonyms_and_keep_their_order() {
        assert_eq!(stage_position("Discovery"), Some(1));
        assert_eq!(stage_position("Proposal Sent"), Some(4));
        assert!(stage_position("qualified") < stage_position("quote"));
        assert_eq!(stage_position("on hold"), None);
        assert!(!is_open("Won") && is_open("demo"));
    }
}
