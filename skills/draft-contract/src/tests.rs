use super::*;
use baton_sdk::proposal::PriceLine;
use baton_sdk::testing::FakeHost;
use serde::Deserialize;

fn terms() -> ContractTerms {
    ContractTerms {
        deal_id: "d1".into(),
        proposal_id: "p2".into(),
        proposal_version: 2,
        proposal_title: "Renewals Hub for Cobalt".into(),
        accepted_on: "2026-11-26".into(),
        provider: Party {
            legal_name: Some("Acme Services Ltd".into()),
            known_as: Some("Acme".into()),
        },
        client: Party {
            legal_name: None,
            known_as: Some("Cobalt".into()),
        },
        client_signatory: None,
        provider_signatory: None,
        effective_date: None,
        currency: "EUR".into(),
        pricing: vec![PriceLine {
            item: "Growth seats".into(),
            quantity: 40,
            unit_amount: 54_000,
            total: 2_160_000,
        }],
        amount: 2_160_000,
        sections: vec![
            Section {
                heading: "Executive summary".into(),
                body: "Cobalt asked.".into(),
            },
            Section {
                heading: "What we propose".into(),
                body:
                    "Renewals Hub for 40 seats at Cobalt.\n\n- Renewal alerts\n- Drafted follow-ups"
                        .into(),
            },
        ],
        payment_days: Some(30),
        deposit_percent: Some(30),
        may_send: false,
    }
}

fn complete() -> ContractTerms {
    ContractTerms {
        client: Party {
            legal_name: Some("Cobalt SA".into()),
            known_as: Some("Cobalt".into()),
        },
        client_signatory: Some(Signatory {
            name: "Inès Moreau".into(),
            title: Some("CFO".into()),
        }),
        effective_date: Some("2027-01-04".into()),
        may_send: true,
        ..terms()
    }
}

fn host() -> FakeHost {
    FakeHost::for_skill::<DraftContract>()
        .org(json!({ "user": { "name": "Jordan Avery" } }))
        .contact(json!({ "contact": { "name": "Marta Ruiz", "email": "marta@cobalt.example" }, "do_not_contact": null }))
}

/// The chain for `t`: the drafting step's output, and the sending step's.
fn run(t: &ContractTerms) -> (Output, Output) {
    let event = || Input::for_event("contract_drafting", to_data(t).expect("json"));
    let drafted = host().run::<DraftContract>(event()).expect("drafts");
    let sent = host()
        .run::<DraftContract>(
            event()
                .with_params(json!({ "send": true }))
                .after("draft-contract", drafted.data.clone()),
        )
        .expect("sends");
    assert!(drafted.actions.is_empty(), "drafting proposes nothing");
    (drafted, sent)
}

#[test]
fn missing_legal_facts_are_named_never_invented_and_nothing_is_sent() {
    let (out, sent) = run(&terms());
    let c: ContractDoc = ContractDoc::deserialize(&out.data["contract"]).expect("doc");
    let gaps: Vec<(&str, &str)> = c
        .gaps
        .iter()
        .map(|g| (g.fact.as_str(), g.missing.as_str()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("parties", "Cobalt's registered legal name"),
            ("signatory", "who signs for Cobalt, by name and title"),
            ("effective_date", "the date the agreement takes effect"),
        ]
    );
    assert_eq!(c.client_signatory, None);
    assert_eq!(c.effective_date, None);
    assert!(sent.actions.is_empty(), "a contract with gaps is not sent");
    assert_eq!(sent.data["why_not"], "facts are missing");
}

#[test]
fn a_complete_draft_keeps_the_accepted_terms_and_goes_out_for_signature() {
    let (out, sent) = run(&complete());
    let c: ContractDoc = ContractDoc::deserialize(&out.data["contract"]).expect("doc");
    assert!(c.gaps.is_empty(), "{:?}", c.gaps);
    assert_eq!(c.problem(), None);
    assert_eq!((c.amount, c.fees.len()), (2_160_000, 1));
    assert_eq!(
        c.services,
        [
            "Renewals Hub for 40 seats at Cobalt.",
            "Renewal alerts",
            "Drafted follow-ups"
        ]
    );
    assert_eq!(
        c.terms_source,
        "Proposal v2 “Renewals Hub for Cobalt”, accepted 2026-11-26"
    );
    let payment = &c.clauses[0].body;
    assert!(
        payment.contains("Cobalt SA pays Acme Services Ltd the fees set out above, €21,600 in all")
            && payment.contains("A deposit of 30% (€6,480)")
            && payment.contains("within 30 days"),
        "{payment}"
    );
    assert!(
        c.clauses[1]
            .body
            .starts_with("This agreement takes effect on 2027-01-04")
    );
    assert_eq!(sent.actions.len(), 1);
    let a = &sent.actions[0];
    assert_eq!(a.kind, ActionKind::EmailSend);
    assert_eq!(a.payload["to"], json!(["marta@cobalt.example"]));
    assert_eq!(a.payload["document"]["kind"], "contract");
    let carried: ContractDoc =
        ContractDoc::deserialize(&a.payload["document"]["contract"]).expect("the contract");
    assert_eq!(carried, c, "the email carries the draft itself");
    let body = a.payload["body"].as_str().expect("body");
    assert!(body.starts_with("Hi Marta,"), "{body}");
    assert!(
        body.contains("ready for Inès Moreau to sign for Cobalt SA"),
        "the contact is not the signatory: {body}"
    );
    assert!(body.ends_with("Best,\nJordan\n"), "{body}");
}

#[test]
fn nothing_is_sent_until_the_approval_permits_it() {
    let (out, sent) = run(&ContractTerms {
        may_send: false,
        ..complete()
    });
    assert!(sent.actions.is_empty());
    assert!(
        sent.data["why_not"]
            .as_str()
            .is_some_and(|w| w.contains("approvals do not permit"))
    );
    let c: ContractDoc = ContractDoc::deserialize(&out.data["contract"]).expect("doc");
    assert!(c.gaps.is_empty());
}

#[test]
fn a_signatory_without_a_title_is_a_gap() {
    let t = ContractTerms {
        client_signatory: Some(Signatory {
            name: "Inès Moreau".into(),
            title: None,
        }),
        ..complete()
    };
    let c = draft(&t);
    assert_eq!(c.gaps.len(), 1);
    assert_eq!(
        c.gaps[0].missing,
        "the title of Inès Moreau, who signs for Cobalt SA"
    );
}

#[test]
fn terms_that_do_not_add_up_are_refused() {
    let t = ContractTerms {
        amount: 1,
        ..complete()
    };
    let err = host()
        .run::<DraftContract>(Input::for_event(
            "contract_drafting",
            to_data(&t).expect("json"),
        ))
        .expect_err("refused");
    assert!(format!("{err:?}").contains("add up"), "{err:?}");
}

#[test]
fn without_a_scope_section_the_services_are_those_of_the_proposal_by_reference() {
    let t = ContractTerms {
        sections: vec![Section {
            heading: "Summary".into(),
            body: "Northwind asked.".into(),
        }],
        ..complete()
    };
    let c = draft(&t);
    assert_eq!(
        c.services,
        ["The services set out in Proposal v2 “Renewals Hub for Cobalt”, accepted 2026-11-26."]
    );
    assert_eq!(c.problem(), None);
}
