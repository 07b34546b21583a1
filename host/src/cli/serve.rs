//! `baton serve`: the service (see `service`), and `baton token` to mint
//! org API tokens from the command line.

use super::conductor::{ConductorArgs, OrgArgs, store_failure};
use super::exit::{Exit, Failure};
use super::io::print_json;
use crate::connectors::OpenAiCompatible;
use crate::orchestrator::import::{ImportDoc, import};
use crate::orchestrator::{Clock, SimulatedClock, SystemClock};
use crate::service;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// Serve the HTTP API, webhooks and the inbox; run jobs, deliveries,
/// approval requests and the scheduler in the same process.
#[derive(Args, Debug)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    conductor: ConductorArgs,
    /// Address to listen on (overrides `[service] listen` and BATON_LISTEN).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Import this org document before serving (e.g. examples/demo.json).
    #[arg(long, value_name = "FILE")]
    import: Option<PathBuf>,
    /// Run on a simulated clock that starts at START (RFC 3339, e.g.
    /// `2026-11-19T07:30:00Z`) and runs at real speed; the admin route
    /// `POST /v1/admin/clock` moves it forward. For demos and trials: the
    /// scheduler, quiet hours, undo windows and expiry all follow it.
    #[arg(long, value_name = "START", value_parser = parse_start)]
    simulated_clock: Option<jiff::Timestamp>,
}

/// `--simulated-clock`'s START, in our words when it is not RFC 3339.
fn parse_start(s: &str) -> Result<jiff::Timestamp, String> {
    s.parse()
        .map_err(|e| format!("`{s}` is not an RFC 3339 time such as 2026-11-19T07:30:00Z ({e})"))
}

pub(super) async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let config = args.conductor.config()?;
    let mut settings =
        service::load_settings(&config.service, std::env::vars().collect::<Vec<_>>())
            .map_err(Failure::usage)?;
    if let Some(listen) = &args.listen {
        settings.listen = listen.clone();
    }
    let llm_api_key = service::Secrets::from_env(std::env::vars()).llm_api_key;
    let llm: Option<Arc<dyn crate::runtime::LlmClient>> = match (
        &settings.llm_url,
        &settings.llm_model,
    ) {
        (Some(url), Some(model)) => Some(Arc::new(
            OpenAiCompatible::new(url, llm_api_key.as_deref(), model)
                .and_then(|c| {
                    c.with_timeout(std::time::Duration::from_millis(settings.llm_timeout_ms))
                })
                .map_err(|e| Failure::usage(e.report()))?,
        )),
        (Some(_), None) | (None, Some(_)) => {
            return Err(Failure::usage(
                "the LLM needs both BATON_LLM_URL and BATON_LLM_MODEL (or [service] llm_url and llm_model)",
            ));
        }
        (None, None) => None,
    };
    let clock: Arc<dyn Clock> = match args.simulated_clock {
        Some(start) => {
            eprintln!("baton: simulated clock from {start} (move it with POST /v1/admin/clock)");
            SimulatedClock::starting_at(start.as_millisecond())
        }
        None => Arc::new(SystemClock),
    };
    let orch = args.conductor.assemble(config, llm, clock).await?;
    if let Some(path) = &args.import {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
        let doc: ImportDoc =
            serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
        import(&orch.store, &doc, orch.clock.now_ms())
            .await
            .map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    }
    let listener = service::listen(&settings.listen)
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
    // Links name the address bound, not `:0` as configured.
    settings.listen = addr.to_string();
    let app = service::app(orch, settings, std::env::vars().collect::<Vec<_>>())
        .map_err(|e| Failure::usage(e.to_string()))?;
    // Said once the service is ready; a start that fails says why instead
    // (and exits non-zero), never that it serves.
    let announce = {
        let app = app.clone();
        tokio::spawn(async move {
            app.until_ready().await;
            tracing::info!(%addr, "serving");
            eprintln!(
                "baton serving on http://{addr} (inbox: {}/inbox); Ctrl-C to stop",
                app.settings.base_url()
            );
        })
    };
    let served = service::serve(app, listener, shutdown_signal()).await;
    announce.abort();
    served.map_err(|e| Failure::new(Exit::Internal, format!("the service stopped: {e}")))
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[derive(Subcommand, Debug)]
pub(super) enum TokenCommand {
    /// Make an API token for an org (printed once).
    Create(TokenCreateArgs),
    /// List an org's tokens (never their secrets).
    List(TokenListArgs),
    /// Revoke a token.
    Revoke(TokenRevokeArgs),
}

#[derive(Args, Debug)]
pub(super) struct TokenCreateArgs {
    #[command(flatten)]
    target: OrgArgs,
    /// What the token is for, e.g. `crm-sync`.
    #[arg(long, default_value = "cli")]
    name: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub(super) struct TokenListArgs {
    #[command(flatten)]
    target: OrgArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub(super) struct TokenRevokeArgs {
    /// The token's id (from `baton token list`).
    id: String,
    #[command(flatten)]
    target: OrgArgs,
}

pub(super) async fn token(cmd: TokenCommand) -> Result<(), Failure> {
    let now = crate::store::now_ms();
    match cmd {
        TokenCommand::Create(a) => {
            let (store, org) = a.target.open().await?;
            let (id, secret) = store
                .create_token(&org.id, &a.name, now)
                .await
                .map_err(store_failure)?;
            if a.json {
                return print_json(&json!({ "id": id, "org": org.slug, "token": secret }));
            }
            println!("{secret}");
            eprintln!("token {id} for org `{}`; it is shown once", org.slug);
            Ok(())
        }
        TokenCommand::List(a) => {
            let (store, org) = a.target.open().await?;
            let tokens = store.tokens(&org.id).await.map_err(store_failure)?;
            if a.json {
                return print_json(&serde_json::to_value(&tokens).unwrap_or_default());
            }
            for t in tokens {
                println!(
                    "{}  {:<20} {}",
                    t.id,
                    t.name,
                    if t.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "live"
                    }
                );
            }
            Ok(())
        }
        TokenCommand::Revoke(a) => {
            let (store, org) = a.target.open().await?;
            store
                .revoke_token(&org.id, &a.id, now)
                .await
                .map_err(store_failure)?;
            println!("revoked token {}", a.id);
            Ok(())
        }
    }
}
