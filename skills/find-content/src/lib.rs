//! `find-content`: which items of the org's content library (tier-3
//! `content_library`) answer a request ("I'll send you our security pack
//! and the data processing agreement").
//!
//! The request's words are cut to stems and read for what kind of thing
//! they ask for (security, legal, pricing, case study, …, with the usual
//! synonyms: "security pack" ~ "security questionnaire" ~ "SOC 2", "case
//! study" ~ "customer story"); each item is scored on its kind, tags and
//! title against them, with its industry tags and audience as tie-breakers
//! (a case study "from a logistics customer"). For each thing asked the
//! best item is kept. An item that only shares an industry or an audience
//! with the request never counts: when nothing fits, `matched` is empty and
//! `reason` says why, rather than sending the nearest thing.

use baton_sdk::content::{Found, Match};
use baton_sdk::context::{self, ContentItem};
use baton_sdk::events::content_retrieval::Payload;
use baton_sdk::prelude::*;
use baton_sdk::text::stems;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a request can ask for, each with the phrases that ask for it.
const CONCEPTS: &[(&str, &[&str])] = &[
    (
        "security",
        &[
            "security",
            "infosec",
            "soc 2",
            "soc2",
            "soc ii",
            "iso 27001",
            "27001",
            "pen test",
            "pentest",
            "penetration test",
            "security questionnaire",
            "vendor assessment",
            "trust center",
        ],
    ),
    (
        "legal",
        &[
            "dpa",
            "data processing",
            "processing agreement",
            "gdpr",
            "privacy policy",
            "msa",
            "master services agreement",
            "contract",
            "legal",
            "terms and conditions",
        ],
    ),
    (
        "pricing",
        &[
            "pricing",
            "price",
            "price list",
            "rate card",
            "cost breakdown",
            "quote",
        ],
    ),
    (
        "case_study",
        &[
            "case study",
            "customer story",
            "success story",
            "reference customer",
            "testimonial",
            "customer example",
        ],
    ),
    (
        "product",
        &[
            "overview",
            "brochure",
            "one pager",
            "datasheet",
            "data sheet",
            "product sheet",
            "slide deck",
        ],
    ),
    ("roi", &["roi", "business case", "return on investment"]),
    (
        "integration",
        &[
            "integration",
            "api documentation",
            "api docs",
            "architecture",
            "technical documentation",
            "roadmap",
        ],
    ),
];

/// Industry words that mean the same market, for tie-breaking.
const INDUSTRIES: &[&[&str]] = &[
    &[
        "logistics",
        "freight",
        "shipping",
        "transport",
        "3pl",
        "carrier",
    ],
    &[
        "warehousing",
        "warehouse",
        "fulfilment",
        "fulfillment",
        "distribution",
    ],
    &["manufacturing", "factory", "plant"],
    &["retail", "ecommerce", "e-commerce"],
];

/// Who an item is for, and the request words that name them.
const AUDIENCES: &[(&str, &[&str])] = &[
    (
        "it_security",
        &["ciso", "it security", "security team", "security lead"],
    ),
    ("finance", &["cfo", "finance", "procurement", "budget"]),
    ("legal", &["legal", "counsel", "lawyer"]),
    ("executive", &["ceo", "coo", "board", "executive"]),
    ("operations", &["operations", "ops"]),
];

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Items sent at most.
    #[serde(default = "four")]
    #[schemars(range(min = 1))]
    max_items: usize,
}

fn four() -> usize {
    4
}

pub struct FindContent;

impl Skill for FindContent {
    fn manifest() -> Manifest {
        Manifest::new(
            "find-content",
            env!("CARGO_PKG_VERSION"),
            "Matches a request's words to items of the org's content library, or says nothing fits.",
        )
        .capability("context:external:content_library")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Found>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let request = [
            payload.request.as_deref(),
            payload.trigger_phrase.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .fold(String::new(), |mut all, t| {
            if !all.contains(t) {
                all.push_str(t);
                all.push('\n');
            }
            all
        });
        let library = context::content_library()?;
        Output::of(&find(&request, &library, params.max_items))
    }
}

/// The stems of `text` as one string with a space either side, so a phrase
/// is found as ` a b `.
fn padded(text: &str) -> String {
    format!(" {} ", stems(text).join(" "))
}

/// Whether the stemmed phrase occurs in the padded stems.
fn says(padded_text: &str, phrase: &str) -> bool {
    let p = stems(phrase).join(" ");
    !p.is_empty() && padded_text.contains(&format!(" {p} "))
}

/// The concepts `text` names.
fn concepts(padded_text: &str) -> Vec<&'static str> {
    CONCEPTS
        .iter()
        .filter(|(_, phrases)| phrases.iter().any(|p| says(padded_text, p)))
        .map(|(c, _)| *c)
        .collect()
}

