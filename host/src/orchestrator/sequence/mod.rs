//! Declarative sequences: `sequences/*.toml`, one event type per file,
//! loaded and validated at start-up. Every problem names its file, line and
//! column. See `docs/sequences.md` for the format.

use super::condition::Condition;
use crate::runtime::Capability;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// Roots a step condition may read: the event, and earlier steps' results.
pub const CONDITION_ROOTS: &[&str] = &["event", "steps"];

/// Upper bound on retry attempts.
const MAX_ATTEMPTS: u32 = 10;
/// Default wait before the first retry; each further retry doubles it.
const DEFAULT_BACKOFF: Duration = Duration::from_secs(1);
/// Default time a person has to answer a gate.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);

/// A context tier a step reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Tier 1: org profile, user and preferences, features, budget.
    Org,
    /// Tier 2: the contact, company, deals, meetings, emails, activities.
    Contact,
    /// Tier 3: one external provider.
    External(String),
}

impl Tier {
    fn parse(s: &str) -> Result<Tier, String> {
        match s {
            "org" => Ok(Tier::Org),
            "contact" => Ok(Tier::Contact),
            _ => match s.strip_prefix("external:") {
                Some(p) if !p.is_empty() => Ok(Tier::External(p.to_owned())),
                _ => Err(format!(
                    "unknown context tier `{s}`: use `org`, `contact` or `external:<provider>`"
                )),
            },
        }
    }

    /// The capability a skill needs to read this tier.
    pub fn capability(&self) -> Capability {
        match self {
            Tier::Org => Capability::ContextOrg,
            Tier::Contact => Capability::ContextContact,
            Tier::External(p) => Capability::ContextExternal(p.clone()),
        }
    }
}

/// How a step's result is put to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// No gate (the non-negotiable policy may still add one).
    #[default]
    None,
    /// Approve, edit, skip or cancel the whole result.
    Confirm,
    /// Pick one of the proposed actions.
    Choose,
    /// Decide each proposed action.
    Batch,
    /// Tell the person; do not wait.
    Inform,
}

/// What a failed step does to its sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum OnFailure {
    /// Halt the sequence (status failed) and notify the rep.
    Stop,
    /// Record the failure and go on with the next step.
    Continue,
    /// Try again after `backoff`, doubling each time, up to `max_attempts`
    /// attempts in all; then stop. Terminal errors stop at once.
    Retry {
        max_attempts: u32,
        #[serde(with = "millis")]
        backoff: Duration,
    },
}

/// What an unanswered gate does when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnExpiry {
    /// Skip the step and go on.
    #[default]
    Skip,
    /// Cancel the sequence.
    Cancel,
}

/// One step of a sequence.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: String,
    pub skill: String,
    pub context: Vec<Tier>,
    pub approval: Approval,
    pub on_failure: OnFailure,
    #[serde(serialize_with = "condition_source")]
    pub condition: Option<Condition>,
    pub fuel: Option<u64>,
    #[serde(with = "opt_millis")]
    pub timeout: Option<Duration>,
    pub params: Value,
    /// Consecutive steps with the same group run side by side.
    pub group: Option<String>,
    #[serde(with = "millis")]
    pub expires_after: Duration,
    pub on_expiry: OnExpiry,
    /// Line of the step's `[[step]]` table, for messages.
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    skill_line: usize,
}

/// A validated sequence.
#[derive(Debug, Clone, Serialize)]
pub struct Sequence {
    /// The event type it handles.
    pub event: String,
    pub description: String,
    /// Payload field whose value, with the event type, makes the default
    /// idempotency key (e.g. `meeting_id`).
    pub dedupe_key: Option<String>,
    /// Cost assumed for a step with no history, in micro-dollars.
    pub step_estimate_micros: i64,
    pub steps: Vec<Step>,
    /// Hex sha256 of the file.
    pub hash: String,
    pub file: PathBuf,
}

impl Sequence {
    /// The stages in order: runs of step indices that execute together.
    pub fn stages(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.steps.len() {
            let same = i < self.steps.len()
                && self.steps[i].group.is_some()
                && self.steps[i].group == self.steps[start].group;
            if !same {
                out.push(start..i);
                start = i;
            }
        }
        out
    }

