//! A loopback Microsoft 365: the identity platform's v2.0 endpoints
//! (`/common/oauth2/v2.0/authorize`, consent that answers at once for a
//! chosen account, and `/token` with PKCE, refresh tokens that rotate on
//! every refresh, and `invalid_grant` with an `AADSTS` description once
//! revoked) and the Graph routes baton uses: `GET /v1.0/me`,
//! `POST /v1.0/me/sendMail` (the MIME message, base64, as `text/plain`;
//! 202 with no body) and `GET /v1.0/me/mailFolders/SentItems/messages`
//! with an `internetMessageId eq '…'` filter. Errors in Graph's shape:
//! `{"error": {"code", "message"}}`, 401 `InvalidAuthenticationToken`,
//! 429 `TooManyRequests` with `Retry-After`.

use axum::body::Bytes;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

/// The app registration's id and secret the fake expects.
pub const CLIENT_ID: &str = "5f1c2f0e-baton-test";
pub const CLIENT_SECRET: &str = "test-microsoft-secret";

/// A fault a `sendMail` meets.
#[derive(Debug, Clone, Copy)]
pub enum SendFault {
    /// 429 `TooManyRequests` with `Retry-After` (s); nothing is sent.
    RateLimited(u64),
    /// The message is sent, but the answer is lost (a 504).
    LostAnswer,
}

/// A message in a mailbox's Sent Items.
#[derive(Debug, Clone)]
pub struct SentMessage {
    pub id: String,
    pub internet_message_id: String,
    /// The MIME message as sent.
    pub mime: Vec<u8>,
}

/// What the fake knows: grants, tokens, and each mailbox's Sent Items.
#[derive(Default)]
pub struct Microsoft {
    /// Who consents when the next rep is sent to the consent page.
    pub consenting: Option<String>,
    codes: HashMap<String, (String, String, String, String)>,
    /// refresh token → address.
    refresh: HashMap<String, String>,
    /// access token → (address, still valid).
    access: HashMap<String, (String, bool)>,
    /// Token requests by grant type, in order.
    pub token_requests: Vec<String>,
    /// Graph requests: method and path, in order.
    pub api_requests: Vec<String>,
    /// Sent Items per address.
    pub sent: HashMap<String, Vec<SentMessage>>,
    /// What the next `sendMail` calls meet, first first.
    pub send_faults: VecDeque<SendFault>,
    serial: u64,
}

impl Microsoft {
    fn mint(&mut self, prefix: &str) -> String {
        self.serial += 1;
        format!("{prefix}.{}.{}", self.serial, uuid::Uuid::new_v4().simple())
    }

    /// Every access token issued so far stops working (401).
    pub fn expire_access_tokens(&mut self) {
        for (_, valid) in self.access.values_mut() {
            *valid = false;
        }
    }

    /// The rep removed the app's access: refresh tokens are refused.
    pub fn revoke(&mut self, address: &str) {
        self.refresh.retain(|_, a| a != address);
        for (a, valid) in self.access.values_mut() {
            if a == address {
                *valid = false;
            }
        }
    }

    /// Every token issued for `address` (to look for where none may be).
    pub fn tokens_of(&self, address: &str) -> Vec<String> {
        let access = self.access.iter().filter(|(_, (a, _))| a == address);
        let refresh = self.refresh.iter().filter(|(_, a)| *a == address);
        access
            .map(|(t, _)| t.clone())
            .chain(refresh.map(|(t, _)| t.clone()))
            .collect()
    }

    #[allow(clippy::result_large_err)]
    fn bearer(&self, headers: &HeaderMap) -> Result<String, Response> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match token.and_then(|t| self.access.get(t)) {
            Some((address, true)) => Ok(address.clone()),
            _ => Err(graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )),
        }
    }
}

/// Graph's JSON error body.
fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code, "message": message,
        "innerError": { "request-id": uuid::Uuid::new_v4().to_string() } } });
    (status, Json(body)).into_response()
}

type Shared = Arc<Mutex<Microsoft>>;

/// A running loopback Microsoft 365.
pub struct MicrosoftPeer {
    pub url: String,
    state: Shared,
}

