//! `baton skill replay FILE`: run a candidate version over the recorded
//! inputs of the live version's recent step runs and show, run by run,
//! whether its output is the same (see [`crate::replay`]). A candidate
//! sequence (`FILE.toml`) is replayed by `sequence_replay.rs`.

use super::conductor::{ConductorArgs, pick_org, store_failure};
use super::exit::{Exit, Failure};
use super::io::print_json;
use crate::registry::{Grants, load_skill};
use crate::replay::{self, ReplayError, Report, Verdict};
use crate::runtime::{Runtime, RuntimeConfig};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub(super) struct ReplayArgs {
    /// The candidate component (`.wasm`; its manifest names the skill), or
    /// a candidate sequence file (`.toml`; its `event` names the jobs).
    pub(super) file: PathBuf,
    /// How far back to take runs from: `7d`, `36h`, `90m`.
    #[arg(long, default_value = "7d")]
    pub(super) since: String,
    /// The most runs (jobs, for a sequence) to replay, newest first.
    #[arg(long, default_value_t = replay::DEFAULT_LIMIT)]
    pub(super) limit: i64,
    /// Only this org's runs (default: every org's).
    #[arg(long)]
    pub(super) org: Option<String>,
    /// Also score each run whose gate a rep decided against the decision:
    /// an approved draft kept, a draft closer to the rep's edit, nothing
    /// proposed where the rep dismissed it.
    #[arg(long)]
    pub(super) against_decisions: bool,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub(super) json: bool,
    #[command(flatten)]
    pub(super) conductor: ConductorArgs,
}

impl ReplayArgs {
    /// Whether the candidate is a sequence file (`.toml`), not a skill.
    pub(super) fn is_sequence(&self) -> bool {
        self.file.extension().is_some_and(|e| e == "toml")
    }

    /// The start of `--since`'s window, `--limit` checked.
    pub(super) fn window(&self) -> Result<i64, Failure> {
        let now = jiff::Timestamp::now().as_millisecond();
        let since =
            replay::since(&self.since, now).map_err(|e| Failure::usage(format!("--{e}")))?;
        if !(1..=replay::MAX_LIMIT).contains(&self.limit) {
            return Err(Failure::usage(format!(
                "--limit must be 1-{}",
                replay::MAX_LIMIT
            )));
        }
        Ok(since)
    }
}

pub(super) async fn run(args: ReplayArgs) -> Result<(), Failure> {
    let since = args.window()?;
    let grants = if args.conductor.grants.any() {
        args.conductor.grants.load()?
    } else {
        Grants::trust_declared()
    };
    let store = args.conductor.db.open().await?;
    let org = match &args.org {
        Some(slug) => Some(pick_org(&store, Some(slug)).await?.id),
        None => None,
    };
    let runtime = Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: super::args::cache_dir(),
        ..RuntimeConfig::default()
    })
    .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
    let candidate = load_skill(&runtime, &args.file, &grants)
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    let scope = replay::Scope {
        since,
        limit: args.limit,
        org: org.as_ref(),
        against_decisions: args.against_decisions,
    };
    let report = replay::replay(&store, &candidate, &scope, |done, of| {
        if of >= 10 && (done % 10 == 0 || done == of) {
            eprintln!("replayed {done}/{of}");
        }
    })
    .await
    .map_err(|e| match e {
        ReplayError::Store(s) => store_failure(s),
        other => Failure::usage(other.to_string()),
    })?;
    if args.json {
        return print_json(&report);
    }
    print_report(&report, &args.since);
    Ok(())
}

/// The report for a person: one line per run, the changes under it, the
/// totals last.
fn print_report(report: &Report, since: &str) {
    let s = &report.summary;
    if s.runs == 0 {
        println!(
            "no recorded runs of `{}` in the last {since}: nothing to compare (runs are recorded from this version of baton on)",
            report.skill
        );
        return;
    }
    println!(
        "{} {} ({}) against the live version's last {} runs:",
        report.skill,
        report.candidate.version,
        &report.candidate.sha256[..12],
        s.runs
    );
    for r in &report.runs {
        print_run(r);
    }
    if let Some(d) = &s.decisions {
        println!(
            "against reps' decisions: approved {} (kept {}, changed {}) · edited {} (closer {}, as far {}, farther {}) · dismissed {} (proposes nothing {}, still proposes {})",
            d.approved,
            d.kept,
            d.changed,
            d.edited,
            d.closer,
            d.as_far,
            d.farther,
            d.dismissed,
            d.withdrawn,
            d.still_proposed
        );
    }
    print_totals(s);
}

/// The totals of replayed runs, on one line.
pub(super) fn print_totals(s: &replay::Summary) {
    let ratio = |a: f64, b: f64| {
        if a > 0.0 {
            format!("{:.2}x", b / a)
        } else {
            "-".to_owned()
        }
    };
    println!(
        "{} same, {} different, {} errors, {} fixed, {} erased; fuel {} -> {} ({}), time {:.1} ms -> {:.1} ms ({})",
        s.same,
        s.different,
        s.errors,
        s.fixed,
        s.erased,
        s.live_fuel,
        s.candidate_fuel,
        ratio(s.live_fuel as f64, s.candidate_fuel as f64),
        s.live_ms,
        s.candidate_ms,
        ratio(s.live_ms, s.candidate_ms),
    );
}

/// One replayed run: its verdict and measures, the changes and failures
/// under it.
pub(super) fn print_run(r: &replay::RunReport) {
    let verdict = match r.verdict {
        Verdict::Same => "same",
        Verdict::Different => "different",
        Verdict::Error => "error",
        Verdict::Fixed => "fixed",
        Verdict::Erased => "erased",
    };
    println!(
        "  {verdict:<9} job {} step {} (attempt {}): fuel {} -> {}, {:.1} ms -> {:.1} ms",
        r.job,
        r.step,
        r.attempt,
        r.live.fuel,
        r.candidate.fuel,
        r.live.duration_ms,
        r.candidate.duration_ms
    );
    for c in &r.changes {
        let show =
            |v: &Option<serde_json::Value>| v.as_ref().map_or("-".to_owned(), ToString::to_string);
        println!(
            "      {:<7} {}: {} -> {}",
            c.op,
            c.path,
            show(&c.live),
            show(&c.candidate)
        );
    }
    if let Some(e) = &r.candidate.error {
        println!("      candidate failed: {e}");
    }
    if let Some(e) = &r.live.error {
        println!("      live failed: {e}");
    }
    for d in &r.denials {
        println!("      denied {}: {}", d.capability, d.message);
    }
    if let Some(d) = &r.decision {
        let far = |v: Option<f64>| v.map_or(String::new(), |v| format!(" {:.0}%", v * 100.0));
        println!(
            "      the rep {} it; the candidate {}{}",
            d.decided.as_str(),
            d.judged.as_str(),
            match (d.live_distance, d.candidate_distance) {
                (Some(_), Some(_)) => format!(
                    " (from the edit: live{} -> candidate{})",
                    far(d.live_distance),
                    far(d.candidate_distance)
                ),
                _ => String::new(),
            }
        );
    }
}
