//! The columns that hold values sealed under `BATON_SECRET_KEY`, read and
//! replaced in batches so `baton secret rotate` can seal every one again
//! under the newest key while the service runs. Each value is bound to its
//! row's key (the vault's associated data), so the key is all a re-seal
//! needs besides the value. Sealing and opening belong to the vault; this
//! module never sees a plaintext.

use super::{Store, StoreError, on_pool};

/// A column of sealed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    /// A connected account's credential (`connected_accounts.secret`).
    AccountSecret,
    /// A provider key's value (`provider_keys.value`).
    ProviderKey,
    /// An OAuth authorization's PKCE verifier (`oauth_states.verifier`).
    OAuthVerifier,
}

impl SealedColumn {
    /// Every sealed column.
    pub const ALL: [SealedColumn; 3] = [
        SealedColumn::AccountSecret,
        SealedColumn::ProviderKey,
        SealedColumn::OAuthVerifier,
    ];

    /// `(table, key column, value column)`: constants, never input.
    fn sql(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SealedColumn::AccountSecret => ("connected_accounts", "id", "secret"),
            SealedColumn::ProviderKey => ("provider_keys", "id", "value"),
            SealedColumn::OAuthVerifier => ("oauth_states", "state_hash", "verifier"),
        }
    }

    /// What it is called in messages.
    pub fn name(self) -> &'static str {
        match self {
            SealedColumn::AccountSecret => "connected accounts",
            SealedColumn::ProviderKey => "provider keys",
            SealedColumn::OAuthVerifier => "OAuth authorizations in progress",
        }
    }
}

/// One sealed value and the row key it is bound to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedValue {
    pub key: String,
    pub value: String,
}

impl Store {
    /// Up to `limit` values of `column` whose row key is after `after`, in
    /// key order: a caller pages through a column by passing the last key
    /// it saw.
    pub async fn sealed_values(
        &self,
        column: SealedColumn,
        after: &str,
        limit: i64,
    ) -> Result<Vec<SealedValue>, StoreError> {
        let (table, key, value) = column.sql();
        let sql = format!(
            "SELECT {key} AS key, {value} AS value FROM {table}
             WHERE {key} > $1 ORDER BY {key} LIMIT $2"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await)?)
    }

    /// Replace the value of `column` in row `key` with `new`, if it is
    /// still `old`: a value the service sealed again meanwhile (a refreshed
    /// token) is kept. Whether it was replaced.
    pub async fn replace_sealed(
        &self,
        column: SealedColumn,
        key: &str,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let (table, key_column, value) = column.sql();
        let sql =
            format!("UPDATE {table} SET {value} = $1 WHERE {key_column} = $2 AND {value} = $3");
        let replaced = on_pool!(self, pool => sqlx::query(&sql)
            .bind(new)
            .bind(key)
            .bind(old)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(replaced == 1)
    }
}
