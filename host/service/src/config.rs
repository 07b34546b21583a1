//! `baton serve` settings: the `[service]` table of the config file, then
//! environment variables over it (12-factor). Secrets come from the
//! environment only and are never printed. An app's own settings share
//! the table: the shell keeps the keys it does not know in
//! [`Settings::rest`] for the apps, and the composition refuses any key no
//! one took ([`unknown_keys`]).

use serde::Deserialize;

/// Non-secret settings (`[service]` in the config file).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on (`BATON_LISTEN`).
    pub listen: String,
    /// The URL people reach the service at, for links in messages
    /// (`BATON_PUBLIC_URL`); defaults to `http://{listen}`.
    pub public_url: Option<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Slack's Web API (`BATON_SLACK_API_URL`).
    pub slack_api_url: String,
    /// SMTP relay (`BATON_SMTP_URL`), e.g. `smtp://127.0.0.1:25`, or a mail
    /// drop folder, `file:///var/lib/baton/mail`.
    pub smtp_url: Option<String>,
    /// OpenAI-compatible endpoint (`BATON_LLM_URL`) and model (`BATON_LLM_MODEL`).
    pub llm_url: Option<String>,
    pub llm_model: Option<String>,
    /// How long one LLM call may take before it fails as retriable
    /// (`BATON_LLM_TIMEOUT_MS`; default 60 s).
    pub llm_timeout_ms: u64,
    /// Where effects no connector carries are posted (`BATON_DELIVERY_URL`).
    pub delivery_url: Option<String>,
    /// How often approval requests are sent (ms).
    pub notify_every_ms: u64,
    /// How often the scheduler looks for due fires (ms).
    pub schedule_every_ms: u64,
    /// How often the skill release log is read for versions other replicas
    /// made live (ms).
    pub releases_every_ms: u64,
    /// Largest skill component `PUT /v1/admin/skills/{name}` accepts.
    pub max_skill_bytes: usize,
    /// How long an inbox login lasts (hours).
    pub session_hours: i64,
    /// Webhook timestamps further than this from now are refused (s).
    pub webhook_tolerance_s: i64,
    /// Google's OAuth consent page (`BATON_GOOGLE_AUTH_URL`).
    pub google_auth_url: String,
    /// Google's token endpoint (`BATON_GOOGLE_TOKEN_URL`).
    pub google_token_url: String,
    /// The base of Google's REST APIs, Gmail and Calendar
    /// (`BATON_GOOGLE_API_URL`).
    pub google_api_url: String,
    /// The Microsoft identity platform's authorize endpoint
    /// (`BATON_MICROSOFT_AUTH_URL`; default the multi-tenant `common` one).
    pub microsoft_auth_url: String,
    /// Its token endpoint (`BATON_MICROSOFT_TOKEN_URL`).
    pub microsoft_token_url: String,
    /// The base of Microsoft Graph (`BATON_MICROSOFT_GRAPH_URL`).
    pub microsoft_graph_url: String,
    /// How often every connected mailbox is read, pushes or not
    /// (`BATON_MAIL_POLL_MS`; default 60 s).
    pub mail_poll_ms: u64,
    /// The lease period of a connected account (ms,
    /// `BATON_ACCOUNT_LEASE_MS`; default 30 s): each account is read by one
    /// replica at a time, and a dead replica's accounts are read by the
    /// others within this long.
    pub account_lease_ms: u64,
    /// Reads of connected accounts a provider app (Gmail, Google
    /// Calendar, CalDAV) may take per second across the replicas, each
    /// replica its part (`BATON_ACCOUNT_READS_PER_S`; default 100).
    pub account_reads_per_s: u32,
    /// How long `/metrics` may serve an app's figures before one replica
    /// computes them again (`BATON_METRICS_CACHE_MS`; default 60 s; 0:
    /// every scrape).
    pub metrics_cache_ms: u64,
    /// The Pub/Sub topic Gmail mailboxes are watched into
    /// (`BATON_GMAIL_PUBSUB_TOPIC`, `projects/…/topics/…`); none: no
    /// `users.watch`, polling only unless pushes are set up by hand.
    pub gmail_pubsub_topic: Option<String>,
    /// How often connected calendars are read without a push (ms,
    /// `BATON_CALENDAR_POLL_MS`; default 5 minutes).
    pub calendar_poll_ms: u64,
    /// The folder emails' attachments are read from (`BATON_CONTENT_DIR`),
    /// e.g. the content library's security pack; none: emails carry no
    /// attachments.
    pub content_dir: Option<String>,
    /// Servers that connected accounts (an org's IMAP host, CalDAV URL)
    /// may reach although their addresses are internal — loopback,
    /// private, link-local — and the only ones a password may reach
    /// without TLS: host names, addresses or networks
    /// (`BATON_ACCOUNTS_ALLOW`, comma-separated), e.g. an on-premises mail
    /// server. Default: none.
    pub accounts_allow: Vec<String>,
    /// A PEM file of CA certificates that connected accounts' servers
    /// (IMAP over TLS, CalDAV over HTTPS) are trusted under beside the
    /// public roots (`BATON_ACCOUNTS_CA`), e.g. an on-premises mail
    /// server's own CA. Default: the public roots alone.
    pub accounts_ca: Option<String>,
    /// The table's keys the shell does not know: the apps' settings.
    #[serde(flatten)]
    pub rest: toml::Table,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            max_body_bytes: 1 << 20,
            slack_api_url: "https://slack.com/api".into(),
            smtp_url: None,
            llm_url: None,
            llm_model: None,
            llm_timeout_ms: 60_000,
            delivery_url: None,
            notify_every_ms: 1_000,
            schedule_every_ms: 30_000,
            releases_every_ms: 1_000,
            max_skill_bytes: 64 << 20,
            session_hours: 12,
            webhook_tolerance_s: 300,
            google_auth_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            google_token_url: "https://oauth2.googleapis.com/token".into(),
            google_api_url: "https://www.googleapis.com".into(),
            microsoft_auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
                .into(),
            microsoft_token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token"
                .into(),
            microsoft_graph_url: "https://graph.microsoft.com".into(),
            mail_poll_ms: 60_000,
            account_lease_ms: 30_000,
            account_reads_per_s: 100,
            metrics_cache_ms: 60_000,
            gmail_pubsub_topic: None,
            calendar_poll_ms: 300_000,
            content_dir: None,
            accounts_allow: Vec::new(),
            accounts_ca: None,
            rest: toml::Table::new(),
        }
    }
}

