//! `notify-proposal-viewed`: the rep hears, in Slack and inform-only, that
//! the prospect opened their proposal: "Northwind opened your proposal
//! “Renewals Hub” (2nd view)". The host sends at most one
//! `proposal_viewed` event per proposal per half hour and counts the views;
//! this skill only words it.
//!
//! It proposes one `slack_post` (`title` + `text`), which the host renders
//! as Block Kit (escaping `&`, `<`, `>`) and posts to the rep's channel.
//! Deterministic; reads only the event's payload.

use baton_sdk::events::proposal_viewed::Payload;
use baton_sdk::prelude::*;
use serde::Serialize;

/// `1st`, `2nd`, `3rd`, `4th` … `11th`, `12th`, `13th`, `21st` ….
fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The notice: the output, and the `slack_post` the host renders from it.
#[derive(Serialize, JsonSchema)]
struct Notice {
    title: String,
    text: String,
}

fn notice(p: &Payload) -> Notice {
    let who = [p.company.as_deref(), p.contact_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("Your prospect");
    let views = p.views.max(1);
    let title = format!(
        "{who} opened your proposal \u{201c}{}\u{201d} ({} view)",
        p.title.trim(),
        ordinal(views)
    );
    let mut text = match views {
        1 => "It is the first time they opened it.".to_owned(),
        n => format!("They have opened it {n} times."),
    };
    if p.version > 1 {
        text.push_str(&format!(" This is version {} of the proposal.", p.version));
    }
    text.push_str(" A good moment to follow up while it is fresh.");
    Notice { title, text }
}

pub struct NotifyProposalViewed;

impl Skill for NotifyProposalViewed {
    fn manifest() -> Manifest {
        Manifest::new(
            "notify-proposal-viewed",
            env!("CARGO_PKG_VERSION"),
            "Tells the rep in Slack (inform-only) that a prospect opened their proposal.",
        )
        .default_fuel(100_000_000)
        .output::<Notice>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let viewed: Payload = input.payload()?;
        let n = notice(&viewed);
        Ok(Output::of(&n)?.action(ActionKind::SlackPost, n.title.clone(), to_data(&n)?))
    }
}

export_skill!(NotifyProposalViewed);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn viewed(views: i64, company: Option<&str>) -> Input {
        Input::for_event(
            "proposal_viewed",
            json!({ "proposal_id": "p1", "view_id": "v1", "title": "Renewals Hub for Northwind",
                    "company": company, "contact_name": "Marta Ruiz", "version": 1,
                    "viewed_at": "2026-11-24T09:00:00Z", "views": views }),
        )
    }

    #[test]
    fn the_rep_is_told_who_opened_which_proposal_and_how_often() {
        let out = FakeHost::for_skill::<NotifyProposalViewed>()
            .run::<NotifyProposalViewed>(viewed(2, Some("Northwind")))
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::SlackPost);
        assert_eq!(
            a.payload["title"],
            "Northwind opened your proposal \u{201c}Renewals Hub for Northwind\u{201d} (2nd view)"
        );
        assert!(
            a.payload["text"]
                .as_str()
                .is_some_and(|t| t.contains("opened it 2 times")),
            "{}",
            a.payload
        );
    }

    #[test]
    fn without_a_company_the_contact_or_the_prospect_is_named() {
        let out = FakeHost::for_skill::<NotifyProposalViewed>()
            .run::<NotifyProposalViewed>(viewed(1, None))
            .expect("runs");
        let title = out.actions[0].payload["title"].as_str().expect("title");
        assert!(title.starts_with("Marta Ruiz opened"), "{title}");
        assert!(title.ends_with("(1st view)"), "{title}");
    }

    #[test]
    fn ordinals_read_as_english() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn a_payload_without_its_proposal_is_invalid_input() {
        let r = FakeHost::for_skill::<NotifyProposalViewed>()
            .run::<NotifyProposalViewed>(Input::for_event("proposal_viewed", json!({})));
        assert!(r.is_err());
    }
}
