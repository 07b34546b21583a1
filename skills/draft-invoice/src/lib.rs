//! `draft-invoice`: the `invoice_drafting` chain's step. Turns the terms the
//! host built once the deal's legal approval permits a deposit invoice
//! ([`InvoiceTerms`]: the contract it rests on, the org's number for it,
//! its dates, the org's tax rate) into an [`InvoiceDoc`]: the deposit line
//! (the contract's deposit percent of its total), the subtotal, the tax
//! and the total, all in integer minor units, with the due date and the
//! contract reference. What it lacks (no deposit percent, no tax rate, no
//! payment days) is named as a [`Gap`] and never guessed.
//!
//! As the chain's second step (`send = true`), when nothing is missing,
//! the deal's commercial approval permits the send (`may_send`) and the
//! contact has an address and may be emailed, it proposes an `email_send`
//! as the rep whose `document` carries the invoice, so the host attaches
//! it as a PDF (and refuses the send if the deal's invoice has changed
//! since, the approval no longer permits it, or the client disputes a
//! bill).

use baton_sdk::context;
use baton_sdk::contract::{Gap, Party};
use baton_sdk::crm::money;
use baton_sdk::host::Level;
use baton_sdk::invoice::{InvoiceDoc, InvoiceLine, InvoiceTerms, TaxLine, deposit, tax};
use baton_sdk::prelude::*;
use baton_sdk::text::{first_word, nonblank};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// `false` (the drafting step): draft the invoice. `true` (the step
    /// after it): propose emailing the draft of step `draft_step`, when it
    /// is complete and may be sent.
    #[serde(default)]
    send: bool,
    /// The drafting step's name, for the sending step.
    #[serde(default = "draft_step")]
    draft_step: String,
}

fn draft_step() -> String {
    "draft-invoice".to_owned()
}

/// The drafting step's output: the document (what it lacks is in it).
#[derive(Serialize, Deserialize, JsonSchema)]
struct Drafted {
    /// The invoice (an `InvoiceDoc`).
    #[schemars(with = "Value")]
    invoice: InvoiceDoc,
}

/// The sending step's output.
#[derive(Serialize, JsonSchema)]
struct Sending {
    /// Whether the email was proposed, and why not if not.
    proposed_send: bool,
    why_not: Option<String>,
}

pub struct DraftInvoice;

impl Skill for DraftInvoice {
    fn manifest() -> Manifest {
        Manifest::new(
            "draft-invoice",
            env!("CARGO_PKG_VERSION"),
            "Drafts the deposit invoice an approved contract calls for, in integer minor units with the org's tax and due date, naming what it lacks; proposes emailing it once the commercial approval permits.",
        )
        .capability("context:org")
        .capability("context:contact")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output_schema(json!({ "type": "object" }))
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let terms: InvoiceTerms = input.payload()?;
        if params.send {
            let drafted: Drafted = input.step_output(&params.draft_step)?.ok_or_else(|| {
                SkillError::InvalidInput(format!(
                    "no output of the drafting step `{}` to send",
                    params.draft_step
                ))
            })?;
            return send(&terms, &drafted.invoice);
        }
        let invoice = draft(&terms);
        if let Some(problem) = invoice.problem() {
            return Err(SkillError::InvalidInput(format!(
                "the terms make no invoice: {problem}"
            )));
        }
        host::log(
            Level::Info,
            &format!(
                "invoice drafted: {} line(s), {} gap(s)",
                invoice.lines.len(),
                invoice.gaps.len()
            ),
        );
        Output::of(&Drafted { invoice })
    }
}

