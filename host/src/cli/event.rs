//! `baton event send`: validate an event and create its job; with `--wait`,
//! run it here until it rests.

use super::conductor::{ConductorArgs, pick_org};
use super::exit::{Exit, Failure};
use super::io::{print_json, read_arg};
use super::jobs::{job_view, print_job};
use crate::orchestrator::{Event, Orchestrator, Submitted};
use clap::{Args, Subcommand};
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub(super) enum EventCommand {
    /// Send one event (as an event source would).
    Send(SendArgs),
}

#[derive(Args, Debug)]
pub(super) struct SendArgs {
    /// The event type, e.g. `meeting_ended`.
    #[arg(long = "type", value_name = "TYPE")]
    event_type: String,
    /// The org's slug.
    #[arg(long)]
    org: String,
    /// The user's handle.
    #[arg(long)]
    user: String,
    /// The payload as JSON, or @FILE.
    #[arg(long, value_name = "JSON|@FILE")]
    payload: String,
    /// Where the event comes from.
    #[arg(long, default_value = "cli")]
    source: String,
    /// De-duplicate on this key instead of the sequence's default.
    #[arg(long, value_name = "KEY")]
    idempotency_key: Option<String>,
    #[command(flatten)]
    how: Wait,
    #[command(flatten)]
    conductor: ConductorArgs,
}

pub(super) async fn run(cmd: EventCommand) -> Result<(), Failure> {
    let EventCommand::Send(args) = cmd;
    let payload = read_arg(&args.payload, "--payload")?;
    let orch = args.conductor.open(false).await?;
    let event = Event {
        event_type: args.event_type.clone(),
        org: args.org.clone(),
        user: args.user.clone(),
        payload,
        source: args.source.clone(),
        idempotency_key: args.idempotency_key.clone(),
    };
    let submitted = orch.submit(&event).await?;
    settle(&orch, &submitted, &args.org, args.how).await
}

/// How a command that submitted an event reports it.
#[derive(Args, Debug, Clone, Copy)]
pub(super) struct Wait {
    /// Run the job here until it waits for a person or ends.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up waiting after this many seconds.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub wait_secs: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Report what submitting an event to `org` came to: the job (run here
/// until it rests when asked), a duplicate naming the job already handling
/// it, or the refusal as a failure.
pub(super) async fn settle(
    orch: &Arc<Orchestrator>,
    submitted: &Submitted,
    org: &str,
    how: Wait,
) -> Result<(), Failure> {
    let (job_id, deferred) = match submitted {
        Submitted::Accepted {
            job_id, deferred, ..
        } => (job_id.clone(), *deferred),
        Submitted::Refused {
            reason,
            detail,
            job_id,
        } => {
            if how.json {
                print_json(&serde_json::to_value(submitted).unwrap_or_default())?;
            }
            // A redelivery is not an error: the event is handled once.
            if *reason == crate::orchestrator::Reason::Duplicate {
                if !how.json {
                    println!(
                        "duplicate: {detail}; no new job (see `baton jobs show {}`)",
                        job_id.as_ref().map_or("?", |j| j.as_str())
                    );
                }
                return Ok(());
            }
            return Err(Failure::new(
                Exit::Refused,
                format!("event refused ({}): {detail}", reason.code()),
            ));
        }
    };
    let org = pick_org(&orch.store, Some(org)).await?;
    if how.wait && !deferred {
        orch.run_until_rest(&org.id, &job_id, Duration::from_secs(how.wait_secs))
            .await?;
    }
    let view = job_view(&orch.store, &org.id, &job_id).await?;
    if how.json {
        return print_json(&view);
    }
    if deferred {
        println!("accepted; quiet hours: the job waits until its user's next active window");
    }
    print_job(&view);
    Ok(())
}
