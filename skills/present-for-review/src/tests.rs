use super::*;
use baton_sdk::testing::{FakeHost, populated_proposal};

fn custom() -> Value {
    json!({
        "sections": [
            { "heading": "Executive summary", "body": "Northwind asked.\n\n> \"Our main problem is follow-ups.\"" },
            { "heading": "Pricing", "body": "- 40 seats × $540 = $21,600 {{stray}}" },
            { "heading": "Empty", "body": "{{nothing}}" }
        ],
        "cited": [], "roi": [], "written_by": "template"
    })
}

fn input(payload: Value, priced: bool) -> Input {
    Input::for_event("proposal_generation", payload)
        .after("populate-proposal", populated_proposal(priced))
        .after("generate-custom-sections", custom())
}

fn meeting() -> Value {
    json!({ "meeting_id": "m1", "request": "I'll send you a proposal.", "utterances": [] })
}

fn host() -> FakeHost {
    FakeHost::for_skill::<PresentForReview>()
        .org(json!({ "user": { "name": "Jordan Avery" }, "preferences": { "timezone": "America/New_York" } }))
        .contact(json!({ "contact": { "email": "marta.ruiz@northwind.example" }, "do_not_contact": null }))
}

fn send(out: &Output) -> ProposalSend {
    assert_eq!(out.actions.len(), 1);
    assert_eq!(out.actions[0].kind, ActionKind::ProposalSend);
    ProposalSend::deserialize(&out.actions[0].payload).expect("a ProposalSend")
}

#[test]
fn one_valid_proposal_send_by_email_to_the_contact() {
    let out = host()
        .run::<PresentForReview>(input(meeting(), true))
        .expect("runs");
    let s = send(&out);
    assert_eq!(s.problem(), None);
    assert_eq!(s.delivery, Delivery::Email);
    assert_eq!(s.to, ["marta.ruiz@northwind.example"]);
    assert_eq!(s.subject, "Proposal: Renewals Hub for Northwind Logistics");
    assert_eq!(s.in_reply_to, None);
    assert!(s.body.starts_with("Hi Marta,\n\nAs promised, here is our proposal for Northwind Logistics: Growth, 40 seats, $21,600 per year."), "{}", s.body);
    assert!(s.body.ends_with("Best,\nJordan\n"), "{}", s.body);
    let doc = &s.proposal;
    assert_eq!((doc.amount, doc.currency.as_str()), (2_160_000, "USD"));
    assert_eq!(doc.pricing[0].total, 2_160_000);
    assert_eq!(doc.sections.len(), 2, "the empty section is dropped");
    assert_eq!(doc.sections[1].body, "- 40 seats × $540 = $21,600");
    assert_eq!(out.data["unfilled"], json!(["stray", "nothing"]));
    let until = doc.valid_until.as_deref().expect("a date");
    assert!(until.len() == 10 && until.as_bytes()[4] == b'-', "{until}");
    assert!(
        out.actions[0].preview.contains("email to Marta Ruiz"),
        "{}",
        out.actions[0].preview
    );
}

#[test]
fn an_email_request_is_answered_in_its_thread() {
    let payload = json!({ "request": "Could you send a quote for 40 users?",
        "contact_email": "marta.ruiz@northwind.example", "subject": "Quote for Renewals Hub",
        "message_id": "<q1@northwind.example>" });
    let out = host()
        .run::<PresentForReview>(input(payload, true))
        .expect("runs");
    let s = send(&out);
    assert_eq!(s.subject, "Re: Quote for Renewals Hub");
    assert_eq!(s.in_reply_to.as_deref(), Some("<q1@northwind.example>"));
    assert!(s.body.contains("Thanks for your email."), "{}", s.body);
    assert_eq!(s.problem(), None);
}

#[test]
fn a_link_when_asked_or_when_email_cannot_go() {
    let out = host()
        .run::<PresentForReview>(input(meeting(), false).with_params(json!({ "delivery": "link" })))
        .expect("runs");
    let s = send(&out);
    assert_eq!(s.delivery, Delivery::Link);
    assert!(s.to.is_empty());
    assert_eq!(s.problem(), None);
    assert!(
        s.body.contains("40 seats, pricing to be confirmed"),
        "{}",
        s.body
    );
    let out = host()
        .contact(
            json!({ "contact": {}, "do_not_contact": { "email": "marta.ruiz@northwind.example" } }),
        )
        .run::<PresentForReview>(input(meeting(), true))
        .expect("runs");
    assert_eq!(send(&out).delivery, Delivery::Link);
    assert_eq!(
        out.data["delivery_note"],
        "the contact is on the do-not-contact list"
    );
}

#[test]
fn the_earlier_steps_are_required() {
    let err = host()
        .run::<PresentForReview>(Input::for_event("proposal_generation", meeting()))
        .expect_err("no steps");
    assert!(err.to_string().contains("populate-proposal"), "{err}");
}

/// Issue 40: what the rep should know rides on the gate, never in the
/// document or the email.
#[test]
fn notes_for_the_rep_stay_out_of_the_document() {
    let mut c = custom();
    c["notes_for_rep"] = json!([
        "The return on \"we lose time\" is left out: the hourly cost of that time is unknown."
    ]);
    let input = Input::for_event("proposal_generation", meeting())
        .after("populate-proposal", populated_proposal(true))
        .after("generate-custom-sections", c);
    let out = host().run::<PresentForReview>(input).expect("runs");
    let s = send(&out);
    assert_eq!(s.notes_for_rep.len(), 1);
    let document = format!("{}{:?}", s.body, s.proposal);
    assert!(!document.contains("hourly cost"), "{document}");
}
