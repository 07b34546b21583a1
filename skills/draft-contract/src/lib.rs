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
//! When nothing is missing and the contact has an address, it proposes
//! sending the agreement for signature: an `email_send` as the rep whose
//! `document` names the contract this job drafted, so the host attaches
//! that version's PDF (and refuses the send unless the deal's legal
//! approval permits `send_for_signature`). With a gap, it proposes nothing:
//! the draft waits on the deal's page until the fact is reported, which
//! drafts it again.

use baton_sdk::context;
use baton_sdk::contract::{ContractDoc, ContractTerms, Gap, Party, Signatory};
use baton_sdk::crm::money;
use baton_sdk::host::Level;
use baton_sdk::prelude::*;
use baton_sdk::proposal::Section;
use baton_sdk::text::{first_word, nonblank};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {}

/// The output: the document and what it lacks.
#[derive(Serialize, JsonSchema)]
struct Drafted {
    /// The agreement (a `ContractDoc`).
    #[schemars(with = "Value")]
    contract: ContractDoc,
    /// Whether a send for signature was proposed.
    proposed_send: bool,
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
        .output::<Drafted>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let _: Params = input.params()?;
        let terms: ContractTerms = input.payload()?;
        let org = context::org()?.unwrap_or_default();
        let crm = context::contact()?.unwrap_or_default();
        let contract = draft(&terms);
        if let Some(problem) = contract.problem() {
            return Err(SkillError::InvalidInput(format!(
                "the accepted terms make no contract: {problem}"
            )));
        }
        let address = crm
            .contact
            .as_ref()
            .and_then(|c| c.email.clone())
            .filter(|a| a.contains('@'));
        host::log(
            Level::Info,
            &format!(
                "contract drafted: {} service line(s), {} gap(s)",
                contract.services.len(),
                contract.gaps.len()
            ),
        );
        let send = match (&address, contract.gaps.is_empty(), &crm.do_not_contact) {
            (Some(to), true, None) => Some(for_signature(
                &contract,
                to,
                first_word(crm.contact_name()),
                first_word(org.rep_name()),
            )),
            _ => None,
        };
        let out = Output::of(&Drafted {
            contract: contract.clone(),
            proposed_send: send.is_some(),
        })?;
        Ok(match send {
            Some((preview, payload)) => out.action(ActionKind::EmailSend, preview, payload),
            None => out,
        })
    }
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
        services: services(&terms.sections),
        currency: terms.currency.clone(),
        fees: terms.pricing.clone(),
        amount: terms.amount,
        clauses: clauses(terms, provider_name, &client_name, effective.as_deref(), &source),
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

/// What the provider will do: the bullets (else the sentences of the
/// first paragraph) of the proposal's scope section.
fn services(sections: &[Section]) -> Vec<String> {
    let scope = SCOPE_HEADINGS.iter().find_map(|h| {
        sections
            .iter()
            .find(|s| s.heading.to_lowercase().starts_with(h))
    });
    let Some(scope) = scope else {
        return Vec::new();
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
        let deposit = t.amount * i64::from(p) / 100;
        payment.push_str(&format!(
            " A deposit of {p}% ({}) is invoiced when both parties have signed; the rest is invoiced as the services are delivered.",
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
        "document": { "kind": "contract", "deal_id": c.deal_id },
    });
    (preview, payload)
}

export_skill!(DraftContract);

#[cfg(test)]
mod tests;
