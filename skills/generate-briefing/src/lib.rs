//! `generate-briefing`: the rep's brief for a meeting, from what the research
//! group found (`enrich-attendees`, `pull-crm-history`,
//! `check-previous-action-items`, `research-company-news`, read from
//! `input.previous` by skill name) and the org and CRM tiers: who is coming
//! and what they do, the deal, the history, open action items (overdue
//! first), news, and up to three talking points built only from those facts.
//!
//! Every research step may be missing (they run with `on_failure =
//! "continue"`): attendees and the deal then come straight from tier 2, and
//! the briefing lists what it could not check. The output holds a structured
//! form and a plain-text one (`text`); `deliver-slack-briefing` renders it.
//! No LLM: the same input always gives the same briefing.

pub mod points;
pub mod text;

use baton_sdk::context::{self, ContactTier, Deal};
use baton_sdk::crm::money;
use baton_sdk::events::pre_meeting::{Invitee, Payload};
use baton_sdk::prelude::*;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {}

/// The research steps, by skill name.
pub const RESEARCH: [&str; 4] = [
    "enrich-attendees",
    "pull-crm-history",
    "check-previous-action-items",
    "research-company-news",
];

pub struct GenerateBriefing;

impl Skill for GenerateBriefing {
    fn manifest() -> Manifest {
        Manifest::new(
            "generate-briefing",
            env!("CARGO_PKG_VERSION"),
            "A pre-meeting briefing: who, the deal, history, open action items, news and talking points.",
        )
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output_schema(json!({
            "type": "object",
            "required": ["meeting_id", "title", "attendees", "action_items", "news", "talking_points", "missing", "text"],
            "properties": {
                "meeting_id": { "type": ["string", "null"] },
                "title": { "type": "string" },
                "starts_at": { "type": ["string", "null"] },
                "starts_local": { "type": ["string", "null"] },
                "company": { "type": ["object", "null"] },
                "attendees": { "type": "array", "items": { "type": "object", "properties": {
                    "name": { "type": ["string", "null"] }, "title": { "type": ["string", "null"] },
                    "company": { "type": ["string", "null"] }, "seniority": { "type": ["string", "null"] },
                    "linkedin": { "type": ["string", "null"] }, "source": { "type": "string" }
                }}},
                "enrichment": { "type": "object", "properties": {
                    "status": { "enum": ["ok", "not_configured", "failed", "missing"] },
                    "degraded": { "type": "boolean" },
                    "note": { "type": ["string", "null"] }
                }},
                "deal": { "type": ["object", "null"] },
                "history": { "type": ["object", "null"] },
                "action_items": { "type": "array" },
                "news": { "type": "array" },
                "talking_points": { "type": "array", "maxItems": 3, "items": { "type": "string" } },
                "missing": { "type": "array", "items": { "type": "string" } },
                "text": { "type": "string" }
            }
        }))
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let Params {} = input.params()?;
        let payload: Payload = input.payload()?;
        let org = context::org()?;
        let crm = context::contact()?;
        let step = |skill: &str| {
            input
                .previous
                .iter()
                .find(|p| p.skill == skill)
                .map(|p| &p.data)
        };
        let missing: Vec<&str> = RESEARCH.into_iter().filter(|s| step(s).is_none()).collect();
        let enrich = step("enrich-attendees");
        let history = step("pull-crm-history").filter(|h| h["found"] == true);
        let items = step("check-previous-action-items");
        let news = step("research-company-news");

        let company = history
            .map(|h| &h["company"])
            .filter(|c| c.is_object())
            .map(|c| json!({ "name": c["name"], "domain": c["domain"], "industry": c["industry"], "employees": c["employees"] }))
            .or_else(|| {
                crm.as_ref()?.company.as_ref().map(|c| json!({ "name": c.name, "domain": c.domain, "industry": c.industry, "employees": c.employees }))
            });
        let title = payload
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                company
                    .as_ref()
                    .and_then(|c| c["name"].as_str())
                    .map(|n| format!("Meeting with {n}"))
            })
            .unwrap_or_else(|| "Upcoming meeting".to_owned());

        let b = Briefing {
            meeting_id: payload.meeting_id.clone(),
            starts_local: payload
                .starts_at
                .as_deref()
                .map(|s| local_time(s, org.as_ref().and_then(|o| o.timezone()))),
            starts_at: payload.starts_at.clone(),
            attendees: attendees(enrich, crm.as_ref(), &payload.attendees),
            enrichment: enrichment(enrich),
            deal: history
                .map(|h| h["deal"].clone())
                .filter(Value::is_object)
                .or_else(|| crm.as_ref().and_then(deal_from_crm)),
            history: history.map(|h| {
                json!({
                    "summary": h["summary"],
                    "lines": text::history_lines(h),
                    "last_touches": h["last_touches"],
                    "days_since_last_activity": h["days_since_last_activity"],
                    "past_meetings": h["past_meetings"],
                    "open_threads": h["open_threads"],
                })
            }),
            action_items: items
                .and_then(|i| i["items"].as_array().cloned())
                .unwrap_or_default(),
            news: news
                .and_then(|n| n["items"].as_array().cloned())
                .unwrap_or_default(),
            news_note: news.and_then(|n| n["reason"].as_str().map(str::to_owned)),
            company,
            title,
            missing: missing.iter().map(|s| (*s).to_owned()).collect(),
        };
        let talking_points = points::talking_points(&b);
        let text = text::render(&b, &talking_points);
        Ok(Output::new(json!({
            "meeting_id": b.meeting_id,
            "title": b.title,
            "starts_at": b.starts_at,
            "starts_local": b.starts_local,
            "company": b.company,
            "attendees": b.attendees,
            "enrichment": b.enrichment,
            "deal": b.deal,
            "history": b.history,
            "action_items": b.action_items,
            "news": b.news,
            "talking_points": talking_points,
            "missing": b.missing,
            "text": text,
        })))
    }
}

