//! A deal's documents beside its proposals: a contract drafted from the
//! accepted terms, and the deposit invoice it calls for. A document is
//! read as a [`Drafted`] and laid out once, as [`Block`]s
//! ([`Drafted::blocks`]), and rendered from them as HTML (`html.rs`, the
//! inbox's page) and PDF (`pdf.rs`, the attachment and the download), so
//! both say the same thing. A fact the draft lacks is shown where it
//! belongs as a blank naming it, never filled with a guess.

pub mod html;
pub mod pdf;

use baton_types::contract::{ContractDoc, Party, Signatory};
use baton_types::invoice::InvoiceDoc;
use baton_types::money::money;
use serde::Deserialize;
use serde_json::Value;

/// The kind of document a contract is.
pub const CONTRACT: &str = "contract";
/// The kind of document an invoice is.
pub const INVOICE: &str = "invoice";
/// What sending a contract asks of the deal's approvals (a `gate_permits`
/// entry of the workflow's contract gate).
pub const SEND_FOR_SIGNATURE: &str = "send_for_signature";
/// What drafting the deposit invoice asks of the deal's approvals (a
/// `gate_permits` entry of the workflow's contract gate).
pub const DEPOSIT_INVOICE: &str = "deposit_invoice";
/// What sending an invoice asks of the deal's commercial approval.
pub const SEND_INVOICE: &str = "send_invoice";

/// One of a deal's documents, read as its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Drafted {
    Contract(ContractDoc),
    Invoice(InvoiceDoc),
}

impl Drafted {
    /// The document of `kind` in `doc` (stored JSON text); `None` for a
    /// kind baton does not draft or a document that does not read as one.
    pub fn read(kind: &str, doc: &str) -> Option<Drafted> {
        Drafted::of(kind, &serde_json::from_str(doc).ok()?)
    }

    /// The document of `kind` in `doc`.
    pub fn of(kind: &str, doc: &Value) -> Option<Drafted> {
        match kind {
            CONTRACT => ContractDoc::deserialize(doc).ok().map(Drafted::Contract),
            INVOICE => InvoiceDoc::deserialize(doc).ok().map(Drafted::Invoice),
            _ => None,
        }
    }

    /// Its kind (`contract`, `invoice`).
    pub fn kind(&self) -> &'static str {
        match self {
            Drafted::Contract(_) => CONTRACT,
            Drafted::Invoice(_) => INVOICE,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Drafted::Contract(c) => &c.title,
            Drafted::Invoice(i) => &i.title,
        }
    }

    pub fn deal_id(&self) -> &str {
        match self {
            Drafted::Contract(c) => &c.deal_id,
            Drafted::Invoice(i) => &i.deal_id,
        }
    }

    /// What it needs before it can be approved.
    pub fn gaps(&self) -> &[baton_types::contract::Gap] {
        match self {
            Drafted::Contract(c) => &c.gaps,
            Drafted::Invoice(i) => &i.gaps,
        }
    }

    /// Its JSON, as stored (the text its digest is of).
    pub fn json(&self) -> Option<String> {
        match self {
            Drafted::Contract(c) => serde_json::to_string(c).ok(),
            Drafted::Invoice(i) => serde_json::to_string(i).ok(),
        }
    }

    /// Its layout.
    pub fn blocks(&self) -> Vec<Block> {
        match self {
            Drafted::Contract(c) => contract_blocks(c),
            Drafted::Invoice(i) => invoice_blocks(i),
        }
    }

    /// Its PDF, named for an attachment of version `version`.
    pub fn pdf(&self, version: i64) -> (String, Vec<u8>) {
        let name = format!(
            "{} v{version}.pdf",
            self.title().replace(['/', '\\', ':'], "-")
        );
        (name, pdf::render(self.title(), &self.blocks()))
    }
}

