//! Connecting a rep's Google or Microsoft 365 account: the
//! authorization-code flow with PKCE. `GET /inbox/connect/{google,microsoft}`
//! (signed in) keeps an authorization in progress — the state stored as its
//! SHA-256, the verifier sealed, ten minutes to live — and sends the rep to
//! the provider's consent page (Google: Gmail read and send, Calendar;
//! Microsoft: Mail.Send and Mail.ReadBasic through Graph), with the state
//! also in a cookie only the callback reads. The provider sends them back
//! to its callback, which accepts the state
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
use baton_engine::accounts::google::{self, CALENDAR, EMAIL, GMAIL_READ, GMAIL_SEND};
use baton_engine::accounts::microsoft::{
    self, MAIL_READ_BASIC, MAIL_SEND, OFFLINE_ACCESS, USER_READ,
};
use baton_engine::accounts::oauth::TokenError;
use baton_engine::accounts::{AccountError, Provider, VaultError};
use baton_engine::report::Report;
use baton_engine::store::{NewAccount, OAuthState, OrgId, Taken, UserId, secret_hash};
use maud::html;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// How long an authorization in progress may take.
const STATE_TTL_MS: i64 = 10 * 60_000;

/// What a rep grants when connecting Google.
pub(crate) const GOOGLE_SCOPES: [&str; 4] = [GMAIL_READ, GMAIL_SEND, CALENDAR, EMAIL];

/// What a rep grants when connecting Microsoft 365.
pub(crate) const MICROSOFT_SCOPES: [&str; 4] =
    [OFFLINE_ACCESS, USER_READ, MAIL_SEND, MAIL_READ_BASIC];

/// What a rep grants when connecting `provider`.
fn scopes(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Google => &GOOGLE_SCOPES,
        Provider::Microsoft => &MICROSOFT_SCOPES,
    }
}

/// Where `provider`'s API answers who an account is.
fn api_url(app: &App, provider: Provider) -> &str {
    match provider {
        Provider::Google => &app.settings.google_api_url,
        Provider::Microsoft => &app.settings.microsoft_graph_url,
    }
}

/// The cookie that ties an authorization to the browser that began it.
const STATE_COOKIE: &str = "baton_oauth_state";

/// An authorization begun: the provider's consent URL and the state it
/// carries.
struct Begun {
    url: String,
    state: String,
}

/// Start connecting `user`'s account at `provider`.
async fn begin(
    app: &App,
    provider: Provider,
    org: &OrgId,
    user: &UserId,
) -> Result<Begun, AccountError> {
    let oauth = app.accounts.oauth(provider)?;
    let vault = app.accounts.vault()?;
    let hint = app.store().user(org, user).await?.map(|u| u.email);
    let auth = oauth.authorize(scopes(provider), hint.as_deref().filter(|e| !e.is_empty()));
    let hash = secret_hash(&auth.state);
    let now = app.now();
    let expires_at = now + STATE_TTL_MS;
    let state = OAuthState {
        org_id: org.clone(),
        user_id: user.clone(),
        provider: provider.name().into(),
        verifier: vault.seal(&hash, auth.verifier.as_bytes()),
        scopes: scopes(provider).join(" "),
        expires_at,
    };
    app.store().insert_oauth_state(&hash, &state, now).await?;
    Ok(Begun {
        url: auth.url,
        state: auth.state,
    })
}

/// The cookie holding `state`, sent back only to `provider`'s callback.
/// `Lax`: the provider sends the rep back by a top-level navigation from
/// its own site.
fn state_cookie(app: &App, provider: Provider, state: String) -> Cookie<'static> {
    Cookie::build((STATE_COOKIE, state))
        .path(provider.callback_path())
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
    summary = "On to Google's consent page (Gmail read and send, Calendar), PKCE",
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
    connect(&app, Provider::Google, &q, jar).await
}

/// `GET /inbox/connect/microsoft[?rep=handle]`: on to Microsoft's consent
/// page, as for Google.
#[utoipa::path(get, path = "/inbox/connect/microsoft", operation_id = "inboxConnectMicrosoft", security(("session" = []), ()),
    summary = "On to Microsoft's consent page (send mail as the rep through Graph), PKCE",
    responses(Db,
        (status = 302, description = "To Microsoft", headers(("Location" = String, description = "Microsoft's consent page"))),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html"),
        (status = 403, description = "Signed in with an org token, not as a rep; or Microsoft or BATON_SECRET_KEY is not configured",
            body = String, content_type = "text/html")))]
