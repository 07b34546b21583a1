//! Connected accounts through the API: a rep's IMAP mailbox or CalDAV
//! calendar by credentials, the org's HubSpot by a private-app token —
//! each tried on its server before it is stored (`tried`) — the
//! URL that starts a rep's Google connection, listing (never a secret) and
//! disconnecting. Credentials are sealed before they are stored; what is
//! not secret (a server's host and port, a calendar's URL) is kept in the
//! account's settings.

use super::account_credentials::{Credential, field, org_credential, user_credential};
use super::user_id;
use crate::connectors::hubspot::HubSpot;
use crate::sources::calendar::caldav;
use crate::sources::mail::imap;
use crate::trial::Trial;
use crate::web::Sales;
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, Body, Conflict, Forbidden, Org};
use crate::web::problem::{JsonBody, Problem};
use crate::web::store::{Account, NewAccount, OrgId, UserId};
use crate::web::{App, Routes};
use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use baton_engine::accounts::{AccountError, EgressError, Provider, VaultError};
use baton_engine::report::Report;
use serde_json::{Value, json};
use std::sync::Arc;

/// The account routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(user_accounts, connect_user_account))
        .routes(utoipa_axum::routes!(google_url))
        .routes(utoipa_axum::routes!(microsoft_url))
        .routes(utoipa_axum::routes!(org_accounts, connect_org_account))
        .routes(utoipa_axum::routes!(disconnect))
}

