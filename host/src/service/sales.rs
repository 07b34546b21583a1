//! The sales app in the service: its settings and secrets, the deliverer
//! its effects go out through (the engine's transports with the CRM,
//! HubSpot and proposal connectors), its routes, and the workers that
//! read reps' mailboxes and calendars.

use super::{api, inbox, openapi, proposal, webhooks};
use crate::accounts::Accounts;
use crate::connectors::{Connectors, Deliver, GoogleCalendar, content::ContentFolder};
use crate::orchestrator::Orchestrator;
use axum::{Extension, Router};
use baton_service::{App, ServiceError, Settings, Transports, WebApp, config};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// The sales app's keys of the `[service]` table, then the environment
/// over them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct SalesSettings {
    /// HubSpot's API (`BATON_HUBSPOT_API_URL`), for orgs that connect
    /// HubSpot.
    pub hubspot_api_url: String,
    /// Days a proposal's share link (`/p/{token}`) works
    /// (`BATON_PROPOSAL_LINK_DAYS`; default 30).
    pub proposal_link_days: u32,
    /// Keys no one took (refused).
    #[serde(flatten)]
    rest: toml::Table,
}

impl Default for SalesSettings {
    fn default() -> Self {
        SalesSettings {
            hubspot_api_url: "https://api.hubapi.com".into(),
            proposal_link_days: 30,
            rest: toml::Table::new(),
        }
    }
}

impl SalesSettings {
    /// Read from the keys the shell left (`rest`), then the environment;
    /// a key neither took is refused, named.
    pub fn load(
        rest: &toml::Table,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<SalesSettings, String> {
        let mut s: SalesSettings = toml::Value::Table(rest.clone())
            .try_into()
            .map_err(|e: toml::de::Error| format!("[service]: {}", e.message()))?;
        if let Some(unknown) = config::unknown_keys(&s.rest) {
            return Err(unknown);
        }
        for (k, v) in env {
            match k.as_str() {
                _ if v.is_empty() => {}
                "BATON_HUBSPOT_API_URL" => s.hubspot_api_url = v,
                "BATON_PROPOSAL_LINK_DAYS" => {
                    s.proposal_link_days = v.parse().map_err(|_| {
                        format!("BATON_PROPOSAL_LINK_DAYS `{v}` is not a number of days")
                    })?;
                }
                _ => {}
            }
        }
        if !(1..=365).contains(&s.proposal_link_days) {
            return Err("proposal_link_days must be from 1 to 365".into());
        }
        Ok(s)
    }
}

/// The sales app's secrets, from the environment.
#[derive(Clone, Default)]
pub struct SalesSecrets {
    /// `BATON_MEETINGBAAS_API_KEY`: v1 webhooks carry it in a header.
    pub meetingbaas_api_key: Option<String>,
    /// `BATON_MEETINGBAAS_WEBHOOK_SECRET`: v2 (Svix) signing secret, `whsec_…`.
    pub meetingbaas_webhook_secret: Option<String>,
}

impl SalesSecrets {
    /// Read from an environment; empty values count as unset.
    pub fn from_env(env: impl IntoIterator<Item = (String, String)>) -> SalesSecrets {
        let mut s = SalesSecrets::default();
        for (k, v) in env {
            match k.as_str() {
                _ if v.is_empty() => {}
                "BATON_MEETINGBAAS_API_KEY" => s.meetingbaas_api_key = Some(v),
                "BATON_MEETINGBAAS_WEBHOOK_SECRET" => s.meetingbaas_webhook_secret = Some(v),
                _ => {}
            }
        }
        s
    }
}

/// What the sales app's handlers share beside [`App`] (an `Extension` of
/// its routes).
pub struct Sales {
    pub settings: SalesSettings,
    pub secrets: SalesSecrets,
    /// Wakes the mail loop (a Gmail push asked for a mailbox's sync).
    pub mail_wake: Arc<Notify>,
    /// Wakes the calendar loop (a Google Calendar push asked for a read).
    pub calendar_wake: Arc<Notify>,
}

/// The sales app composed into the service.
pub struct SalesWeb {
    sales: Arc<Sales>,
    connectors: Connectors,
}

impl SalesWeb {
    /// Its deliverer over the shell's transports and accounts.
    pub fn new(
        orch: &Orchestrator,
        settings: &Settings,
        own: SalesSettings,
        secrets: SalesSecrets,
        (transports, accounts): &(Transports, Accounts),
    ) -> Result<SalesWeb, ServiceError> {
        let clock = orch.clock.clone();
        let connectors = Connectors {
            proposal_link_days: Some(own.proposal_link_days),
            now: Some(Arc::new(move || clock.now_ms())),
            store: Some(orch.store.clone()),
            slack: transports.slack.clone(),
            mailer: transports.mailer.clone(),
            webhook: transports.webhook.clone(),
            public_url: Some(settings.base_url()),
            accounts: Some(accounts.clone()),
            hubspot_api_url: Some(own.hubspot_api_url.clone()),
            google_calendar: Some(GoogleCalendar::new(&settings.google_api_url)?),
            content: settings
                .content_dir
                .as_deref()
                .map(|d| ContentFolder::open(std::path::Path::new(d)))
                .transpose()?,
        };
        Ok(SalesWeb {
            sales: Arc::new(Sales {
                settings: own,
                secrets,
                mail_wake: Arc::default(),
                calendar_wake: Arc::default(),
            }),
            connectors,
        })
    }
}

impl WebApp for SalesWeb {
    fn name(&self) -> &'static str {
        "sales"
    }

