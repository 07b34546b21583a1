//! Provider keys, host-side: checking one before it is stored, sealing its
//! value, and [`KeyRing`], which hands the runtime the header for a
//! granted request and audits each use (key name, host, skill, job — never
//! the value).
//!
//! Keys are read from the store for each outbound request to a host (one
//! indexed query), not cached: a key set, replaced or removed takes effect
//! on the next request, on every replica, with nothing to invalidate.

use super::Vault;
use crate::orchestrator::Clock;
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

/// Check a key's name, host, header and value before storing it; the host
/// comes back lowercased.
pub fn check(name: &str, host: &str, header: &str, value: &str) -> Result<String, BadKey> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    if name.is_empty() || name.len() > 64 || !name.chars().all(word) {
        return Err(bad(
            "name",
            "1 to 64 letters, digits, dots, dashes or underscores",
        ));
    }
    let host = host.trim().to_ascii_lowercase();
    if host.is_empty()
        || host.len() > 253
        || !host.chars().all(|c| word(c) && c != '_')
        || host.starts_with('.')
    {
        return Err(bad(
            "host",
            "a host name such as api.apollo.io (no scheme, port or path)",
        ));
    }
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
    fn header_for(&self, skill: &str, host: &str) -> KeyFuture {
        let (store, vault, clock) = (self.store.clone(), self.vault.clone(), self.clock.clone());
        let (org, job) = (self.org.clone(), self.job.clone());
        let (skill, host) = (skill.to_owned(), host.to_owned());
        Box::pin(async move {
            let key = match store.provider_key_for(&org, &host).await {
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
            let detail =
                json!({ "key": key.name, "host": host, "skill": skill, "header": key.header });
            // Unaudited, a key is not used.
            if let Err(e) = store
                .audit(&org, None, Some(&job), USED, &detail, clock.now_ms())
                .await
            {
                tracing::warn!(key = %key.name, %host, error = %e, "cannot audit a provider key's use; the request goes without");
                return None;
            }
            tracing::info!(key = %key.name, %host, %skill, job = %job, "provider key used");
            Some(InjectedHeader {
                name: key.header,
                value,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_checked_field_by_field() {
        assert_eq!(
            check("apollo", "API.Apollo.io", "X-Api-Key", "k").expect("good"),
            "api.apollo.io"
        );
        assert_eq!(check("", "a.io", "X", "k").expect_err("name").field, "name");
        assert_eq!(
            check("a", "https://a.io/", "X", "k")
                .expect_err("host")
                .field,
            "host"
        );
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
