//! `present-for-review`: the last step of `proposal_generation`. Assembles
//! the finished document (`populate-proposal`'s particulars and prices,
//! `generate-custom-sections`' sections) and its cover email into one
//! `proposal_send` action, a [`ProposalSend`] whose `problem()` is `None`,
//! for the rep to confirm at the step's gate. Delivery is an email to the
//! contact by default (the send-as-rep rails apply when the host sends it),
//! threaded under the email that asked when one did; a shareable link when
//! the step's params say so, or when there is no address to send to or the
//! contact may not be emailed. The rep's edits at the gate are what is
//! sent.

use baton_sdk::context;
use baton_sdk::crm::money;
use baton_sdk::events::proposal_generation::Payload;
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use baton_sdk::proposal::{
    CustomSections, Delivery, Populated, PricingStatus, ProposalDoc, ProposalSend, Section,
    placeholders, step_output,
};
use baton_sdk::text::{first_word, nonblank, reply_subject};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The `populate-proposal` step.
    #[serde(default = "baton_sdk::proposal::populate_step")]
    populate_step: String,
    /// The `generate-custom-sections` step.
    #[serde(default = "baton_sdk::proposal::sections_step")]
    sections_step: String,
    /// `email` (default) or `link`.
    #[serde(default)]
    delivery: DeliveryParam,
    /// Days the offer stands, from today in the rep's zone.
    #[serde(default = "thirty")]
    #[schemars(range(min = 1, max = 365))]
    valid_days: i64,
}

#[derive(Deserialize, JsonSchema, Default, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum DeliveryParam {
    #[default]
    Email,
    Link,
}

fn thirty() -> i64 {
    30
}

/// The output: what the gate holds, in brief.
#[derive(Serialize, JsonSchema)]
struct Presented {
    /// `email` or `link`.
    delivery: &'static str,
    /// Why a link was chosen over the email asked for, when it was.
    delivery_note: Option<&'static str>,
    to: Vec<String>,
    subject: String,
    title: String,
    currency: String,
    amount: i64,
    valid_until: String,
    /// Placeholders no step filled (removed from the document).
    unfilled: Vec<String>,
}

pub struct PresentForReview;

impl Skill for PresentForReview {
    fn manifest() -> Manifest {
        Manifest::new(
            "present-for-review",
            env!("CARGO_PKG_VERSION"),
            "Assembles the proposal and its cover email as one proposal_send action for the rep to confirm.",
        )
        .needs(flow::names::PROPOSAL_POPULATED)
        .uses(flow::names::PROPOSAL_SECTIONS)
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Presented>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        let p: Populated = step_output(&input, &params.populate_step)?;
        let custom: CustomSections = step_output(&input, &params.sections_step)?;
        let org = context::org()?.unwrap_or_default();
        let crm = context::contact()?.unwrap_or_default();

        let address = p
            .contact_email
            .clone()
            .or_else(|| crm.contact.as_ref().and_then(|c| c.email.clone()))
            .or_else(|| payload.request.contact_email.clone())
            .filter(|a| a.contains('@'));
        let (delivery, note) = match (params.delivery, &address) {
            (DeliveryParam::Link, _) => (Delivery::Link, None),
            (_, _) if crm.do_not_contact.is_some() => (
                Delivery::Link,
                Some("the contact is on the do-not-contact list"),
            ),
            (_, None) => (
                Delivery::Link,
                Some("the CRM has no address for the contact"),
            ),
            (_, Some(_)) => (Delivery::Email, None),
        };
        let to: Vec<String> = match delivery {
            Delivery::Email => address.into_iter().collect(),
            Delivery::Link => Vec::new(),
        };
        let message_id = nonblank(payload.request.message_id.as_deref()).map(str::to_owned);
        let subject = match (&message_id, nonblank(payload.request.subject.as_deref())) {
            (Some(_), Some(s)) => reply_subject(s),
            _ => format!("Proposal: {}", p.title),
        };
        let valid_until = valid_until(org.timezone().unwrap_or("UTC"), params.valid_days)?;
        let mut unfilled = Vec::new();
        let notes_for_rep = custom.notes_for_rep.clone();
        let sections: Vec<Section> = custom
            .sections
            .into_iter()
            .map(|s| {
                let body = strip(&s.body, &mut unfilled);
                Section {
                    heading: strip(&s.heading, &mut unfilled),
                    body,
                }
            })
            .filter(|s| !s.body.trim().is_empty())
            .collect();
        let rep = first_word(org.rep_name()).unwrap_or("");
        let body = cover_note(
            &p,
            first_word(p.contact_name.as_deref()),
            rep,
            &valid_until,
            message_id.is_some(),
        );
        let send = ProposalSend {
            delivery,
            to: to.clone(),
            cc: Vec::new(),
            subject: subject.clone(),
            body,
            in_reply_to: message_id.clone(),
            references: message_id,
            proposal: ProposalDoc {
                title: p.title.clone(),
                deal_id: p.deal_id.clone(),
                contact_id: p.contact_id.clone(),
                company: p.company.clone(),
                contact_name: p.contact_name.clone(),
                currency: p.currency.clone(),
                amount: p.amount,
                sections,
                pricing: p.pricing.iter().cloned().map(Into::into).collect(),
                valid_until: Some(valid_until.clone()),
            },
            notes_for_rep,
            evidence: payload.request.evidence.clone(),
        };
        if let Some(problem) = send.problem() {
            return Err(SkillError::Failed(format!(
                "the assembled proposal is not valid: {problem}"
            )));
        }
        let who = p.contact_name.as_deref().unwrap_or("the contact");
        let preview = format!(
            "Proposal for {}: {} — {}",
            p.company.as_deref().unwrap_or(who),
            price_line(&p),
            match delivery {
                Delivery::Email => format!("email to {who}"),
                Delivery::Link => "a link for you to share".to_owned(),
            }
        );
        host::log(
            Level::Info,
            &format!(
                "proposal assembled: {} section(s), delivery {}, {} placeholder(s) unfilled",
                send.proposal.sections.len(),
                if delivery == Delivery::Email {
                    "email"
                } else {
                    "link"
                },
                unfilled.len()
            ),
        );
        Ok(Output::of(&Presented {
            delivery: if delivery == Delivery::Email {
                "email"
            } else {
                "link"
            },
            delivery_note: note,
            to,
            subject,
            title: p.title.clone(),
            currency: p.currency.clone(),
            amount: p.amount,
            valid_until,
            unfilled,
        })?
        .action(ActionKind::ProposalSend, preview, to_data(&send)?))
    }
}

