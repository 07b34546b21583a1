//! `notify-slack-summary`: the rep's meeting recap in Slack, inform-only:
//! who it was with, what the prospect said that matters (signals, in their
//! words), what each side took on and by when, and the top next steps.
//!
//! It proposes one `slack_post` action (`title` + mrkdwn `text`), which the
//! host renders as Block Kit (escaping `&`, `<`, `>`) and posts to the rep's
//! channel; summaries never wait for approval. When the prospect said their
//! budget is at risk ("budget is tight"), a second `slack_post` with
//! `audience = "manager"` tells the rep's manager (the host finds who that
//! is, posts to their channel and keeps the notice in their inbox).
//! Deterministic; reads earlier steps and tier 2.

use baton_sdk::context;
use baton_sdk::events::meeting_ended::MeetingHeader;
use baton_sdk::meeting::{ActionItem, Speaker, StepRefs, from_step};
use baton_sdk::prelude::*;
use serde::{Deserialize, Serialize};

/// Slack caps a section's text at 3,000 characters; leave room for the title.
const MAX_TEXT: usize = 2_800;
/// Lines per section: a recap is read on a phone.
const MAX_LINES: usize = 4;

/// Which steps' action items, detections and suggestions the recap reads.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(flatten)]
    steps: StepRefs,
    #[serde(default = "baton_sdk::meeting::suggestions_step")]
    suggestions_step: String,
}

/// What the prospect said that the rep should see again, with a label.
fn signal_label(label: &str) -> Option<&'static str> {
    match label {
        "signal:buying_positive" => Some("Budget"),
        "signal:buying_negative" => Some("Budget risk"),
        "signal:timeline" => Some("Timeline"),
        "signal:multi_stakeholder" => Some("Decision"),
        "signal:competitive" => Some("Competition"),
        _ => None,
    }
}

fn item_line(i: &ActionItem) -> String {
    match i.deadline.as_ref().and_then(|d| d.date.as_deref()) {
        Some(d) => format!("\u{2022} {} (_due {d}_)", i.action),
        None => format!("\u{2022} {}", i.action),
    }
}

fn section(text: &mut String, heading: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    text.push_str(&format!("*{heading}*\n"));
    for l in lines.iter().take(MAX_LINES) {
        text.push_str(l);
        text.push('\n');
    }
    if lines.len() > MAX_LINES {
        text.push_str(&format!("_\u{2026}and {} more_\n", lines.len() - MAX_LINES));
    }
    text.push('\n');
}

/// Cut `text` to at most `max` bytes on a line boundary.
fn bounded(mut text: String, max: usize) -> String {
    if text.len() > max {
        let cut = text[..max].rfind('\n').unwrap_or(0);
        text.truncate(cut);
        text.push_str("\n_\u{2026}the rest is in the job's timeline_");
    }
    text
}

/// The recap: the output, and the `slack_post` the host renders from it.
#[derive(Serialize, JsonSchema)]
struct Recap {
    title: String,
    /// Slack mrkdwn, within a section's limit.
    #[schemars(length(max = 3000))]
    text: String,
    /// The title of the notice the rep's manager gets, when the prospect
    /// put the budget at risk.
    manager_notice: Option<String>,
}

/// What the rep's manager is told (a `slack_post` for `audience`).
#[derive(Serialize)]
struct ManagerNotice {
    title: String,
    text: String,
    audience: &'static str,
}

/// The prospect's own words putting their budget at risk, if they said any.
fn budget_risk(detections: &[baton_sdk::meeting::Detection]) -> Option<&str> {
    detections
        .iter()
        .find(|d| {
            d.label == "signal:buying_negative" && d.speaker == Speaker::Prospect && !d.of_others()
        })
        .map(|d| d.phrase.as_str())
}

pub struct NotifySlackSummary;

impl Skill for NotifySlackSummary {
    fn manifest() -> Manifest {
        Manifest::new(
            "notify-slack-summary",
            env!("CARGO_PKG_VERSION"),
            "Posts an inform-only meeting summary to the rep in Slack.",
        )
        .uses(flow::names::MEETING_ACTION_ITEMS)
        .uses(flow::names::MEETING_INTENTS)
        .uses(flow::names::MEETING_SUGGESTIONS)
        .capability("context:contact")
        .default_fuel(200_000_000)
        .params::<Params>()
        .output::<Recap>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let (items, detections) = params.steps.read(&input)?;
        let suggestions: Vec<Value> = from_step(&input, &params.suggestions_step, "suggestions")?;
        let contact = context::contact()?;
        let meeting: MeetingHeader = input.payload()?;
        let title = match meeting.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => format!("Meeting recap: {t}"),
            _ => "Meeting recap".to_owned(),
        };