pub(super) async fn connect_microsoft(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    connect(&app, Provider::Microsoft, &q, jar).await
}

/// On to `provider`'s consent page for the signed-in rep.
async fn connect(
    app: &App,
    provider: Provider,
    q: &HashMap<String, String>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let title = provider.title();
    let Some(me) = session(app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some(&format!("Sign in to connect your {title} account.")),
        ));
    };
    let Some(user) = me.user else {
        return Ok(trouble(
            StatusCode::FORBIDDEN,
            "Sign in as yourself",
            &format!(
                "A {title} account belongs to a rep: sign in with your own magic link (not an org token) to connect it."
            ),
        ));
    };
    if let Some(handle) = q.get("rep") {
        let named = app.store().user_by_handle(&me.org.id, handle).await?;
        if named.is_none_or(|u| u.id != user) {
            return Ok(trouble(
                StatusCode::FORBIDDEN,
                "Sign in as yourself",
                &format!(
                    "This link connects another rep's {title} account: sign in with their magic link, or connect your own from Connected accounts."
                ),
            ));
        }
    }
    match begin(app, provider, &me.org.id, &user).await {
        Ok(begun) => Ok((
            jar.add(state_cookie(app, provider, begun.state)),
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
        (status = 409, description = "The mailbox is another rep's", body = String, content_type = "text/html"),
        (status = 502, description = "Google could not be reached", body = String, content_type = "text/html")))]
pub(super) async fn google_callback(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    callback(&app, Provider::Google, &q, jar).await
}

/// `GET /oauth/microsoft/callback?code&state` (or `?error&state`).
#[utoipa::path(get, path = "/oauth/microsoft/callback", operation_id = "microsoftCallback",
    summary = "Where Microsoft sends the rep back: the mailbox is connected, or a page says why not",
    params(("state" = Option<String>, Query), ("code" = Option<String>, Query),
        ("error" = Option<String>, Query), ("error_description" = Option<String>, Query)),
    responses(Db, (status = 200, description = "Connected: what was", body = String, content_type = "text/html"),
        (status = 400, description = "No, unknown, expired or used state; no code; a code Microsoft refused (a page); or a NUL byte in the query (a problem)",
            content((String = "text/html"), (ProblemDoc = "application/problem+json"))),
        (status = 403, description = "The rep did not grant access; or Microsoft or BATON_SECRET_KEY is not configured",
            body = String, content_type = "text/html"),
        (status = 409, description = "The mailbox is another rep's", body = String, content_type = "text/html"),
        (status = 502, description = "Microsoft could not be reached", body = String, content_type = "text/html")))]
pub(super) async fn microsoft_callback(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    callback(&app, Provider::Microsoft, &q, jar).await
}

/// A provider's callback: only the browser that began this authorization
/// may finish it; the state is not taken otherwise, so the rep's own can
/// still finish.
async fn callback(
    app: &App,
    provider: Provider,
    q: &HashMap<String, String>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let title = provider.title();
    let Some(state) = q.get("state").filter(|s| !s.is_empty()) else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            &format!("{title}'s answer carries no state: start again from Connected accounts."),
        ));
    };
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
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path(provider.callback_path()));
    Ok((jar, finish(app, provider, q, state).await?).into_response())
}

