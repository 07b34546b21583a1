//! `select-proposal-template`: the first step of `proposal_generation`.
//! Reads the templates in its own read-only data folder (`files`
//! capability: `/data/templates/*.md`, shipped from this crate's
//! `data/templates/`), and picks the one whose front matter fits the deal:
//! its type (new business or expansion), its stage, the seat count the
//! conversation gave ("about 40 users", "forty seats") and the features
//! discussed. It outputs the template, why it was chosen, and its sections
//! with their placeholders for the next steps to fill.

mod template;

use baton_sdk::context;
use baton_sdk::crm::stage_position;
use baton_sdk::events::proposal_generation::Payload;
use baton_sdk::host::Level;
use baton_sdk::numbers::{numbers_in, words};
use baton_sdk::prelude::*;
use baton_sdk::proposal::{TemplateChoice, conversation_text};
use serde::Deserialize;
use template::{Facts, Template};

/// Words after a number that make it a seat count.
const SEAT_NOUNS: &[&str] = &[
    "seat", "seats", "user", "users", "licence", "licences", "license", "licenses", "people",
    "reps", "agents",
];
/// Words that may stand between the number and the noun ("40 named users").
const SEAT_FILLERS: &[&str] = &["named", "more", "active", "paid", "full", "new", "extra"];
/// Words in a deal's name that make it an expansion of an existing account.
const EXPANSION_WORDS: &[&str] = &[
    "expansion",
    "add-on",
    "addon",
    "upsell",
    "upgrade",
    "multi-site",
];

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Where the templates are (in the sandbox, the skill's data folder).
    #[serde(default = "templates_dir")]
    templates_dir: String,
}

fn templates_dir() -> String {
    "/data/templates".to_owned()
}

pub struct SelectProposalTemplate;

impl Skill for SelectProposalTemplate {
    fn manifest() -> Manifest {
        Manifest::new(
            "select-proposal-template",
            env!("CARGO_PKG_VERSION"),
            "Picks the proposal template that fits the deal: its type, stage and seat count, and the features discussed.",
        )
        .produces(flow::names::PROPOSAL_TEMPLATE)
        .capability("context:org")
        .capability("context:attachments")
        .capability("context:contact")
        .capability("files")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<TemplateChoice>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload = input.payload::<Payload>()?.resolved()?;
        let templates = load(&params.templates_dir)?;
        let crm = context::contact()?.unwrap_or_default();
        let deal = crm.deal.clone().unwrap_or_default();
        let (seats, seats_quote) = seat_count(&payload).unzip();
        let facts = Facts {
            deal_type: deal_type(&crm),
            stage: deal.stage.clone(),
            industry: crm.company.as_ref().and_then(|c| c.industry.clone()),
            seats,
            conversation: conversation_text(&payload),
        };
        let (chosen, fit) = template::choose(&templates, &facts).ok_or_else(|| {
            SkillError::InvalidInput(format!("no templates in {}", params.templates_dir))
        })?;
        host::log(
            Level::Info,
            &format!(
                "template `{}` chosen (score {}) from {}",
                chosen.id,
                fit.score,
                templates.len()
            ),
        );
        Output::of(&TemplateChoice {
            template: chosen.id.clone(),
            title: chosen.title.clone(),
            reasons: fit.reasons,
            seats,
            seats_quote,
            features: fit.features,
            deal_type: facts.deal_type.to_owned(),
            sections: chosen.sections.clone(),
        })
    }
}

/// Every `*.md` in `dir`, parsed, sorted by id.
fn load(dir: &str) -> Result<Vec<Template>, SkillError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        SkillError::InvalidInput(format!(
            "no proposal templates at {dir}: {e} (the skill needs the `files` capability and \
             its data folder, select-proposal-template.data/templates/)"
        ))
    })?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(id) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".md"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| SkillError::Failed(format!("template {id}.md: {e}")))?;
        out.push(
            template::parse(id, &text)
                .map_err(|e| SkillError::InvalidInput(format!("template {id}.md: {e}")))?,
        );
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The seat count the conversation gave, with the words that gave it: the
/// request's own words first, else the latest line that names one.
fn seat_count(payload: &Payload) -> Option<(u32, String)> {
    let request = payload.request.request.as_deref();
    request
        .and_then(|r| seats_in(r).map(|n| (n, r.to_owned())))
        .or_else(|| {
            payload
                .utterances
                .iter()
                .rev()
                .find_map(|u| seats_in(&u.text).map(|n| (n, u.text.clone())))
        })
}

/// The last "N seats" (users, licences …) in `text`.
fn seats_in(text: &str) -> Option<u32> {
    let w = words(text);
    let noun_at = |i: usize| w.get(i).is_some_and(|x| SEAT_NOUNS.contains(&x.as_str()));
    numbers_in(&w)
        .into_iter()
        .filter(|n| !n.percent && n.currency_sign.is_none())
        .filter(|n| {
            noun_at(n.end)
                || (w
                    .get(n.end)
                    .is_some_and(|x| SEAT_FILLERS.contains(&x.as_str()))
                    && noun_at(n.end + 1))
        })
        .filter(|n| n.value >= 1.0 && n.value <= 1_000_000.0 && n.value.fract() == 0.0)
        .map(|n| n.value as u32)
        .next_back()
}