/// Words that say nothing about which item is meant.
const FILLER: &[&str] = &[
    "the", "a", "an", "our", "your", "and", "of", "for", "to", "on", "in", "with", "pack",
    "report", "summary", "document", "sheet", "guide",
];

fn find(request: &str, library: &[ContentItem], max_items: usize) -> Found {
    let text = padded(request);
    let asked = concepts(&text);
    let mut scored: Vec<(String, Match)> = Vec::new();
    for item in library {
        let own = padded(&format!(
            "{} {} {}",
            item.kind.replace('_', " "),
            item.tags.join(" "),
            item.title
        ));
        let mut score = 0;
        let mut why = Vec::new();
        let mut group = None;
        for c in concepts(&own).into_iter().filter(|c| asked.contains(c)) {
            score += 3;
            why.push(format!("asks for {}", c.replace('_', " ")));
            group.get_or_insert(c.to_owned());
        }
        // Industry tags are tie-breakers below, never a match on their own.
        let industry = |t: &str| {
            INDUSTRIES
                .iter()
                .flat_map(|m| m.iter())
                .any(|w| says(&padded(t), w))
        };
        for tag in item.tags.iter().filter(|t| !industry(t)) {
            if says(&text, tag) {
                score += 2;
                why.push(format!("tag \"{tag}\""));
            }
        }
        let title: Vec<String> = stems(&item.title)
            .into_iter()
            .filter(|w| !FILLER.iter().any(|f| stems(f).first() == Some(w)))
            .collect();
        if !title.is_empty() && title.iter().all(|w| text.contains(&format!(" {w} "))) {
            score += 3;
            why.push(format!("title \"{}\"", item.title));
        }
        if score == 0 {
            continue;
        }
        // Tie-breakers: the same market, the same reader.
        for market in INDUSTRIES {
            let mine = market
                .iter()
                .any(|w| item.tags.iter().any(|t| says(&padded(t), w)));
            if let Some(w) = market.iter().find(|w| says(&text, w)).filter(|_| mine) {
                score += 1;
                why.push(format!("industry \"{w}\""));
            }
        }
        for (audience, words) in AUDIENCES {
            if item.audience.iter().any(|a| a == audience) && words.iter().any(|w| says(&text, w)) {
                score += 1;
                why.push(format!("for {audience}"));
            }
        }
        let m = Match {
            id: item.id.clone(),
            title: item.title.clone(),
            kind: item.kind.clone(),
            summary: item.summary.clone(),
            url: item.url.clone(),
            file: item.file.clone(),
            score,
            why,
        };
        scored.push((group.unwrap_or_else(|| format!("item:{}", item.id)), m));
    }
    // For each thing asked, the best item (two when they tie).
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    for (g, m) in &scored {
        let b = best.entry(g.as_str()).or_default();
        *b = (*b).max(m.score);
    }
    let mut kept: BTreeMap<&str, usize> = BTreeMap::new();
    let mut matched: Vec<Match> = Vec::new();
    for (g, m) in &scored {
        let n = kept.entry(g.as_str()).or_default();
        if best.get(g.as_str()) == Some(&m.score) && *n < 2 {
            *n += 1;
            matched.push(m.clone());
        }
    }
    matched.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.title.cmp(&b.title)));
    matched.truncate(max_items);
    let reason = if !matched.is_empty() {
        None
    } else if library.is_empty() {
        Some("the org has no content library (content_library in its import)".to_owned())
    } else if asked.is_empty() {
        Some(format!(
            "the request names nothing the content library holds (it has: {})",
            library
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        Some(format!(
            "nothing in the content library is about {}",
            asked
                .iter()
                .map(|c| c.replace('_', " "))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    };
    Found {
        request: Some(request.trim().to_owned()).filter(|r| !r.is_empty()),
        asked_for: asked.iter().map(|c| (*c).to_owned()).collect(),
        matched,
        reason,
    }
}

export_skill!(FindContent);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn library() -> Value {
        json!({ "items": [
            { "id": "security-pack", "title": "Security pack", "kind": "security",
              "tags": ["security questionnaire", "infosec", "data residency"], "audience": ["it_security"],
              "file": "security-pack.pdf" },
            { "id": "soc2-summary", "title": "SOC 2 Type II report summary", "kind": "security",
              "tags": ["soc 2", "audit"], "audience": ["it_security"], "url": "https://demo.example/trust/soc2" },
            { "id": "dpa", "title": "Data Processing Agreement", "kind": "legal",
              "tags": ["dpa", "gdpr", "data processing"], "audience": ["legal"], "url": "https://demo.example/legal/dpa" },
            { "id": "pricing-sheet", "title": "2026 pricing sheet", "kind": "pricing",
              "tags": ["price list", "seats"], "audience": ["finance"], "url": "https://demo.example/pricing" },
            { "id": "cs-northstar", "title": "How Northstar Freight cut renewal churn", "kind": "case_study",
              "tags": ["customer story", "logistics", "freight"], "url": "https://demo.example/stories/northstar" },
            { "id": "cs-atlas", "title": "Atlas Warehousing: one renewal calendar for 12 sites", "kind": "case_study",
              "tags": ["customer story", "warehousing", "multi-site"], "url": "https://demo.example/stories/atlas" },
            { "id": "broken" }
        ]})
    }

    fn run(request: &str) -> Value {
        FakeHost::for_skill::<FindContent>()
            .external("content_library", library())
            .run::<FindContent>(Input::for_event(
                "content_retrieval",
                json!({ "request": request, "meeting_id": "m1" }),
            ))
            .expect("runs")
            .data
    }

    fn ids(data: &Value) -> Vec<&str> {
        data["matched"]
            .as_array()
            .expect("matched")
            .iter()
            .filter_map(|m| m["id"].as_str())
            .collect()
    }

    #[test]
    fn the_demo_call_gets_the_pack_and_the_dpa() {
        let data = run(
            "Of course. I'll send you our security pack and the data processing agreement today.",
        );
        assert_eq!(ids(&data), ["dpa", "security-pack"], "{data:#}");
        assert_eq!(data["matched"][1]["file"], "security-pack.pdf");
        assert_eq!(data["asked_for"], json!(["security", "legal"]));
        assert!(data.get("reason").is_none());
    }

    #[test]
    fn synonyms_and_inflections_find_the_same_things() {
        assert_eq!(
            ids(&run("Could you send over your SOC 2 report?")),
            ["soc2-summary"]
        );
        assert_eq!(
            ids(&run("Ken will want your security questionnaire answered")),
            ["security-pack"]
        );
        assert_eq!(
            ids(&run(
                "Do you have customer stories from logistics companies?"
            )),
            ["cs-northstar"]
        );
        assert_eq!(
            ids(&run("a case study from a warehouse operator would help")),
            ["cs-atlas"]
        );
        assert_eq!(
            ids(&run("Send me your prices for forty seats")),
            ["pricing-sheet"]
        );
    }

    #[test]
    fn a_case_study_without_a_market_sends_both_rather_than_guessing() {
        assert_eq!(
            ids(&run("I'll send you a case study.")),
            ["cs-atlas", "cs-northstar"]
        );
    }

    #[test]
    fn nothing_fits_says_so_instead_of_the_nearest_item() {
        let data = run("I'll send over the integration roadmap next week.");
        assert_eq!(data["matched"], json!([]));
        assert_eq!(data["asked_for"], json!(["integration"]));
        assert_eq!(
            data["reason"],
            "nothing in the content library is about integration"
        );
        let data = run("I'll send you the thing we talked about for the logistics team.");
        assert_eq!(
            data["matched"],
            json!([]),
            "an industry alone is not a match"
        );
        assert!(
            data["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("the request names nothing")),
            "{data}"
        );
    }

    #[test]
    fn no_library_is_a_reason_too() {
        let data = FakeHost::for_skill::<FindContent>()
            .run::<FindContent>(Input::for_event(
                "content_retrieval",
                json!({ "trigger_phrase": "send the security pack" }),
            ))
            .expect("runs")
            .data;
        assert_eq!(data["matched"], json!([]));
        assert!(
            data["reason"]
                .as_str()
                .is_some_and(|r| r.contains("no content library")),
            "{data}"
        );
    }
}
