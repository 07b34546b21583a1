//! `populate-proposal`: the second step of `proposal_generation`. Fills the
//! chosen template (`select-proposal-template`'s output) with who the
//! proposal is for (company and contact, from the CRM), the requirements as
//! the prospect said them (quoted from their lines of the call, or from the
//! email that asked), the price from the org's price book (seats × the
//! tier's unit price in integer minor units, currency explicit, the sum
//! written out; no book means "to be confirmed", never an invented number)
//! and the case study from the content library that fits the company's
//! industry (or a line saying there is none). The executive summary and
//! ROI placeholders are left for `generate-custom-sections`.

mod pricing;

use baton_sdk::calendar::WEEKDAYS;
use baton_sdk::context;
use baton_sdk::events::proposal_generation::Payload;
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use baton_sdk::proposal::{
    Populated, Quote, TemplateChoice, TemplateSection, asked_by_email, conversation_text, fill,
    prospect_sentences, says_any, step_output,
};
use baton_sdk::text::first_word;
use serde::Deserialize;

/// Requirements quoted at most.
const MAX_REQUIREMENTS: usize = 10;
/// Who takes a to-do on themselves in "I'd want to give her notice" or
/// "we'd have to position it carefully": their own work, not a need of
/// what is proposed.
const OWN_SUBJECTS: &[&str] = &["i", "i'd", "i'll", "we'd", "we'll"];
/// What a buyer may have to do that still asks something of what is
/// proposed ("I'd need to see a pilot", "we'd have to be able to export").
const STILL_A_NEED: &[&str] = &["be", "have", "see", "get"];
/// Parts of day that, with a day's name, say when to meet.
const PARTS_OF_DAY: &[&str] = &["morning", "afternoon", "evening", "lunchtime"];
/// Who, said right before "needs" or "requires" with no "to" after it,
/// makes the words a description of a thing ("a tool that needs a whole
/// team to run it"), not a need of the buyer's.
const THINGS: &[&str] = &["it", "that", "which", "this"];
/// Words that make a prospect's sentence a requirement.
const REQUIREMENT_CUES: &[&str] = &[
    "need",
    "needs",
    "want",
    "wants",
    "we'd want",
    "would want",
    "has to",
    "have to",
    "must",
    "require",
    "requires",
    "expect",
    "expects",
    "would like",
    "looking for",
    "important",
    "can it",
    "can the",
    "does it",
    "ideally",
    "would matter",
    "would not accept",
    "integrate",
    "integration",
    "sync",
];

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The `select-proposal-template` step.
    #[serde(default = "baton_sdk::proposal::template_step")]
    template_step: String,
}

pub struct PopulateProposal;

impl Skill for PopulateProposal {
    fn manifest() -> Manifest {
        Manifest::new(
            "populate-proposal",
            env!("CARGO_PKG_VERSION"),
            "Fills the chosen proposal template: who it is for, their requirements in their words, the price from the org's price book, and a matching case study.",
        )
        .uses(flow::names::PROPOSAL_TEMPLATE)
        .produces(flow::names::PROPOSAL_POPULATED)
        .capability("context:attachments")
        .capability("context:org")
        .capability("context:contact")
        .capability("context:external:price_book")
        .capability("context:external:content_library")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Populated>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload = input.payload::<Payload>()?.resolved()?;
        let choice: TemplateChoice = step_output(&input, &params.template_step)?;
        let org = context::org()?.unwrap_or_default();
        let crm = context::contact()?.unwrap_or_default();
        let book = context::price_book()?;
        let library = context::content_library()?;

        let contact = crm.contact.clone().unwrap_or_default();
        let deal = crm.deal.clone().unwrap_or_default();
        let company = crm.company_name().map(str::to_owned);
        let industry = crm.company.as_ref().and_then(|c| c.industry.clone());
        let rep = org
            .rep_name()
            .unwrap_or("your account executive")
            .to_owned();
        let org_name = org
            .org
            .as_ref()
            .and_then(|o| o.name.clone())
            .unwrap_or_default();
        let currency = deal.currency.clone().unwrap_or_else(|| "USD".to_owned());
        let price = pricing::price(book.as_ref(), choice.seats, &currency, &rep);
        let conversation = conversation_text(&payload);
        let case = pricing::case_study(&library, industry.as_deref(), &conversation);
        let case_text =
            pricing::case_study_text(case.as_ref(), &library, industry.as_deref(), &rep);
        let requirements = requirements(&payload);
        let seats = choice
            .seats
            .map_or("the seats you need".to_owned(), |n| format!("{n} seats"));
        let company_or = company.clone().unwrap_or_else(|| "your team".to_owned());
        let contact_name = contact
            .name
            .clone()
            .or_else(|| payload.request.contact_email.clone());
        let values = [
            ("company", company_or.as_str()),
            ("contact_name", contact_name.as_deref().unwrap_or("You")),
            (
                "contact_first_name",
                first_word(contact.name.as_deref()).unwrap_or("there"),
            ),
            ("org_name", org_name.as_str()),
            ("rep_name", rep.as_str()),
            ("seats", seats.as_str()),
            ("tier", price.tier.as_deref().unwrap_or("")),
            ("requirements", &requirements_text(&requirements)),
            ("pricing", price.text.as_str()),
            (
                "features",
                &features_text(&price.features, &choice.features),
            ),
            ("case_study", case_text.as_str()),
        ];
        let sections: Vec<TemplateSection> = choice
            .sections
            .iter()
            .map(|s| TemplateSection {
                heading: fill(&s.heading, &values),
                body: fill(&s.body, &values).trim().to_owned(),
            })
            .collect();
        host::log(
            Level::Info,
            &format!(
                "populated `{}`: {} requirement(s), pricing {:?}, case study {}",
                choice.template,
                requirements.len(),
                price.status,
                if case.is_some() { "found" } else { "none" }
            ),
        );
        Output::of(&Populated {
            title: fill(&choice.title, &values),
            company,
            contact_name: contact.name.clone(),
            contact_id: contact.id.clone().or(payload.request.contact_id.clone()),
            contact_email: contact
                .email
                .clone()
                .or(payload.request.contact_email.clone()),
            deal_id: deal.id.clone().or(payload.request.deal_id.clone()),
            seats: choice.seats,
            currency: price.currency,
            amount: price.amount,
            pricing_status: price.status,
            tier: price.tier,
            billing_period: price.billing_period,
            pricing: price.lines,
            arithmetic: price.arithmetic,
            requirements,
            case_study: case,
            sections,
        })
    }
}

