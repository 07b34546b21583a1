//! Account leases: each active connected account is read by one replica at
//! a time. A reader (one replica, named as its job worker is) makes itself
//! known ([`Store::account_readers`]), claims up to its share of the
//! accounts no live lease holds ([`Store::claim_accounts`]), keeps them by
//! heartbeat ([`Store::extend_account_leases`]) and gives back what is
//! over its share ([`Store::release_accounts`]).
//!
//! Fencing: every claim bumps the account's `lease_token`; a cursor write
//! in the name of a lease ([`AccountLease`]) takes only while the account
//! is still held by that very claim (`fence` in `jobs.rs` and
//! [`Store::set_sync_cursor`]), so a reader that lost an account to
//! another replica cannot move its cursor. Lease times are wall-clock
//! milliseconds: they are about processes being alive, not the service's
//! (possibly simulated) clock.

use super::{Store, StoreError, on_pool};

/// An account held by a reader under one claim.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountLease {
    pub account_id: String,
    /// The reader holding it.
    pub owner: String,
    /// The claim's fencing token.
    pub token: i64,
    /// When the account was last read, by any reader.
    pub read_at: Option<i64>,
}

/// The readers alive and the accounts there are to share among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readers {
    /// Readers seen since the lease period began, this one included.
    pub live: i64,
    /// Active connected accounts.
    pub accounts: i64,
}

const HELD: &str = "id AS account_id, lease_owner AS owner, lease_token AS token, read_at";

impl Store {
    /// Say that `owner` reads accounts at `now`, forget readers not seen
    /// since `live_since`, and count the live readers and the accounts.
    pub async fn account_readers(
        &self,
        owner: &str,
        now: i64,
        live_since: i64,
    ) -> Result<Readers, StoreError> {
        let (live, accounts): (i64, i64) = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                    "INSERT INTO account_readers (owner, seen_at) VALUES ($1, $2)
                     ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at")
                .bind(owner).bind(now).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM account_readers WHERE seen_at < $1")
                .bind(live_since).execute(&mut *tx).await?;
            let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_readers")
                .fetch_one(&mut *tx).await?;
            let accounts: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM connected_accounts WHERE status = 'active'")
                .fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>((live, accounts))
        }.await)?;
        Ok(Readers { live, accounts })
    }

    /// Claim for `owner`, until `now + lease_ms`, up to `max` active
    /// accounts that no lease holds at `now` (never held, given back, or
    /// expired with a reader that died). Each claim bumps the account's
    /// fencing token.
    pub async fn claim_accounts(
        &self,
        owner: &str,
        max: i64,
        lease_ms: i64,
        now: i64,
    ) -> Result<Vec<AccountLease>, StoreError> {
        if max <= 0 {
            return Ok(Vec::new());
        }
        let lock = self.skip_locked();
        let sql = format!(
            "UPDATE connected_accounts SET lease_owner = $1, lease_token = lease_token + 1, lease_expires_at = $2
             WHERE id IN (SELECT id FROM connected_accounts
                          WHERE status = 'active' AND (lease_owner IS NULL OR lease_expires_at < $3)
                          ORDER BY id LIMIT $4 {lock})
             RETURNING {HELD}"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(owner).bind(now + lease_ms).bind(now).bind(max).fetch_all(pool).await)?)
    }

    /// The heartbeat: extend every lease `owner` still holds at `now` to
    /// `now + lease_ms`, and say which those are (active accounts only; one
    /// whose lease ran out stays out, for whoever claims it next).
    pub async fn extend_account_leases(
        &self,
        owner: &str,
        lease_ms: i64,
        now: i64,
    ) -> Result<Vec<AccountLease>, StoreError> {
        let sql = format!(
            "UPDATE connected_accounts SET lease_expires_at = $1
             WHERE lease_owner = $2 AND lease_expires_at >= $3 AND status = 'active'
             RETURNING {HELD}"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(now + lease_ms).bind(owner).bind(now).fetch_all(pool).await)?)
    }

    /// Give back the accounts `ids` that `owner` holds (all of them when
    /// `ids` is `None`), for other readers to claim at once.
    pub async fn release_accounts(
        &self,
        owner: &str,
        ids: Option<&[String]>,
    ) -> Result<u64, StoreError> {
        const RELEASE: &str = "UPDATE connected_accounts SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1";
        let Some(ids) = ids else {
            return Ok(on_pool!(self, pool => sqlx::query(RELEASE)
                .bind(owner).execute(pool).await.map(|r| r.rows_affected()))?);
        };
        let one = format!("{RELEASE} AND id = $2");
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut n = 0;
            for id in ids {
                n += sqlx::query(&one).bind(owner).bind(id).execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        }.await)?)
    }

    /// A reader stops: it gives back every account and is no longer
    /// counted among the readers.
    pub async fn leave_account_readers(&self, owner: &str) -> Result<(), StoreError> {
        self.release_accounts(owner, None).await?;
        on_pool!(self, pool => sqlx::query("DELETE FROM account_readers WHERE owner = $1")
            .bind(owner).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Record that the account `lease` holds was read at `now`. Fails with
    /// `Stale` if another claim holds it now.
    pub async fn mark_account_read(
        &self,
        lease: &AccountLease,
        now: i64,
    ) -> Result<(), StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET read_at = $1
                 WHERE id = $2 AND lease_owner = $3 AND lease_token = $4")
            .bind(now).bind(&lease.account_id).bind(&lease.owner).bind(lease.token)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, lease)
    }
}

/// A row while the account `$1` is still held by reader `$2` under claim
/// `$3`: what a write in the name of a lease checks first.
pub(crate) const STILL_HELD: &str =
    "SELECT 1 FROM connected_accounts WHERE id = $1 AND lease_owner = $2 AND lease_token = $3";

/// `Ok` if a write guarded by `lease` touched a row, else `Stale`.
pub(crate) fn held(rows: u64, lease: &AccountLease) -> Result<(), StoreError> {
    if rows >= 1 { Ok(()) } else { Err(stale(lease)) }
}

/// The error of a write in the name of a lease that no longer holds its
/// account.
pub(crate) fn stale(lease: &AccountLease) -> StoreError {
    StoreError::Stale(format!(
        "account {} is no longer read by {} (claim {}): another reader claimed it",
        lease.account_id, lease.owner, lease.token
    ))
}
