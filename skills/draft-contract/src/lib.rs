//! `draft-contract`: the `contract_drafting` chain's step. Turns the
//! accepted proposal's terms and what the deal's engagement knows (the
//! event's [`ContractTerms`]) into a services agreement
//! ([`ContractDoc`]): the parties, who signs, the effective date, the
//! services (from the proposal's scope section), the fees exactly as
//! accepted (integer minor units), payment, term, confidentiality,
//! termination and entire-agreement clauses, and where the terms come
//! from. A legal fact it does not have is named as a [`Gap`] and shown in
//! the document as a blank to fill, never invented.
//!
//! As the chain's second step (`send = true`), when nothing is missing,
//! the deal's approvals permit sending it for signature (`may_send`) and
//! the contact has an address, it proposes the send: an `email_send` as the rep whose `document` carries the contract,
//! so the host attaches it as a PDF (and refuses the send if the deal's
//! contract has changed since, or the approval no longer permits it).
//! Otherwise it proposes nothing: the draft waits on the deal's page until
//! the missing fact is reported or the approval given, which drafts it
//! again.

use baton_sdk::context;
use baton_sdk::contract::{ContractDoc, ContractTerms, Gap, Party, Signatory};
use baton_sdk::crm::money;
use baton_sdk::host::Level;
use baton_sdk::invoice::deposit;
use baton_sdk::prelude::*;
use baton_sdk::proposal::Section;
use baton_sdk::text::{first_word, nonblank};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// `false` (the drafting step): draft the contract. `true` (the step
    /// after it): propose sending the draft of step `draft_step` for
    /// signature, when it is complete and may be sent.
    #[serde(default)]
    send: bool,
    /// The drafting step's name, for the sending step.
    #[serde(default = "draft_step")]
    draft_step: String,
}

fn draft_step() -> String {
    "draft-contract".to_owned()
}

/// The drafting step's output: the document (what it lacks is in it).
#[derive(Serialize, Deserialize, JsonSchema)]
struct Drafted {
    /// The agreement (a `ContractDoc`).
    #[schemars(with = "Value")]
    contract: ContractDoc,
}

/// The sending step's output.
#[derive(Serialize, JsonSchema)]
struct Sending {
    /// Whether a send for signature was proposed, and why not if not.
    proposed_send: bool,
    why_not: Option<String>,
}

pub struct DraftContract;

impl Skill for DraftContract {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-contract",
            env!("CARGO_PKG_VERSION"),
            "Drafts the services agreement from the accepted proposal's terms and the deal's known facts, naming every legal fact it lacks; proposes sending it for signature once nothing is missing.",
        )
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output_schema(json!({ "type": "object" }))
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let terms: ContractTerms = input.payload()?;
        if params.send {
            let drafted: Drafted = input.step_output(&params.draft_step)?.ok_or_else(|| {
                SkillError::InvalidInput(format!(
                    "no output of the drafting step `{}` to send",
                    params.draft_step
                ))
            })?;
            return send(&terms, &drafted.contract);
        }
        let contract = draft(&terms);
        if let Some(problem) = contract.problem() {
            return Err(SkillError::InvalidInput(format!(
                "the accepted terms make no contract: {problem}"
            )));
        }
        host::log(
            Level::Info,
            &format!(
                "contract drafted: {} service line(s), {} gap(s)",
                contract.services.len(),
                contract.gaps.len()
            ),
        );
        Output::of(&Drafted { contract })
    }
}

/// The sending step: the email that sends `contract` for signature, when
/// nothing is missing, the approvals permit it, and the contact has an
/// address and may be emailed.
fn send(terms: &ContractTerms, contract: &ContractDoc) -> Result<Output, SkillError> {
    let org = context::org()?.unwrap_or_default();
    let crm = context::contact()?.unwrap_or_default();
    let address = crm.address_to_email();
    let why_not = if !contract.gaps.is_empty() {
        Some("facts are missing")
    } else if !terms.may_send {
        Some("the deal's approvals do not permit sending it for signature yet")
    } else {
        address.as_ref().err().copied()
    };
    let out = Output::of(&Sending {
        proposed_send: why_not.is_none(),
        why_not: why_not.map(str::to_owned),
    })?;
    Ok(match (why_not, address) {
        (None, Ok(to)) => {
            let (preview, payload) = for_signature(
                contract,
                &to,
                first_word(crm.contact_name()),
                first_word(org.rep_name()),
            );
            out.action(ActionKind::EmailSend, preview, payload)
        }
        _ => out,
    })
}

