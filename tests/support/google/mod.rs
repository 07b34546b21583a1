//! A loopback Google: the OAuth 2.0 endpoints (consent that answers at once
//! for a chosen account, the token endpoint with PKCE and refresh), plus
//! Gmail's and Calendar's REST routes (`gmail.rs`, `calendar.rs`), speaking
//! the shapes Google documents — including its errors: 401 for an expired
//! or unknown access token, `invalid_grant` for a revoked refresh token.
//! Each runs on its own thread and runtime, on an ephemeral port.

mod calendar;
mod gmail;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use calendar::CalendarEvent;
pub use gmail::{GmailMessage, SendFault};

/// The client id and secret the fake expects.
pub const CLIENT_ID: &str = "baton-test.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "test-client-secret";

/// What the fake knows: grants, tokens, and each account's mail and
/// calendar.
#[derive(Default)]
pub struct Google {
    /// Who consents when the next rep is sent to the consent page.
    pub consenting: Option<String>,
    /// Scopes granted on consent (default: all asked for).
    pub granted_scopes: Option<String>,
    codes: HashMap<String, Code>,
    /// refresh token → account address.
    refresh: HashMap<String, String>,
    /// access token → (address, still valid).
    access: HashMap<String, (String, bool)>,
    /// Token requests by grant type, in order.
    pub token_requests: Vec<String>,
    /// API requests: method, path and query, in order.
    pub api_requests: Vec<String>,
    /// Gmail's state per mailbox.
    pub mail: HashMap<String, gmail::Mailbox>,
    /// Calendar's state per account.
    pub calendars: HashMap<String, calendar::Calendars>,
    /// Every access token expires as the next `events.insert` arrives
    /// (once), so the insert itself meets a 401 whatever else refreshed
    /// the token before it.
    pub expire_on_insert: bool,
    serial: u64,
}

struct Code {
    address: String,
    challenge: String,
    redirect_uri: String,
    scopes: String,
}

impl Google {
    fn mint(&mut self, prefix: &str) -> String {
        self.serial += 1;
        format!("{prefix}-{}-{}", self.serial, uuid::Uuid::new_v4().simple())
    }

    /// Issue an access token for `address` (as a refresh would).
    pub fn issue_access(&mut self, address: &str) -> String {
        let token = self.mint("ya29");
        self.access
            .insert(token.clone(), (address.to_owned(), true));
        token
    }

    /// Issue a refresh token for `address` (as a consent would).
    pub fn issue_refresh(&mut self, address: &str) -> String {
        let token = self.mint("1//refresh");
        self.refresh.insert(token.clone(), address.to_owned());
        token
    }

    /// Every token issued for `address` so far (access and refresh), to
    /// look for where none may appear (a log).
    pub fn tokens_of(&self, address: &str) -> Vec<String> {
        let access = self.access.iter().filter(|(_, (a, _))| a == address);
        let refresh = self.refresh.iter().filter(|(_, a)| *a == address);
        access
            .map(|(t, _)| t.clone())
            .chain(refresh.map(|(t, _)| t.clone()))
            .collect()
    }

    /// Every access token issued so far stops working (401), as after an
    /// hour.
    pub fn expire_access_tokens(&mut self) {
        for (_, valid) in self.access.values_mut() {
            *valid = false;
        }
    }

    /// The account's refresh tokens are revoked (`invalid_grant`), as when
    /// the rep removes baton's access in their Google account.
    pub fn revoke(&mut self, address: &str) {
        self.refresh.retain(|_, a| a != address);
        for (a, valid) in self.access.values_mut() {
            if a == address {
                *valid = false;
            }
        }
    }

    /// The account a bearer token belongs to, or Google's 401 (a response
    /// the handler returns as it is; boxing it would only add noise).
    #[allow(clippy::result_large_err)]
    pub(crate) fn bearer(&self, headers: &HeaderMap) -> Result<String, Response> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match token.and_then(|t| self.access.get(t)) {
            Some((address, true)) => Ok(address.clone()),
            _ => Err(google_error(
                StatusCode::UNAUTHORIZED,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                "UNAUTHENTICATED",
            )),
        }
    }
}

/// Google's JSON error body.
pub(crate) fn google_error(status: StatusCode, message: &str, reason: &str) -> Response {
    let body = json!({ "error": { "code": status.as_u16(), "message": message, "status": reason,
        "errors": [{ "message": message, "domain": "global", "reason": reason }] } });
    (status, Json(body)).into_response()
}

/// The shared state of a running fake.
pub type Shared = Arc<Mutex<Google>>;

/// A running loopback Google.
pub struct GooglePeer {
    pub url: String,
    state: Shared,
}