/// One piece of a document's layout.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A box of things to settle before the document can be approved.
    Notice(Vec<String>),
    Heading(String),
    Paragraph(String),
    Bullets(Vec<String>),
    /// A table: the rows, and the lines under them (`Total`, or
    /// `Subtotal`, a tax and `Total due`), the last one strong; amounts
    /// right-aligned in the last two columns.
    Fees {
        rows: Vec<[String; 4]>,
        totals: Vec<(String, String)>,
    },
    /// A signature block for a party: who signs (or the blank to fill).
    Signature {
        party: String,
        signer: String,
    },
}

/// The words shown for a fact the draft lacks.
fn blank(what: &str) -> String {
    format!("[to be filled: {what}]")
}

fn party(p: &Party, whose: &str) -> String {
    match (
        p.legal_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        p.known_as
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (Some(l), Some(k)) if l != k => format!("{l} (“{k}”)"),
        (Some(l), _) => l.to_owned(),
        (None, Some(k)) => format!("{k} {}", blank(&format!("{whose} registered legal name"))),
        (None, None) => blank(&format!("{whose} registered legal name")),
    }
}

fn signer(s: Option<&Signatory>, whose: &str) -> String {
    match s {
        Some(Signatory {
            name,
            title: Some(t),
        }) => format!("{}, {}", name.trim(), t.trim()),
        Some(Signatory { name, title: None }) => {
            format!("{} {}", name.trim(), blank("their title"))
        }
        None => blank(&format!("who signs for {whose}, by name and title")),
    }
}

/// The contract's layout.
pub fn contract_blocks(c: &ContractDoc) -> Vec<Block> {
    let client_name = c
        .client
        .legal_name
        .clone()
        .or_else(|| c.client.known_as.clone())
        .unwrap_or_else(|| "the client".into());
    let provider_name = c
        .provider
        .legal_name
        .clone()
        .or_else(|| c.provider.known_as.clone())
        .unwrap_or_else(|| "the provider".into());
    let mut out = vec![Block::Title(c.title.clone())];
    if !c.gaps.is_empty() {
        out.push(Block::Notice(
            c.gaps
                .iter()
                .map(|g| format!("Missing: {} (the `{}` fact)", g.missing, g.fact))
                .collect(),
        ));
    }
    out.push(Block::Paragraph(format!(
        "This agreement is between {}, the provider, and {}, the client.",
        party(&c.provider, "the provider's"),
        party(&c.client, "the client's"),
    )));
    out.push(Block::Paragraph(format!(
        "Effective date: {}",
        c.effective_date
            .clone()
            .unwrap_or_else(|| blank("the date the agreement takes effect"))
    )));
    out.push(Block::Heading("Services".into()));
    out.push(Block::Bullets(c.services.clone()));
    out.push(Block::Heading("Fees".into()));
    out.push(Block::Fees {
        rows: c
            .fees
            .iter()
            .map(|l| {
                [
                    l.item.clone(),
                    l.quantity.to_string(),
                    money(l.unit_amount, &c.currency),
                    money(l.total, &c.currency),
                ]
            })
            .collect(),
        totals: vec![("Total".into(), money(c.amount, &c.currency))],
    });
    for s in &c.clauses {
        out.push(Block::Heading(s.heading.clone()));
        for p in s
            .body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            out.push(Block::Paragraph(p.to_owned()));
        }
    }
    out.push(Block::Paragraph(format!(
        "Terms source: {}.",
        c.terms_source
    )));
    out.push(Block::Heading("Signatures".into()));
    out.push(Block::Signature {
        party: client_name.clone(),
        signer: signer(c.client_signatory.as_ref(), &client_name),
    });
    out.push(Block::Signature {
        party: provider_name,
        signer: c
            .provider_signatory
            .as_ref()
            .map(|s| signer(Some(s), ""))
            .unwrap_or_default(),
    });
    out
}

