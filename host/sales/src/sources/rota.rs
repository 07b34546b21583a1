//! The accounts one source loop reads on this replica, and when each is
//! next read. Only accounts this replica holds a lease on are read (see
//! `baton_engine::accounts::leases`); each is read once a poll at a slot
//! of its own (so the accounts are spread over the interval, whichever
//! replica reads them), and at once when a push asked — but never twice
//! within [`MIN_GAP`].

use baton_engine::accounts::AccountLeases;
use baton_engine::accounts::leases::{Held, first_read, next_read};
use baton_store::{Account, AccountLease, Store, StoreError, now_ms};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
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
    /// Reads the provider app allows per second, across the replicas.
    reads_per_s: u32,
    /// This replica's part of them (the app's over the live replicas),
    /// and how many replicas it was shared among.
    limiter: Option<(i64, DefaultDirectRateLimiter)>,
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
        reads_per_s: u32,
    ) -> Rota {
        Rota {
            reads_per_s: reads_per_s.max(1),
            limiter: None,
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
        self.share_rate();
        let limiter = self.limiter.as_ref().map(|(_, l)| l);
        let mut out = Vec::new();
        for (account, lease) in &mut self.accounts {
            let due = self.due.get(&account.id).is_some_and(|at| *at <= now);
            let asked = account.sync_requested_at.is_some()
                && self.not_before.get(&account.id).is_none_or(|t| now >= *t);
            if !(due || asked) {
                continue;
            }
            // Over this replica's part of the app's rate: the rest wait
            // for the next turn (still due).
            if limiter.is_some_and(|l| l.check().is_err()) {
                break;
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

    /// Make this replica's limiter again when the replicas sharing the
    /// app's rate changed in number.
    fn share_rate(&mut self) {
        let live = self.leases.live().max(1);
        if self.limiter.as_ref().is_some_and(|(n, _)| *n == live) {
            return;
        }
        let part = (self.reads_per_s / live as u32).max(1);
        let part = NonZeroU32::new(part).unwrap_or(NonZeroU32::MIN);
        self.limiter = Some((live, RateLimiter::direct(Quota::per_second(part))));
    }

    /// A read of `account_id` failed: a push's request for it waits
    /// [`RETRY_AFTER`].
    pub(crate) fn failed(&mut self, account_id: &str) {
        let at = now_ms() + RETRY_AFTER.as_millis() as i64;
        self.not_before.insert(account_id.to_owned(), at);
    }

    /// How long until the next account is due (at most [`RELIST_EVERY`],
    /// at least the time between two reads at this replica's rate).
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
        // No sooner than this replica's rate lets the next read start.
        let part = (self.reads_per_s as i64 / self.leases.live().max(1)).max(1);
        let floor = (1000 / part).clamp(10, 1000);
        Duration::from_millis(next.clamp(floor, RELIST_EVERY.as_millis() as i64) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_store::NewAccount;
    use serde_json::json;

    /// A store with `n` IMAP accounts of one rep, each asking for a read
    /// (a push came in for each), all held by one reader.
    async fn held(n: usize) -> (tempfile::TempDir, Store, Arc<AccountLeases>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("b.db").display().to_string())
            .await
            .expect("store");
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Rep", "rep@acme.test", "rep")
            .await
            .expect("rep");
        for i in 0..n {
            let address = format!("box{i}@acme.test");
            let account = store
                .connect_account(
                    &NewAccount {
                        org_id: &org,
                        user_id: Some(&rep),
                        provider: "imap",
                        address: &address,
                        scopes: "",
                        settings: &json!({}),
                        token_expires_at: None,
                    },
                    |_| "sealed".into(),
                    1,
                )
                .await
                .expect("connect")
                .expect("free");
            store
                .request_account_sync(&org, &account.id, 2)
                .await
                .expect("request");
        }
        let leases = Arc::new(AccountLeases::new(store.clone(), "reader", 30_000));
        assert_eq!(leases.tick().await.expect("tick").held, n);
        (dir, store, leases)
    }

    #[tokio::test]
    async fn reads_keep_to_the_apps_rate_and_a_standing_request_is_read_again() {
        let (_dir, store, leases) = held(12).await;
        let mut rota = Rota::new(leases, &["imap"], |_| true, Duration::from_secs(60), 5);
        rota.refresh(&store, true).await.expect("list");
        // Twelve pushes at once: five reads (the app's rate, one replica),
        // the rest wait their turn, still asked for.
        let first = rota.take_due();
        assert_eq!(first.len(), 5);
        assert!(
            rota.take_due().is_empty(),
            "over the rate: nothing more now"
        );
        assert!(
            rota.wait() >= Duration::from_millis(200),
            "{:?}",
            rota.wait()
        );
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        let second = rota.take_due();
        assert_eq!(second.len(), 5, "the next second's five");
        assert!(
            second
                .iter()
                .all(|(a, _)| first.iter().all(|(b, _)| a.id != b.id)),
            "the ones read first are not read again"
        );
        // Listed again: the requests stand (no read here cleared them), so
        // those read first are read again once their least gap is past.
        rota.refresh(&store, true).await.expect("list");
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        let third = rota.take_due();
        assert_eq!(third.len(), 5, "{third:?}");
        assert!(
            third
                .iter()
                .any(|(a, _)| first.iter().any(|(b, _)| a.id == b.id)),
            "a push's request stands until its read is in"
        );
    }
}
