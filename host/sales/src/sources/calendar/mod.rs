//! Connected calendars → `meetings`: Google Calendar and CalDAV.
//!
//! - `google.rs`: Google Calendar's `events.list` with sync tokens, and
//!   watch channels opened and renewed.
//! - `caldav.rs`: a CalDAV collection read by windowed calendar-query.
//! - `meetings.rs`: one way events become meetings (outside attendees only,
//!   matched to CRM-lite contacts and their open deal).
//!
//! [`Calendars::run`] is the loop `baton serve` starts: it reads the
//! calendars its replica holds a lease on (each calendar is read by one
//! replica), each every `calendar_poll_ms`, spread over the interval (and
//! renews watch channels); a Google push wakes it to read the calendars
//! that asked.

pub mod caldav;
pub mod google;
pub mod meetings;

use super::rota::Rota;
use crate::store::CalendarTables;
use baton_engine::accounts::{AccountError, AccountLeases, Accounts};
use baton_engine::report::{Context, Report};
use baton_engine::runtime::clock::Clock;
use baton_store::{Account, AccountLease, Store, StoreError};
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
    /// The calendars this replica reads.
    pub leases: Arc<AccountLeases>,
    /// Calendar reads the provider apps allow per second, across replicas.
    pub reads_per_s: u32,
}

impl Calendars {
    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Read the calendars a push asked for (since their last read), of
    /// the accounts this replica holds.
    pub async fn requested(&self) -> Result<Landed, StoreError> {
        let mut landed = Landed::default();
        let held = self.leases.held();
        for source in self.store.calendars_to_sync().await? {
            let now = self.now();
            let Some(lease) = source.account_id.as_ref().and_then(|id| held.get(id)) else {
                continue;
            };
            let Some(account) = self
                .store
                .account(&source.org_id, &lease.account_id)
                .await?
            else {
                continue;
            };
            if !self.store.claim_calendar_sync(&source.id, now).await? {
                continue;
            }
            if account.status == baton_store::accounts::ACTIVE {
                landed += self.one(&account, lease).await;
            }
        }
        Ok(landed)
    }

    /// Read one calendar (opening or renewing its Google watch channel
    /// first), log how it went, and record the read.
    async fn one(&self, account: &Account, lease: &AccountLease) -> Landed {
        if account.provider == "google"
            && let Err(e) = self.watch_google(account).await
        {
            tracing::warn!(account = %account.id, error = %Report(&e), "calendar watch channel not opened; polling");
        }
        let read = match account.provider.as_str() {
            "google" => self.sync_google(account, Some(lease)).await,
            "caldav" => self.sync_caldav(account).await,
            _ => return Landed::default(),
        };
        match read {
            Ok(landed) => {
                if let Err(e) = self.leases.mark_read(lease).await
                    && !matches!(e, StoreError::Stale(_))
                {
                    tracing::warn!(account = %account.id, error = %Report(&e), "calendar read not recorded");
                }
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

    /// Read the calendars this replica holds until `stop`: each a poll
    /// after its last read (spread over the interval), and the ones a push
    /// asked for whenever woken or every few seconds (a push another
    /// replica took).
    pub async fn run(&self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut rota = Rota::new(
            self.leases.clone(),
            &["google", "caldav"],
            |a| a.provider != "google" || a.has_scope(baton_engine::accounts::google::CALENDAR),
            self.poll,
            self.reads_per_s,
        );
        let mut held = self.leases.subscribe();
        while !*stop.borrow() {
            if let Err(e) = self.requested().await {
                tracing::warn!(error = %Report(&e), "calendar pass failed; retrying");
            }
            match rota.refresh(&self.store, false).await {
                Ok(()) => {
                    for (account, lease) in rota.take_due() {
                        self.one(&account, &lease).await;
                    }
                }
                Err(e) => tracing::warn!(error = %Report(&e), "calendar pass failed; retrying"),
            }
            tokio::select! {
                _ = tokio::time::sleep(rota.wait()) => {}
                _ = self.wake.notified() => self.leases.wake(),
                _ = held.changed() => {}
                _ = stop.changed() => {}
            }
        }
    }
}
