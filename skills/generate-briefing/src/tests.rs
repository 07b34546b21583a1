use super::*;
use baton_sdk::testing::FakeHost;

fn crm() -> Value {
    json!({
        "contact": { "name": "Aisha Bello", "email": "aisha.bello@harbourfreight.example", "title": "CFO" },
        "company": { "name": "Harbour Freight Partners", "domain": "harbourfreight.example", "industry": "freight", "employees": 320 },
        "deal": null,
        "deals": [{ "id": "d1", "name": "Harbour Freight forecast add-on", "stage": "proposal", "amount_cents": 540000, "currency": "GBP", "close_date": "2026-12-19" }],
        "activities": [], "meetings": [], "email_threads": []
    })
}

fn host() -> FakeHost {
    FakeHost::for_skill::<GenerateBriefing>()
        .org(json!({ "user": { "name": "Priya Natarajan" }, "preferences": { "timezone": "America/New_York" } }))
        .contact(crm())
}

fn meeting() -> Input {
    Input::for_event(
        "pre_meeting_90min",
        json!({ "meeting_id": "mtg-1", "title": "Harbour Freight forecast review",
                "contact_email": "aisha.bello@harbourfreight.example", "starts_at": "2026-11-24T16:00:00Z" }),
    )
}

fn researched() -> Input {
    meeting()
        .after(
            "enrich-attendees",
            json!({
                "provider_status": "ok", "degraded": false, "reason": null,
                "attendees": [{ "email": "aisha.bello@harbourfreight.example", "name": "Aisha Bello",
                                "title": "Chief Financial Officer", "company": "Harbour Freight Partners Ltd",
                                "seniority": "c_suite", "linkedin": "https://www.linkedin.com/in/aisha-bello", "source": "provider" }]
            }),
        )
        .after(
            "pull-crm-history",
            json!({
                "found": true,
                "company": { "name": "Harbour Freight Partners", "domain": "harbourfreight.example" },
                "deal": { "name": "Harbour Freight forecast add-on", "stage": "proposal", "amount": "£5,400",
                          "close_date": "2026-12-19", "days_to_close": 25 },
                "last_touches": [{ "kind": "call", "summary": "CFO asked for a revised payment schedule", "on": "2026-10-16", "days_ago": 39 }],
                "days_since_last_activity": 39,
                "open_threads": [{ "subject": "Payment schedule", "days_ago": 5 }],
                "past_meetings": [],
                "summary": "Harbour Freight forecast add-on is in proposal at £5,400, closing 2026-12-19; last touch 39 days before the meeting (call: CFO asked for a revised payment schedule)."
            }),
        )
        .after(
            "check-previous-action-items",
            json!({
                "open": 2, "overdue": 1,
                "items": [
                    { "text": "Send the revised payment schedule", "owner": "rep", "due": "2026-11-10", "overdue": true, "days_overdue": 14, "source": "event" },
                    { "text": "Confirm seat count", "owner": "prospect", "due": "2026-11-30", "overdue": false, "source": "event" }
                ]
            }),
        )
        .after(
            "research-company-news",
            json!({
                "provider_status": "ok",
                "items": [{ "title": "Harbour Freight opens a Rotterdam hub", "source": "Freight Weekly", "published_on": "2026-11-10" }]
            }),
        )
}

#[test]
fn a_full_briefing_is_grounded_in_the_research() {
    let out = host().run::<GenerateBriefing>(researched()).expect("runs");
    let d = &out.data;
    assert_eq!(d["title"], "Harbour Freight forecast review");
    assert_eq!(
        d["starts_local"], "Tue 24 Nov, 11:00 EST",
        "in the rep's zone"
    );
    assert_eq!(d["attendees"][0]["title"], "Chief Financial Officer");
    assert_eq!(d["attendees"][0]["source"], "provider");
    assert_eq!(d["enrichment"]["degraded"], false);
    assert_eq!(d["deal"]["amount"], "£5,400");
    assert_eq!(d["action_items"][0]["overdue"], true);
    assert_eq!(d["missing"], json!([]));
    let points: Vec<&str> = d["talking_points"]
        .as_array()
        .expect("points")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        points,
        [
            "Close the loop on \u{201c}Send the revised payment schedule\u{201d}: it was due 2026-11-10, 14 days before this meeting; bring it or a date.",
            "Harbour Freight forecast add-on (£5,400) is at proposal: get their reaction to it and agree the steps to the 2026-12-19 close, 25 days out.",
            "Pick up from the last touch (call, 2026-10-16): \u{201c}CFO asked for a revised payment schedule\u{201d}; that was 39 days ago, so open with what has changed since.",
        ]
    );
    let text = d["text"].as_str().expect("text");
    assert!(
        text.starts_with("Harbour Freight forecast review (Tue 24 Nov, 11:00 EST)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "- Aisha Bello, Chief Financial Officer at Harbour Freight Partners Ltd (c-suite)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "- OVERDUE 14 days: Send the revised payment schedule (rep, due 2026-11-10)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("- Harbour Freight opens a Rotterdam hub (Freight Weekly, 2026-11-10)\n"),
        "{text}"
    );
    assert!(
        text.contains("- Last touch: call on 2026-10-16 (39 days before the meeting): CFO asked for a revised payment schedule\n"),
        "{text}"
    );
    assert!(
        text.contains("- Open email threads: \u{201c}Payment schedule\u{201d}\n"),
        "{text}"
    );
    assert!(!text.contains("Note:"), "{text}");
    assert!(text.chars().count() < 3000);
}

