use super::*;
use baton_sdk::invoice::{ContractRef, TaxRate};
use baton_sdk::testing::FakeHost;
use serde::Deserialize;

fn terms() -> InvoiceTerms {
    InvoiceTerms {
        deal_id: "d1".into(),
        number: "INV-0007".into(),
        issued_on: "2026-11-28".into(),
        due_on: Some("2026-12-28".into()),
        payment_days: Some(30),
        contract: ContractRef {
            id: "contract_j1".into(),
            version: 2,
            title: "Services agreement: Renewals Hub for Cobalt".into(),
        },
        seller: Party {
            legal_name: Some("Acme Services Ltd".into()),
            known_as: Some("Acme".into()),
        },
        buyer: Party {
            legal_name: Some("Cobalt SA".into()),
            known_as: Some("Cobalt".into()),
        },
        currency: "EUR".into(),
        contract_amount: 2_160_000,
        deposit_percent: Some(30),
        tax: Some(TaxRate {
            label: "VAT".into(),
            basis_points: 2_000,
        }),
        may_send: true,
        resumed: 0,
    }
}

fn host(dnc: bool) -> FakeHost {
    let dnc = if dnc {
        json!({ "reason": "asked" })
    } else {
        Value::Null
    };
    FakeHost::for_skill::<DraftInvoice>()
        .org(json!({ "user": { "name": "Jordan Avery" } }))
        .contact(json!({ "contact": { "name": "Marta Ruiz", "email": "marta@cobalt.example" }, "do_not_contact": dnc }))
}

/// The chain for `t`: the drafted invoice, and the sending step's output.
fn run(t: &InvoiceTerms, dnc: bool) -> (InvoiceDoc, Output) {
    let event = || Input::for_event("invoice_drafting", to_data(t).expect("json"));
    let drafted = host(dnc).run::<DraftInvoice>(event()).expect("drafts");
    assert!(drafted.actions.is_empty(), "drafting proposes nothing");
    let sent = host(dnc)
        .run::<DraftInvoice>(
            event()
                .with_params(json!({ "send": true }))
                .after("draft-invoice", drafted.data.clone()),
        )
        .expect("sends");
    let doc = InvoiceDoc::deserialize(&drafted.data["invoice"]).expect("an invoice");
    (doc, sent)
}

#[test]
fn the_deposit_is_billed_in_minor_units_with_tax_and_goes_out_once_approved() {
    let (i, sent) = run(&terms(), false);
    assert_eq!(i.problem(), None);
    assert!(i.gaps.is_empty(), "{:?}", i.gaps);
    assert_eq!(i.title, "Invoice INV-0007");
    assert_eq!(i.lines.len(), 1);
    assert_eq!(
        i.lines[0].description,
        "Deposit of 30% of €21,600 under Services agreement: Renewals Hub for Cobalt (v2)"
    );
    assert_eq!((i.subtotal, i.total), (648_000, 777_600));
    assert_eq!(i.tax.as_ref().map(|t| t.amount), Some(129_600));
    assert_eq!(i.due_on.as_deref(), Some("2026-12-28"));
    assert_eq!(sent.actions.len(), 1);
    let a = &sent.actions[0];
    assert_eq!(a.kind, ActionKind::EmailSend);
    assert_eq!(a.payload["to"], json!(["marta@cobalt.example"]));
    assert_eq!(
        a.payload["subject"],
        "Invoice INV-0007 — Services agreement: Renewals Hub for Cobalt"
    );
    let carried = InvoiceDoc::deserialize(&a.payload["document"]["invoice"]).expect("carried");
    assert_eq!(carried, i, "the email carries the draft itself");
    let body = a.payload["body"].as_str().expect("body");
    assert!(
        body.starts_with("Hi Marta,\n\nAttached is invoice INV-0007 for €7,776, due by 2026-12-28"),
        "{body}"
    );
    assert!(body.ends_with("Best,\nJordan\n"), "{body}");
}

#[test]
fn a_missing_rate_percent_or_due_date_is_named_never_guessed() {
    let (i, sent) = run(
        &InvoiceTerms {
            deposit_percent: None,
            tax: None,
            due_on: None,
            payment_days: None,
            ..terms()
        },
        false,
    );
    let missing: Vec<&str> = i.gaps.iter().map(|g| g.missing.as_str()).collect();
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(missing[0].contains("deposit percent"), "{missing:?}");
    assert!(missing[1].contains("tax rate"), "{missing:?}");
    assert!(missing[2].contains("payment days"), "{missing:?}");
    assert_eq!((i.total, i.tax.clone()), (0, None), "no amount is invented");
    assert!(sent.actions.is_empty());
    assert_eq!(sent.data["why_not"], "facts are missing");
}

#[test]
fn a_zero_rate_is_a_choice_not_a_gap() {
    let (i, _) = run(
        &InvoiceTerms {
            tax: Some(TaxRate {
                label: "VAT".into(),
                basis_points: 0,
            }),
            ..terms()
        },
        false,
    );
    assert!(i.gaps.is_empty(), "{:?}", i.gaps);
    assert_eq!(i.total, 648_000);
}

#[test]
fn nothing_is_sent_without_the_approval_or_to_a_do_not_contact() {
    let (_, sent) = run(
        &InvoiceTerms {
            may_send: false,
            ..terms()
        },
        false,
    );
    assert!(sent.actions.is_empty());
    assert_eq!(
        sent.data["why_not"],
        "the deal's commercial approval does not permit sending it yet"
    );
    let (_, sent) = run(&terms(), true);
    assert!(sent.actions.is_empty());
    assert_eq!(
        sent.data["why_not"],
        "the contact is on the do-not-contact list"
    );
}
