//! `baton skill replay FILE.toml`: a candidate sequence replayed over its
//! event's recent jobs (see [`crate::orchestrator::sequence_replay`]): the
//! steps it changes, where its conditions decide otherwise, and each
//! changed step called again on its recorded input.

use super::conductor::pick_org;
use super::exit::Failure;
use super::io::print_json;
use super::replay::{ReplayArgs, print_run, print_totals};
use crate::orchestrator::sequence_replay::{SequenceReplay, SequenceReplayError};
use crate::replay;

/// Replay the sequence in `args.file` over its event's recent jobs.
pub(super) async fn run(args: ReplayArgs) -> Result<(), Failure> {
    let since = args.window()?;
    if args.against_decisions {
        return Err(Failure::usage(
            "--against-decisions scores a candidate skill; a candidate sequence is compared step by step",
        ));
    }
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.file.display())))?;
    let orch = args.conductor.open(false).await?;
    let org = match &args.org {
        Some(slug) => Some(pick_org(&orch.store, Some(slug)).await?.id),
        None => None,
    };
    let scope = replay::Scope {
        since,
        limit: args.limit,
        org: org.as_ref(),
        against_decisions: false,
    };
    let report = orch
        .replay_sequence(&text, &scope, |done, of| {
            if of >= 10 && (done % 10 == 0 || done == of) {
                eprintln!("replayed {done}/{of} jobs");
            }
        })
        .await
        .map_err(|e| match e {
            SequenceReplayError::Orchestrator(o) => Failure::from(o),
            SequenceReplayError::Replay(r) => Failure::usage(r.to_string()),
        })?;
    if args.json {
        return print_json(&report);
    }
    print_report(&report, &args.since);
    Ok(())
}

/// The report for a person: the changes against each version the jobs
/// ran, then job by job what the candidate decides otherwise and the steps
/// called again, the totals last.
fn print_report(report: &SequenceReplay, since: &str) {
    let s = &report.summary;
    if s.jobs == 0 {
        println!(
            "no `{}` jobs in the last {since}: nothing to compare",
            report.event
        );
        return;
    }
    println!(
        "{} candidate ({}) against the last {} jobs:",
        report.event,
        &report.candidate[..report.candidate.len().min(12)],
        s.jobs
    );
    for a in &report.against {
        let version = a.version.map_or("an unrecorded version".to_owned(), |v| {
            format!("version {v}")
        });
        if a.changes.is_empty() {
            println!("  against {version} ({} jobs): no step changes", a.jobs);
            continue;
        }
        println!("  against {version} ({} jobs):", a.jobs);
        for c in &a.changes {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
            println!(
                "      {:<9} {}: {} -> {}",
                c.what.as_str(),
                c.step,
                show(&c.live),
                show(&c.candidate)
            );
        }
    }
    for j in &report.jobs {
        if j.decided.is_empty() && j.runs.is_empty() && j.not_replayed.is_empty() {
            continue;
        }
        println!("job {} ({}):", j.job, j.status.as_str());
        for d in &j.decided {
            println!(
                "  decides otherwise: {} {} here, the candidate {}",
                d.step,
                d.live,
                if d.runs { "runs it" } else { "skips it" }
            );
        }
        for r in &j.runs {
            print_run(r);
        }
        for n in &j.not_replayed {
            println!("  not replayed: {}: {}", n.step, n.why);
        }
    }
    println!(
        "{} of {} jobs change: {} steps decided otherwise, {} steps called again",
        s.jobs_changed, s.jobs, s.decided_otherwise, s.runs.runs
    );
    if s.runs.runs > 0 {
        print_totals(&s.runs);
    }
}
