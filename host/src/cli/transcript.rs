//! `baton transcript erase --meeting ID --why TEXT`: erase a meeting's
//! words everywhere they live, as `DELETE /v1/meetings/{id}/transcript`
//! does (`crate::sales::transcripts::erase_meeting`), leaving a tombstone
//! (`--by`, when, why).

use super::conductor::OrgArgs;
use super::exit::Failure;
use super::io::print_json;
use crate::sales::transcripts::erase_meeting;
use baton_engine::attachments::erased_words;
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Subcommand, Debug)]
pub(super) enum TranscriptCommand {
    /// Erase a meeting's transcript and what its jobs made of its words.
    Erase(EraseArgs),
}

#[derive(Args, Debug)]
pub(super) struct EraseArgs {
    /// The meeting's id (its payload's `meeting_id`).
    #[arg(long)]
    meeting: String,
    /// Why, kept on the tombstone (1 to 500 characters).
    #[arg(long)]
    why: String,
    /// Who asked, kept on the tombstone.
    #[arg(long, default_value = "operator")]
    by: String,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: OrgArgs,
}

pub(super) async fn run(cmd: TranscriptCommand) -> Result<(), Failure> {
    match cmd {
        TranscriptCommand::Erase(a) => erase(a).await,
    }
}

async fn erase(a: EraseArgs) -> Result<(), Failure> {
    let why = a.why.trim();
    if why.is_empty() || why.chars().count() > 500 {
        return Err(Failure::usage(
            "--why says why the words are erased, in 1 to 500 characters",
        ));
    }
    let by = a.by.trim();
    if by.is_empty() {
        return Err(Failure::usage("--by names who asked"));
    }
    let (store, org) = a.target.open().await?;
    let now = crate::store::now_ms();
    let erased = erase_meeting(
        &store,
        &crate::sales::extensions(),
        &org.id,
        &a.meeting,
        (by, why),
        now,
    )
    .await?;
    if a.json {
        let list: Vec<_> = erased
            .iter()
            .map(|e| {
                json!({
                    "erased": erased_words(&e.tombstone), "already": e.already, "jobs": e.jobs,
                    "rewritten": e.rows.rewritten, "cancelled": e.rows.cancelled,
                })
            })
            .collect();
        return print_json(&json!({ "meeting_id": a.meeting, "transcripts": list }));
    }
    for e in &erased {
        if e.already {
            println!("already {}", erased_words(&e.tombstone));
        } else {
            println!(
                "{}: {} job(s) had read it; {} stored value(s) rewritten, {} cancelled",
                erased_words(&e.tombstone),
                e.jobs,
                e.rows.rewritten,
                e.rows.cancelled
            );
        }
    }
    Ok(())
}
