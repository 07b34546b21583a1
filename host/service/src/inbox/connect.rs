//! Connecting a rep's Google account: the authorization-code flow with PKCE.
//! `GET /inbox/connect/google` (signed in) keeps an authorization in
//! progress — the state stored as its SHA-256, the verifier sealed, ten
//! minutes to live — and sends the rep to Google's consent page for Gmail
//! read and Calendar, with the state also in a cookie only the callback
//! reads. Google sends them back to the callback, which accepts the state
//! only from the browser that holds that cookie (a consent finished in any
//! other browser connects nothing), takes it once, exchanges the code,
//! learns the address, stores the account (tokens sealed; a mailbox
//! another rep holds is refused) and asks for a first sync. Anything wrong
//! there is a 4xx page saying what, and nothing is stored.
//!
//! Tokens, codes and the verifier are never logged; the address is shown
//! to the rep, never logged.

use super::{login_page, page, session};
use crate::App;
use crate::openapi::{Db, Problem as ProblemDoc};
use crate::problem::Problem;
use crate::signature::same_secret;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use baton_engine::accounts::google::{self, CALENDAR, EMAIL, GMAIL_READ, TokenError};
use baton_engine::accounts::{AccountError, VaultError};
use baton_engine::report::Report;
use baton_engine::store::{NewAccount, OAuthState, OrgId, Taken, UserId, secret_hash};
use maud::html;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// How long an authorization in progress may take.
const STATE_TTL_MS: i64 = 10 * 60_000;

/// What a rep grants when connecting Google.
pub(crate) const GOOGLE_SCOPES: [&str; 3] = [GMAIL_READ, CALENDAR, EMAIL];

/// The cookie that ties an authorization to the browser that began it.
const STATE_COOKIE: &str = "baton_oauth_state";

/// An authorization begun: Google's consent URL and the state it carries.
struct Begun {
    url: String,
    state: String,
}

/// Start connecting `user`'s Google account.
async fn begin_google(app: &App, org: &OrgId, user: &UserId) -> Result<Begun, AccountError> {
    let google = app.accounts.google()?;
    let vault = app.accounts.vault()?;
    let hint = app.store().user(org, user).await?.map(|u| u.email);
    let auth = google.authorize(&GOOGLE_SCOPES, hint.as_deref().filter(|e| !e.is_empty()));
    let hash = secret_hash(&auth.state);
    let now = app.now();
    let expires_at = now + STATE_TTL_MS;
    let state = OAuthState {
        org_id: org.clone(),
        user_id: user.clone(),
        provider: "google".into(),
        verifier: vault.seal(&hash, auth.verifier.as_bytes()),
        scopes: GOOGLE_SCOPES.join(" "),
        expires_at,
    };
    app.store().insert_oauth_state(&hash, &state, now).await?;
    Ok(Begun {
        url: auth.url,
        state: auth.state,
    })
}

/// The cookie holding `state`, sent back only to the callback. `Lax`:
/// Google sends the rep back by a top-level navigation from its own site.
fn state_cookie(app: &App, state: String) -> Cookie<'static> {
    Cookie::build((STATE_COOKIE, state))
        .path(google::CALLBACK_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(app.settings.https())
        .build()
}

/// A page saying what went wrong, with `status`.
fn trouble(status: StatusCode, title: &str, why: &str) -> Response {
    let body = html! {
        h1 { (title) }
        p.error { (why) }
        p { a href="/inbox/accounts" { "Back to connected accounts" } }
    };
    (status, page(title, &[], body)).into_response()
}

/// What the rep is told when the service cannot connect accounts at all.
fn unconfigured(e: &AccountError) -> Response {
    let why = match e {
        AccountError::Vault(VaultError::NoKey) => {
            "Connecting accounts is off: the operator must set BATON_SECRET_KEY.".to_owned()
        }
        other => other.to_string(),
    };
    // The house's answer for a route whose secret is not set.
    trouble(StatusCode::FORBIDDEN, "Cannot connect", &why)
}

