//! `research-company-news`: recent news about the company the meeting is
//! with, from the tier-3 `news` provider the org profile configures
//! (`providers.news`; a static feed or a URL asked over granted HTTP, as
//! `baton_sdk::news` reads it).
//!
//! Nothing configured, a refused or failing provider: no items and the
//! reason, never a failed step. Newest first, a few items at most.

use baton_sdk::briefing::{NewsItem, ProviderStatus};
use baton_sdk::events::pre_meeting::Payload;
use baton_sdk::prelude::*;
use baton_sdk::{context, news};
use serde::Serialize;

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
        .produces(flow::names::BRIEFING_NEWS)
        .capability("context:contact")
        .capability("context:external:news")
        .capability("http:*")
        .default_fuel(50_000_000)
        .params::<news::Params>()
        .output::<News>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: news::Params = input.params()?;
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
        let found = news::lookup(
            news::Company {
                name: name.as_deref(),
                domain: domain.as_deref(),
            },
            "research-company-news",
            params.max_items,
            params.timeout_ms,
        );
        answer(found.status, found.reason, found.items)
    }
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
