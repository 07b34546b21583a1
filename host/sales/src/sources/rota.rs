//! The accounts one source loop reads on this replica, and when each is
//! next read. Only accounts this replica holds a lease on are read (see
//! `baton_engine::accounts::leases`); each is read once a poll at a slot
//! of its own (so the accounts are spread over the interval, whichever
//! replica reads them), and at once when a push asked — but never twice
//! within [`MIN_GAP`].

use baton_engine::accounts::AccountLeases;
use baton_engine::accounts::leases::{Held, first_read, next_read};
use baton_store::{Account, AccountLease, Store, StoreError, now_ms};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the held accounts are listed again (a push another replica
/// took shows as the account's `sync_requested_at`).
pub(crate) const RELIST_EVERY: Duration = Duration::from_secs(5);

/// The least time between two reads of one account, however many pushes
/// arrive.
pub(crate) const MIN_GAP: Duration = Duration::from_secs(1);

/// One loop's rota.
pub(crate) struct Rota {
    leases: Arc<AccountLeases>,
    providers: &'static [&'static str],
    /// Which of the listed accounts the loop reads (a Google account
    /// without the feed's scope is skipped).
    wanted: fn(&Account) -> bool,
    poll_ms: i64,
    /// The held accounts as last listed, with their leases.
    accounts: Vec<(Account, AccountLease)>,
    listed: Option<(Instant, Held)>,
    /// Next read, by account id (wall clock, ms).
    due: HashMap<String, i64>,
    /// No read a push asks for before this, by account id (wall clock,
    /// ms): [`MIN_GAP`] after the last read began, [`RETRY_AFTER`] after
    /// one failed.
    not_before: HashMap<String, i64>,
}

/// How long a push's request waits after a read that failed (its request
/// is kept, so it is tried again then, not lost).
pub(crate) const RETRY_AFTER: Duration = Duration::from_secs(15);

impl Rota {
    pub(crate) fn new(
        leases: Arc<AccountLeases>,
        providers: &'static [&'static str],
        wanted: fn(&Account) -> bool,
        poll: Duration,
    ) -> Rota {
        Rota {
            leases,
            providers,
            wanted,
            poll_ms: poll.as_millis().max(1) as i64,
            accounts: Vec::new(),
            listed: None,
            due: HashMap::new(),
            not_before: HashMap::new(),
        }
    }

    /// List the held accounts again when the leases changed, when `fresh`
    /// is asked for (a push woke the loop) or every [`RELIST_EVERY`].
    pub(crate) async fn refresh(&mut self, store: &Store, fresh: bool) -> Result<(), StoreError> {
        let held = self.leases.held();
        let stale = match &self.listed {
            None => true,
            Some((at, was)) => fresh || at.elapsed() >= RELIST_EVERY || !Arc::ptr_eq(was, &held),
        };
        if !stale {
            return Ok(());
        }
        let mut accounts = Vec::new();
        for provider in self.providers {
            for account in store.held_accounts(self.leases.owner(), provider).await? {
                if !(self.wanted)(&account) {
                    continue;
                }
                // Held in the database but not yet known here (claimed
                // in a tick whose answer is still on its way), or the
                // other way round: read only what both say.
                if let Some(lease) = held.get(&account.id) {
                    accounts.push((account, lease.clone()));
                }
            }
        }
        let now = now_ms();
        let poll_ms = self.poll_ms;
        self.due.retain(|id, _| held.contains_key(id));
        self.not_before.retain(|id, _| held.contains_key(id));
        for (account, lease) in &accounts {
            self.due
                .entry(account.id.clone())
                .or_insert_with(|| first_read(lease, poll_ms, now));
        }
        self.accounts = accounts;
        self.listed = Some((Instant::now(), held));
        Ok(())
    }

    /// The accounts to read now: due by the clock, or asked for by a push
    /// (and not read within [`MIN_GAP`]). Each is next due at its next
    /// slot (about a poll from now).
    pub(crate) fn take_due(&mut self) -> Vec<(Account, AccountLease)> {
        let now = now_ms();
        let gap = MIN_GAP.as_millis() as i64;
        let mut out = Vec::new();
        for (account, lease) in &mut self.accounts {
            let due = self.due.get(&account.id).is_some_and(|at| *at <= now);
            let asked = account.sync_requested_at.is_some()
                && self.not_before.get(&account.id).is_none_or(|t| now >= *t);
            if !(due || asked) {
                continue;
            }
            self.due.insert(
                account.id.clone(),
                next_read(&account.id, now, self.poll_ms),
            );
            self.not_before.insert(account.id.clone(), now + gap);
            out.push((account.clone(), lease.clone()));
            // Served: the listed copy no longer asks (the next listing
            // says whether the request still stands).
            account.sync_requested_at = None;
        }
        out
    }

    /// A read of `account_id` failed: a push's request for it waits
    /// [`RETRY_AFTER`].
    pub(crate) fn failed(&mut self, account_id: &str) {
        let at = now_ms() + RETRY_AFTER.as_millis() as i64;
        self.not_before.insert(account_id.to_owned(), at);
    }

    /// How long until the next account is due (at most [`RELIST_EVERY`],
    /// at least 10 ms).
    pub(crate) fn wait(&self) -> Duration {
        let now = now_ms();
        let asked = self
            .accounts
            .iter()
            .filter(|(a, _)| a.sync_requested_at.is_some())
            .map(|(a, _)| self.not_before.get(&a.id).copied().unwrap_or(now));
        let next = self
            .due
            .values()
            .copied()
            .chain(asked)
            .min()
            .map_or(i64::MAX, |at| at - now);
        Duration::from_millis(next.clamp(10, RELIST_EVERY.as_millis() as i64) as u64)
    }
}