impl MicrosoftPeer {
    /// Start on an ephemeral loopback port.
    pub fn start() -> MicrosoftPeer {
        let state: Shared = Arc::default();
        let app = Router::new()
            .route("/common/oauth2/v2.0/authorize", get(consent))
            .route("/common/oauth2/v2.0/token", post(token))
            .route("/v1.0/me", get(me))
            .route("/v1.0/me/sendMail", post(send_mail))
            .route("/v1.0/me/mailFolders/SentItems/messages", get(sent_items))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                log_request,
            ))
            .with_state(state.clone());
        MicrosoftPeer {
            url: crate::serve_on_thread(app),
            state,
        }
    }

    /// The fake's state, to arrange or inspect.
    pub fn state(&self) -> MutexGuard<'_, Microsoft> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The environment `baton serve` needs to use this Microsoft.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("BATON_MICROSOFT_CLIENT_ID", CLIENT_ID.to_owned()),
            ("BATON_MICROSOFT_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            (
                "BATON_MICROSOFT_AUTH_URL",
                format!("{}/common/oauth2/v2.0/authorize", self.url),
            ),
            (
                "BATON_MICROSOFT_TOKEN_URL",
                format!("{}/common/oauth2/v2.0/token", self.url),
            ),
            ("BATON_MICROSOFT_GRAPH_URL", self.url.clone()),
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
    if let Ok(mut s) = state.lock()
        && request.uri().path().starts_with("/v1.0/")
    {
        let line = format!("{} {}", request.method(), request.uri().path());
        s.api_requests.push(line);
    }
    next.run(request).await
}

/// The consent page: the configured account consents at once (or the
/// browser comes back with `error=access_denied`).
async fn consent(
    State(state): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut m = state.lock().unwrap_or_else(|e| e.into_inner());
    let (Some(redirect), Some(st)) = (q.get("redirect_uri"), q.get("state")) else {
        return (
            StatusCode::BAD_REQUEST,
            "AADSTS900144: redirect_uri and state",
        )
            .into_response();
    };
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || q.get("response_type").map(String::as_str) != Some("code")
        || q.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return (StatusCode::BAD_REQUEST, "AADSTS90014: invalid_request").into_response();
    }
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let Some(address) = m.consenting.clone() else {
        return Redirect::to(&format!(
            "{redirect}?error=access_denied&error_description={}&state={}",
            enc("AADSTS65004: User declined to consent to access the app."),
            enc(st)
        ))
        .into_response();
    };
    let code = m.mint("M.C5");
    let scopes = q.get("scope").cloned().unwrap_or_default();
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    m.codes
        .insert(code.clone(), (address, challenge, redirect.clone(), scopes));
    Redirect::to(&format!(
        "{redirect}?code={}&state={}&session_state={}",
        enc(&code),
        enc(st),
        uuid::Uuid::new_v4()
    ))
    .into_response()
}

fn token_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description,
            "error_codes": [70000], "trace_id": uuid::Uuid::new_v4().to_string() })),
    )
        .into_response()
}

