//! `notify-coaching-feedback`: a meeting's coaching micro-feedback for the
//! rep, in the seed's format — "Quick feedback on your … call", the 2–3
//! bullets `coaching-analysis` wrote (✅ strength, ⚠️ warning, 💡 tip),
//! each naming its moment, and the overall line — as one inform-only
//! `slack_post` (plain text and read-only Block Kit, escaped and cut to
//! Slack's limits). The inbox shows the same bullets from the stored
//! analysis.
//!
//! Delivered only when the rep's coaching preference (org tier,
//! `preferences.coaching`) is `per_meeting` or `both` (the default when
//! unset); otherwise the output says why and nothing is proposed.

use baton_sdk::coaching::{Analysis, clock};
use baton_sdk::context;
use baton_sdk::events::meeting_ended::MeetingHeader;
use baton_sdk::prelude::*;
use baton_sdk::slack::{CONTEXT_TEXT, HEADER_TEXT, SECTION_TEXT, clip, escape};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose output is the meeting's analysis.
    #[serde(default = "analysis_step")]
    analysis_step: String,
}

fn analysis_step() -> String {
    "coaching-analysis".to_owned()
}

/// The output: what was (or was not) posted.
#[derive(Serialize, JsonSchema)]
struct Delivered {
    /// Whether a post is proposed.
    delivered: bool,
    /// Why not, when not.
    reason: Option<String>,
    title: String,
    /// The feedback as plain text (what Slack's notification shows).
    text: String,
    bullets: usize,
}

/// The bullets as tree lines (`├─ ✅ …`, the last `└─`).
fn lines(a: &Analysis) -> Vec<String> {
    let n = a.feedback.len();
    a.feedback
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let branch = if i + 1 == n {
                "\u{2514}\u{2500}"
            } else {
                "\u{251c}\u{2500}"
            };
            format!("{branch} {} {}", f.tone.icon(), f.text)
        })
        .collect()
}

fn title(meeting: &MeetingHeader) -> String {
    match meeting.title.as_deref().map(str::trim) {
        // "Northwind discovery call" is not followed by another "call".
        Some(t) if t.to_lowercase().ends_with("call") => {
            format!("\u{1f4a1} Quick feedback on your {t}")
        }
        Some(t) if !t.is_empty() => format!("\u{1f4a1} Quick feedback on your {t} call"),
        _ => "\u{1f4a1} Quick feedback on your call".to_owned(),
    }
}

/// The message: header, the bullets, the overall line, and where the
/// moments are.
fn blocks(title: &str, lines: &[String], overall: &str, a: &Analysis) -> Vec<Value> {
    let body = lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": clip(title, HEADER_TEXT), "emoji": true } }),
        json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&body, SECTION_TEXT) } }),
    ];
    if !overall.is_empty() {
        out.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&format!("*{}*", escape(overall)), SECTION_TEXT) } }));
    }
    let talk = format!(
        "Talk: {:.0}% you / {:.0}% prospect \u{00b7} {} questions ({} discovery){}",
        a.rep_share * 100.0,
        a.prospect_share * 100.0,
        a.questions.total,
        a.questions.discovery,
        a.current_process_at_ms
            .map(|t| format!(" \u{00b7} current process asked at {}", clock(t)))
            .unwrap_or_default()
    );
    out.push(json!({ "type": "context", "elements": [
        { "type": "mrkdwn", "text": clip(&escape(&talk), CONTEXT_TEXT) }
    ]}));
    // A transcript read in part: the rep is told the coaching covers part.
    if let Some(cut) = &a.transcript_cut {
        out.push(json!({ "type": "context", "elements": [
            { "type": "mrkdwn", "text": clip(&escape(cut), CONTEXT_TEXT) }
        ]}));
    }
    out
}

pub struct NotifyCoachingFeedback;

impl Skill for NotifyCoachingFeedback {
    fn manifest() -> Manifest {
        Manifest::new(
            "notify-coaching-feedback",
            env!("CARGO_PKG_VERSION"),
            "Posts a meeting's coaching micro-feedback to the rep in Slack, inform-only, when their coaching preference asks for it.",
        )
        .needs(flow::names::MEETING_COACHING)
        .capability("context:org")
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Delivered>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let meeting: MeetingHeader = input.payload()?;
        let title = title(&meeting);
        let Some(analysis) = input.step_output::<Analysis>(&params.analysis_step)? else {
            return Output::of(&Delivered {
                delivered: false,
                reason: Some(format!("step `{}` left no analysis", params.analysis_step)),
                title,
                text: String::new(),
                bullets: 0,
            });
        };
        let wants = context::org()?
            .and_then(|o| o.preferences)
            .and_then(|p| p.coaching)
            .unwrap_or_default();
        let lines = lines(&analysis);
        let overall = analysis.overall.trim().to_owned();
        let mut text = format!("{title}:\n\n{}", lines.join("\n"));
        if !overall.is_empty() {
            text.push_str(&format!("\n\n{overall}"));
        }
        if let Some(cut) = &analysis.transcript_cut {
            text.push_str(&format!("\n\n{cut}"));
        }
        if !wants.per_meeting() || analysis.feedback.is_empty() {
            let reason = if analysis.feedback.is_empty() {
                "the analysis has no feedback".to_owned()
            } else {
                format!("the rep's coaching preference is {}", wants.as_str())
            };
            return Output::of(&Delivered {
                delivered: false,
                reason: Some(reason),
                title,
                text,
                bullets: lines.len(),
            });
        }
        let blocks = blocks(&title, &lines, &overall, &analysis);
        let out = Delivered {
            delivered: true,
            reason: None,
            title: clip(&title, HEADER_TEXT),
            text: clip(&text, SECTION_TEXT),
            bullets: lines.len(),
        };
        let payload = json!({ "title": out.title, "text": out.text, "blocks": blocks });
        Ok(Output::of(&out)?.action(
            ActionKind::SlackPost,
            format!("Coaching feedback in Slack: {}", clip(&title, 200)),
            payload,
        ))
    }
}

export_skill!(NotifyCoachingFeedback);

#[cfg(test)]
mod tests;
