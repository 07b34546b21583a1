//! Outbound HTTP GET for skills, through the standard
//! `wasi:http/outgoing-handler` import.
//!
//! A request leaves only for a host the skill holds an `http:<host>` or
//! `http:<host>:<port>` capability for; any other is refused by the host and
//! comes back as [`HttpError::Denied`]. A skill that learns where a provider
//! lives only at run time (from a tier-3 context) declares `http:*` — "the
//! hosts the operator grants" — and the operator grants the concrete host.
//!
//! Skills never hold credentials: send no API key from a skill. The helpers
//! return errors rather than panicking on anything the peer sends, so a skill
//! can degrade (say why, use what it has) instead of failing.
//!
//! Natively (unit tests) the request goes to the thread's
//! [`crate::testing::FakeHost`], which answers from [`FakeHost::http`]
//! (crate::testing::FakeHost::http) and checks the capability the way the
//! real host does.

use serde_json::Value;

/// Default deadline for connecting, the first byte, and between bytes.
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;

/// Largest response body read; a longer one is [`HttpError::TooLarge`].
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Why a request produced no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The URL is not `http://host[:port]/path` or `https://…`.
    InvalidUrl(String),
    /// The host refused the request: no `http:` capability covers the host.
    Denied(String),
    /// The peer did not answer in time.
    Timeout,
    /// Connecting or reading failed (refused, reset, DNS, TLS, …).
    Transport(String),
    /// The peer answered with a status outside 2xx.
    Status(u16),
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge,
    /// The body is not what was asked for (e.g. not JSON).
    Body(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::InvalidUrl(m) => write!(f, "invalid URL: {m}"),
            HttpError::Denied(m) => write!(f, "denied: {m}"),
            HttpError::Timeout => f.write_str("timed out"),
            HttpError::Transport(m) => write!(f, "transport error: {m}"),
            HttpError::Status(s) => write!(f, "answered HTTP {s}"),
            HttpError::TooLarge => write!(f, "answer larger than {MAX_BODY_BYTES} bytes"),
            HttpError::Body(m) => write!(f, "unusable answer: {m}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// A response: the status and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A parsed `http(s)://authority/path?query` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `true` for `https`.
    pub https: bool,
    /// Lower-cased host name or IP (no brackets for IPv6 are supported).
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// Path and query, starting with `/`.
    pub path_and_query: String,
}

impl Url {
    /// Parse an absolute `http://` or `https://` URL. User info (`user@`)
    /// and fragments are refused: they have no place in a provider URL.
    pub fn parse(url: &str) -> Result<Url, HttpError> {
        let bad = |why: &str| HttpError::InvalidUrl(why.to_owned());
        let url = url.trim();
        let (https, rest) = if let Some(r) = strip_prefix_ci(url, "http://") {
            (false, r)
        } else if let Some(r) = strip_prefix_ci(url, "https://") {
            (true, r)
        } else {
            return Err(bad("the scheme must be http or https"));
        };
        if rest.contains('#') {
            return Err(bad("a fragment is not allowed"));
        }
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(split);
        if authority.contains('@') {
            return Err(bad("user info is not allowed"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                Some(
                    p.parse::<u16>()
                        .map_err(|_| bad("the port is not a number"))?,
                ),
            ),
            None => (authority, None),
        };
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !valid {
            return Err(bad("the host is missing or malformed"));
        }
        let path_and_query = match path {
            "" => "/".to_owned(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_owned(),
        };
        if path_and_query
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(bad("the path holds spaces or control characters"));
        }
        Ok(Url {
            https,
            host: host.to_ascii_lowercase(),
            port,
            path_and_query,
        })
    }

    /// The port the request goes to (the scheme's default when none is given).
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }

    /// `host` or `host:port`, as sent in the request.
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// The capability an operator grants for this URL: `http:<host>:<port>`.
    pub fn capability(&self) -> String {
        format!("http:{}:{}", self.host, self.effective_port())
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// `url` with `pairs` appended as a percent-encoded query string.
pub fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = url.to_owned();
    for (k, v) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// Percent-encode everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GET `url`, waiting at most `timeout_ms` to connect, for the first byte
/// and between bytes. Any status is returned; only transport failures,
/// denials and oversized bodies are errors.
pub fn get(url: &str, timeout_ms: u32) -> Result<Response, HttpError> {
    let url = Url::parse(url)?;
    imp::get(&url, timeout_ms)
}

/// GET `url` expecting a 2xx JSON answer.
pub fn get_json(url: &str, timeout_ms: u32) -> Result<Value, HttpError> {
    let r = get(url, timeout_ms)?;
    if !(200..300).contains(&r.status) {
        return Err(HttpError::Status(r.status));
    }
    serde_json::from_slice(&r.body).map_err(|e| HttpError::Body(format!("not JSON: {e}")))
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{HttpError, MAX_BODY_BYTES, Response, Url};
    use wasi::http::outgoing_handler;
    use wasi::http::types::{
        ErrorCode, Fields, IncomingBody, Method, OutgoingRequest, RequestOptions, Scheme,
    };
    use wasi::io::streams::StreamError;

    fn error(e: ErrorCode) -> HttpError {
        match e {
            ErrorCode::HttpRequestDenied => {
                HttpError::Denied("the host refused the request (no `http:` grant)".into())
            }
            ErrorCode::ConnectionTimeout
            | ErrorCode::ConnectionReadTimeout
            | ErrorCode::ConnectionWriteTimeout
            | ErrorCode::HttpResponseTimeout
            | ErrorCode::DnsTimeout => HttpError::Timeout,
            other => HttpError::Transport(format!("{other:?}")),
        }
    }

    pub fn get(url: &Url, timeout_ms: u32) -> Result<Response, HttpError> {
        let transport = |m: &str| HttpError::Transport(m.to_owned());
        let headers = Fields::from_list(&[("accept".to_owned(), b"application/json".to_vec())])
            .map_err(|e| HttpError::Transport(format!("headers: {e:?}")))?;
        let req = OutgoingRequest::new(headers);
        req.set_method(&Method::Get)
            .map_err(|()| transport("method"))?;
        req.set_scheme(Some(if url.https {
            &Scheme::Https
        } else {
            &Scheme::Http
        }))
        .map_err(|()| transport("scheme"))?;
        req.set_authority(Some(&url.authority()))
            .map_err(|()| HttpError::InvalidUrl("authority".into()))?;
        req.set_path_with_query(Some(&url.path_and_query))
            .map_err(|()| HttpError::InvalidUrl("path".into()))?;
        let options = RequestOptions::new();
        let ns = Some(u64::from(timeout_ms) * 1_000_000);
        // A host that does not support a timeout keeps its own default.
        let _ = options.set_connect_timeout(ns);
        let _ = options.set_first_byte_timeout(ns);
        let _ = options.set_between_bytes_timeout(ns);
        let pending = outgoing_handler::handle(req, Some(options)).map_err(error)?;
        pending.subscribe().block();
        let response = pending
            .get()
            .ok_or_else(|| transport("no response"))?
            .map_err(|()| transport("response taken twice"))?
            .map_err(error)?;
        let status = response.status();
        let body = response.consume().map_err(|()| transport("body taken"))?;
        let stream = body.stream().map_err(|()| transport("body stream taken"))?;
        let mut buf = Vec::new();
        loop {
            match stream.blocking_read(64 * 1024) {
                Ok(chunk) => {
                    buf.extend_from_slice(&chunk);
                    if buf.len() > MAX_BODY_BYTES {
                        return Err(HttpError::TooLarge);
                    }
                }
                Err(StreamError::Closed) => break,
                Err(StreamError::LastOperationFailed(e)) => {
                    return Err(HttpError::Transport(e.to_debug_string()));
                }
            }
        }
        drop(stream);
        drop(IncomingBody::finish(body));
        Ok(Response { status, body: buf })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::{HttpError, Response, Url};
    use crate::testing::with_host;

    pub fn get(url: &Url, _timeout_ms: u32) -> Result<Response, HttpError> {
        with_host(|h| h.http_get(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_provider_urls() {
        let u = Url::parse("http://127.0.0.1:8080/v1/people/match?x=1").expect("parses");
        assert_eq!(u.host, "127.0.0.1");
        assert_eq!(u.port, Some(8080));
        assert_eq!(u.path_and_query, "/v1/people/match?x=1");
        assert_eq!(u.capability(), "http:127.0.0.1:8080");
        let u = Url::parse("HTTPS://API.Example.com").expect("parses");
        assert_eq!(
            (u.host.as_str(), u.effective_port()),
            ("api.example.com", 443)
        );
        assert_eq!(u.path_and_query, "/");
        assert_eq!(u.authority(), "api.example.com");
    }

    #[test]
    fn refuses_what_a_provider_url_never_needs() {
        for bad in [
            "ftp://x/",
            "http://",
            "http://user:pw@host/",
            "http://host:99999/",
            "http://host/a b",
            "http://host/#frag",
            "//host/",
        ] {
            assert!(
                matches!(Url::parse(bad), Err(HttpError::InvalidUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            with_query(
                "http://h/p",
                &[("email", "a.b+c@x.example"), ("name", "Ana Ruiz")]
            ),
            "http://h/p?email=a.b%2Bc%40x.example&name=Ana%20Ruiz"
        );
        assert_eq!(
            with_query("http://h/p?k=1", &[("a", "b")]),
            "http://h/p?k=1&a=b"
        );
    }
}
