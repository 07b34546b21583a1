//! Operator routes for an org's provider keys (behind the admin token):
//! keep one (`PUT`, the value sealed at once), list them (never a value),
//! remove one. Operator-wide keys are kept with `baton secret set`.

use super::admin::org_by_slug;
use crate::auth::Admin;
use crate::openapi::{self, Admin as AdminOnly, Body, Db};
use crate::problem::{JsonBody, Problem};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use baton_engine::accounts::VaultError;
use baton_engine::accounts::keys;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The provider-key routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(list))
        .routes(utoipa_axum::routes!(set, remove))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "host": "api.apollo.io", "header": "X-Api-Key", "value": "…" })))]
struct ProviderKeyIn {
    /// Where the key goes: a host (HTTPS on 443), host:port, or an origin with an optional path prefix (http://127.0.0.1:18790, https://api.example.com/v2).
    host: String,
    /// The header that carries it.
    header: String,
    /// The key; sealed at once, never shown again.
    value: String,
}

#[utoipa::path(put, path = "/v1/admin/orgs/{slug}/provider-keys/{name}", operation_id = "setProviderKey",
    security(("admin" = [])),
    summary = "Keep an org's provider key: the host sets its header on skills' granted requests to `host`",
    request_body = ProviderKeyIn,
    responses(AdminOnly, Body, Db,
        (status = 201, description = "Kept", body = openapi::ProviderKeyKept),
        (status = 200, description = "Replaced", body = openapi::ProviderKeyKept)))]
async fn set(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path((slug, name)): Path<(String, String)>,
    JsonBody(k): JsonBody<ProviderKeyIn>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    let host = keys::check(&name, &k.host, &k.header, &k.value).map_err(|e| {
        Problem::unprocessable(format!("`{}`: {}", e.field, e.why))
            .with(json!({ "field": e.field }))
    })?;
    // The house's answer for a route whose secret is not set: 403.
    let vault = app
        .accounts
        .vault()
        .map_err(|_| Problem::forbidden(VaultError::NoKey.to_string()))?;
    let existed = app
        .store()
        .provider_keys(Some(&org.id))
        .await?
        .iter()
        .any(|p| p.name == name);
    app.store()
        .set_provider_key(
            Some(&org.id),
            &name,
            &host,
            &k.header,
            |id| vault.seal(id, k.value.as_bytes()),
            app.now(),
        )
        .await?;
    tracing::info!(org = %org.slug, key = %name, %host, "provider key kept");
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(json!({ "name": name, "org": org.slug, "host": host, "header": k.header })),
    )
        .into_response())
}

#[utoipa::path(get, path = "/v1/admin/orgs/{slug}/provider-keys", operation_id = "listProviderKeys",
    security(("admin" = [])), summary = "An org's provider keys: name, host, header (never the value)",
    responses(AdminOnly, Db, (status = 200, description = "Keys", body = Vec<openapi::ProviderKey>)))]
async fn list(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path(slug): Path<String>,
) -> Result<Json<Value>, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    let keys = app.store().provider_keys(Some(&org.id)).await?;
    Ok(Json(
        keys.iter()
            .map(|k| {
                json!({ "name": k.name, "host": k.host, "header": k.header,
                "created_at": k.created_at, "updated_at": k.updated_at })
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/v1/admin/orgs/{slug}/provider-keys/{name}", operation_id = "deleteProviderKey",
    security(("admin" = [])), summary = "Remove an org's provider key",
    responses(AdminOnly, Db, (status = 204, description = "Removed")))]
async fn remove(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Path((slug, name)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let org = org_by_slug(&app, &slug).await?;
    if !app
        .store()
        .delete_provider_key(Some(&org.id), &name)
        .await?
    {
        return Err(Problem::not_found(format!(
            "no provider key `{name}` in org `{slug}`"
        )));
    }
    tracing::info!(org = %org.slug, key = %name, "provider key removed");
    Ok(StatusCode::NO_CONTENT.into_response())
}
