//! Signing in and out of the inbox: an org API token or a magic link
//! starts a session, held in a `SameSite=Strict`, HTTP-only cookie scoped
//! to `/inbox`; signing out ends it. It never shows org data itself.

use super::login_page;
use crate::App;
use crate::auth::SESSION_COOKIE;
use crate::openapi::{Db, Invalid, TooLarge, Unsupported};
use crate::problem::{FormBody, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use baton_engine::store::Login;
use std::sync::Arc;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct LoginForm {
    token: String,
}

/// The session cookie; `Secure` when the service is reached over HTTPS
/// (its public URL says so), so it never travels in clear.
fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .path("/inbox")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

async fn start_session(app: &App, jar: CookieJar, login: Login) -> Result<Response, Problem> {
    let hours = app.settings.session_hours;
    let secret = app
        .store()
        .create_login("session", &login, app.now() + hours * 3_600_000, app.now())
        .await?;
    Ok((
        jar.add(session_cookie(secret, app.settings.https())),
        Redirect::to("/inbox"),
    )
        .into_response())
}

#[utoipa::path(post, path = "/inbox/login", operation_id = "inboxLogin", summary = "Sign in with an org API token",
    request_body(content = inline(LoginForm), content_type = "application/x-www-form-urlencoded"),
    responses(Db, TooLarge, Unsupported, Invalid,
        (status = 303, description = "Signed in: a session cookie, and on to the inbox",
            headers(("Location" = String, description = "Where to go next"))),
        (status = 401, description = "The token is not valid or was revoked", body = String, content_type = "text/html")))]
pub(super) async fn login(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    FormBody(f): FormBody<LoginForm>,
) -> Result<Response, Problem> {
    match app.store().token(f.token.trim()).await? {
        Some(token) => {
            start_session(
                &app,
                jar,
                Login {
                    org_id: token.org_id,
                    user_id: None,
                    token_id: Some(token.id),
                },
            )
            .await
        }
        None => Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("That token is not valid or was revoked."),
        )),
    }
}

#[utoipa::path(get, path = "/inbox/magic/{secret}", operation_id = "inboxMagicLink", summary = "Sign in with a one-time link",
    responses(Db,
        (status = 303, description = "Signed in: a session cookie, and on to the inbox",
            headers(("Location" = String, description = "Where to go next"))),
        (status = 401, description = "The link is not valid, was used, or has expired", body = String, content_type = "text/html")))]
pub(super) async fn magic(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    Path(secret): Path<String>,
) -> Result<Response, Problem> {
    match app.store().redeem_magic_link(&secret, app.now()).await? {
        Some(login) => start_session(&app, jar, login).await,
        None => Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("That link is not valid, was used already, or has expired."),
        )),
    }
}

#[utoipa::path(post, path = "/inbox/logout", operation_id = "inboxLogout", summary = "Sign out",
    responses(Db, (status = 303, description = "Signed out", headers(("Location" = String, description = "Where to go next")))))]
pub(super) async fn logout(
    State(app): State<Arc<App>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        app.store().end_session(c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/inbox"));
    Ok((jar, Redirect::to("/inbox")).into_response())
}
