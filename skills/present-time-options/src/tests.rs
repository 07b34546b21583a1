//! The skill through its surface: the gate on the first run, the effect
//! the choice makes on the re-run.

use super::*;
use baton_sdk::testing::FakeHost;

fn slots(prospect: Option<&str>, calendar: &str) -> Value {
    json!({
        "duration_min": 30,
        "rep_timezone": "America/New_York",
        "prospect_timezone": prospect,
        "window": { "start": "2026-11-23", "end": "2026-12-05" },
        "calendar": calendar,
        "slots": [
            { "start": "2026-11-25T15:00:00Z", "end": "2026-11-25T15:30:00Z",
              "rep_local": "Wed 25 Nov 10:00\u{2013}10:30 EST",
              "prospect_local": prospect.map(|_| "Wed 25 Nov 15:00\u{2013}15:30 GMT"),
              "score": 0.9, "reasons": ["sooner"], "warning": null },
            { "start": "2026-11-26T21:00:00Z", "end": "2026-11-26T21:30:00Z",
              "rep_local": "Thu 26 Nov 16:00\u{2013}16:30 EST",
              "prospect_local": prospect.map(|_| "Thu 26 Nov 21:00\u{2013}21:30 GMT"),
              "score": 0.4, "reasons": [], "warning": "\u{26a0}\u{fe0f} late for them (21:00 their time)" }
        ]
    })
}

fn request(attendees: Value) -> Value {
    json!({
        "duration_min": 30, "earliest": "2026-11-24", "latest": null,
        "prospect_timezone": "Europe/London", "part_of_day": null, "days": [], "proposed": [],
        "not_before_min": null, "not_after_min": null,
        "attendees": attendees,
        "subject": "Renewals Hub pricing",
        "request_text": "Could we find 30 minutes next week?",
        "reply_to": { "message_id": "<m2@northwind.example>", "thread_id": "t-9", "subject": "Renewals Hub pricing" }
    })
}

fn input(found: Value, req: Value) -> Input {
    Input::for_event("calendar_find_times", json!({ "request": "x" }))
        .after("parse-scheduling-request", req)
        .after("find-available-slots", found)
}

fn usual() -> Input {
    input(
        slots(Some("Europe/London"), "read"),
        request(json!(["marta.ruiz@northwind.example"])),
    )
}

fn host() -> FakeHost {
    FakeHost::for_skill::<PresentTimeOptions>().org(json!({
        "user": { "name": "Jordan Avery", "email": "jordan@acme.example" },
        "preferences": { "timezone": "America/New_York" }
    }))
}

#[test]
fn the_first_run_asks_the_rep_to_choose() {
    let (out, h) = host().run_with::<PresentTimeOptions>(usual());
    let out = out.expect("runs");
    assert!(out.actions.is_empty());
    assert_eq!(out.data["chosen"], Value::Null);
    assert_eq!(h.gates.len(), 1);
    let g = &h.gates[0];
    assert_eq!(g.key, "slot");
    assert_eq!(g.pattern, Pattern::Choose);
    assert_eq!(g.title, "Pick a time: Renewals Hub pricing");
    assert_eq!(
        g.options,
        [
            "Wed 25 Nov 10:00\u{2013}10:30 EST · 15:00 GMT for them",
            "Thu 26 Nov 16:00\u{2013}16:30 EST · 21:00 GMT for them \u{26a0}\u{fe0f} late for them",
            "Email these times to Marta",
        ]
    );
    assert_eq!(g.body["request"], "Could we find 30 minutes next week?");
    assert_eq!(g.body["slots"].as_array().map(Vec::len), Some(2));
    assert_eq!(g.body["starts"].as_array().map(Vec::len), Some(2));
    assert_eq!(g.body["calendar_note"], Value::Null);
    assert_eq!(g.body["email"]["subject"], "Re: Renewals Hub pricing");
    assert!(
        g.body["email"]["body"]
            .as_str()
            .is_some_and(|b| b.contains("15:00\u{2013}15:30 GMT"))
    );
    assert!(h.logs.is_empty());
}

