//! `baton approvals list | decide`.

use super::conductor::{ConductorArgs, OrgArgs, pick_org, store_failure};
use super::exit::Failure;
use super::io::{print_json, read_arg_any};
use crate::orchestrator::Decider;
use crate::runtime::Decision;
use crate::store::{GateId, GateStatus, Reach};
use clap::{ArgGroup, Args, Subcommand};
use serde_json::json;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub(super) enum ApprovalsCommand {
    /// List gates (open ones unless --all).
    List(ListArgs),
    /// Decide one gate.
    Decide(Box<DecideArgs>),
}

#[derive(Args, Debug)]
pub(super) struct ListArgs {
    /// Every gate, whatever its status.
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("decision").required(true)
    .args(["approve", "edit", "skip", "cancel", "choose", "items"])))]
pub(super) struct DecideArgs {
    /// The approval id.
    id: GateId,
    /// Approve as proposed.
    #[arg(long)]
    approve: bool,
    /// Approve with this draft instead (JSON or @FILE).
    #[arg(long, value_name = "JSON|@FILE")]
    edit: Option<String>,
    /// Skip the step; the sequence goes on.
    #[arg(long)]
    skip: bool,
    /// Cancel the whole sequence.
    #[arg(long)]
    cancel: bool,
    /// Pick option N (0-based) of a `choose` gate.
    #[arg(long, value_name = "N")]
    choose: Option<u32>,
    /// Per-item decisions of a `batch` gate, e.g. `1,0,1`.
    #[arg(long, value_name = "1,0,…")]
    items: Option<String>,
    /// Who decides (a user handle), recorded as `cli:<handle>`: the
    /// operator at the database is the credential.
    #[arg(long)]
    by: Option<String>,
    /// A note to keep with the decision.
    #[arg(long)]
    note: Option<String>,
    /// Give up running the resumed job here after this many seconds (a
    /// worker carries on from its last checkpoint).
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    wait_secs: u64,
    #[arg(long)]
    json: bool,
    /// The org's slug (optional when the database holds one org).
    #[arg(long)]
    org: Option<String>,
    #[command(flatten)]
    conductor: ConductorArgs,
}

pub(super) async fn run(cmd: ApprovalsCommand) -> Result<(), Failure> {
    match cmd {
        ApprovalsCommand::List(a) => list(a).await,
        ApprovalsCommand::Decide(a) => decide(*a).await,
    }
}

async fn list(a: ListArgs) -> Result<(), Failure> {
    let (store, org) = a.target.open().await?;
    let status = if a.all { None } else { Some(GateStatus::Open) };
    let gates = store
        .pending_actions(&org.id, &Reach::Org, status, 1000)
        .await
        .map_err(store_failure)?;
    if a.json {
        return print_json(&serde_json::to_value(&gates).unwrap_or_default());
    }
    if gates.is_empty() {
        println!(
            "no {}approvals in org `{}`",
            if a.all { "" } else { "open " },
            org.slug
        );
    }
    for g in gates {
        println!(
            "{}  {:<8} {:<9} job {} step {}: {}",
            g.id, g.pattern, g.status, g.job_id, g.step_name, g.title
        );
    }
    Ok(())
}

async fn decide(a: DecideArgs) -> Result<(), Failure> {
    let decision = if a.approve {
        Decision::Approved
    } else if let Some(e) = &a.edit {
        Decision::Edited(read_arg_any(e, "--edit")?)
    } else if a.skip {
        Decision::Skipped
    } else if a.cancel {
        Decision::Cancelled
    } else if let Some(n) = a.choose {
        Decision::Chosen(n)
    } else if let Some(items) = &a.items {
        Decision::PerItem(parse_items(items)?)
    } else {
        return Err(Failure::usage("give one decision"));
    };
    let orch = a.conductor.open(false).await?;
    let org = pick_org(&orch.store, a.org.as_deref()).await?;
    // The CLI holds the database: it acts for the whole org.
    let who = Decider {
        note: a.note.clone(),
        ..Decider::new(
            a.by.as_deref().map_or("cli".into(), |h| format!("cli:{h}")),
            Reach::Org,
        )
    };
    let action = orch.decide(&org.id, &a.id, decision, &who).await?;
    // No worker of this process waits to be woken: resume the job here, at
    // once, when this process has every skill its sequence needs. Else a
    // worker that has them (`baton serve`, `baton worker`) resumes it.
    let job = orch
        .store
        .job(&org.id, &action.job_id)
        .await
        .map_err(store_failure)?;
    let sequences = orch.sequences();
    let missing = job
        .as_ref()
        .and_then(|j| sequences.get(&j.event_type))
        .map(|seq| orch.missing_skills(seq))
        .unwrap_or_default();
    let status = if job.is_some() && missing.is_empty() {
        let status = orch
            .run_until_rest(&org.id, &action.job_id, Duration::from_secs(a.wait_secs))
            .await?;
        Some(status)
    } else {
        None
    };
    if a.json {
        return print_json(&json!({
            "id": action.id, "status": action.status, "job_id": action.job_id,
            "decision": action.decision, "job_status": status,
        }));
    }
    match status {
        Some(s) => println!(
            "decided: approval {} of job {}; the job ran on and is now {}",
            action.id,
            action.job_id,
            s.as_str()
        ),
        None => println!(
            "decided: approval {} of job {}; the job resumes when a worker with its skills \
             picks it up (not installed here: {})",
            action.id,
            action.job_id,
            missing.join(", ")
        ),
    }
    Ok(())
}

fn parse_items(s: &str) -> Result<Vec<bool>, Failure> {
    s.split(',')
        .map(|p| match p.trim() {
            "1" | "y" | "yes" | "true" => Ok(true),
            "0" | "n" | "no" | "false" => Ok(false),
            other => Err(Failure::usage(format!(
                "--items: `{other}` is not 1 or 0 (e.g. --items 1,0,1)"
            ))),
        })
        .collect()
}