/// Secrets, from the environment.
#[derive(Clone, Default)]
pub struct Secrets {
    /// `BATON_ADMIN_TOKEN`: operator routes (org tokens, imports).
    pub admin_token: Option<String>,
    /// `BATON_METRICS_TOKEN`: reading `/metrics` (the admin token also can).
    pub metrics_token: Option<String>,
    /// `BATON_SLACK_SIGNING_SECRET`: Slack interactivity.
    pub slack_signing_secret: Option<String>,
    /// `BATON_SLACK_BOT_TOKEN`: posting to Slack.
    pub slack_bot_token: Option<String>,
    /// `BATON_LLM_API_KEY`.
    pub llm_api_key: Option<String>,
    /// `BATON_GMAIL_PUSH_TOKEN`: the `token` query parameter of the Pub/Sub
    /// push endpoint.
    pub gmail_push_token: Option<String>,
    /// `BATON_WEBHOOK_SECRET_<SOURCE>` (or `BATON_WEBHOOK_SECRET` for any
    /// source): Standard Webhooks secrets for `/v1/webhooks/generic/{source}`.
    pub generic: Vec<(String, String)>,
    /// `BATON_SECRET_KEY`: seals connected accounts' credentials at rest.
    pub secret_key: Option<String>,
    /// `BATON_GOOGLE_CLIENT_ID` and `BATON_GOOGLE_CLIENT_SECRET`: the OAuth
    /// client reps connect their Google mailbox and calendar through.
    pub google_client_id: Option<String>,
    pub google_client_secret: Option<String>,
    /// `BATON_MICROSOFT_CLIENT_ID` / `_SECRET`: connecting Microsoft 365
    /// mailboxes (an app registration of the identity platform).
    pub microsoft_client_id: Option<String>,
    pub microsoft_client_secret: Option<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |o: &Option<String>| if o.is_some() { "set" } else { "unset" };
        f.debug_struct("Secrets")
            .field("admin_token", &set(&self.admin_token))
            .field("metrics_token", &set(&self.metrics_token))
            .field("slack_signing_secret", &set(&self.slack_signing_secret))
            .field("slack_bot_token", &set(&self.slack_bot_token))
            .field("generic_sources", &self.generic.len())
            .field("secret_key", &set(&self.secret_key))
            .field("google_client", &set(&self.google_client_secret))
            .field("microsoft_client", &set(&self.microsoft_client_secret))
            .finish_non_exhaustive()
    }
}

