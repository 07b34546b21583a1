//! Operator routes under `/v1/admin`, behind the admin token: the orgs,
//! org tokens and inbox magic links. Nothing here is
//! reachable with an org token.

use super::user_id;
use crate::auth::Admin;
use crate::openapi::{self, Admin as AdminOnly, Body, Db};
use crate::problem::{JsonBody, Problem};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use baton_engine::store::Login;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The operator routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(admin_orgs))
        .routes(utoipa_axum::routes!(admin_token))
        .routes(utoipa_axum::routes!(admin_magic_link))
}

#[utoipa::path(get, path = "/v1/admin/orgs", operation_id = "listOrgs", summary = "Every org",
    security(("admin" = [])),
    responses(AdminOnly, Db, (status = 200, description = "Orgs", body = Vec<openapi::OrgSummary>, links(
        ("createToken" = (operation_id = "createToken", parameters(("slug" = "$response.body#/0/slug")))),
        ("createMagicLink" = (operation_id = "createMagicLink", parameters(("slug" = "$response.body#/0/slug"))))))))]
async fn admin_orgs(State(app): State<Arc<App>>, _admin: Admin) -> Result<Json<Value>, Problem> {
    let orgs: Vec<Value> = app
        .store()
        .orgs()
        .await?
        .into_iter()
        .map(|o| json!({ "id": o.id, "slug": o.slug, "name": o.name }))
        .collect();
    Ok(Json(Value::Array(orgs)))
}

/// The org `slug`, or 404.
pub async fn org_by_slug(app: &App, slug: &str) -> Result<baton_engine::store::Org, Problem> {
    app.store()
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| Problem::not_found(format!("org `{slug}` not found")))
}

/// A token to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "name": "nightly-sync" })))]
struct TokenIn {
    /// What the token is for.
    #[schema(min_length = 1, max_length = 100)]
    name: String,
}

#[utoipa::path(post, path = "/v1/admin/orgs/{slug}/tokens", operation_id = "createToken",
    summary = "Make an org API token (shown once)", security(("admin" = [])), request_body = TokenIn,
    responses(AdminOnly, Body, Db, (status = 201, description = "The token", body = openapi::TokenCreated)))]
async fn admin_token(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(slug): Path<String>,
    JsonBody(t): JsonBody<TokenIn>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    if t.name.trim().is_empty() || t.name.len() > 100 {
        return Err(Problem::unprocessable(
            "a token needs a name of 1 to 100 characters",
        ));
    }
    let (id, token) = app
        .store()
        .create_token(&org.id, t.name.trim(), app.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "org": org.slug, "token": token,
            "note": "the token is shown once; store it now" })),
    )
        .into_response())
}

/// A sign-in link to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "user": "rep1", "minutes": 30 })))]
struct MagicLinkIn {
    /// The user's handle.
    user: String,
    /// Minutes the link stays valid (default 15, at most a day).
    #[schema(minimum = 1, maximum = 1440, default = 15)]
    minutes: Option<i64>,
}

#[utoipa::path(post, path = "/v1/admin/orgs/{slug}/magic-links", operation_id = "createMagicLink",
    summary = "Make a one-time inbox login link", security(("admin" = [])), request_body = MagicLinkIn,
    responses(AdminOnly, Body, Db, (status = 201, description = "The link", body = openapi::MagicLink)))]
async fn admin_magic_link(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(slug): Path<String>,
    JsonBody(m): JsonBody<MagicLinkIn>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    let user = user_id(&app, &org, &m.user).await?;
    let minutes = m.minutes.unwrap_or(15);
    if !(1..=1440).contains(&minutes) {
        return Err(Problem::unprocessable("minutes must be 1 to 1440"));
    }
    let expires_at = app.now() + minutes * 60_000;
    let login = Login {
        org_id: org.id.clone(),
        user_id: Some(user),
        token_id: None,
    };
    let secret = app
        .store()
        .create_login("magic_link", &login, expires_at, app.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "url": format!("{}/inbox/magic/{secret}", app.settings.base_url()),
            "expires_at": expires_at,
        })),
    )
        .into_response())
}
