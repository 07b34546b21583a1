//! What the service builds from its settings and secrets before the apps:
//! the transports (Slack, SMTP, the delivery webhook) and the connected
//! accounts (the vault, Google's OAuth client, the egress rules). The
//! apps are made from it, then the [`App`](crate::App) with them.

use crate::{Secrets, ServiceError, Settings};
use baton_engine::accounts::{self, Accounts, OAuthApp, Vault};
use baton_engine::connectors::{Mailer, Slack, Webhook};
use baton_engine::orchestrator::Orchestrator;
use std::sync::Arc;

/// The transports the settings set up, each `None` when not configured.
#[derive(Clone, Default)]
pub struct Transports {
    /// Slack's Web API with the bot token (`BATON_SLACK_BOT_TOKEN`).
    pub slack: Option<Slack>,
    /// SMTP or a mail drop (`BATON_SMTP_URL`).
    pub mailer: Option<Mailer>,
    /// Where effects no connector carries are posted (`BATON_DELIVERY_URL`).
    pub webhook: Option<Arc<Webhook>>,
}

/// The transports and the connected accounts.
pub struct Base {
    pub transports: Transports,
    pub accounts: Accounts,
}

impl Base {
    /// Set up from the settings and secrets (lending the provider keys'
    /// vault to `orch`).
    pub fn new(
        orch: &Orchestrator,
        settings: &Settings,
        secrets: &Secrets,
    ) -> Result<Base, ServiceError> {
        let slack = match &secrets.slack_bot_token {
            Some(token) => Some(Slack::new(&settings.slack_api_url, token)?),
            None => None,
        };
        let mailer = match &settings.smtp_url {
            Some(url) => Some(Mailer::new(url)?),
            None => None,
        };
        let webhook = match &settings.delivery_url {
            Some(url) => Some(Arc::new(Webhook::new(url)?)),
            None => None,
        };
        let vault = match &secrets.secret_key {
            Some(key) => Some(Vault::from_key(key)?),
            None => None,
        };
        let oauth = |provider: accounts::Provider,
                     client: (&Option<String>, &Option<String>),
                     (auth_url, token_url): (&str, &str)| {
            match client {
                (Some(id), Some(secret)) => Ok(Some(OAuthApp::new(
                    provider,
                    id,
                    secret,
                    auth_url,
                    token_url,
                    &format!("{}{}", settings.base_url(), provider.callback_path()),
                )?)),
                (None, None) => Ok(None),
                _ => {
                    let var = provider.name().to_uppercase();
                    Err(ServiceError::Config(format!(
                        "{} needs both BATON_{var}_CLIENT_ID and BATON_{var}_CLIENT_SECRET",
                        provider.title()
                    )))
                }
            }
        };
        let google = oauth(
            accounts::Provider::Google,
            (&secrets.google_client_id, &secrets.google_client_secret),
            (&settings.google_auth_url, &settings.google_token_url),
        )?;
        let microsoft = oauth(
            accounts::Provider::Microsoft,
            (
                &secrets.microsoft_client_id,
                &secrets.microsoft_client_secret,
            ),
            (&settings.microsoft_auth_url, &settings.microsoft_token_url),
        )?;
        if let Some(vault) = &vault {
            orch.lend_provider_keys(vault.clone());
        }
        let mut egress =
            accounts::Egress::allowing(&settings.accounts_allow).map_err(ServiceError::Config)?;
        if let Some(path) = &settings.accounts_ca {
            let pem = std::fs::read(path).map_err(|e| {
                ServiceError::Config(format!("accounts_ca: cannot read `{path}`: {e}"))
            })?;
            egress = egress
                .trusting(&pem)
                .map_err(|e| ServiceError::Config(format!("accounts_ca: `{path}` {e}")))?;
        }
        let accounts = Accounts::new(orch.store.clone(), vault, google)
            .with_microsoft(microsoft)
            .with_egress(egress);
        Ok(Base {
            transports: Transports {
                slack,
                mailer,
                webhook,
            },
            accounts,
        })
    }
}
