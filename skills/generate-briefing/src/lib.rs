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

use baton_sdk::briefing::{
    CompanyFacts, DealFacts, MeetingHeld, NewsItem, OpenItem, OpenThread, Touch,
};
use baton_sdk::context::{self, ContactTier, Deal};
use baton_sdk::crm::money;
use baton_sdk::events::pre_meeting::{Invitee, Payload};
use baton_sdk::prelude::*;
use baton_sdk::text::nonblank;
use serde::{Deserialize, Serialize};

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
        .uses(flow::names::BRIEFING_ATTENDEES)
        .uses(flow::names::BRIEFING_CRM_HISTORY)
        .uses(flow::names::BRIEFING_OPEN_ITEMS)
        .uses(flow::names::BRIEFING_NEWS)
        .produces(flow::names::SLACK_BRIEFING)
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output::<Brief>()
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
            .map(|c| CompanyFacts {
                name: text_of(&c["name"]),
                domain: text_of(&c["domain"]),
                industry: text_of(&c["industry"]),
                employees: c["employees"].as_i64(),
            })
            .or_else(|| {
                crm.as_ref()?.company.as_ref().map(|c| CompanyFacts {
                    name: c.name.clone(),
                    domain: c.domain.clone(),
                    industry: c.industry.clone(),
                    employees: c.employees,
                })
            });
        let title = nonblank(payload.title.as_deref())
            .map(str::to_owned)
            .or_else(|| {
                company
                    .as_ref()
                    .and_then(|c| c.name.as_deref())
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
            deal: match history.map(|h| &h["deal"]).filter(|d| d.is_object()) {
                Some(d) => Some(d.clone()),
                None => crm
                    .as_ref()
                    .and_then(deal_from_crm)
                    .map(|d| to_data(&d))
                    .transpose()?,
            },
            history: history.map(|h| History {
                summary: h["summary"].clone(),
                lines: text::history_lines(h),
                last_touches: h["last_touches"].clone(),
                days_since_last_activity: h["days_since_last_activity"].clone(),
                past_meetings: h["past_meetings"].clone(),
                open_threads: h["open_threads"].clone(),
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
        Output::of(&Brief {
            briefing: &b,
            talking_points,
            text,
        })
    }
}

/// The output, from which the manifest's output schema is derived: the
/// briefing, its talking points and its plain text.
#[derive(Serialize, JsonSchema)]
struct Brief<'a> {
    #[serde(flatten)]
    briefing: &'a Briefing,
    /// At most three, each built from one fact above.
    #[schemars(length(max = 3))]
    talking_points: Vec<String>,
    /// The briefing as plain text, for Slack.
    text: String,
}

/// Everything the briefing says, before it is rendered. What the research
/// steps found is passed on as they wrote it (the types named are theirs).
#[derive(Debug, Default, Clone, Serialize, JsonSchema)]
pub struct Briefing {
    pub meeting_id: Option<String>,
    pub title: String,
    /// RFC 3339.
    pub starts_at: Option<String>,
    /// The start in the rep's time zone, e.g. `Tue 24 Nov, 16:00 GMT`.
    pub starts_local: Option<String>,
    pub company: Option<CompanyFacts>,
    pub attendees: Vec<Attendee>,
    pub enrichment: Enrichment,
    /// From `pull-crm-history`, else the CRM.
    #[schemars(with = "Option<DealFacts>")]
    pub deal: Option<Value>,
    /// From `pull-crm-history`, when it found the account.
    pub history: Option<History>,
    /// From `check-previous-action-items`.
    #[schemars(with = "Vec<OpenItem>")]
    pub action_items: Vec<Value>,
    /// From `research-company-news`.
    #[schemars(with = "Vec<NewsItem>")]
    pub news: Vec<Value>,
    #[serde(skip)]
    pub news_note: Option<String>,
    /// Research steps that did not run or failed.
    pub missing: Vec<String>,
}

/// Someone coming to the meeting.
#[derive(Debug, Default, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Attendee {
    pub name: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub seniority: Option<String>,
    pub linkedin: Option<String>,
    /// Their LinkedIn headline, when it was read.
    pub headline: Option<String>,
    /// The first line of their LinkedIn "about", when it was read.
    pub about: Option<String>,
    /// `provider`, `crm` or `invite`.
    pub source: String,
}

