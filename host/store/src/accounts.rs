//! Connected accounts: a rep's mailbox or calendar, an org's HubSpot. The
//! credential is stored sealed (see `accounts::vault`); this module never
//! opens it. Sync cursors say how far each feed of an account has been
//! read; OAuth states hold an authorization in progress.

use super::account_leases::{AccountLease, held};
use super::rows::{Row, write_rows};
use super::{OrgId, Store, StoreError, UserId, new_id, on_pool};
use serde::Serialize;

/// An account's standing with its provider.
pub const ACTIVE: &str = "active";
/// The provider refused the stored credential: the rep must connect again.
pub const RECONNECT: &str = "reconnect";

/// A connected account as stored (its secret still sealed).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: Option<UserId>,
    /// `google`, `imap`, `caldav`, `hubspot`, …
    pub provider: String,
    /// The mailbox address or login the account is known by.
    pub address: String,
    /// Scopes granted, space-separated (OAuth accounts).
    pub scopes: String,
    /// [`ACTIVE`] or [`RECONNECT`].
    pub status: String,
    /// Why the account needs reconnecting, in the provider's words; for an
    /// active one, what its last read left out (a calendar series too
    /// frequent to be meetings, say).
    pub status_detail: Option<String>,
    #[serde(skip)]
    pub secret: String,
    pub token_expires_at: Option<i64>,
    /// What is not secret, as JSON (a server's host and port, a URL).
    pub settings: String,
    pub sync_requested_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Account {
    /// The settings as JSON (`{}` when unreadable).
    pub fn settings(&self) -> serde_json::Value {
        serde_json::from_str(&self.settings).unwrap_or_else(|_| serde_json::json!({}))
    }

    /// Whether the provider granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.split_whitespace().any(|s| s == scope)
    }
}

/// An account to connect (or reconnect: same org, provider and address).
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub org_id: &'a OrgId,
    pub user_id: Option<&'a UserId>,
    pub provider: &'a str,
    pub address: &'a str,
    pub scopes: &'a str,
    pub settings: &'a serde_json::Value,
    pub token_expires_at: Option<i64>,
}

/// Why an account cannot be connected for a rep: a mailbox (or calendar)
/// belongs to exactly one rep, across orgs, so its mail and its pushes
/// reach one org.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Taken {
    /// Another rep of the same org (or the org itself) holds it.
    #[error(
        "this {provider} account is connected by someone else in the org; disconnect it first (DELETE /v1/accounts/{id})"
    )]
    InOrg { provider: String, id: String },
    /// A rep of another org holds it.
    #[error(
        "this {provider} account is connected in another organization; a mailbox belongs to exactly one rep"
    )]
    OtherOrg { provider: String },
}

/// Who holds an address already.
#[derive(sqlx::FromRow)]
struct Holder {
    id: String,
    org_id: OrgId,
    user_id: Option<UserId>,
    address: String,
}

/// Set one sync cursor: account, feed, cursor JSON, now.
pub(super) const SET_CURSOR: &str =
    "INSERT INTO sync_cursors (account_id, feed, cursor, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id, feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at";

const COLUMNS: &str =
    "id, org_id, user_id, provider, address, scopes, status, status_detail, secret,
    token_expires_at, settings, sync_requested_at, created_at, updated_at";

