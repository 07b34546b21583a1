//! An engagement workflow: the stages an engagement (a deal) moves
//! through, the transitions between them and the event that makes each,
//! the facts a transition needs, the approval class that gates it, who
//! owns each stage and track, what an event does to a track, and where it
//! ends. A TOML document the operator can replace
//! (`workflows/completetech_services.toml` is the default), validated on
//! load with every problem at `file:line:col`, as sequences are.
//!
//! Data only: nothing here touches the store or reads the clock.

use super::{ApprovalClass, TrackStatus};
use baton_engine::orchestrator::sequence::line_col;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The track every workflow has: the stages themselves.
pub const LIFECYCLE: &str = "lifecycle";

/// The workflow shipped with baton: the CompleteTech services lifecycle.
pub const DEFAULT: &str = include_str!("../../../../workflows/completetech_services.toml");
/// Its name, as errors in it are reported.
pub const DEFAULT_FILE: &str = "workflows/completetech_services.toml";

/// A validated workflow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workflow {
    pub workflow_type: String,
    pub version: u32,
    pub initial: String,
    pub support_outputs: Vec<String>,
    pub roles: Vec<String>,
    /// Fact name → what it is and the track it serves.
    pub fields: BTreeMap<String, FieldDef>,
    pub tracks: Vec<TrackDef>,
    pub stages: Vec<StageDef>,
    pub transitions: Vec<TransitionDef>,
    pub routes: Vec<RouteDef>,
}

/// A stage as the workflow defines it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageDef {
    pub name: String,
    pub owner: Option<String>,
    pub terminal: bool,
    /// The CRM pipeline stage a deal in it is at, when the workflow says.
    pub crm_stage: Option<String>,
}

/// A fact a transition may require.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDef {
    pub about: String,
    /// The track a conflict over it stops (`lifecycle` unless the file
    /// names another).
    pub track: String,
}

/// A track every engagement carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackDef {
    pub name: String,
    pub owner: String,
    pub depends_on: Vec<String>,
}

/// A move from one stage to another, made by an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionDef {
    pub from: String,
    pub to: String,
    pub on: String,
    /// Facts that must be known before it is made.
    pub requires: Vec<String>,
    /// The approval class that must be approved first.
    pub gate: Option<ApprovalClass>,
    /// What the gate's approval may permit besides the move itself (a
    /// partial approval permits some of it).
    pub gate_permits: Vec<String>,
}

/// What an event does to a track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteDef {
    pub on: String,
    pub track: String,
    pub status: TrackStatus,
    pub note: String,
}

impl Workflow {
    /// The shipped workflow.
    pub fn shipped() -> Workflow {
        // Checked by a test; a broken default is a build defect, not input.
        #[allow(clippy::expect_used)]
        parse(Path::new(DEFAULT_FILE), DEFAULT).expect("the shipped workflow is valid")
    }

    /// Read and validate a workflow file.
    pub fn load(file: &Path) -> Result<Workflow, WorkflowError> {
        let text = std::fs::read_to_string(file).map_err(|e| WorkflowError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: format!("cannot read the workflow: {e}"),
        })?;
        parse(file, &text)
    }

    pub fn stage(&self, name: &str) -> Option<&StageDef> {
        self.stages.iter().find(|s| s.name == name)
    }

    /// The transition `event` makes from `stage`, if it makes one.
    pub fn transition(&self, stage: &str, event: &str) -> Option<&TransitionDef> {
        self.transitions
            .iter()
            .find(|t| t.from == stage && t.on == event)
    }

    /// The track a conflict over fact `name` stops.
    pub fn field_track(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map_or(LIFECYCLE, |f| f.track.as_str())
    }

    /// What `event` does to the tracks.
    pub fn routes(&self, event: &str) -> impl Iterator<Item = &RouteDef> {
        self.routes.iter().filter(move |r| r.on == event)
    }

    /// Every route, in the file's order.
    pub fn all_routes(&self) -> impl Iterator<Item = &RouteDef> {
        self.routes.iter()
    }
}

/// A problem in a workflow file, at its line and column (1-based; 0 when
/// the file could not be read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct WorkflowError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for WorkflowError {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    workflow_type: Spanned<String>,
    version: Spanned<u32>,
    initial: Spanned<String>,
    #[serde(default)]
    support_outputs: Vec<String>,
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<String, Spanned<RawField>>,
    #[serde(default)]
    track: Vec<Spanned<RawTrack>>,
    stage: Vec<Spanned<RawStage>>,
    #[serde(default)]
    transition: Vec<Spanned<RawTransition>>,
    #[serde(default)]
    route: Vec<Spanned<RawRoute>>,
}