    fn routes(&self, app: &Arc<App>) -> Router<Arc<App>> {
        Router::new()
            .route("/openapi.json", axum::routing::get(openapi::document))
            .merge(api::routes())
            .merge(webhooks::routes())
            .merge(inbox::routes(app))
            .merge(proposal::routes())
            .layer(Extension(self.sales.clone()))
    }

    fn deliverer(&self) -> Option<Arc<dyn Deliver>> {
        Some(Arc::new(self.connectors.clone()))
    }

    fn workers(
        &self,
        app: &Arc<App>,
        stop: &watch::Receiver<bool>,
        tasks: &mut JoinSet<()>,
    ) -> Result<(), ServiceError> {
        let client = |what: &str| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| ServiceError::Config(format!("{what}: {e}")))
        };
        let mail = crate::sources::mail::MailLoop {
            orch: app.orch.clone(),
            accounts: app.accounts.clone(),
            http: client("the mail loop's HTTP client")?,
            google_api_url: app.settings.google_api_url.clone(),
            pubsub_topic: app.settings.gmail_pubsub_topic.clone(),
            poll: Duration::from_millis(app.settings.mail_poll_ms),
            wake: self.sales.mail_wake.clone(),
        };
        let stop_mail = stop.clone();
        tasks.spawn(async move { mail.run(stop_mail).await });
        let calendars = crate::sources::calendar::Calendars {
            store: app.store().clone(),
            accounts: app.accounts.clone(),
            http: client("calendar HTTP client")?,
            account_http: app
                .accounts
                .egress()
                .http_client(Duration::from_secs(30))
                .map_err(|e| ServiceError::Config(format!("CalDAV HTTP client: {e}")))?,
            google_api: app.settings.google_api_url.trim_end_matches('/').to_owned(),
            public_url: app
                .settings
                .public_url
                .as_ref()
                .map(|_| app.settings.base_url()),
            clock: app.orch.clock.clone(),
            poll: Duration::from_millis(app.settings.calendar_poll_ms.max(100)),
            wake: self.sales.calendar_wake.clone(),
        };
        let stop_calendars = stop.clone();
        tasks.spawn(async move { calendars.run(stop_calendars).await });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_sales_keys_share_the_service_table_and_a_key_no_one_takes_is_named() {
        let table: toml::Table =
            toml::from_str("listen = \"0.0.0.0:9000\"\nproposal_link_days = 7\nlistn = 1").unwrap();
        let shell = Settings::load(&table, env(&[])).unwrap();
        assert_eq!(shell.listen, "0.0.0.0:9000");
        let e = SalesSettings::load(&shell.rest, env(&[])).unwrap_err();
        assert_eq!(e, "[service]: unknown field `listn`");
        let table: toml::Table = toml::from_str("proposal_link_days = 7").unwrap();
        let shell = Settings::load(&table, env(&[])).unwrap();
        let own = SalesSettings::load(
            &shell.rest,
            env(&[("BATON_HUBSPOT_API_URL", "http://127.0.0.1:9/")]),
        )
        .unwrap();
        assert_eq!(own.proposal_link_days, 7);
        assert_eq!(own.hubspot_api_url, "http://127.0.0.1:9/");
    }

    #[test]
    fn a_share_link_lasts_one_day_to_a_year() {
        let none = toml::Table::new();
        assert_eq!(
            SalesSettings::load(&none, env(&[]))
                .unwrap()
                .proposal_link_days,
            30
        );
        for bad in ["0", "366", "soon"] {
            let e =
                SalesSettings::load(&none, env(&[("BATON_PROPOSAL_LINK_DAYS", bad)])).unwrap_err();
            assert!(
                e.contains("PROPOSAL_LINK_DAYS") || e.contains("proposal_link_days"),
                "{bad}: {e}"
            );
        }
        let wrong: toml::Table = toml::from_str("proposal_link_days = \"week\"").unwrap();
        let e = SalesSettings::load(&wrong, env(&[])).unwrap_err();
        assert!(e.starts_with("[service]: ") && e.contains("week"), "{e}");
    }
}
