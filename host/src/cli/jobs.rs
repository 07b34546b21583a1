//! `baton jobs list | show`: jobs with their status, steps, gates,
//! follow-ups and execution metadata; refused events with their reasons.

use super::conductor::{OrgArgs, store_failure};
use super::exit::Failure;
use super::skill::print_json;
use crate::orchestrator::JobState;
use crate::store::{OrgId, Store};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// List an org's jobs, newest first (and refused events with --refused).
    List(ListArgs),
    /// One job: steps, gates, follow-ups, effects and execution metadata.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
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
pub struct ShowArgs {
    /// The job id.
    id: String,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

pub async fn run(cmd: JobsCommand) -> Result<(), Failure> {
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
    let jobs = store.jobs(&org.id, limit).await.map_err(store_failure)?;
    if a.json {
        let mut out = Vec::new();
        for j in &jobs {
            out.push(summary(j));
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

fn summary(j: &crate::store::Job) -> Value {
    let state: JobState = serde_json::from_value(j.state.clone()).unwrap_or_default();
    json!({
        "id": j.id,
        "event_type": j.event_type,
        "event_source": j.event_source,
        "status": j.status,
        "current_step": j.current_step,
        "chain_depth": j.chain_depth,
        "parent_job_id": j.parent_job_id,
        "idempotency_key": j.idempotency_key,
        "scheduled_at": j.scheduled_at,
        "created_at": j.created_at,
        "finished_at": j.finished_at,
        "error": j.error,
        "steps": state.steps,
        "execution": execution(j, &state),
    })
}

/// The spec's execution metadata for a job.
fn execution(j: &crate::store::Job, state: &JobState) -> Value {
    let m = &state.meta;
    json!({
        "sequence_job_id": j.id,
        "event_type": j.event_type,
        "event_source": j.event_source,
        "steps_attempted": m.steps_attempted,
        "steps_completed": m.steps_completed,
        "steps_failed": m.steps_failed,
        "steps_skipped": m.steps_skipped,
        "approval_gates_hit": m.approval_gates_hit,
        "followups_queued": m.followups_queued,
        "followups_dropped": m.followups_dropped,
        "total_duration_ms": j.finished_at.map(|f| f - j.created_at),
        "run_ms": m.run_ms,
        "fuel": m.fuel,
        "total_cost_micros": m.cost_micros,
        "chain_depth": j.chain_depth,
    })
}

/// Everything `jobs show` prints.
pub async fn job_view(store: &Store, org: &OrgId, id: &str) -> Result<Value, Failure> {
    let job = store
        .job(org, id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| Failure::usage(format!("job {id} not found")))?;
    let runs = store.step_runs(org, id).await.map_err(store_failure)?;
    let gates = store.job_actions(org, id).await.map_err(store_failure)?;
    let children = store.children(org, id).await.map_err(store_failure)?;
    let effects = store
        .effects(org, Some(id), 1000)
        .await
        .map_err(store_failure)?;
    let mut view = summary(&job);
    view["step_runs"] = serde_json::to_value(&runs).unwrap_or_default();
    view["approvals"] = gates
        .iter()
        .map(|g| {
            json!({
                "id": g.id, "step": g.step_name, "pattern": g.pattern, "title": g.title,
                "status": g.status, "expires_at": g.expires_at,
            })
        })
        .collect();
    view["children"] = json!(children);
    view["effects"] = serde_json::to_value(&effects).unwrap_or_default();
    Ok(view)
}

/// A job for people.
pub fn print_job(v: &Value) {
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
