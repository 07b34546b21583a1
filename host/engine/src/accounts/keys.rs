//! Provider keys, host-side: checking one before it is stored, sealing its
//! value, and [`KeyRing`], which hands the runtime the header for a
//! granted request and audits each use (key name, host, skill, job — never
//! the value).
//!
//! Keys are read from the store for each outbound request to a host (one
//! indexed query), not cached: a key set, replaced or removed takes effect
//! on the next request, on every replica, with nothing to invalidate.

use super::Vault;
use crate::runtime::clock::Clock;
use crate::runtime::{InjectedHeader, KeyFuture, ProviderKeys};
use crate::store::{JobId, OrgId, Store};
use serde_json::json;
use std::sync::Arc;

/// What the audit trail calls a key's use.
pub const USED: &str = "provider_key_used";

/// Why a key cannot be stored as given: the field, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{field}: {why}")]
pub struct BadKey {
    pub field: &'static str,
    pub why: String,
}

fn bad(field: &'static str, why: impl Into<String>) -> BadKey {
    BadKey {
        field,
        why: why.into(),
    }
}

/// Check a key's name, where it goes, header and value before storing it;
/// where it goes comes back as the origin it is for (see [`target`]).
pub fn check(name: &str, host: &str, header: &str, value: &str) -> Result<String, BadKey> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    if name.is_empty() || name.len() > 64 || !name.chars().all(word) {
        return Err(bad(
            "name",
            "1 to 64 letters, digits, dots, dashes or underscores",
        ));
    }
    let host = target(host)?;
    if http::HeaderName::from_bytes(header.as_bytes()).is_err() {
        return Err(bad("header", "not a valid HTTP header name"));
    }
    let forbidden = ["host", "content-length", "transfer-encoding", "connection"];
    if forbidden.contains(&header.to_ascii_lowercase().as_str()) {
        return Err(bad("header", format!("`{header}` cannot carry a key")));
    }
    if value.is_empty() || http::HeaderValue::from_str(value).is_err() {
        return Err(bad(
            "value",
            "empty, or not valid in an HTTP header (no line breaks)",
        ));
    }
    Ok(host)
}

/// Where a key goes, as stored and matched: `scheme://host:port` and a
/// path prefix when one is given. `api.apollo.io` (or `api.apollo.io:8443`)
/// is HTTPS on 443 (or that port); `http://127.0.0.1:18790` a provider on
/// loopback; `https://api.example.com/v2` only paths under `/v2`. A key is
/// never added to a request for another scheme, port or path.
pub fn target(given: &str) -> Result<String, BadKey> {
    let given = given.trim().to_ascii_lowercase();
    let why = "a host (api.apollo.io), host:port, or an origin with an optional path prefix \
               (https://api.example.com/v2, http://127.0.0.1:18790)";
    let url = if given.contains("://") {
        given.clone()
    } else {
        format!("https://{given}")
    };
    let url = reqwest::Url::parse(&url).map_err(|_| bad("host", why))?;
    let host = url.host_str().unwrap_or_default();
    let name_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    if !matches!(url.scheme(), "http" | "https")
        || host.is_empty()
        || host.len() > 253
        || !(host.chars().all(name_ok) || host.starts_with('['))
        || host.starts_with('.')
        || !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad("host", why));
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let path = url.path().trim_end_matches('/');
    Ok(format!("{}://{host}:{port}{path}", url.scheme()))
}

/// The provider keys lent to one call: the job's org's own keys, else the
/// operator's.
pub struct KeyRing {
    pub store: Store,
    pub vault: Vault,
    pub clock: Arc<dyn Clock>,
    pub org: OrgId,
    pub job: JobId,
}

