use super::*;
use baton_sdk::events::morning_brief::Composed;

use baton_sdk::testing::FakeHost;

fn gate(id: &str, title: &str, pattern: &str) -> Value {
    let approve = (pattern != "choose").then(|| format!("org1:{id}:approve"));
    json!({ "id": id, "title": title, "step": "draft-reply", "pattern": pattern,
            "opened_at": "2026-11-23T20:00:00Z", "approve_value": approve,
            "inbox_path": format!("/inbox/approvals/{id}") })
}

fn snapshot() -> Value {
    json!({
        "date": "2026-11-24", "weekday": "Tuesday", "scheduled": true,
        "rep": { "handle": "rep1", "name": "Jordan Avery", "timezone": "America/New_York" },
        "meetings": [
            { "meeting_id": "m1", "title": "Northwind pricing follow-up", "starts_at": "2026-11-24T14:30:00Z",
              "starts_local": "09:30", "contact_name": "Marta Ruiz", "company": "Northwind Logistics",
              "prep": { "status": "ready", "job_id": "j-prep", "due_local": "08:00" } },
            { "meeting_id": "m2", "title": "Cobalt site visit", "starts_at": "2026-11-24T19:00:00Z",
              "starts_local": "14:00", "prep": { "status": "scheduled", "due_local": "12:30" } }
        ],
        "attention": {
            "threads": [{ "job_id": "j-mail", "contact_name": "Tomasz Nowak", "company": "Cobalt Warehousing",
                          "subject": "Pricing for 3 sites", "received_at": "2026-11-23T22:00:00Z",
                          "state": "draft_waiting", "gate": gate("g-reply", "Reply to Tomasz", "confirm") }],
            "gates": { "count": 3, "oldest_at": "2026-11-23T14:00:00Z", "oldest_hours": 18,
                       "items": [gate("g-old", "Follow-up to Marta", "confirm"), gate("g-reply", "Reply to Tomasz", "confirm"),
                                 gate("g-pick", "Pick a time", "choose")] }
        },
        "pipeline": { "stale_after_days": 14,
            "deals": [{ "id": "d2", "name": "Cobalt multi-site expansion", "stage": "negotiation", "currency": "USD",
                        "amount_cents": 7_560_000, "days_inactive": 21 }],
            "proposals_awaiting": [{ "currency": "USD", "amount_cents": 1_250_000, "count": 1 },
                                   { "currency": "GBP", "amount_cents": 540_000, "count": 1 }] },
        "overnight": {
            "since": "2026-11-23T13:00:00Z",
            "jobs_finished": [{ "event_type": "email_received", "status": "completed", "count": 2 },
                              { "event_type": "pre_meeting_90min", "status": "failed", "count": 1 }],
            "emails_classified": [{ "label": "needs_response", "count": 1 }, { "label": "fyi", "count": 1 }],
            "proposals_viewed": [{ "proposal_id": "p1", "title": "Cobalt proposal", "deal_name": "Cobalt multi-site expansion",
                                   "views": 2, "first_viewed_at": "2026-11-24T02:00:00Z" }]
        },
        "inbox_path": "/inbox"
    })
}

fn analysis() -> Value {
    json!({
        "needs_action": [{ "id": "d2", "name": "Cobalt multi-site expansion", "stage": "negotiation", "company": null,
                           "days_inactive": 21, "reasons": ["21 days without activity"], "score": 50 }],
        "at_risk": [{ "id": "d2", "name": "Cobalt multi-site expansion", "stage": "negotiation", "company": null,
                      "days_inactive": 21, "reasons": ["21 days without activity"], "score": 50 }],
        "changed": [], "open_value": [{ "currency": "USD", "amount_cents": 7_560_000, "count": 1 }],
        "proposals_awaiting": [], "open_deals": 1
    })
}

fn compose(payload: Value, analysis: Option<Value>) -> Value {
    let mut input = Input::for_event("morning_brief", payload);
    if let Some(a) = analysis {
        input = input.after("pipeline-analysis", a);
    }
    let (out, host) =
        FakeHost::for_skill::<ComposeMorningBrief>().run_with::<ComposeMorningBrief>(input);
    let out = out.expect("runs");
    assert!(host.denied.is_empty() && host.gates.is_empty() && out.actions.is_empty());
    out.data
}