/// `GET /inbox/connect/google[?rep=handle]`: on to Google's consent page.
/// `rep` (the link the API hands out) names whom the link is for: signed in
/// as someone else, the rep is told so and nothing begins.
#[utoipa::path(get, path = "/inbox/connect/google", operation_id = "inboxConnectGoogle", security(("session" = []), ()),
    summary = "On to Google's consent page (Gmail read, Calendar), PKCE",
    responses(Db,
        (status = 302, description = "To Google", headers(("Location" = String, description = "Google's consent page"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 403, description = "Signed in with an org token, not as a rep; or Google or BATON_SECRET_KEY is not configured",
            body = String, content_type = "text/html")))]
pub(super) async fn connect_google(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to connect your Google account."),
        ));
    };
    let Some(user) = me.user else {
        return Ok(trouble(
            StatusCode::FORBIDDEN,
            "Sign in as yourself",
            "A Google account belongs to a rep: sign in with your own magic link (not an org token) to connect it.",
        ));
    };
    if let Some(handle) = q.get("rep") {
        let named = app.store().user_by_handle(&me.org.id, handle).await?;
        if named.is_none_or(|u| u.id != user) {
            return Ok(trouble(
                StatusCode::FORBIDDEN,
                "Sign in as yourself",
                "This link connects another rep's Google account: sign in with their magic link, or connect your own from Connected accounts.",
            ));
        }
    }
    match begin_google(&app, &me.org.id, &user).await {
        Ok(begun) => Ok((
            jar.add(state_cookie(&app, begun.state)),
            (StatusCode::FOUND, [(header::LOCATION, begun.url)]),
        )
            .into_response()),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => Ok(unconfigured(&e)),
    }
}

/// `GET /oauth/google/callback?code&state` (or `?error&state`).
#[utoipa::path(get, path = "/oauth/google/callback", operation_id = "googleCallback",
    summary = "Where Google sends the rep back: the account is connected, or a page says why not",
    params(("state" = Option<String>, Query), ("code" = Option<String>, Query),
        ("error" = Option<String>, Query), ("scope" = Option<String>, Query)),
    responses(Db, (status = 200, description = "Connected: what was", body = String, content_type = "text/html"),
        (status = 400, description = "No, unknown, expired or used state; no code; a code Google refused (a page); or a NUL byte in the query (a problem)",
            content((String = "text/html"), (ProblemDoc = "application/problem+json"))),
        (status = 403, description = "The rep did not grant access; or Google or BATON_SECRET_KEY is not configured",
            body = String, content_type = "text/html"),
        (status = 502, description = "Google could not be reached", body = String, content_type = "text/html")))]
pub(super) async fn google_callback(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let Some(state) = q.get("state").filter(|s| !s.is_empty()) else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "Google's answer carries no state: start again from Connected accounts.",
        ));
    };
    // Only the browser that began this authorization may finish it; the
    // state is not taken otherwise, so the rep's own can still finish.
    let bound = jar
        .get(STATE_COOKIE)
        .is_some_and(|c| same_secret(c.value(), state));
    if !bound {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This authorization was not started in this browser (or it expired): sign in and start again from Connected accounts.",
        ));
    }
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path(google::CALLBACK_PATH));
    Ok((jar, finish_google(&app, &q, state).await?).into_response())
}

