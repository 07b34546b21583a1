//! The deposit invoice after the contract (issue 41), through `baton serve`
//! with the shipped `contract_drafting` and `invoice_drafting` sequences
//! and their skills, on both backends: once the legal approval of the
//! contract permits `deposit_invoice`, the invoice is drafted from the live
//! contract (the org's number, the deposit in integer minor units, the
//! org's tax, the due date, the contract reference) and a commercial
//! approval of it is asked; a decision under another class is refused
//! naming why; approved, its email waits at the rep's gate and goes out as
//! the rep to the loopback SMTP server with the invoice attached as a PDF,
//! read back here by `pdftotext`; the deal's log records each step. A
//! client's email contesting the bill (the shipped `email_received` chain)
//! blocks the commercial track and stops the waiting send until the
//! dispute is settled.

use super::contract::{
    accepted_on_its_page, approved_with_pdf, artifacts, northwind, settled, state,
};
use super::*;
use baton_tests::{Backend, PATIENCE, backend_test, poll};
use serde_json::json;

/// The shipped sequences, as the operator installs them.
const CONTRACT_SEQUENCE: &str = include_str!("../../../../sequences/contract_drafting.toml");
const INVOICE_SEQUENCE: &str = include_str!("../../../../sequences/invoice_drafting.toml");
const EMAIL_SEQUENCE: &str = include_str!("../../../../sequences/email_received.toml");

/// The live approval of `class` on the deal, as the state shows it.
fn approval<'a>(st: &'a Value, class: &str) -> &'a Value {
    st["state"]["approvals"]
        .as_array()
        .expect("approvals")
        .iter()
        .rfind(|a| a["class"] == class && a["state"] != "superseded")
        .unwrap_or_else(|| panic!("no live {class} approval: {st:#}"))
}

backend_test!(
    an_approved_contract_invoices_its_deposit_and_emails_it_once_approved,
    an_approved_contract_invoices_its_deposit_and_emails_it_once_approved_body
);