impl Secrets {
    /// Read from an environment (a list of pairs, so tests need not touch
    /// the process's). Empty values count as unset.
    pub fn from_env(env: impl IntoIterator<Item = (String, String)>) -> Secrets {
        let mut s = Secrets::default();
        for (k, v) in env {
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "BATON_ADMIN_TOKEN" => s.admin_token = Some(v),
                "BATON_METRICS_TOKEN" => s.metrics_token = Some(v),
                "BATON_SLACK_SIGNING_SECRET" => s.slack_signing_secret = Some(v),
                "BATON_SLACK_BOT_TOKEN" => s.slack_bot_token = Some(v),
                "BATON_LLM_API_KEY" => s.llm_api_key = Some(v),
                "BATON_GMAIL_PUSH_TOKEN" => s.gmail_push_token = Some(v),
                "BATON_SECRET_KEY" => s.secret_key = Some(v),
                "BATON_GOOGLE_CLIENT_ID" => s.google_client_id = Some(v),
                "BATON_GOOGLE_CLIENT_SECRET" => s.google_client_secret = Some(v),
                "BATON_MICROSOFT_CLIENT_ID" => s.microsoft_client_id = Some(v),
                "BATON_MICROSOFT_CLIENT_SECRET" => s.microsoft_client_secret = Some(v),
                "BATON_WEBHOOK_SECRET" => s.generic.push(("*".into(), v)),
                other => {
                    if let Some(source) = other.strip_prefix("BATON_WEBHOOK_SECRET_") {
                        s.generic
                            .push((source.to_ascii_lowercase().replace('_', "-"), v));
                    }
                }
            }
        }
        s
    }

    /// The generic-webhook secret for `source` (its own, else the shared one).
    pub fn generic_secret(&self, source: &str) -> Option<&str> {
        let own = self.generic.iter().find(|(s, _)| s == source);
        own.or_else(|| self.generic.iter().find(|(s, _)| s == "*"))
            .map(|(_, v)| v.as_str())
    }
}

impl Settings {
    /// The `[service]` table, then the environment over it.
    pub fn load(
        table: &toml::Table,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, String> {
        let mut s: Settings = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| format!("[service]: {}", e.message()))?;
        for (k, v) in env {
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "BATON_LISTEN" => s.listen = v,
                "BATON_PUBLIC_URL" => s.public_url = Some(v),
                "BATON_SLACK_API_URL" => s.slack_api_url = v,
                "BATON_SMTP_URL" => s.smtp_url = Some(v),
                "BATON_LLM_URL" => s.llm_url = Some(v),
                "BATON_LLM_MODEL" => s.llm_model = Some(v),
                "BATON_LLM_TIMEOUT_MS" => {
                    s.llm_timeout_ms = v
                        .parse()
                        .map_err(|_| format!("BATON_LLM_TIMEOUT_MS `{v}` is not a number of ms"))?;
                }
                "BATON_DELIVERY_URL" => s.delivery_url = Some(v),
                "BATON_GOOGLE_AUTH_URL" => s.google_auth_url = v,
                "BATON_GOOGLE_TOKEN_URL" => s.google_token_url = v,
                "BATON_GOOGLE_API_URL" => s.google_api_url = v,
                "BATON_MICROSOFT_AUTH_URL" => s.microsoft_auth_url = v,
                "BATON_MICROSOFT_TOKEN_URL" => s.microsoft_token_url = v,
                "BATON_MICROSOFT_GRAPH_URL" => s.microsoft_graph_url = v,
                "BATON_MAIL_POLL_MS" => {
                    s.mail_poll_ms = v
                        .parse()
                        .map_err(|_| format!("BATON_MAIL_POLL_MS `{v}` is not a number of ms"))?;
                }
                "BATON_ACCOUNT_LEASE_MS" => {
                    s.account_lease_ms = v.parse().map_err(|_| {
                        format!("BATON_ACCOUNT_LEASE_MS `{v}` is not a number of ms")
                    })?;
                }
                "BATON_ACCOUNT_READS_PER_S" => {
                    s.account_reads_per_s = v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("BATON_ACCOUNT_READS_PER_S `{v}` is not a whole number above 0")
                    })?;
                }
                "BATON_METRICS_CACHE_MS" => {
                    s.metrics_cache_ms = v.parse().map_err(|_| {
                        format!("BATON_METRICS_CACHE_MS `{v}` is not a number of ms")
                    })?;
                }
                "BATON_GMAIL_PUBSUB_TOPIC" => s.gmail_pubsub_topic = Some(v),
                "BATON_CONTENT_DIR" => s.content_dir = Some(v),
                "BATON_CALENDAR_POLL_MS" => {
                    s.calendar_poll_ms = v.parse().map_err(|_| {
                        format!("BATON_CALENDAR_POLL_MS `{v}` is not a number of ms")
                    })?;
                }
                "BATON_ACCOUNTS_CA" => s.accounts_ca = Some(v),
                "BATON_ACCOUNTS_ALLOW" => {
                    s.accounts_allow = v.split(',').map(|h| h.trim().to_owned()).collect();
                }
                _ => {}
            }
        }
        baton_engine::accounts::Egress::allowing(&s.accounts_allow)?;
        if s.llm_timeout_ms == 0 {
            return Err("the LLM timeout (llm_timeout_ms) must be more than 0".into());
        }
        if s.mail_poll_ms < 50 {
            return Err("mail_poll_ms must be at least 50".into());
        }
        if s.account_reads_per_s == 0 {
            return Err("account_reads_per_s must be at least 1".into());
        }
        if s.account_lease_ms < 300 {
            return Err("account_lease_ms must be at least 300".into());
        }
        if s.max_body_bytes < 1024 {
            return Err("[service] max_body_bytes must be at least 1024".into());
        }
        Ok(s)
    }

    /// Whether people reach the service over HTTPS (its public URL says
    /// so): cookies are then `Secure`.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The public base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// The error for `[service]` keys neither the shell nor any app took
