//! The org's sales catalog: its price book and its content library. Both
//! are org-level documents an operator imports (`price_book` and
//! `content_library` in the import document, see `examples/demo.json`); the
//! host validates and stores them, and serves them to skills as the tier-3
//! providers [`PRICE_BOOK`] and [`CONTENT_LIBRARY`] (`context =
//! ["external:price_book"]` in a sequence), so only the steps that declare
//! them carry them.
//!
//! Money is always an integer count of the currency's minor units (cents,
//! pence) with the ISO 4217 currency beside it, never a float.

use serde::{Deserialize, Serialize};

/// Tier-3 provider name under which the host serves the [`PriceBook`].
pub const PRICE_BOOK: &str = "price_book";
/// Tier-3 provider name under which the host serves the content library
/// (`{"items": [ContentItem…]}`).
pub const CONTENT_LIBRARY: &str = "content_library";

/// What the org sells and at what price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBook {
    /// ISO 4217, e.g. `USD`; every amount in the book is in it.
    pub currency: String,
    /// What one unit price pays for: `year` or `month`.
    pub billing_period: String,
    /// Tiers by seat count, smallest first.
    pub tiers: Vec<PriceTier>,
}

/// One pricing tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    /// e.g. `Growth`.
    pub name: String,
    /// Price per seat per billing period, in minor units.
    pub unit_amount: i64,
    /// The smallest seat count the tier is sold at.
    pub min_seats: u32,
    /// The largest, when the tier has a ceiling.
    #[serde(default)]
    pub max_seats: Option<u32>,
    /// What the tier includes, as the proposal lists it.
    #[serde(default)]
    pub features: Vec<String>,
}

/// One item of the content library: a case study, the security pack, a
/// pricing sheet, a DPA … Exactly one of `url` and `file` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentItem {
    /// Stable id, unique in the library (lowercase letters, digits, `-`).
    pub id: String,
    pub title: String,
    /// What the item is, e.g. `case_study`, `security`, `pricing`, `legal`.
    pub kind: String,
    /// Words it is known by (`soc2`, `security questionnaire`, `logistics`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who it is for (`it_security`, `finance`, `executive`, …).
    #[serde(default)]
    pub audience: Vec<String>,
    /// One or two sentences on what is in it.
    #[serde(default)]
    pub summary: Option<String>,
    /// Where it is published (http or https).
    #[serde(default)]
    pub url: Option<String>,
    /// A file name in the operator's content folder (no path separators),
    /// attached to the email that sends it.
    #[serde(default)]
    pub file: Option<String>,
}

/// A file from the operator's content folder attached to an `email_send`
/// (its payload's `attachments`); the host reads it from the folder
/// (`BATON_CONTENT_DIR`) when it sends, and never from anywhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// A plain file name in the content folder (see [`is_plain_file_name`]).
    pub file: String,
    /// What the email calls it, e.g. `Security pack`.
    #[serde(default)]
    pub title: Option<String>,
}

impl Attachment {
    /// What is wrong with the attachment, if anything.
    pub fn problem(&self) -> Option<String> {
        (!is_plain_file_name(&self.file)).then(|| {
            format!(
                "attachment `{}` must be a plain file name in the content folder",
                self.file
            )
        })
    }
}

/// A name that can only mean a file directly in a folder: not empty, at
/// most 255 bytes, no path separator or control character (a line break
/// would reach the email's headers), not hidden and not `..`.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && !name.starts_with('.')
}

impl PriceBook {
    /// The tier that sells `seats`: the last whose range holds it; else
    /// the largest tier above every ceiling, the smallest below every floor.
    pub fn tier_for(&self, seats: u32) -> Option<&PriceTier> {
        let holds = |t: &&PriceTier| seats >= t.min_seats && t.max_seats.is_none_or(|m| seats <= m);
        let largest = self.tiers.iter().max_by_key(|t| t.min_seats);
        self.tiers
            .iter()
            .rev()
            .find(holds)
            .or_else(|| match largest {
                Some(l) if seats >= l.min_seats => largest,
                _ => self.tiers.iter().min_by_key(|t| t.min_seats),
            })
    }

