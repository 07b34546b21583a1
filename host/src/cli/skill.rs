//! `baton skill check | run | list`; `publish` and `rollback` are in
//! `publish.rs`, `replay` in `replay.rs`.

use super::args::GrantArgs;
use super::exit::{Exit, Failure};
use super::io::{print_json, read_arg};
use crate::registry::{Grants, Registry, load_skill};
use crate::runtime::{CallContext, CallInput, Limits, Runtime, RuntimeConfig};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Upper bound on `--fuel`, whatever the manifest says.
const MAX_FUEL: u64 = 100_000_000_000;
/// Upper bound on `--memory-mib`.
const MAX_MEMORY_MIB: usize = 512;

#[derive(Subcommand, Debug)]
pub(super) enum SkillCommand {
    /// Check that FILE is a valid baton skill and print its manifest, digest,
    /// effective capabilities and imported interfaces as JSON.
    Check {
        file: PathBuf,
        #[command(flatten)]
        grants: GrantArgs,
    },
    /// Run FILE once on an input and print its output as JSON.
    Run(RunArgs),
    /// Upload FILE to a running service, which checks it and makes it live
    /// on every replica (needs the admin token).
    Publish(super::publish::PublishArgs),
    /// Put back the previous version of a skill on a running service.
    Rollback(super::publish::RollbackArgs),
    /// Run FILE, a candidate version, over the recorded inputs of the live
    /// version's recent step runs and show where its output differs; or a
    /// candidate sequence (`.toml`) over its event's recent jobs.
    Replay(super::replay::ReplayArgs),
    /// List the skills in DIR.
    List {
        dir: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        grants: GrantArgs,
    },
}

#[derive(Args, Debug)]
pub(super) struct RunArgs {
    file: PathBuf,
    /// The call input as JSON, or @FILE to read it from a file.
    #[arg(long, value_name = "JSON|@FILE")]
    input: String,
    /// Context tiers and decisions as JSON, or @FILE.
    #[arg(long, value_name = "JSON|@FILE")]
    context: Option<String>,
    /// Fuel limit (default: the manifest's default fuel).
    #[arg(long)]
    fuel: Option<u64>,
    /// Memory cap in MiB.
    #[arg(long, default_value_t = 64)]
    memory_mib: usize,
    /// Wall-clock deadline in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Output size cap in KiB.
    #[arg(long, default_value_t = 1024)]
    max_output_kib: usize,
    /// The skill's read-only data folder (needs the `files` capability).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Print fuel used, duration and the audit on stderr.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    grants: GrantArgs,
}

pub(super) async fn run(cmd: SkillCommand) -> Result<(), Failure> {
    match cmd {
        SkillCommand::Check { file, grants } => check(&file, &grants).await,
        SkillCommand::Run(args) => run_once(args).await,
        SkillCommand::List { dir, json, grants } => list(&dir, json, &grants).await,
        SkillCommand::Publish(a) => super::publish::publish(a).await,
        SkillCommand::Rollback(a) => super::publish::rollback(a).await,
        SkillCommand::Replay(a) if a.is_sequence() => super::sequence_replay::run(a).await,
        SkillCommand::Replay(a) => super::replay::run(a).await,
    }
}

/// A runtime for one-shot CLI work: no pool (one call), on-demand
/// allocation; compiled components go to the user's one cache, which
/// `baton serve` reads too ([`super::args::cache_dir`]).
pub(crate) fn cli_runtime() -> Result<Runtime, Failure> {
    Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: super::args::cache_dir(),
        ..RuntimeConfig::default()
    })
    .map_err(|e| Failure::new(Exit::Internal, e.to_string()))
}

