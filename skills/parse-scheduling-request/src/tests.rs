//! The skill through its surface: payload shapes, zones, params, errors.

use super::*;
use baton_sdk::testing::FakeHost;

fn host(tz: &str) -> FakeHost {
    FakeHost::for_skill::<ParseSchedulingRequest>().org(
        json!({ "preferences": { "timezone": tz }, "user": { "email": "jordan@acme.example" } }),
    )
}

fn run(payload: Value) -> Output {
    host("America/New_York")
        .run::<ParseSchedulingRequest>(Input::for_event("calendar_find_times", payload))
        .expect("runs")
}

#[test]
fn an_email_asking_for_times() {
    // Friday 20 November 2026, 15:00 in New York.
    let out = run(json!({
        "request": "Could we do a quick 15-min call Tue or Wed next week? Mornings before 11 work best (EST).",
        "contact_email": "marta.ruiz@northwind.example",
        "subject": "Re: Renewals Hub pricing",
        "message_id": "<m2@northwind.example>",
        "thread_id": "t-9",
        "source": "email",
        "received_at": "2026-11-20T20:00:00Z"
    }));
    let d = &out.data;
    assert_eq!(d["duration_min"], 15);
    assert_eq!(d["earliest"], "2026-11-24");
    assert_eq!(d["latest"], "2026-11-25");
    assert_eq!(d["days"], json!(["tue", "wed"]));
    assert_eq!(d["part_of_day"], "morning");
    assert_eq!(d["not_after_min"], 660);
    assert_eq!(d["not_before_min"], Value::Null);
    assert_eq!(d["prospect_timezone"], "America/New_York");
    assert_eq!(d["attendees"], json!(["marta.ruiz@northwind.example"]));
    assert_eq!(d["subject"], "Renewals Hub pricing");
    assert_eq!(
        d["reply_to"],
        json!({ "message_id": "<m2@northwind.example>", "thread_id": "t-9", "subject": "Renewals Hub pricing" })
    );
    assert_eq!(d["proposed"], json!([]));
    assert!(out.actions.is_empty() && out.follow_ups.is_empty());
}

#[test]
fn offered_times_are_utc_instants_read_in_their_zone() {
    let out = run(json!({
        "request": "I'm free Thursday 10–12 London time, or Friday at 3.",
        "contact_email": "sam@example.co.uk",
        "received_at": "2026-11-20T15:00:00Z"
    }));
    let d = &out.data;
    assert_eq!(d["prospect_timezone"], "Europe/London");
    assert_eq!(d["times_timezone"], "Europe/London");
    assert_eq!(
        d["proposed"],
        json!([
            { "start": "2026-11-26T10:00:00Z", "end": "2026-11-26T12:00:00Z" },
            { "start": "2026-11-27T15:00:00Z", "end": "2026-11-27T15:30:00Z" }
        ])
    );
}

#[test]
fn summer_and_winter_times_keep_the_wall_clock() {
    // "2:30" in New York is 18:30Z in July and 19:30Z in November.
    let at = |received: &str| {
        run(json!({ "request": "Thursday, could we start at 2:30?", "contact_email": "a@b.example", "received_at": received }))
            .data["proposed"][0]["start"]
            .clone()
    };
    assert_eq!(at("2026-07-13T15:00:00Z"), "2026-07-16T18:30:00Z");
    assert_eq!(at("2026-11-16T15:00:00Z"), "2026-11-19T19:30:00Z");
    // Across the change: said Friday 30 October, Thursday is 5 November (EST).
    assert_eq!(at("2026-10-30T15:00:00Z"), "2026-11-05T19:30:00Z");
}

#[test]
fn the_day_is_the_reps_day() {
    // 02:30Z on Saturday 21 November is still Friday evening in New York:
    // "tomorrow" is Saturday the 21st there, Sunday the 22nd in Tokyo.
    let payload = json!({ "request": "tomorrow?", "contact_email": "a@b.example", "received_at": "2026-11-21T02:30:00Z" });
    let ny = run(payload.clone());
    assert_eq!(ny.data["earliest"], "2026-11-21");
    let tokyo = host("Asia/Tokyo")
        .run::<ParseSchedulingRequest>(Input::for_event("calendar_find_times", payload))
        .expect("runs");
    assert_eq!(tokyo.data["earliest"], "2026-11-22");
}

#[test]
fn a_meeting_commitment_becomes_a_request() {
    let out = run(json!({
        "meeting_id": "m-7",
        "label": "commitment:schedule_meeting",
        "trigger_phrase": "Let's get an hour on the calendar early next week with your CFO",
        "utterance": 12,
        "contact_email": "marta.ruiz@northwind.example",
        "deal_name": "Northwind renewal",
        "title": "Northwind discovery call",
        "received_at": "2026-11-20T15:00:00Z"
    }));
    let d = &out.data;
    assert_eq!(d["duration_min"], 60);
    assert_eq!(d["earliest"], "2026-11-23");
    assert_eq!(d["latest"], "2026-11-24");
    assert_eq!(d["subject"], "Follow-up: Northwind discovery call");
    assert_eq!(d["reply_to"], Value::Null);
    assert_eq!(d["prospect_timezone"], Value::Null);
    assert_eq!(d["times_timezone"], "America/New_York");
}