impl Store {
    /// Connect an account, or reconnect it: the row for the same org,
    /// provider and address keeps its id (and cursors) and takes the new
    /// credential, scopes and settings, and is active again. `seal` seals the
    /// secret for the row's id (which is only known here).
    ///
    /// The address is matched without regard to case; one another rep
    /// holds, in this org or (for a rep's account) in another, is
    /// [`Taken`] and nothing changes.
    pub async fn connect_account(
        &self,
        new: &NewAccount<'_>,
        seal: impl Fn(&str) -> String,
        now: i64,
    ) -> Result<Result<Account, Taken>, StoreError> {
        let holders: Vec<Holder> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, user_id, address FROM connected_accounts
                 WHERE provider = $1 AND lower(address) = lower($2) ORDER BY created_at, id")
            .bind(new.provider).bind(new.address).fetch_all(pool).await)?;
        for h in &holders {
            let provider = new.provider.to_owned();
            if h.org_id == *new.org_id {
                if h.user_id.as_ref() != new.user_id {
                    return Ok(Err(Taken::InOrg {
                        provider,
                        id: h.id.clone(),
                    }));
                }
            } else if new.user_id.is_some() {
                return Ok(Err(Taken::OtherOrg { provider }));
            }
        }
        // A reconnect keeps the address as first written.
        let address = holders
            .iter()
            .find(|h| h.org_id == *new.org_id)
            .map_or(new.address, |h| h.address.as_str());
        let settings = new.settings.to_string();
        // The secret is bound to the row's id. Two connects of the same
        // address at once: the one whose id lost the insert seals again for
        // the id that won (the update applies only to the id it sealed for).
        for _ in 0..3 {
            let existing: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                    "SELECT id FROM connected_accounts WHERE org_id = $1 AND provider = $2 AND address = $3")
                .bind(new.org_id).bind(new.provider).bind(address).fetch_optional(pool).await)?;
            let id = existing.unwrap_or_else(new_id);
            let secret = seal(&id);
            let written = on_pool!(self, pool => sqlx::query(
                    "INSERT INTO connected_accounts (id, org_id, user_id, provider, address, scopes, status,
                         status_detail, secret, token_expires_at, settings, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'active', NULL, $7, $8, $9, $10, $10)
                     ON CONFLICT (org_id, provider, address) DO UPDATE SET
                         user_id = excluded.user_id, scopes = excluded.scopes, status = 'active',
                         status_detail = NULL, secret = excluded.secret,
                         token_expires_at = excluded.token_expires_at, settings = excluded.settings,
                         updated_at = excluded.updated_at
                     WHERE connected_accounts.id = excluded.id")
                .bind(&id).bind(new.org_id).bind(new.user_id).bind(new.provider).bind(address)
                .bind(new.scopes).bind(&secret).bind(new.token_expires_at).bind(&settings).bind(now)
                .execute(pool).await.map(|r| r.rows_affected()))?;
            if written == 1 {
                return self
                    .account(new.org_id, &id)
                    .await?
                    .map(Ok)
                    .ok_or_else(|| StoreError::NotFound(format!("account {id}")));
            }
        }
        Err(StoreError::Stale(
            "the account was connected again at the same time; try again".into(),
        ))
    }

    /// One account of `org`.
    pub async fn account(&self, org: &OrgId, id: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM connected_accounts WHERE org_id = $1 AND id = $2");
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// The accounts of `org` (of one rep when `user` is given), oldest first.
    pub async fn accounts(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
    ) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM connected_accounts
             WHERE org_id = $1 AND ($2 IS NULL OR user_id = $2) ORDER BY created_at, id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(org).bind(user).fetch_all(pool).await)?)
    }

    /// Every active account of `provider`, across orgs (for the sync loops).
    pub async fn active_accounts(&self, provider: &str) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM connected_accounts
             WHERE provider = $1 AND status = 'active' ORDER BY org_id, id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(provider).fetch_all(pool).await)?)
    }

    /// The active accounts of `provider` that reader `owner` holds (see
    /// `account_leases`).
    pub async fn held_accounts(
        &self,
        owner: &str,
        provider: &str,
    ) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM connected_accounts
             WHERE lease_owner = $1 AND provider = $2 AND status = 'active' ORDER BY org_id, id"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(owner).bind(provider).fetch_all(pool).await)?,
        )
    }

    /// The accounts of `provider` known by `address` (case-insensitive),
    /// across orgs: a push names only the mailbox.
    pub async fn accounts_by_address(
        &self,
        provider: &str,
        address: &str,
    ) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM connected_accounts
             WHERE provider = $1 AND lower(address) = lower($2) ORDER BY org_id, id"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(&sql).bind(provider).bind(address).fetch_all(pool).await)?,
        )
    }

    /// Store a refreshed credential (sealed for this row).
    pub async fn update_account_secret(
        &self,
        org: &OrgId,
        id: &str,
        sealed: &str,
        token_expires_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET secret = $1, token_expires_at = $2, updated_at = $3
                 WHERE org_id = $4 AND id = $5")
            .bind(sealed).bind(token_expires_at).bind(now).bind(org).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Mark an account for reconnecting: the provider refused its
    /// credential (`detail` says how, in words safe to show the rep).
    pub async fn mark_reconnect(
        &self,
        org: &OrgId,
        id: &str,
        detail: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET status = 'reconnect', status_detail = $1, updated_at = $2
                 WHERE org_id = $3 AND id = $4")
            .bind(super::text::storable(detail)).bind(now).bind(org).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Note what the last read of an active account left out (`None`: all
    /// was read), as its `status_detail`; an account waiting to be
    /// reconnected keeps its reason.
    pub async fn note_account(
        &self,
        org: &OrgId,
        id: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET status_detail = $1
                 WHERE org_id = $2 AND id = $3 AND status = 'active'")
            .bind(note.map(super::text::storable)).bind(org).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Ask for an account's feeds to be read soon (a push came in).
    pub async fn request_account_sync(
        &self,
        org: &OrgId,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET sync_requested_at = $1 WHERE org_id = $2 AND id = $3")
            .bind(now).bind(org).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Forget a sync request once it is being served; one made since
    /// (`requested_at` later than `seen`) stays.
    pub async fn clear_sync_request(
        &self,
        org: &OrgId,
        id: &str,
        seen: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE connected_accounts SET sync_requested_at = NULL
                 WHERE org_id = $1 AND id = $2 AND sync_requested_at <= $3")
            .bind(org).bind(id).bind(seen).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Disconnect an account: its cursors go with it, and `rows` (what
    /// the apps write when an account goes, `Extension::on_disconnect`)
    /// are written first in the same transaction.
    pub async fn delete_account(
        &self,
        org: &OrgId,
        id: &str,
        rows: &[Row],
    ) -> Result<bool, StoreError> {
        let gone = on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            write_rows!(tx, rows);
            sqlx::query("DELETE FROM sync_cursors WHERE account_id IN
                    (SELECT id FROM connected_accounts WHERE org_id = $1 AND id = $2)")
                .bind(org).bind(id).execute(&mut *tx).await?;
            let n = sqlx::query("DELETE FROM connected_accounts WHERE org_id = $1 AND id = $2")
                .bind(org).bind(id).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        }.await)?;
        Ok(gone == 1)
    }

    /// How far `feed` of `org`'s account `account` has been read (its own
    /// JSON), if at all.
    pub async fn sync_cursor(
        &self,
        org: &OrgId,
        account: &str,
        feed: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let text: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT c.cursor FROM sync_cursors c JOIN connected_accounts a ON a.id = c.account_id
                 WHERE a.org_id = $1 AND c.account_id = $2 AND c.feed = $3")
            .bind(org).bind(account).bind(feed).fetch_optional(pool).await)?;
        text.map(|t| serde_json::from_str(&t).map_err(StoreError::json("sync cursor")))
            .transpose()
    }

    /// Record how far `feed` of an account has been read. With a `fence`,
    /// only while that lease still holds the account (else `Stale`).
    pub async fn set_sync_cursor(
        &self,
        account: &str,
        feed: &str,
        cursor: &serde_json::Value,
        fence: Option<&AccountLease>,
        now: i64,
    ) -> Result<(), StoreError> {
        let Some(lease) = fence else {
            on_pool!(self, pool => sqlx::query(SET_CURSOR)
                .bind(account).bind(feed).bind(cursor.to_string()).bind(now).execute(pool).await.map(drop))?;
            return Ok(());
        };
        let n = on_pool!(self, pool => sqlx::query(
                "INSERT INTO sync_cursors (account_id, feed, cursor, updated_at)
                 SELECT $1, $4, $5, $6 WHERE EXISTS (
                     SELECT 1 FROM connected_accounts WHERE id = $1 AND lease_owner = $2 AND lease_token = $3)
                 ON CONFLICT (account_id, feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at")
            .bind(account).bind(&lease.owner).bind(lease.token).bind(feed).bind(cursor.to_string()).bind(now)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        held(n, lease)
    }
}