/// The invoice's layout.
pub fn invoice_blocks(i: &InvoiceDoc) -> Vec<Block> {
    let mut out = vec![Block::Title(i.title.clone())];
    if !i.gaps.is_empty() {
        out.push(Block::Notice(
            i.gaps
                .iter()
                .map(|g| format!("Missing: {}", g.missing))
                .collect(),
        ));
    }
    out.push(Block::Paragraph(format!("Invoice number: {}", i.number)));
    out.push(Block::Paragraph(format!("Invoice date: {}", i.issued_on)));
    out.push(Block::Paragraph(format!(
        "Due date: {}",
        i.due_on
            .clone()
            .unwrap_or_else(|| blank("the date payment is due"))
    )));
    out.push(Block::Paragraph(format!(
        "From: {}",
        party(&i.seller, "the provider's")
    )));
    out.push(Block::Paragraph(format!(
        "Billed to: {}",
        party(&i.buyer, "the client's")
    )));
    out.push(Block::Paragraph(format!(
        "Under: {} (version {})",
        i.contract.title, i.contract.version
    )));
    let mut totals = vec![("Subtotal".to_owned(), money(i.subtotal, &i.currency))];
    match &i.tax {
        Some(t) => totals.push((
            format!("{} at {}", t.label, percent(t.basis_points)),
            money(t.amount, &i.currency),
        )),
        None => totals.push(("Tax".into(), blank("the tax rate"))),
    }
    totals.push(("Total due".into(), money(i.total, &i.currency)));
    out.push(Block::Fees {
        rows: i
            .lines
            .iter()
            .map(|l| {
                [
                    l.description.clone(),
                    l.quantity.to_string(),
                    money(l.unit_amount, &i.currency),
                    money(l.total, &i.currency),
                ]
            })
            .collect(),
        totals,
    });
    out.push(Block::Paragraph(format!(
        "Amounts in {}. Please quote {} with your payment.",
        i.currency, i.number
    )));
    out
}

/// A rate in basis points as a percentage (`20%`, `8.875%`).
fn percent(basis_points: u32) -> String {
    let whole = basis_points / 100;
    let part = basis_points % 100;
    if part == 0 {
        format!("{whole}%")
    } else {
        let frac = format!("{part:02}");
        format!("{whole}.{}%", frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_types::contract::Gap;
    use baton_types::proposal::{PriceLine, Section};

    pub(crate) fn contract(gaps: bool) -> ContractDoc {
        ContractDoc {
            title: "Services agreement: Renewals Hub for Cobalt".into(),
            deal_id: "d1".into(),
            provider: Party {
                legal_name: Some("Acme Services Ltd".into()),
                known_as: Some("Acme".into()),
            },
            client: Party {
                legal_name: (!gaps).then(|| "Cobalt SA".into()),
                known_as: Some("Cobalt".into()),
            },
            client_signatory: (!gaps).then(|| Signatory {
                name: "Inès Moreau".into(),
                title: Some("CFO".into()),
            }),
            provider_signatory: None,
            effective_date: (!gaps).then(|| "2027-01-04".into()),
            services: vec!["Renewal alerts".into()],
            currency: "EUR".into(),
            fees: vec![PriceLine {
                item: "Growth seats".into(),
                quantity: 40,
                unit_amount: 54_000,
                total: 2_160_000,
            }],
            amount: 2_160_000,
            clauses: vec![Section {
                heading: "Term".into(),
                body: "It lasts.".into(),
            }],
            terms_source: "Proposal v2".into(),
            gaps: if gaps {
                vec![Gap {
                    fact: "signatory".into(),
                    missing: "who signs for Cobalt, by name and title".into(),
                }]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn a_gap_is_a_named_blank_never_a_guess() {
        let blocks = contract_blocks(&contract(true));
        let text = format!("{blocks:?}");
        assert!(
            text.contains(
                "Missing: who signs for Cobalt, by name and title (the `signatory` fact)"
            ),
            "{text}"
        );
        assert!(text.contains("Cobalt [to be filled: the client's registered legal name]"));
        assert!(
            text.contains("Effective date: [to be filled: the date the agreement takes effect]")
        );
        let full = format!("{:?}", contract_blocks(&contract(false)));
        assert!(!full.contains("to be filled"), "{full}");
        assert!(full.contains("Cobalt SA (“Cobalt”)") && full.contains("Inès Moreau, CFO"));
        assert!(full.contains("€21,600"));
    }
}
