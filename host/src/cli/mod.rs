//! The `baton` command line. Errors become exit codes here and nowhere else
//! (see [`exit`]).

mod approvals;
mod args;
mod conductor;
mod deal;
mod eval;
mod event;
mod exit;
mod import;
mod io;
mod jobs;
mod new;
mod on_demand;
mod ops;
mod publish;
mod replay;
mod secret;
mod sequence_replay;
mod serve;
mod skill;
mod transcript;

pub use exit::Exit;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// baton: events to chains of sandboxed skills, with a person in the loop.
#[derive(Parser, Debug)]
#[command(name = "baton", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check, run and list skills.
    #[command(subcommand)]
    Skill(skill::SkillCommand),
    /// Evaluate a skill against labelled data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Scaffold new things.
    #[command(subcommand)]
    New(new::NewCommand),
    /// Import an org's reps, companies, contacts, deals and activities (JSON).
    Import(import::ImportArgs),
    /// Send events.
    #[command(subcommand)]
    Event(event::EventCommand),
    /// List and show jobs, and refused events.
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// A rep's morning brief now (their snapshot taken at this moment).
    Brief(on_demand::RepArgs),
    /// A rep's weekly coaching digest now.
    Digest(on_demand::RepArgs),
    /// The org's campaign check now (yesterday's figures).
    Campaigns(on_demand::OrgArgs),
    /// List and decide approvals.
    #[command(subcommand)]
    Approvals(approvals::ApprovalsCommand),
    /// A deal's engagement: stage, tracks, facts, artifacts, event log.
    #[command(subcommand)]
    Deal(deal::DealCommand),
    /// Engagement workflow files.
    #[command(subcommand)]
    Workflow(deal::WorkflowCommand),
    /// Run due jobs and deliver the outbox until interrupted.
    Worker(ops::WorkerArgs),
    /// An org's monthly budget and spend.
    #[command(subcommand)]
    Budget(ops::BudgetCommand),
    /// Effects waiting, delivered or cancelled.
    #[command(subcommand)]
    Outbox(ops::OutboxCommand),
    /// Check sequence files.
    Sequences(ops::SequencesArgs),
    /// Serve the API, webhooks and the inbox, and run the workers.
    Serve(serve::ServeArgs),
    /// Org API tokens.
    #[command(subcommand)]
    Token(serve::TokenCommand),
    /// Provider keys the host adds to skills' requests, and BATON_SECRET_KEY.
    #[command(subcommand)]
    Secret(secret::SecretCommand),
    /// Meeting transcripts: erase one everywhere it lives.
    #[command(subcommand)]
    Transcript(transcript::TranscriptCommand),
}

/// Parse the command line, run, and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => Exit::Usage.code(),
            });
        }
    };
    init_tracing(matches!(cli.command, Command::Serve(_)));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Internal.code());
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Skill(cmd) => skill::run(cmd).await,
            Command::Eval(cmd) => eval::run(cmd).await,
            Command::New(cmd) => new::run(cmd),
            Command::Import(args) => import::run(args).await,
            Command::Event(cmd) => event::run(cmd).await,
            Command::Jobs(cmd) => jobs::run(cmd).await,
            Command::Brief(args) => on_demand::rep(on_demand::ForRep::Brief, args).await,
            Command::Digest(args) => on_demand::rep(on_demand::ForRep::Digest, args).await,
            Command::Campaigns(args) => on_demand::campaigns(args).await,
            Command::Approvals(cmd) => approvals::run(cmd).await,
            Command::Deal(cmd) => deal::run(cmd).await,
            Command::Workflow(cmd) => deal::workflow_cmd(cmd),
            Command::Worker(args) => ops::worker(args).await,
            Command::Budget(cmd) => ops::budget(cmd).await,
            Command::Outbox(cmd) => ops::outbox(cmd).await,
            Command::Sequences(args) => ops::sequences(args).await,
            Command::Serve(args) => serve::serve(args).await,
            Command::Token(cmd) => serve::token(cmd).await,
            Command::Secret(cmd) => secret::run(cmd).await,
            Command::Transcript(cmd) => transcript::run(cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.exit.code())
        }
    }
}

/// `BATON_LOG` as a filter: a bare level (`debug`) is baton's own level,
/// the libraries staying at `warn` (a bare `debug` once turned on
/// cranelift's and sqlx's, 1.4 GB in 13 minutes); a directive naming a
/// target (`sqlx=debug`) is kept as written.
fn scoped(spec: &str) -> String {
    let mut out = vec!["warn".to_owned()];
    for d in spec.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        if d.contains('=') || d.contains('[') {
            out.push(d.to_owned());
        } else {
            out.push(format!("baton={d}"));
        }
    }
    out.join(",")
}

/// Logs go to stderr, filtered by `BATON_LOG` ([`scoped`]). The service
/// logs JSON at `info` (one object a line, for collectors); commands log
/// text at `error`. `BATON_LOG_FORMAT=text|json` overrides the format.
fn init_tracing(service: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if service { "info,sqlx=warn" } else { "error" };
    let filter = std::env::var("BATON_LOG")
        .ok()
        .and_then(|spec| EnvFilter::try_new(scoped(&spec)).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let json = match std::env::var("BATON_LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("text") => false,
        _ => service,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::scoped;

    #[test]
    fn a_bare_level_is_batons_alone_and_named_targets_are_kept() {
        assert_eq!(scoped("debug"), "warn,baton=debug");
        assert_eq!(scoped("info,sqlx=debug"), "warn,baton=info,sqlx=debug");
        assert_eq!(scoped(" trace , "), "warn,baton=trace");
        assert_eq!(scoped("baton::store=trace"), "warn,baton::store=trace");
        assert!(tracing_subscriber::EnvFilter::try_new(scoped("debug,sqlx=info")).is_ok());
    }
}
