//! `research-trigger-events`: something new at a stale deal's company that
//! is worth a message (a new site, a new hire, funding), from the tier-3
//! `news` provider over granted HTTP, read the way `research-company-news`
//! reads it (`baton_sdk::news`).
//!
//! No provider configured, a refused or failing one: the research is
//! CRM-only (`basis: crm_only`) and `note` says so and why, so the draft
//! leans on the deal's history instead; the step never fails for it.

use baton_sdk::context;
use baton_sdk::events::stale_deal_revival::Payload;
use baton_sdk::news;
use baton_sdk::prelude::*;
use baton_sdk::revival::{Basis, Triggers};

pub struct ResearchTriggerEvents;

impl Skill for ResearchTriggerEvents {
    fn manifest() -> Manifest {
        Manifest::new(
            "research-trigger-events",
            env!("CARGO_PKG_VERSION"),
            "Recent events at a stale deal's company from the news provider; CRM-only when there is none.",
        )
        .produces(flow::names::DEAL_TRIGGERS)
        .capability("context:contact")
        .capability("context:external:news")
        .capability("http:*")
        .default_fuel(50_000_000)
        .params::<news::Params>()
        .output::<Triggers>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: news::Params = input.params()?;
        let payload: Payload = input.payload()?;
        let crm = context::contact()?.unwrap_or_default();
        let company = crm.company.as_ref();
        let name = company.and_then(|c| c.name.clone());
        let domain = company.and_then(|c| c.domain.clone()).or_else(|| {
            crm.contact
                .as_ref()
                .and_then(|c| c.email.as_deref())
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| d.to_ascii_lowercase())
        });
        let deal_name = payload
            .deal_name
            .or_else(|| crm.deal.as_ref().and_then(|d| d.name.clone()));
        let found = news::lookup(
            news::Company {
                name: name.as_deref(),
                domain: domain.as_deref(),
            },
            "research-trigger-events",
            params.max_items,
            params.timeout_ms,
        );
        let answered = found.status == baton_sdk::briefing::ProviderStatus::Ok
            && (name.is_some() || domain.is_some());
        let note = if answered {
            found.reason
        } else {
            Some(format!(
                "CRM-only: {}; the re-engagement rests on the deal's history alone",
                found
                    .reason
                    .as_deref()
                    .unwrap_or("no news provider answered")
            ))
        };
        Output::of(&Triggers {
            deal_name,
            company: name.or(domain),
            basis: if answered {
                Basis::News
            } else {
                Basis::CrmOnly
            },
            provider_status: Some(found.status),
            note,
            events: found.items,
        })
    }
}

export_skill!(ResearchTriggerEvents);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn crm() -> Value {
        json!({
            "company": { "name": "Halden Cold Chain", "domain": "halden.example" },
            "contact": { "name": "Ines Duarte", "email": "ines.duarte@halden.example" },
            "deal": { "name": "Halden cold-chain renewals" }
        })
    }

    fn input() -> Input {
        Input::for_event(
            "stale_deal_revival",
            json!({ "deal_id": "d1", "deal_name": "Halden cold-chain renewals", "days_quiet": 96 }),
        )
    }

    fn feed() -> Value {
        json!({ "items": [
            { "company": "Halden Cold Chain", "title": "Halden Cold Chain opens a Rotterdam hub",
              "url": "https://news.example/halden-rotterdam", "published_at": "2026-11-02" },
            { "company": "Cobalt Warehousing", "title": "Cobalt expands", "published_at": "2026-11-20" }
        ]})
    }

    #[test]
    fn a_granted_provider_gives_the_company_s_news() {
        let (out, h) = FakeHost::for_skill::<ResearchTriggerEvents>()
            .grant("http:127.0.0.1:9100")
            .contact(crm())
            .external("news", json!({ "url": "http://127.0.0.1:9100/news" }))
            .http("http://127.0.0.1:9100/news", 200, &feed().to_string())
            .run_with::<ResearchTriggerEvents>(input());
        let data = out.expect("runs").data;
        assert_eq!(data["basis"], "news");
        assert_eq!(
            data["events"][0]["title"],
            "Halden Cold Chain opens a Rotterdam hub"
        );
        assert_eq!(data["events"].as_array().map(Vec::len), Some(1));
        assert!(h.http_requests[0].contains("company=Halden%20Cold%20Chain"));
    }

    #[test]
    fn without_a_provider_it_is_crm_only_and_says_so() {
        let data = FakeHost::for_skill::<ResearchTriggerEvents>()
            .contact(crm())
            .run::<ResearchTriggerEvents>(input())
            .expect("runs")
            .data;
        assert_eq!(data["basis"], "crm_only");
        assert_eq!(data["events"], json!([]));
        let note = data["note"].as_str().expect("a note");
        assert!(note.starts_with("CRM-only"), "{note}");
        assert!(note.contains("providers.news"), "{note}");
    }

    #[test]
    fn a_refused_provider_is_crm_only_naming_the_grant() {
        let (out, h) = FakeHost::for_skill::<ResearchTriggerEvents>()
            .contact(crm())
            .external("news", json!({ "url": "http://127.0.0.1:9100/news" }))
            .run_with::<ResearchTriggerEvents>(input());
        let data = out.expect("runs").data;
        assert_eq!(data["basis"], "crm_only");
        assert_eq!(data["provider_status"], "failed");
        assert!(
            data["note"].as_str().is_some_and(
                |n| n.contains("http:127.0.0.1:9100") && n.contains("research-trigger-events")
            ),
            "{data}"
        );
        assert_eq!(h.denied, ["http:127.0.0.1:9100"]);
    }
}
