//! Connected mailboxes → `email_received` events: Gmail and IMAP.
//!
//! - [`message`]: one raw RFC 822 message → the event's payload.
//! - [`gmail`]: Gmail's REST API, history id by history id.
//! - [`imap`]: any IMAP server, UID by UID, woken by IDLE.
//!
//! [`MailLoop::run`] is started by `baton serve`: it reads the mailboxes
//! its replica holds a lease on (each mailbox is read by one replica), a
//! Gmail mailbox whose sync was requested (a push) as soon as it is woken
//! or sees the request, and every one every `mail_poll_ms`, spread over
//! the interval. Each message becomes
//! one event for the account's rep, keyed by its RFC Message-ID, so the
//! same message seen by a push, a poll or another mailbox makes one job;
//! the mailbox's cursor advances in the same transaction as the jobs.
//! Errors are logged per account, by its id only: never an address, a
//! body or a credential.

pub mod gmail;
pub mod imap;
pub mod message;

use super::rota::{RELIST_EVERY, Rota};
use baton_engine::accounts::leases::{Held, first_connect};
use baton_engine::accounts::{AccountError, AccountLeases, Accounts};
use baton_engine::orchestrator::{Event, FeedCursor, Orchestrator, OrchestratorError, Submitted};
use baton_engine::report::{Context, Report};
use baton_store::{Account, AccountLease, StoreError, now_ms};
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
    /// The mailboxes this replica reads.
    pub leases: Arc<AccountLeases>,
    /// Mailbox reads the provider app allows per second, across replicas.
    pub reads_per_s: u32,
}

