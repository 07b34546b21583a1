//! `generate-custom-sections`: the third step of `proposal_generation`.
//! Writes the two sections a template cannot hold: the executive summary,
//! citing what the prospect said (their pains, deadline and budget, quoted),
//! and the return on investment computed from the pain points they gave
//! numbers for ("we lose about 12 hours a week" × an hourly cost the
//! prospect or the org profile's `roi.hourly_cost` states; the sum written
//! out; a missing number named, never invented). With `llm` granted and
//! configured the model writes the summary's prose; without it, or when it
//! fails, the template's sentences are filled, so the chain never needs a
//! model.

mod roi;
mod summary;

use baton_sdk::context;
use baton_sdk::crm::money;
use baton_sdk::events::proposal_generation::Payload;
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use baton_sdk::proposal::{
    CustomSections, Populated, PricingStatus, RoiLine, TemplateSection, asked_by_email, fill,
    prospect_sentences, step_output,
};
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The `populate-proposal` step.
    #[serde(default = "baton_sdk::proposal::populate_step")]
    populate_step: String,
    /// Ask the model for the summary's prose when `llm` is granted.
    #[serde(default = "yes")]
    use_llm: bool,
}

fn yes() -> bool {
    true
}

/// The org profile's ROI settings (`profile.roi`).
#[derive(Deserialize, Default)]
struct Profile {
    #[serde(default)]
    roi: Option<RoiProfile>,
}

#[derive(Deserialize)]
struct RoiProfile {
    /// What an hour of the prospect's team costs, in minor units.
    hourly_cost: i64,
    /// Its currency; the proposal's when left out.
    #[serde(default)]
    currency: Option<String>,
}

pub struct GenerateCustomSections;

impl Skill for GenerateCustomSections {
    fn manifest() -> Manifest {
        Manifest::new(
            "generate-custom-sections",
            env!("CARGO_PKG_VERSION"),
            "Writes a proposal's executive summary from the prospect's own words and its ROI from the numbers they gave.",
        )
        .needs(flow::names::PROPOSAL_POPULATED)
        .produces(flow::names::PROPOSAL_SECTIONS)
        .capability("context:attachments")
        .capability("context:org")
        .capability("llm")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<CustomSections>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload = input.payload::<Payload>()?.resolved()?;
        let p: Populated = step_output(&input, &params.populate_step)?;
        let org = context::org()?.unwrap_or_default();
        let said = prospect_sentences(&payload);
        let by_email = asked_by_email(&payload);

        let cited = summary::cite(&said);
        let prose = if params.use_llm {
            summary::model_prose(&p, &cited)
        } else {
            None
        };
        let written_by = if prose.is_some() { "llm" } else { "template" };
        let prose = prose.unwrap_or_else(|| summary::template_prose(&p, by_email, &cited));
        let executive_summary = summary::section(&prose, &cited);

        let rate = roi::stated_rate(&said).or_else(|| profile_rate(&org, &p.currency));
        let price = roi::Price {
            amount: p.amount,
            per_year: p.billing_period.as_deref() == Some("year"),
        };
        let lines = roi::lines(&said, rate.as_ref(), &price, &p.currency);
        let (roi_text, notes_for_rep) = roi_section(&lines, rate.as_ref(), &p);

        let values = [
            ("executive_summary", executive_summary.as_str()),
            ("roi", roi_text.as_str()),
        ];
        let sections = p
            .sections
            .iter()
            .map(|s| TemplateSection {
                heading: s.heading.clone(),
                body: fill(&s.body, &values),
            })
            .collect();
        host::log(
            Level::Info,
            &format!(
                "summary by {written_by} citing {} point(s); {} ROI line(s), {} with a value",
                cited.len(),
                lines.len(),
                lines.iter().filter(|l| l.annual_value.is_some()).count()
            ),
        );
        Output::of(&CustomSections {
            sections,
            cited,
            roi: lines,
            written_by: written_by.to_owned(),
            notes_for_rep,
        })
    }
}

/// The org profile's hourly cost, when it has one in the proposal's
/// currency.
fn profile_rate(org: &context::OrgTier, currency: &str) -> Option<roi::Rate> {
    let profile = org.org.as_ref()?.profile.clone();
    let r = Profile::deserialize(profile).ok()?.roi?;
    (r.currency.as_deref().is_none_or(|c| c == currency) && r.hourly_cost > 0).then(|| roi::Rate {
        per_hour: r.hourly_cost,
        source: "the hourly cost in our profile".into(),
    })
}

/// The `{{roi}}` section text, and what the rep should know before
/// sending. The section shows only the returns worked out from their
/// numbers; what is missing goes to the rep, never into the document, and
/// with nothing worked out the section is empty (and left out).
fn roi_section(
    lines: &[RoiLine],
    rate: Option<&roi::Rate>,
    p: &Populated,
) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    if lines.is_empty() {
        notes.push(
            "No return on investment is shown: they put no numbers on the problem. Ask for the \
             hours it costs their team a week and what an hour costs, and it can be added."
                .to_owned(),
        );
        return (String::new(), notes);
    }
    let mut out = vec!["From the numbers you gave us:".to_owned()];
    for l in lines {
        // A sum with no value a year ("94% − 89% = 5 percentage points")
        // is no return yet: it waits for what is missing.
        let valued = l.arithmetic.is_some() && l.annual_value.is_some();
        if !l.missing.is_empty() {
            notes.push(match valued {
                true => format!(
                    "The return on \"{}\" assumes {}; check it before you send.",
                    l.quote.text,
                    and_list(&l.missing, "")
                ),
                false => format!(
                    "The return on \"{}\" is left out: {} unknown.",
                    l.quote.text,
                    and_list(&l.missing, "s")
                ),
            });
        }
        if let Some(sum) = l.arithmetic.as_ref().filter(|_| valued) {
            out.push(format!("> \"{}\"\n\n- {sum}", l.quote.text));
        }
    }
    if out.len() == 1 {
        return (String::new(), notes);
    }
    if let Some(r) = rate {
        out.push(format!(
            "Hourly cost used: {} ({}).",
            money(r.per_hour, &p.currency),
            r.source
        ));
    }
    let valued: Vec<i64> = lines.iter().filter_map(|l| l.annual_value).collect();
    if valued.len() > 1 {
        let total = valued.iter().fold(0i64, |a, v| a.saturating_add(*v));
        let sums: Vec<String> = valued.iter().map(|v| money(*v, &p.currency)).collect();
        out.push(format!(
            "Together: {} = {} a year.",
            sums.join(" + "),
            money(total, &p.currency)
        ));
    }
    if p.pricing_status == PricingStatus::ToBeConfirmed {
        out.push("The return against the price follows once the price is confirmed.".into());
    }
    (out.join("\n\n"), notes)
}

/// "a", "a and b", "a, b and c", followed by "is" or "are" when `verb`
/// is "s" (the verb's third-person ending), else bare.
fn and_list(items: &[String], verb: &str) -> String {
    let (list, many) = match items {
        [] => (String::new(), false),
        [one] => (one.clone(), false),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), true),
    };
    match (verb, many) {
        ("", _) => list,
        (_, false) => format!("{list} is"),
        (_, true) => format!("{list} are"),
    }
}

export_skill!(GenerateCustomSections);

#[cfg(test)]
mod tests;
