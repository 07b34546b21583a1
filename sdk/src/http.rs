//! Outbound HTTP for skills (GET, and POST for lookups that take a body),
//! through the standard `wasi:http/outgoing-handler` import.
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

pub use crate::url::{HttpError, MAX_BODY_BYTES, Response, Url};

/// Default deadline for connecting, the first byte, and between bytes.
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;

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

/// POST `body` as JSON to `url`, expecting a 2xx JSON answer; the same
/// deadlines as [`get`]. For a provider whose lookups take a body (a
/// search, an actor run that returns what it read), never for a change in
/// another system: a change is an effect the host carries out after
/// approval.
pub fn post_json(url: &str, body: &Value, timeout_ms: u32) -> Result<Value, HttpError> {
    let url = Url::parse(url)?;
    let r = imp::post(&url, body, timeout_ms)?;
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
        ErrorCode, Fields, IncomingBody, Method, OutgoingBody, OutgoingRequest, RequestOptions,
        Scheme,
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

    pub(super) fn get(url: &Url, timeout_ms: u32) -> Result<Response, HttpError> {
        send(url, None, timeout_ms)
    }

    pub(super) fn post(
        url: &Url,
        body: &serde_json::Value,
        timeout_ms: u32,
    ) -> Result<Response, HttpError> {
        let bytes = serde_json::to_vec(body).map_err(|e| HttpError::Body(e.to_string()))?;
        send(url, Some(&bytes), timeout_ms)
    }

    /// A GET, or a POST of `body` (JSON).
    fn send(url: &Url, body: Option<&[u8]>, timeout_ms: u32) -> Result<Response, HttpError> {
        let transport = |m: &str| HttpError::Transport(m.to_owned());
        let mut fields = vec![("accept".to_owned(), b"application/json".to_vec())];
        if body.is_some() {
            fields.push(("content-type".to_owned(), b"application/json".to_vec()));
        }
        let headers = Fields::from_list(&fields)
            .map_err(|e| HttpError::Transport(format!("headers: {e:?}")))?;
        let req = OutgoingRequest::new(headers);
        let method = if body.is_some() {
            Method::Post
        } else {
            Method::Get
        };
        req.set_method(&method).map_err(|()| transport("method"))?;
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
        let outgoing = match body {
            Some(_) => Some(req.body().map_err(|()| transport("request body taken"))?),
            None => None,
        };
        let pending = outgoing_handler::handle(req, Some(options)).map_err(error)?;
        if let (Some(out), Some(bytes)) = (outgoing, body) {
            {
                let stream = out
                    .write()
                    .map_err(|()| transport("request stream taken"))?;
                for chunk in bytes.chunks(4096) {
                    stream
                        .blocking_write_and_flush(chunk)
                        .map_err(|e| HttpError::Transport(format!("sending the body: {e:?}")))?;
                }
            }
            OutgoingBody::finish(out, None).map_err(error)?;
        }
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

    pub(super) fn get(url: &Url, _timeout_ms: u32) -> Result<Response, HttpError> {
        with_host(|h| h.http_get(url))
    }

    pub(super) fn post(
        url: &Url,
        body: &serde_json::Value,
        _timeout_ms: u32,
    ) -> Result<Response, HttpError> {
        with_host(|h| h.http_post(url, body))
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
