//! A request's URL, its answer and its errors, shared by the component's
//! wasi:http client and the native [`crate::testing::FakeHost`]. A leaf.

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
