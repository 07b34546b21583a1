//! The options each offer becomes, through the skill's surface.

use super::*;
use baton_sdk::testing::FakeHost;

fn run(offer: Value) -> Result<Output, SkillError> {
    let input = Input::for_event("campaign_action", offer);
    FakeHost::for_skill::<PresentCampaignActions>()
        .run_with::<PresentCampaignActions>(input)
        .0
}

fn ab() -> Value {
    json!({ "action": "ab_winner", "key": "ab:c-q1:0:2026-11-23", "date": "2026-11-23",
            "campaign_id": "c-q1", "campaign": "Q1 SaaS Outreach", "step": 0, "keep_variant": 1,
            "subject": "Cut your pipeline admin by 5hrs/week",
            "text": "Subject line B is outperforming A: 31.0% vs 22.0% opened." })
}

fn no(nurture: Option<&str>) -> Value {
    json!({ "action": "not_interested", "key": "lead:e-tom", "date": "2026-11-23",
            "campaign_id": "c-q1", "campaign": "Q1 SaaS Outreach", "email": "tom.harris@nexus.example",
            "name": "Tom Harris", "summary": "Not interested", "nurture_campaign": nurture })
}

#[test]
fn an_ab_winner_offers_apply_or_keep_testing_and_only_apply_writes() {
    let out = run(ab()).expect("output");
    let previews: Vec<&str> = out.actions.iter().map(|a| a.preview.as_str()).collect();
    assert_eq!(
        previews,
        [
            "Apply suggestion: send only B (\u{201c}Cut your pipeline admin by 5hrs/week\u{201d}) in step 1 of \u{201c}Q1 SaaS Outreach\u{201d}",
            "Keep testing: leave step 1 of \u{201c}Q1 SaaS Outreach\u{201d} as it is",
        ]
    );
    assert!(out.actions.iter().all(|a| a.kind == ActionKind::CrmUpdate));
    let apply = &out.actions[0].payload;
    assert_eq!(apply["entity"], "campaign");
    assert_eq!(
        apply["campaign_change"],
        json!({ "op": "keep_variant", "campaign_id": "c-q1", "step": 0, "variant": 1 })
    );
    assert_eq!(apply["hold_for_undo"], true);
    let keep = &out.actions[1].payload;
    assert_eq!(keep["campaign_change"]["op"], "keep_testing");
    assert!(
        keep.get("hold_for_undo").is_none(),
        "nothing outside to undo"
    );
    assert_eq!(out.data["options"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_lead_who_said_no_is_closed_or_nurtured_when_the_org_has_a_nurture_campaign() {
    let out = run(no(Some("c-nurture"))).expect("output");
    let ops: Vec<&Value> = out
        .actions
        .iter()
        .map(|a| &a.payload["campaign_change"]["op"])
        .collect();
    assert_eq!(ops, [&json!("mark_closed"), &json!("nurture")]);
    assert!(
        out.actions[0]
            .preview
            .starts_with("Mark closed: Tom Harris")
    );
    assert!(
        out.actions[1]
            .preview
            .starts_with("Add to nurture: move Tom Harris")
    );
    assert_eq!(
        out.actions[1].payload["campaign_change"]["to_campaign_id"],
        "c-nurture"
    );
    assert!(
        out.actions
            .iter()
            .all(|a| a.payload["hold_for_undo"] == true)
    );
    // Without a nurture campaign there is nowhere to move them.
    let out = run(no(None)).expect("output");
    assert_eq!(out.actions.len(), 1);
    let out = run(no(Some("  "))).expect("output");
    assert_eq!(out.actions.len(), 1);
}

#[test]
fn a_payload_that_is_no_offer_is_refused() {
    let err = run(json!({ "action": "delete_everything" })).expect_err("refused");
    assert!(matches!(err, SkillError::InvalidInput(_)), "{err:?}");
}

#[test]
fn long_subjects_are_cut_and_odd_variants_named() {
    let mut offer = ab();
    offer["subject"] = json!("x".repeat(200));
    offer["keep_variant"] = json!(30);
    let out = run(offer).expect("output");
    assert!(out.actions[0].preview.contains("send only #31"));
    assert!(
        out.actions[0].preview.chars().count() < 140,
        "{}",
        out.actions[0].preview
    );
}
