//! Webhook signatures: Slack's v0 scheme and Standard Webhooks (Svix, used
//! by several providers and our generic webhook). Both are HMAC-SHA256 over
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
    // `abs_diff`: `now - ts` overflows for a timestamp near `i64::MIN`, and
    // its wrapped `abs()` passed such a timestamp as fresh.
    if now_s.abs_diff(ts) > tolerance_s.max(0).unsigned_abs() {
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

#[cfg(test)]
mod props {
    //! Property tests: any headers and body get a typed answer, a signature
    //! verifies only over the exact bytes it signed, and freshness is
    //! exact at every timestamp (256 cases each; `PROPTEST_CASES` raises it).

    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_763_900_000;
    const TOLERANCE: i64 = 300;
    const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// A timestamp near the window's edges, at the extremes of `i64`, or
    /// anywhere.
    fn timestamp() -> impl Strategy<Value = i64> {
        prop_oneof![
            (-2 * TOLERANCE..=2 * TOLERANCE).prop_map(|d| NOW + d),
            Just(i64::MIN),
            Just(i64::MAX),
            Just(NOW + i64::MIN),
            Just(NOW - i64::MAX),
            any::<i64>(),
        ]
    }

    #[test]
    fn a_timestamp_whose_distance_overflows_is_stale() {
        // `NOW - ts` is 2^63: it wrapped to `i64::MIN`, whose `abs()` is
        // negative, so the old check let it through.
        let ts = NOW + i64::MIN;
        let body = b"{}";
        let sig = sign_standard(WHSEC, "msg_1", ts, body).unwrap();
        let got = verify_standard(
            WHSEC,
            Some("msg_1"),
            Some(&ts.to_string()),
            Some(&sig),
            body,
            NOW,
            TOLERANCE,
        );
        assert_eq!(got, Err(SignatureError::Stale(TOLERANCE)));
        let sig = sign_slack("secret", ts, body).unwrap();
        let got = verify_slack(
            "secret",
            Some(&ts.to_string()),
            Some(&sig),
            body,
            NOW,
            TOLERANCE,
        );
        assert_eq!(got, Err(SignatureError::Stale(TOLERANCE)));
    }

    proptest! {
        #[test]
        fn any_headers_and_body_get_a_typed_answer(
            secret in "\\PC{0,40}",
            id in proptest::option::of("\\PC{0,20}"),
            ts in proptest::option::of("\\PC{0,20}"),
            sig in proptest::option::of("\\PC{0,120}"),
            body in prop::collection::vec(any::<u8>(), 0..256),
            now in any::<i64>(),
            tolerance in any::<i64>(),
        ) {
            let _ = verify_standard(&secret, id.as_deref(), ts.as_deref(), sig.as_deref(), &body, now, tolerance);
            let _ = verify_slack(&secret, ts.as_deref(), sig.as_deref(), &body, now, tolerance);
            let longer = format!("{secret}x");
            prop_assert!(!same_secret(&secret, &longer));
        }

        #[test]
        fn standard_signatures_verify_exactly_the_signed_bytes_in_the_window(
            id in "[a-zA-Z0-9_]{1,24}",
            ts in timestamp(),
            body in prop::collection::vec(any::<u8>(), 0..512),
            flip in any::<prop::sample::Index>(),
            other_entries in prop::collection::vec("v1,[A-Za-z0-9+/=]{0,44}|v2,x|\\PC{0,10}", 0..3),
        ) {
            let sig = sign_standard(WHSEC, &id, ts, &body).unwrap();
            // Rotation: the right entry may stand among others.
            let header = other_entries.iter().cloned().chain([sig]).collect::<Vec<_>>().join(" ");
            let ts_text = ts.to_string();
            let got = verify_standard(WHSEC, Some(&id), Some(&ts_text), Some(&header), &body, NOW, TOLERANCE);
            let fresh = NOW.abs_diff(ts) <= TOLERANCE as u64;
            prop_assert_eq!(got.clone(), if fresh { Ok(()) } else { Err(SignatureError::Stale(TOLERANCE)) });
            if fresh && !body.is_empty() {
                let mut tampered = body.clone();
                let at = flip.index(tampered.len());
                tampered[at] ^= 0x01;
                let got = verify_standard(WHSEC, Some(&id), Some(&ts_text), Some(&header), &tampered, NOW, TOLERANCE);
                prop_assert_eq!(got, Err(SignatureError::Mismatch));
            }
        }

        #[test]
        fn slack_signatures_verify_exactly_the_signed_bytes_in_the_window(
            secret in "[ -~]{1,40}",
            ts in timestamp(),
            body in prop::collection::vec(any::<u8>(), 1..512),
            flip in any::<prop::sample::Index>(),
        ) {
            prop_assume!(!secret.trim().is_empty());
            let sig = sign_slack(&secret, ts, &body).unwrap();
            let ts_text = ts.to_string();
            let got = verify_slack(&secret, Some(&ts_text), Some(&sig), &body, NOW, TOLERANCE);
            let fresh = NOW.abs_diff(ts) <= TOLERANCE as u64;
            prop_assert_eq!(got, if fresh { Ok(()) } else { Err(SignatureError::Stale(TOLERANCE)) });
            if fresh {
                let mut tampered = body.clone();
                let at = flip.index(tampered.len());
                tampered[at] ^= 0x80;
                let got = verify_slack(&secret, Some(&ts_text), Some(&sig), &tampered, NOW, TOLERANCE);
                prop_assert_eq!(got, Err(SignatureError::Mismatch));
            }
        }
    }
}