        let mut text = String::new();
        let who = contact.as_ref().and_then(|c| c.contact_name());
        let company = contact.as_ref().and_then(|c| c.company_name());
        match (who, company) {
            (Some(w), Some(c)) => text.push_str(&format!("With *{}* ({})\n\n", w, c)),
            (Some(w), None) => text.push_str(&format!("With *{}*\n\n", w)),
            _ => {}
        }
        if let Some(deal) = contact.as_ref().and_then(|c| c.deal.as_ref()) {
            text.push_str(&format!(
                "Deal: {} \u{2014} {}\n\n",
                deal.name.as_deref().unwrap_or(""),
                deal.stage.as_deref().unwrap_or("no stage"),
            ));
        }
        let heard: Vec<String> = detections
            .iter()
            // Their own situation, not words about other people.
            .filter(|d| d.speaker == Speaker::Prospect && !d.of_others())
            .filter_map(|d| {
                signal_label(&d.label)
                    .map(|l| format!("\u{2022} {l}: \u{201c}{}\u{201d}", d.phrase))
            })
            .collect();
        section(&mut text, "What they said", &heard);
        let mine: Vec<String> = items
            .iter()
            .filter(|i| i.owner == Speaker::Rep)
            .map(item_line)
            .collect();
        section(&mut text, "You committed to", &mine);
        let theirs: Vec<String> = items
            .iter()
            .filter(|i| i.owner == Speaker::Prospect)
            .map(item_line)
            .collect();
        section(&mut text, "They committed to", &theirs);
        let next: Vec<String> = suggestions
            .iter()
            .filter_map(|s| s["action"].as_str())
            .take(3)
            .map(|a| format!("\u{2022} {}", a))
            .collect();
        section(&mut text, "Suggested next", &next);
        if text.trim().is_empty() {
            text.push_str("No commitments or signals were heard in this meeting.\n");
        }
        text.push_str("The follow-up draft, CRM updates and tasks wait for you in your approvals.");
        let text = bounded(text, MAX_TEXT);

        let notice = budget_risk(&detections).map(|phrase| {
            let about = contact
                .as_ref()
                .and_then(|c| c.deal.as_ref())
                .and_then(|d| d.name.clone())
                .or_else(|| company.map(str::to_owned))
                .or_else(|| meeting.title.clone())
                .unwrap_or_else(|| "a deal".to_owned());
            let with = match (who, company) {
                (Some(w), Some(c)) => format!("{w} ({c})"),
                (Some(w), None) => w.to_owned(),
                (None, Some(c)) => c.to_owned(),
                (None, None) => "The prospect".to_owned(),
            };
            ManagerNotice {
                title: format!("Deal at risk: {about}"),
                text: bounded(
                    format!(
                        "{with} said: \u{201c}{phrase}\u{201d}\nThe deal is flagged at risk; \
                         the rep's follow-up waits for their approval."
                    ),
                    MAX_TEXT,
                ),
                audience: "manager",
            }
        });
        let recap = Recap {
            title,
            text,
            manager_notice: notice.as_ref().map(|n| n.title.clone()),
        };
        let mut out = Output::of(&recap)?.action(
            ActionKind::SlackPost,
            recap.title.clone(),
            json!({ "title": recap.title, "text": recap.text }),
        );
        if let Some(n) = notice {
            out = out.action(ActionKind::SlackPost, n.title.clone(), to_data(&n)?);
        }
        Ok(out)
    }
}

export_skill!(NotifySlackSummary);

#[cfg(test)]
mod tests {
    use super::*;
    use baton_sdk::testing::FakeHost;

    fn input() -> Input {
        input_with(json!({ "intents": [
            { "label": "signal:competitive", "speaker": "prospect", "phrase": "We're also looking at Gainsight", "confidence": 0.85 },
            { "label": "commitment:send_proposal", "speaker": "rep", "phrase": "I'll send a proposal", "confidence": 0.9 }
        ]}))
    }

    fn input_with(intents: Value) -> Input {
        let mut input = Input::for_event(
            "meeting_ended",
            json!({ "meeting_id": "m-7", "title": "Northwind discovery call" }),
        );
        input = input.after("extract-action-items", json!({ "action_items": [
                { "owner": "rep", "action": "Send Marta a proposal by Friday", "kind": "commitment",
                  "quote": "q", "utterance": 4, "confidence": 0.9,
                  "deadline": { "text": "by friday", "date": "2026-11-27" } },
                { "owner": "prospect", "action": "Share the <renewals> export", "kind": "commitment",
                  "quote": "q", "utterance": 5, "confidence": 0.9, "deadline": null }
            ]}));
        input = input.after("detect-intents", intents);
        input
    }

