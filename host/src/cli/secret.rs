//! `baton secret`: provider keys the host injects into skills' granted
//! outbound requests (operator-wide, or one org's with `--org`), and a new
//! `BATON_SECRET_KEY`. A key's value is read from stdin, never from the
//! command line (which `ps` and shell history show), and never printed.

use super::args::DatabaseArg;
use super::conductor::{pick_org, store_failure};
use super::exit::{Exit, Failure};
use super::io::print_json;
use crate::accounts::{Vault, keys, rotate};
use crate::store::{OrgId, Store};
use clap::{Args, Subcommand};
use std::io::Read;

#[derive(Subcommand, Debug)]
pub(super) enum SecretCommand {
    /// Keep a provider key: its value is read from stdin.
    Set(SetArgs),
    /// List provider keys (names, hosts and headers; never values).
    List(ScopeArgs),
    /// Remove a provider key.
    Rm(RmArgs),
    /// Print a new random BATON_SECRET_KEY.
    Key,
    /// Seal every stored secret again under the newest key of
    /// BATON_SECRET_KEY (listed first, the old ones after it, separated by
    /// commas), in batches, while the service runs; run it again to resume.
    /// Once it reports every value under the newest key, the old keys can
    /// be removed from the list.
    Rotate(RotateArgs),
}

#[derive(Args, Debug)]
pub(super) struct RotateArgs {
    /// Values read and sealed again per batch.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    batch: i64,
    #[command(flatten)]
    db: DatabaseArg,
}