/// How attendee enrichment went.
#[derive(Debug, Default, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Enrichment {
    /// `enrich-attendees`' `provider_status`, or `missing` when it did not run.
    #[schemars(extend("enum" = ["ok", "not_configured", "failed", "missing"]))]
    pub status: String,
    pub degraded: bool,
    pub note: Option<String>,
    /// Why LinkedIn profiles were not read, for the rep, when they were not.
    pub linkedin_note: Option<String>,
}

/// The account's history from `pull-crm-history`, with its lines as text.
#[derive(Debug, Default, Clone, PartialEq, Serialize, JsonSchema)]
pub struct History {
    #[schemars(with = "Option<String>")]
    pub summary: Value,
    /// The history a line each (see [`text::history_lines`]).
    pub lines: Vec<String>,
    #[schemars(with = "Vec<Touch>")]
    pub last_touches: Value,
    #[schemars(with = "Option<i64>")]
    pub days_since_last_activity: Value,
    #[schemars(with = "Vec<MeetingHeld>")]
    pub past_meetings: Value,
    #[schemars(with = "Vec<OpenThread>")]
    pub open_threads: Value,
}

/// Attendees from the enrichment step, else the CRM contact and the invite.
fn attendees(
    enrich: Option<&Value>,
    crm: Option<&ContactTier>,
    invite: &[Invitee],
) -> Vec<Attendee> {
    let view = |a: &Value| Attendee {
        name: text_of(&a["name"]),
        title: text_of(&a["title"]),
        company: text_of(&a["company"]),
        seniority: text_of(&a["seniority"]),
        linkedin: text_of(&a["linkedin"]),
        headline: text_of(&a["headline"]),
        about: text_of(&a["about"]),
        source: a["source"].as_str().unwrap_or("crm").to_owned(),
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
        out.push(Attendee {
            name: c.name.clone(),
            title: c.title.clone(),
            company: crm.and_then(ContactTier::company_name).map(str::to_owned),
            source: "crm".to_owned(),
            ..Attendee::default()
        });
    }
    for i in invite {
        let email = i.email.as_deref().map(str::to_ascii_lowercase);
        if email.is_some() && email == contact_email {
            continue;
        }
        if let Some(n) = i.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            out.push(Attendee {
                name: Some(n.to_owned()),
                source: "invite".to_owned(),
                ..Attendee::default()
            });
        }
    }
    out
}

fn enrichment(enrich: Option<&Value>) -> Enrichment {
    match enrich {
        None => Enrichment {
            status: "missing".to_owned(),
            degraded: true,
            note: Some("attendee enrichment did not run; attendees come from the CRM".to_owned()),
            linkedin_note: None,
        },
        Some(e) => Enrichment {
            status: e["provider_status"].as_str().unwrap_or("ok").to_owned(),
            degraded: e["degraded"].as_bool().unwrap_or(false),
            // The rep's note; the operator's reason from skills that give
            // only one.
            note: e["note"]
                .as_str()
                .or(e["reason"].as_str())
                .map(str::to_owned),
            linkedin_note: e["linkedin"]["note"].as_str().map(str::to_owned),
        },
    }
}

/// The text in `v`, when it is text.
fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The deal straight from tier 2 (when `pull-crm-history` did not run):
/// the named deal, else the first open one.
fn deal_from_crm(crm: &ContactTier) -> Option<DealFacts> {
    let open = |d: &&Deal| !matches!(d.stage.as_deref(), Some("closed_won" | "closed_lost"));
    let d = crm.deal.as_ref().or_else(|| crm.deals.iter().find(open))?;
    let currency = d.currency.as_deref().unwrap_or("USD");
    Some(DealFacts {
        name: d.name.clone(),
        stage: d.stage.clone(),
        amount: d.amount_cents.map(|c| money(c, currency)),
        amount_cents: d.amount_cents,
        currency: currency.to_owned(),
        close_date: d.close_date.clone(),
        days_to_close: None,
    })
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