#[test]
fn an_unread_calendar_is_noted_and_no_contact_means_no_email_option() {
    let (out, h) = host()
        .run_with::<PresentTimeOptions>(input(slots(None, "unavailable"), request(json!([]))));
    out.expect("runs");
    let g = &h.gates[0];
    assert_eq!(g.options.len(), 2);
    assert_eq!(g.options[0], "Wed 25 Nov 10:00\u{2013}10:30 EST");
    assert_eq!(g.body["email"], Value::Null);
    assert!(
        g.body["calendar_note"]
            .as_str()
            .is_some_and(|n| n.contains("could not be read"))
    );
}

#[test]
fn their_day_is_shown_when_it_is_not_the_reps() {
    let mut found = slots(Some("Australia/Sydney"), "read");
    found["slots"][0]["prospect_local"] = json!(null);
    let (_, h) = host().run_with::<PresentTimeOptions>(input(found, request(json!([]))));
    assert_eq!(
        h.gates[0].options[0],
        "Wed 25 Nov 10:00\u{2013}10:30 EST · Thu 02:00 AEDT for them"
    );
}

#[test]
fn no_slots_means_no_gate() {
    let mut found = slots(None, "read");
    found["slots"] = json!([]);
    let (out, h) = host().run_with::<PresentTimeOptions>(input(found, request(json!([]))));
    let out = out.expect("runs");
    assert!(h.gates.is_empty());
    assert!(out.actions.is_empty());
    assert_eq!(out.data["offered"], 0);
    assert_eq!(out.data["sent_as"], Value::Null);
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("no free time"))
    );
}

#[test]
fn choosing_a_slot_proposes_the_invite() {
    let (out, h) = host()
        .decided("slot", Decision::Chosen(1))
        .run_with::<PresentTimeOptions>(usual());
    let out = out.expect("runs");
    assert!(h.gates.is_empty(), "a decided gate is not asked again");
    assert_eq!(out.data["chosen"], 1);
    assert_eq!(out.data["sent_as"], "invite");
    assert_eq!(out.data["slot"]["start"], "2026-11-26T21:00:00Z");
    assert_eq!(out.actions.len(), 1);
    let a = &out.actions[0];
    assert_eq!(a.kind, ActionKind::CalendarInvite);
    assert_eq!(a.payload["title"], "Renewals Hub pricing");
    assert_eq!(a.payload["start"], "2026-11-26T21:00:00Z");
    assert_eq!(a.payload["end"], "2026-11-26T21:30:00Z");
    assert_eq!(
        a.payload["attendees"],
        json!(["marta.ruiz@northwind.example"])
    );
    assert_eq!(a.payload["organizer"], "jordan@acme.example");
    assert_eq!(a.payload["timezone"], "America/New_York");
    assert!(
        a.payload["description"]
            .as_str()
            .is_some_and(|d| d.contains("30 minutes"))
    );
    assert!(!a.preview.contains('@'), "{}", a.preview);
}

#[test]
fn choosing_email_proposes_one_reply_listing_their_times() {
    let out = host()
        .decided("slot", Decision::Chosen(2))
        .run::<PresentTimeOptions>(usual())
        .expect("runs");
    assert_eq!(
        out.data,
        json!({ "chosen": 2, "slot": null, "sent_as": "email" })
    );
    assert_eq!(out.actions.len(), 1);
    let p = &out.actions[0].payload;
    assert_eq!(out.actions[0].kind, ActionKind::EmailSend);
    assert_eq!(p["to"], "marta.ruiz@northwind.example");
    assert_eq!(p["subject"], "Re: Renewals Hub pricing");
    assert_eq!(p["in_reply_to"], "<m2@northwind.example>");
    assert_eq!(p["references"], "<m2@northwind.example>");
    let body = p["body"].as_str().expect("body");
    assert!(body.starts_with("Hi Marta,\n\n"), "{body}");
    assert!(
        body.contains("- Wed 25 Nov 15:00\u{2013}15:30 GMT\n"),
        "{body}"
    );
    assert!(
        body.contains("- Thu 26 Nov 21:00\u{2013}21:30 GMT\n"),
        "{body}"
    );
    assert!(body.contains("Here are a few times"), "{body}");
    assert!(body.contains("Does one of these work for you?"), "{body}");
    assert!(!body.contains("Jordan"), "the host signs: {body}");
}