/// An account as the API shows it: never its secret.
fn view(a: &Account) -> Value {
    json!({
        "id": a.id,
        "provider": a.provider,
        "address": a.address,
        "user_id": a.user_id,
        "scopes": a.scopes.split_whitespace().collect::<Vec<_>>(),
        "status": a.status,
        "status_detail": a.status_detail,
        "settings": serde_json::from_str::<Value>(&a.settings).unwrap_or_else(|_| json!({})),
        "token_expires_at": a.token_expires_at,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

/// An account error as the caller reads it.
fn problem(e: AccountError) -> Problem {
    match e {
        // The house's answer for a route whose secret is not set: 403.
        AccountError::Vault(VaultError::NoKey) => Problem::forbidden(
            "connecting accounts is off: set BATON_SECRET_KEY (`baton secret key` prints one)",
        ),
        AccountError::NotConfigured(m) => Problem::forbidden(m),
        AccountError::Store(e) => e.into(),
        other => Problem::internal(Report(&other)),
    }
}

/// `c`'s server is one accounts may reach ([`baton_engine::accounts::Egress`]):
/// an internal address, or a password sent in clear to a host the
/// operator did not allow, is a 422 naming the field.
async fn reachable(app: &App, c: &Credential) -> Result<(), Problem> {
    let egress = app.accounts.egress();
    let refuse = |name: &str, e: EgressError| field(name, &e.to_string());
    let s = &c.settings;
    match c.provider {
        "imap" => {
            let host = s["host"].as_str().unwrap_or_default();
            let port = s["port"]
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(993);
            if s["tls"] == "none" {
                egress.check_plaintext(host).map_err(|e| refuse("tls", e))?;
            }
            egress
                .screen(host, port)
                .await
                .map_err(|e| refuse("host", e))
        }
        "caldav" => {
            let url = reqwest::Url::parse(s["url"].as_str().unwrap_or_default())
                .map_err(|e| field("url", &format!("not a URL: {e}")))?;
            egress.check_url(&url, true).map_err(|e| refuse("url", e))?;
            egress
                .screen(
                    url.host_str().unwrap_or_default(),
                    url.port_or_known_default().unwrap_or(443),
                )
                .await
                .map_err(|e| refuse("url", e))
        }
        _ => Ok(()),
    }
}

/// Try `c` on its server before anything is stored: an IMAP login, a
/// CalDAV `PROPFIND`, HubSpot's token check. A refusal is a 422 naming the
/// field to fix; a server that cannot be reached, a 502.
async fn tried(app: &App, sales: &Sales, c: &Credential) -> Result<(), Problem> {
    let within = tokio::time::timeout(TRY_WITHIN, trial(app, sales, c)).await;
    match within.unwrap_or_else(|_| {
        Err(Trial::Unreachable(format!(
            "the {} server did not answer within {} s",
            c.provider,
            TRY_WITHIN.as_secs()
        )))
    }) {
        Ok(()) => Ok(()),
        Err(Trial::Refused { field: name, why }) => {
            tracing::info!(
                provider = c.provider,
                field = name,
                "a connection was refused by the server"
            );
            Err(field(name, &why))
        }
        Err(Trial::Unreachable(why)) => {
            tracing::info!(
                provider = c.provider,
                "a connection's server could not be reached"
            );
            Err(Problem::new(StatusCode::BAD_GATEWAY, why))
        }
    }
}

/// The trial itself (see [`tried`]).
async fn trial(app: &App, sales: &Sales, c: &Credential) -> Result<(), Trial> {
    let secret = |k: &str| c.secret[k].as_str().unwrap_or_default().to_owned();
    match c.provider {
        "imap" => {
            let settings =
                imap::Settings::from_json(&c.settings, &c.address).map_err(|e| Trial::Refused {
                    field: "host",
                    why: Report(&e).to_string(),
                })?;
            match imap::try_login(app.accounts.egress(), &settings, &secret("password")).await {
                Ok(()) => Ok(()),
                Err(imap::Opened::Refused) => Err(Trial::Refused {
                    field: "password",
                    why: imap::Opened::Refused.to_string(),
                }),
                Err(imap::Opened::Egress(e)) => Err(Trial::Refused {
                    field: "host",
                    why: e.to_string(),
                }),
                Err(imap::Opened::Unreachable(e)) => Err(Trial::Unreachable(format!(
                    "the IMAP server {}:{} could not be reached: {}",
                    settings.host,
                    settings.port,
                    Report(&e)
                ))),
            }
        }
        "caldav" => {
            let url = reqwest::Url::parse(c.settings["url"].as_str().unwrap_or_default()).map_err(
                |e| Trial::Refused {
                    field: "url",
                    why: format!("not a URL: {e}"),
                },
            )?;
            let http = app
                .accounts
                .egress()
                .http_client(TRY_WITHIN)
                .map_err(|e| Trial::Unreachable(format!("no HTTP client: {e}")))?;
            let username = c.settings["username"].as_str().unwrap_or(&c.address);
            caldav::try_propfind(&http, &url, username, &secret("password")).await
        }
        "hubspot" => {
            let base = &sales.settings.hubspot_api_url;
            HubSpot::new(base, &secret("access_token"), &c.settings)
                .map_err(|e| Trial::Unreachable(e.to_string()))?
                .check_token()
                .await
        }
        _ => Ok(()),
    }
}

/// How long trying a credential may take.
const TRY_WITHIN: std::time::Duration = std::time::Duration::from_secs(15);

/// Store `c` for `org` (and `user`): 201 when new, 200 when it replaced
/// the credential of the same address (a reconnect). 409 when another rep,
/// of this org or another, has connected that address.
async fn store(
    app: &App,
    org: &OrgId,
    user: Option<&UserId>,
    c: Credential,
) -> Result<Response, Problem> {
    let vault = app.accounts.vault().map_err(problem)?;
    let existing = app
        .store()
        .accounts(org, None)
        .await?
        .into_iter()
        .any(|a| a.provider == c.provider && a.address.eq_ignore_ascii_case(&c.address));
    let account = app
        .store()
        .connect_account(
            &NewAccount {
                org_id: org,
                user_id: user,
                provider: c.provider,
                address: &c.address,
                scopes: "",
                settings: &c.settings,
                token_expires_at: None,
            },
            |id| vault.seal_json(id, &c.secret),
            app.now(),
        )
        .await?
        .map_err(|taken| Problem::new(StatusCode::CONFLICT, taken.to_string()))?;
    app.store()
        .request_account_sync(org, &account.id, app.now())
        .await?;
    // Claimed by a replica at once, not at its next look.
    app.leases.wake();
    tracing::info!(account = %account.id, provider = %account.provider, "account connected");
    let status = if existing {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(view(&account))).into_response())
}

/// Off (403) until BATON_SECRET_KEY is set.
#[utoipa::path(post, path = "/v1/users/{handle}/accounts", operation_id = "connectUserAccount", security(("org" = [])),
    summary = "Connect a rep's IMAP mailbox or CalDAV calendar (the password is sealed under BATON_SECRET_KEY)",
    request_body = openapi::AccountIn,
    responses(Org, Body, Forbidden, Conflict,
        (status = 201, description = "Connected (the login or PROPFIND was tried first)", body = openapi::Account),
        (status = 200, description = "The same address again: its credential replaced, active again", body = openapi::Account),
        (status = 502, description = "The server could not be reached; nothing was stored")))]
