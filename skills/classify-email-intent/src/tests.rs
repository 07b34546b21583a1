//! Skill-level tests through `run`, against the fake host.

use super::*;
use baton_sdk::testing::FakeHost;

fn email(from: &str, subject: &str, body: &str) -> Input {
    Input::for_event(
        "email_received",
        json!({ "message_id": "m-1", "thread_id": "t-1", "from": from, "subject": subject, "body": body }),
    )
}

fn run(input: Input) -> Result<Output, SkillError> {
    FakeHost::for_skill::<ClassifyEmailIntent>().run::<ClassifyEmailIntent>(input)
}

fn intent(subject: &str, body: &str) -> String {
    let out = run(email("Kit Ames <kit@harbour.example>", subject, body)).expect("runs");
    out.data["intent"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_meeting_request_queues_calendar_find_times() {
    let out = run(email(
        "Kit Ames <Kit@Harbour.example>",
        "Re: Yard scheduling",
        "Could we do a 30-minute call on Tuesday afternoon?\n\nKit\n\nOn Mon, 2 Jun 2025, Rep <rep@vendor.example> wrote:\n> Fancy a chat?",
    ))
    .expect("runs");
    assert_eq!(out.data["intent"], "meeting_request");
    assert_eq!(
        out.data["sender"],
        json!({ "email": "kit@harbour.example", "name": "Kit Ames" })
    );
    assert_eq!(out.follow_ups.len(), 1);
    let f = &out.follow_ups[0];
    assert_eq!(f.event_type, "calendar_find_times");
    assert_eq!(f.reason, "email asks to meet");
    assert_eq!(f.payload["contact_email"], "kit@harbour.example");
    assert_eq!(f.payload["message_id"], "m-1");
    assert_eq!(f.payload["thread_id"], "t-1");
    assert_eq!(f.payload["source"], "email");
    let request = f.payload["request"].as_str().unwrap_or_default();
    assert!(
        request.contains("Tuesday") && !request.contains("Fancy"),
        "{request}"
    );
    // The words that asked, their line in the email, who wrote them and
    // how sure the classifier was: for the gate the child opens.
    assert_eq!(
        f.payload["evidence"],
        json!({
            "quote": "Could we do a 30-minute call on Tuesday afternoon?",
            "speaker": "Kit Ames", "line": 1, "confidence": out.data["confidence"],
        })
    );
    assert!(out.actions.is_empty());
}

#[test]
fn a_proposal_request_queues_proposal_generation() {
    let out = run(email(
        "ops@quarry.example",
        "Numbers",
        "Could you send pricing for 14 seats, billed monthly?",
    ))
    .expect("runs");
    assert_eq!(out.data["intent"], "proposal_request");
    assert_eq!(out.data["sender"]["name"], Value::Null);
    let f = &out.follow_ups[0];
    assert_eq!(f.event_type, "proposal_generation");
    assert_eq!(f.payload["subject"], "Numbers");
    assert!((f.confidence - out.data["confidence"].as_f64().unwrap_or(0.0) as f32).abs() < 0.01);
    assert_eq!(
        f.payload["evidence"]["quote"],
        "Could you send pricing for 14 seats, billed monthly?"
    );
}

/// The evidence quotes what asked, never the greeting above it.
#[test]
fn fyi_queues_nothing_and_logs_without_the_body() {
    let (out, host) =
        FakeHost::for_skill::<ClassifyEmailIntent>().run_with::<ClassifyEmailIntent>(email(
            "Kit Ames <kit@harbour.example>",
            "Signed",
            "Signed copy attached for your records.",
        ));
    let out = out.expect("runs");
    assert_eq!(out.data["intent"], "fyi");
    assert!(out.follow_ups.is_empty());
    assert!(host.logs.iter().any(|(_, l)| l == "fyi: no action"));
    assert!(
        host.logs
            .iter()
            .all(|(_, l)| !l.contains("Signed copy") && !l.contains("kit@"))
    );
}

#[test]
fn headers_make_an_auto_reply_whatever_the_body() {
    let mut input = email(
        "kit@harbour.example",
        "Your message",
        "Thanks, I will get back to you.",
    );
    input.event.payload["headers"] = json!({ "AUTO-SUBMITTED": "auto-replied" });
    let out = run(input).expect("runs");
    assert_eq!(out.data["intent"], "out_of_office");
    assert_eq!(out.data["auto_reply"], true);
    assert_eq!(
        out.data["reasons"][0],
        "header Auto-Submitted: auto-replied"
    );
}

#[test]
fn an_automated_notification_is_not_an_absence() {
    let mut input = email(
        "Sign Service <noreply@sign.example>",
        "Completed: Master agreement",
        "All parties have signed. Log in to download the document.",
    );
    input.event.payload["headers"] = json!({ "Auto-Submitted": "auto-generated" });
    let out = run(input).expect("runs");
    assert_eq!(out.data["intent"], "fyi");
    assert_eq!(out.data["auto_reply"], true);
    let mut input = email(
        "kit@harbour.example",
        "Re: Intro",
        "I am on leave until 9 May.",
    );
    input.event.payload["headers"] =
        json!({ "auto-submitted": "auto-generated", "X-Autoreply": "yes" });
    assert_eq!(run(input).expect("runs").data["intent"], "out_of_office");
}

#[test]
fn a_huge_body_is_judged_by_its_opening() {
    let body = format!(
        "Could you send a quote for 12 seats?\n\n{}",
        "Background notes on our rollout plans.\n".repeat(20_000)
    );
    let out = run(email("kit@harbour.example", "Seats", &body)).expect("runs");
    assert_eq!(out.data["intent"], "proposal_request");
    let request = out.follow_ups[0].payload["request"]
        .as_str()
        .unwrap_or_default();
    assert!(request.chars().count() <= 2000);
}

#[test]
fn missing_fields_and_unknown_params_are_refused() {
    let err =
        run(Input::for_event("email_received", json!({ "body": "hi" }))).expect_err("no from");
    assert!(
        matches!(&err, SkillError::InvalidInput(m) if m.contains("`from`")),
        "{err}"
    );
    let err = run(Input::for_event(
        "email_received",
        json!({ "from": "a@b.example" }),
    ))
    .expect_err("no body");
    assert!(
        matches!(&err, SkillError::InvalidInput(m) if m.contains("`body`")),
        "{err}"
    );
    let err = run(email("a@b.example", "s", "b").with_params(json!({ "threshold": 1 })))
        .expect_err("param");
    assert!(matches!(err, SkillError::InvalidInput(_)));
    assert!(run(email("a@b.example", "s", "b").with_params(json!({}))).is_ok());
}

#[test]
fn tier_2_decides_interest_or_needs_response() {
    let input = || {
        email(
            "kit@harbour.example",
            "Re: Dock analytics",
            "Could you send a case study from a port operator?",
        )
    };
    let out = FakeHost::for_skill::<ClassifyEmailIntent>()
        .contact(
            json!({ "contact": { "id": "c1" }, "deal": { "stage": "evaluation" }, "meetings": [] }),
        )
        .run::<ClassifyEmailIntent>(input())
        .expect("runs");
    assert_eq!(out.data["intent"], "needs_response");
    let out = FakeHost::for_skill::<ClassifyEmailIntent>()
        .contact(json!({ "contact": { "id": "c1" }, "deal": null, "deals": [], "meetings": [] }))
        .run::<ClassifyEmailIntent>(input())
        .expect("runs");
    assert_eq!(out.data["intent"], "positive_interest");
    // No tier at all, or not granted: the text decides (a reply to outreach).
    let (out, host) = FakeHost::for_skill::<ClassifyEmailIntent>()
        .revoke("context:contact")
        .run_with::<ClassifyEmailIntent>(input());
    assert_eq!(out.expect("runs").data["intent"], "positive_interest");
    assert!(host.logs.iter().any(|(l, _)| *l == Level::Warn));
}

// ---- one test per rule, with our own sentences ----

#[test]
fn rule_1_quoted_and_forwarded_text_does_not_count() {
    assert_eq!(
        intent(
            "Re: Fleet telematics",
            "Thanks, received.\n\nOn Tue, 3 Jun 2025 at 09:00, Rep <rep@vendor.example> wrote:\n> Could you send me pricing for your fleet?\n> Would Thursday work for a call?",
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Fwd: market update",
            "Saw this and thought of you - nothing needed.\n\n---------- Forwarded message ---------\nFrom: Digest <d@news.example>\nPlease unsubscribe me. Could you send a quote?",
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Re: Compliance",
            "Can you send a quote for 40 seats?\n\n--\nPia Novak\nPlease remove me from the list if I'm the wrong contact"
        ),
        "proposal_request"
    );
}

#[test]
fn rule_2_precedence() {
    assert_eq!(
        intent(
            "Re: hi",
            "No interest at all, and please remove me from your mailing list."
        ),
        "unsubscribe"
    );
    assert_eq!(
        intent(
            "Re: hi",
            "Timing is great. Can you share rough prices first? If they fit I'll book a call."
        ),
        "proposal_request"
    );
    assert_eq!(
        intent(
            "Re: hi",
            "We've been meaning to fix this. I'm around Wednesday 2-4pm, send me an invite."
        ),
        "meeting_request"
    );
    assert_eq!(
        intent(
            "Re: Inventory tooling",
            "Your email landed at a good time. Does it plug into NetSuite?"
        ),
        "positive_interest"
    );
}

#[test]
fn rule_3_price_asks_and_clarifications() {
    assert_eq!(
        intent(
            "Cost?",
            "Roughly how much would this be for two depots? Ballpark is fine."
        ),
        "proposal_request"
    );
    assert_eq!(
        intent(
            "Re: Quote 77",
            "Thanks for the quote. Does the price include on-site training or is that extra?"
        ),
        "needs_response"
    );
    assert_eq!(
        intent("Plans", "Is SAML SSO in the Team plan or only Enterprise?"),
        "needs_response"
    );
    assert_eq!(
        intent(
            "Re: Proposal",
            "Thanks for the proposal. Could we get on a call with our CFO to walk through it on Friday?"
        ),
        "meeting_request"
    );
}

#[test]
fn rule_4_vague_openness_and_confirmations() {
    assert_eq!(
        intent(
            "Re: Intro",
            "Might be worth a chat at some point, once things calm down here."
        ),
        "positive_interest"
    );
    assert_eq!(
        intent(
            "Re: Thursday",
            "Great, 3pm Thursday is confirmed - see you then."
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Re: Thursday",
            "Thursday works, but could we start at 3:15 instead?"
        ),
        "meeting_request"
    );
}

#[test]
fn rule_6_deferrals() {
    assert_eq!(
        intent(
            "Re: Intro",
            "Not a priority this year. Feel free to check back in 2027."
        ),
        "not_interested"
    );
    assert_eq!(
        intent(
            "Re: Intro",
            "Still very interested - just not right now. Ping me again after the summer."
        ),
        "positive_interest"
    );
}

#[test]
fn rule_7_decline_versus_removal() {
    assert_eq!(
        intent("Re: Intro", "Thanks, but we've gone with another vendor."),
        "not_interested"
    );
    assert_eq!(
        intent("Re: Intro", "Please opt me out of this sequence."),
        "unsubscribe"
    );
    assert_eq!(
        intent(
            "Re: Deal",
            "Please close this one out on your side, we're not going ahead."
        ),
        "not_interested"
    );
    assert_eq!(
        intent("Re: Intro", "Under GDPR I ask you to erase my data."),
        "unsubscribe"
    );
}

#[test]
fn rule_8_absence_notices() {
    assert_eq!(
        intent(
            "Re: Demo",
            "I'm on paternity leave until March and not checking email."
        ),
        "out_of_office"
    );
    assert_eq!(
        intent(
            "Abwesenheitsnotiz: Angebot",
            "Ich bin bis 4. Mai nicht im Büro.\n\nI am out of the office until 4 May.",
        ),
        "out_of_office"
    );
    assert_eq!(
        intent(
            "Re: Intro",
            "Heads up: our office is closed for the bank holiday on Monday, so replies may be slow."
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Change of contact",
            "I'm moving role next month; Ravi will be your contact from June."
        ),
        "fyi"
    );
}

#[test]
fn rule_9_no_reply_needed() {
    assert_eq!(
        intent(
            "Re: Docs",
            "Got them, thanks - will go through with the team on Monday."
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Update",
            "The budget sign-off moved to the 30th. Nothing needed from you."
        ),
        "fyi"
    );
}

#[test]
fn passing_something_on_is_not_a_decline() {
    assert_eq!(
        intent(
            "Re: order form",
            "Got it, thanks. I'll pass it to our finance team for their records."
        ),
        "fyi"
    );
    assert_eq!(
        intent(
            "Re: your note",
            "Thanks, but we'll pass. Not something we need."
        ),
        "not_interested"
    );
}

#[test]
fn each_intent_is_written_as_its_label() {
    for i in Intent::ALL {
        assert_eq!(to_data(&i).expect("serializes"), json!(i.as_str()));
    }
    let schema = &ClassifyEmailIntent::manifest().output_schema;
    assert_eq!(
        schema["$defs"]["Intent"]["enum"],
        json!(Intent::ALL.map(Intent::as_str)),
        "{schema}"
    );
}

#[test]
fn a_contested_invoice_is_said_whatever_the_label() {
    let out = run(email(
        "Marta Ruiz <marta@northwind.example>",
        "Re: Invoice ACME-0001",
        "Hi Jordan,\n\nThe invoice is wrong: we agreed on 30 seats, not 40. Can we talk tomorrow?\n\nMarta",
    ))
    .expect("classifies");
    assert_eq!(
        out.data["billing_dispute"], "“wrong” about the invoice",
        "{}",
        out.data
    );
    let calm = run(email(
        "Marta Ruiz <marta@northwind.example>",
        "Re: Invoice ACME-0001",
        "Thanks, invoice received. We'll pay it next week.",
    ))
    .expect("classifies");
    assert!(calm.data.get("billing_dispute").is_none(), "{}", calm.data);
}