/// The granted scopes as the identity platform reports them: the Graph
/// permissions without `offline_access`.
fn granted(scopes: &str) -> String {
    scopes
        .split_whitespace()
        .filter(|s| *s != "offline_access")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The token endpoint: `authorization_code` (with the PKCE verifier) and
/// `refresh_token` (which rotates the refresh token).
async fn token(State(state): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut m = state.lock().unwrap_or_else(|e| e.into_inner());
    let grant = f.get("grant_type").cloned().unwrap_or_default();
    m.token_requests.push(grant.clone());
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || f.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided." })),
        )
            .into_response();
    }
    let (address, scopes) = match grant.as_str() {
        "authorization_code" => {
            let Some((address, challenge, redirect, scopes)) =
                f.get("code").and_then(|c| m.codes.remove(c))
            else {
                return token_error(
                    "invalid_grant",
                    "AADSTS70008: The provided authorization code or refresh token has expired.",
                );
            };
            let verifier = f.get("code_verifier").cloned().unwrap_or_default();
            let digest = {
                use sha2::Digest;
                sha2::Sha256::digest(verifier.as_bytes())
            };
            if base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) != challenge {
                return token_error(
                    "invalid_grant",
                    "AADSTS501481: The Code_Verifier does not match the code_challenge.",
                );
            }
            if f.get("redirect_uri") != Some(&redirect) {
                return token_error(
                    "invalid_grant",
                    "AADSTS50148: The redirect_uri does not match.",
                );
            }
            (address, granted(&scopes))
        }
        "refresh_token" => {
            let Some(address) = f
                .get("refresh_token")
                .and_then(|r| m.refresh.get(r))
                .cloned()
            else {
                return token_error(
                    "invalid_grant",
                    "AADSTS700082: The refresh token has expired due to inactivity.",
                );
            };
            (address, "User.Read Mail.Send Mail.ReadBasic".to_owned())
        }
        _ => return token_error("unsupported_grant_type", "AADSTS70003"),
    };
    let access = m.mint("eyJ0eXAi");
    m.access.insert(access.clone(), (address.clone(), true));
    let refresh = m.mint("M.R3");
    m.refresh.insert(refresh.clone(), address);
    Json(
        json!({ "token_type": "Bearer", "scope": scopes, "expires_in": 3599,
        "ext_expires_in": 3599, "access_token": access, "refresh_token": refresh }),
    )
    .into_response()
}

/// Graph's `/me`.
async fn me(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let m = state.lock().unwrap_or_else(|e| e.into_inner());
    match m.bearer(&headers) {
        Ok(address) => Json(json!({ "id": format!("id-{address}"), "displayName": "Rep",
            "mail": address, "userPrincipalName": address }))
        .into_response(),
        Err(e) => e,
    }
}

/// The MIME message's `Message-ID`.
fn message_id(mime: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(mime);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    head.split("\r\n").find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("message-id")
            .then(|| v.trim().to_owned())
    })
}

/// `sendMail` in MIME: a base64 body of `Content-Type: text/plain`.
async fn send_mail(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut m = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match m.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let fault = m.send_faults.pop_front();
    if let Some(SendFault::RateLimited(secs)) = fault {
        let mut r = graph_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Application is over its MailboxConcurrency limit.",
        );
        r.headers_mut()
            .insert("retry-after", secs.to_string().parse().expect("a header"));
        return r;
    }
    let mime_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !mime_type.starts_with("text/plain") {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRequest",
            "this fake takes the MIME form of sendMail only",
        );
    }
    let Some(mime) = std::str::from_utf8(&body).ok().and_then(|b| {
        base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .ok()
    }) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "ErrorMimeContentInvalidBase64String",
            "Invalid base64 string for MIME content.",
        );
    };
    let Some(internet_message_id) = message_id(&mime) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "ErrorMimeContentInvalid",
            "The MIME content is invalid.",
        );
    };
    let id = m.mint("AAMkAG");
    m.sent.entry(address).or_default().push(SentMessage {
        id,
        internet_message_id,
        mime,
    });
    if let Some(SendFault::LostAnswer) = fault {
        return graph_error(
            StatusCode::GATEWAY_TIMEOUT,
            "UnknownError",
            "The request timed out.",
        );
    }
    StatusCode::ACCEPTED.into_response()
}

/// Sent Items, filtered by `internetMessageId eq '…'`.
async fn sent_items(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let m = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match m.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let wanted = match q.get("$filter") {
        None => None,
        Some(f) => match f
            .strip_prefix("internetMessageId eq '")
            .and_then(|r| r.strip_suffix('\''))
        {
            Some(id) => Some(id.replace("''", "'")),
            None => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "this fake filters on internetMessageId only",
                );
            }
        },
    };
    let value: Vec<_> = m
        .sent
        .get(&address)
        .into_iter()
        .flatten()
        .filter(|s| wanted.as_ref().is_none_or(|w| &s.internet_message_id == w))
        .map(|s| json!({ "id": s.id, "internetMessageId": s.internet_message_id }))
        .collect();
    Json(json!({ "value": value })).into_response()
}