/// A `[fields]` entry: what it is, or what it is and its track.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawField {
    About(String),
    Full { about: String, track: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrack {
    name: Spanned<String>,
    owner: Spanned<String>,
    #[serde(default)]
    depends_on: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    name: Spanned<String>,
    owner: Option<Spanned<String>>,
    #[serde(default)]
    terminal: bool,
    crm_stage: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    from: Spanned<String>,
    to: Spanned<String>,
    on: Spanned<String>,
    requires: Vec<Spanned<String>>,
    gate: Option<ApprovalClass>,
    #[serde(default)]
    gate_permits: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    on: Spanned<String>,
    track: Spanned<String>,
    status: TrackStatus,
    #[serde(default)]
    note: String,
}

/// Whether `s` is a name: lowercase letters, digits and `_`, from a letter.
fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Parse and validate one workflow document; `file` names it in errors.
pub fn parse(file: &Path, text: &str) -> Result<Workflow, WorkflowError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        WorkflowError {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        at(
            e.span().map_or(0, |s| s.start),
            e.message().trim().to_owned(),
        )
    })?;
    let named = |s: &Spanned<String>, what: &str| {
        if is_name(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(at(
                s.span().start,
                format!(
                    "{what} `{}` must be lowercase letters, digits and `_`",
                    s.get_ref()
                ),
            ))
        }
    };
    let workflow_type = named(&raw.workflow_type, "workflow_type")?;
    if *raw.version.get_ref() == 0 {
        return Err(at(raw.version.span().start, "version starts at 1".into()));
    }
    let roles: Vec<String> = raw
        .roles
        .iter()
        .map(|r| named(r, "role"))
        .collect::<Result<_, _>>()?;
    let role = |s: &Spanned<String>| {
        if roles.contains(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(at(
                s.span().start,
                format!(
                    "owner `{}` is not one of the roles ({})",
                    s.get_ref(),
                    roles.join(", ")
                ),
            ))
        }
    };
    for (name, f) in &raw.fields {
        if !is_name(name) {
            return Err(at(
                f.span().start,
                format!("field `{name}` must be lowercase letters, digits and `_`"),
            ));
        }
    }

    let mut stages: Vec<StageDef> = Vec::new();
    let mut stage_at: BTreeMap<String, usize> = BTreeMap::new();
    for s in &raw.stage {
        let name = named(&s.get_ref().name, "stage")?;
        if stage_at.insert(name.clone(), s.span().start).is_some() {
            return Err(at(
                s.get_ref().name.span().start,
                format!("stage `{name}` is defined twice"),
            ));
        }
        stages.push(StageDef {
            name,
            owner: s.get_ref().owner.as_ref().map(&role).transpose()?,
            terminal: s.get_ref().terminal,
            crm_stage: s.get_ref().crm_stage.clone(),
        });
    }
    if stages.is_empty() {
        return Err(at(0, "a workflow needs at least one [[stage]]".into()));
    }
    let stage = |s: &Spanned<String>| {
        if stage_at.contains_key(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(at(
                s.span().start,
                format!("unknown stage `{}`", s.get_ref()),
            ))
        }
    };
    let initial = stage(&raw.initial)?;

    let mut tracks: Vec<TrackDef> = Vec::new();
    for t in &raw.track {
        let t = t.get_ref();
        let name = named(&t.name, "track")?;
        if tracks.iter().any(|k| k.name == name) {
            return Err(at(
                t.name.span().start,
                format!("track `{name}` is defined twice"),
            ));
        }
        tracks.push(TrackDef {
            name,
            owner: role(&t.owner)?,
            depends_on: Vec::new(),
        });
    }
    let track_names: BTreeSet<String> = tracks.iter().map(|t| t.name.clone()).collect();
    let track = |s: &Spanned<String>| {
        if track_names.contains(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(at(
                s.span().start,
                format!("unknown track `{}`", s.get_ref()),
            ))
        }
    };
    for (def, raw_t) in tracks.iter_mut().zip(&raw.track) {
        for d in &raw_t.get_ref().depends_on {
            let d = track(d)?;
            if d == def.name {
                return Err(at(
                    raw_t.span().start,
                    format!("track `{d}` depends on itself"),
                ));
            }
            def.depends_on.push(d);
        }
    }

    let mut transitions: Vec<TransitionDef> = Vec::new();
    for t in &raw.transition {
        let r = t.get_ref();
        let from = stage(&r.from)?;
        let to = stage(&r.to)?;
        let on = named(&r.on, "event")?;
        if from == to {
            return Err(at(
                r.to.span().start,
                format!("a transition from `{from}` to itself moves nothing"),
            ));
        }
        if stages.iter().any(|s| s.name == from && s.terminal) {
            return Err(at(
                r.from.span().start,
                format!("`{from}` is terminal: nothing leaves it"),
            ));
        }
        if transitions.iter().any(|k| k.from == from && k.on == on) {
            return Err(at(
                r.on.span().start,
                format!("`{on}` already moves `{from}` elsewhere: one event, one transition"),
            ));
        }
        let mut requires = Vec::new();
        for f in &r.requires {
            if !raw.fields.contains_key(f.get_ref()) {
                return Err(at(
                    f.span().start,
                    format!(
                        "required field `{}` is not in [fields]: declare what it is",
                        f.get_ref()
                    ),
                ));
            }
            requires.push(f.get_ref().clone());
        }
        let mut gate_permits = Vec::new();
        for p in &r.gate_permits {
            let name = p.get_ref();
            if r.gate.is_none() {
                return Err(at(
                    p.span().start,
                    "`gate_permits` without a `gate`: name the approval class that permits them"
                        .into(),
                ));
            }
            if !is_name(name) || *name == on || gate_permits.contains(name) {
                return Err(at(
                    p.span().start,
                    format!(
                        "`{name}` in gate_permits: an action name (lowercase, digits, `_`), once, other than the event itself"
                    ),
                ));
            }
            gate_permits.push(name.clone());
        }
        transitions.push(TransitionDef {
            from,
            to,
            on,
            requires,
            gate: r.gate,
            gate_permits,
        });
    }

    if !track_names.contains(LIFECYCLE) {
        return Err(at(
            0,
            format!("a workflow needs the `{LIFECYCLE}` track (the stages themselves)"),
        ));
    }
    let mut fields = BTreeMap::new();
    for (name, f) in &raw.fields {
        let def = match f.get_ref() {
            RawField::About(about) => FieldDef {
                about: about.clone(),
                track: LIFECYCLE.to_owned(),
            },
            RawField::Full { about, track: t } => FieldDef {
                about: about.clone(),
                track: track(&Spanned::new(f.span(), t.clone()))?,
            },
        };
        fields.insert(name.clone(), def);
    }

    let mut routes = Vec::new();
    for r in &raw.route {
        let r = r.get_ref();
        routes.push(RouteDef {
            on: named(&r.on, "event")?,
            track: track(&r.track)?,
            status: r.status,
            note: r.note.clone(),
        });
    }

    let workflow = Workflow {
        workflow_type,
        version: *raw.version.get_ref(),
        initial,
        support_outputs: raw.support_outputs,
        roles: roles.clone(),
        fields,
        tracks,
        stages,
        transitions,
        routes,
    };
    check_graph(&workflow, |name| {
        at(stage_at.get(name).copied().unwrap_or(0), String::new())
    })?;
    Ok(workflow)
}

