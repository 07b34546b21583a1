//! The deposit invoice an approved contract calls for. The host builds
//! [`InvoiceTerms`] (the `invoice_drafting` event's payload) once the
//! deal's legal approval permits `deposit_invoice`: the contract it rests
//! on, the number the org's sequence gave it, its dates, and the org's tax
//! rate. `draft-invoice` turns them into an [`InvoiceDoc`], in integer
//! minor units, naming what it lacks as a [`Gap`] (never a guessed rate or
//! date); the host keeps each draft as a version of the deal's invoice and
//! renders it as HTML and PDF.

use crate::contract::{Gap, Party};
use serde::{Deserialize, Serialize};

/// The contract an invoice is raised under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRef {
    /// The contract version's document id.
    pub id: String,
    pub version: u32,
    pub title: String,
}

/// A tax charged on an invoice, as the org set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    /// What the invoice calls it (`VAT`, `Sales tax`).
    pub label: String,
    /// The rate in basis points (2000 = 20%).
    pub basis_points: u32,
}

/// The `invoice_drafting` event's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceTerms {
    pub deal_id: String,
    /// The org's number for it (`INV-0007`), given once per deal.
    pub number: String,
    /// `YYYY-MM-DD`: the day the number was given.
    pub issued_on: String,
    /// `YYYY-MM-DD`: `issued_on` plus the org's payment days, when set.
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub payment_days: Option<u32>,
    pub contract: ContractRef,
    /// Who bills and who is billed (the contract's parties).
    pub seller: Party,
    pub buyer: Party,
    /// ISO 4217; amounts in its minor units.
    pub currency: String,
    /// The contract's total.
    pub contract_amount: i64,
    /// The deposit due on signature, in percent of the total, when the org
    /// set it.
    #[serde(default)]
    pub deposit_percent: Option<u32>,
    /// The tax the org charges, when it set one (a rate of 0 is a choice;
    /// no rate at all is a gap).
    #[serde(default)]
    pub tax: Option<TaxRate>,
    /// Whether the deal's commercial approval permits sending this invoice
    /// now (the draft then proposes the send).
    #[serde(default)]
    pub may_send: bool,
    /// How many times the commercial track was unblocked (a billing
    /// dispute settled): each is a new ask, so a send withdrawn while it
    /// was blocked is proposed again.
    #[serde(default)]
    pub resumed: u32,
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: i64,
    pub unit_amount: i64,
    pub total: i64,
}

/// The tax an invoice charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxLine {
    pub label: String,
    pub basis_points: u32,
    pub amount: i64,
}

/// The drafted invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDoc {
    pub title: String,
    pub number: String,
    pub deal_id: String,
    pub issued_on: String,
    #[serde(default)]
    pub due_on: Option<String>,
    pub seller: Party,
    pub buyer: Party,
    pub contract: ContractRef,
    pub currency: String,
    pub lines: Vec<InvoiceLine>,
    pub subtotal: i64,
    #[serde(default)]
    pub tax: Option<TaxLine>,
    pub total: i64,
    /// What must be settled before it can be approved.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

/// The deposit of `percent` on `amount`, rounded down to the minor unit
/// (what the contract's payment clause states and the invoice bills).
pub fn deposit(amount: i64, percent: u32) -> i64 {
    amount.saturating_mul(i64::from(percent)) / 100
}

/// The tax at `basis_points` on `subtotal`, rounded half up to the minor
/// unit.
pub fn tax(subtotal: i64, basis_points: u32) -> i64 {
    (subtotal.saturating_mul(i64::from(basis_points)) + 5_000) / 10_000
}

impl InvoiceDoc {
    /// What is wrong with the document, if anything: no number or lines,
    /// or sums that do not add up.
    pub fn problem(&self) -> Option<String> {
        if self.number.trim().is_empty() {
            return Some("the invoice has no `number`".into());
        }
        if self.lines.is_empty() {
            return Some("the invoice has no lines".into());
        }
        if let Some(l) = self
            .lines
            .iter()
            .find(|l| l.quantity.saturating_mul(l.unit_amount) != l.total)
        {
            return Some(format!(
                "the line `{}` totals {}, not {} × {}",
                l.description, l.total, l.quantity, l.unit_amount
            ));
        }
        let sum: i64 = self.lines.iter().map(|l| l.total).sum();
        if sum != self.subtotal {
            return Some(format!(
                "the lines add up to {sum}, not the subtotal {}",
                self.subtotal
            ));
        }
        let taxed = self.tax.as_ref().map_or(0, |t| t.amount);
        if self.subtotal + taxed != self.total {
            return Some(format!(
                "the subtotal and tax make {}, not the total {}",
                self.subtotal + taxed,
                self.total
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deposits_round_down_and_tax_rounds_half_up() {
        assert_eq!(deposit(2_160_000, 30), 648_000);
        assert_eq!(deposit(999, 30), 299);
        assert_eq!(tax(648_000, 2_000), 129_600);
        assert_eq!(tax(5, 1_000), 1, "0.5 rounds up");
        assert_eq!(tax(4, 1_000), 0);
        assert_eq!(tax(12_345, 0), 0);
    }

    #[test]
    fn an_invoice_that_does_not_add_up_is_named() {
        let line = InvoiceLine {
            description: "Deposit".into(),
            quantity: 1,
            unit_amount: 100,
            total: 100,
        };
        let mut d = InvoiceDoc {
            title: "Invoice INV-0001".into(),
            number: "INV-0001".into(),
            deal_id: "d".into(),
            issued_on: "2026-11-28".into(),
            due_on: None,
            seller: Party::default(),
            buyer: Party::default(),
            contract: ContractRef {
                id: "c".into(),
                version: 1,
                title: "Agreement".into(),
            },
            currency: "EUR".into(),
            lines: vec![line],
            subtotal: 100,
            tax: Some(TaxLine {
                label: "VAT".into(),
                basis_points: 2_000,
                amount: 20,
            }),
            total: 120,
            gaps: Vec::new(),
        };
        assert_eq!(d.problem(), None);
        d.total = 100;
        assert!(
            d.problem()
                .expect("a problem")
                .contains("not the total 100")
        );
        d.total = 120;
        d.lines[0].total = 90;
        assert!(d.problem().expect("a problem").contains("not 1 × 100"));
        d.lines.clear();
        assert_eq!(d.problem().as_deref(), Some("the invoice has no lines"));
    }
}