async fn an_approved_contract_invoices_its_deposit_and_emails_it_once_approved_body(
    backend: Backend,
) {
    let (smtp, db, s, deal) = northwind(
        backend,
        &[CONTRACT_SEQUENCE, INVOICE_SEQUENCE, EMAIL_SEQUENCE],
        &[
            "draft-contract",
            "draft-invoice",
            "classify-email-intent",
            "match-to-crm-contact",
            "draft-email-reply",
            "find-content",
        ],
        json!({ "legal_name": "Acme Services Ltd",
                "contract": { "payment_days": 30, "deposit_percent": 30 },
                "invoice": { "prefix": "ACME", "tax_percent": 20, "tax_label": "VAT" } }),
    )
    .await;
    // Accepted on its page, with the legal facts reported: the contract is
    // complete.
    accepted_on_its_page(&s).await;
    for (name, value) in [
        ("parties", json!({ "client": "Northwind Logistics GmbH" })),
        ("signatory", json!("Marta Ruiz, Head of Operations")),
        ("effective_date", json!("2027-01-04")),
    ] {
        let (status, r) = s
            .post(
                &format!("/v1/deals/{deal}/facts"),
                json!({ "name": name, "value": value, "source": "the signed order form", "kind": "document" }),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    settled(&s, "contract_drafting", 4).await;
    assert!(
        jobs_of(&s, "invoice_drafting").await.is_empty(),
        "no invoice before the legal approval permits it"
    );

    // Legal approves the contract: the deposit invoice is drafted and its
    // commercial approval asked.
    let st = state(&s, &deal).await;
    let legal = approval(&st, "legal_or_contract")["id"].clone();
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/approvals/{legal}/decision"),
            json!({ "class": "legal_or_contract", "state": "approved", "evidence": "clauses reviewed" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    settled(&s, "invoice_drafting", 1).await;
    let st = state(&s, &deal).await;
    assert_eq!(
        artifacts(&st, "invoice"),
        [(1, "draft".to_owned(), "draft, nothing missing".to_owned())],
        "{st:#}"
    );
    let commercial = approval(&st, "commercial");
    assert_eq!(commercial["subject"], "invoice ACME-0001", "{commercial}");
    assert_eq!(commercial["state"], "requested", "{commercial}");
    assert_eq!(commercial["scope"], json!(["send_invoice"]));
    assert_eq!(
        commercial["requested_at"],
        approval(&st, "legal_or_contract")["decided_at"],
        "asked on the service's clock (the test's stands still), not the wall's"
    );
    let log = st["events"].to_string();
    assert!(
        log.contains(
            "invoice ACME-0001 drafted under Services agreement: Renewals Hub for Northwind"
        ),
        "{log}"
    );
    let (_, gates) = s.get("/v1/approvals").await;
    assert!(
        !gates.to_string().contains("Invoice ACME-0001"),
        "no send before the commercial approval: {gates}"
    );

    // The invoice as the rep reads it.
    let invoice_id = st["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .find(|a| a["artifact"] == "invoice")
        .expect("invoice")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let cookie = s.inbox_login(&s.token).await;
    let (status, page) = s
        .inbox_get(
            &cookie,
            &format!("/inbox/deals/{deal}/documents/{invoice_id}"),
        )
        .await;
    assert_eq!(status, 200);
    for want in [
        "Invoice ACME-0001",
        "Billed to: Northwind Logistics GmbH (“Northwind”)",
        "Deposit of 30% of $21,600",
        "VAT at 20%",
        "$1,296",
        "$7,776",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }

    // Bad input: the invoice's approval decided as another class.
    let id = commercial["id"].clone();
    let decision = format!("/v1/deals/{deal}/approvals/{id}/decision");
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "legal_or_contract", "state": "approved", "evidence": "ok" }),
        )
        .await;
    assert_eq!(status, 409, "{r}");
    assert!(
        r["detail"]
            .as_str()
            .is_some_and(|d| d.contains("is a commercial approval")),
        "{r}"
    );

    // Approved: its email waits at the rep's gate.
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "commercial", "state": "approved", "evidence": "deposit matches the contract" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    // Given, the same decision under another class is still refused (it is
    // no retry of the one given).
    let (status, r) = s
        .post(
            &decision,
            json!({ "class": "legal_or_contract", "state": "approved", "evidence": "ok" }),
        )
        .await;
    assert_eq!(status, 409, "{r}");
    settled(&s, "invoice_drafting", 2).await;
    let job = jobs_of(&s, "invoice_drafting").await[0]["id"]
        .as_str()
        .expect("job")
        .to_owned();
    let gate = s.open_gate(&job).await;
    assert!(
        gate.to_string()
            .contains("Invoice ACME-0001 for Northwind Logistics GmbH"),
        "{gate}"
    );

    // Meanwhile Marta writes that the deposit is wrong: the classifier says
    // so, the commercial track is blocked with her email as evidence, and
    // the waiting send does not go out.
    let dispute = json!({ "type": "email_received", "user": "rep1", "payload": {
        "message_id": "<dispute-1@northwind.example>", "thread_id": "thr-northwind-contract",
        "from": format!("Marta Ruiz <{MARTA}>"), "subject": "Re: Services agreement: Renewals Hub for Northwind",
        "body": "Hi Jordan,\n\nThe deposit is wrong: we agreed on 20% upfront, not 30%.\n\nMarta",
        "received_at": "2026-11-28T09:00:00Z" } });
    let (status, r) = s.post("/v1/events", dispute).await;
    assert_eq!(status, 202, "{r}");
    let blocked = poll(PATIENCE, async || {
        let st = state(&s, &deal).await;
        let track = st["state"]["tracks"]
            .as_array()?
            .iter()
            .find(|t| t["name"] == "commercial")?
            .clone();
        (track["status"] == "blocked").then_some((st, track))
    })
    .await;
    let (st, track) = blocked.expect("the dispute blocks the commercial track");
    assert!(
        track["blockers"].to_string().contains("invoice sends stop"),
        "{track}"
    );
    let log = st["events"].to_string();
    assert!(
        log.contains("email from Marta Ruiz") && log.contains("“wrong” about the deposit"),
        "{log}"
    );
    let before = smtp.messages().len();
    let (status, r) = decide(&s, &gate, json!({ "decision": "approved" })).await;
    if status == 200 {
        let j = s
            .wait_job(&job, |j| {
                j["effects"][0]["status"]
                    .as_str()
                    .is_some_and(|st| !["pending", "scheduled", "sending"].contains(&st))
            })
            .await;
        assert_ne!(j["effects"][0]["status"], "delivered", "{j:#}");
        assert!(
            j.to_string().contains("commercial track is blocked"),
            "{j:#}"
        );
    } else {
        assert_eq!(status, 409, "the send was withdrawn: {r}");
    }
    assert_eq!(
        smtp.messages().len(),
        before,
        "nothing is sent in a dispute"
    );

    // Settled: the send is proposed again and goes out with the PDF.
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/events"),
            json!({ "event": "billing_setled", "evidence": "typo" }),
        )
        .await;
    assert_eq!(status, 422, "{r}");
    assert!(
        r["detail"]
            .as_str()
            .is_some_and(|d| d.contains("billing_settled")),
        "the events a route answers are named too: {r}"
    );
    let (status, r) = s
        .post(
            &format!("/v1/deals/{deal}/events"),
            json!({ "event": "billing_settled", "evidence": "Marta confirmed the 30% deposit on the call" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    settled(&s, "invoice_drafting", 3).await;
    let job = jobs_of(&s, "invoice_drafting").await[0]["id"]
        .as_str()
        .expect("job")
        .to_owned();
    let gate = s.open_gate(&job).await;
    assert_eq!(
        artifacts(&state(&s, &deal).await, "invoice").len(),
        1,
        "the same invoice asked for again is no new version"
    );
    let (subject, text) = approved_with_pdf(&s, &smtp, &job, &gate).await;
    assert_eq!(
        subject,
        "Invoice ACME-0001 — Services agreement: Renewals Hub for Northwind"
    );
    for want in [
        "Invoice ACME-0001",
        "Invoice number: ACME-0001",
        "Billed to: Northwind Logistics GmbH",
        "From: Acme Services Ltd",
        "Services agreement: Renewals Hub for Northwind (version",
        "VAT at 20%",
        "$6,480",
        "$1,296",
        "$7,776",
        "Due date: 20",
    ] {
        assert!(text.contains(want), "{want} in the PDF: {text}");
    }
    assert!(!text.contains("to be filled"), "{text}");

    // Sent, and the deal's log says so.
    let st = state(&s, &deal).await;
    assert_eq!(artifacts(&st, "invoice")[0].1, "current", "{st:#}");
    assert!(
        st["events"]
            .to_string()
            .contains("invoice v1 emailed to the client"),
        "{st:#}"
    );
    s.stop().await;
    db.finish().await;
}