    #[test]
    fn one_inform_post_with_the_recap() {
        let out = FakeHost::for_skill::<NotifySlackSummary>()
            .contact(
                json!({ "contact": { "name": "Marta Ruiz" }, "company": { "name": "Northwind" },
                             "deal": { "name": "Northwind rollout", "stage": "discovery" } }),
            )
            .run::<NotifySlackSummary>(input())
            .expect("runs");
        assert_eq!(out.actions.len(), 1);
        let a = &out.actions[0];
        assert_eq!(a.kind, ActionKind::SlackPost);
        assert_eq!(
            a.payload["title"],
            "Meeting recap: Northwind discovery call"
        );
        let text = a.payload["text"].as_str().expect("text");
        assert!(text.starts_with("With *Marta Ruiz* (Northwind)"), "{text}");
        assert!(
            text.contains("Competition: \u{201c}We're also looking at Gainsight\u{201d}"),
            "{text}"
        );
        assert!(
            text.contains("\u{2022} Send Marta a proposal by Friday (_due 2026-11-27_)"),
            "{text}"
        );
        assert!(
            text.contains("Share the <renewals> export"),
            "raw: the host escapes when it renders: {text}"
        );
        assert!(
            !text.contains("I'll send a proposal"),
            "commitments are not signals: {text}"
        );
    }

    /// Issue 43: "budget is tight" reaches the rep's manager; a recap
    /// without it tells nobody else.
    #[test]
    fn a_budget_at_risk_tells_the_manager_too() {
        let host = || {
            FakeHost::for_skill::<NotifySlackSummary>().contact(
                json!({ "contact": { "name": "Marta Ruiz" }, "company": { "name": "Northwind" },
                        "deal": { "name": "Northwind rollout", "stage": "discovery" } }),
            )
        };
        let out = host().run::<NotifySlackSummary>(input()).expect("runs");
        assert_eq!(out.actions.len(), 1, "no risk, no notice");
        assert!(out.data["manager_notice"].is_null());
        let risky = input_with(json!({ "intents": [
            { "label": "signal:buying_negative", "speaker": "prospect",
              "phrase": "Budget is tight this quarter", "confidence": 0.85 }
        ]}));
        let out = host().run::<NotifySlackSummary>(risky).expect("runs");
        assert_eq!(out.actions.len(), 2);
        let notice = &out.actions[1];
        assert_eq!(notice.kind, ActionKind::SlackPost);
        assert_eq!(notice.payload["audience"], "manager");
        assert_eq!(notice.payload["title"], "Deal at risk: Northwind rollout");
        assert_eq!(
            notice.payload["text"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .next(),
            Some("Marta Ruiz (Northwind) said: \u{201c}Budget is tight this quarter\u{201d}")
        );
        assert_eq!(
            out.data["manager_notice"],
            "Deal at risk: Northwind rollout"
        );
        assert!(
            out.actions[0].payload.get("audience").is_none(),
            "the recap is the rep's"
        );
    }

    #[test]
    fn only_the_top_three_suggestions_are_shown() {
        let mut input = input();
        let many: Vec<Value> = (0..200)
            .map(|k| json!({ "action": format!("Suggestion number {k} with enough words to be long") }))
            .collect();
        input = input.after("suggest-next-actions", json!({ "suggestions": many }));
        let out = FakeHost::for_skill::<NotifySlackSummary>()
            .run::<NotifySlackSummary>(input)
            .expect("runs");
        let text = out.actions[0].payload["text"].as_str().expect("text");
        assert!(text.contains("Suggestion number 2 "), "{text}");
        assert!(
            !text.contains("Suggestion number 3 "),
            "top three only: {text}"
        );
    }

    #[test]
    fn long_text_is_cut_on_a_line_within_the_limit() {
        let long: String = (0..500).map(|k| format!("line {k}\n")).collect();
        let cut = bounded(long, MAX_TEXT);
        assert!(cut.len() <= MAX_TEXT + 64, "{}", cut.len());
        assert!(cut.ends_with("the rest is in the job's timeline_"), "{cut}");
        assert!(!cut.contains("line 499"));
    }

    #[test]
    fn an_empty_meeting_still_says_so() {
        let out = FakeHost::for_skill::<NotifySlackSummary>()
            .run::<NotifySlackSummary>(Input::for_event("meeting_ended", json!({})))
            .expect("runs");
        let text = out.actions[0].payload["text"].as_str().expect("text");
        assert!(text.starts_with("No commitments or signals"), "{text}");
    }
}
