//! `suggest-next-actions`: what the rep should do next after a meeting,
//! ranked, each with the reason that makes it specific to this deal: a
//! quote from the transcript (their own commitments, the prospect's
//! requests, signals such as a competitor or a budget worry) or a fact from
//! the CRM (a close date already past, a stage behind what was agreed, no
//! deal at all). Nothing is suggested without such evidence.
//!
//! Deterministic; reads the earlier steps' outputs and the contact tier,
//! and proposes no effect.

pub mod rank;

use baton_sdk::context;
use baton_sdk::meeting::StepRefs;
use baton_sdk::prelude::*;
use serde::{Deserialize, Serialize};

/// Which steps' action items and detections are ranked, and how many
/// suggestions to keep.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(flatten)]
    steps: StepRefs,
    /// How many suggestions to keep.
    #[serde(default = "max")]
    #[schemars(range(min = 1, max = 20))]
    max: usize,
}

fn max() -> usize {
    10
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
struct Suggestions {
    /// Best first.
    suggestions: Vec<rank::Ranked>,
}

pub struct SuggestNextActions;

impl Skill for SuggestNextActions {
    fn manifest() -> Manifest {
        Manifest::new(
            "suggest-next-actions",
            env!("CARGO_PKG_VERSION"),
            "Ranks the next actions after a meeting, each with a reason from the transcript or the CRM.",
        )
        .needs(flow::names::MEETING_ACTION_ITEMS)
        .uses(flow::names::MEETING_INTENTS)
        .produces(flow::names::MEETING_SUGGESTIONS)
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Suggestions>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        if !(1..=20).contains(&params.max) {
            return Err(SkillError::InvalidInput("max must be within 1..=20".into()));
        }
        let (items, detections) = params.steps.read(&input)?;
        let meeting_date = input
            .previous(&params.steps.actions_step)
            .and_then(|d| d["meeting_date"].as_str())
            .map(str::to_owned);
        let contact = context::contact()?;
        let suggestions = rank::suggest(&rank::Facts {
            items: &items,
            detections: &detections,
            contact: contact.as_ref(),
            meeting_date: meeting_date.as_deref(),
        });
        Output::of(&Suggestions {
            suggestions: suggestions
                .into_iter()
                .take(params.max)
                .enumerate()
                .map(|(i, s)| s.ranked(i + 1))
                .collect(),
        })
    }
}

export_skill!(SuggestNextActions);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn input() -> Input {
        let mut input = Input::for_event("meeting_ended", json!({ "meeting_id": "m-7" }));
        input = input.after("extract-action-items", json!({ "meeting_date": "2026-11-20", "action_items": [
                { "owner": "rep", "action": "Send Marta a proposal with pricing by Friday", "kind": "commitment",
                  "quote": "I'll send you a proposal with pricing by Friday.", "utterance": 4, "confidence": 0.9,
                  "deadline": { "text": "by friday", "date": "2026-11-27" } },
                { "owner": "prospect", "action": "Run it by their CFO early next week", "kind": "commitment",
                  "quote": "I'll run it by our CFO early next week.", "utterance": 9, "confidence": 0.9,
                  "deadline": { "text": "early next week", "date": "2026-11-24" } }
            ]}));
        input = input.after("detect-intents", json!({ "intents": [
                { "label": "signal:competitive", "speaker": "prospect", "phrase": "We're also looking at Gainsight", "confidence": 0.85, "utterance": 6 },
                { "label": "signal:buying_positive", "speaker": "prospect", "phrase": "We have budget set aside for this in Q1", "confidence": 0.85, "utterance": 3 },
                { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send you a proposal with pricing by Friday", "confidence": 0.9, "utterance": 4 }
            ]}));
        input
    }

    fn contact(stage: &str, close: &str) -> Value {
        json!({
            "contact": { "name": "Marta Ruiz" },
            "company": { "name": "Northwind Logistics" },
            "deal": { "id": "d1", "name": "Northwind renewals rollout", "stage": stage, "close_date": close },
        })
    }

    #[test]
    fn every_suggestion_is_ranked_and_grounded() {
        let out = FakeHost::for_skill::<SuggestNextActions>()
            .contact(contact("discovery", "2026-11-01"))
            .run::<SuggestNextActions>(input())
            .expect("runs");
        let s = out.data["suggestions"].as_array().expect("list");
        assert!(s.len() >= 5, "{s:#?}");
        assert_eq!(s[0]["rank"], 1);
        assert_eq!(
            s[0]["action"],
            "Send Marta a proposal with pricing by Friday"
        );
        assert_eq!(s[0]["due"], "2026-11-27");
        assert_eq!(s[0]["evidence"]["source"], "transcript");
        for x in s {
            let ev = &x["evidence"];
            assert!(
                ev["quote"].is_string() || ev["field"].is_string(),
                "no evidence: {x}"
            );
        }
        let text = serde_json_text(s);
        assert!(text.contains("Gainsight"), "{text}");
        assert!(text.contains("CFO"), "{text}");
        assert!(text.contains("close date"), "{text}");
        assert!(
            text.contains("discovery"),
            "the stage behind a promised proposal: {text}"
        );
    }

    fn serde_json_text(v: &[Value]) -> String {
        v.iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn without_a_deal_it_suggests_creating_one() {
        let out = FakeHost::for_skill::<SuggestNextActions>()
            .run::<SuggestNextActions>(input())
            .expect("runs");
        let text = serde_json_text(out.data["suggestions"].as_array().expect("list"));
        assert!(text.contains("no deal"), "{text}");
    }

    #[test]
    fn nothing_said_and_nothing_known_means_nothing_suggested() {
        let out = FakeHost::for_skill::<SuggestNextActions>()
            .contact(contact("proposal", "2027-03-01"))
            .run::<SuggestNextActions>(Input::for_event("meeting_ended", json!({})))
            .expect("runs");
        assert_eq!(out.data["suggestions"], json!([]));
    }

    #[test]
    fn a_malformed_earlier_output_is_invalid_input() {
        let mut bad = input();
        bad.previous[0].data = json!({ "action_items": [{ "owner": "nobody" }] });
        let r = FakeHost::for_skill::<SuggestNextActions>().run::<SuggestNextActions>(bad);
        assert!(
            matches!(r, Err(SkillError::InvalidInput(m)) if m.contains("extract-action-items"))
        );
    }
}
