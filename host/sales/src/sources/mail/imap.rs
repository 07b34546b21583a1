//! IMAP mailboxes (any provider): settings `{host, port, tls, username,
//! folder}`, secret `{password}`. New messages are found by UID above the
//! stored one, under the folder's UIDVALIDITY (feed `imap:<folder>`): a
//! first sync starts at the folder's next UID (no flood of old mail); a
//! changed UIDVALIDITY re-reads the newest [`RECENT_CAP`] messages (the
//! Message-ID key absorbs what was queued before). IDLE wakes a sync as
//! soon as the server announces mail.

use super::MailError;
use async_imap::Session;
use baton_engine::accounts::egress::ConnectError;
use baton_engine::accounts::{AccountError, Accounts, Egress, EgressError};
use baton_engine::report::Context;
use baton_store::Account;
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// Most messages read after a UIDVALIDITY change.
pub const RECENT_CAP: u32 = 50;

/// Most messages one FETCH reads; more wait for the next round, which
/// follows at once.
pub const FETCH_BATCH: u32 = 10;

/// The most of one message read: its text and the start of its
/// attachments (`BODY.PEEK[]<0.n>`, a partial fetch), so one FETCH holds
/// at most `FETCH_BATCH` times this.
pub const MAX_MESSAGE_BYTES: u32 = 8 << 20;

/// A connection, plain or TLS.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Io for T {}

/// A logged-in session.
pub type ImapSession = Session<Box<dyn Io>>;

/// How to reach an IMAP account, from its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    /// `tls`, `starttls` or `none`.
    pub tls: String,
    pub username: String,
    pub folder: String,
}

impl Settings {
    /// Read an account's settings; the error names the field.
    pub fn of(account: &Account) -> Result<Settings, MailError> {
        Settings::from_json(&account.settings(), &account.address)
    }

    /// Read settings (`{host, port, tls, username, folder}`), the username
    /// defaulting to `address`; the error names the field.
    pub fn from_json(s: &Value, address: &str) -> Result<Settings, MailError> {
        let text = |k: &str| s[k].as_str().map(str::to_owned);
        let bad = |what: &str| {
            MailError::Provider(Context::new(format!(
                "the IMAP account's settings lack {what}"
            )))
        };
        let tls = text("tls").unwrap_or_else(|| "tls".into());
        if !["tls", "starttls", "none"].contains(&tls.as_str()) {
            return Err(bad("a `tls` of tls, starttls or none"));
        }
        let port = match s["port"].as_u64() {
            Some(p) => u16::try_from(p).map_err(|_| bad("a valid `port`"))?,
            None if tls == "tls" => 993,
            None => 143,
        };
        Ok(Settings {
            host: text("host").ok_or_else(|| bad("`host`"))?,
            port,
            tls,
            username: text("username").unwrap_or_else(|| address.to_owned()),
            folder: text("folder").unwrap_or_else(|| "INBOX".into()),
        })
    }

    /// The sync cursor's feed.
    pub fn feed(&self) -> String {
        format!("imap:{}", self.folder)
    }
}

/// An account whose server the egress rule refuses (the API refuses it
/// when it is connected; this is a name that resolves elsewhere since):
/// logged without the address, and nothing is sent to it.
fn refused(account: &Account, e: EgressError) -> MailError {
    tracing::warn!(account = %account.id, reason = %e, "an IMAP account's server is refused");
    MailError::Provider(Context::because("IMAP", e))
}

fn provider(what: &str, e: impl Into<baton_engine::report::Cause>) -> MailError {
    MailError::Provider(Context::because(format!("IMAP {what}"), e))
}

/// TLS over `stream` to `host`, trusting the public roots and the
/// operator's (`accounts_ca`, through the egress rule).
async fn tls(
    stream: tokio::net::TcpStream,
    host: &str,
    egress: &Egress,
) -> Result<Box<dyn Io>, Opened> {
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for root in egress.roots() {
        roots
            .add(root.clone())
            .map_err(|e| Opened::Unreachable(provider("trusted CA certificate", e)))?;
    }
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Opened::Unreachable(provider("TLS", e)))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| Opened::Unreachable(provider("server name", e)))?;
    let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, stream)
        .await
        .map_err(|e| Opened::Unreachable(provider("TLS handshake", e)))?;
    Ok(Box::new(stream))
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum Opened {
    /// The server said NO to the username and password.
    #[error("the IMAP server refused the username and password")]
    Refused,
    /// The egress rule refuses the server.
    #[error(transparent)]
    Egress(EgressError),
    /// The server could not be reached, or spoke oddly (TLS, greeting).
    #[error(transparent)]
    Unreachable(MailError),
}

/// Connect to the server `settings` name and log in with `password`,
/// selecting nothing yet.
pub async fn open(
    egress: &Egress,
    settings: &Settings,
    password: &str,
) -> Result<ImapSession, Opened> {
    if settings.tls == "none" {
        egress
            .check_plaintext(&settings.host)
            .map_err(Opened::Egress)?;
    }
    let tcp = match egress
        .connect(&settings.host, settings.port, Duration::from_secs(30))
        .await
    {
        Ok(tcp) => tcp,
        Err(ConnectError::Refused(e)) => return Err(Opened::Egress(e)),
        Err(e) => return Err(Opened::Unreachable(provider("connect", e))),
    };
    let stream: Box<dyn Io> = match settings.tls.as_str() {
        "tls" => tls(tcp, &settings.host, egress).await?,
        "starttls" => {
            let mut client = async_imap::Client::new(tcp);
            client
                .read_response()
                .await
                .map_err(|e| Opened::Unreachable(provider("greeting", e)))?
                .ok_or_else(|| Opened::Unreachable(provider("greeting", "none")))?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| Opened::Unreachable(provider("STARTTLS", e)))?;
            tls(client.into_inner(), &settings.host, egress).await?
        }
        _ => Box::new(tcp),
    };
    let mut client = async_imap::Client::new(stream);
    if settings.tls != "starttls" {
        client
            .read_response()
            .await
            .map_err(|e| Opened::Unreachable(provider("greeting", e)))?
            .ok_or_else(|| Opened::Unreachable(provider("greeting", "none")))?;
    }
    match client.login(&settings.username, password).await {
        Ok(session) => Ok(session),
        Err((async_imap::error::Error::No(_), _)) => Err(Opened::Refused),
        Err((e, _)) => Err(Opened::Unreachable(provider("login", e))),
    }
}

