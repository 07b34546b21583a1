//! The outbound HTTP policy: a request leaves only for a host (and port) the
//! skill holds an `http:` capability for; any other is refused with
//! `HttpRequestDenied` and recorded. A granted request to a host the
//! operator (or the org) keeps a provider key for gets the key's header set
//! here, at the boundary, replacing any the skill set: the skill never sees
//! the key.
//!
//! The hooks own their state (the skill, its grants, a handle to the audit),
//! prepared per call beside the store data: they run in a borrow of their
//! own and never reach into the store data or another import.

use super::Grant;
use crate::audit::SharedAudit;
use crate::call::ProviderKeys;
use crate::capability::{Capability, CapabilitySet};
use std::sync::Arc;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// Hooks consulted by `wasi:http/outgoing-handler.handle`.
pub(crate) struct HttpPolicy {
    pub(crate) skill: Arc<str>,
    pub(crate) caps: Arc<CapabilitySet>,
    pub(crate) audit: SharedAudit,
    /// The call's provider keys, if any are lent.
    pub(crate) keys: Option<Arc<dyn ProviderKeys>>,
}

impl HttpPolicy {
    fn grant(&self) -> Grant<'_> {
        Grant {
            skill: &self.skill,
            caps: &self.caps,
            audit: &self.audit,
        }
    }
}

type Sent = Box<
    dyn Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn Future<Output = Result<(), Error>> + Send>,
                ),
                Error,
            >,
        > + Send,
>;

impl WasiHttpHooks for HttpPolicy {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), Error>> + Send>,
    ) -> Sent {
        let uri = request.uri();
        let host = uri.host().unwrap_or_default().to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
            Some("http") => 80,
            _ => 443,
        });
        let wanted = Capability::Http {
            host: host.clone(),
            port: Some(port),
        };
        if self.grant().check(&wanted).is_err() {
            return Box::new(async { Err(Error::HttpRequestDenied) });
        }
        drop(fut);
        // A key travels only where it cannot be read on the way: over TLS,
        // or to this machine (a provider on loopback).
        let private = uri.scheme_str() == Some("https") || is_loopback(&host);
        let keys = self.keys.clone().filter(|_| private);
        let skill = self.skill.clone();
        let to = crate::KeyTarget {
            scheme: uri.scheme_str().unwrap_or("https").to_ascii_lowercase(),
            host,
            port,
            path: uri.path().to_owned(),
        };
        let mut request = request;
        Box::new(async move {
            use http_body_util::BodyExt;
            if let Some(keys) = keys
                && let Some(key) = keys.header_for(&skill, &to).await
            {
                set_key(&mut request, &key)?;
            }
            let (res, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                res.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = Result<(), Error>> + Send>,
            ))
        })
    }
}

/// Whether `host` names this machine.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare == "localhost"
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Set a provider key's header on `request`, replacing any of that name.
fn set_key(
    request: &mut http::Request<WasiBody>,
    key: &crate::call::InjectedHeader,
) -> Result<(), Error> {
    let name = http::HeaderName::from_bytes(key.name.as_bytes()).map_err(|_| {
        Error::InternalError(Some("a provider key's header name is not valid".into()))
    })?;
    let mut value = http::HeaderValue::from_str(&key.value).map_err(|_| {
        Error::InternalError(Some(
            "a provider key's value is not a valid header value".into(),
        ))
    })?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_is_loopback() {
        for host in ["localhost", "127.0.0.1", "127.8.0.1", "[::1]", "::1"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "api.apollo.io",
            "10.0.0.1",
            "localhost.evil.example",
            "[::2]",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
