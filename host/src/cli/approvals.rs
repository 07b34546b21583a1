//! `baton approvals list | decide`.

use super::conductor::{OrgArgs, store_failure};
use super::exit::Failure;
use super::skill::{print_json, read_arg_any};
use crate::orchestrator::{Decider, approvals};
use crate::runtime::Decision;
use clap::{ArgGroup, Args, Subcommand};
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum ApprovalsCommand {
    /// List gates (open ones unless --all).
    List(ListArgs),
    /// Decide one gate.
    Decide(DecideArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
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
pub struct DecideArgs {
    /// The approval id.
    id: String,
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
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

pub async fn run(cmd: ApprovalsCommand) -> Result<(), Failure> {
    match cmd {
        ApprovalsCommand::List(a) => list(a).await,
        ApprovalsCommand::Decide(a) => decide(a).await,
    }
}

async fn list(a: ListArgs) -> Result<(), Failure> {
    let (store, org) = a.target.open().await?;
    let status = if a.all { None } else { Some("open") };
    let gates = store
        .pending_actions(&org.id, status, 1000)
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
    let (store, org) = a.target.open().await?;
    let action = approvals::decide(
        &store,
        crate::store::now_ms(),
        &org.id,
        &a.id,
        decision,
        &Decider {
            by: a.by.as_deref().map_or("cli".into(), |h| format!("cli:{h}")),
            note: a.note.clone(),
        },
    )
    .await?;
    if a.json {
        return print_json(&json!({
            "id": action.id, "status": action.status, "job_id": action.job_id,
            "decision": action.decision,
        }));
    }
    println!(
        "decided: approval {} of job {}; the job resumes when a worker picks it up \
         (`baton worker`, or at once under `baton serve`)",
        action.id, action.job_id
    );
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
