//! Which connected accounts this replica reads. Several replicas share the
//! accounts as they share jobs: each account is held by one replica at a
//! time under a fenced lease (see the store's `account_leases`), and the
//! source loops read only the accounts their replica holds
//! ([`AccountLeases::held`]), writing cursors in the lease's name.
//!
//! Every third of a lease period the keeper ([`AccountLeases::run`])
//! extends what its replica holds for two thirds of a period (the
//! heartbeat); every second, and when woken, it makes the replica known
//! and claims or gives back accounts until it holds its share (the active
//! accounts over the live replicas — those seen within two thirds of a
//! period — rounded up). A replica that dies stops
//! extending: its leases run out within two thirds of a period and the
//! others claim them within a second of that, so a dead replica's accounts
//! are read again within one lease period. A replica that stops cleanly
//! gives its accounts back at once.
//!
//! Reads are spread over the poll interval ([`first_read`]): an account
//! never read is first read at a phase of its own (a hash of its id), one
//! read before is next read a poll after that read, whoever made it.

use crate::store::{AccountLease, Store, StoreError, now_ms};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The accounts a replica holds, by id.
pub type Held = Arc<BTreeMap<String, AccountLease>>;

/// One tick's outcome, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    /// Accounts held after the tick.
    pub held: usize,
    /// Newly claimed.
    pub claimed: usize,
    /// Given back (over this replica's share).
    pub released: usize,
    /// Held before and lost (another replica claimed them after the lease
    /// ran out).
    pub lost: usize,
}

/// A replica's account leases.
pub struct AccountLeases {
    store: Store,
    owner: String,
    lease_ms: i64,
    held: watch::Sender<Held>,
    /// Until when the leases last extended hold (wall clock, ms).
    valid_until: std::sync::atomic::AtomicI64,
    /// Asks the keeper to look for accounts to claim now.
    wake: tokio::sync::Notify,
    /// The live readers at the last step, this one included.
    live: std::sync::atomic::AtomicI64,
}

/// How often the keeper looks for accounts nobody holds (newly connected,
/// or a dead replica's) between heartbeats.
const LOOK_EVERY: Duration = Duration::from_secs(1);

impl std::fmt::Debug for AccountLeases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountLeases")
            .field("owner", &self.owner)
            .field("lease_ms", &self.lease_ms)
            .field("held", &self.held.borrow().len())
            .finish()
    }
}

impl AccountLeases {
    /// The leases of reader `owner` (the replica's job worker id) over
    /// `store`, for periods of `lease_ms`.
    pub fn new(store: Store, owner: impl Into<String>, lease_ms: i64) -> AccountLeases {
        AccountLeases {
            store,
            owner: owner.into(),
            lease_ms: lease_ms.max(300),
            held: watch::Sender::new(Held::default()),
            valid_until: std::sync::atomic::AtomicI64::new(0),
            wake: tokio::sync::Notify::new(),
            live: std::sync::atomic::AtomicI64::new(1),
        }
    }

    /// This replica's name as a reader.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The accounts held now.
    pub fn held(&self) -> Held {
        self.held.borrow().clone()
    }

