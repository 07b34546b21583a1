//! Money as people read it, from integer minor units and an ISO 4217 code:
//! one formatter for the skills (through `baton_sdk::crm::money`) and the
//! host (a proposal's page, its email, the gate), so a document reads the
//! same wherever it is shown.

/// How many digits `currency`'s minor unit has (ISO 4217): 0 for the yen
/// and the won, 3 for the dinars, 2 for most.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
        _ => 2,
    }
}

/// `$21,600` or `£5,400.50`: `minor` units of `currency`, grouped by
/// thousands, the fraction only when there is one; a symbol for the
/// dollar, pound and euro, else the code after the amount (`120,000 JPY`).
pub fn money(minor: i64, currency: &str) -> String {
    let symbol = match currency {
        "USD" => "$",
        "GBP" => "£",
        "EUR" => "€",
        _ => "",
    };
    let digits = minor_digits(currency);
    let scale = 10u64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let whole = (abs / scale).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = if abs.is_multiple_of(scale) {
        String::new()
    } else {
        format!(".{:0width$}", abs % scale, width = digits as usize)
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
        assert_eq!(money(120_000, "JPY"), "120,000 JPY");
        assert_eq!(money(1_234_567, "KWD"), "1,234.567 KWD");
        assert_eq!(money(0, "CHF"), "0 CHF");
    }
}