    /// Skills the sequence needs, with the line each is named on.
    pub fn skills(&self) -> impl Iterator<Item = (&str, usize)> {
        self.steps.iter().map(|s| (s.skill.as_str(), s.skill_line))
    }
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

/// Every sequence from one folder, with the problems found loading it.
#[derive(Debug, Clone, Default)]
pub struct Sequences {
    by_event: BTreeMap<String, Sequence>,
    /// Files refused, with why.
    pub errors: Vec<SequenceError>,
}

impl Sequences {
    /// Load every `*.toml` in `dir`. A bad file is reported in `errors` and
    /// left out; the others load.
    pub fn load(dir: &Path) -> std::io::Result<Sequences> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut out = Sequences::default();
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            match parse(&file, &text) {
                Ok(seq) => {
                    if let Some(first) = out.by_event.get(&seq.event) {
                        out.errors.push(SequenceError {
                            file: file.clone(),
                            line: 1,
                            column: 1,
                            message: format!(
                                "event `{}` is already handled by {}",
                                seq.event,
                                first.file.display()
                            ),
                        });
                    } else {
                        out.by_event.insert(seq.event.clone(), seq);
                    }
                }
                Err(e) => out.errors.push(e),
            }
        }
        Ok(out)
    }

    /// The sequence for `event`.
    pub fn get(&self, event: &str) -> Option<&Sequence> {
        self.by_event.get(event)
    }

    /// All sequences, by event type.
    pub fn iter(&self) -> impl Iterator<Item = &Sequence> {
        self.by_event.values()
    }

    /// Add one parsed sequence (tests and embedders).
    pub fn insert(&mut self, seq: Sequence) {
        self.by_event.insert(seq.event.clone(), seq);
    }

    /// For each sequence, the skills it names that `installed` lacks, each
    /// reported at the line that names it.
    pub fn missing_skills(&self, installed: impl Fn(&str) -> bool) -> Vec<SequenceError> {
        let mut out = Vec::new();
        for seq in self.by_event.values() {
            let mut seen = BTreeSet::new();
            for (skill, line) in seq.skills() {
                if !installed(skill) && seen.insert(skill) {
                    out.push(SequenceError {
                        file: seq.file.clone(),
                        line,
                        column: 1,
                        message: format!(
                            "skill `{skill}` is not installed; `{}` events are refused until it is",
                            seq.event
                        ),
                    });
                }
            }
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSequence {
    event: Spanned<String>,
    #[serde(default)]
    description: String,
    dedupe_key: Option<String>,
    /// Dollars.
    step_estimate: Option<f64>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    name: Option<Spanned<String>>,
    skill: Spanned<String>,
    #[serde(default)]
    context: Vec<Spanned<String>>,
    #[serde(default)]
    approval: Approval,
    on_failure: Option<Spanned<String>>,
    max_attempts: Option<Spanned<u32>>,
    backoff_ms: Option<u64>,
    condition: Option<Spanned<String>>,
    fuel: Option<u64>,
    timeout_ms: Option<u64>,
    params: Option<toml::Table>,
    group: Option<String>,
    expires_after_minutes: Option<u64>,
    #[serde(default)]
    on_expiry: OnExpiry,
}

/// Parse and validate one sequence file.
pub fn parse(file: &Path, text: &str) -> Result<Sequence, SequenceError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        SequenceError {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: RawSequence = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_owned())
    })?;
    let event = raw.event.get_ref();
    if !is_event_name(event) {
        return Err(at(
            raw.event.span().start,
            format!("event `{event}` must be lowercase letters, digits and `_`"),
        ));
    }
    if raw.step.is_empty() {
        return Err(at(0, "a sequence needs at least one [[step]]".into()));
    }
    let step_estimate_micros = match raw.step_estimate {
        None => 0,
        Some(d) if d.is_finite() && d >= 0.0 => (d * 1e6).round() as i64,
        Some(d) => {
            return Err(at(
                0,
                format!("step_estimate {d} must be a dollar amount ≥ 0"),
            ));
        }
    };
    let mut steps: Vec<Step> = Vec::new();
    let mut groups_closed = BTreeSet::new();
    for spanned in raw.step {
        let step_at = spanned.span().start;
        let raw = spanned.into_inner();
        let skill = raw.skill.get_ref().clone();
        if !is_skill_name(&skill) {
            return Err(at(
                raw.skill.span().start,
                format!("skill `{skill}` is not a skill name (lowercase letters, digits, `-`)"),
            ));
        }
        let name = match &raw.name {
            Some(n) => n.get_ref().clone(),
            None => skill.clone(),
        };
        if steps.iter().any(|s| s.name == name) {
            let offset = raw.name.as_ref().map_or(step_at, |n| n.span().start);
            return Err(at(
                offset,
                format!("a step named `{name}` comes earlier; give this one a distinct `name`"),
            ));
        }
        let mut context = Vec::new();
        for t in &raw.context {
            context.push(Tier::parse(t.get_ref()).map_err(|m| at(t.span().start, m))?);
        }
        let on_failure = on_failure(&raw).map_err(|(o, m)| at(o.unwrap_or(step_at), m))?;
        let condition = match &raw.condition {
            None => None,
            Some(src) => {
                // +1: the opening quote.
                let base = src.span().start + 1;
                let cond = Condition::parse(src.get_ref(), CONDITION_ROOTS).map_err(|e| {
                    at(
                        base + e.column.saturating_sub(1),
                        format!("condition: {}", e.message),
                    )
                })?;
                for path in cond.paths() {
                    if path.first().map(String::as_str) == Some("steps") {
                        let Some(target) = path.get(1) else {
                            return Err(at(
                                base,
                                "condition: `steps` must be followed by a step name".into(),
                            ));
                        };
                        let earlier = steps.iter().find(|s| &s.name == target);
                        // Steps of one parallel group cannot see each other.
                        let same_group =
                            earlier.is_some_and(|s| s.group.is_some() && s.group == raw.group);
                        if earlier.is_none() || same_group {
                            return Err(at(
                                base,
                                format!(
                                    "condition: `steps.{target}` is not an earlier step (earlier: {})",
                                    names(&steps)
                                ),
                            ));
                        }
                    }
                }
                Some(cond)
            }
        };
        if let Some(g) = &raw.group {
            let continues = steps.last().and_then(|s| s.group.as_ref()) == Some(g);
            if !continues && groups_closed.contains(g) {
                return Err(at(
                    step_at,
                    format!("group `{g}` must be one run of consecutive steps"),
                ));
            }
        }
        if let Some(prev) = steps.last().and_then(|s| s.group.clone())
            && raw.group.as_ref() != Some(&prev)
        {
            groups_closed.insert(prev);
        }
        if raw.fuel == Some(0) || raw.timeout_ms == Some(0) {
            return Err(at(step_at, "fuel and timeout_ms must be positive".into()));
        }
        let params = match raw.params {
            Some(t) => serde_json::to_value(t).map_err(|e| at(step_at, format!("params: {e}")))?,
            None => Value::Object(Default::default()),
        };
        steps.push(Step {
            name,
            skill,
            context,
            approval: raw.approval,
            on_failure,
            condition,
            fuel: raw.fuel,
            timeout: raw.timeout_ms.map(Duration::from_millis),
            params,
            group: raw.group,
            expires_after: raw.expires_after_minutes.map_or(DEFAULT_EXPIRY, |m| {
                Duration::from_secs(m.saturating_mul(60))
            }),
            on_expiry: raw.on_expiry,
            line: line_col(text, step_at).0,
            skill_line: line_col(text, raw.skill.span().start).0,
        });
    }
    Ok(Sequence {
        event: event.clone(),
        description: raw.description,
        dedupe_key: raw.dedupe_key,
        step_estimate_micros,
        steps,
        hash: hex::encode(Sha256::digest(text.as_bytes())),
        file: file.to_owned(),
    })
}

