//! Operator commands: `baton worker`, `baton budget`, `baton outbox`,
//! `baton sequences`.

use super::conductor::{ConductorArgs, OrgArgs, store_failure};
use super::exit::{Exit, Failure};
use super::io::print_json;
use crate::connectors::{Deliver, Webhook};
use crate::orchestrator::Sequences;
use crate::store::EffectId;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// Run due jobs (and deliver the outbox) until interrupted.
#[derive(Args, Debug)]
pub(super) struct WorkerArgs {
    /// Deliver effects by POSTing them to this URL (with an Idempotency-Key
    /// header). Without it effects wait in the outbox.
    #[arg(long, env = "BATON_DELIVER_URL", value_name = "URL")]
    deliver_url: Option<String>,
    /// Exit once nothing is due instead of waiting for more.
    #[arg(long)]
    until_idle: bool,
    #[command(flatten)]
    conductor: ConductorArgs,
}

pub(super) async fn worker(args: WorkerArgs) -> Result<(), Failure> {
    let deliver: Option<Arc<dyn Deliver>> = match &args.deliver_url {
        Some(url) => Some(Arc::new(
            Webhook::new(url).map_err(|e| Failure::usage(e.report()))?,
        )),
        None => None,
    };
    let orch = args.conductor.open(true).await?;
    // A worker injects provider keys as `baton serve` does.
    let env: Vec<(String, String)> = std::env::vars().collect();
    if let Some(vault) =
        crate::accounts::Vault::from_env(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| Failure::usage(e.to_string()))?
    {
        orch.lend_provider_keys(vault);
    }
    eprintln!(
        "worker {} on {} sequences, {} skills",
        orch.worker_id(),
        orch.sequences().iter().count(),
        orch.registry.list().len()
    );
    if args.until_idle {
        let n = orch.drain().await?;
        if let Some(d) = &deliver {
            while orch.deliver_due(d.as_ref()).await? > 0 {}
        }
        eprintln!("idle after {n} job runs");
        return Ok(());
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    orch.releases
        .reconcile()
        .await
        .map_err(|e| Failure::new(Exit::Internal, format!("skill release log: {e}")))?;
    let _watches = orch
        .watch_folders()
        .map_err(|(what, e)| Failure::usage(format!("cannot watch {what}: {e}")))?;
    let follow = {
        let (orch, stop) = (orch.clone(), stop_rx.clone());
        tokio::spawn(async move {
            orch.releases
                .follow(std::time::Duration::from_secs(1), stop)
                .await
        })
    };
    let work = {
        let orch = orch.clone();
        tokio::spawn(async move { orch.work(deliver, stop_rx).await })
    };
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("stopping: finishing the steps in flight");
    let _ = stop_tx.send(true);
    work.await
        .map_err(|e| Failure::new(Exit::Internal, e.to_string()))??;
    let _ = follow.await;
    Ok(())
}

#[derive(Subcommand, Debug)]
pub(super) enum BudgetCommand {
    /// Set the org's monthly budget in dollars (`none` removes it).
    Set {
        /// Dollars per month, e.g. 25 or 0.50, or `none`.
        #[arg(long, value_name = "USD")]
        monthly: String,
        #[command(flatten)]
        target: OrgArgs,
    },
    /// Show the budget and what this month has cost.
    Show {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        target: OrgArgs,
    },
}

pub(super) async fn budget(cmd: BudgetCommand) -> Result<(), Failure> {
    match cmd {
        BudgetCommand::Set { monthly, target } => {
            let limit = if monthly == "none" {
                None
            } else {
                let usd: f64 = monthly
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| {
                        Failure::usage(format!(
                            "--monthly `{monthly}` is not a dollar amount ≥ 0 (or `none`)"
                        ))
                    })?;
                Some((usd * 1e6).round() as i64)
            };
            let (store, org) = target.open().await?;
            store
                .set_budget(&org.id, limit)
                .await
                .map_err(store_failure)?;
            match limit {
                Some(l) => println!("org `{}`: ${:.2} a month", org.slug, l as f64 / 1e6),
                None => println!("org `{}`: no budget limit", org.slug),
            }
            Ok(())
        }
        BudgetCommand::Show { json, target } => {
            let (store, org) = target.open().await?;
            let period = crate::orchestrator::budget::period(crate::store::now_ms());
            let limit = store.budget(&org.id).await.map_err(store_failure)?;
            let spent = store.spent(&org.id, &period).await.map_err(store_failure)?;
            if json {
                return print_json(&json!({
                    "org": org.slug, "period": period, "limit_micros": limit, "spent_micros": spent,
                }));
            }
            match limit {
                Some(l) => println!(
                    "org `{}` {period}: ${:.6} of ${:.2} spent",
                    org.slug,
                    spent as f64 / 1e6,
                    l as f64 / 1e6
                ),
                None => println!(
                    "org `{}` {period}: ${:.6} spent, no limit",
                    org.slug,
                    spent as f64 / 1e6
                ),
            }
            Ok(())
        }
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum OutboxCommand {
    /// Effects queued or delivered, newest first.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        target: OrgArgs,
    },
    /// Cancel an effect still in its undo window.
    Cancel {
        id: EffectId,
        #[command(flatten)]
        target: OrgArgs,
    },
}

pub(super) async fn outbox(cmd: OutboxCommand) -> Result<(), Failure> {
    match cmd {
        OutboxCommand::List { json, target } => {
            let (store, org) = target.open().await?;
            let effects = store
                .effects(&org.id, None, 1000)
                .await
                .map_err(store_failure)?;
            if json {
                return print_json(&serde_json::to_value(&effects).unwrap_or_default());
            }
            for e in effects {
                println!(
                    "{}  {:<15} {:<10} job {}  key {}",
                    e.id, e.kind, e.status, e.job_id, e.idempotency_key
                );
            }
            Ok(())
        }
        OutboxCommand::Cancel { id, target } => {
            let (store, org) = target.open().await?;
            store
                .cancel_effect(&org.id, &id)
                .await
                .map_err(store_failure)?;
            println!("cancelled effect {id}");
            Ok(())
        }
    }
}

/// Check the sequence files (and, with --skills, that their skills exist
/// and each step's params match its skill's params schema: the check
/// `baton serve` makes).
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct SequencesArgs {
    #[command(subcommand)]
    command: Option<SequencesCommand>,
    /// The folder of sequence files.
    #[arg(default_value = "sequences")]
    dir: PathBuf,
    /// Load the skills in this folder: report the ones missing, and params
    /// that break their skill's schema.
    #[arg(long, value_name = "DIR")]
    skills: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// What `baton sequences` does besides checking the files.
#[derive(Subcommand, Debug)]
enum SequencesCommand {
    /// A dry run of the sequence for an event type: its stages (steps side
    /// by side in each), what each waits on, the conditions the event
    /// decides, the gates a person meets, and the fuel, LLM tokens and cost
    /// to expect (p50 / p90 of the org's recorded runs). Nothing runs and
    /// nothing is written.
    Plan(PlanArgs),
    /// Publish a sequence file: checked as `baton serve` checks the folder,
    /// recorded as its event's next version (who and when), served by
    /// every `baton serve` on the database unless the event is pinned.
    /// Jobs already running finish on the version they started on.
    Publish(PublishArgs),
    /// A sequence's recorded versions, newest first, and the one serving.
    Versions(VersionArgs),
    /// Serve an earlier version of a sequence again (default: the one
    /// before the version serving).
    Rollback(RollbackArgs),
    /// Serve this version of a sequence and hold it (later publishes are
    /// recorded, not served); `--off` stops holding it.
    Pin(PinArgs),
}

#[derive(Args, Debug)]
struct PublishArgs {
    /// The sequence file (TOML).
    file: PathBuf,
    /// Who publishes it, as recorded (default: `cli`).
    #[arg(long, default_value = "cli")]
    by: String,
    #[command(flatten)]
    conductor: ConductorArgs,
}

#[derive(Args, Debug)]
struct VersionArgs {
    /// The event type the sequence handles.
    event: String,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: super::args::DatabaseArg,
}

#[derive(Args, Debug)]
struct RollbackArgs {
    /// The event type the sequence handles.
    event: String,
    /// The version to serve (default: the one before the version serving).
    #[arg(long, value_name = "N")]
    to: Option<i64>,
    #[arg(long, default_value = "cli")]
    by: String,
    #[command(flatten)]
    conductor: ConductorArgs,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["version", "off"])))]
