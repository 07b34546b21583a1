//! Declarative sequences: `sequences/*.toml`, one event type per file,
//! loaded and validated at start-up and again whenever the folder changes. Every problem names its file, line and
//! column. See `docs/sequences.md` for the format.
//!
//! - `step.rs`: a step and its settings ([`Step`], [`Tier`], [`Approval`],
//!   [`OnFailure`], [`OnExpiry`]).
//! - `raw.rs`: a file's TOML as written, with spans.
//! - `parse.rs`: one file's TOML to a [`Sequence`] ([`parse`]), errors at
//!   `file:line:col`.
//! - `validate.rs`: the rules a step must keep (names, retries, conditions
//!   that read only earlier steps, groups in one run).
//! - `flow.rs`: a sequence with `order = "flow"` laid out in stages from
//!   its skills' declared data flow ([`Sequence::lay_out`]), cycles and
//!   missing producers refused.
//! - `load.rs`: a folder of files ([`Sequences`]).
//! - `live.rs`: the set serving now, reloaded when the folder changes
//!   ([`LiveSequences`]).
//! - `params.rs`: each step's params against its skill's params schema
//!   ([`Sequences::invalid_params`]), once the skills are loaded.
//!
//! A sequence is data: nothing here runs a step, touches the store or reads
//! the clock.

mod flow;
mod live;
mod load;
mod params;
mod parse;
#[cfg(test)]
mod props;
mod raw;
mod step;
mod validate;

pub use live::LiveSequences;
pub use load::{Head, Sequences};
pub use parse::{line_col, parse};
pub use step::{Approval, OnExpiry, OnFailure, Order, Pin, Step, Tier, WaitsOn};

use crate::runtime::Schema;
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// Roots a step condition may read: the event, and earlier steps' results.
pub const CONDITION_ROOTS: &[&str] = &["event", "steps"];

/// A validated sequence.
#[derive(Debug, Clone, Serialize)]
pub struct Sequence {
    /// The event type it handles.
    pub event: String,
    pub description: String,
    /// Payload field whose value, with the event type, makes the default
    /// idempotency key (e.g. `meeting_id`).
    pub dedupe_key: Option<String>,
    /// The file in the sequences folder holding the JSON Schema an event's
    /// payload must meet (`payload_schema`; e.g.
    /// `payloads/meeting_ended.schema.json`), as written.
    pub payload_schema: Option<String>,
    /// That schema, compiled when the folder is loaded
    /// ([`Sequences::load`]); `None` without one, or for a sequence parsed
    /// on its own.
    #[serde(skip)]
    pub payload: Option<Schema>,
    /// Cost assumed for a step with no history, in micro-dollars.
    pub step_estimate_micros: i64,
    /// Whether a job keeps the skill versions it started on.
    pub pin: Pin,
    /// How its steps are put in order; under `flow` the steps are held in
    /// the order [`Sequence::lay_out`] gave them, stage by stage.
    pub order: Order,
    pub steps: Vec<Step>,
    /// Hex sha256 of the file, and of its layout once laid out by flow:
    /// what a job records to finish on the sequence it started with.
    pub hash: String,
    /// Hex sha256 of the file alone.
    #[serde(skip)]
    pub file_hash: String,
    /// The file's text.
    #[serde(skip)]
    pub source: std::sync::Arc<str>,
    /// Its recorded version (`sequence_versions`), once recorded.
    pub version: Option<i64>,
    pub file: PathBuf,
}

impl Sequence {
    /// The stages in order: runs of step indices that execute together.
    pub fn stages(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.steps.len() {
            let same = i < self.steps.len()
                && match (self.steps[i].stage, self.steps[start].stage) {
                    (Some(a), Some(b)) => a == b,
                    _ => {
                        self.steps[i].group.is_some()
                            && self.steps[i].group == self.steps[start].group
                    }
                };
            if !same {
                out.push(start..i);
                start = i;
            }
        }
        out
    }

    /// Skills the sequence needs (fallbacks included), with the line each
    /// is named on.
    pub fn skills(&self) -> impl Iterator<Item = (&str, usize)> {
        self.steps.iter().flat_map(|s| {
            std::iter::once((s.skill.as_str(), s.skill_line))
                .chain(s.on_failure.fallback().map(|f| (f, s.line)))
        })
    }
}

/// What `baton serve` checks of `sequences` once the skills in `registry`
/// are known: the flow sequences laid out from the skills' declared data
/// flow, then every step's params (and a fallback's) against its skill's
/// params schema. Returns the problems; the sequences they name are to be
/// refused.
pub fn check_against(
    registry: &crate::registry::Registry,
    sequences: &mut Sequences,
) -> Vec<SequenceError> {
    let mut problems = sequences.lay_out(|s| registry.get(s).map(|k| k.manifest.flow.clone()));
    problems.extend(sequences.invalid_params(|s| registry.get(s).map(|k| k.params_schema.clone())));
    problems
}

/// A problem in a sequence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SequenceError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SequenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for SequenceError {}

/// `errors` one per line, each indented, for a message under a heading.
pub fn lines(errors: &[SequenceError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| format!("\n  {e}")).collect();
    lines.concat()
}

/// Parse `text` as `seq.toml` (the unit tests' shorthand).
#[cfg(test)]
fn parse_test(text: &str) -> Result<Sequence, SequenceError> {
    parse(std::path::Path::new("seq.toml"), text)
}
