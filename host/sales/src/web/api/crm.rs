//! The org's CRM data: `POST /v1/crm/import` (a document for the caller's
//! own org only), `GET /v1/crm/deals/{id}` (a deal as skills see it in
//! context tier 2, with the fields and tasks approved effects wrote) and
//! the do-not-contact list (`/v1/do-not-contact`), where
//! an opt-out also cancels the emails and drafts waiting for that address.
//! An org token never imports into another org; the operator's
//! `POST /v1/admin/import` (behind the admin token) imports any org,
//! creating it.

use super::run_import;
use crate::import::ImportDoc;
use crate::web::auth::{Admin, OrgCaller};
use crate::web::openapi::{self, Admin as AdminOnly, Body, Conflict, Db, Forbidden, NotFound, Org};
use crate::web::problem::{JsonBody, Problem};
use crate::web::store::ContextTables;
use crate::web::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use baton_store::address::{MAX_ADDRESS, address_key, is_address};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The CRM routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(crm_import))
        .routes(utoipa_axum::routes!(admin_import))
        .routes(utoipa_axum::routes!(deal))
        .routes(utoipa_axum::routes!(
            do_not_contact_list,
            flag_do_not_contact
        ))
}

#[utoipa::path(post, path = "/v1/crm/import", operation_id = "importCrm", security(("org" = [])),
    summary = "Import the caller's org's CRM data (the document's org must be the token's)",
    request_body = openapi::ImportDoc,
    responses(Org, Body, Forbidden, NotFound, Conflict,
        (status = 200, description = "What was written", body = openapi::ImportSummary)))]
async fn crm_import(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    JsonBody(doc): JsonBody<ImportDoc>,
) -> Result<Json<Value>, Problem> {
    if doc.org.slug != org.slug {
        return Err(Problem::forbidden(format!(
            "this token belongs to org `{}`; the document imports `{}`",
            org.slug, doc.org.slug
        )));
    }
    run_import(&app, &doc).await
}

#[utoipa::path(post, path = "/v1/admin/import", operation_id = "importOrg", summary = "Import any org (creates it)",
    security(("admin" = [])), request_body = openapi::ImportDoc,
    responses(AdminOnly, Body, Db, NotFound, Conflict,
        (status = 200, description = "What was written", body = openapi::ImportSummary)))]
async fn admin_import(
    State(app): State<Arc<App>>,
    _admin: Admin,
    JsonBody(doc): JsonBody<ImportDoc>,
) -> Result<Json<Value>, Problem> {
    run_import(&app, &doc).await
}

/// A deal with its contact, company, tasks and latest activities: what
/// context tier 2 shows a skill about it.
#[utoipa::path(get, path = "/v1/crm/deals/{id}", operation_id = "getDeal", security(("org" = [])),
    summary = "A deal as context tier 2 shows it: its fields (as approved CRM updates left them), contact, company, tasks and latest activities",
    responses(Org, NotFound, (status = 200, description = "The deal and its context", body = openapi::DealContext)))]
async fn deal(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let found = app
        .store()
        .contact_context(
            &org.id,
            &crate::web::store::ContactRef {
                deal_id: Some(&id),
                ..Default::default()
            },
        )
        .await?
        .filter(|c| c["deal"]["id"] == id.as_str());
    found
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("deal {id} not found")))
}

#[utoipa::path(get, path = "/v1/do-not-contact", operation_id = "listDoNotContact",
    summary = "The org's do-not-contact list, newest first", security(("org" = [])),
    responses(Org, (status = 200, description = "Suppressions", body = Vec<openapi::Suppression>)))]
async fn do_not_contact_list(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let list = app.store().do_not_contact_list(&org.id).await?;
    Ok(Json(json!(list)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoNotContactIn {
    email: String,
    #[serde(default)]
    reason: Option<String>,
}

/// An opt-out that reached the rep another way (a call, a letter, legal).
#[utoipa::path(post, path = "/v1/do-not-contact", operation_id = "flagDoNotContact", security(("org" = [])),
    summary = "Put an address on the do-not-contact list; cancels emails queued to it",
    request_body = openapi::DoNotContactIn,
    responses(Org, Body, (status = 200, description = "What the flag stopped", body = openapi::Flagged)))]
async fn flag_do_not_contact(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    JsonBody(d): JsonBody<DoNotContactIn>,
) -> Result<Json<Value>, Problem> {
    let email = match address_key(&d.email) {
        Some(email) if is_address(&email) => email,
        _ if d.email.chars().count() > MAX_ADDRESS => {
            return Err(Problem::unprocessable(format!(
                "email is longer than {MAX_ADDRESS} characters: not an email address"
            )));
        }
        _ => {
            return Err(Problem::unprocessable(format!(
                "`{}` is not an email address (name@domain.example)",
                d.email
            )));
        }
    };
    let reason = d
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("added by the operator");
    if reason.chars().count() > 200 {
        return Err(Problem::unprocessable(
            "reason is longer than 200 characters",
        ));
    }
    let flagged = app
        .store()
        .flag_do_not_contact(&org.id, &email, reason, app.now())
        .await?;
    Ok(Json(json!({
        "email": email,
        "emails_cancelled": flagged.emails_cancelled,
        "drafts_withdrawn": flagged.drafts_withdrawn,
    })))
}