#[test]
fn offers_come_soonest_first() {
    // Wednesday 18 November: Thursday is tomorrow, Wednesday a week on.
    let out = run(json!({
        "request": "maybe Wednesday or Thursday around 3?",
        "contact_email": "a@b.example",
        "received_at": "2026-11-18T15:00:00Z"
    }));
    assert_eq!(out.data["proposed"][0]["start"], "2026-11-19T20:00:00Z");
    assert_eq!(out.data["proposed"][1]["start"], "2026-11-25T20:00:00Z");
    assert_eq!(out.data["days"], json!(["wed", "thu"]));
}

#[test]
fn a_direct_request_with_its_own_length() {
    let out = run(json!({
        "request": "Find 30 minutes with Dana the week after next",
        "contact_email": "dana@example.com",
        "duration_minutes": 45,
        "received_at": "2026-11-20T15:00:00Z"
    }));
    assert_eq!(out.data["duration_min"], 45);
    assert_eq!(out.data["earliest"], "2026-11-30");
    assert_eq!(out.data["latest"], "2026-12-04");
}

#[test]
fn defaults_when_the_words_say_little() {
    let out = host("Europe/Berlin")
        .run::<ParseSchedulingRequest>(
            Input::for_event(
                "calendar_find_times",
                json!({ "contact_email": "a@b.example" }),
            )
            .with_params(json!({ "default_duration_min": 20 })),
        )
        .expect("runs");
    let d = &out.data;
    assert_eq!(d["duration_min"], 20);
    assert_eq!(d["earliest"], Value::Null);
    assert_eq!(d["days"], json!([]));
    assert_eq!(d["request_text"], "");
    assert_eq!(d["subject"], "");
}

#[test]
fn request_text_is_kept_short() {
    let long = "Thursday works. ".repeat(100);
    let out = run(json!({ "request": long, "contact_email": "a@b.example" }));
    assert_eq!(
        out.data["request_text"].as_str().map(|s| s.chars().count()),
        Some(500)
    );
}

#[test]
fn nothing_to_go_on_is_invalid_input_naming_what_is_missing() {
    let r = host("UTC").run::<ParseSchedulingRequest>(Input::for_event(
        "calendar_find_times",
        json!({ "source": "email", "subject": "hi" }),
    ));
    assert!(
        matches!(&r, Err(SkillError::InvalidInput(m)) if m.contains("request") && m.contains("contact_email")),
        "{r:?}"
    );
}

#[test]
fn params_are_strict() {
    let input = || Input::for_event("calendar_find_times", json!({ "request": "thursday" }));
    let r = host("UTC").run::<ParseSchedulingRequest>(input().with_params(json!({ "nope": 1 })));
    assert!(matches!(r, Err(SkillError::InvalidInput(_))));
    let r = host("UTC")
        .run::<ParseSchedulingRequest>(input().with_params(json!({ "default_duration_min": 0 })));
    assert!(matches!(r, Err(SkillError::InvalidInput(m)) if m.contains("default_duration_min")));
}

#[test]
fn without_a_known_zone_the_rep_is_in_utc_and_nothing_is_logged() {
    let (r, h) = FakeHost::for_skill::<ParseSchedulingRequest>().run_with::<ParseSchedulingRequest>(
        Input::for_event(
            "calendar_find_times",
            json!({ "request": "Thursday at 10am", "contact_email": "a@b.example", "received_at": "2026-11-20T15:00:00Z" }),
        ),
    );
    let out = r.expect("runs");
    assert_eq!(out.data["proposed"][0]["start"], "2026-11-26T10:00:00Z");
    assert!(h.logs.is_empty());
    let r = host("UTC")
        .revoke("context:org")
        .run::<ParseSchedulingRequest>(Input::for_event(
            "calendar_find_times",
            json!({ "request": "x" }),
        ));
    assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
}

/// Issue 40: every outside attendee of the meeting is invited, the
/// contact first, each once, never the rep, nothing that is not an address.
#[test]
fn every_outside_attendee_is_invited_once_and_never_the_rep() {
    let out = run(json!({
        "request": "Tuesday or Wednesday afternoon next week",
        "contact_email": "marta.ruiz@northwind.example",
        "attendees": ["Ken.Ito@northwind.example", "MARTA.RUIZ@northwind.example",
                      "jordan@acme.example", "Daniel", " daniel.moss@northwind.example "],
        "event_time": "2026-11-20T15:21:19Z"
    }));
    assert_eq!(
        out.data["attendees"],
        json!([
            "marta.ruiz@northwind.example",
            "Ken.Ito@northwind.example",
            "daniel.moss@northwind.example"
        ])
    );
    assert_eq!(out.data["days"], json!(["tue", "wed"]));
    assert_eq!(out.data["part_of_day"], "afternoon");
    assert_eq!(out.data["earliest"], "2026-11-24");
}
