//! `baton secret`: provider keys the host injects into skills' granted
//! outbound requests (operator-wide, or one org's with `--org`), and a new
//! `BATON_SECRET_KEY`. A key's value is read from stdin, never from the
//! command line (which `ps` and shell history show), and never printed.

use super::args::DatabaseArg;
use super::conductor::{pick_org, store_failure};
use super::exit::Failure;
use super::io::print_json;
use crate::accounts::{Vault, keys};
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
        SecretCommand::Set(a) => {
            let env: Vec<(String, String)> = std::env::vars().collect();
            let vault = Vault::from_env(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map_err(|e| Failure::usage(e.to_string()))?
                .ok_or_else(|| Failure::usage(crate::accounts::VaultError::NoKey.to_string()))?;
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