type Located = (Option<usize>, String);

fn on_failure(raw: &RawStep) -> Result<OnFailure, Located> {
    let mode = raw.on_failure.as_ref();
    let retry = mode.is_some_and(|m| m.get_ref() == "retry");
    if !retry {
        if let Some(m) = &raw.max_attempts {
            return Err((
                Some(m.span().start),
                "max_attempts needs on_failure = \"retry\"".into(),
            ));
        }
        if raw.backoff_ms.is_some() {
            return Err((None, "backoff_ms needs on_failure = \"retry\"".into()));
        }
    }
    match mode.map(|m| (m.get_ref().as_str(), m.span().start)) {
        None | Some(("stop", _)) => Ok(OnFailure::Stop),
        Some(("continue", _)) => Ok(OnFailure::Continue),
        Some(("retry", _)) => {
            let max_attempts = raw.max_attempts.as_ref().map_or(3, |m| *m.get_ref());
            if !(2..=MAX_ATTEMPTS).contains(&max_attempts) {
                let offset = raw.max_attempts.as_ref().map(|m| m.span().start);
                return Err((
                    offset,
                    format!("max_attempts must be 2 to {MAX_ATTEMPTS} (it counts the first try)"),
                ));
            }
            Ok(OnFailure::Retry {
                max_attempts,
                backoff: raw
                    .backoff_ms
                    .map_or(DEFAULT_BACKOFF, Duration::from_millis),
            })
        }
        Some((other, offset)) => Err((
            Some(offset),
            format!("unknown on_failure `{other}`: use `stop`, `continue` or `retry`"),
        )),
    }
}

