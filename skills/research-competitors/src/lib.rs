//! `research-competitors`: what is known about the rivals a prospect named
//! in a call (a `competitive_research` child of the meeting, queued by
//! `update-crm-from-meeting` for rivals the deal did not know of).
//!
//! For each rival (three at most) it asks the tier-3 `competitive`
//! provider the org profile configures (`providers.competitive`,
//! `{"url": …}`: `GET <url>?competitor=…&company=…`, answered with one
//! card, [`provider`]) over the HTTP the operator grants, with the key the
//! host adds; where the provider is not configured, refuses, fails or knows
//! nothing of the rival, it falls back to the org's **battlecards**: items
//! of kind `battlecard` in its content library whose title or tags name
//! the rival ([`battlecards`]). Never a failed step: a rival nothing is
//! known of says so, and why.
//!
//! The findings go to the rep's Slack (inform-only) and, through the
//! host's checkpoint, onto the deal as `competitive_research` activities.

pub mod battlecards;
pub mod provider;

use baton_sdk::briefing::ProviderStatus;
use baton_sdk::context;
use baton_sdk::prelude::*;
use baton_sdk::slack::{SECTION_TEXT, clip, escape};
use serde::{Deserialize, Serialize};

/// Rivals researched at most.
const MAX_RIVALS: usize = 3;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// How long the provider may take per rival.
    #[serde(default = "timeout")]
    #[schemars(range(min = 1))]
    timeout_ms: u32,
}

fn timeout() -> u32 {
    3_000
}

/// The `competitive_research` payload.
#[derive(Deserialize)]
struct Payload {
    #[serde(default)]
    deal_id: Option<String>,
    #[serde(default)]
    deal_name: Option<String>,
    #[serde(default)]
    competitors: Vec<String>,
    /// The words that named them.
    #[serde(default)]
    evidence: Option<Value>,
}

/// A link to read more.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// What is known about one rival.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Card {
    pub competitor: String,
    /// `provider`, `battlecard`, or `none` (nothing is known).
    pub source: &'static str,
    pub summary: Option<String>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub pricing: Option<String>,
    pub links: Vec<Link>,
}

impl Card {
    fn unknown(competitor: &str) -> Card {
        Card {
            competitor: competitor.to_owned(),
            source: "none",
            summary: None,
            strengths: Vec::new(),
            weaknesses: Vec::new(),
            pricing: None,
            links: Vec::new(),
        }
    }
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
pub struct Research {
    pub deal_id: Option<String>,
    pub deal_name: Option<String>,
    /// The prospect's company, as the CRM names it.
    pub company: Option<String>,
    pub provider_status: ProviderStatus,
    /// Why the provider was not used or gave nothing, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub cards: Vec<Card>,
}

pub struct ResearchCompetitors;

impl Skill for ResearchCompetitors {
    fn manifest() -> Manifest {
        Manifest::new(
            "research-competitors",
            env!("CARGO_PKG_VERSION"),
            "Researches the rivals a prospect named: the competitive provider, else the org's battlecards.",
        )
        .capability("context:contact")
        .capability("context:external:competitive")
        .capability("context:external:content_library")
        .capability("http:*")
        .default_fuel(100_000_000)
        .params::<Params>()
        .output::<Research>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let crm = context::contact()?;
        let company = crm
            .as_ref()
            .and_then(|c| c.company.as_ref())
            .and_then(|c| c.name.clone());
        let mut rivals: Vec<String> = Vec::new();
        for c in &payload.competitors {
            let c = c.trim();
            let named_already = rivals.iter().any(|r| r.eq_ignore_ascii_case(c));
            // The prospect's own company is never their rival.
            let theirs = company
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(c));
            if !c.is_empty() && !named_already && !theirs {
                rivals.push(c.to_owned());
            }
        }
        rivals.truncate(MAX_RIVALS);
        let library = context::content_library().unwrap_or_default();
        let mut status = ProviderStatus::Ok;
        let mut reason = None;
        let mut cards = Vec::new();
        for rival in &rivals {
            let asked = provider::ask(rival, company.as_deref(), params.timeout_ms);
            let card = match asked {
                Ok(Some(card)) => Some(card),
                Ok(None) => None,
                Err((s, why)) => {
                    status = s;
                    reason.get_or_insert(why);
                    None
                }
            };
            let card = card
                .or_else(|| battlecards::find(rival, &library))
                .unwrap_or_else(|| Card::unknown(rival));
            cards.push(card);
        }
        let research = Research {
            deal_id: payload.deal_id.clone(),
            deal_name: payload.deal_name.clone(),
            company,
            provider_status: status,
            reason,
            cards,
        };
        let mut out = Output::of(&research)?;
        if !research.cards.is_empty() {
            let (title, text) = message(&research, payload.evidence.as_ref());
            out = out.action(
                ActionKind::SlackPost,
                title.clone(),
                json!({ "title": title, "text": text }),
            );
        }
        Ok(out)
    }
}

/// The Slack message: one section per rival, what is known and where from.
pub fn message(r: &Research, evidence: Option<&Value>) -> (String, String) {
    let names: Vec<&str> = r.cards.iter().map(|c| c.competitor.as_str()).collect();
    let title = format!("Competitive research: {}", names.join(", "));
    let mut lines = Vec::new();
    let about = r.deal_name.as_deref().or(r.company.as_deref());
    if let (Some(quote), Some(deal)) = (evidence.and_then(|e| e["quote"].as_str()), about) {
        lines.push(format!(
            "Named on the {} call: \u{201c}{}\u{201d}",
            escape(deal),
            escape(&clip(quote, 200))
        ));
    }
    for c in &r.cards {
        lines.push(String::new());
        lines.push(format!("*{}*", escape(&c.competitor)));
        match c.source {
            "none" => lines.push(
                "Nothing known yet: no competitive provider answered and no battlecard names them."
                    .into(),
            ),
            source => {
                if let Some(s) = &c.summary {
                    lines.push(escape(s));
                }
                if !c.strengths.is_empty() {
                    lines.push(format!("Strengths: {}", escape(&c.strengths.join("; "))));
                }
                if !c.weaknesses.is_empty() {
                    lines.push(format!("Weak spots: {}", escape(&c.weaknesses.join("; "))));
                }
                if let Some(p) = &c.pricing {
                    lines.push(format!("Pricing: {}", escape(p)));
                }
                for l in &c.links {
                    lines.push(format!("<{}|{}>", l.url, escape(&l.title)));
                }
                if source == "battlecard" {
                    lines.push("_From your battlecard._".into());
                }
            }
        }
    }
    (title, clip(&lines.join("\n"), SECTION_TEXT))
}

export_skill!(ResearchCompetitors);

#[cfg(test)]
mod tests;