/// Everything the briefing says, before it is rendered.
#[derive(Debug, Default, Clone)]
pub struct Briefing {
    pub meeting_id: Option<String>,
    pub title: String,
    pub starts_at: Option<String>,
    /// The start in the rep's time zone, e.g. `Tue 24 Nov, 16:00 GMT`.
    pub starts_local: Option<String>,
    pub company: Option<Value>,
    pub attendees: Vec<Value>,
    pub enrichment: Value,
    pub deal: Option<Value>,
    pub history: Option<Value>,
    pub action_items: Vec<Value>,
    pub news: Vec<Value>,
    pub news_note: Option<String>,
    /// Research steps that did not run or failed.
    pub missing: Vec<String>,
}

/// Attendees from the enrichment step, else the CRM contact and the invite.
fn attendees(enrich: Option<&Value>, crm: Option<&ContactTier>, invite: &[Invitee]) -> Vec<Value> {
    let view = |a: &Value| {
        json!({
            "name": a["name"], "title": a["title"], "company": a["company"],
            "seniority": a["seniority"], "linkedin": a["linkedin"],
            "source": a["source"].as_str().unwrap_or("crm"),
        })
    };
    if let Some(list) = enrich.and_then(|e| e["attendees"].as_array()) {
        return list.iter().map(view).collect();
    }
    let mut out = Vec::new();
    let contact = crm.and_then(|c| c.contact.as_ref());
    let contact_email = contact
        .and_then(|c| c.email.as_deref())
        .map(str::to_ascii_lowercase);
    if let Some(c) = contact {
        out.push(json!({
            "name": c.name, "title": c.title,
            "company": crm.and_then(ContactTier::company_name),
            "seniority": null, "linkedin": null, "source": "crm",
        }));
    }
    for i in invite {
        let email = i.email.as_deref().map(str::to_ascii_lowercase);
        if email.is_some() && email == contact_email {
            continue;
        }
        if let Some(n) = i.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            out.push(json!({ "name": n, "title": null, "company": null, "seniority": null, "linkedin": null, "source": "invite" }));
        }
    }
    out
}

fn enrichment(enrich: Option<&Value>) -> Value {
    match enrich {
        None => json!({
            "status": "missing", "degraded": true,
            "note": "attendee enrichment did not run; attendees come from the CRM",
        }),
        Some(e) => json!({
            "status": e["provider_status"].as_str().unwrap_or("ok"),
            "degraded": e["degraded"].as_bool().unwrap_or(false),
            "note": e["reason"],
        }),
    }
}

/// The deal straight from tier 2 (when `pull-crm-history` did not run):
/// the named deal, else the first open one.
fn deal_from_crm(crm: &ContactTier) -> Option<Value> {
    let open = |d: &&Deal| !matches!(d.stage.as_deref(), Some("closed_won" | "closed_lost"));
    let d = crm.deal.as_ref().or_else(|| crm.deals.iter().find(open))?;
    let currency = d.currency.as_deref().unwrap_or("USD");
    Some(json!({
        "name": d.name,
        "stage": d.stage,
        "amount": d.amount_cents.map(|c| money(c, currency)),
        "amount_cents": d.amount_cents,
        "currency": currency,
        "close_date": d.close_date,
        "days_to_close": null,
    }))
}

/// The meeting start in the rep's zone (UTC when the zone is unknown);
/// the text as given when it is not an RFC 3339 instant.
fn local_time(starts_at: &str, zone: Option<&str>) -> String {
    let Ok(t) = starts_at.parse::<jiff::Timestamp>() else {
        return starts_at.to_owned();
    };
    let tz = zone
        .and_then(|z| jiff::tz::TimeZone::get(z).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    t.to_zoned(tz).strftime("%a %-d %b, %H:%M %Z").to_string()
}

export_skill!(GenerateBriefing);

#[cfg(test)]
mod tests;