/// `expansion` when the deal's name says so or the company already bought
/// (a won deal), else `new_business`.
fn deal_type(crm: &context::ContactTier) -> &'static str {
    let named = crm
        .deal
        .as_ref()
        .and_then(|d| d.name.as_deref())
        .is_some_and(|n| {
            let n = n.to_lowercase();
            EXPANSION_WORDS.iter().any(|w| n.contains(w))
        });
    let won = crm
        .deals
        .iter()
        .any(|d| d.stage.as_deref().and_then(stage_position) == Some(6));
    if named || won {
        "expansion"
    } else {
        "new_business"
    }
}

export_skill!(SelectProposalTemplate);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn params() -> Value {
        json!({ "templates_dir": concat!(env!("CARGO_MANIFEST_DIR"), "/data/templates") })
    }

    fn host() -> FakeHost {
        FakeHost::for_skill::<SelectProposalTemplate>()
            .org(json!({ "org": { "name": "Acme" } }))
            .contact(json!({
                "contact": { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example" },
                "company": { "name": "Northwind Logistics", "industry": "logistics" },
                "deal": { "name": "Northwind renewals rollout", "stage": "discovery" },
            }))
    }

    fn call(lines: &[(&str, &str)], request: &str) -> Input {
        let utterances: Vec<Value> = lines
            .iter()
            .map(|(s, t)| json!({ "speaker": s, "text": t }))
            .collect();
        Input::for_event(
            "proposal_generation",
            json!({ "meeting_id": "m1", "request": request, "utterances": utterances }),
        )
        .with_params(params())
    }

    #[test]
    fn the_call_picks_the_standard_template_for_forty_seats() {
        let out = host()
            .run::<SelectProposalTemplate>(call(
                &[
                    (
                        "prospect",
                        "Call it thirty-one, maybe forty if support joins later.",
                    ),
                    ("prospect", "Can it pull from our CRM? We're on HubSpot."),
                    ("prospect", "Renewals are where we hurt."),
                ],
                "I'll send you a proposal with pricing for forty seats by Friday.",
            ))
            .expect("runs");
        let d = &out.data;
        assert_eq!(d["template"], "standard-saas");
        assert_eq!(d["seats"], 40);
        assert!(
            d["seats_quote"]
                .as_str()
                .is_some_and(|q| q.contains("forty seats"))
        );
        assert_eq!(d["deal_type"], "new_business");
        let reasons: Vec<&str> = d["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            reasons.contains(&"seats: 40 is within 1–149"),
            "{reasons:?}"
        );
        assert!(reasons.contains(&"stage: discovery"), "{reasons:?}");
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("hubspot") && r.contains("renewals")),
            "{reasons:?}"
        );
        assert_eq!(d["sections"][0]["body"], "{{executive_summary}}");
        assert!(
            d["title"]
                .as_str()
                .is_some_and(|t| t.contains("{{company}}"))
        );
    }

    #[test]
    fn a_large_expansion_gets_the_enterprise_template() {
        let out = host()
            .contact(json!({
                "company": { "name": "Cobalt Warehousing", "industry": "warehousing" },
                "deal": { "name": "Cobalt multi-site expansion", "stage": "negotiation" },
            }))
            .run::<SelectProposalTemplate>(call(
                &[(
                    "prospect",
                    "We'd roll out to all six sites, about 400 users, and IT needs SSO.",
                )],
                "Send me the proposal.",
            ))
            .expect("runs");
        assert_eq!(out.data["template"], "enterprise-multi-site");
        assert_eq!(out.data["seats"], 400);
        assert_eq!(out.data["deal_type"], "expansion");
    }

    #[test]
    fn an_email_request_gives_its_seat_count() {
        let out = host()
            .run::<SelectProposalTemplate>(
                Input::for_event(
                    "proposal_generation",
                    json!({ "request": "Could you send a quote for about 40 users, billed yearly?",
                            "contact_email": "marta.ruiz@northwind.example" }),
                )
                .with_params(params()),
            )
            .expect("runs");
        assert_eq!(out.data["seats"], 40);
        assert_eq!(out.data["template"], "standard-saas");
    }

    #[test]
    fn seat_counts_need_a_seat_word() {
        assert_eq!(seats_in("we have 340 customers and 12 calls"), None);
        assert_eq!(seats_in("about 40 users"), Some(40));
        assert_eq!(
            seats_in("twenty-eight people, maybe 40 named users"),
            Some(40)
        );
        assert_eq!(seats_in("$40 users"), None);
    }

    #[test]
    fn without_the_data_folder_it_says_what_is_missing() {
        let err = host()
            .run::<SelectProposalTemplate>(
                call(&[], "proposal please")
                    .with_params(json!({ "templates_dir": "/nonexistent/templates" })),
            )
            .expect_err("no templates");
        assert!(err.to_string().contains("`files` capability"), "{err}");
    }
}
