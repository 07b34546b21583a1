//! A contract drafted from accepted terms. The host builds [`ContractTerms`]
//! (the `contract_drafting` event's payload) when a proposal is accepted
//! or a fact the contract needs changes: the terms of the accepted
//! version and what the deal's engagement knows. `draft-contract` turns
//! them into a [`ContractDoc`], naming every legal fact it lacks as a
//! [`Gap`] and never inventing one; the host keeps each draft as a version
//! of the deal's contract and renders it as HTML and PDF.

use crate::proposal::{PriceLine, Section};
use serde::{Deserialize, Serialize};

/// One party to the agreement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// The registered legal name, when known.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// The name people use (the CRM company), for the document's prose.
    #[serde(default)]
    pub known_as: Option<String>,
}

/// Who signs for a party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signatory {
    pub name: String,
    /// Their title (`Chief Financial Officer`), when known.
    #[serde(default)]
    pub title: Option<String>,
}

/// The `contract_drafting` event's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractTerms {
    pub deal_id: String,
    /// The accepted proposal: its id, version and title.
    pub proposal_id: String,
    pub proposal_version: u32,
    pub proposal_title: String,
    /// `YYYY-MM-DD`: when it was accepted.
    pub accepted_on: String,
    /// The org (the provider) and the client.
    pub provider: Party,
    pub client: Party,
    /// Who signs for the client and for the provider, when known.
    #[serde(default)]
    pub client_signatory: Option<Signatory>,
    #[serde(default)]
    pub provider_signatory: Option<Signatory>,
    /// `YYYY-MM-DD`, when agreed.
    #[serde(default)]
    pub effective_date: Option<String>,
    /// ISO 4217; amounts in its minor units.
    pub currency: String,
    pub pricing: Vec<PriceLine>,
    /// The total of `pricing`.
    pub amount: i64,
    /// The accepted proposal's sections (the scope is read from them).
    pub sections: Vec<Section>,
    /// Days the client has to pay an invoice, when the org set it.
    #[serde(default)]
    pub payment_days: Option<u32>,
    /// The deposit invoiced on signature, in percent of the total, when
    /// the org set it.
    #[serde(default)]
    pub deposit_percent: Option<u32>,
    /// Whether the deal's approvals permit sending the contract for
    /// signature now (the draft then proposes the send).
    #[serde(default)]
    pub may_send: bool,
}

/// A fact the contract needs and does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// The workflow fact that fills it (`signatory`, `parties`,
    /// `effective_date`).
    pub fact: String,
    /// What is missing, in words (`who signs for Cobalt, by name and
    /// title`).
    pub missing: String,
}

/// The drafted agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractDoc {
    pub title: String,
    pub deal_id: String,
    pub provider: Party,
    pub client: Party,
    #[serde(default)]
    pub client_signatory: Option<Signatory>,
    #[serde(default)]
    pub provider_signatory: Option<Signatory>,
    #[serde(default)]
    pub effective_date: Option<String>,
    /// What the provider will do, one line each.
    pub services: Vec<String>,
    pub currency: String,
    pub fees: Vec<PriceLine>,
    pub amount: i64,
    /// The clauses, in order (payment, term, confidentiality, …).
    pub clauses: Vec<Section>,
    /// Where the commercial terms come from (`Proposal v2 “Renewals Hub”,
    /// accepted 2026-11-26`).
    pub terms_source: String,
    /// What must be filled before it can be approved.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

impl ContractDoc {
    /// What is wrong with the document, if anything: no title, services or
    /// fees, or fees that do not add up.
    pub fn problem(&self) -> Option<String> {
        if self.title.trim().is_empty() {
            return Some("the contract has no `title`".into());
        }
        if self.services.iter().all(|s| s.trim().is_empty()) {
            return Some("the contract names no services".into());
        }
        if self.fees.is_empty() {
            return Some("the contract has no fees".into());
        }
        let sum: i64 = self.fees.iter().map(|l| l.total).sum();
        if sum != self.amount {
            return Some(format!(
                "the fees add up to {sum}, not the amount {}",
                self.amount
            ));
        }
        None
    }
}
