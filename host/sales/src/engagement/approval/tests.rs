use super::*;
use crate::engagement::{Engagement, Fact, Happening, Outcome, Side, SourceKind, WorkflowStatus};
use serde_json::{Value, json};

fn fact(v: Value, source: &str) -> Fact {
    Fact {
        value: v,
        source: source.into(),
        kind: SourceKind::Document,
        at: 1,
    }
}

fn event(name: &str) -> Happening {
    Happening {
        event: name.into(),
        actor: "rep:jordan".into(),
        facts: Vec::new(),
        artifact: None,
        evidence: "test".into(),
        artifact_log: None,
        resolve: None,
        approval: None,
    }
}

fn with_facts(name: &str, facts: &[(&str, Value)]) -> Happening {
    Happening {
        facts: facts
            .iter()
            .map(|(n, v)| ((*n).to_owned(), fact(v.clone(), "the accepted proposal")))
            .collect(),
        ..event(name)
    }
}

fn decision(id: u32, class: ApprovalClass, state: ApprovalState, permits: &[&str]) -> Happening {
    Happening {
        approval: Some(ApprovalStep::Decide(Decision {
            id,
            class,
            state,
            permits: permits.iter().map(|p| (*p).to_owned()).collect(),
            conditions: Vec::new(),
            evidence: "read clause 7".into(),
        })),
        ..event("approval_decided")
    }
}

/// An engagement just moved into the contract stage.
fn at_contract() -> (Workflow, Engagement) {
    let w = Workflow::shipped();
    let mut e = Engagement::start(&w, "d", "proposal");
    let (out, _) = e
        .apply(
            &w,
            &with_facts(
                "proposal_accepted",
                &[("accepted_proposal", json!("v1")), ("fees", json!(1200))],
            ),
            10,
        )
        .unwrap();
    assert!(matches!(out, Outcome::Moved { .. }), "{out:?}");
    (w, e)
}

fn signatory_and_all(e: &mut Engagement, w: &Workflow) {
    e.apply(
        w,
        &with_facts(
            "fact_reported",
            &[
                ("parties", json!("CompleteTech Ltd and Northwind GmbH")),
                ("signatory", json!("Marta Weiss, COO")),
                ("effective_date", json!("2026-12-01")),
            ],
        ),
        20,
    )
    .unwrap();
}

const LEGAL: ApprovalClass = ApprovalClass::LegalOrContract;

#[test]
fn entering_a_gated_stage_asks_for_its_approval_held_by_what_is_missing() {
    let (w, e) = at_contract();
    let a = e.approval(LEGAL, "contract_signed").unwrap();
    assert_eq!(a.id, 1);
    assert_eq!(a.state, ApprovalState::Blocked);
    assert_eq!(
        a.scope,
        ["contract_signed", "send_for_signature", "deposit_invoice"]
    );
    assert_eq!(
        a.blockers,
        [
            "parties is missing",
            "signatory is missing",
            "effective_date is missing"
        ]
    );
    assert_eq!(a.requested_at, 10);
    assert_eq!(e.status, WorkflowStatus::InReview);
    let next = e.next_decision.clone().unwrap();
    assert!(next.contains("signatory is missing"), "{next}");

    // It cannot be given until the facts are there; a rejection can be.
    let mut e2 = e.clone();
    let refused = e2
        .apply(&w, &decision(1, LEGAL, ApprovalState::Approved, &[]), 11)
        .unwrap_err();
    assert!(
        refused.0.contains("cannot be given yet") && refused.0.contains("signatory is missing"),
        "{refused}"
    );
    let (_, log) = e2
        .apply(&w, &decision(1, LEGAL, ApprovalState::Rejected, &[]), 11)
        .unwrap();
    assert_eq!(log[0].event_type, EventType::ApprovalChanged);
    // A rejection stays: the next happening does not ask again.
    e2.apply(&w, &event("fact_reported"), 12).unwrap();
    assert_eq!(e2.approvals.len(), 1);
    assert_eq!(e2.approvals[0].state, ApprovalState::Rejected);
}

#[test]
fn a_decision_outside_its_class_or_scope_is_refused_naming_why() {
    let (w, mut e) = at_contract();
    signatory_and_all(&mut e, &w);
    assert_eq!(e.approvals[0].state, ApprovalState::Requested);
    assert!(e.approvals[0].blockers.is_empty());

    let wrong_class = e
        .clone()
        .apply(
            &w,
            &decision(1, ApprovalClass::Commercial, ApprovalState::Approved, &[]),
            21,
        )
        .unwrap_err();
    assert!(
        wrong_class
            .0
            .contains("is a legal_or_contract approval, not commercial"),
        "{wrong_class}"
    );
    let outside = e
        .clone()
        .apply(
            &w,
            &decision(1, LEGAL, ApprovalState::Partial, &["send_invoice"]),
            21,
        )
        .unwrap_err();
    assert!(
        outside.0.contains("`send_invoice` is outside approval #1"),
        "{outside}"
    );
    let nobody = e
        .clone()
        .apply(&w, &decision(7, LEGAL, ApprovalState::Approved, &[]), 21)
        .unwrap_err();
    assert!(nobody.0.contains("no approval #7"), "{nobody}");
    let empty_partial = e
        .clone()
        .apply(&w, &decision(1, LEGAL, ApprovalState::Partial, &[]), 21)
        .unwrap_err();
    assert!(empty_partial.0.contains("names what it permits"));
}

