//! What keeps another site out of the inbox and the public pages:
//! a form posted from elsewhere is refused before it is read (the
//! `Origin` a browser sends must be this service's, and a browser that
//! says the request is cross-site is believed), and every page is sent
//! with headers that keep it out of frames, out of caches and from being
//! read as another type. `SameSite=Strict` on the session cookie stays
//! the first line; this is the second.

use crate::App;
use crate::problem::Problem;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The pages' Content-Security-Policy: their own inline style and script
/// only (no external loads), forms posted only here, never framed.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Refuse a request that changes something (any method but GET and HEAD)
/// when it comes from another site, then add the page headers.
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let safe = matches!(request.method().as_str(), "GET" | "HEAD");
    if !safe && let Err(why) = same_site(&app, request.headers()) {
        return with_page_headers(Problem::forbidden(why).into_response());
    }
    with_page_headers(next.run(request).await)
}

/// Only the page headers (pages that take no forms, such as a
/// shared document).
pub async fn headers(request: Request, next: Next) -> Response {
    with_page_headers(next.run(request).await)
}

/// Add the page headers a handler did not set itself (a shared document
/// sets a stricter referrer policy of its own).
fn with_page_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    let headers = [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in headers {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// `Ok` unless the browser says the request comes from another site: an
/// `Origin` that is neither the host the request was sent to nor the
/// service's public URL (an opaque `null` included), or `Sec-Fetch-Site:
/// cross-site`. A client that sends neither (a script, curl) is not a
/// browser another site can drive.
fn same_site(app: &App, headers: &HeaderMap) -> Result<(), String> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text("origin") {
        let host = text("host").map(|h| h.to_ascii_lowercase());
        let ours = app
            .settings
            .public_url
            .as_deref()
            .and_then(|u| reqwest::Url::parse(u).ok())
            .map(|u| u.origin().ascii_serialization());
        let from = origin.trim_end_matches('/').to_ascii_lowercase();
        let to_host = host.is_some_and(|h| {
            from.strip_prefix("http://")
                .or_else(|| from.strip_prefix("https://"))
                == Some(h.as_str())
        });
        if to_host || ours.is_some_and(|o| o == from) {
            return Ok(());
        }
        return Err(format!(
            "refused: this form was sent from another site ({}); open the inbox and try again",
            origin.escape_debug()
        ));
    }
    if text("sec-fetch-site") == Some("cross-site") {
        return Err(
            "refused: this form was sent from another site; open the inbox and try again".into(),
        );
    }
    Ok(())
}