/// `text` without its leftover `{{placeholders}}` (each recorded once).
fn strip(text: &str, unfilled: &mut Vec<String>) -> String {
    let mut out = text.to_owned();
    for key in placeholders(text) {
        for form in [format!("{{{{{key}}}}}"), format!("{{{{ {key} }}}}")] {
            out = out.replace(&form, "");
        }
        if !unfilled.contains(&key) {
            unfilled.push(key);
        }
    }
    out.trim().to_owned()
}

/// "Growth, 40 seats, $21,600 per year", or the price to be confirmed.
fn price_line(p: &Populated) -> String {
    match (p.pricing_status, &p.tier, p.seats, &p.billing_period) {
        (PricingStatus::Priced, Some(tier), Some(n), Some(per)) => format!(
            "{tier}, {n} seats, {} per {per}",
            money(p.amount, &p.currency)
        ),
        (_, _, Some(n), _) => format!("{n} seats, pricing to be confirmed"),
        _ => "pricing to be confirmed".to_owned(),
    }
}

/// The cover email: short, signed as the rep (the host adds the signature).
fn cover_note(
    p: &Populated,
    first: Option<&str>,
    rep: &str,
    valid_until: &str,
    by_email: bool,
) -> String {
    let opening = if by_email {
        "Thanks for your email. Here is the proposal you asked for"
    } else {
        "As promised, here is our proposal"
    };
    let company = p
        .company
        .as_deref()
        .map(|c| format!(" for {c}"))
        .unwrap_or_default();
    format!(
        "Hi {},\n\n{opening}{company}: {}. It quotes what you told us, and the offer stands until {valid_until}.\n\n\
         I'm happy to walk you and your team through it.\n\nBest,\n{rep}\n",
        first.unwrap_or("there"),
        price_line(p)
    )
}

/// `YYYY-MM-DD`, `days` after today in `zone`.
fn valid_until(zone: &str, days: i64) -> Result<String, SkillError> {
    let tz = jiff::tz::TimeZone::get(zone)
        .map_err(|e| SkillError::InvalidInput(format!("preferences.timezone `{zone}`: {e}")))?;
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    today
        .checked_add(jiff::Span::new().days(days))
        .map(|d| d.to_string())
        .map_err(|e| SkillError::Failed(format!("date arithmetic: {e}")))
}

export_skill!(PresentForReview);

#[cfg(test)]
mod tests;