struct PinArgs {
    /// The event type the sequence handles.
    event: String,
    /// The version to serve and hold.
    version: Option<i64>,
    /// Stop holding it: later publishes serve again.
    #[arg(long)]
    off: bool,
    #[arg(long, default_value = "cli")]
    by: String,
    #[command(flatten)]
    conductor: ConductorArgs,
}

/// `baton sequences publish | versions | rollback | pin`.
async fn versions(command: SequencesCommand) -> Result<(), Failure> {
    match command {
        SequencesCommand::Plan(p) => plan(p).await,
        SequencesCommand::Publish(a) => {
            let text = std::fs::read_to_string(&a.file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file.display())))?;
            let orch = a.conductor.open(false).await?;
            let p = orch.publish_sequence(&text, &a.by).await?;
            let outcome = if p.known {
                "unchanged: that text is already this version"
            } else if p.served {
                "live"
            } else {
                "recorded; not served: the event is pinned"
            };
            println!("{} version {} ({outcome})", p.event, p.version);
            Ok(())
        }
        SequencesCommand::Versions(a) => {
            let store = a.db.open().await?;
            let versions = store
                .sequence_versions(&a.event)
                .await
                .map_err(store_failure)?;
            if versions.is_empty() {
                return Err(Failure::usage(format!(
                    "no version of sequence `{}` is recorded (`baton serve` records the folder's)",
                    a.event
                )));
            }
            let head = store.sequence_head(&a.event).await.map_err(store_failure)?;
            if a.json {
                return print_json(
                    &json!({ "event": a.event, "head": head, "versions": versions }),
                );
            }
            for v in &versions {
                let serving = head.as_ref().is_some_and(|h| h.version == v.version);
                let mark = match (&head, serving) {
                    (Some(h), true) if h.pinned => "  <- serving (pinned)",
                    (_, true) => "  <- serving",
                    _ => "",
                };
                println!(
                    "v{:<4} {}  by {:<12} {}{mark}",
                    v.version,
                    jiff::Timestamp::from_millisecond(v.published_at)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    v.published_by,
                    &v.hash[..12.min(v.hash.len())],
                );
            }
            if let Some(h) = head {
                println!("last change: {} by {}", h.why, h.changed_by);
            }
            Ok(())
        }
        SequencesCommand::Rollback(a) => {
            let orch = a.conductor.open(false).await?;
            let v = orch.roll_back_sequence(&a.event, a.to, &a.by).await?;
            println!("{} serves version {v}", a.event);
            Ok(())
        }
        SequencesCommand::Pin(a) => {
            let orch = a.conductor.open(false).await?;
            let version = if a.off { None } else { a.version };
            orch.pin_sequence(&a.event, version, &a.by).await?;
            match version {
                Some(v) => println!("{} pinned to version {v}", a.event),
                None => println!("{} unpinned", a.event),
            }
            Ok(())
        }
    }
}

