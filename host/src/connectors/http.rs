//! What the REST connectors share about HTTP: the wait a 429 asks for
//! (`Retry-After`, or HubSpot's `X-HubSpot-RateLimit-*` window) as the
//! [`ConnectorError::RateLimited`] the outbox waits out, and transport
//! errors without their URL (a query may carry a token), and reading an
//! answer with a bound on its size.

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
pub fn client() -> Result<reqwest::Client, ConnectorError> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| ConnectorError::Config(e.to_string()))
}

/// The most of one provider answer read into memory: a calendar window, a
/// page of mail or an LLM completion is far less. A larger answer is
/// refused once the limit is passed, never buffered whole.
pub const MAX_ANSWER_BYTES: usize = 16 << 20;

/// Why an answer's body could not be had.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Past [`MAX_ANSWER_BYTES`] (or the caller's limit).
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    /// The connection failed while the body was read.
    #[error("the answer could not be read: {0}")]
    Read(String),
    /// The body is not the JSON the caller reads.
    #[error("the answer is not JSON: {0}")]
    NotJson(String),
}

impl AnswerError {
    /// Whether reading again later may succeed (a connection that broke,
    /// not an answer that is too large or malformed).
    pub fn retriable(&self) -> bool {
        matches!(self, AnswerError::Read(_))
    }
}

/// `response`'s body, at most `limit` bytes: a `Content-Length` past it is
/// refused before any of the body is read, and a body that streams past it
/// is dropped at the limit.
pub async fn body(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, AnswerError> {
    use http_body_util::BodyExt;
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(AnswerError::TooLarge(limit));
    }
    let limited = http_body_util::Limited::new(reqwest::Body::from(response), limit);
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes().to_vec()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(AnswerError::TooLarge(limit)),
        Err(e) => Err(AnswerError::Read(match e.downcast::<reqwest::Error>() {
            Ok(e) => e.without_url().to_string(),
            Err(e) => e.to_string(),
        })),
    }
}

/// `response`'s body as text (invalid UTF-8 replaced), at most
/// [`MAX_ANSWER_BYTES`].
pub async fn text(response: reqwest::Response) -> Result<String, AnswerError> {
    let bytes = body(response, MAX_ANSWER_BYTES).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `response`'s body as JSON, at most [`MAX_ANSWER_BYTES`].
pub async fn json(response: reqwest::Response) -> Result<serde_json::Value, AnswerError> {
    let bytes = body(response, MAX_ANSWER_BYTES).await?;
    serde_json::from_slice(&bytes).map_err(|e| AnswerError::NotJson(e.to_string()))
}

/// `base` checked as an http(s) URL, without a trailing slash; `what`
/// names the setting in the error.
pub fn base_url(base: &str, what: &str) -> Result<String, ConnectorError> {
    let url = reqwest::Url::parse(base)
        .map_err(|e| ConnectorError::Config(format!("{what} `{base}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConnectorError::Config(format!(
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