#[test]
fn a_partial_approval_permits_only_its_part_and_reopening_supersedes() {
    let (w, mut e) = at_contract();
    signatory_and_all(&mut e, &w);
    e.apply(
        &w,
        &decision(1, LEGAL, ApprovalState::Partial, &["send_for_signature"]),
        30,
    )
    .unwrap();
    let a = &e.approvals[0];
    assert_eq!(
        (a.state, a.decided_by.as_deref(), a.decided_at),
        (ApprovalState::Partial, Some("rep:jordan"), Some(30))
    );
    assert!(
        e.permitted(LEGAL, "contract_signed", "send_for_signature")
            .is_ok()
    );
    let why = e
        .permitted(LEGAL, "contract_signed", "deposit_invoice")
        .unwrap_err();
    assert!(why.contains("permits send_for_signature only"), "{why}");

    // The signed contract reported now waits: the approval does not permit
    // the move.
    let (out, _) = e.apply(&w, &event("contract_signed"), 31).unwrap();
    assert!(
        matches!(&out, Outcome::Awaiting { approval, .. } if approval.starts_with("#1")),
        "{out:?}"
    );
    assert_eq!(e.stage, "contract");

    // Reopened in full: #1 is kept, superseded by #2.
    let (_, log) = e
        .apply(&w, &decision(1, LEGAL, ApprovalState::Approved, &[]), 32)
        .unwrap();
    assert!(log[0].notes.as_deref().unwrap().contains("reopening #1"));
    assert_eq!(e.approvals[0].state, ApprovalState::Superseded);
    assert_eq!(e.approvals[1].supersedes, Some(1));
    assert_eq!(e.approvals[1].permits.len(), 3);
    // Deciding the superseded one is refused, pointing at its successor.
    let stale = e
        .clone()
        .apply(&w, &decision(1, LEGAL, ApprovalState::Rejected, &[]), 33)
        .unwrap_err();
    assert!(stale.0.contains("decide #2"), "{stale}");

    // Reopened again in part: what it no longer permits stops.
    e.apply(
        &w,
        &decision(2, LEGAL, ApprovalState::Partial, &["deposit_invoice"]),
        34,
    )
    .unwrap();
    assert!(
        e.permitted(LEGAL, "contract_signed", "send_for_signature")
            .is_err()
    );
    assert!(
        e.permitted(LEGAL, "contract_signed", "deposit_invoice")
            .is_ok()
    );
    e.apply(&w, &decision(3, LEGAL, ApprovalState::Approved, &[]), 35)
        .unwrap();
    let (out, log) = e.apply(&w, &event("contract_signed"), 36).unwrap();
    assert_eq!(
        out,
        Outcome::Moved {
            from: "contract".into(),
            to: "delivery".into()
        }
    );
    assert_eq!(e.status, WorkflowStatus::Active, "{log:?}");
    let lifecycle = e.tracks.iter().find(|t| t.name == "lifecycle").unwrap();
    assert!(lifecycle.blockers.is_empty(), "{:?}", lifecycle.blockers);
}

#[test]
fn a_fact_disputed_after_the_approval_holds_what_it_permitted() {
    let (w, mut e) = at_contract();
    signatory_and_all(&mut e, &w);
    e.apply(&w, &decision(1, LEGAL, ApprovalState::Approved, &[]), 40)
        .unwrap();
    assert!(
        e.permitted(LEGAL, "contract_signed", "send_for_signature")
            .is_ok()
    );
    let crm = Happening {
        facts: vec![(
            "signatory".into(),
            Fact {
                value: json!("Marta Weiß, Chief Operating Officer"),
                source: "CRM contact".into(),
                kind: SourceKind::Crm,
                at: 41,
            },
        )],
        ..event("fact_reported")
    };
    e.apply(&w, &crm, 41).unwrap();
    let why = e
        .permitted(LEGAL, "contract_signed", "send_for_signature")
        .unwrap_err();
    assert!(why.contains("signatory is in dispute"), "{why}");
    let decide = Happening {
        resolve: Some(crate::engagement::Resolve {
            fact: "signatory".into(),
            keep: Side::Held,
        }),
        ..event("conflict_decided")
    };
    e.apply(&w, &decide, 42).unwrap();
    assert!(
        e.permitted(LEGAL, "contract_signed", "send_for_signature")
            .is_ok()
    );
}

#[test]
fn leaving_the_stage_lets_its_open_approval_lapse_and_asking_again_replaces_a_rejection() {
    let (w, mut e) = at_contract();
    e.apply(&w, &event("contract_reopened"), 50).unwrap();
    assert_eq!(e.stage, "proposal");
    assert_eq!(e.approvals[0].state, ApprovalState::Expired);
    assert!(e.approval(LEGAL, "contract_signed").is_none());

    let ask = |n: i64| Happening {
        approval: Some(ApprovalStep::Request {
            class: ApprovalClass::Commercial,
            subject: "discount above 15%".into(),
            scope: vec!["offer_discount".into()],
            needs: vec!["fees".into()],
        }),
        ..event(&format!("approval_requested_{n}"))
    };
    e.apply(&w, &ask(1), 51).unwrap();
    e.apply(&w, &ask(2), 52).unwrap();
    let commercial: Vec<&Approval> = e
        .approvals
        .iter()
        .filter(|a| a.class == ApprovalClass::Commercial)
        .collect();
    assert_eq!(commercial.len(), 1, "asked twice is one");
    let id = commercial[0].id;
    e.apply(
        &w,
        &decision(id, ApprovalClass::Commercial, ApprovalState::Rejected, &[]),
        53,
    )
    .unwrap();
    assert!(
        e.permitted(
            ApprovalClass::Commercial,
            "discount above 15%",
            "offer_discount"
        )
        .unwrap_err()
        .contains("rejected")
    );
    e.apply(&w, &ask(3), 54).unwrap();
    let again = e
        .approval(ApprovalClass::Commercial, "discount above 15%")
        .unwrap();
    assert_eq!(
        (again.state, again.supersedes),
        (ApprovalState::Requested, Some(id))
    );
}
