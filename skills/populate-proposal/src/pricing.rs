//! The price from the org's price book (seats × the tier's unit price, the
//! sum written out), and the case study from its content library. Nothing
//! here invents a number: no book or no seat count leaves the price to be
//! confirmed, and no matching case study is said as such.

use baton_sdk::context::{ContentItem, PriceBook};
use baton_sdk::crm::money;
use baton_sdk::proposal::{CaseStudy, PlainText, Priced, PricingStatus};

/// The pricing as the proposal states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pricing {
    pub status: PricingStatus,
    pub currency: String,
    pub tier: Option<String>,
    pub billing_period: Option<String>,
    pub lines: Vec<Priced>,
    pub amount: i64,
    pub arithmetic: Option<String>,
    /// The `{{pricing}}` section text.
    pub text: String,
    /// The `{{features}}` text: what the tier includes.
    pub features: String,
}

/// Price `seats` from `book`; `currency` is used when there is no book.
pub fn price(book: Option<&PriceBook>, seats: Option<u32>, currency: &str, rep: &str) -> Pricing {
    let unpriced = |text: String| Pricing {
        status: PricingStatus::ToBeConfirmed,
        currency: book.map_or(currency, |b| b.currency.as_str()).to_owned(),
        tier: None,
        billing_period: book.map(|b| b.billing_period.clone()),
        lines: Vec::new(),
        amount: 0,
        arithmetic: None,
        text,
        features: String::new(),
    };
    let Some(book) = book else {
        return unpriced(format!(
            "Pricing is to be confirmed: {rep} will send you the exact figures for your seat count."
        ));
    };
    let period = book.billing_period.as_str();
    let tier = seats.and_then(|n| book.tier_for(n).map(|t| (n, t)));
    let Some((n, tier)) = tier else {
        let tiers: Vec<String> = book
            .tiers
            .iter()
            .map(|t| {
                format!(
                    "- {}: {} per seat per {period}",
                    t.name,
                    money(t.unit_amount, &book.currency)
                )
            })
            .collect();
        return unpriced(format!(
            "The seat count is to be confirmed; the total follows from it. Our tiers, in {}:\n\n{}",
            book.currency,
            tiers.join("\n")
        ));
    };
    let Some(total) = i64::from(n).checked_mul(tier.unit_amount) else {
        return unpriced(format!(
            "Pricing for {n} seats is to be confirmed: {rep} will send it."
        ));
    };
    let c = &book.currency;
    let arithmetic = format!(
        "{n} seats × {} per seat per {period} = {} per {period}",
        money(tier.unit_amount, c),
        money(total, c)
    );
    let features = if tier.features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = tier.features.iter().map(|f| format!("- {f}")).collect();
        format!("Included in {}:\n\n{}", tier.name, list.join("\n"))
    };
    Pricing {
        status: PricingStatus::Priced,
        currency: c.clone(),
        tier: Some(tier.name.clone()),
        billing_period: Some(book.billing_period.clone()),
        lines: vec![Priced {
            item: format!("{} seat, per {period}", tier.name),
            quantity: n,
            unit_amount: tier.unit_amount,
            total,
        }],
        amount: total,
        text: format!(
            "{} tier, billed per {period}, prices in {c}:\n\n- {arithmetic}\n\nTotal: {} per {period}.",
            tier.name,
            money(total, c)
        ),
        arithmetic: Some(arithmetic),
        features,
    }
}

/// The case study that fits best: a tag naming the company's industry
/// counts 3, each other tag the conversation mentions 1; `None` when none
/// scores.
pub fn case_study(
    library: &[ContentItem],
    industry: Option<&str>,
    conversation: &str,
) -> Option<CaseStudy> {
    let industry = industry.map(str::to_lowercase);
    // Read once for every item's tags.
    let plain = PlainText::of(conversation);
    let words = plain.words();
    library
        .iter()
        .filter(|i| i.kind == "case_study")
        .filter_map(|item| {
            let mut score = 0;
            let mut matched = Vec::new();
            let said = words.mentioned(&item.tags);
            for tag in &item.tags {
                let lower = tag.to_lowercase();
                if industry.as_deref() == Some(lower.as_str()) {
                    score += 3;
                    matched.push(lower);
                } else if said.contains(&tag) {
                    score += 1;
                    matched.push(lower);
                }
            }
            (score > 0).then_some((score, item, matched))
        })
        // The first of equals wins: `max_by_key` would keep the last.
        .fold(
            None,
            |best: Option<(i32, &ContentItem, Vec<String>)>, c| match &best {
                Some((s, ..)) if *s >= c.0 => best,
                _ => Some(c),
            },
        )
        .map(|(_, item, matched)| CaseStudy {
            id: item.id.clone(),
            title: item.title.clone(),
            url: item.url.clone(),
            matched,
        })
}

