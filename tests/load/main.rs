//! `baton-load` (`cargo xtask bench --load`): the service load run over a
//! ladder of rates, on SQLite and on Postgres, each rate on a fresh
//! `baton serve` and database; prints one markdown table row per rate —
//! meetings delivered, webhook → first approval request in Slack p50 / p90
//! / p99, and the cores the server kept busy while the webhooks were sent.
//! The measuring is `baton_tests::load`; this only walks the ladder and
//! prints. It exits non-zero, saying why, when a webhook was not accepted
//! or a meeting's approval request never came.

use baton_tests::Backend;
use baton_tests::load::{LoadError, LoadReport, LoadRun};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The service load run: Meeting BaaS webhooks at each rate, the time to
/// each meeting's first approval request in a loopback Slack.
#[derive(Parser, Debug)]
#[command(name = "baton-load")]
struct Args {
    /// Webhooks (meetings) per second, one run each.
    #[arg(long, value_delimiter = ',', default_values_t = [10.0, 25.0, 50.0, 75.0])]
    rates: Vec<f64>,
    /// Seconds of webhooks per rate.
    #[arg(long, default_value_t = 6.0, conflicts_with = "webhooks")]
    seconds: f64,
    /// Webhooks per rate, instead of --seconds.
    #[arg(long)]
    webhooks: Option<usize>,
    /// Which database backends; Postgres is skipped, with a line saying
    /// so, when its server does not answer.
    #[arg(long, value_enum, default_value_t = Backends::Both)]
    backend: Backends,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Backends {
    Sqlite,
    Postgres,
    Both,
}

impl Backends {
    fn list(self) -> &'static [Backend] {
        match self {
            Backends::Sqlite => &[Backend::Sqlite],
            Backends::Postgres => &[Backend::Postgres],
            Backends::Both => &[Backend::Sqlite, Backend::Postgres],
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut failures = Vec::new();
    let mut header = false;
    'backends: for &backend in args.backend.list() {
        for &rate in &args.rates {
            let webhooks = args
                .webhooks
                .unwrap_or_else(|| (rate * args.seconds).round().max(1.0) as usize);
            eprintln!("{}: {webhooks} webhooks at {rate}/s …", name(backend));
            match LoadRun::new(backend, rate, webhooks).run().await {
                Ok(report) => {
                    if !header {
                        println!(
                            "| backend | rate | delivered | p50 / p90 / p99 ms | server CPU (cores) |"
                        );
                        println!("|---|---|---|---|---|");
                        header = true;
                    }
                    println!("{}", row(&report));
                    let _ = std::io::stdout().flush();
                    if let Err(e) = report.check() {
                        failures.push(format!(
                            "{} at {rate}/s: {e}\nthe server's log ends:\n{}",
                            name(backend),
                            report.server_log
                        ));
                    }
                }
                Err(LoadError::NoPostgres(e)) => {
                    println!("\n{}: skipped, {e}", name(backend));
                    continue 'backends;
                }
                Err(e) => failures.push(format!("{} at {rate}/s: {e}", name(backend))),
            }
        }
    }
    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    for failure in &failures {
        eprintln!("baton-load: {failure}");
    }
    ExitCode::FAILURE
}

fn name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// `| sqlite | 10/s | 60/60 | 52 / 71 / 95 | 0.41 |`
fn row(report: &LoadReport) -> String {
    let ms = |p: f64| {
        report
            .percentile(p)
            .map_or("–".to_owned(), |d: Duration| d.as_millis().to_string())
    };
    format!(
        "| {} | {}/s | {}/{} | {} / {} / {} | {:.2} |",
        name(report.backend),
        report.rate,
        report.delivered(),
        report.sent,
        ms(50.0),
        ms(90.0),
        ms(99.0),
        report.cpu.cores()
    )
}
