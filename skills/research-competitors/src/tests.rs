//! The skill through its surface: the provider's card, the battlecard it
//! falls back to, and a rival nothing is known of.

use super::*;
use baton_sdk::testing::FakeHost;

const URL: &str = "http://127.0.0.1:9300/intel";

fn input() -> Input {
    Input::for_event(
        "competitive_research",
        json!({ "meeting_id": "m-1", "deal_id": "d-1", "deal_name": "Northwind renewals rollout",
                "competitors": ["Gainsight", "Totango", "Northwind Logistics", "gainsight"],
                "evidence": { "quote": "We're also looking at Gainsight and Totango.", "speaker": "Marta Ruiz" } }),
    )
}

fn host() -> FakeHost {
    FakeHost::for_skill::<ResearchCompetitors>()
        .contact(json!({ "company": { "name": "Northwind Logistics", "domain": "northwind.example" } }))
        .external("content_library", json!({ "items": [
            { "id": "bc-totango", "title": "Totango battlecard", "kind": "battlecard", "tags": ["totango"],
              "summary": "Totango is strong on digital CS; we win on renewals forecasting.",
              "url": "https://acme.example/battlecards/totango" } ] }))
}

#[test]
fn the_provider_answers_and_a_battlecard_fills_in_what_it_does_not_know() {
    let card = json!({ "competitor": "Gainsight", "summary": "The incumbent CS platform.",
        "strengths": ["Broad feature set"], "weaknesses": ["Long implementations", "Pricey add-ons"],
        "pricing": "Per seat, annual", "sources": [
            { "title": "G2 comparison", "url": "https://g2.example/gainsight" },
            { "title": "bad", "url": "javascript:alert(1)" } ] });
    let (out, _) = host()
        .grant("http:127.0.0.1:9300")
        .external("competitive", json!({ "url": URL }))
        .http(
            &format!("{URL}?competitor=Gainsight"),
            200,
            &card.to_string(),
        )
        .http(&format!("{URL}?competitor=Totango"), 404, "{}")
        .run_with::<ResearchCompetitors>(input());
    let out = out.expect("runs");
    let cards = out.data["cards"].as_array().expect("cards");
    // Their own company is not a rival; a name said twice is one rival.
    assert_eq!(cards.len(), 2, "{:#}", out.data);
    assert_eq!(cards[0]["source"], "provider");
    assert_eq!(
        cards[0]["weaknesses"],
        json!(["Long implementations", "Pricey add-ons"])
    );
    assert_eq!(
        cards[0]["links"].as_array().map(Vec::len),
        Some(1),
        "unsafe links dropped"
    );
    assert_eq!(cards[1]["source"], "battlecard");
    assert_eq!(out.data["provider_status"], "ok");
    let post = &out.actions[0];
    assert_eq!(post.kind, ActionKind::SlackPost);
    assert_eq!(
        post.payload["title"],
        "Competitive research: Gainsight, Totango"
    );
    let text = post.payload["text"].as_str().expect("text");
    assert!(
        text.contains("Named on the Northwind renewals rollout call"),
        "{text}"
    );
    assert!(
        text.contains("Weak spots: Long implementations; Pricey add-ons"),
        "{text}"
    );
    assert!(text.contains("_From your battlecard._"), "{text}");
}

#[test]
fn without_a_provider_the_battlecards_answer_and_the_rest_is_said_unknown() {
    let (out, _) = host().run_with::<ResearchCompetitors>(input());
    let out = out.expect("never fails for want of a provider");
    assert_eq!(out.data["provider_status"], "not_configured");
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("providers.competitive"))
    );
    let sources: Vec<&str> = out.data["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .filter_map(|c| c["source"].as_str())
        .collect();
    assert_eq!(sources, ["none", "battlecard"]);
    let text = out.actions[0].payload["text"].as_str().expect("text");
    assert!(text.contains("Nothing known yet"), "{text}");
}

#[test]
fn a_provider_that_is_not_granted_or_answers_garbage_degrades() {
    let (out, _) = host()
        .external("competitive", json!({ "url": URL }))
        .run_with::<ResearchCompetitors>(input());
    let out = out.expect("runs");
    assert_eq!(out.data["provider_status"], "failed");
    assert!(
        out.data["reason"]
            .as_str()
            .is_some_and(|r| r.contains("grant `http:127.0.0.1:9300`")),
        "{:#}",
        out.data
    );
    let (out, _) = host()
        .grant("http:127.0.0.1:9300")
        .external("competitive", json!({ "url": URL }))
        .http(URL, 200, "[1, 2]")
        .run_with::<ResearchCompetitors>(input());
    let out = out.expect("runs");
    assert_eq!(out.data["provider_status"], "failed");
    assert_eq!(out.data["cards"][1]["source"], "battlecard");
}

#[test]
fn nothing_named_posts_nothing() {
    let input = Input::for_event("competitive_research", json!({ "competitors": [] }));
    let (out, _) = host().run_with::<ResearchCompetitors>(input);
    let out = out.expect("runs");
    assert!(out.actions.is_empty());
}