impl ProviderKeys for KeyRing {
    fn header_for(&self, skill: &str, to: &crate::runtime::KeyTarget) -> KeyFuture {
        let (store, vault, clock) = (self.store.clone(), self.vault.clone(), self.clock.clone());
        let (org, job) = (self.org.clone(), self.job.clone());
        let skill = skill.to_owned();
        let (host, origin, path) = (to.host.clone(), to.origin(), to.path.clone());
        Box::pin(async move {
            let to = Destination {
                host: &host,
                origin: &origin,
                path: &path,
            };
            lend(&store, &vault, (&org, &job), &skill, &to, clock.now_ms()).await
        })
    }
}

/// Where a request goes, as a key is matched against it.
pub struct Destination<'a> {
    /// The host alone, for the audit trail and logs.
    pub host: &'a str,
    /// `scheme://host:port`.
    pub origin: &'a str,
    pub path: &'a str,
}

/// The header of the key kept for a request of `job` of `org` by `by` (a
/// skill, or a connector) to `to`, opened, its use audited (key name,
/// host, who, job — never the value); none when no key is kept for it or
/// it cannot be opened or audited (logged, the request goes without).
pub async fn lend(
    store: &Store,
    vault: &Vault,
    (org, job): (&OrgId, &JobId),
    by: &str,
    to: &Destination<'_>,
    now: i64,
) -> Option<InjectedHeader> {
    let host = to.host;
    let key = match store.provider_key_for(org, to.origin, to.path).await {
        Ok(Some(key)) => key,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(%host, error = %e, "cannot read provider keys; the request goes without");
            return None;
        }
    };
    let value = match vault.open(&key.id, &key.value).map(String::from_utf8) {
        Ok(Ok(v)) => v,
        _ => {
            tracing::warn!(key = %key.name, %host, "a provider key cannot be opened (was BATON_SECRET_KEY changed?)");
            return None;
        }
    };
    let detail = json!({ "key": key.name, "host": host, "origin": to.origin,
                         "skill": by, "header": key.header });
    // Unaudited, a key is not used.
    if let Err(e) = store.audit(org, None, Some(job), USED, &detail, now).await {
        tracing::warn!(key = %key.name, %host, error = %e, "cannot audit a provider key's use; the request goes without");
        return None;
    }
    tracing::info!(key = %key.name, %host, skill = %by, job = %job, "provider key used");
    Some(InjectedHeader {
        name: key.header,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key is for one origin: scheme, host and port (and a path prefix
    /// when given), never every port of a host (issue 38).
    #[test]
    fn where_a_key_goes_is_an_origin() {
        for (given, stored) in [
            ("api.apollo.io", "https://api.apollo.io:443"),
            ("api.apollo.io:8443", "https://api.apollo.io:8443"),
            ("https://a.io/", "https://a.io:443"),
            ("HTTP://127.0.0.1:18790", "http://127.0.0.1:18790"),
            ("http://localhost", "http://localhost:80"),
            (
                "https://api.example.com/v2/",
                "https://api.example.com:443/v2",
            ),
        ] {
            assert_eq!(target(given).expect(given), stored, "{given}");
        }
    }

    #[test]
    fn a_key_is_checked_field_by_field() {
        assert_eq!(
            check("apollo", "API.Apollo.io", "X-Api-Key", "k").expect("good"),
            "https://api.apollo.io:443"
        );
        assert_eq!(check("", "a.io", "X", "k").expect_err("name").field, "name");
        for bad in [
            "ftp://a.io",
            "https://u:p@a.io",
            "https://a.io/?q=1",
            "a io",
            "",
            "https://",
        ] {
            assert_eq!(
                check("a", bad, "X", "k").expect_err(bad).field,
                "host",
                "{bad}"
            );
        }
        assert_eq!(
            check("a", "a.io", "X Y", "k").expect_err("header").field,
            "header"
        );
        assert_eq!(
            check("a", "a.io", "Host", "k").expect_err("header").field,
            "header"
        );
        assert_eq!(
            check("a", "a.io", "X", "a\nb").expect_err("value").field,
            "value"
        );
    }
}
