//! `baton brief`, `baton digest` and `baton campaigns`: what the schedule
//! fires, asked for now, through the sales app's own code (the same as
//! `POST /v1/users/{handle}/brief`, `…/digest` and `POST
//! /v1/orgs/campaign-check`): a rep's morning brief with their snapshot
//! taken at this moment, their weekly coaching digest, the org's campaign
//! check of yesterday. Each creates one job and reports it as `baton event
//! send` does; `--wait` runs it here until it rests.

use super::conductor::{ConductorArgs, pick_org, store_failure};
use super::event::{Wait, settle};
use super::exit::Failure;
use crate::sales::{brief, campaigns, coaching_digest};
use clap::Args;

/// Which rep of which org, and how to report.
#[derive(Args, Debug)]
pub(super) struct RepArgs {
    /// The rep's handle.
    #[arg(long)]
    user: String,
    #[command(flatten)]
    org: OrgArgs,
}

/// Which org, and how to report.
#[derive(Args, Debug)]
pub(super) struct OrgArgs {
    /// The org's slug (the only org when left out).
    #[arg(long)]
    org: Option<String>,
    #[command(flatten)]
    how: Wait,
    #[command(flatten)]
    conductor: ConductorArgs,
}

/// What a rep asks for now.
#[derive(Debug, Clone, Copy)]
pub(super) enum ForRep {
    Brief,
    Digest,
}

/// `baton brief` / `baton digest`.
pub(super) async fn rep(what: ForRep, args: RepArgs) -> Result<(), Failure> {
    let RepArgs {
        user: handle,
        org: args,
    } = args;
    let orch = args.conductor.open(false).await?;
    let org = pick_org(&orch.store, args.org.as_deref()).await?;
    let user = orch
        .store
        .user_by_handle(&org.id, &handle)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| Failure::usage(format!("no user `{handle}` in org `{}`", org.slug)))?;
    let now = orch.clock.now_ms();
    let submitted = match what {
        ForRep::Brief => brief::fire(&orch, &org, &user, now, false).await?,
        ForRep::Digest => coaching_digest::fire(&orch, &org, &user, now, false).await?,
    };
    settle(&orch, &submitted, &org.slug, args.how).await
}

/// `baton campaigns`.
pub(super) async fn campaigns(args: OrgArgs) -> Result<(), Failure> {
    let orch = args.conductor.open(false).await?;
    let org = pick_org(&orch.store, args.org.as_deref()).await?;
    let submitted = campaigns::check_now(&orch, &org, orch.clock.now_ms())
        .await?
        .map_err(|why| Failure::usage(format!("cannot check `{}`'s campaigns: {why}", org.slug)))?;
    settle(&orch, &submitted, &org.slug, args.how).await
}