    /// What is wrong with the book, if anything: a currency that is not
    /// three capital letters, no tiers, a negative price or a tier whose
    /// ceiling is below its floor.
    pub fn problem(&self) -> Option<String> {
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Some(format!(
                "currency `{}` is not an ISO 4217 code",
                self.currency
            ));
        }
        if !matches!(self.billing_period.as_str(), "year" | "month") {
            return Some(format!(
                "billing_period `{}` is not `year` or `month`",
                self.billing_period
            ));
        }
        if self.tiers.is_empty() {
            return Some("it has no tiers".into());
        }
        self.tiers.iter().find_map(|t| {
            if t.name.trim().is_empty() {
                Some("a tier has no name".into())
            } else if t.unit_amount < 0 {
                Some(format!("tier `{}` has a negative price", t.name))
            } else if t.max_seats.is_some_and(|m| m < t.min_seats) {
                Some(format!("tier `{}` ends below where it starts", t.name))
            } else {
                None
            }
        })
    }
}

impl ContentItem {
    /// What is wrong with the item, if anything.
    pub fn problem(&self) -> Option<String> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Some(format!(
                "id `{}` must be lowercase letters, digits and `-`",
                self.id
            ));
        }
        if self.title.trim().is_empty() {
            return Some(format!("`{}` has no title", self.id));
        }
        match (&self.url, &self.file) {
            (Some(u), None) if u.starts_with("https://") || u.starts_with("http://") => None,
            (Some(u), None) => Some(format!("`{}`: url `{u}` is not http(s)", self.id)),
            (None, Some(f)) if is_plain_file_name(f) => None,
            (None, Some(f)) => Some(format!(
                "`{}`: file `{f}` must be a plain file name in the content folder",
                self.id
            )),
            _ => Some(format!(
                "`{}` needs exactly one of `url` and `file`",
                self.id
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> PriceBook {
        let tier = |name: &str, min, max| PriceTier {
            name: name.into(),
            unit_amount: 5_400,
            min_seats: min,
            max_seats: max,
            features: vec![],
        };
        PriceBook {
            currency: "USD".into(),
            billing_period: "year".into(),
            tiers: vec![
                tier("Starter", 1, Some(24)),
                tier("Growth", 25, Some(199)),
                tier("Enterprise", 200, None),
            ],
        }
    }

    #[test]
    fn a_seat_count_finds_its_tier() {
        let b = book();
        assert_eq!(b.tier_for(10).map(|t| t.name.as_str()), Some("Starter"));
        assert_eq!(b.tier_for(25).map(|t| t.name.as_str()), Some("Growth"));
        assert_eq!(b.tier_for(900).map(|t| t.name.as_str()), Some("Enterprise"));
        assert_eq!(b.tier_for(0).map(|t| t.name.as_str()), Some("Starter"));
        assert_eq!(b.problem(), None);
    }

    #[test]
    fn a_bad_book_or_item_is_named() {
        let mut b = book();
        b.currency = "usd".into();
        assert!(b.problem().is_some_and(|p| p.contains("ISO 4217")));
        let item = |url: Option<&str>, file: Option<&str>| ContentItem {
            id: "sec-pack".into(),
            title: "Security pack".into(),
            kind: "security".into(),
            tags: vec![],
            audience: vec![],
            summary: None,
            url: url.map(Into::into),
            file: file.map(Into::into),
        };
        assert_eq!(item(None, Some("security-pack.pdf")).problem(), None);
        assert_eq!(item(Some("https://x.example/a"), None).problem(), None);
        assert!(item(None, Some("../etc/passwd")).problem().is_some());
        // A line break or a NUL in the name, or a name past 255 bytes.
        for bad in [
            "pack\r\nBcc: x@evil.example.pdf",
            "a\0.pdf",
            &"x".repeat(256),
        ] {
            assert!(!is_plain_file_name(bad), "{bad:?}");
        }
        assert!(item(Some("ftp://x"), None).problem().is_some());
        assert!(item(None, None).problem().is_some());
    }

    #[test]
    fn an_attachment_names_a_file_in_the_folder_and_nothing_else() {
        let a = |f: &str| Attachment {
            file: f.into(),
            title: None,
        };
        assert_eq!(a("security-pack.pdf").problem(), None);
        for bad in [
            "",
            "../secret.txt",
            "..",
            ".env",
            "sub/file.pdf",
            "c:\\x",
            "/etc/passwd",
        ] {
            assert!(a(bad).problem().is_some(), "{bad}");
        }
    }
}