/// The agreement `terms` make.
pub fn draft(terms: &ContractTerms) -> ContractDoc {
    let client_name = name_of(&terms.client).unwrap_or("the client").to_owned();
    let mut gaps = Vec::new();
    if nonblank(terms.provider.legal_name.as_deref()).is_none() {
        gaps.push(Gap {
            fact: "parties".into(),
            missing: "the provider's registered legal name".into(),
        });
    }
    if nonblank(terms.client.legal_name.as_deref()).is_none() {
        gaps.push(Gap {
            fact: "parties".into(),
            missing: format!("{client_name}'s registered legal name"),
        });
    }
    let signatory = terms
        .client_signatory
        .clone()
        .filter(|s| !s.name.trim().is_empty());
    match &signatory {
        None => gaps.push(Gap {
            fact: "signatory".into(),
            missing: format!("who signs for {client_name}, by name and title"),
        }),
        Some(Signatory { title: None, name }) => gaps.push(Gap {
            fact: "signatory".into(),
            missing: format!("the title of {}, who signs for {client_name}", name.trim()),
        }),
        Some(_) => {}
    }
    let effective = nonblank(terms.effective_date.as_deref()).map(str::to_owned);
    if effective.is_none() {
        gaps.push(Gap {
            fact: "effective_date".into(),
            missing: "the date the agreement takes effect".into(),
        });
    }
    let provider_name = name_of(&terms.provider).unwrap_or("the provider");
    let source = format!(
        "Proposal v{} “{}”, accepted {}",
        terms.proposal_version,
        terms.proposal_title.trim(),
        terms.accepted_on
    );
    ContractDoc {
        title: format!("Services agreement: {}", terms.proposal_title.trim()),
        deal_id: terms.deal_id.clone(),
        provider: terms.provider.clone(),
        client: terms.client.clone(),
        client_signatory: signatory,
        provider_signatory: terms.provider_signatory.clone(),
        effective_date: effective.clone(),
        services: services(&terms.sections, &source),
        currency: terms.currency.clone(),
        fees: terms.pricing.clone(),
        amount: terms.amount,
        clauses: clauses(
            terms,
            provider_name,
            &client_name,
            effective.as_deref(),
            &source,
        ),
        terms_source: source,
        gaps,
    }
}

/// The name a party goes by in the prose: its legal name, else the name
/// the CRM knows it by.
fn name_of(p: &Party) -> Option<&str> {
    nonblank(p.legal_name.as_deref()).or_else(|| nonblank(p.known_as.as_deref()))
}

/// The headings that hold a proposal's scope, in the order they are
/// preferred.
const SCOPE_HEADINGS: &[&str] = &["what we propose", "scope", "deliverables", "what we will"];

/// What the provider will do: the first paragraph and the bullets of the
/// proposal's scope section; without one, the services as the accepted
/// proposal (`source`) sets them out, by reference.
fn services(sections: &[Section], source: &str) -> Vec<String> {
    let scope = SCOPE_HEADINGS.iter().find_map(|h| {
        sections
            .iter()
            .find(|s| s.heading.to_lowercase().starts_with(h))
    });
    let Some(scope) = scope else {
        return vec![format!("The services set out in {source}.")];
    };
    let bullets: Vec<String> = scope
        .body
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let first = scope
        .body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with("- "))
        .map(|p| p.replace('\n', " "));
    first.into_iter().chain(bullets).collect()
}

/// The agreement's clauses.
fn clauses(
    t: &ContractTerms,
    provider: &str,
    client: &str,
    effective: Option<&str>,
    source: &str,
) -> Vec<Section> {
    let total = money(t.amount, &t.currency);
    let mut payment = format!(
        "{client} pays {provider} the fees set out above, {total} in all, in {}.",
        t.currency
    );
    if let Some(p) = t.deposit_percent.filter(|p| (1..=100).contains(p)) {
        let deposit = deposit(t.amount, p);
        payment.push_str(&format!(
            " A deposit of {p}% ({}) is invoiced with this agreement; the rest is invoiced as the services are delivered.",
            money(deposit, &t.currency)
        ));
    }
    match t.payment_days {
        Some(d) => payment.push_str(&format!(
            " Each invoice is payable within {d} days of its date."
        )),
        None => payment.push_str(" Each invoice is payable by the due date it states."),
    }
    let start = match effective {
        Some(d) => format!("This agreement takes effect on {d}"),
        None => "This agreement takes effect on the effective date above".to_owned(),
    };
    vec![
        Section {
            heading: "Fees and payment".into(),
            body: payment,
        },
        Section {
            heading: "Term".into(),
            body: format!(
                "{start} and continues until the services are delivered, unless it is ended earlier under the termination clause."
            ),
        },
        Section {
            heading: "Confidentiality".into(),
            body: "Each party keeps the other's confidential information confidential and uses it only to perform this agreement. This does not cover information that is public or that the law requires a party to disclose.".into(),
        },
        Section {
            heading: "Termination".into(),
            body: "Either party may end this agreement by written notice if the other materially breaches it and has not remedied the breach within 30 days of being told of it in writing. Fees for services delivered up to that date remain payable.".into(),
        },
        Section {
            heading: "Entire agreement".into(),
            body: format!(
                "This agreement and the proposal it rests on ({source}) are the whole agreement between {provider} and {client} on these services. Where they differ, this agreement prevails."
            ),
        },
    ]
}

/// The `email_send` that sends `c` for signature to `to`.
fn for_signature(
    c: &ContractDoc,
    to: &str,
    first: Option<&str>,
    rep: Option<&str>,
) -> (String, Value) {
    let client = name_of(&c.client).unwrap_or("your team");
    let signer = c
        .client_signatory
        .as_ref()
        .map(|s| s.name.trim().to_owned())
        .unwrap_or_default();
    let signs = if first.is_some_and(|f| signer.starts_with(f)) {
        "Could you sign it and send it back, or tell me what you would like changed?".to_owned()
    } else {
        format!(
            "It is ready for {signer} to sign for {client}; could you pass it on, or tell me what you would like changed?"
        )
    };
    let body = format!(
        "Hi {},\n\nThank you for accepting the proposal. Attached is the services agreement, drafted from it ({}).\n\n{signs}\n\nBest,\n{}\n",
        first.unwrap_or("there"),
        c.terms_source,
        rep.unwrap_or("")
    );
    let preview = format!(
        "Services agreement for {client} — {} — email to {to} for signature",
        money(c.amount, &c.currency)
    );
    let payload = json!({
        "to": [to],
        "subject": c.title,
        "body": body,
        "document": { "kind": "contract", "contract": c },
    });
    (preview, payload)
}

export_skill!(DraftContract);

#[cfg(test)]
mod tests;