async fn connect_user_account(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, Problem> {
    let user = user_id(&app, &caller.org, &handle).await?;
    let c = user_credential(body)?;
    reachable(&app, &c).await?;
    tried(&app, &sales, &c).await?;
    store(&app, &caller.org.id, Some(&user), c).await
}

/// Off (403) until BATON_SECRET_KEY is set.
#[utoipa::path(post, path = "/v1/accounts", operation_id = "connectOrgAccount", security(("org" = [])),
    summary = "Connect the org's HubSpot with a private app's token (sealed)",
    request_body = openapi::OrgAccountIn,
    responses(Org, Body, Forbidden, Conflict,
        (status = 201, description = "Connected (the token was tried first)", body = openapi::Account),
        (status = 200, description = "The same portal again: its token replaced", body = openapi::Account),
        (status = 502, description = "HubSpot could not be reached; nothing was stored")))]
async fn connect_org_account(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    caller: OrgCaller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, Problem> {
    let c = org_credential(body)?;
    tried(&app, &sales, &c).await?;
    store(&app, &caller.org.id, None, c).await
}

#[utoipa::path(get, path = "/v1/users/{handle}/accounts", operation_id = "listUserAccounts",
    summary = "A rep's connected accounts (never a secret)", security(("org" = [])),
    responses(Org, (status = 200, description = "Accounts", body = Vec<openapi::Account>)))]
async fn user_accounts(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Json<Value>, Problem> {
    let user = user_id(&app, &caller.org, &handle).await?;
    let accounts = app.store().accounts(&caller.org.id, Some(&user)).await?;
    Ok(Json(accounts.iter().map(view).collect()))
}

#[utoipa::path(get, path = "/v1/accounts", operation_id = "listAccounts",
    summary = "The org's connected accounts, every rep's and the org's (never a secret)", security(("org" = [])),
    responses(Org, (status = 200, description = "Accounts", body = Vec<openapi::Account>, links(
        ("disconnectAccount" = (operation_id = "disconnectAccount", parameters(("id" = "$response.body#/0/id"))))))))]
async fn org_accounts(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let accounts = app.store().accounts(&caller.org.id, None).await?;
    Ok(Json(accounts.iter().map(view).collect()))
}

#[utoipa::path(delete, path = "/v1/accounts/{id}", operation_id = "disconnectAccount", security(("org" = [])),
    summary = "Disconnect an account (its credential and sync cursors are deleted)",
    responses(Org, (status = 204, description = "Disconnected")))]
async fn disconnect(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let rows: Vec<_> = (app.orch.extensions().iter())
        .flat_map(|e| e.on_disconnect(&caller.org.id, &id, app.now()))
        .collect();
    if !app
        .store()
        .delete_account(&caller.org.id, &id, &rows)
        .await?
    {
        return Err(Problem::not_found(format!("no account `{id}`")));
    }
    tracing::info!(account = %id, "account disconnected");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Off (403) until BATON_SECRET_KEY and Google's client are set.
#[utoipa::path(post, path = "/v1/users/{handle}/accounts/google", operation_id = "googleConnectUrl", security(("org" = [])),
    summary = "The link to hand a rep so they connect their Google account: signed in to the inbox as themself, it takes them to Google's consent page",
    responses(Org, Forbidden, (status = 201, description = "The URL", body = openapi::ConnectUrl)))]
async fn google_url(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Response, Problem> {
    connect_url(&app, &caller, &handle, Provider::Google).await
}

/// Off (403) until BATON_SECRET_KEY and Microsoft's client are set.
#[utoipa::path(post, path = "/v1/users/{handle}/accounts/microsoft", operation_id = "microsoftConnectUrl", security(("org" = [])),
    summary = "The link to hand a rep so they connect their Microsoft 365 mailbox (sending as them): signed in to the inbox as themself, it takes them to Microsoft's consent page",
    responses(Org, Forbidden, (status = 201, description = "The URL", body = openapi::ConnectUrl)))]
async fn microsoft_url(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Response, Problem> {
    connect_url(&app, &caller, &handle, Provider::Microsoft).await
}

/// The link that connects `handle`'s account at `provider`.
async fn connect_url(
    app: &App,
    caller: &OrgCaller,
    handle: &str,
    provider: Provider,
) -> Result<Response, Problem> {
    user_id(app, &caller.org, handle).await?;
    // Checked now, so the caller hears of it before the rep does.
    app.accounts.oauth(provider).map_err(problem)?;
    app.accounts.vault().map_err(problem)?;
    let url = format!(
        "{}/inbox/connect/{}?rep={}",
        app.settings.base_url(),
        provider.name(),
        form_urlencoded::byte_serialize(handle.as_bytes()).collect::<String>()
    );
    let note = format!(
        "hand this URL to the rep: signed in to the inbox as themself, it takes them to {}'s consent page; the connection is theirs and no one else's",
        provider.title()
    );
    Ok((
        StatusCode::CREATED,
        Json(json!({ "url": url, "note": note })),
    )
        .into_response())
}
