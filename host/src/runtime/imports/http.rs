//! The outbound HTTP policy: a request leaves only for a host (and port) the
//! skill holds an `http:` capability for; any other is refused with
//! `HttpRequestDenied` and recorded.
//!
//! The hooks own their state (the skill, its grants, a handle to the audit),
//! prepared per call beside the store data: they run in a borrow of their
//! own and never reach into the store data or another import.

use super::Grant;
use crate::runtime::audit::SharedAudit;
use crate::runtime::capability::{Capability, CapabilitySet};
use std::sync::Arc;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// Hooks consulted by `wasi:http/outgoing-handler.handle`.
pub(crate) struct HttpPolicy {
    pub(crate) skill: Arc<str>,
    pub(crate) caps: Arc<CapabilitySet>,
    pub(crate) audit: SharedAudit,
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
            host,
            port: Some(port),
        };
        if self.grant().check(&wanted).is_err() {
            return Box::new(async { Err(Error::HttpRequestDenied) });
        }
        drop(fut);
        Box::new(async move {
            use http_body_util::BodyExt;
            let (res, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                res.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = Result<(), Error>> + Send>,
            ))
        })
    }
}