/// The `{{case_study}}` section text.
pub fn case_study_text(
    found: Option<&CaseStudy>,
    library: &[ContentItem],
    industry: Option<&str>,
    rep: &str,
) -> String {
    let Some(c) = found else {
        let who = industry.map_or("a company like yours".to_owned(), |i| {
            format!("a {} company", i.to_lowercase())
        });
        return format!(
            "We have no published case study from {who} yet; {rep} can arrange a reference call with a customer instead."
        );
    };
    let item = library.iter().find(|i| i.id == c.id);
    let summary = item.and_then(|i| i.summary.as_deref()).unwrap_or("");
    let link = match (&c.url, item.and_then(|i| i.file.as_deref())) {
        (Some(u), _) => format!("\n\nRead it: {u}"),
        (None, Some(f)) => format!("\n\nAttached: {f}"),
        _ => String::new(),
    };
    let mut text = format!("{}.", c.title.trim_end_matches('.'));
    if !summary.trim().is_empty() {
        text = format!("{text} {}", summary.trim());
    }
    text + &link
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::context::PriceTier;

    pub fn book() -> PriceBook {
        let tier = |name: &str, unit, min, max| PriceTier {
            name: name.into(),
            unit_amount: unit,
            min_seats: min,
            max_seats: max,
            features: vec!["Renewal alerts".into()],
        };
        PriceBook {
            currency: "USD".into(),
            billing_period: "year".into(),
            tiers: vec![
                tier("Starter", 60_000, 1, Some(24)),
                tier("Growth", 54_000, 25, Some(199)),
                tier("Enterprise", 48_000, 200, None),
            ],
        }
    }

    #[test]
    fn seats_times_the_tier_price_with_the_sum_shown() {
        let p = price(Some(&book()), Some(40), "GBP", "Jordan");
        assert_eq!(p.status, PricingStatus::Priced);
        assert_eq!(p.currency, "USD");
        assert_eq!(p.tier.as_deref(), Some("Growth"));
        assert_eq!(p.amount, 2_160_000);
        assert_eq!(p.lines[0].quantity * 54_000, 2_160_000);
        assert_eq!(
            p.arithmetic.as_deref(),
            Some("40 seats × $540 per seat per year = $21,600 per year")
        );
        assert!(p.features.contains("- Renewal alerts"), "{}", p.features);
    }

    #[test]
    fn no_book_or_no_seats_invents_no_number() {
        let p = price(None, Some(40), "USD", "Jordan");
        assert_eq!(p.status, PricingStatus::ToBeConfirmed);
        assert!(p.lines.is_empty() && p.amount == 0);
        assert!(p.text.contains("to be confirmed"), "{}", p.text);
        assert!(!p.text.contains('$'), "{}", p.text);
        let p = price(Some(&book()), None, "USD", "Jordan");
        assert_eq!(p.status, PricingStatus::ToBeConfirmed);
        assert!(
            p.text.contains("- Growth: $540 per seat per year"),
            "{}",
            p.text
        );
    }

    fn item(id: &str, kind: &str, tags: &[&str]) -> ContentItem {
        ContentItem {
            id: id.into(),
            title: format!("Title {id}"),
            kind: kind.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            audience: vec![],
            summary: Some("Cut churn by a third.".into()),
            url: Some(format!("https://acme.example/{id}")),
            file: None,
        }
    }

    #[test]
    fn the_case_study_matches_the_industry_first() {
        let lib = vec![
            item("sec", "security", &["logistics"]),
            item("retail", "case_study", &["retail", "hubspot"]),
            item("ohio", "case_study", &["warehousing", "logistics"]),
        ];
        let c = case_study(&lib, Some("Logistics"), "we're on hubspot").expect("one");
        assert_eq!(c.id, "ohio");
        assert_eq!(c.matched, ["logistics"]);
        let c = case_study(&lib, Some("mining"), "we're on HubSpot").expect("one");
        assert_eq!(c.id, "retail");
        assert!(case_study(&lib, Some("mining"), "nothing").is_none());
        let text = case_study_text(None, &lib, Some("Mining"), "Jordan");
        assert!(
            text.contains("no published case study from a mining company"),
            "{text}"
        );
        let found = case_study(&lib, Some("logistics"), "").expect("one");
        let text = case_study_text(Some(&found), &lib, None, "Jordan");
        assert_eq!(
            text,
            "Title ohio. Cut churn by a third.\n\nRead it: https://acme.example/ohio"
        );
    }
}