/// Try a mailbox's settings and password before they are stored: log in,
/// then out.
pub async fn try_login(egress: &Egress, settings: &Settings, password: &str) -> Result<(), Opened> {
    let mut session = open(egress, settings, password).await?;
    let _ = session.logout().await;
    Ok(())
}

/// Connect and log in to a stored account, selecting nothing yet. A
/// refused password marks the account for reconnecting.
pub async fn login(
    accounts: &Accounts,
    account: &Account,
) -> Result<(ImapSession, Settings), MailError> {
    let settings = Settings::of(account)?;
    let password = accounts.secret(account)?["password"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| MailError::Provider(Context::new("the IMAP account has no password")))?;
    match open(accounts.egress(), &settings, &password).await {
        Ok(session) => Ok((session, settings)),
        // The server said NO to the username and password: trying again
        // every poll would only lock the mailbox; the rep must reconnect.
        Err(Opened::Refused) => {
            let detail = Opened::Refused.to_string();
            accounts
                .store()
                .mark_reconnect(&account.org_id, &account.id, &detail, baton_store::now_ms())
                .await?;
            tracing::warn!(account = %account.id, "IMAP account marked for reconnecting");
            Err(MailError::Account(AccountError::Reconnect {
                provider: account.provider.clone(),
                detail,
            }))
        }
        Err(Opened::Egress(e)) => Err(refused(account, e)),
        Err(Opened::Unreachable(e)) => Err(e),
    }
}

/// A message read from the folder.
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
    pub received_at_ms: Option<i64>,
}

/// What one round of reading a folder found.
pub struct NewMail {
    pub messages: Vec<Fetched>,
    /// The cursor to store once the messages are queued.
    pub cursor: Value,
    /// Whether more new messages wait (past [`FETCH_BATCH`]).
    pub more: bool,
}

/// Select the folder and read what is new since `cursor`, at most
/// [`FETCH_BATCH`] messages of at most [`MAX_MESSAGE_BYTES`] each.
pub(crate) async fn new_messages(
    session: &mut ImapSession,
    settings: &Settings,
    cursor: Option<&Value>,
) -> Result<NewMail, MailError> {
    let mailbox = session
        .select(&settings.folder)
        .await
        .map_err(|e| provider("SELECT", e))?;
    let validity = mailbox.uid_validity.unwrap_or(0);
    let next = mailbox.uid_next.unwrap_or(1);
    let stored_validity = cursor.and_then(|c| c["uid_validity"].as_u64());
    let last = cursor.and_then(|c| c["last_uid"].as_u64()).unwrap_or(0) as u32;
    let from = match stored_validity {
        // First sync: from now on.
        None => {
            return Ok(NewMail {
                messages: Vec::new(),
                cursor: json!({ "uid_validity": validity, "last_uid": next.saturating_sub(1) }),
                more: false,
            });
        }
        Some(v) if v == u64::from(validity) => last + 1,
        // The folder was rebuilt: its newest messages, again.
        Some(_) => next.saturating_sub(RECENT_CAP).max(1),
    };
    let mut out = Vec::new();
    // An explicit range (never `n:*`, which names the last message even
    // below n), bounded to one batch.
    let last = next
        .saturating_sub(1)
        .min(from.saturating_add(FETCH_BATCH - 1));
    if from <= last {
        let fetched: Vec<_> = session
            .uid_fetch(
                format!("{from}:{last}"),
                format!("(UID INTERNALDATE BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)"),
            )
            .await
            .map_err(|e| provider("FETCH", e))?
            .try_collect()
            .await
            .map_err(|e| provider("FETCH", e))?;
        for f in fetched {
            let (Some(uid), Some(raw)) = (f.uid, f.body()) else {
                continue;
            };
            if uid < from || uid > last {
                continue;
            }
            out.push(Fetched {
                uid,
                raw: raw.to_vec(),
                received_at_ms: f.internal_date().map(|d| d.timestamp_millis()),
            });
        }
    }
    // Every UID up to `last` was asked for: one missing is gone.
    let top = last.max(from.saturating_sub(1));
    Ok(NewMail {
        messages: out,
        cursor: json!({ "uid_validity": validity, "last_uid": top }),
        more: last.saturating_add(1) < next,
    })
}

/// Wait in IDLE until the server announces a change, `within` passes, or
/// `stop`; gives the session back.
pub async fn idle(
    session: ImapSession,
    within: Duration,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Result<ImapSession, MailError> {
    let mut handle = session.idle();
    handle.init().await.map_err(|e| provider("IDLE", e))?;
    let (wait, interrupt) = handle.wait_with_timeout(within);
    tokio::select! {
        r = wait => { r.map_err(|e| provider("IDLE", e))?; }
        _ = stop.changed() => { drop(interrupt); }
    }
    handle.done().await.map_err(|e| provider("DONE", e))
}