/// Whose keys: the operator's (every org), or one org's.
#[derive(Args, Debug)]
pub(super) struct ScopeArgs {
    /// One org's key (its slug) rather than the operator's.
    #[arg(long)]
    org: Option<String>,
    #[command(flatten)]
    db: DatabaseArg,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub(super) struct SetArgs {
    /// The key's name, e.g. `apollo`.
    name: String,
    /// Where its requests go: a host (`api.apollo.io`, HTTPS on 443),
    /// `host:port`, or an origin with an optional path prefix
    /// (`http://127.0.0.1:18790`, `https://api.example.com/v2`).
    #[arg(long)]
    host: String,
    /// The header it goes in, e.g. `X-Api-Key` (a bearer token:
    /// `Authorization`, with the value `Bearer …`).
    #[arg(long)]
    header: String,
    #[command(flatten)]
    scope: ScopeArgs,
}

#[derive(Args, Debug)]
pub(super) struct RmArgs {
    /// The key's name.
    name: String,
    #[command(flatten)]
    scope: ScopeArgs,
}

impl ScopeArgs {
    async fn open(&self) -> Result<(Store, Option<OrgId>), Failure> {
        let store = self.db.open().await?;
        let org = match &self.org {
            Some(slug) => Some(pick_org(&store, Some(slug)).await?.id),
            None => None,
        };
        Ok((store, org))
    }
}

/// Run a `baton secret` command.
pub(super) async fn run(cmd: SecretCommand) -> Result<(), Failure> {
    match cmd {
        SecretCommand::Key => {
            println!("{}", Vault::new_key());
            eprintln!(
                "set it as BATON_SECRET_KEY for `baton serve` and `baton worker`; keep it out of the repository"
            );
            Ok(())
        }
        SecretCommand::Rotate(a) => rotate_keys(&a).await,
        SecretCommand::Set(a) => {
            let vault = vault_from_env()?;
            let mut value = String::new();
            std::io::stdin()
                .read_to_string(&mut value)
                .map_err(|e| Failure::usage(format!("cannot read the key from stdin: {e}")))?;
            let value = value.trim_end_matches(['\r', '\n']);
            let host = keys::check(&a.name, &a.host, &a.header, value).map_err(|e| {
                Failure::usage(format!("the key's {e} (the value is read from stdin)"))
            })?;
            let (store, org) = a.scope.open().await?;
            store
                .set_provider_key(
                    org.as_ref(),
                    &a.name,
                    &host,
                    &a.header,
                    |id| vault.seal(id, value.as_bytes()),
                    crate::store::now_ms(),
                )
                .await
                .map_err(store_failure)?;
            let whose = a
                .scope
                .org
                .as_deref()
                .map_or("every org".to_owned(), |s| format!("org `{s}`"));
            println!(
                "kept key `{}` for {host} ({}), for {whose}",
                a.name, a.header
            );
            Ok(())
        }
        SecretCommand::List(a) => {
            let (store, org) = a.open().await?;
            let keys = store
                .provider_keys(org.as_ref())
                .await
                .map_err(store_failure)?;
            if a.json {
                return print_json(&serde_json::to_value(&keys).unwrap_or_default());
            }
            for k in keys {
                println!("{:<20} {:<30} {}", k.name, k.host, k.header);
            }
            Ok(())
        }
        SecretCommand::Rm(a) => {
            let (store, org) = a.scope.open().await?;
            if !store
                .delete_provider_key(org.as_ref(), &a.name)
                .await
                .map_err(store_failure)?
            {
                return Err(Failure::usage(format!("no key `{}`", a.name)));
            }
            println!("removed key `{}`", a.name);
            Ok(())
        }
    }
}

/// The vault `BATON_SECRET_KEY` names; a usage failure when it is unset
/// or malformed.
fn vault_from_env() -> Result<Vault, Failure> {
    let env: Vec<(String, String)> = std::env::vars().collect();
    Vault::from_env(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| Failure::usage(e.to_string()))?
        .ok_or_else(|| Failure::usage(crate::accounts::VaultError::NoKey.to_string()))
}

/// `baton secret rotate`: passes over every sealed column until one
/// finds nothing rewritten meanwhile (at most a few), progress on stderr.
async fn rotate_keys(a: &RotateArgs) -> Result<(), Failure> {
    /// Passes before values the service keeps rewriting are reported.
    const PASSES: usize = 3;
    let vault = vault_from_env()?;
    let store = a.db.open().await?;
    let newest = vault.key_id().to_owned();
    eprintln!(
        "sealing every stored secret under key {newest} (BATON_SECRET_KEY lists {} key(s))",
        vault.key_ids().count()
    );
    let mut total = rotate::Rotation::default();
    for pass in 1..=PASSES {
        let done = rotate::rotate(&store, &vault, a.batch, |column, so_far| {
            eprintln!(
                "  {}: {} sealed again, {} already under key {newest}",
                column.name(),
                so_far.resealed,
                so_far.current
            );
        })
        .await
        .map_err(store_failure)?;
        total.resealed += done.resealed;
        total.current = done.current;
        total.changed = done.changed;
        total.unopened = done.unopened;
        if total.changed == 0 || pass == PASSES {
            break;
        }
        eprintln!(
            "{} value(s) changed while they were read; passing again",
            total.changed
        );
    }
    if !total.unopened.is_empty() {
        let mut names: Vec<String> = total
            .unopened
            .iter()
            .map(|(column, key, why)| match column {
                // An authorization's key is its state's hash: not shown.
                crate::store::SealedColumn::OAuthVerifier => format!("{}: {why}", column.name()),
                _ => format!("{} {key}: {why}", column.name()),
            })
            .collect();
        names.dedup();
        return Err(Failure::usage(format!(
            "{} sealed value(s) did not open with any key BATON_SECRET_KEY lists; list the key that sealed them and run this again (the rest is done: {} sealed again):\n  {}",
            total.unopened.len(),
            total.resealed,
            names.join("\n  ")
        )));
    }
    if total.changed > 0 {
        return Err(Failure::new(
            Exit::Internal,
            format!(
                "{} value(s) kept changing while they were read; run `baton secret rotate` again",
                total.changed
            ),
        ));
    }
    println!(
        "{} value(s) sealed again; every stored secret is now under key {newest} (the first of BATON_SECRET_KEY): the older keys can be removed from it",
        total.resealed
    );
    Ok(())
}