/// Every stage reachable from the initial one, and a terminal stage
/// reachable from each: no stage is unreachable, none is a dead end, and
/// no cycle lacks an exit. `at` places an error on a stage's table.
fn check_graph(w: &Workflow, at: impl Fn(&str) -> WorkflowError) -> Result<(), WorkflowError> {
    let with = |name: &str, message: String| WorkflowError {
        message,
        ..at(name)
    };
    if !w.stages.iter().any(|s| s.terminal) {
        return Err(with(
            &w.stages[0].name,
            "no stage is terminal: an engagement could never end (mark one `terminal = true`)"
                .into(),
        ));
    }
    let next = |s: &str| -> Vec<&str> {
        w.transitions
            .iter()
            .filter(|t| t.from == s)
            .map(|t| t.to.as_str())
            .collect()
    };
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::from([from.to_owned()]);
        let mut queue = VecDeque::from([from.to_owned()]);
        while let Some(s) = queue.pop_front() {
            for n in next(&s) {
                if seen.insert(n.to_owned()) {
                    queue.push_back(n.to_owned());
                }
            }
        }
        seen
    };
    let reachable = reach(&w.initial);
    for s in &w.stages {
        if !reachable.contains(&s.name) {
            return Err(with(
                &s.name,
                format!(
                    "stage `{}` cannot be reached from `{}`: no transition leads to it",
                    s.name, w.initial
                ),
            ));
        }
    }
    for s in &w.stages {
        let onward = reach(&s.name);
        if onward
            .iter()
            .any(|n| w.stage(n).is_some_and(|d| d.terminal))
        {
            continue;
        }
        let message = if onward.len() == 1 {
            format!(
                "stage `{}` is not terminal and no transition leaves it",
                s.name
            )
        } else {
            let others: Vec<&str> = onward.iter().map(String::as_str).collect();
            format!(
                "stage `{}` is in a cycle with no exit: from it only {} can be reached, none terminal",
                s.name,
                others.join(", ")
            )
        };
        return Err(with(&s.name, message));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
