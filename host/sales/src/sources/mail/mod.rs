//! Connected mailboxes → `email_received` events: Gmail and IMAP.
//!
//! - [`message`]: one raw RFC 822 message → the event's payload.
//! - [`gmail`]: Gmail's REST API, history id by history id.
//! - [`imap`]: any IMAP server, UID by UID, woken by IDLE.
//!
//! [`MailLoop::run`] is started by `baton serve`: it syncs the mailboxes
//! whose sync was requested (a Gmail push) as soon as it is woken, and
//! polls every active mailbox every `mail_poll_ms`. Each message becomes
//! one event for the account's rep, keyed by its RFC Message-ID, so the
//! same message seen by a push, a poll or another mailbox makes one job;
//! the mailbox's cursor advances in the same transaction as the jobs.
//! Errors are logged per account, by its id only: never an address, a
//! body or a credential.

pub mod gmail;
pub mod imap;
pub mod message;

use baton_engine::accounts::{AccountError, Accounts};
use baton_engine::orchestrator::{Event, FeedCursor, Orchestrator, OrchestratorError, Submitted};
use baton_engine::report::{Context, Report};
use baton_store::{Account, StoreError, now_ms};
use gmail::Gmail;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// Why a mailbox could not be read this time.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Orchestrator(#[from] OrchestratorError),
    /// The provider could not be reached or answered oddly: try later.
    #[error(transparent)]
    Provider(Context),
    /// The account has no rep, or the rep or org is gone.
    #[error("{0}")]
    Unowned(String),
}

/// What a mailbox sync did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Synced {
    /// Jobs created.
    pub queued: usize,
    /// Messages already queued (by another push, poll or mailbox).
    pub duplicates: usize,
    /// Messages that were not new inbound mail, or unreadable.
    pub skipped: usize,
}

/// The mail loop's settings and handles.
#[derive(Clone)]
pub struct MailLoop {
    pub orch: Arc<Orchestrator>,
    pub accounts: Accounts,
    pub http: reqwest::Client,
    /// The base of Google's REST APIs.
    pub google_api_url: String,
    /// The Pub/Sub topic Gmail pushes to (`users.watch`), if any.
    pub pubsub_topic: Option<String>,
    /// How often every mailbox is polled.
    pub poll: Duration,
    /// Woken by a push (a sync was requested).
    pub wake: Arc<Notify>,
}

/// How often requested syncs are looked for when nobody wakes the loop (a
/// push taken by another replica).
const REQUESTED_EVERY: Duration = Duration::from_secs(5);