/// The invoice `terms` make.
pub fn draft(terms: &InvoiceTerms) -> InvoiceDoc {
    let mut gaps = Vec::new();
    let percent = terms.deposit_percent.filter(|p| (1..=100).contains(p));
    let lines = match percent {
        Some(p) => {
            let amount = deposit(terms.contract_amount, p);
            vec![InvoiceLine {
                description: format!(
                    "Deposit of {p}% of {} under {} (v{})",
                    money(terms.contract_amount, &terms.currency),
                    terms.contract.title.trim(),
                    terms.contract.version
                ),
                quantity: 1,
                unit_amount: amount,
                total: amount,
            }]
        }
        None => {
            gaps.push(Gap {
                fact: "deposit_invoice".into(),
                missing: "the deposit to invoice: the org's deposit percent (profile `contract.deposit_percent`)".into(),
            });
            vec![InvoiceLine {
                description: format!(
                    "Deposit under {} (v{}): amount to be set",
                    terms.contract.title.trim(),
                    terms.contract.version
                ),
                quantity: 1,
                unit_amount: 0,
                total: 0,
            }]
        }
    };
    let subtotal: i64 = lines.iter().map(|l| l.total).sum();
    let tax = match &terms.tax {
        Some(t) => Some(TaxLine {
            label: t.label.trim().to_owned(),
            basis_points: t.basis_points,
            amount: tax(subtotal, t.basis_points),
        }),
        None => {
            gaps.push(Gap {
                fact: "deposit_invoice".into(),
                missing: "the tax to charge: the org's tax rate (profile `invoice.tax_percent`, 0 for none)".into(),
            });
            None
        }
    };
    let due_on = nonblank(terms.due_on.as_deref()).map(str::to_owned);
    if due_on.is_none() {
        gaps.push(Gap {
            fact: "deposit_invoice".into(),
            missing: "the due date: the org's payment days (profile `contract.payment_days`)"
                .into(),
        });
    }
    if nonblank(terms.buyer.legal_name.as_deref()).is_none() {
        gaps.push(Gap {
            fact: "parties".into(),
            missing: format!(
                "{}'s registered legal name, to bill",
                name_of(&terms.buyer).unwrap_or("the client")
            ),
        });
    }
    let total = subtotal + tax.as_ref().map_or(0, |t| t.amount);
    InvoiceDoc {
        title: format!("Invoice {}", terms.number.trim()),
        number: terms.number.trim().to_owned(),
        deal_id: terms.deal_id.clone(),
        issued_on: terms.issued_on.clone(),
        due_on,
        seller: terms.seller.clone(),
        buyer: terms.buyer.clone(),
        contract: terms.contract.clone(),
        currency: terms.currency.clone(),
        lines,
        subtotal,
        tax,
        total,
        gaps,
    }
}

/// The name a party goes by in the prose: its legal name, else the name
/// the CRM knows it by.
fn name_of(p: &Party) -> Option<&str> {
    nonblank(p.legal_name.as_deref()).or_else(|| nonblank(p.known_as.as_deref()))
}

/// The sending step: the email that carries `invoice`, when nothing is
/// missing, the commercial approval permits it, and the contact has an
/// address and may be emailed.
fn send(terms: &InvoiceTerms, invoice: &InvoiceDoc) -> Result<Output, SkillError> {
    let org = context::org()?.unwrap_or_default();
    let crm = context::contact()?.unwrap_or_default();
    let address = crm.address_to_email();
    let why_not = if !invoice.gaps.is_empty() {
        Some("facts are missing")
    } else if !terms.may_send {
        Some("the deal's commercial approval does not permit sending it yet")
    } else {
        address.as_ref().err().copied()
    };
    let out = Output::of(&Sending {
        proposed_send: why_not.is_none(),
        why_not: why_not.map(str::to_owned),
    })?;
    Ok(match (why_not, address) {
        (None, Ok(to)) => {
            let (preview, payload) = email(
                invoice,
                &to,
                first_word(crm.contact_name()),
                first_word(org.rep_name()),
            );
            out.action(ActionKind::EmailSend, preview, payload)
        }
        _ => out,
    })
}

/// The `email_send` that carries `i` to `to`.
fn email(i: &InvoiceDoc, to: &str, first: Option<&str>, rep: Option<&str>) -> (String, Value) {
    let total = money(i.total, &i.currency);
    let due = i
        .due_on
        .as_deref()
        .map(|d| format!(", due by {d}"))
        .unwrap_or_default();
    let body = format!(
        "Hi {},\n\nAttached is invoice {} for {total}{due}: the deposit under {} (v{}).\n\nIf anything on it looks wrong, reply and I will sort it out.\n\nBest,\n{}\n",
        first.unwrap_or("there"),
        i.number,
        i.contract.title.trim(),
        i.contract.version,
        rep.unwrap_or("")
    );
    let client = name_of(&i.buyer).unwrap_or("the client");
    let preview = format!(
        "Invoice {} for {client} — {total} — email to {to}",
        i.number
    );
    let payload = json!({
        "to": [to],
        "subject": format!("Invoice {} — {}", i.number, i.contract.title.trim()),
        "body": body,
        "document": { "kind": "invoice", "invoice": i },
    });
    (preview, payload)
}

export_skill!(DraftInvoice);

#[cfg(test)]
mod tests;
