//! Webhook signatures: Slack's v0 scheme and Standard Webhooks (Svix, used
//! by Meeting BaaS v2 and our generic webhook). Both are HMAC-SHA256 over
//! the raw body with a timestamp; comparisons are constant-time and stale
//! timestamps are refused (replays).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the {0} header is missing")]
    Missing(&'static str),
    #[error("the timestamp is not a number of seconds")]
    BadTimestamp,
    #[error("the timestamp is more than {0} s from now (a replay?)")]
    Stale(i64),
    #[error("the signature does not match")]
    Mismatch,
    #[error("the signing secret is not valid: {0}")]
    BadSecret(&'static str),
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Result<Vec<u8>, SignatureError> {
    let mut mac =
        HmacSha256::new_from_slice(key).map_err(|_| SignatureError::BadSecret("empty key"))?;
    for p in parts {
        mac.update(p);
    }
    Ok(mac.finalize().into_bytes().to_vec())
}

fn fresh(timestamp: &str, now_s: i64, tolerance_s: i64) -> Result<(), SignatureError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if (now_s - ts).abs() > tolerance_s {
        return Err(SignatureError::Stale(tolerance_s));
    }
    Ok(())
}

/// Check Slack's `X-Slack-Signature` (`v0=<hex>`) over
/// `v0:{X-Slack-Request-Timestamp}:{body}`.
pub fn verify_slack(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_s: i64,
    tolerance_s: i64,
) -> Result<(), SignatureError> {
    if secret.trim().is_empty() {
        return Err(SignatureError::BadSecret("empty"));
    }
    let timestamp = timestamp.ok_or(SignatureError::Missing("X-Slack-Request-Timestamp"))?;
    let signature = signature.ok_or(SignatureError::Missing("X-Slack-Signature"))?;
    fresh(timestamp, now_s, tolerance_s)?;
    let expected = hmac(
        secret.as_bytes(),
        &[b"v0:", timestamp.as_bytes(), b":", body],
    )?;
    let given = signature
        .strip_prefix("v0=")
        .and_then(|h| hex::decode(h).ok())
        .ok_or(SignatureError::Mismatch)?;
    if bool::from(given.ct_eq(&expected)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Check a Standard Webhooks (Svix) signature: the secret is
/// `whsec_<base64 key>`; the signed content is `{id}.{timestamp}.{body}`;
/// the header holds one or more space-separated `v1,<base64>` entries, any
/// of which may match (secret rotation).
pub fn verify_standard(
    secret: &str,
    id: Option<&str>,
    timestamp: Option<&str>,
    signatures: Option<&str>,
    body: &[u8],
    now_s: i64,
    tolerance_s: i64,
) -> Result<(), SignatureError> {
    let key = STANDARD
        .decode(
            secret
                .trim()
                .strip_prefix("whsec_")
                .unwrap_or(secret.trim()),
        )
        .map_err(|_| SignatureError::BadSecret("not whsec_<base64>"))?;
    let id = id.ok_or(SignatureError::Missing("webhook-id"))?;
    let timestamp = timestamp.ok_or(SignatureError::Missing("webhook-timestamp"))?;
    let signatures = signatures.ok_or(SignatureError::Missing("webhook-signature"))?;
    fresh(timestamp, now_s, tolerance_s)?;
    let expected = hmac(
        &key,
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    )?;
    let matched = signatures
        .split_whitespace()
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|sig| STANDARD.decode(sig).ok())
        .any(|sig| bool::from(sig.ct_eq(&expected)));
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Sign for Standard Webhooks (what a sender does; tests and tools use it).
pub fn sign_standard(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = STANDARD
        .decode(
            secret
                .trim()
                .strip_prefix("whsec_")
                .unwrap_or(secret.trim()),
        )
        .ok()?;
    let ts = timestamp.to_string();
    let mac = hmac(&key, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]).ok()?;
    Some(format!("v1,{}", STANDARD.encode(mac)))
}

/// Sign for Slack's v0 scheme (tests and tools).
pub fn sign_slack(secret: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let ts = timestamp.to_string();
    let mac = hmac(secret.as_bytes(), &[b"v0:", ts.as_bytes(), b":", body]).ok()?;
    Some(format!("v0={}", hex::encode(mac)))
}

/// Equal secrets, compared in constant time.
pub fn same_secret(given: &str, expected: &str) -> bool {
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}