async fn check(file: &Path, grants: &GrantArgs) -> Result<(), Failure> {
    let runtime = cli_runtime()?;
    let g = if grants.any() {
        grants.load()?
    } else {
        Grants::trust_declared()
    };
    let skill = load_skill(&runtime, file, &g).await.map_err(|e| {
        let f = Failure::from(e);
        // Anything but a missing grant means "not a valid baton skill".
        if f.exit == Exit::Denied {
            f
        } else {
            Failure::usage(f.message)
        }
    })?;
    print_json(&serde_json::json!({
        "manifest": skill.manifest,
        "sha256": skill.sha256,
        "effective_capabilities": skill.effective.to_strings(),
        "imports": skill.pre.imports(),
    }))
}

async fn run_once(args: RunArgs) -> Result<(), Failure> {
    let input: CallInput = serde_json::from_value(read_arg(&args.input, "--input")?)
        .map_err(|e| Failure::usage(format!("--input does not match the call input shape ({{\"event\": {{\"id\", \"type\", \"org\", \"user\", \"payload\"}}, \"params\", \"previous\"}}): {e}")))?;
    let context: CallContext = match &args.context {
        Some(c) => serde_json::from_value(read_arg(c, "--context")?)
            .map_err(|e| Failure::usage(format!("--context does not match {{\"org\", \"contact\", \"external\", \"decisions\"}}: {e}")))?,
        None => CallContext::default(),
    };
    if args.memory_mib == 0 || args.memory_mib > MAX_MEMORY_MIB {
        return Err(Failure::usage(format!(
            "--memory-mib must be 1-{MAX_MEMORY_MIB}"
        )));
    }
    if args.timeout_ms == 0 {
        return Err(Failure::usage("--timeout-ms must be positive"));
    }
    if let Some(dir) = &args.data
        && !dir.is_dir()
    {
        return Err(Failure::usage(format!(
            "--data {}: not a folder",
            dir.display()
        )));
    }
    let runtime = cli_runtime()?;
    let grants = args.grants.load()?;
    let mut skill = load_skill(&runtime, &args.file, &grants).await?;
    let fuel = args.fuel.unwrap_or(skill.manifest.default_fuel);
    if fuel == 0 || fuel > MAX_FUEL {
        return Err(Failure::usage(format!("--fuel must be 1-{MAX_FUEL}")));
    }
    let limits = Limits {
        fuel,
        memory_bytes: args.memory_mib << 20,
        timeout: Duration::from_millis(args.timeout_ms),
        output_bytes: args.max_output_kib << 10,
    };
    if args.data.is_some() {
        skill.data_dir = args.data.clone();
    }
    let result = skill.call(&input, &limits, Arc::new(context)).await;
    if args.stats {
        eprintln!(
            "skill={} version={} fuel_used={} duration_ms={:.3} denials={} gates={} logs={}",
            skill.manifest.name,
            skill.manifest.version,
            result.report.fuel_used,
            result.report.duration.as_secs_f64() * 1000.0,
            result.report.denials.len(),
            result.report.gates.len(),
            result.report.logs.len(),
        );
    }
    let output = result.outcome?;
    print_json(&serde_json::json!({
        "data": output.data,
        "follow_ups": output.follow_ups,
        "actions": output.actions,
        "gates": result.report.gates,
    }))
}

async fn list(dir: &Path, json: bool, grants: &GrantArgs) -> Result<(), Failure> {
    if !dir.is_dir() {
        return Err(Failure::usage(format!("{}: not a folder", dir.display())));
    }
    let runtime = cli_runtime()?;
    let g = if grants.any() {
        grants.load()?
    } else {
        Grants::trust_declared()
    };
    let registry = Registry::open(runtime, dir, g)
        .await
        .map_err(|e| Failure::usage(format!("{}: {e}", dir.display())))?;
    let skills = registry.list();
    let problems = registry.problems();
    if json {
        return print_json(&serde_json::json!({ "skills": skills, "problems": problems }));
    }
    println!("{:<24} {:<10} {:<14} SUMMARY", "NAME", "VERSION", "SHA256");
    for s in &skills {
        println!(
            "{:<24} {:<10} {:<14} {}",
            s.name,
            s.version,
            &s.sha256[..12],
            s.summary
        );
    }
    for p in &problems {
        eprintln!("refused: {}", p.reason);
    }
    Ok(())
}
