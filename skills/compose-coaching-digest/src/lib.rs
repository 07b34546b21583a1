//! `compose-coaching-digest`: the rep's weekly coaching digest in the
//! seed's layout — this week's numbers against the org's targets, what
//! improved and what got worse on last week, one focus area told through a
//! real moment (its timestamp and quote), and the winning pattern (won
//! against lost or stalled deals, with the counts shown; left out when
//! either side has fewer than `min_deals_each_side` deals) — as sections of
//! lines (what the inbox shows), plain text, and read-only Block Kit with
//! two links into the inbox (`deliver-slack-briefing` posts it,
//! inform-only). Everything comes from the `coaching_digest` payload the
//! host took from the stored analyses; deterministic, no capability.

pub mod sections;

use baton_sdk::events::coaching_digest::{Moment, Payload};
use baton_sdk::events::morning_brief::Section;
use baton_sdk::prelude::*;
use baton_sdk::slack::{BUTTON_TEXT, CONTEXT_TEXT, HEADER_TEXT, SECTION_TEXT, clip, escape};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// The winning pattern is shown only when won deals and lost or
    /// stalled deals each number at least this many.
    #[serde(default = "min_deals")]
    #[schemars(range(min = 1))]
    min_deals_each_side: u32,
}

fn min_deals() -> u32 {
    3
}

/// The output. `title`, `sections` and `text` read as
/// `baton_types::brief::Composed` (the inbox shows them).
#[derive(Serialize, JsonSchema)]
struct Digest {
    title: String,
    sections: Vec<SectionOut>,
    text: String,
    /// Block Kit for Slack.
    blocks: Vec<Value>,
    /// Whether the winning pattern is in, and if not, why.
    pattern_shown: bool,
    pattern_withheld: Option<String>,
    /// The moment the focus area points at.
    focus: Option<FocusOut>,
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
struct FocusOut {
    meeting: String,
    at_ms: Option<i64>,
    quote: String,
}

impl From<Moment> for FocusOut {
    fn from(m: Moment) -> Self {
        FocusOut {
            meeting: m.meeting,
            at_ms: m.at_ms,
            quote: m.quote,
        }
    }
}

/// The inbox's coaching panel.
const PANEL: &str = "/inbox#coaching";
/// Where the panel says how to change the preference.
const PREFERENCES: &str = "/inbox#coaching-preferences";

fn link(label: &str, action_id: &str, path: &str) -> Value {
    json!({ "type": "button", "action_id": action_id, "url": path,
            "text": { "type": "plain_text", "text": clip(label, BUTTON_TEXT), "emoji": true } })
}

/// The message: a header, one section per part (tree lines, escaped), a
/// context line and the two inbox links.
fn blocks(title: &str, all: &[Section], week_of: &str) -> Vec<Value> {
    let mut out = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": clip(title, HEADER_TEXT), "emoji": true }
    })];
    for s in all {
        let mut text = format!("*{}*", escape(&s.heading));
        for (i, l) in s.lines.iter().enumerate() {
            let branch = if i + 1 == s.lines.len() {
                "\u{2514}\u{2500}"
            } else {
                "\u{251c}\u{2500}"
            };
            text.push_str(&format!("\n{branch} {}", escape(&l.text)));
        }
        out.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": clip(&text, SECTION_TEXT) } }));
    }
    out.push(json!({ "type": "context", "elements": [
        { "type": "mrkdwn", "text": clip(&format!("Week from {} \u{00b7} from your analysed meetings", escape(week_of)), CONTEXT_TEXT) }
    ]}));
    out.push(
        json!({ "type": "actions", "block_id": "brief-coaching", "elements": [
            link("View detailed analysis \u{2192}", "baton.coaching.analysis", PANEL),
            link("Adjust coaching preferences \u{2192}", "baton.coaching.preferences", PREFERENCES),
        ]}),
    );
    out
}

pub struct ComposeCoachingDigest;

impl Skill for ComposeCoachingDigest {
    fn manifest() -> Manifest {
        Manifest::new(
            "compose-coaching-digest",
            env!("CARGO_PKG_VERSION"),
            "The weekly coaching digest: numbers against targets, changes on last week, a focus moment and the winning pattern, as text and Block Kit.",
        )
        .produces(flow::names::SLACK_BRIEFING)
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Digest>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let p: Payload = input.payload()?;
        let name = p.rep.as_ref().map_or("you", |r| r.name.as_str());
        let title = format!("\u{1f3af} Weekly Coaching Digest \u{2014} {name}");
        let mut all = vec![sections::numbers(&p)];
        all.extend(sections::changes(&p));
        let focus = sections::focus(&p);
        if let Some((s, _)) = &focus {
            all.push(s.clone());
        }
        let pattern = sections::pattern(&p.pattern, params.min_deals_each_side.max(1));
        if let Ok(s) = &pattern {
            all.push(s.clone());
        }
        let text = sections::text(&title, &all);
        let blocks = blocks(&title, &all, &p.this_week.from);
        Output::of(&Digest {
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
            pattern_shown: pattern.is_ok(),
            pattern_withheld: pattern.err(),
            focus: focus.map(|(_, m)| m.into()),
        })
    }
}

export_skill!(ComposeCoachingDigest);

#[cfg(test)]
mod tests;
