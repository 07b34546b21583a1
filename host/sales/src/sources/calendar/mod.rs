//! Connected calendars → `meetings`: Google Calendar and CalDAV.
//!
//! - `google.rs`: Google Calendar's `events.list` with sync tokens, and
//!   watch channels opened and renewed.
//! - `caldav.rs`: a CalDAV collection read by windowed calendar-query.
//! - `meetings.rs`: one way events become meetings (outside attendees only,
//!   matched to CRM-lite contacts and their open deal).
//!
//! [`Calendars::run`] is the loop `baton serve` starts: every
//! `calendar_poll_ms` it reads every connected calendar (and renews watch
//! channels); a Google push wakes it to read the calendars that asked.

pub mod caldav;
pub mod google;
pub mod meetings;

use crate::store::CalendarTables;
use baton_engine::accounts::{AccountError, Accounts};
use baton_engine::report::{Context, Report};
use baton_engine::runtime::clock::Clock;
use baton_store::{Account, Store, StoreError};
use meetings::Landed;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// The prefixes of the external ids of the meetings read from account
/// `id`: its CalDAV calendar's, then its Google calendar's.
pub(crate) fn meeting_prefixes(id: &str) -> [String; 2] {
    [format!("caldav:{id}:"), format!("gcal:{id}:")]
}

/// Why a calendar could not be read this time.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The provider could not be reached or answered oddly.
    #[error(transparent)]
    Provider(Context),
}

/// The calendar loop's means: the store, the accounts' credentials, an
/// HTTP client, where Google's API is and where Google should push.
pub struct Calendars {
    pub store: Store,
    pub accounts: Accounts,
    /// For Google's API (where the operator points it).
    pub http: reqwest::Client,
    /// For the servers orgs name (CalDAV): through the accounts' egress
    /// rule ([`Accounts::egress`]).
    pub account_http: reqwest::Client,
    /// The base of Google's REST APIs.
    pub google_api: String,
    /// The service's public URL, for watch channels (none: no channels,
    /// polling only).
    pub public_url: Option<String>,
    pub clock: Arc<dyn Clock>,
    /// How often every calendar is read without a push.
    pub poll: Duration,
    /// Notified by the Google Calendar push route.
    pub wake: Arc<Notify>,
}

impl Calendars {
    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Read every connected calendar once (and open or renew Google watch
    /// channels). An account that fails is logged and the rest go on.
    pub async fn pass(&self) -> Result<Landed, StoreError> {
        let mut landed = Landed::default();
        for account in self.store.active_accounts("google").await? {
            if !account.has_scope(baton_engine::accounts::google::CALENDAR) {
                continue;
            }
            if let Err(e) = self.watch_google(&account).await {
                tracing::warn!(account = %account.id, error = %Report(&e), "calendar watch channel not opened; polling");
            }
            landed += self.one(&account).await;
        }
        for account in self.store.active_accounts("caldav").await? {
            landed += self.one(&account).await;
        }
        Ok(landed)
    }

    /// Read the calendars a push asked for (since their last read).
    pub async fn requested(&self) -> Result<Landed, StoreError> {
        let mut landed = Landed::default();
        for source in self.store.calendars_to_sync().await? {
            let now = self.now();
            let Some(account_id) = &source.account_id else {
                continue;
            };
            let Some(account) = self.store.account(&source.org_id, account_id).await? else {
                continue;
            };
            if !self.store.claim_calendar_sync(&source.id, now).await? {
                continue;
            }
            if account.status == baton_store::accounts::ACTIVE {
                landed += self.one(&account).await;
            }
        }
        Ok(landed)
    }

    async fn one(&self, account: &Account) -> Landed {
        let read = match account.provider.as_str() {
            "google" => self.sync_google(account).await,
            "caldav" => self.sync_caldav(account).await,
            _ => return Landed::default(),
        };
        match read {
            Ok(landed) => {
                if landed != Landed::default() {
                    tracing::info!(
                        account = %account.id, provider = %account.provider,
                        upserted = landed.upserted, cancelled = landed.cancelled,
                        "calendar read"
                    );
                }
                landed
            }
            Err(e) => {
                tracing::warn!(account = %account.id, provider = %account.provider, error = %Report(&e), "calendar read failed; trying again later");
                Landed::default()
            }
        }
    }

    /// Read every calendar now and each `poll`, and the asked-for ones
    /// whenever woken, until `stop`.
    pub async fn run(&self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut next_poll = tokio::time::Instant::now();
        while !*stop.borrow() {
            let result = if tokio::time::Instant::now() >= next_poll {
                next_poll = tokio::time::Instant::now() + self.poll;
                self.pass().await
            } else {
                self.requested().await
            };
            if let Err(e) = result {
                tracing::warn!(error = %Report(&e), "calendar pass failed; retrying");
            }
            tokio::select! {
                _ = tokio::time::sleep_until(next_poll) => {}
                _ = self.wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
    }
}
