//! The org's confidence floor (`confidence_floor` in its profile): what a
//! step proposes with less confidence than the org asks for is not
//! proposed at all. A follow-up carries its confidence; an action carries
//! it in its payload's evidence (`baton_types::evidence`). An action or
//! follow-up that says nothing of its confidence is not floored. Applied
//! to a step's output before any gate opens or effect is queued, so a
//! withheld suggestion never reaches a person.

use crate::runtime::SkillOutput;
use baton_types::evidence::Evidence;

/// Drop from `output` what is under `floor`; how many were dropped.
pub(crate) fn withhold(floor: f64, output: &mut SkillOutput) -> u32 {
    if floor <= 0.0 {
        return 0;
    }
    let before = output.actions.len() + output.follow_ups.len();
    output
        .actions
        .retain(|a| !Evidence::of(&a.payload).is_some_and(|e| e.under(floor)));
    // A follow-up's confidence is an f32: compared as one, 0.7 is 0.7.
    let floor32 = floor as f32;
    output.follow_ups.retain(|f| f.confidence >= floor32);
    let after = output.actions.len() + output.follow_ups.len();
    u32::try_from(before - after).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{ActionKind, FollowUp, ProposedAction};
    use serde_json::{Value, json};

    fn action(payload: Value) -> ProposedAction {
        ProposedAction {
            kind: ActionKind::TaskCreate,
            preview: "p".into(),
            payload,
        }
    }

    fn follow_up(confidence: f32) -> FollowUp {
        FollowUp {
            event_type: "x".into(),
            payload: json!({}),
            confidence,
            reason: "r".into(),
        }
    }

    #[test]
    fn only_what_says_it_is_less_sure_than_the_floor_is_withheld() {
        let mut out = SkillOutput {
            data: Value::Null,
            actions: vec![
                action(json!({ "evidence": { "quote": "a", "confidence": 0.6 } })),
                action(json!({ "evidence": { "quote": "b", "confidence": 0.9 } })),
                action(json!({ "evidence": "bare words" })),
                action(json!({})),
            ],
            follow_ups: vec![follow_up(0.69), follow_up(0.7)],
        };
        assert_eq!(
            withhold(0.0, &mut out.clone()),
            0,
            "no floor, nothing withheld"
        );
        assert_eq!(withhold(0.7, &mut out), 2);
        let quotes: Vec<_> = out
            .actions
            .iter()
            .map(|a| a.payload["evidence"].clone())
            .collect();
        assert_eq!(
            quotes,
            vec![
                json!({ "quote": "b", "confidence": 0.9 }),
                json!("bare words"),
                Value::Null
            ]
        );
        assert_eq!(out.follow_ups.len(), 1);
        assert!((out.follow_ups[0].confidence - 0.7).abs() < f32::EPSILON);
    }
}
