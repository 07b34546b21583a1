//! `coaching-analysis`: coaches the rep on one finished meeting. Reads the
//! `meeting_ended` transcript and measures talk time per participant and
//! rep vs prospect ([`talk`]), the rep's questions — open or closed,
//! discovery or not ([`questions`]) — the longest rep monologue, the
//! prospect's questions left unanswered ([`answers`]), the objections raised
//! and whether the rep met each with evidence ([`objections`]), and how
//! soon the rep asked about the prospect's current process; then writes
//! two or three feedback bullets pointing at moments ([`feedback`]).
//! Deterministic rules, no LLM, no capability. Its output is
//! [`baton_sdk::coaching::Analysis`], which the host stores and delivers.

mod answers;
mod cues;
mod feedback;
mod objections;
mod questions;
mod talk;
mod transcript;

use baton_sdk::coaching::{Analysis, Question, Questions, quote};
use baton_sdk::meeting::{Meeting, Speaker};
use baton_sdk::prelude::*;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// A prospect's question the rep takes up later than this (or never)
    /// is listed as unanswered.
    #[serde(default = "two")]
    #[schemars(range(min = 0.0, max = 600.0))]
    unanswered_after_minutes: f64,
    /// Asking about the prospect's current process within this many
    /// minutes of the start counts as an early, strong opening.
    #[serde(default = "five")]
    #[schemars(range(min = 0.0, max = 600.0))]
    process_within_minutes: f64,
}

fn two() -> f64 {
    2.0
}

fn five() -> f64 {
    5.0
}

pub struct CoachingAnalysis;

impl Skill for CoachingAnalysis {
    fn manifest() -> Manifest {
        Manifest::new(
            "coaching-analysis",
            env!("CARGO_PKG_VERSION"),
            "Coaches the rep on one meeting: talk ratio, questions, monologue, unanswered questions, objections, 2-3 feedback bullets.",
        )
        .produces(flow::names::MEETING_COACHING)
        .capability("context:attachments")
        // An hour's call diarized into ~1,000 segments takes ~140M.
        .default_fuel(1_000_000_000)
        .params::<Params>()
        .output::<Analysis>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        for (name, v) in [
            ("unanswered_after_minutes", params.unanswered_after_minutes),
            ("process_within_minutes", params.process_within_minutes),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(SkillError::InvalidInput(format!(
                    "params.{name} must be a number of minutes, 0 or more"
                )));
            }
        }
        let meeting = Meeting::from_input(&input)?;
        Output::of(&analyse(&meeting, &params))
    }
}

fn minutes_ms(m: f64) -> i64 {
    (m * 60_000.0).round() as i64
}

fn analyse(m: &Meeting, p: &Params) -> Analysis {
    let (lines, method) = transcript::lines(m);
    let (participants, rep_share, prospect_share) = talk::participants(&lines, method);
    let mut items = Vec::new();
    let mut process_at: Option<usize> = None;
    for l in lines.iter().filter(|l| l.side == Speaker::Rep) {
        for s in transcript::sentences(&l.text) {
            let said = cues::Said::new(s);
            if !questions::is_question(s, &said) {
                continue;
            }
            let asked = questions::read(s, &said);
            if asked.about_process && process_at.is_none() {
                process_at = Some(items.len());
            }
            items.push(Question {
                at_ms: l.at_ms,
                quote: quote(s),
                open: asked.open,
                discovery: asked.topic.is_some(),
                topic: asked.topic,
            });
        }
    }
    let count = |f: fn(&Question) -> bool| items.iter().filter(|q| f(q)).count() as i64;
    let questions = Questions {
        total: items.len() as i64,
        open: count(|q| q.open),
        closed: count(|q| !q.open),
        discovery: count(|q| q.discovery),
        items,
    };
    let mut analysis = Analysis {
        method,
        duration_ms: transcript::duration_ms(m, &lines),
        participants,
        rep_share,
        prospect_share,
        longest_monologue: talk::longest_monologue(&lines, method),
        unanswered_questions: answers::unanswered(&lines, minutes_ms(p.unanswered_after_minutes)),
        objections: objections::objections(&lines),
        current_process_at_ms: process_at.and_then(|i| questions.items[i].at_ms),
        questions,
        feedback: Vec::new(),
        overall: String::new(),
        transcript_cut: m.cut.clone(),
    };
    let named: Vec<&str> = analysis
        .participants
        .iter()
        .filter(|x| x.side == Speaker::Prospect && x.name != Speaker::Prospect.as_str())
        .map(|x| x.name.as_str())
        .collect();
    let prospect = match named.as_slice() {
        [one] => one.split_whitespace().next(),
        _ => None,
    };
    let (bullets, overall) = feedback::feedback(&feedback::Facts {
        analysis: &analysis,
        process_question: process_at.map(|i| &analysis.questions.items[i]),
        process_within_ms: minutes_ms(p.process_within_minutes),
        prospect,
    });
    analysis.feedback = bullets;
    analysis.overall = overall;
    analysis
}

export_skill!(CoachingAnalysis);

#[cfg(test)]
mod tests;