#[test]
fn an_email_without_a_thread_or_their_zone() {
    let mut req = request(json!(["info@northwind.example"]));
    req["reply_to"] = Value::Null;
    req["subject"] = json!("");
    let out = host()
        .decided("slot", Decision::Chosen(2))
        .run::<PresentTimeOptions>(input(slots(None, "read"), req))
        .expect("runs");
    let p = &out.actions[0].payload;
    assert_eq!(p["subject"], "Times for a call");
    assert!(p.get("in_reply_to").is_none());
    let body = p["body"].as_str().expect("body");
    assert!(body.starts_with("Hi there,"), "{body}");
    assert!(
        body.contains("- Wed 25 Nov 10:00\u{2013}10:30 EST\n"),
        "{body}"
    );
}

#[test]
fn an_invite_without_a_subject_is_a_follow_up_call() {
    let mut req = request(json!([]));
    req["subject"] = json!("");
    let out = host()
        .decided("slot", Decision::Chosen(0))
        .run::<PresentTimeOptions>(input(slots(None, "read"), req))
        .expect("runs");
    assert_eq!(out.actions[0].payload["title"], "Follow-up call");
    assert_eq!(out.actions[0].payload["attendees"], json!([]));
}

#[test]
fn a_skip_or_cancel_proposes_nothing() {
    for d in [Decision::Skipped, Decision::Cancelled] {
        let (out, h) = host()
            .decided("slot", d)
            .run_with::<PresentTimeOptions>(usual());
        let out = out.expect("runs");
        assert!(out.actions.is_empty());
        assert!(h.gates.is_empty());
        assert_eq!(out.data["chosen"], Value::Null);
        assert_eq!(out.data["sent_as"], Value::Null);
    }
}

#[test]
fn a_choice_past_the_options_or_the_wrong_decision_is_invalid() {
    let r = host()
        .decided("slot", Decision::Chosen(3))
        .run::<PresentTimeOptions>(usual());
    assert!(matches!(r, Err(SkillError::InvalidInput(m)) if m.contains("option 3")));
    let r = host()
        .decided("slot", Decision::Approved)
        .run::<PresentTimeOptions>(usual());
    assert!(matches!(r, Err(SkillError::InvalidInput(_))));
}

#[test]
fn params_are_strict_and_steps_can_be_renamed() {
    let r = host().run::<PresentTimeOptions>(usual().with_params(json!({ "nope": 1 })));
    assert!(matches!(r, Err(SkillError::InvalidInput(_))));
    let mut i = usual().with_params(json!({ "slots_step": "slots" }));
    i.previous[1].step = "slots".into();
    let (_, h) = host().run_with::<PresentTimeOptions>(i);
    assert_eq!(h.gates[0].options.len(), 3);
}

#[test]
fn without_approvals_the_gate_is_denied() {
    let r = host()
        .revoke("approvals")
        .run::<PresentTimeOptions>(usual());
    assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
}

/// Issue 40: everyone from outside the request step names is invited and
/// emailed, not only the first.
#[test]
fn every_attendee_is_invited_and_emailed() {
    let two = || {
        input(
            slots(Some("Europe/London"), "read"),
            request(json!([
                "marta.ruiz@northwind.example",
                "ken.ito@northwind.example"
            ])),
        )
    };
    let (out, h) = host().run_with::<PresentTimeOptions>(two());
    out.expect("runs");
    let gate = &h.gates[0];
    assert_eq!(
        gate.options.last().map(String::as_str),
        Some("Email these times to Marta and Ken")
    );
    assert_eq!(
        gate.body["attendees"],
        json!(["marta.ruiz@northwind.example", "ken.ito@northwind.example"])
    );
    let out = host()
        .decided("slot", Decision::Chosen(0))
        .run::<PresentTimeOptions>(two())
        .expect("runs");
    assert_eq!(
        out.actions[0].payload["attendees"],
        json!(["marta.ruiz@northwind.example", "ken.ito@northwind.example"])
    );
    let out = host()
        .decided("slot", Decision::Chosen(2))
        .run::<PresentTimeOptions>(two())
        .expect("runs");
    let p = &out.actions[0].payload;
    assert_eq!(
        p["to"],
        "marta.ruiz@northwind.example, ken.ito@northwind.example"
    );
    assert!(
        p["body"]
            .as_str()
            .is_some_and(|b| b.starts_with("Hi Marta and Ken,\n\n")),
        "{p:#}"
    );
}
