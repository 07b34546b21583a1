//! `baton jobs list | show`: jobs with their status, steps, gates,
//! follow-ups and execution metadata; refused events with their reasons.

use super::conductor::{OrgArgs, store_failure};
use super::exit::Failure;
use super::io::print_json;
use crate::orchestrator::views;
use crate::store::{JobId, OrgId, Reach, Store};
use clap::{Args, Subcommand};
use serde_json::Value;

#[derive(Subcommand, Debug)]
pub(super) enum JobsCommand {
    /// List an org's jobs, newest first (and refused events with --refused).
    List(ListArgs),
    /// One job: steps, gates, follow-ups, effects and execution metadata.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub(super) struct ListArgs {
    /// List refused events instead, with their reasons.
    #[arg(long)]
    refused: bool,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    limit: i64,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

#[derive(Args, Debug)]
pub(super) struct ShowArgs {
    /// The job id.
    id: JobId,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

pub(super) async fn run(cmd: JobsCommand) -> Result<(), Failure> {
    match cmd {
        JobsCommand::List(a) => list(a).await,
        JobsCommand::Show(a) => {
            let (store, org) = a.target.open().await?;
            let view = job_view(&store, &org.id, &a.id).await?;
            if a.json {
                print_json(&view)
            } else {
                print_job(&view);
                Ok(())
            }
        }
    }
}

async fn list(a: ListArgs) -> Result<(), Failure> {
    let (store, org) = a.target.open().await?;
    let limit = a.limit.clamp(1, 10_000);
    if a.refused {
        let rows = store
            .refusals(&org.slug, limit)
            .await
            .map_err(store_failure)?;
        if a.json {
            return print_json(&serde_json::to_value(&rows).unwrap_or_default());
        }
        for r in rows {
            println!(
                "{}  {:<20} {:<22} {}",
                r.id, r.event_type, r.reason, r.detail
            );
        }
        return Ok(());
    }
    let jobs = store
        .jobs(&org.id, &Reach::Org, limit)
        .await
        .map_err(store_failure)?;
    if a.json {
        let mut out = Vec::new();
        for j in &jobs {
            out.push(views::job_summary(j));
        }
        return print_json(&Value::Array(out));
    }
    if jobs.is_empty() {
        println!("no jobs in org `{}`", org.slug);
    }
    for j in jobs {
        println!(
            "{}  {:<20} {:<18} step {}  depth {}",
            j.id,
            j.event_type,
            j.status.as_str(),
            j.current_step,
            j.chain_depth
        );
    }
    Ok(())
}

/// Everything `jobs show` prints.
pub(super) async fn job_view(store: &Store, org: &OrgId, id: &JobId) -> Result<Value, Failure> {
    views::job_view(store, org, id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| Failure::usage(format!("job {id} not found")))
}

/// A job for people.
pub(crate) fn print_job(v: &Value) {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_owned();
    println!(
        "job {}  {}  status {}",
        s("id"),
        s("event_type"),
        s("status")
    );
    if let Some(e) = v["error"].as_str() {
        println!("  error: {e}");
    }
    if let Some(runs) = v["step_runs"].as_array() {
        for r in runs {
            println!(
                "  step {} {:<28} attempt {} {:<18} {}",
                r["step_index"],
                r["step_name"].as_str().unwrap_or(""),
                r["attempt"],
                r["status"].as_str().unwrap_or(""),
                r["error"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(denials) = v["denials"].as_array() {
        for d in denials {
            println!(
                "  denied step {} attempt {}: {}",
                d["step_index"],
                d["attempt"],
                d["message"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(gates) = v["approvals"].as_array() {
        for g in gates {
            println!(
                "  approval {} ({}, {}): {}",
                g["id"].as_str().unwrap_or(""),
                g["pattern"].as_str().unwrap_or(""),
                g["status"].as_str().unwrap_or(""),
                g["title"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(children) = v["children"].as_array()
        && !children.is_empty()
    {
        println!("  follow-up jobs: {}", children.len());
    }
    let x = &v["execution"];
    println!(
        "  steps: {} attempted, {} completed, {} failed, {} skipped; gates {}; cost ${:.6}",
        x["steps_attempted"],
        x["steps_completed"],
        x["steps_failed"],
        x["steps_skipped"],
        x["approval_gates_hit"],
        x["total_cost_micros"].as_i64().unwrap_or(0) as f64 / 1e6
    );
}
