//! The rep's connected accounts in the inbox: the "Connected accounts" page
//! (each account's provider, address, scopes and status, and buttons to
//! connect Google and Microsoft 365), and the banner every signed-in inbox page carries while
//! one of the rep's accounts needs reconnecting.

use super::connect::scope_name;
use super::{login_page, page, session};
use crate::App;
use crate::auth::InboxUser;
use crate::openapi::Db;
use crate::problem::Problem;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use baton_engine::store::Account;
use baton_engine::store::accounts::RECONNECT;
use maud::{Markup, html};
use std::sync::Arc;

/// A provider's name as the rep reads it.
fn provider_name(provider: &str) -> &str {
    match provider {
        "google" => "Google",
        "microsoft" => "Microsoft 365",
        "imap" => "IMAP",
        "caldav" => "CalDAV",
        "hubspot" => "HubSpot",
        other => other,
    }
}

/// Where the rep goes to reconnect an account.
fn reconnect_link(account: &Account) -> &'static str {
    match account.provider.as_str() {
        "google" => "/inbox/connect/google",
        "microsoft" => "/inbox/connect/microsoft",
        _ => "/inbox/accounts",
    }
}

/// The accounts a signed-in person sees: their own (a rep), or the org's
/// (an org-token sign-in).
async fn visible(app: &App, me: &InboxUser) -> Result<Vec<Account>, Problem> {
    Ok(app.store().accounts(&me.org.id, me.user.as_ref()).await?)
}

/// `GET /inbox/accounts`.
#[utoipa::path(get, path = "/inbox/accounts", operation_id = "inboxAccounts", security(("session" = []), ()),
    summary = "The Connected accounts page: each account's status, and Connect Google or Microsoft 365",
    responses(Db, (status = 200, description = "The page", body = String, content_type = "text/html"),
        (status = 401, description = "Not signed in: the sign-in page", body = String, content_type = "text/html")))]
pub(super) async fn accounts(
    State(app): State<Arc<App>>,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let Some(me) = session(&app, &jar).await? else {
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            Some("Sign in to see your connected accounts."),
        ));
    };
    let accounts = visible(&app, &me).await?;
    let body = html! {
        h1 { "Connected accounts" }
        @if accounts.is_empty() { p.muted { "No account is connected yet." } }
        table #accounts {
            @for a in &accounts {
                tr.account data-status=(a.status) {
                    td { (provider_name(&a.provider)) }
                    td { (a.address) }
                    td.muted { (a.scopes.split_whitespace().map(scope_name).collect::<Vec<_>>().join(", ")) }
                    td.status {
                        @if a.status == RECONNECT {
                            span.error { "needs reconnecting" }
                            " " a href=(reconnect_link(a)) { "Reconnect" }
                        } @else {
                            (a.status)
                            @if let Some(note) = &a.status_detail { br; span.muted.note { (note) } }
                        }
                    }
                }
            }
        }
        @if me.user.is_some() {
            p {
                a.button.primary #connect-google href="/inbox/connect/google" { "Connect Google" }
                " "
                a.button #connect-microsoft href="/inbox/connect/microsoft" { "Connect Microsoft 365" }
            }
            p.muted { "A connected mailbox that can send carries your approved email, so it is in your Sent folder and in the recipient's thread; without one, email goes out through the operator's SMTP relay." }
        } @else {
            p.muted { "Sign in with your own magic link to connect your Google or Microsoft 365 account." }
        }
        p.muted { "IMAP, CalDAV and HubSpot accounts are connected by the operator through the API." }
    };
    Ok(page("Connected accounts", &[], body).into_response())
}

/// The banner for `accounts` needing reconnecting, if any.
fn banner(accounts: &[Account]) -> Option<Markup> {
    let stale: Vec<&Account> = accounts.iter().filter(|a| a.status == RECONNECT).collect();
    if stale.is_empty() {
        return None;
    }
    Some(html! {
        @for a in stale {
            p.error.reconnect-banner role="alert" {
                "Your " (provider_name(&a.provider)) " account " (a.address) " needs reconnecting: "
                (a.status_detail.as_deref().unwrap_or("the provider refused its credential"))
                " — " a href=(reconnect_link(a)) { "Reconnect" }
            }
        }
    })
}

/// Largest inbox page the banner is added to (pages are far smaller).
const MAX_PAGE: usize = 4 << 20;

/// Middleware over the inbox pages: a signed-in person's page carries the
/// reconnect banner under its header while one of their accounts needs
/// reconnecting. One place, so no page can leave it out.
pub(super) async fn with_banner(
    State(app): State<Arc<App>>,
    jar: CookieJar,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let Ok(Some(me)) = session(&app, &jar).await else {
        return response;
    };
    let Some(banner) = visible(&app, &me)
        .await
        .ok()
        .and_then(|accounts| banner(&accounts))
    else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read",
        )
            .into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    let with = text.replacen(
        "</header>",
        &format!("</header>{}", banner.into_string()),
        1,
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(with))
}