impl MailLoop {
    /// Sync requested mailboxes when woken, and every mailbox every
    /// `poll`, until `stop`.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        let mut polled: HashMap<String, i64> = HashMap::new();
        let poll_ms = self.poll.as_millis() as i64;
        let mut idlers = tokio::task::JoinSet::new();
        let mut idling: HashMap<String, tokio::task::AbortHandle> = HashMap::new();
        while !*stop.borrow() {
            // One IDLE task per IMAP mailbox (it polls too: its IDLE ends
            // every `poll`); a mailbox no longer active has its task ended.
            match self.orch.store.active_accounts("imap").await {
                Ok(accounts) => {
                    idling.retain(|id, task| {
                        let keep = !task.is_finished() && accounts.iter().any(|a| &a.id == id);
                        if !keep {
                            task.abort();
                        }
                        keep
                    });
                    for account in accounts {
                        if !idling.contains_key(&account.id) {
                            let (this, stop) = (self.clone(), stop.clone());
                            let id = account.id.clone();
                            let task =
                                idlers.spawn(async move { this.imap_mailbox(account, stop).await });
                            idling.insert(id, task);
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %Report(&e), "mail loop: cannot list IMAP mailboxes")
                }
            }
            match self.orch.store.active_accounts("google").await {
                Ok(accounts) => {
                    let now = now_ms();
                    // A rep who granted only their calendar has no mailbox
                    // to read (Google would answer 403 on every poll).
                    for account in accounts
                        .into_iter()
                        .filter(|a| a.has_scope(baton_engine::accounts::google::GMAIL_READ))
                    {
                        let due = polled.get(&account.id).is_none_or(|t| now - t >= poll_ms);
                        if account.sync_requested_at.is_none() && !due {
                            continue;
                        }
                        polled.insert(account.id.clone(), now);
                        if let Err(e) = self.sync_gmail(&account).await {
                            log_failure(&account, &e);
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %Report(&e), "mail loop: cannot list mailboxes"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll.min(REQUESTED_EVERY)) => {}
                _ = self.wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
        while idlers.join_next().await.is_some() {}
    }

    /// Keep an IMAP mailbox read until `stop`: reconnect a poll after a
    /// failure.
    async fn imap_mailbox(&self, account: Account, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            if let Err(e) = self.imap_session(&account, &mut stop).await {
                log_failure(&account, &e);
                // Marked for reconnecting: the mailbox is no longer active,
                // and a new task starts once the rep reconnects it.
                if matches!(e, MailError::Account(AccountError::Reconnect { .. })) {
                    break;
                }
            }
            // The session may have seen the stop already.
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// One IMAP session: read what is new, IDLE until the server announces
    /// more (or a poll passes), again.
    async fn imap_session(
        &self,
        account: &Account,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<(), MailError> {
        let (org, user) = self.owner(account).await?;
        let (mut session, settings) = imap::login(&self.accounts, account).await?;
        let feed = settings.feed();
        loop {
            let cursor = self
                .orch
                .store
                .sync_cursor(&account.org_id, &account.id, &feed)
                .await?;
            let new = imap::new_messages(&mut session, &settings, cursor.as_ref()).await?;
            let mut events = Vec::new();
            for f in new.messages {
                let envelope = message::Envelope {
                    provider: "imap",
                    thread_id: None,
                    received_at_ms: f.received_at_ms,
                };
                match message::parse(&f.raw, &envelope) {
                    Ok(m) if is_own(account, &m) => {}
                    Ok(m) => events.push(event(&org, &user, "imap", m)),
                    Err(e) => {
                        tracing::warn!(account = %account.id, error = %Report(&e), "an IMAP message was skipped")
                    }
                }
            }
            self.orch
                .submit_and_advance(
                    &events,
                    &FeedCursor {
                        account: &account.id,
                        feed: &feed,
                        cursor: &new.cursor,
                    },
                )
                .await?;
            if *stop.borrow() {
                let _ = session.logout().await;
                return Ok(());
            }
            if !new.more {
                session = imap::idle(session, self.poll, stop).await?;
            }
        }
    }

    /// Read a Gmail mailbox's new messages and queue them.
    pub(crate) async fn sync_gmail(&self, account: &Account) -> Result<Synced, MailError> {
        let store = &self.orch.store;
        if let Some(at) = account.sync_requested_at {
            store
                .clear_sync_request(&account.org_id, &account.id, at)
                .await?;
        }
        let (org, user) = self.owner(account).await?;
        let mut gmail =
            Gmail::open(&self.http, &self.google_api_url, &self.accounts, account).await?;
        self.renew_watch(&mut gmail, account).await?;
        let cursor = store
            .sync_cursor(&account.org_id, &account.id, gmail::FEED)
            .await?;
        let start = cursor
            .as_ref()
            .and_then(|c| c["history_id"].as_str())
            .map(str::to_owned);
        let Some(start) = start else {
            // First sync: from now on, not the mailbox's past.
            let history_id = gmail.history_id().await?;
            store
                .set_sync_cursor(
                    &account.id,
                    gmail::FEED,
                    &json!({ "history_id": history_id }),
                    now_ms(),
                )
                .await?;
            return Ok(Synced::default());
        };
        let changes = match gmail.history(&start).await? {
            Some(c) => c,
            None => {
                tracing::info!(account = %account.id, "Gmail history too old; reading the recent inbox");
                let history_id = gmail.history_id().await?;
                let ids = gmail.recent(gmail::FULL_SYNC_CAP).await?;
                gmail::Changes { ids, history_id }
            }
        };
        let mut synced = Synced::default();
        let mut events = Vec::new();
        for id in &changes.ids {
            let Some(raw) = gmail.message(id).await? else {
                synced.skipped += 1;
                continue;
            };
            if !raw.is_inbound() {
                synced.skipped += 1;
                continue;
            }
            let envelope = message::Envelope {
                provider: "gmail",
                thread_id: raw.thread_id.as_deref(),
                received_at_ms: raw.internal_date.as_deref().and_then(|d| d.parse().ok()),
            };
            match message::parse(&raw.bytes()?, &envelope) {
                Ok(m) if is_own(account, &m) => {
                    synced.skipped += 1;
                }
                Ok(m) => events.push(event(&org, &user, "gmail", m)),
                Err(e) => {
                    tracing::warn!(account = %account.id, error = %Report(&e), "a Gmail message was skipped");
                    synced.skipped += 1;
                }
            }
        }
        let cursor = json!({ "history_id": changes.history_id });
        let outcomes = self
            .orch
            .submit_and_advance(
                &events,
                &FeedCursor {
                    account: &account.id,
                    feed: gmail::FEED,
                    cursor: &cursor,
                },
            )
            .await?;
        for o in outcomes {
            match o {
                Submitted::Accepted { .. } => synced.queued += 1,
                Submitted::Refused { .. } => synced.duplicates += 1,
            }
        }
        Ok(synced)
    }

    /// Keep Gmail pushing: `users.watch` when there is a topic and the last
    /// watch expires within a day.
    async fn renew_watch(&self, gmail: &mut Gmail<'_>, account: &Account) -> Result<(), MailError> {
        let Some(topic) = &self.pubsub_topic else {
            return Ok(());
        };
        let store = &self.orch.store;
        let expires = store
            .sync_cursor(&account.org_id, &account.id, gmail::WATCH_FEED)
            .await?
            .and_then(|c| c["expires_at"].as_i64());
        if Gmail::watch_due(expires, now_ms()) {
            let expires_at = gmail.watch(topic).await?;
            store
                .set_sync_cursor(
                    &account.id,
                    gmail::WATCH_FEED,
                    &json!({ "expires_at": expires_at }),
                    now_ms(),
                )
                .await?;
        }
        Ok(())
    }

    /// The org slug and rep handle an account's mail goes to.
    async fn owner(&self, account: &Account) -> Result<(String, String), MailError> {
        let store = &self.orch.store;
        let user_id = account
            .user_id
            .as_ref()
            .ok_or_else(|| MailError::Unowned("the mailbox has no rep".into()))?;
        let org = store
            .org(&account.org_id)
            .await?
            .ok_or_else(|| MailError::Unowned("the mailbox's org is gone".into()))?;
        let user = store
            .user(&account.org_id, user_id)
            .await?
            .ok_or_else(|| MailError::Unowned("the mailbox's rep is gone".into()))?;
        Ok((org.slug, user.handle))
    }
}

/// Whether the rep sent it (their own mail is not inbound).
fn is_own(account: &Account, m: &message::Inbound) -> bool {
    baton_store::address::address_key(&account.address).as_deref() == Some(m.sender.as_str())
}

/// The `email_received` event for a read message.
fn event(org: &str, user: &str, provider: &str, m: message::Inbound) -> Event {
    Event {
        event_type: "email_received".into(),
        org: org.to_owned(),
        user: user.to_owned(),
        payload: m.payload,
        source: format!("mail:{provider}"),
        idempotency_key: Some(message_key(&m.message_id)),
    }
}

/// The idempotency key of a message: its Message-ID, hashed when too long
/// for a key.
fn message_key(message_id: &str) -> String {
    use sha2::Digest;
    let key = format!("email:{message_id}");
    if key.len() <= 120 && !key.chars().any(char::is_control) {
        return key;
    }
    format!(
        "email:sha256:{}",
        hex::encode(sha2::Sha256::digest(message_id.as_bytes()))
    )
}

/// Log a failed sync by the account's id and the error's kind.
fn log_failure(account: &Account, e: &MailError) {
    match e {
        MailError::Account(AccountError::Reconnect { .. }) => {
            tracing::warn!(account = %account.id, "mailbox needs reconnecting; skipped")
        }
        e => {
            tracing::warn!(account = %account.id, error = %Report(e), "mailbox sync failed; retried at the next poll")
        }
    }
}
