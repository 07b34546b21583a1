//! `research-company-news`: recent news about the company the meeting is
//! with, from the tier-3 `news` provider the org profile configures
//! (`providers.news`):
//!
//! - `{"items": [{company, title, url, source, published_at, summary}]}`:
//!   a static feed, filtered to the company;
//! - `{"url": "https://…"}`: `GET <url>?company=…&domain=…` answered with
//!   `{"items": […]}` (or a bare list), reached over wasi:http. The skill
//!   declares `http:*`; the operator grants the concrete host.
//!
//! Nothing configured, a refused or failing provider: no items and the
//! reason, never a failed step. Newest first, a few items at most.

use baton_sdk::briefing::{NewsItem, ProviderStatus};
use baton_sdk::context;
use baton_sdk::events::pre_meeting::Payload;
use baton_sdk::host::Tier;
use baton_sdk::http::{self, HttpError};
use baton_sdk::prelude::*;
use baton_sdk::text::field;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default = "three")]
    #[schemars(range(min = 1))]
    max_items: usize,
    #[serde(default = "timeout")]
    #[schemars(range(min = 1))]
    timeout_ms: u32,
}

fn three() -> usize {
    3
}
fn timeout() -> u32 {
    3_000
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct News {
    meeting_id: Option<String>,
    /// The company's name (its domain when the CRM has no name).
    company: Option<String>,
    provider_status: ProviderStatus,
    /// Why there are no items, when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// Newest first.
    items: Vec<NewsItem>,
}

pub struct ResearchCompanyNews;

impl Skill for ResearchCompanyNews {
    fn manifest() -> Manifest {
        Manifest::new(
            "research-company-news",
            env!("CARGO_PKG_VERSION"),
            "Recent news about the meeting's company from the configured news provider.",
        )
        .capability("context:contact")
        .capability("context:external:news")
        .capability("http:*")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<News>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let crm = context::contact()?;
        let company = crm.as_ref().and_then(|c| c.company.as_ref());
        let name = company.and_then(|c| c.name.clone());
        let domain = company.and_then(|c| c.domain.clone()).or_else(|| {
            payload
                .contact_email
                .as_deref()
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| d.to_ascii_lowercase())
        });
        let answer = |status: ProviderStatus, reason: Option<String>, items: Vec<NewsItem>| {
            Output::of(&News {
                meeting_id: payload.meeting_id.clone(),
                company: name.clone().or(domain.clone()),
                provider_status: status,
                reason,
                items,
            })
        };
        if name.is_none() && domain.is_none() {
            return answer(
                ProviderStatus::Ok,
                Some("no company is known for this meeting".into()),
                vec![],
            );
        }
        // The provider's configuration stays JSON: without a `url` it is
        // the news itself (a list, or `items`/`articles`).
        let config = match host::context(Tier::External("news".into())) {
            Ok(c) => c,
            Err(HostError::NotFound(_)) => {
                return answer(
                    ProviderStatus::NotConfigured,
                    Some(
                        "no news provider is configured (providers.news in the org profile)".into(),
                    ),
                    vec![],
                );
            }
            Err(e) => {
                return answer(
                    ProviderStatus::NotConfigured,
                    Some(format!("the news provider context is unavailable ({e})")),
                    vec![],
                );
            }
        };
        let raw = if let Some(url) = config["url"].as_str() {
            let mut query = Vec::new();
            if let Some(n) = &name {
                query.push(("company", n.as_str()));
            }
            if let Some(d) = &domain {
                query.push(("domain", d.as_str()));
            }
            match http::get_json(&http::with_query(url, &query), params.timeout_ms) {
                Ok(v) => v,
                Err(e) => {
                    let why = match e {
                        HttpError::Denied(_) => format!(
                            "outbound HTTP to the news provider is not granted (grant `{}` to research-company-news)",
                            http::Url::parse(url)
                                .map(|u| u.capability())
                                .unwrap_or_default()
                        ),
                        other => format!("the news provider {other}"),
                    };
                    return answer(ProviderStatus::Failed, Some(why), vec![]);
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
            return answer(
                ProviderStatus::Failed,
                Some("the news provider's answer holds no list of items".into()),
                vec![],
            );
        };
        let mut items: Vec<NewsItem> = list
            .iter()
            .filter(|i| about(i, name.as_deref(), domain.as_deref()))
            .filter_map(item)
            .collect();
        items.sort_by(|a, b| {
            b.published_on
                .as_deref()
                .unwrap_or("")
                .cmp(a.published_on.as_deref().unwrap_or(""))
        });
        items.truncate(params.max_items);
        let reason = items
            .is_empty()
            .then(|| "the news provider has nothing recent about this company".to_owned());
        answer(ProviderStatus::Ok, reason, items)
    }
}

/// Whether a feed item is about the company: its `company` names it (or
/// its domain), or, without one, its title or summary mentions the name.
fn about(item: &Value, name: Option<&str>, domain: Option<&str>) -> bool {
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

export_skill!(ResearchCompanyNews);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn crm() -> Value {
        json!({ "company": { "name": "Harbour Freight Partners", "domain": "harbourfreight.example" } })
    }

    fn input() -> Input {
        Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "mtg-1", "contact_email": "aisha.bello@harbourfreight.example" }),
        )
    }

    fn feed() -> Value {
        json!({ "items": [
            { "company": "Harbour Freight Partners", "title": "Harbour Freight opens a Rotterdam hub", "url": "https://news.example/rotterdam", "source": "Freight Weekly", "published_at": "2026-11-10T08:00:00Z" },
            { "company": "harbourfreight.example", "title": "New CFO priorities", "published_at": "2026-11-18" },
            { "title": "Harbour Freight Partners wins a port contract", "published_at": "2026-10-01" },
            { "company": "Cobalt Warehousing", "title": "Cobalt expands", "published_at": "2026-11-20" },
            { "title": "Markets today", "published_at": "2026-11-21" }
        ]})
    }

    #[test]
    fn a_static_feed_is_filtered_to_the_company_newest_first() {
        let out = FakeHost::for_skill::<ResearchCompanyNews>()
            .contact(crm())
            .external("news", feed())
            .run::<ResearchCompanyNews>(input())
            .expect("runs");
        let titles: Vec<&str> = out.data["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["title"].as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "New CFO priorities",
                "Harbour Freight opens a Rotterdam hub",
                "Harbour Freight Partners wins a port contract"
            ]
        );
        assert_eq!(out.data["items"][1]["published_on"], "2026-11-10");
        assert_eq!(out.data["company"], "Harbour Freight Partners");
        assert_eq!(out.data["provider_status"], "ok");
    }

    #[test]
    fn a_url_provider_is_asked_over_http_when_granted() {
        let (out, h) = FakeHost::for_skill::<ResearchCompanyNews>()
            .grant("http:127.0.0.1:9100")
            .contact(crm())
            .external("news", json!({ "url": "http://127.0.0.1:9100/news" }))
            .http(
                "http://127.0.0.1:9100/news",
                200,
                &feed()["items"].to_string(),
            )
            .run_with::<ResearchCompanyNews>(input());
        assert_eq!(
            out.expect("runs").data["items"].as_array().map(Vec::len),
            Some(3)
        );
        assert_eq!(
            h.http_requests,
            [
                "http://127.0.0.1:9100/news?company=Harbour%20Freight%20Partners&domain=harbourfreight.example"
            ]
        );
    }

    #[test]
    fn a_denied_or_failing_provider_gives_no_items_and_the_reason() {
        let (out, h) = FakeHost::for_skill::<ResearchCompanyNews>()
            .contact(crm())
            .external("news", json!({ "url": "http://127.0.0.1:9100/news" }))
            .run_with::<ResearchCompanyNews>(input());
        let data = out.expect("runs").data;
        assert_eq!(data["provider_status"], "failed");
        assert!(
            data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("http:127.0.0.1:9100")),
            "{data}"
        );
        assert_eq!(h.denied, ["http:127.0.0.1:9100"]);
        let out = FakeHost::for_skill::<ResearchCompanyNews>()
            .grant("http:127.0.0.1")
            .contact(crm())
            .external("news", json!({ "url": "http://127.0.0.1:9100/news" }))
            .http("http://127.0.0.1:9100/", 502, "bad gateway")
            .run::<ResearchCompanyNews>(input())
            .expect("runs");
        assert_eq!(out.data["items"], json!([]));
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("502"))
        );
    }

    #[test]
    fn nothing_configured_is_empty_with_a_reason() {
        let out = FakeHost::for_skill::<ResearchCompanyNews>()
            .contact(crm())
            .run::<ResearchCompanyNews>(input())
            .expect("runs");
        assert_eq!(out.data["provider_status"], "not_configured");
        assert_eq!(out.data["items"], json!([]));
        assert!(
            out.data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("providers.news"))
        );
    }

    #[test]
    fn a_denied_crm_tier_is_an_error() {
        let r = FakeHost::for_skill::<ResearchCompanyNews>()
            .revoke("context:contact")
            .run::<ResearchCompanyNews>(input());
        assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
    }
}