impl GooglePeer {
    /// Start on an ephemeral loopback port.
    pub fn start() -> GooglePeer {
        let state: Shared = Arc::default();
        let app = Router::new()
            .route("/o/oauth2/v2/auth", get(consent))
            .route("/token", post(token))
            .route("/oauth2/v3/userinfo", get(userinfo))
            .merge(gmail::routes())
            .merge(calendar::routes())
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                log_request,
            ))
            .with_state(state.clone());
        GooglePeer {
            url: crate::serve_on_thread(app),
            state,
        }
    }

    /// The fake's state, to arrange or inspect.
    pub fn state(&self) -> MutexGuard<'_, Google> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The environment `baton serve` needs to use this Google.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("BATON_GOOGLE_CLIENT_ID", CLIENT_ID.to_owned()),
            ("BATON_GOOGLE_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            (
                "BATON_GOOGLE_AUTH_URL",
                format!("{}/o/oauth2/v2/auth", self.url),
            ),
            ("BATON_GOOGLE_TOKEN_URL", format!("{}/token", self.url)),
            ("BATON_GOOGLE_API_URL", self.url.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }
}

async fn log_request(
    State(state): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Ok(mut s) = state.lock() {
        let uri = request.uri();
        let line = format!(
            "{} {}",
            request.method(),
            uri.path_and_query().map(|p| p.as_str()).unwrap_or("")
        );
        if uri.path() != "/token" {
            s.api_requests.push(line);
        }
    }
    next.run(request).await
}

/// The consent page: the configured account consents at once, and the
/// browser is sent back with a code (or `error=access_denied` when nobody
/// is set to consent).
async fn consent(
    State(state): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let (Some(redirect), Some(st)) = (q.get("redirect_uri"), q.get("state")) else {
        return (
            StatusCode::BAD_REQUEST,
            "redirect_uri and state are required",
        )
            .into_response();
    };
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || q.get("response_type").map(String::as_str) != Some("code")
        || q.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return (StatusCode::BAD_REQUEST, "Error 400: invalid_request").into_response();
    }
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let Some(address) = g.consenting.clone() else {
        return Redirect::to(&format!("{redirect}{sep}error=access_denied&state={st}"))
            .into_response();
    };
    let code = g.mint("4/code");
    let scopes = g
        .granted_scopes
        .clone()
        .unwrap_or_else(|| q.get("scope").cloned().unwrap_or_default());
    g.codes.insert(
        code.clone(),
        Code {
            address,
            challenge: q.get("code_challenge").cloned().unwrap_or_default(),
            redirect_uri: redirect.clone(),
            scopes,
        },
    );
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    Redirect::to(&format!(
        "{redirect}{sep}code={}&state={}&scope=",
        enc(&code),
        enc(st)
    ))
    .into_response()
}

fn token_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The token endpoint: `authorization_code` (with the PKCE verifier) and
/// `refresh_token` grants; the client authenticates in the body.
async fn token(State(state): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let grant = f.get("grant_type").cloned().unwrap_or_default();
    g.token_requests.push(grant.clone());
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || f.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client", "error_description": "The OAuth client was not found." })),
        )
            .into_response();
    }
    match grant.as_str() {
        "authorization_code" => {
            let Some(code) = f.get("code").and_then(|c| g.codes.remove(c)) else {
                return token_error("invalid_grant", "Malformed auth code.");
            };
            let verifier = f.get("code_verifier").cloned().unwrap_or_default();
            let digest = sha256(verifier.as_bytes());
            let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
            if challenge != code.challenge {
                return token_error("invalid_grant", "Invalid code verifier.");
            }
            if f.get("redirect_uri") != Some(&code.redirect_uri) {
                return token_error("redirect_uri_mismatch", "Bad Request");
            }
            let access = g.issue_access(&code.address);
            let refresh = g.issue_refresh(&code.address);
            Json(
                json!({ "access_token": access, "expires_in": 3599, "refresh_token": refresh,
                "scope": code.scopes, "token_type": "Bearer" }),
            )
            .into_response()
        }
        "refresh_token" => {
            let Some(address) = f
                .get("refresh_token")
                .and_then(|r| g.refresh.get(r))
                .cloned()
            else {
                return token_error("invalid_grant", "Token has been expired or revoked.");
            };
            let access = g.issue_access(&address);
            Json(json!({ "access_token": access, "expires_in": 3599, "token_type": "Bearer" }))
                .into_response()
        }
        _ => token_error("unsupported_grant_type", "Invalid grant_type."),
    }
}

/// OpenID userinfo: who the bearer is.
async fn userinfo(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let g = state.lock().unwrap_or_else(|e| e.into_inner());
    match g.bearer(&headers) {
        Ok(address) => Json(
            json!({ "sub": format!("sub-{address}"), "email": address, "email_verified": true }),
        )
        .into_response(),
        Err(e) => e,
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