impl MailLoop {
    /// Read the mailboxes this replica holds until `stop`: each Gmail
    /// mailbox a poll after its last read (spread over the interval) and
    /// when a push asks, each IMAP mailbox by a session of its own that
    /// IDLEs. A mailbox another replica takes over is left to it.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        let mut gmail = Rota::new(
            self.leases.clone(),
            &["google"],
            // A rep who granted only their calendar has no mailbox to
            // read (Google would answer 403 on every poll).
            |a| a.has_scope(baton_engine::accounts::google::GMAIL_READ),
            self.poll,
            self.reads_per_s,
        );
        let mut held = self.leases.subscribe();
        let mut idlers = tokio::task::JoinSet::new();
        let mut idling: HashMap<String, (i64, tokio::task::AbortHandle)> = HashMap::new();
        let mut woken = true;
        let mut imap_listed: Option<(std::time::Instant, Held)> = None;
        while !*stop.borrow() {
            let now_held = self.leases.held();
            let relist = woken
                || imap_listed.as_ref().is_none_or(|(at, was)| {
                    at.elapsed() >= RELIST_EVERY || !Arc::ptr_eq(was, &now_held)
                });
            if relist {
                self.follow_imap(&now_held, &mut idlers, &mut idling, &stop)
                    .await;
                imap_listed = Some((std::time::Instant::now(), now_held));
            }
            match gmail.refresh(&self.orch.store, woken).await {
                Ok(()) => {
                    for (account, lease) in gmail.take_due() {
                        match self.sync_gmail(&account, &lease).await {
                            Ok(_) => note_read(&self.leases, &account, &lease).await,
                            Err(e) => {
                                gmail.failed(&account.id);
                                log_failure(&account, &e);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %Report(&e), "mail loop: cannot list mailboxes"),
            }
            woken = false;
            tokio::select! {
                _ = tokio::time::sleep(gmail.wait()) => {}
                _ = self.wake.notified() => {
                    // A push for a mailbox nobody holds yet: claim it now.
                    self.leases.wake();
                    woken = true;
                }
                _ = held.changed() => {}
                _ = stop.changed() => {}
            }
        }
        while idlers.join_next().await.is_some() {}
    }

    /// One IMAP task per mailbox held here (it polls too: its IDLE ends
    /// every `poll`); a mailbox no longer active, or no longer held under
    /// the same claim, has its task ended.
    async fn follow_imap(
        &self,
        held: &Held,
        idlers: &mut tokio::task::JoinSet<()>,
        idling: &mut HashMap<String, (i64, tokio::task::AbortHandle)>,
        stop: &watch::Receiver<bool>,
    ) {
        let accounts = match self
            .orch
            .store
            .held_accounts(self.leases.owner(), "imap")
            .await
        {
            Ok(accounts) => accounts,
            Err(e) => {
                tracing::warn!(error = %Report(&e), "mail loop: cannot list IMAP mailboxes");
                return;
            }
        };
        idling.retain(|id, (token, task)| {
            let keep = !task.is_finished()
                && held.get(id).is_some_and(|l| l.token == *token)
                && accounts.iter().any(|a| &a.id == id);
            if !keep {
                task.abort();
            }
            keep
        });
        for account in accounts {
            let Some(lease) = held.get(&account.id) else {
                continue;
            };
            if idling.contains_key(&account.id) {
                continue;
            }
            let (this, stop, lease) = (self.clone(), stop.clone(), lease.clone());
            let (id, token) = (account.id.clone(), lease.token);
            let task = idlers.spawn(async move { this.imap_mailbox(account, lease, stop).await });
            idling.insert(id, (token, task));
        }
    }

    /// Keep an IMAP mailbox read until `stop`: connecting within a few
    /// seconds (at a phase of its own), then reconnecting a poll after a
    /// failure.
    async fn imap_mailbox(
        &self,
        account: Account,
        lease: AccountLease,
        mut stop: watch::Receiver<bool>,
    ) {
        // A session of its own reads at once what came meanwhile, so a
        // taken-over mailbox is not left waiting for its slot; only the
        // connections are spread.
        let first = first_connect(&account.id, self.poll.as_millis() as i64);
        if first > 0 {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(first as u64)) => {}
                _ = stop.changed() => return,
            }
        }
        while !*stop.borrow() {
            if let Err(e) = self.imap_session(&account, &lease, &mut stop).await {
                log_failure(&account, &e);
                // Marked for reconnecting: the mailbox is no longer active,
                // and a new task starts once the rep reconnects it. Taken
                // by another replica: it reads the mailbox now.
                if matches!(e, MailError::Account(AccountError::Reconnect { .. })) || is_stale(&e) {
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
        lease: &AccountLease,
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
                        lease: Some(lease),
                    },
                )
                .await?;
            note_read(&self.leases, account, lease).await;
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
    pub(crate) async fn sync_gmail(
        &self,
        account: &Account,
        lease: &AccountLease,
    ) -> Result<Synced, MailError> {
        let synced = self.read_gmail(account, lease).await?;
        // Served: a push's request is forgotten once the read it asked for
        // is in (one that failed stands, and is tried again); a request
        // made since stays.
        if let Some(at) = account.sync_requested_at {
            self.orch
                .store
                .clear_sync_request(&account.org_id, &account.id, at)
                .await?;
        }
        Ok(synced)
    }

    /// The read itself (see [`MailLoop::sync_gmail`]).
    async fn read_gmail(
        &self,
        account: &Account,
        lease: &AccountLease,
    ) -> Result<Synced, MailError> {
        let store = &self.orch.store;
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
                    Some(lease),
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
                    lease: Some(lease),
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
                    None,
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

/// Record a mailbox read (when the next replica to hold it reads it
/// again); a mailbox taken over meanwhile is the new holder's to record.
async fn note_read(leases: &AccountLeases, account: &Account, lease: &AccountLease) {
    if let Err(e) = leases.mark_read(lease).await
        && !matches!(e, StoreError::Stale(_))
    {
        tracing::warn!(account = %account.id, error = %Report(&e), "mailbox read not recorded");
    }
}

/// Whether a sync failed because another replica holds the mailbox now.
fn is_stale(e: &MailError) -> bool {
    matches!(
        e,
        MailError::Store(StoreError::Stale(_))
            | MailError::Orchestrator(OrchestratorError::Store(StoreError::Stale(_)))
    )
}

/// Log a failed sync by the account's id and the error's kind.
fn log_failure(account: &Account, e: &MailError) {
    if is_stale(e) {
        tracing::info!(account = %account.id, "mailbox taken over by another replica; left to it");
        return;
    }
    match e {
        MailError::Account(AccountError::Reconnect { .. }) => {
            tracing::warn!(account = %account.id, "mailbox needs reconnecting; skipped")
        }
        e => {
            tracing::warn!(account = %account.id, error = %Report(e), "mailbox sync failed; retried at the next poll")
        }
    }
}
