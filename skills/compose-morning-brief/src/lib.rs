//! `compose-morning-brief`: the rep's morning brief in the seed's four
//! sections — meetings today with their prep status, what needs the rep's
//! attention (threads awaiting a reply, gates waiting), the pipeline pulse
//! (from `pipeline-analysis`, when it ran) and overnight updates — as
//! sections of lines (what the inbox shows), plain text, and Block Kit
//! whose buttons approve a waiting gate or open it in the inbox
//! (`deliver-slack-briefing` posts it, inform-only). Everything comes from
//! the `morning_brief` snapshot the host took; deterministic, no capability.

mod blocks;
pub mod sections;

use baton_sdk::events::morning_brief::{Analysis, Payload};
use baton_sdk::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The step whose output is the pipeline analysis.
    #[serde(default = "analysis_step")]
    analysis_step: String,
}

fn analysis_step() -> String {
    "pipeline-analysis".to_owned()
}

/// The output. `title`, `sections` and `text` are
/// `baton_types::brief::Composed`, which the inbox reads.
#[derive(Serialize, JsonSchema)]
struct Brief {
    title: String,
    sections: Vec<SectionOut>,
    text: String,
    /// Block Kit for Slack.
    blocks: Vec<Value>,
    counts: Counts,
}

#[derive(Serialize, JsonSchema)]
struct SectionOut {
    key: String,
    heading: String,
    lines: Vec<LineOut>,
}

#[derive(Serialize, JsonSchema)]
struct LineOut {
    text: String,
    link: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Counts {
    meetings: usize,
    attention: usize,
    needs_action: usize,
    at_risk: usize,
}

pub struct ComposeMorningBrief;

impl Skill for ComposeMorningBrief {
    fn manifest() -> Manifest {
        Manifest::new(
            "compose-morning-brief",
            env!("CARGO_PKG_VERSION"),
            "The morning brief's four sections as text and Block Kit, with buttons on waiting gates.",
        )
        .uses(flow::names::PIPELINE_ANALYSIS)
        .produces(flow::names::SLACK_BRIEFING)
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Brief>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let payload: Payload = input.payload()?;
        // The analysis runs with `on_failure = "continue"`: without it the
        // pulse says so.
        let analysis: Option<Analysis> = input.step_output(&params.analysis_step)?;
        let title = sections::title(&payload);
        let (total, items) = sections::attention_items(&payload);
        let all = vec![
            sections::meetings(&payload),
            sections::attention(&payload, total, &items),
            sections::pipeline(&payload, analysis.as_ref()),
            sections::overnight(&payload),
        ];
        let text = sections::text(&title, &all);
        let blocks = blocks::blocks(&title, &all, &items);
        Output::of(&Brief {
            counts: Counts {
                meetings: payload.meetings.len(),
                attention: total,
                needs_action: analysis.as_ref().map_or(0, |a| a.needs_action.len()),
                at_risk: analysis.as_ref().map_or(0, |a| a.at_risk.len()),
            },
            sections: all
                .into_iter()
                .map(|s| SectionOut {
                    key: s.key,
                    heading: s.heading,
                    lines: s
                        .lines
                        .into_iter()
                        .map(|l| LineOut {
                            text: l.text,
                            link: l.link,
                        })
                        .collect(),
                })
                .collect(),
            title,
            text,
            blocks,
        })
    }
}

export_skill!(ComposeMorningBrief);

#[cfg(test)]
mod tests;