/// (what each left in its `rest`), naming them; `None` when there are none.
pub fn unknown_keys(rest: &toml::Table) -> Option<String> {
    let mut keys = rest.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>();
    match keys.len() {
        0 => None,
        1 => Some(format!(
            "[service]: unknown field {} (the settings are listed in docs/service.md, Configuration)",
            keys.remove(0)
        )),
        _ => Some(format!(
            "[service]: unknown fields {} (the settings are listed in docs/service.md, Configuration)",
            keys.join(", ")
        )),
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
    fn the_environment_overrides_the_file_and_unknown_keys_are_refused() {
        let table: toml::Table =
            toml::from_str("listen = \"0.0.0.0:9000\"\nsmtp_url = \"smtp://a:25\"").unwrap();
        let s = Settings::load(&table, env(&[("BATON_SMTP_URL", "smtp://b:2525")])).unwrap();
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.smtp_url.as_deref(), Some("smtp://b:2525"));
        let bad: toml::Table = toml::from_str("listn = \"x\"").unwrap();
        let left = Settings::load(&bad, env(&[])).unwrap().rest;
        assert!(unknown_keys(&left).unwrap().contains("`listn`"));
        assert_eq!(unknown_keys(&toml::Table::new()), None);
    }

    #[test]
    fn the_llm_timeout_is_a_positive_number_of_ms() {
        let none = toml::Table::new();
        assert_eq!(
            Settings::load(&none, env(&[])).unwrap().llm_timeout_ms,
            60_000
        );
        let s = Settings::load(&none, env(&[("BATON_LLM_TIMEOUT_MS", "1500")])).unwrap();
        assert_eq!(s.llm_timeout_ms, 1500);
        for bad in ["soon", "-1", "0"] {
            let e = Settings::load(&none, env(&[("BATON_LLM_TIMEOUT_MS", bad)])).unwrap_err();
            assert!(e.contains("timeout") || e.contains("TIMEOUT"), "{bad}: {e}");
        }
    }

    #[test]
    fn generic_secrets_fall_back_to_the_shared_one_and_debug_hides_them() {
        let s = Secrets::from_env(env(&[
            ("BATON_WEBHOOK_SECRET_BILLING_SYSTEM", "own"),
            ("BATON_WEBHOOK_SECRET", "shared"),
            ("BATON_ADMIN_TOKEN", "topsecret"),
        ]));
        assert_eq!(s.generic_secret("billing-system"), Some("own"));
        assert_eq!(s.generic_secret("other"), Some("shared"));
        assert!(!format!("{s:?}").contains("topsecret"));
    }
}