/// The callback past its cookie check: take the state, exchange the code,
/// connect the account.
async fn finish_google(
    app: &App,
    q: &HashMap<String, String>,
    state: &str,
) -> Result<Response, Problem> {
    let hash = secret_hash(state);
    // Taken once, whatever happens next.
    let Some(pending) = app.store().take_oauth_state(&hash, app.now()).await? else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This authorization is unknown, expired (after 10 minutes) or was used already: start again from Connected accounts.",
        ));
    };
    if let Some(error) = q.get("error") {
        let why = if error == "access_denied" {
            "You did not grant access on Google's page, so nothing was connected.".to_owned()
        } else {
            format!("Google answered `{error}`; nothing was connected.")
        };
        return Ok(trouble(StatusCode::FORBIDDEN, "Not connected", &why));
    }
    let Some(code) = q.get("code").filter(|c| !c.is_empty()) else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "Google's answer carries no code: start again from Connected accounts.",
        ));
    };
    if pending.provider != "google" {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This authorization was not for Google.",
        ));
    }
    let (google, vault) = match (app.accounts.google(), app.accounts.vault()) {
        (Ok(g), Ok(v)) => (g, v),
        (Err(e), _) | (_, Err(e)) => return Ok(unconfigured(&e)),
    };
    let Some(verifier) = vault
        .open(&hash, &pending.verifier)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This authorization cannot be read (the service's key changed): start again.",
        ));
    };
    let refused = |e: TokenError| {
        let (status, why) = match e {
            TokenError::Revoked(d) => (
                StatusCode::BAD_REQUEST,
                format!("Google refused the code ({d}): start again from Connected accounts."),
            ),
            TokenError::Failed(d) => (
                StatusCode::BAD_GATEWAY,
                format!(
                    "Google could not be asked ({}): try again in a moment.",
                    Report(&d)
                ),
            ),
        };
        tracing::warn!(status = status.as_u16(), "a Google connection failed");
        trouble(status, "Not connected", &why)
    };
    let tokens = match google.exchange(code, &verifier).await {
        Ok(t) => t,
        Err(e) => return Ok(refused(e)),
    };
    let address = match google
        .address(&app.settings.google_api_url, &tokens.access_token)
        .await
    {
        Ok(a) => a,
        Err(e) => return Ok(refused(e)),
    };
    let scopes = tokens.scopes.clone().unwrap_or(pending.scopes);
    let secret =
        json!({ "access_token": tokens.access_token, "refresh_token": tokens.refresh_token });
    let connected = app
        .store()
        .connect_account(
            &NewAccount {
                org_id: &pending.org_id,
                user_id: Some(&pending.user_id),
                provider: "google",
                address: &address,
                scopes: &scopes,
                settings: &json!({}),
                token_expires_at: tokens.expires_at,
            },
            |id| vault.seal_json(id, &secret),
            app.now(),
        )
        .await?;
    let account = match connected {
        Ok(account) => account,
        Err(taken) => {
            tracing::warn!("a Google connection was refused: the mailbox is another rep's");
            let why = match taken {
                Taken::InOrg { .. } => {
                    "This Google account is already connected by someone else in your organization; they must disconnect it first."
                }
                Taken::OtherOrg { .. } => {
                    "This Google account is already connected elsewhere; a mailbox belongs to exactly one rep."
                }
            };
            return Ok(trouble(StatusCode::CONFLICT, "Not connected", why));
        }
    };
    app.store()
        .request_account_sync(&account.org_id, &account.id, app.now())
        .await?;
    tracing::info!(account = %account.id, provider = "google", "account connected");
    let granted: Vec<&str> = scopes.split_whitespace().map(scope_name).collect();
    let body = html! {
        h1 { "Google account connected" }
        p #connected { "Connected " strong { (address) } " (" (granted.join(", ")) ")." }
        @if tokens.refresh_token.is_none() {
            p.error { "Google granted no refresh token: you will be asked to reconnect within the hour." }
        }
        p { "baton reads it from now on; the first sync has been asked for." }
        p { a href="/inbox/accounts" { "Connected accounts" } " · " a href="/inbox" { "Inbox" } }
    };
    Ok(page("Account connected", &[], body).into_response())
}

/// A scope as the rep reads it.
pub(super) fn scope_name(scope: &str) -> &str {
    match scope {
        google::GMAIL_READ => "Gmail: read",
        google::CALENDAR => "Calendar",
        google::EMAIL | "https://www.googleapis.com/auth/userinfo.email" => "your address",
        "openid" => "sign-in",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use baton_engine::accounts::google;

    #[test]
    fn the_callback_route_is_where_google_is_told_to_send_the_rep() {
        // The handler's document is its route (`routes!`).
        let routed = format!(
            "utoipa::path(get, path = \"{}\", operation_id = \"googleCallback\",",
            google::CALLBACK_PATH
        );
        assert!(include_str!("connect.rs").contains(&routed), "{routed}");
        assert!(include_str!("mod.rs").contains("routes!(connect::google_callback)"));
    }
}
