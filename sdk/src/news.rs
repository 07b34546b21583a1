//! Company news from the tier-3 `news` provider (`providers.news` in the
//! org profile), as `research-company-news` (before a meeting) and
//! `research-trigger-events` (for a stale deal) both read it:
//!
//! - `{"items": [{company, title, url, source, published_at, summary}]}`:
//!   a static feed, filtered to the company;
//! - `{"url": "https://…"}`: `GET <url>?company=…&domain=…` answered with
//!   `{"items": […]}` (or a bare list), over wasi:http. The skill declares
//!   `http:*`; the operator grants the concrete host.
//!
//! Nothing configured, a refused or failing provider: no items and the
//! reason, never an error. Newest first, at most `max_items`.

use crate::briefing::{NewsItem, ProviderStatus};
use crate::host::{self, HostError, Tier};
use crate::http::{self, HttpError};
use crate::text::field;
use serde::Deserialize;
use serde_json::Value;

/// The tier-3 provider name.
pub const PROVIDER: &str = "news";

/// The params of a skill that reads the news (the manifest's params
/// schema is derived from it): how many items at most, and how long the
/// provider may take.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default = "three")]
    #[schemars(range(min = 1))]
    pub max_items: usize,
    #[serde(default = "timeout")]
    #[schemars(range(min = 1))]
    pub timeout_ms: u32,
}

fn three() -> usize {
    3
}
fn timeout() -> u32 {
    3_000
}

/// Who the news should be about.
#[derive(Debug, Clone, Copy)]
pub struct Company<'a> {
    pub name: Option<&'a str>,
    pub domain: Option<&'a str>,
}

/// What the provider said.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub status: ProviderStatus,
    /// Why there are no items, when there are none.
    pub reason: Option<String>,
    /// Newest first.
    pub items: Vec<NewsItem>,
}

impl Lookup {
    fn none(status: ProviderStatus, reason: String) -> Lookup {
        Lookup {
            status,
            reason: Some(reason),
            items: Vec::new(),
        }
    }
}

/// Ask the `news` provider about `company` on behalf of `skill` (named in
/// the message when its HTTP is not granted).
pub fn lookup(company: Company<'_>, skill: &str, max_items: usize, timeout_ms: u32) -> Lookup {
    if company.name.is_none() && company.domain.is_none() {
        return Lookup::none(ProviderStatus::Ok, "no company is known".into());
    }
    // The provider's configuration stays JSON: without a `url` it is the
    // news itself (a list, or `items`/`articles`).
    let config = match host::context(Tier::External(PROVIDER.into())) {
        Ok(c) => c,
        Err(HostError::NotFound(_)) => {
            return Lookup::none(
                ProviderStatus::NotConfigured,
                "no news provider is configured (providers.news in the org profile)".into(),
            );
        }
        Err(e) => {
            return Lookup::none(
                ProviderStatus::NotConfigured,
                format!("the news provider context is unavailable ({e})"),
            );
        }
    };
    let raw = if let Some(url) = config["url"].as_str() {
        let mut query = Vec::new();
        if let Some(n) = company.name {
            query.push(("company", n));
        }
        if let Some(d) = company.domain {
            query.push(("domain", d));
        }
        match http::get_json(&http::with_query(url, &query), timeout_ms) {
            Ok(v) => v,
            Err(e) => {
                let why = match e {
                    HttpError::Denied(_) => format!(
                        "outbound HTTP to the news provider is not granted (grant `{}` to {skill})",
                        http::Url::parse(url)
                            .map(|u| u.capability())
                            .unwrap_or_default()
                    ),
                    other => format!("the news provider {other}"),
                };
                return Lookup::none(ProviderStatus::Failed, why);
            }
        }
    } else {
        config
    };
    let list = raw
        .get("items")
        .or_else(|| raw.get("articles"))
        .unwrap_or(&raw);
    let Some(list) = list.as_array() else {
        return Lookup::none(
            ProviderStatus::Failed,
            "the news provider's answer holds no list of items".into(),
        );
    };
    let mut items: Vec<NewsItem> = list
        .iter()
        .filter(|i| about(i, company))
        .filter_map(item)
        .collect();
    items.sort_by(|a, b| {
        b.published_on
            .as_deref()
            .unwrap_or("")
            .cmp(a.published_on.as_deref().unwrap_or(""))
    });
    items.truncate(max_items);
    let reason = items
        .is_empty()
        .then(|| "the news provider has nothing recent about this company".to_owned());
    Lookup {
        status: ProviderStatus::Ok,
        reason,
        items,
    }
}

/// Whether a feed item is about the company: its `company` names it (or
/// its domain), or, without one, its title or summary mentions the name.
fn about(item: &Value, company: Company<'_>) -> bool {
    let (name, domain) = (company.name, company.domain);
    let eq = |a: &str, b: Option<&str>| b.is_some_and(|b| a.trim().eq_ignore_ascii_case(b));
    if let Some(c) = item["company"].as_str() {
        return eq(c, name)
            || eq(c, domain)
            || item["domain"].as_str().is_some_and(|d| eq(d, domain));
    }
    let Some(name) = name.map(str::to_lowercase) else {
        return false;
    };
    ["title", "summary"]
        .iter()
        .filter_map(|k| item[*k].as_str())
        .any(|t| t.to_lowercase().contains(&name))
}

/// The output form of a feed item; `None` without a title.
fn item(i: &Value) -> Option<NewsItem> {
    let s = |k: &str| field(i, k).map(|t| t.chars().take(400).collect::<String>());
    let title = s("title")?;
    let published = s("published_at")
        .or_else(|| s("published_on"))
        .or_else(|| s("date"))
        .map(|d| d.chars().take(10).collect::<String>());
    Some(NewsItem {
        title,
        url: s("url").filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        source: s("source"),
        published_on: published,
        summary: s("summary"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_item_is_about_the_company_by_name_domain_or_mention() {
        let c = Company {
            name: Some("Harbour Freight Partners"),
            domain: Some("harbourfreight.example"),
        };
        assert!(about(&json!({ "company": "harbour freight partners" }), c));
        assert!(about(&json!({ "company": "harbourfreight.example" }), c));
        assert!(about(
            &json!({ "title": "Harbour Freight Partners wins a port contract" }),
            c
        ));
        assert!(!about(
            &json!({ "company": "Cobalt", "title": "Harbour Freight Partners" }),
            c
        ));
        assert!(!about(&json!({ "title": "Markets today" }), c));
        assert_eq!(item(&json!({ "url": "https://x" })), None);
        let i = item(&json!({ "title": "T", "url": "ftp://x", "date": "2026-11-10T08:00:00Z" }))
            .expect("item");
        assert_eq!(i.url, None);
        assert_eq!(i.published_on.as_deref(), Some("2026-11-10"));
    }
}