fn names(steps: &[Step]) -> String {
    if steps.is_empty() {
        return "none".into();
    }
    steps
        .iter()
        .map(|s| format!("`{}`", s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_event_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn is_skill_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn condition_source<S: serde::Serializer>(c: &Option<Condition>, s: S) -> Result<S::Ok, S::Error> {
    match c {
        Some(c) => s.serialize_some(c.source()),
        None => s.serialize_none(),
    }
}

mod millis {
    use std::time::Duration;
    pub fn serialize<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u128(d.as_millis())
    }
}

mod opt_millis {
    use std::time::Duration;
    pub fn serialize<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&(d.as_millis() as u64)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Sequence, SequenceError> {
        parse(Path::new("seq.toml"), text)
    }

    #[test]
    fn a_full_sequence_parses() {
        let seq = p(r#"
event = "email_received"
description = "Classify, then branch."
dedupe_key = "message_id"

[[step]]
skill = "classify-email-intent"
context = ["org"]
on_failure = "retry"
max_attempts = 3
backoff_ms = 200

[[step]]
name = "enrich-a"
skill = "enrich"
group = "enrich"
context = ["external:apollo"]
on_failure = "continue"

[[step]]
name = "enrich-b"
skill = "enrich"
group = "enrich"

[[step]]
skill = "draft-reply"
approval = "confirm"
condition = 'steps.classify-email-intent.data.intent == "needs_response"'
params = { tone = "warm" }
"#)
        .unwrap();
        assert_eq!(seq.event, "email_received");
        assert_eq!(seq.steps.len(), 4);
        assert_eq!(seq.stages(), vec![0..1, 1..3, 3..4]);
        assert_eq!(
            seq.steps[0].on_failure,
            OnFailure::Retry {
                max_attempts: 3,
                backoff: Duration::from_millis(200)
            }
        );
        assert_eq!(seq.steps[1].context, vec![Tier::External("apollo".into())]);
        assert_eq!(seq.steps[3].params["tone"], "warm");
        assert_eq!(seq.steps[3].approval, Approval::Confirm);
    }

    #[test]
    fn an_unknown_field_names_file_line_and_field() {
        let e = p("event = \"x\"\n\n[[step]]\nskill = \"a\"\nretries = 3\n").unwrap_err();
        assert_eq!((e.line, e.file.as_path()), (5, Path::new("seq.toml")));
        assert!(e.message.contains("retries"), "{e}");
        assert!(e.to_string().starts_with("seq.toml:5:"), "{e}");
    }

    #[test]
    fn a_bad_condition_points_into_the_string() {
        let e = p("event = \"x\"\n[[step]]\nskill = \"a\"\n[[step]]\nskill = \"b\"\ncondition = \"steps.a.data.n >\"\n")
            .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.column > 13, "{e}");
        assert!(e.message.starts_with("condition:"), "{e}");
    }

    #[test]
    fn a_condition_may_only_read_earlier_steps() {
        let e = p("event = \"x\"\n[[step]]\nskill = \"a\"\ncondition = \"steps.b.data\"\n[[step]]\nskill = \"b\"\n")
            .unwrap_err();
        assert!(
            e.message.contains("`steps.b` is not an earlier step"),
            "{e}"
        );
        assert_eq!(e.line, 4);
    }

    #[test]
    fn bad_values_are_refused_with_reasons() {
        let cases = [
            (
                "event = \"Bad-Name\"\n[[step]]\nskill = \"a\"\n",
                "lowercase",
            ),
            ("event = \"x\"\n", "at least one [[step]]"),
            (
                "event = \"x\"\n[[step]]\nskill = \"A\"\n",
                "not a skill name",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\napproval = \"maybe\"\n",
                "unknown variant",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\non_failure = \"panic\"\n",
                "unknown on_failure",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\nmax_attempts = 3\n",
                "needs on_failure",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\non_failure = \"retry\"\nmax_attempts = 99\n",
                "max_attempts must be",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\ncontext = [\"crm\"]\n",
                "unknown context tier",
            ),
            (
                "event = \"x\"\n[[step]]\nskill = \"a\"\n[[step]]\nskill = \"a\"\n",
                "distinct `name`",
            ),
            (
                "event = \"x\"\n[[step]]\nname = \"a\"\nskill = \"a\"\ngroup = \"g\"\n[[step]]\nskill = \"b\"\n[[step]]\nskill = \"c\"\ngroup = \"g\"\n",
                "consecutive",
            ),
        ];
        for (text, want) in cases {
            let e = p(text).unwrap_err();
            assert!(e.message.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn missing_skills_are_reported_at_their_line() {
        let mut all = Sequences::default();
        all.insert(
            p("event = \"x\"\n[[step]]\nskill = \"here\"\n[[step]]\nskill = \"gone\"\n").unwrap(),
        );
        let missing = all.missing_skills(|s| s == "here");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].line, 5);
        assert!(missing[0].message.contains("`gone` is not installed"));
    }
}
