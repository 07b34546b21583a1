//! Provider keys: a header (an API key) the host adds to a skill's granted
//! outbound request for a host, operator-wide or per org. The value is
//! stored sealed (see `accounts::vault`); this module never opens it.

use super::{OrgId, Store, StoreError, new_id, on_pool};
use serde::Serialize;

/// The scope of an operator-wide key (no org).
const OPERATOR: &str = "";

/// A provider key as listed: never its value.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProviderKey {
    pub id: String,
    /// The org it belongs to; `None` for the operator's.
    #[sqlx(try_from = "String")]
    pub org_id: Scope,
    pub name: String,
    pub host: String,
    pub header: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The org a key belongs to, or none (the operator's).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Scope(pub Option<OrgId>);

impl From<String> for Scope {
    fn from(s: String) -> Scope {
        Scope((!s.is_empty()).then(|| OrgId::from(s.as_str())))
    }
}

/// A key to use: which one, and its sealed value.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedKey {
    pub id: String,
    pub name: String,
    pub header: String,
    pub value: String,
}

fn scope(org: Option<&OrgId>) -> &str {
    org.map_or(OPERATOR, |o| o.as_str())
}

impl Store {
    /// Store the key `name` (for `org`, or the operator's), replacing one
    /// of the same name. `seal` seals the value for the row's id. Returns
    /// the row's id.
    pub async fn set_provider_key(
        &self,
        org: Option<&OrgId>,
        name: &str,
        host: &str,
        header: &str,
        seal: impl Fn(&str) -> String,
        now: i64,
    ) -> Result<String, StoreError> {
        let org = scope(org);
        let existing: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT id FROM provider_keys WHERE org_id = $1 AND name = $2")
            .bind(org).bind(name).fetch_optional(pool).await)?;
        let id = existing.unwrap_or_else(new_id);
        let value = seal(&id);
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO provider_keys (id, org_id, name, host, header, value, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                 ON CONFLICT (org_id, name) DO UPDATE SET host = excluded.host,
                     header = excluded.header, value = excluded.value, updated_at = excluded.updated_at")
            .bind(&id).bind(org).bind(name).bind(host.to_ascii_lowercase()).bind(header)
            .bind(&value).bind(now).execute(pool).await.map(drop))?;
        Ok(id)
    }

    /// The keys of `org` (or the operator's), by name; never their values.
    pub async fn provider_keys(&self, org: Option<&OrgId>) -> Result<Vec<ProviderKey>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
                "SELECT id, org_id, name, host, header, created_at, updated_at FROM provider_keys
                 WHERE org_id = $1 ORDER BY name")
            .bind(scope(org)).fetch_all(pool).await)?)
    }

    /// Remove the key `name` of `org` (or the operator's).
    pub async fn delete_provider_key(
        &self,
        org: Option<&OrgId>,
        name: &str,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(self, pool => sqlx::query(
                "DELETE FROM provider_keys WHERE org_id = $1 AND name = $2")
            .bind(scope(org)).bind(name).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// The key for a request from `org` to `origin` (`scheme://host:port`)
    /// at `path`: among the keys for that origin whose path prefix (if
    /// any) holds `path` at a segment boundary, the org's own before the
    /// operator's, the longest prefix first; else none.
    pub async fn provider_key_for(
        &self,
        org: &OrgId,
        origin: &str,
        path: &str,
    ) -> Result<Option<SealedKey>, StoreError> {
        let origin = origin.to_ascii_lowercase();
        let rows: Vec<(String, String, String, String, String, String)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, name, header, value, host, org_id FROM provider_keys
                 WHERE (host = $1 OR substr(host, 1, length($1) + 1) = $3)
                   AND (org_id = $2 OR org_id = '')")
            .bind(&origin).bind(org).bind(format!("{origin}/")).fetch_all(pool).await)?;
        let best = rows
            .into_iter()
            .filter_map(|(id, name, header, value, host, owner)| {
                let prefix = host.get(origin.len()..).unwrap_or_default();
                let holds = prefix.is_empty()
                    || path == prefix
                    || path
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with('/') || prefix.ends_with('/'));
                let rank = (!owner.is_empty(), prefix.len());
                holds.then_some((
                    rank,
                    SealedKey {
                        id,
                        name,
                        header,
                        value,
                    },
                ))
            })
            .max_by_key(|(rank, _)| *rank);
        Ok(best.map(|(_, key)| key))
    }
}