#[test]
fn writes_the_four_sections_with_their_facts() {
    let data = compose(snapshot(), Some(analysis()));
    let brief: Composed = serde_json::from_value(data.clone()).expect("reads as Composed");
    assert_eq!(brief.title, "Good morning, Jordan. Here's your Tuesday.");
    let keys: Vec<&str> = brief.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["meetings", "attention", "pipeline", "overnight"]);
    let text = &brief.text;
    for needle in [
        "MEETINGS TODAY (2)",
        "09:30 -- Marta Ruiz, Northwind Logistics (Northwind pricing follow-up) · Prep ready",
        "14:00 -- Cobalt site visit · Prep at 12:30",
        "NEEDS YOUR ATTENTION (3)",
        "Tomasz Nowak (Cobalt Warehousing) -- awaiting your reply \"Pricing for 3 sites\": a drafted reply waits for your approval",
        "Follow-up to Marta -- waiting for your approval",
        "3 approvals waiting in all, the oldest for 18 hours",
        "1 deal needs action today",
        "1 deal at risk (Cobalt multi-site expansion -- 21 days no activity)",
        "$12,500 + £5,400 in proposals awaiting response (2 proposals)",
        "✓ 2 jobs finished: email reply (2)",
        "✗ 1 job stopped: meeting preparation (1)",
        "✉ 2 emails classified: 1 needs response, 1 fyi",
        "👀 Proposal \"Cobalt proposal\" (Cobalt multi-site expansion) viewed 2 times",
        "[Expand pipeline ->] [Show full inbox ->]",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert_eq!(data["counts"]["attention"], 3);
    assert_eq!(
        brief.sections[0].lines[0].link.as_deref(),
        Some("/inbox/jobs/j-prep")
    );
    assert_eq!(
        brief.sections[1].lines[0].link.as_deref(),
        Some("/inbox/approvals/g-reply")
    );
}

#[test]
fn block_kit_buttons_approve_or_open_each_gate_one_click_can_answer() {
    let data = compose(snapshot(), Some(analysis()));
    let blocks = data["blocks"].as_array().expect("blocks").clone();
    assert!(blocks.len() <= 50);
    assert_eq!(blocks[0]["type"], "header");
    let actions: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "actions").collect();
    // The reply, the follow-up (the choice is opened in the inbox), the links.
    assert_eq!(actions.len(), 3, "{blocks:#?}");
    assert_eq!(actions[0]["block_id"], "brief:attention:0");
    assert_eq!(actions[0]["elements"][0]["value"], "org1:g-reply:approve");
    assert_eq!(actions[0]["elements"][0]["text"]["text"], "Approve reply");
    assert_eq!(actions[0]["elements"][1]["url"], "/inbox/approvals/g-reply");
    assert_eq!(actions[1]["elements"][0]["value"], "org1:g-old:approve");
    assert_eq!(actions[2]["block_id"], "brief:links");
    assert_eq!(actions[2]["elements"][1]["url"], "/inbox");
    let all = Value::Array(blocks.clone()).to_string();
    assert!(
        all.contains("Pick a time -- waiting for you to pick one"),
        "{all}"
    );
    for b in &blocks {
        if let Some(t) = b["text"]["text"].as_str() {
            let max = if b["type"] == "header" {
                blocks::HEADER_TEXT
            } else {
                blocks::SECTION_TEXT
            };
            assert!(t.chars().count() <= max);
        }
    }
}

#[test]
fn text_from_outside_is_escaped_in_blocks_and_kept_in_the_text() {
    let mut s = snapshot();
    s["meetings"][0]["title"] = json!("<!channel> & <https://evil.example|win>");
    let data = compose(s, None);
    let all = data["blocks"].to_string();
    assert!(!all.contains("<!channel>"), "{all}");
    assert!(all.contains("&lt;!channel&gt; &amp;"), "{all}");
    assert!(data["text"].as_str().unwrap_or("").contains("<!channel> &"));
    assert!(
        data["text"]
            .as_str()
            .unwrap_or("")
            .contains("Pipeline analysis did not run; 1 deal is open."),
        "without the analysis it says so"
    );
}

#[test]
fn a_quiet_morning_says_so() {
    let data = compose(
        json!({ "date": "2026-11-24", "weekday": "Tuesday" }),
        Some(json!({
            "needs_action": [], "at_risk": [], "changed": [], "open_value": [], "proposals_awaiting": [], "open_deals": 0
        })),
    );
    let text = data["text"].as_str().expect("text");
    for needle in [
        "Good morning, there. Here's your Tuesday.",
        "No meetings today.",
        "NEEDS YOUR ATTENTION (0)",
        "Nothing is waiting for you.",
        "0 deals need action today",
        "No proposals awaiting response",
        "Nothing new since the last brief.",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}