    /// How many replicas read accounts now (this one included), as last
    /// seen: a provider app's rate is shared among them.
    pub fn live(&self) -> i64 {
        self.live.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Told whenever the accounts held change.
    pub fn subscribe(&self) -> watch::Receiver<Held> {
        self.held.subscribe()
    }

    /// Record that the account `lease` holds was read now. `Stale` if
    /// another replica holds it.
    pub async fn mark_read(&self, lease: &AccountLease) -> Result<(), StoreError> {
        self.store.mark_account_read(lease, now_ms()).await
    }

    /// Make this replica known, keep what it holds (the heartbeat), and
    /// claim or give back accounts until it holds its share.
    pub async fn tick(&self) -> Result<Tick, StoreError> {
        self.step(true).await
    }

    /// One step of the keeper: with `heartbeat`, extend what is held;
    /// without, only claim (or give back) toward the share, from what is
    /// known held.
    async fn step(&self, heartbeat: bool) -> Result<Tick, StoreError> {
        let now = now_ms();
        let valid_ms = self.valid_ms();
        let readers = self
            .store
            // A reader not seen for as long as a lease stays valid is
            // dead (a live one is seen every second): its share is taken
            // over as its leases run out, not a period later.
            .account_readers(&self.owner, now, now - valid_ms)
            .await?;
        self.live
            .store(readers.live.max(1), std::sync::atomic::Ordering::Relaxed);
        let before = self.held();
        let mut held: Vec<AccountLease> = if heartbeat {
            self.store
                .extend_account_leases(&self.owner, valid_ms, now)
                .await?
        } else {
            before.values().cloned().collect()
        };
        let lost = before
            .keys()
            .filter(|id| !held.iter().any(|l| &l.account_id == *id))
            .count();
        let share = share(readers.accounts, readers.live);
        let mut tick = Tick {
            lost,
            ..Tick::default()
        };
        if held.len() < share {
            let claimed = self
                .store
                .claim_accounts(&self.owner, (share - held.len()) as i64, valid_ms, now)
                .await?;
            tick.claimed = claimed.len();
            held.extend(claimed);
        } else if held.len() > share {
            held.sort_by(|a, b| a.account_id.cmp(&b.account_id));
            let over: Vec<String> = held
                .split_off(share)
                .into_iter()
                .map(|l| l.account_id)
                .collect();
            // A read of one still in flight here fails its fenced write
            // once another replica has claimed it.
            self.store
                .release_accounts(&self.owner, Some(&over))
                .await?;
            tick.released = over.len();
        }
        tick.held = held.len();
        if heartbeat {
            self.valid_until
                .store(now + valid_ms, std::sync::atomic::Ordering::Relaxed);
        }
        self.publish(
            held.into_iter()
                .map(|l| (l.account_id.clone(), l))
                .collect(),
        );
        Ok(tick)
    }

    /// Look for accounts to claim now (one was connected, or a push named
    /// one nobody holds) rather than at the next step.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Until `stop`: the heartbeat every third of a lease period, and a
    /// look for accounts to claim every second or when woken; then give
    /// every account back.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        let beat_every = Duration::from_millis((self.lease_ms / 3).max(100) as u64);
        let look_every = beat_every.min(LOOK_EVERY);
        let mut last_beat: Option<tokio::time::Instant> = None;
        while !*stop.borrow() {
            let heartbeat = last_beat.is_none_or(|t| t.elapsed() >= beat_every);
            match self.step(heartbeat).await {
                Ok(t) => {
                    if heartbeat {
                        last_beat = Some(tokio::time::Instant::now());
                    }
                    if t.claimed + t.released + t.lost > 0 {
                        tracing::info!(
                            held = t.held,
                            claimed = t.claimed,
                            released = t.released,
                            lost = t.lost,
                            "account leases"
                        );
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %crate::report::Report(&e), "account leases not renewed; retrying");
                    // Leases not extended in time are no longer held: stop
                    // reading them before another replica starts.
                    let until = self.valid_until.load(std::sync::atomic::Ordering::Relaxed);
                    if now_ms() >= until {
                        self.publish(BTreeMap::new());
                    }
                }
            }
            let next_beat =
                last_beat.map_or(Duration::ZERO, |t| beat_every.saturating_sub(t.elapsed()));
            tokio::select! {
                _ = tokio::time::sleep(look_every.min(next_beat).max(Duration::from_millis(50))) => {}
                _ = self.wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
        self.publish(BTreeMap::new());
        if let Err(e) = self.store.leave_account_readers(&self.owner).await {
            tracing::warn!(error = %crate::report::Report(&e), "account leases not given back; they run out");
        }
    }

    /// How long a heartbeat keeps a lease: two thirds of the period, so
    /// one late heartbeat is survived and a dead holder's accounts are
    /// claimed again within one period.
    fn valid_ms(&self) -> i64 {
        self.lease_ms * 2 / 3
    }

    fn publish(&self, held: BTreeMap<String, AccountLease>) {
        self.held.send_if_modified(|now| {
            let same = now.len() == held.len()
                && now
                    .iter()
                    .zip(&held)
                    .all(|((a, x), (b, y))| a == b && x.token == y.token);
            if !same {
                *now = Arc::new(held);
            }
            !same
        });
    }
}

/// One reader's share of `accounts` among `live` readers, rounded up.
fn share(accounts: i64, live: i64) -> usize {
    let live = live.max(1);
    ((accounts.max(0) + live - 1) / live) as usize
}

/// How long a first read of accounts never read is spread over (at most a
/// poll): soon after they are connected, not all in one second.
const FIRST_SPREAD_MS: i64 = 5_000;

/// When an account just taken is first read (wall clock, ms): never read,
/// within [`FIRST_SPREAD_MS`] at a phase of its own; last read more than a
/// poll ago (its reader died), at once, spread over a tenth of the
/// interval; else at its next slot ([`next_read`]).
pub fn first_read(lease: &AccountLease, poll_ms: i64, now: i64) -> i64 {
    let poll_ms = poll_ms.max(1);
    let phase = phase(&lease.account_id);
    match lease.read_at {
        None => now + (phase % FIRST_SPREAD_MS.min(poll_ms) as u64) as i64,
        Some(read) if read + poll_ms <= now => now + (phase % (poll_ms / 10).max(1) as u64) as i64,
        Some(read) => next_read(&lease.account_id, read, poll_ms),
    }
}

/// When an account read at `read` is next read: its first slot at least
/// half a poll later. An account's slots are a poll apart at a phase of
/// its own (a hash of its id, the same on every replica), so a thousand
/// accounts are read spread over the interval, each once a poll, whichever
/// replica reads them.
pub fn next_read(account_id: &str, read: i64, poll_ms: i64) -> i64 {
    let poll_ms = poll_ms.max(1);
    let phase = (phase(account_id) % poll_ms as u64) as i64;
    let earliest = read + poll_ms / 2;
    // The first `phase + k·poll` at or after `earliest`.
    earliest + (phase - earliest).rem_euclid(poll_ms)
}

/// How long (ms) to wait before opening a session to an account just
/// taken whose server pushes (IMAP IDLE): a phase of its own within a
/// tenth of the poll and at most [`FIRST_SPREAD_MS`], so a replica taking
/// a thousand mailboxes does not open them all at once.
pub fn first_connect(account_id: &str, poll_ms: i64) -> i64 {
    let spread = FIRST_SPREAD_MS.min(poll_ms / 10).max(1);
    (phase(account_id) % spread as u64) as i64
}

/// A number of an account's own, the same on every replica.
fn phase(account_id: &str) -> u64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(account_id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(id: &str, read_at: Option<i64>) -> AccountLease {
        AccountLease {
            account_id: id.into(),
            owner: "r".into(),
            token: 1,
            read_at,
        }
    }

    #[test]
    fn shares_round_up_so_every_account_has_a_reader() {
        assert_eq!(share(1000, 3), 334);
        assert_eq!(share(10, 3), 4);
        assert_eq!(share(0, 3), 0);
        assert_eq!(share(5, 0), 5);
    }

    #[test]
    fn reads_keep_to_their_slots_spread_over_the_interval() {
        let now = 1_000_000;
        let poll = 60_000;
        // A thousand accounts read now: each next read half a poll to a
        // poll and a half later, and together spread over the interval.
        let mut per_second = std::collections::HashMap::<i64, usize>::new();
        for n in 0..1000 {
            let id = format!("acct-{n}");
            let next = next_read(&id, now, poll);
            assert!(
                (now + poll / 2..now + poll * 3 / 2).contains(&next),
                "{next}"
            );
            // Then a poll apart, whenever the read really happened.
            assert_eq!(next_read(&id, next, poll), next + poll);
            assert_eq!(next_read(&id, next + 700, poll), next + poll);
            *per_second.entry((next / 1000) % 60).or_default() += 1;
        }
        assert_eq!(per_second.len(), 60, "every second of the minute used");
        assert!(per_second.values().all(|n| *n <= 40), "{per_second:?}");
    }

    #[test]
    fn first_reads_follow_the_last_read() {
        let now = 1_000_000;
        let poll = 60_000;
        // Read 10 s ago: at its next slot, at least 20 s from now.
        let recent = first_read(&lease("a", Some(now - 10_000)), poll, now);
        assert_eq!(recent, next_read("a", now - 10_000, poll));
        assert!(recent >= now + 20_000, "{recent}");
        // Overdue (its reader died): within a tenth of the interval.
        let overdue = first_read(&lease("a", Some(now - 600_000)), poll, now);
        assert!((now..now + 6_000).contains(&overdue), "{overdue}");
        // Never read: within five seconds.
        let fresh = first_read(&lease("a", None), poll, now);
        assert!((now..now + 5_000).contains(&fresh), "{fresh}");
    }
}