#[derive(Args, Debug)]
struct PlanArgs {
    /// The event type the sequence handles, e.g. `meeting_ended`.
    name: String,
    /// A sample event payload (JSON or @FILE; a file holding a whole event
    /// `{"type", "payload", …}` gives its payload).
    #[arg(long, value_name = "JSON|@FILE")]
    event: Option<String>,
    /// The org whose recorded runs give the estimate (optional when the
    /// database holds one org).
    #[arg(long)]
    org: Option<String>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    conductor: ConductorArgs,
}

/// `baton sequences plan`.
async fn plan(args: PlanArgs) -> Result<(), Failure> {
    let payload = match &args.event {
        None => None,
        Some(v) => {
            let v = super::io::read_arg_any(v, "--event")?;
            // A whole event as `baton` and the API take it: its payload.
            let whole = v.get("type").is_some() && v.get("payload").is_some();
            Some(if whole { v["payload"].clone() } else { v })
        }
    };
    let orch = args.conductor.open(false).await?;
    let org = super::conductor::pick_org(&orch.store, args.org.as_deref()).await?;
    let plan = orch
        .plan(&org.id, &args.name, payload.as_ref())
        .await
        .map_err(|e| match e {
            crate::orchestrator::plan::PlanError::Orchestrator(o) => Failure::from(o),
            other => Failure::usage(other.to_string()),
        })?;
    if args.json {
        print_json(&plan)
    } else {
        print!("{}", plan.text());
        Ok(())
    }
}

pub(super) async fn sequences(args: SequencesArgs) -> Result<(), Failure> {
    if let Some(command) = args.command {
        return versions(command).await;
    }
    let mut all = Sequences::load(&args.dir)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.dir.display())))?;
    let mut missing = Vec::new();
    if let Some(dir) = &args.skills {
        let unreadable =
            |e: std::io::Error| Failure::usage(format!("cannot read {}: {e}", dir.display()));
        let registry = crate::registry::Registry::empty(
            super::skill::cli_runtime()?,
            dir,
            crate::registry::Grants::trust_declared(),
        )
        .map_err(unreadable)?;
        // Only the manifests are read: Winch's code, unless Cranelift's
        // is cached, is enough.
        registry
            .load_folder(
                |done, of| {
                    if of > 0 {
                        eprint!("\rloading skills: {done}/{of}");
                        if done == of {
                            eprintln!();
                        }
                    }
                },
                crate::runtime::Compile::QuickFirst,
            )
            .await
            .map_err(unreadable)?;
        for p in registry.problems() {
            eprintln!("warning: {}: {}", p.path, p.reason);
        }
        missing = all.missing_skills(|s| registry.get(s).is_some());
        // The check `baton serve` makes before it serves a sequence.
        let invalid = crate::orchestrator::sequence::check_against(&registry, &mut all);
        all.errors.extend(invalid);
    }
    if args.json {
        print_json(&json!({
            "sequences": all.iter().collect::<Vec<_>>(),
            "errors": all.errors,
            "missing_skills": missing,
        }))?;
    } else {
        for s in all.iter() {
            println!(
                "{:<22} {} steps  {}",
                s.event,
                s.steps.len(),
                s.file.display()
            );
        }
        for m in &missing {
            println!("warning: {m}");
        }
        for e in &all.errors {
            eprintln!("error: {e}");
        }
    }
    if all.errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "{} sequence file(s) have errors",
            all.errors.len()
        )))
    }
}
