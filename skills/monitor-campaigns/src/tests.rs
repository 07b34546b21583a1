//! The skill natively, against Instantly-shaped answers served by the
//! fake host (the service test serves the same shapes from a loopback
//! peer: `tests/support/instantly.rs`).

use super::*;
use baton_sdk::testing::FakeHost;

const BASE: &str = "http://127.0.0.1:9200";

fn input(previous: Value) -> Input {
    Input::for_event(
        "campaign_check",
        json!({ "date": "2026-11-23", "previous_date": "2026-11-22", "previous": previous,
                "settings": { "alpha": 0.05, "min_variant_sent": 100,
                    "benchmarks": { "open_rate": 0.4, "click_rate": 0.02, "reply_rate": 0.03, "min_sent": 20 } } }),
    )
}

fn host() -> FakeHost {
    host_with(None)
}

/// The fake host, with `campaigns` as the list of campaigns when given.
fn host_with(campaigns: Option<Value>) -> FakeHost {
    let usual = json!({ "items": [
        { "id": "c1", "name": "Q1 SaaS Outreach", "status": 1, "sequences": [{ "steps": [{ "variants": [
            { "subject": "Quick question about your pipeline" },
            { "subject": "Cut your pipeline admin by 5hrs/week" } ] }] }] },
        { "id": "c2", "name": "Ops leaders", "status": 1, "sequences": [] }
    ], "next_starting_after": null });
    let campaigns = campaigns.unwrap_or(usual);
    let analytics = json!([
        { "campaign_id": "c1", "campaign_name": "Q1 SaaS Outreach", "emails_sent_count": 45,
          "open_count_unique": 20, "link_click_count_unique": 8, "reply_count_unique": 3 },
        { "campaign_id": "c2", "campaign_name": "Ops leaders", "emails_sent_count": 60,
          "open_count_unique": 12, "link_click_count_unique": 0, "reply_count_unique": 1 }
    ]);
    let steps = json!([
        { "step": "0", "variant": "0", "sent": 400, "unique_opened": 88 },
        { "step": "0", "variant": "1", "sent": 400, "unique_opened": 124 }
    ]);
    let emails = json!({ "items": [
        { "id": "e1", "ue_type": 2, "timestamp_email": "2026-11-23T14:02:00Z", "campaign_id": "c1",
          "thread_id": "t1", "message_id": "<m1@techflow.example>", "subject": "Re: Cut your pipeline admin",
          "from_address_email": "james.wright@techflow.example",
          "from_address_json": [{ "address": "james.wright@techflow.example", "name": "James Wright" }],
          "body": { "text": "Interesting. What does pricing look like for 40 seats?\n\nOn Mon, Jordan wrote:\n> Hi James" } },
        { "id": "e2", "ue_type": 2, "timestamp_email": "2026-11-23T10:00:00Z", "campaign_id": "c1",
          "from_address_email": "maria.santos@datapeak.example", "subject": "Re: Quick question",
          "body": { "text": "I've forwarded this to my colleague Sam (sam.lee@datapeak.example), who runs ops." } },
        { "id": "e3", "ue_type": 2, "timestamp_email": "2026-11-23T09:00:00Z", "campaign_id": "c1",
          "from_address_email": "tom.harris@nexus.example", "subject": "Re: Quick question",
          "body": { "text": "Not interested, thanks." } },
        { "id": "e4", "ue_type": 1, "timestamp_email": "2026-11-23T08:00:00Z", "campaign_id": "c1",
          "from_address_email": "jordan@demo.example", "body": { "text": "Hi James" } },
        { "id": "e5", "ue_type": 2, "timestamp_email": "2026-11-21T08:00:00Z", "campaign_id": "c1",
          "from_address_email": "old@x.example", "body": { "text": "Sounds great, let's talk." } }
    ] });
    FakeHost::for_skill::<MonitorCampaigns>()
        .grant("http:127.0.0.1:9200")
        .external("campaigns", json!({ "url": BASE }))
        .http(
            &format!("{BASE}/api/v2/campaigns/analytics/steps?campaign_id=c1"),
            200,
            &steps.to_string(),
        )
        .http(
            &format!("{BASE}/api/v2/campaigns/analytics/steps"),
            200,
            "[]",
        )
        .http(
            &format!("{BASE}/api/v2/campaigns/analytics?"),
            200,
            &analytics.to_string(),
        )
        .http(
            &format!("{BASE}/api/v2/campaigns?"),
            200,
            &campaigns.to_string(),
        )
        .http(
            &format!("{BASE}/api/v2/emails?campaign_id=c1"),
            200,
            &emails.to_string(),
        )
        .http(&format!("{BASE}/api/v2/emails?"), 200, r#"{"items": []}"#)
}

#[test]
fn a_day_is_compared_flagged_classified_and_tested() {
    let previous = json!([{ "campaign_id": "c1", "name": "Q1 SaaS Outreach", "date": "2026-11-22",
        "sent": 50, "opened": 20, "clicked": 5, "replied": 5 }]);
    let (out, h) = host().run_with::<MonitorCampaigns>(input(previous));
    let out = out.expect("runs");
    let d = &out.data;
    assert_eq!(d["previous_source"], "store");
    assert_eq!(d["campaigns"][1]["name"], "Q1 SaaS Outreach");
    assert_eq!(d["campaigns"][1]["change"]["open_pts"], 4.4);
    assert_eq!(d["campaigns"][1]["underperforming"], false, "{d:#}");
    // Ops leaders: 20% opens, no clicks, 1.7% replies, all under the benchmarks.
    assert_eq!(d["campaigns"][0]["underperforming"], true);
    assert_eq!(d["campaigns"][0]["flags"].as_array().map(Vec::len), Some(3));
    assert_eq!(d["campaigns"][0]["change"], Value::Null);
    let cats: Vec<&str> = d["replies"]
        .as_array()
        .expect("replies")
        .iter()
        .filter_map(|r| r["category"].as_str())
        .collect();
    assert_eq!(cats, ["interested", "forwarded", "not_interested"]);
    assert_eq!(d["replies"][1]["forwarded_to"], "sam.lee@datapeak.example");
    assert_eq!(d["ab_tests"][0]["decision"], "switch_to_b");
    assert_eq!(
        d["ab_tests"][0]["b"]["subject"],
        "Cut your pipeline admin by 5hrs/week"
    );
    assert_eq!(d["days"].as_array().map(Vec::len), Some(2));
    // One positive reply: one child to draft it, threaded under the reply.
    let drafts: Vec<_> = out
        .follow_ups
        .iter()
        .filter(|f| f.event_type == "campaign_reply")
        .collect();
    assert_eq!(drafts.len(), 1);
    let f = drafts[0];
    assert_eq!(f.event_type, "campaign_reply");
    assert_eq!(
        f.payload["from"],
        "James Wright <james.wright@techflow.example>"
    );
    assert_eq!(f.payload["message_id"], "<m1@techflow.example>");
    assert!(
        f.payload["body"]
            .as_str()
            .is_some_and(|b| b.contains("pricing") && !b.contains("> Hi James")),
        "the newest text only: {}",
        f.payload
    );
    // Two decisions: the A/B winner, and the lead who said no (no nurture
    // campaign set: the offer says so).
    let offers: Vec<&Value> = out
        .follow_ups
        .iter()
        .filter(|f| f.event_type == "campaign_action")
        .map(|f| &f.payload)
        .collect();
    assert_eq!(offers.len(), 2, "{offers:#?}");
    assert_eq!(offers[0]["action"], "ab_winner");
    assert_eq!(
        (
            offers[0]["campaign_id"].as_str(),
            offers[0]["keep_variant"].as_i64()
        ),
        (Some("c1"), Some(1))
    );
    assert_eq!(offers[0]["subject"], "Cut your pipeline admin by 5hrs/week");
    assert_eq!(offers[1]["action"], "not_interested");
    assert_eq!(offers[1]["email"], "tom.harris@nexus.example");
    assert_eq!(offers[1]["nurture_campaign"], Value::Null);
    assert_eq!(offers[1]["key"], "lead:c1:e3");
    assert_eq!(out.actions.len(), 1);
    assert_eq!(out.actions[0].kind, ActionKind::SlackPost);
    let text = out.actions[0].payload["text"].as_str().expect("text");
    assert!(text.contains("REPLIES NEEDING ATTENTION (3)"), "{text}");
    assert!(text.contains("Subject line B"), "{text}");
    for (_, log) in &h.logs {
        assert!(!log.contains('@'), "no address in the logs: {log}");
    }
}

#[test]
fn without_stored_figures_the_provider_is_asked_for_the_previous_day() {
    let (out, h) = host().run_with::<MonitorCampaigns>(input(json!([])));
    assert_eq!(out.expect("runs").data["previous_source"], "provider");
    assert!(
        h.http_requests
            .iter()
            .any(|u| u.contains("start_date=2026-11-22&end_date=2026-11-22")),
        "{:?}",
        h.http_requests
    );
}

#[test]
fn a_refused_key_a_server_error_and_a_malformed_answer_fail_clearly() {
    let with = |status: u16, body: &str| {
        FakeHost::for_skill::<MonitorCampaigns>()
            .grant("http:127.0.0.1:9200")
            .external("campaigns", json!({ "url": BASE }))
            .http(BASE, status, body)
            .run::<MonitorCampaigns>(input(json!([])))
    };
    let e = with(401, r#"{"error":"Unauthorized"}"#).expect_err("401");
    assert!(
        matches!(&e, SkillError::Failed(m) if m.contains("HTTP 401") && m.contains("GET /api/v2/campaigns") && m.contains("key")),
        "{e}"
    );
    let e = with(500, "oops").expect_err("500");
    assert!(
        matches!(&e, SkillError::Unavailable(m) if m.contains("HTTP 500")),
        "{e}"
    );
    let e = with(200, "{not json").expect_err("malformed");
    assert!(
        matches!(&e, SkillError::Failed(m) if m.contains("not what Instantly API v2 documents")),
        "{e}"
    );
    let e = with(200, r#"{"items": "nope"}"#).expect_err("wrong shape");
    assert!(
        matches!(&e, SkillError::Failed(m) if m.contains("GET /api/v2/campaigns")),
        "{e}"
    );
    let e = FakeHost::for_skill::<MonitorCampaigns>()
        .external("campaigns", json!({ "url": BASE }))
        .run::<MonitorCampaigns>(input(json!([])))
        .expect_err("denied");
    assert!(
        matches!(&e, SkillError::Failed(m) if m.contains("grant `http:127.0.0.1:9200`")),
        "{e}"
    );
    let e = FakeHost::for_skill::<MonitorCampaigns>()
        .run::<MonitorCampaigns>(input(json!([])))
        .expect_err("not configured");
    assert!(
        matches!(&e, SkillError::Failed(m) if m.contains("providers.campaigns")),
        "{e}"
    );
}

#[test]
fn a_test_whose_loser_is_already_off_offers_no_decision() {
    let report_of = |disabled: bool| {
        let campaigns = json!({ "items": [
            { "id": "c1", "name": "Q1 SaaS Outreach", "status": 1, "sequences": [{ "steps": [{ "variants": [
                { "subject": "Quick question", "v_disabled": disabled },
                { "subject": "Cut your pipeline admin", "v_disabled": null } ] }] }] }
        ], "next_starting_after": null });
        let (out, _) = host_with(Some(campaigns)).run_with::<MonitorCampaigns>(input(json!([])));
        out.expect("runs")
            .follow_ups
            .iter()
            .filter(|f| f.payload["action"] == "ab_winner")
            .count()
    };
    assert_eq!(report_of(false), 1);
    assert_eq!(report_of(true), 0, "B alone is sent already");
}
