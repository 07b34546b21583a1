//! What the REST connectors share about HTTP: the wait a 429 asks for
//! (`Retry-After`, or HubSpot's `X-HubSpot-RateLimit-*` window) as the
//! [`ConnectorError::RateLimited`] the outbox waits out, and transport
//! errors without their URL (a query may carry a token). Reading an
//! answer with a bound on its size is `crate::wire`'s.

use super::ConnectorError;
use reqwest::header::HeaderMap;
use std::time::Duration;

/// `Retry-After` in seconds, as Slack, Google and HubSpot send it.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    header(headers, reqwest::header::RETRY_AFTER.as_str())?
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The wait a 429 asks for: `Retry-After`, else the rest of HubSpot's
/// rolling window (`X-HubSpot-RateLimit-Interval-Milliseconds` when
/// `X-HubSpot-RateLimit-Remaining` is spent), else `fallback`.
pub fn rate_limit_wait(headers: &HeaderMap, fallback: Duration) -> Duration {
    if let Some(wait) = retry_after(headers) {
        return wait;
    }
    let spent = header(headers, "x-hubspot-ratelimit-remaining").is_none_or(|r| r == "0");
    match header(headers, "x-hubspot-ratelimit-interval-milliseconds")
        .and_then(|ms| ms.parse::<u64>().ok())
    {
        Some(ms) if spent => Duration::from_millis(ms),
        _ => fallback,
    }
}

/// The error for a 429 that asked for `wait`.
pub fn rate_limited(wait: Duration) -> ConnectorError {
    ConnectorError::RateLimited {
        retry_after_ms: i64::try_from(wait.as_millis()).unwrap_or(i64::MAX),
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    Some(headers.get(name)?.to_str().ok()?.trim())
}

/// A transport error without its URL (which may carry a token in a query),
/// `peer` standing in for it.
pub fn without_url(e: &reqwest::Error, peer: &str) -> String {
    let mut s = e.to_string();
    if let Some(url) = e.url() {
        s = s.replace(url.as_str(), peer);
    }
    s
}

/// A client for a REST peer, with the house timeout.
/// The longest one request to a provider may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub fn client() -> Result<reqwest::Client, ConnectorError> {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(ConnectorError::Client)
}

/// `base` checked as an http(s) URL, without a trailing slash; `what`
/// names the setting in the error.
pub fn base_url(base: &str, what: &str) -> Result<String, ConnectorError> {
    let url = reqwest::Url::parse(base)
        .map_err(|e| ConnectorError::config_by(format!("{what} `{base}`"), e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConnectorError::config(format!(
            "{what} `{base}` must be http or https"
        )));
    }
    Ok(base.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("value"));
        }
        h
    }

    #[test]
    fn a_429_waits_as_long_as_the_peer_asks() {
        let fallback = Duration::from_secs(7);
        assert_eq!(
            rate_limit_wait(&headers(&[("retry-after", "12")]), fallback),
            Duration::from_secs(12)
        );
        let window = headers(&[
            ("x-hubspot-ratelimit-remaining", "0"),
            ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
        ]);
        assert_eq!(rate_limit_wait(&window, fallback), Duration::from_secs(10));
        let left = headers(&[
            ("x-hubspot-ratelimit-remaining", "40"),
            ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
        ]);
        assert_eq!(rate_limit_wait(&left, fallback), fallback);
        assert_eq!(rate_limit_wait(&HeaderMap::new(), fallback), fallback);
        assert_eq!(
            rate_limited(Duration::from_secs(3)).retry_after_ms(),
            Some(3000)
        );
    }
}
