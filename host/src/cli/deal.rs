//! `baton deal show ID`: a deal's engagement (stage, status, tracks,
//! facts, missing information, the next decision, artifact versions, tasks
//! and its event log); `baton workflow check [FILE]`: validate an
//! engagement workflow file.

use super::conductor::{OrgArgs, store_failure};
use super::exit::Failure;
use super::io::print_json;
use crate::sales::engagement::Workflow;
use crate::sales::lifecycle::view::{DealState, deal_state};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub(super) enum DealCommand {
    /// A deal's engagement and its event log.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub(super) struct ShowArgs {
    /// The deal's id.
    id: String,
    /// The engagement workflow (default: the shipped one).
    #[arg(long, env = "BATON_WORKFLOW", value_name = "FILE")]
    workflow: Option<PathBuf>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

#[derive(Subcommand, Debug)]
pub(super) enum WorkflowCommand {
    /// Check an engagement workflow file (exit 2, naming the line, when it
    /// is invalid).
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub(super) struct CheckArgs {
    /// The file (default: the shipped workflow).
    file: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

fn workflow(file: Option<&Path>) -> Result<Workflow, Failure> {
    match file {
        Some(f) => Workflow::load(f).map_err(|e| Failure::usage(format!("invalid workflow: {e}"))),
        None => Ok(Workflow::shipped()),
    }
}

pub(super) async fn run(cmd: DealCommand) -> Result<(), Failure> {
    match cmd {
        DealCommand::Show(a) => show(a).await,
    }
}

async fn show(a: ShowArgs) -> Result<(), Failure> {
    let w = workflow(a.workflow.as_deref())?;
    let (store, org) = a.target.open().await?;
    let Some(d) = deal_state(&store, &w, &org.id, &a.id)
        .await
        .map_err(store_failure)?
    else {
        return Err(Failure::usage(format!(
            "no deal `{}` in org `{}`",
            a.id, org.slug
        )));
    };
    if a.json {
        return print_json(&serde_json::to_value(&d).unwrap_or_default());
    }
    print!("{}", text(&d));
    Ok(())
}

/// The deal's state as the terminal shows it.
fn text(d: &DealState) -> String {
    use std::fmt::Write;
    let s = &d.state;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", d.deal.name, d.deal.id);
    let _ = writeln!(
        out,
        "  stage {}  status {}  crm stage {}  workflow {} v{}{}",
        s.stage,
        s.status,
        d.deal.stage,
        s.workflow_type,
        s.workflow_version,
        if d.started {
            ""
        } else {
            "  (nothing has happened yet)"
        }
    );
    if let Some(n) = &s.next_decision {
        let _ = writeln!(out, "  next decision: {n}");
    }
    if !s.missing_info.is_empty() {
        let _ = writeln!(out, "  missing: {}", s.missing_info.join(", "));
    }
    let _ = writeln!(out, "tracks");
    for t in &s.tracks {
        let _ = write!(out, "  {:<14} {:<10} owner {}", t.name, t.status, t.owner);
        if !t.blockers.is_empty() {
            let _ = write!(out, "  blocked by: {}", t.blockers.join("; "));
        }
        let _ = writeln!(out);
    }
    if !s.facts.is_empty() {
        let _ = writeln!(out, "facts");
        for (name, f) in &s.facts {
            let _ = writeln!(out, "  {name} = {}  ({})", f.value, f.source);
        }
    }
    for c in &s.conflicts {
        let _ = writeln!(
            out,
            "conflict on {}: {} ({}) vs {} ({}); {} stops",
            c.fact, c.held.value, c.held.source, c.other.value, c.other.source, c.track
        );
    }
    let live: Vec<_> = s.approvals.iter().filter(|a| a.is_live()).collect();
    if !live.is_empty() {
        let _ = writeln!(out, "approvals");
        for a in live {
            let _ = write!(out, "  {}  {}", a.label(), a.state);
            if !a.permits.is_empty() {
                let _ = write!(out, "  permits {}", a.permits.join(", "));
            }
            if let Some(by) = &a.decided_by {
                let _ = write!(out, "  by {by}");
            }
            if !a.blockers.is_empty() {
                let _ = write!(out, "  held: {}", a.blockers.join("; "));
            }
            let _ = writeln!(out);
        }
    }
    if !d.artifacts.is_empty() {
        let _ = writeln!(out, "artifacts");
        for a in &d.artifacts {
            let _ = writeln!(
                out,
                "  {} v{} {:?} ({}): {}",
                a.artifact, a.version, a.status, a.detail, a.title
            );
        }
    }
    if !d.tasks.is_empty() {
        let _ = writeln!(out, "tasks");
        for t in &d.tasks {
            let _ = writeln!(out, "  [{}] {}", t.status, t.title);
        }
    }
    let _ = writeln!(out, "events");
    if d.events.is_empty() {
        let _ = writeln!(out, "  none yet");
    }
    for e in &d.events {
        let what = e
            .decision
            .as_deref()
            .or(e.notes.as_deref())
            .unwrap_or(e.happening.as_str());
        let _ = writeln!(
            out,
            "  {:>3} {:<18} {:<18} {}  by {}",
            e.seq,
            e.event_type.0.as_str(),
            e.related_track.as_deref().unwrap_or("-"),
            what,
            e.actor
        );
    }
    out
}

pub(super) fn workflow_cmd(cmd: WorkflowCommand) -> Result<(), Failure> {
    match cmd {
        WorkflowCommand::Check(a) => check(a),
    }
}

fn check(a: CheckArgs) -> Result<(), Failure> {
    let w = workflow(a.file.as_deref())?;
    if a.json {
        return print_json(&serde_json::to_value(&w).unwrap_or_default());
    }
    println!(
        "{} v{}: {} stages, {} transitions, {} tracks, {} routes",
        w.workflow_type,
        w.version,
        w.stages.len(),
        w.transitions.len(),
        w.tracks.len(),
        w.routes.len()
    );
    Ok(())
}