#[test]
fn every_research_step_may_be_missing() {
    let out = host().run::<GenerateBriefing>(meeting()).expect("runs");
    let d = &out.data;
    assert_eq!(d["missing"].as_array().map(Vec::len), Some(4));
    assert_eq!(d["attendees"][0]["name"], "Aisha Bello");
    assert_eq!(d["attendees"][0]["source"], "crm");
    assert_eq!(
        d["deal"]["name"], "Harbour Freight forecast add-on",
        "straight from tier 2"
    );
    assert_eq!(d["deal"]["amount"], "£5,400");
    assert_eq!(d["enrichment"]["status"], "missing");
    let points = d["talking_points"].as_array().expect("points");
    assert_eq!(points.len(), 2, "only what the facts support: {points:?}");
    assert!(
        points[1]
            .as_str()
            .is_some_and(|p| p.starts_with("Aisha Bello (CFO) is attending")),
        "{points:?}"
    );
    let text = d["text"].as_str().expect("text");
    assert!(
        text.contains("Note: attendee enrichment did not run"),
        "{text}"
    );
    assert!(text.contains("Not checked (step failed or did not run): CRM history, earlier action items, company news."), "{text}");
    assert!(!text.contains("Open action items"), "{text}");
}

#[test]
fn degraded_enrichment_is_said_in_the_text() {
    let mut i = researched();
    i.previous[0].data = json!({
            "provider_status": "failed", "degraded": true,
            "reason": "enrichment degraded: the provider answered HTTP 500; attendees come from the CRM",
            "attendees": [{ "name": "Aisha Bello", "title": "CFO", "company": null, "source": "crm" }]
    });
    let out = host().run::<GenerateBriefing>(i).expect("runs");
    assert_eq!(out.data["enrichment"]["degraded"], true);
    let text = out.data["text"].as_str().expect("text");
    assert!(
        text.contains("Note: enrichment degraded: the provider answered HTTP 500"),
        "{text}"
    );
    assert!(text.contains("- Aisha Bello, CFO\n"), "{text}");
}

#[test]
fn nothing_known_still_briefs_without_inventing() {
    let out = FakeHost::for_skill::<GenerateBriefing>()
        .run::<GenerateBriefing>(Input::for_event(
            "pre_meeting_90min",
            json!({ "meeting_id": "m" }),
        ))
        .expect("runs");
    assert_eq!(out.data["title"], "Upcoming meeting");
    assert_eq!(out.data["talking_points"], json!([]));
    let text = out.data["text"].as_str().expect("text");
    assert!(text.contains("nobody from the customer is known"), "{text}");
}

#[test]
fn a_denied_tier_is_an_error() {
    let r = host()
        .revoke("context:org")
        .run::<GenerateBriefing>(meeting());
    assert!(matches!(r, Err(SkillError::Failed(m)) if m.contains("denied")));
}

#[test]
fn a_long_briefing_stays_short() {
    let mut i = researched();
    let many: Vec<Value> = (0..30)
        .map(|n| json!({ "text": format!("Item {n} {}", "word ".repeat(30)), "overdue": false }))
        .collect();
    i.previous[2].data = json!({ "items": many });
    let out = host().run::<GenerateBriefing>(i).expect("runs");
    let text = out.data["text"].as_str().expect("text");
    assert!(text.contains("- and 26 more\n"), "{text}");
    assert!(text.chars().count() < 3000, "{}", text.len());
}