/// The prospect's sentences that state a requirement, in order; a
/// question ("We're on Teams, not Slack, is that a problem?") asks, it
/// does not state a need, and the system they run ("We're on HubSpot.")
/// is context, not a need.
fn requirements(payload: &Payload) -> Vec<Quote> {
    let said = prospect_sentences(payload);
    let mut out: Vec<Quote> = said
        .iter()
        .filter(|q| says_any(&q.text, REQUIREMENT_CUES) && states_need(&q.text))
        .take(MAX_REQUIREMENTS)
        .cloned()
        .collect();
    // An email that states its need without a cue word still states it.
    if out.is_empty() && asked_by_email(payload) {
        out = said
            .into_iter()
            .filter(|q| states_need(&q.text))
            .take(MAX_REQUIREMENTS)
            .collect();
    }
    out
}

/// Whether a sentence with a need word in it is a need of what is
/// proposed: not a question, not the buyer's own to-do ("She's part-time,
/// so I'd want to give her notice"), not what a thing needs ("it needs a
/// whole team to run it") and not a reply leaning on the rep's words
/// ("That would matter to our CFO"), which quoted alone says nothing, and
/// not when to meet ("Ideally Tuesday or Wednesday afternoon").
fn states_need(sentence: &str) -> bool {
    if sentence.trim_end().ends_with('?') {
        return false;
    }
    let words: Vec<String> = sentence
        .split_whitespace()
        .map(|w| {
            w.replace('\u{2019}', "'")
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
        })
        .collect();
    let at = |i: usize| words.get(i).map_or("", String::as_str);
    let own_to_do = (0..words.len()).any(|i| {
        let verb = i + 1 + usize::from(matches!(at(i + 1), "would" | "will"));
        OWN_SUBJECTS.contains(&at(i))
            && matches!(at(verb), "want" | "need" | "have")
            && at(verb + 1) == "to"
            && !at(verb + 2).is_empty()
            && !STILL_A_NEED.contains(&at(verb + 2))
    });
    let a_things_needs = (1..words.len()).any(|i| {
        matches!(at(i), "needs" | "requires") && THINGS.contains(&at(i - 1)) && at(i + 1) != "to"
    });
    // "Ideally Tuesday or Wednesday afternoon": when to meet, not what
    // is proposed.
    let when_to_meet = words
        .iter()
        .any(|w| WEEKDAYS.contains(&w.trim_end_matches('s')))
        && words.iter().any(|w| PARTS_OF_DAY.contains(&w.as_str()));
    let leaning = matches!(at(0), "that" | "this" | "that'd" | "that'll")
        && (matches!(at(1), "would" | "could" | "will" | "sounds") || at(0).contains('\''));
    !(own_to_do || a_things_needs || leaning || when_to_meet)
}

fn requirements_text(quotes: &[Quote]) -> String {
    if quotes.is_empty() {
        return "We will confirm your requirements with you before anything is signed.".into();
    }
    let lines: Vec<String> = quotes.iter().map(|q| format!("> \"{}\"", q.text)).collect();
    format!("In your words:\n\n{}", lines.join("\n"))
}

/// What the tier includes; without a tier, the features discussed.
fn features_text(tier_features: &str, discussed: &[String]) -> String {
    if !tier_features.is_empty() || discussed.is_empty() {
        return tier_features.to_owned();
    }
    format!("We discussed: {}.", discussed.join(", "))
}

export_skill!(PopulateProposal);

#[cfg(test)]
mod tests;
