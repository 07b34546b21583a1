//! `notify-decision-needed`: the `decision_needed` chain's step. Asks the
//! rep in Slack, inform-only, for a decision a deal's engagement waits for
//! (the host's [`DecisionNeeded`]): two sources disagree on a fact, the
//! track that depends on it is stopped, and nothing on it is sent until
//! the rep picks a side on the deal's page, which the post links to. The
//! host asks once per open question; this skill only words it.
//! Deterministic; reads only the event's payload.

use baton_sdk::decision::DecisionNeeded;
use baton_sdk::prelude::*;
use serde::Serialize;

/// The notice: the output, and the `slack_post` the host renders from it.
#[derive(Serialize, JsonSchema)]
struct Notice {
    title: String,
    text: String,
}

pub struct NotifyDecisionNeeded;

impl Skill for NotifyDecisionNeeded {
    fn manifest() -> Manifest {
        Manifest::new(
            "notify-decision-needed",
            env!("CARGO_PKG_VERSION"),
            "Asks the rep in Slack (inform-only) for a decision a deal's engagement waits for: two sources disagree on a fact, and the track that depends on it is stopped until they pick a side.",
        )
        .default_fuel(20_000_000)
        .output::<Notice>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let d: DecisionNeeded = input.payload()?;
        let n = notice(&d)?;
        let payload = json!({ "title": n.title, "text": n.text });
        let preview = n.title.clone();
        Ok(Output::of(&n)?.action(ActionKind::SlackPost, preview, payload))
    }
}

/// The post for `d`.
fn notice(d: &DecisionNeeded) -> Result<Notice, SkillError> {
    let (deal, fact, question) = (d.deal.trim(), d.fact.trim(), d.question.trim());
    if deal.is_empty() || fact.is_empty() || question.is_empty() {
        return Err(SkillError::InvalidInput(
            "decision_needed payload: `deal`, `fact` and `question` must not be empty".into(),
        ));
    }
    let fact = fact.replace('_', " ");
    let track = d.track.trim();
    Ok(Notice {
        title: format!("{deal}: two sources disagree on {fact}"),
        text: format!(
            "{question}.\nThe {track} track is stopped, and nothing on it is sent, until you decide. Decide on the deal's page: {}",
            d.link.trim()
        ),
    })
}

export_skill!(NotifyDecisionNeeded);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn decision() -> DecisionNeeded {
        DecisionNeeded {
            deal_id: "d1".into(),
            deal: "Northwind expansion".into(),
            fact: "seats".into(),
            question:
                "Decide seats: 40 or 30? The likely source of truth is the signed order form (30)"
                    .into(),
            track: "commercial".into(),
            link: "https://baton.example/inbox/deals/d1".into(),
        }
    }

    fn run(d: &DecisionNeeded) -> Result<Output, SkillError> {
        FakeHost::for_skill::<NotifyDecisionNeeded>().run::<NotifyDecisionNeeded>(Input::for_event(
            "decision_needed",
            to_data(d).expect("json"),
        ))
    }

    #[test]
    fn the_rep_is_asked_with_both_sides_and_a_link_to_decide() {
        let out = run(&decision()).expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::SlackPost);
        assert_eq!(
            a.payload["title"],
            "Northwind expansion: two sources disagree on seats"
        );
        let text = a.payload["text"].as_str().expect("text");
        assert!(text.starts_with("Decide seats: 40 or 30?"), "{text}");
        assert!(
            text.contains(
                "The commercial track is stopped, and nothing on it is sent, until you decide."
            ) && text.ends_with("https://baton.example/inbox/deals/d1"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_question_is_refused() {
        let err = run(&DecisionNeeded {
            question: " ".into(),
            ..decision()
        })
        .expect_err("refused");
        assert!(err.to_string().contains("must not be empty"), "{err}");
    }
}