/// The callback past its cookie check: take the state, exchange the code,
/// connect the account.
async fn finish(
    app: &App,
    provider: Provider,
    q: &HashMap<String, String>,
    state: &str,
) -> Result<Response, Problem> {
    let title = provider.title();
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
            format!("You did not grant access on {title}'s page, so nothing was connected.")
        } else {
            format!("{title} answered `{error}`; nothing was connected.")
        };
        return Ok(trouble(StatusCode::FORBIDDEN, "Not connected", &why));
    }
    let Some(code) = q.get("code").filter(|c| !c.is_empty()) else {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            &format!("{title}'s answer carries no code: start again from Connected accounts."),
        ));
    };
    if pending.provider != provider.name() {
        return Ok(trouble(
            StatusCode::BAD_REQUEST,
            "Not connected",
            &format!("This authorization was not for {title}."),
        ));
    }
    let (oauth, vault) = match (app.accounts.oauth(provider), app.accounts.vault()) {
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
                format!("{title} refused the code ({d}): start again from Connected accounts."),
            ),
            TokenError::Failed(d) => (
                StatusCode::BAD_GATEWAY,
                format!(
                    "{title} could not be asked ({}): try again in a moment.",
                    Report(&d)
                ),
            ),
        };
        tracing::warn!(
            status = status.as_u16(),
            provider = provider.name(),
            "an account connection failed"
        );
        trouble(status, "Not connected", &why)
    };
    let tokens = match oauth.exchange(code, &verifier).await {
        Ok(t) => t,
        Err(e) => return Ok(refused(e)),
    };
    let address = match oauth
        .address(api_url(app, provider), &tokens.access_token)
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
                provider: provider.name(),
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
            tracing::warn!(
                provider = provider.name(),
                "a connection was refused: the mailbox is another rep's"
            );
            let why = match taken {
                Taken::InOrg { .. } => {
                    "This account is already connected by someone else in your organization; they must disconnect it first."
                }
                Taken::OtherOrg { .. } => {
                    "This account is already connected elsewhere; a mailbox belongs to exactly one rep."
                }
            };
            return Ok(trouble(StatusCode::CONFLICT, "Not connected", why));
        }
    };
    // A Google mailbox is read from now on; a Microsoft 365 one only sends.
    if provider == Provider::Google {
        app.store()
            .request_account_sync(&account.org_id, &account.id, app.now())
            .await?;
    }
    // Claimed by a replica at once, not at its next look.
    app.leases.wake();
    tracing::info!(account = %account.id, provider = provider.name(), "account connected");
    let granted: Vec<&str> = scopes.split_whitespace().map(scope_name).collect();
    let body = html! {
        h1 { (title) " account connected" }
        p #connected { "Connected " strong { (address) } " (" (granted.join(", ")) ")." }
        @if tokens.refresh_token.is_none() {
            p.error { (title) " granted no refresh token: you will be asked to reconnect within the hour." }
        }
        @if provider == Provider::Microsoft {
            p { "baton sends your approved email from this mailbox from now on." }
        } @else {
            p { "baton reads it from now on; the first sync has been asked for." }
        }
        p { a href="/inbox/accounts" { "Connected accounts" } " · " a href="/inbox" { "Inbox" } }
    };
    Ok(page("Account connected", &[], body).into_response())
}

/// A scope as the rep reads it.
pub(super) fn scope_name(scope: &str) -> &str {
    match scope {
        google::GMAIL_READ => "Gmail: read",
        google::GMAIL_SEND => "Gmail: send",
        microsoft::MAIL_SEND => "Mail: send",
        microsoft::MAIL_READ_BASIC => "Mail: find sent",
        microsoft::USER_READ => "your profile",
        microsoft::OFFLINE_ACCESS => "stay connected",
        google::CALENDAR => "Calendar",
        google::EMAIL | "https://www.googleapis.com/auth/userinfo.email" => "your address",
        "openid" => "sign-in",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use baton_engine::accounts::{google, microsoft};

    #[test]
    fn the_callback_route_is_where_google_is_told_to_send_the_rep() {
        // The handler's document is its route (`routes!`).
        let routed = format!(
            "utoipa::path(get, path = \"{}\", operation_id = \"googleCallback\",",
            google::CALLBACK_PATH
        );
        assert!(include_str!("connect.rs").contains(&routed), "{routed}");
        assert!(include_str!("mod.rs").contains("routes!(connect::google_callback)"));
        let routed = format!(
            "utoipa::path(get, path = \"{}\", operation_id = \"microsoftCallback\",",
            microsoft::CALLBACK_PATH
        );
        assert!(include_str!("connect.rs").contains(&routed), "{routed}");
        assert!(include_str!("mod.rs").contains("routes!(connect::microsoft_callback)"));
    }
}
