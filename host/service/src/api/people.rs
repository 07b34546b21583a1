//! The org's users (`/v1/users`), whom each reports to
//! (`/v1/users/{handle}/manager`: a manager sees and decides for their
//! team in the inbox and in Slack), and each one's preferences: time zone,
//! working and quiet hours, notification and send limits (the engine's),
//! and each app's beside them (through the engine's seam). A preference
//! the rest of the system cannot honour (an unknown time zone, a minute
//! outside the day, a negative limit) never reaches the store.

use super::user_id;
use crate::auth::OrgCaller;
use crate::openapi::{self, BadRequest, Body, NotFound, Org};
use crate::problem::{JsonBody, Problem};
use crate::{App, Routes};
use axum::Json;
use axum::extract::{Path, State};
use baton_engine::orchestrator::extension::PreferenceProblem;
use baton_engine::store::orgs::is_taken_slack_user;
use baton_engine::store::{OrgId, Preferences, User, UserId};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The user routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .routes(utoipa_axum::routes!(users))
        .routes(utoipa_axum::routes!(put_manager))
        .routes(utoipa_axum::routes!(get_preferences, put_preferences))
}

/// Each user with the handle of the user they report to (`null`: nobody).
fn with_managers(users: &[User]) -> Result<Value, Problem> {
    let handle = |id: &UserId| {
        users
            .iter()
            .find(|u| &u.id == id)
            .map(|u| u.handle.as_str())
    };
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let mut v = serde_json::to_value(u).map_err(Problem::internal)?;
        v["manager"] = json!(u.manager_id.as_ref().and_then(handle));
        out.push(v);
    }
    Ok(Value::Array(out))
}

#[utoipa::path(get, path = "/v1/users", operation_id = "listUsers", summary = "The org's users",
    security(("org" = [])),
    responses(Org, (status = 200, description = "Users", body = Vec<openapi::User>, links(
        ("getPreferences" = (operation_id = "getPreferences", parameters(("handle" = "$response.body#/0/handle")))),
        ("putPreferences" = (operation_id = "putPreferences", parameters(("handle" = "$response.body#/0/handle"))))))))]
async fn users(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let users = app.store().users(&org.id).await?;
    Ok(Json(with_managers(&users)?))
}

/// `{"manager": "handle"}` or `{"manager": null}`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({ "manager": "manager1" })))]
struct ManagerIn {
    /// The handle of the user to report to, or null for nobody.
    manager: Option<String>,
}

#[utoipa::path(put, path = "/v1/users/{handle}/manager", operation_id = "putManager", security(("org" = [])),
    summary = "Set whom a user reports to: a manager's inbox session and Slack clicks act for their team",
    request_body = ManagerIn,
    responses(Org, Body, NotFound, (status = 200, description = "The user", body = openapi::User)))]
async fn put_manager(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(doc): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let doc: ManagerIn = serde_json::from_value(doc).map_err(|e| {
        Problem::unprocessable(format!(
            "not a reporting line ({e}); send {{\"manager\": \"<handle>\"}} or {{\"manager\": null}}"
        ))
    })?;
    let user = user_id(&app, &org, &handle).await?;
    let manager = match &doc.manager {
        None => None,
        Some(m) => Some(
            app.store()
                .user_by_handle(&org.id, m)
                .await?
                .ok_or_else(|| {
                    Problem::unprocessable(format!(
                        "manager: user `{m}` not found in org `{}`",
                        org.slug
                    ))
                })?
                .id,
        ),
    };
    app.store()
        .set_manager(&org.id, &user, manager.as_ref())
        .await?
        .map_err(|refused| Problem::unprocessable(format!("manager: {refused}")))?;
    let users = app.store().users(&org.id).await?;
    let all = with_managers(&users)?;
    let me = all
        .as_array()
        .and_then(|a| a.iter().find(|u| u["handle"] == handle.as_str()))
        .cloned()
        .unwrap_or(Value::Null);
    Ok(Json(me))
}

#[utoipa::path(get, path = "/v1/users/{handle}/preferences", operation_id = "getPreferences",
    summary = "A user's preferences", security(("org" = [])),
    responses(Org, (status = 200, description = "Preferences", body = openapi::Preferences)))]
async fn get_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Json<Map<String, Value>>, Problem> {
    let user = user_id(&app, &org, &handle).await?;
    Ok(Json(app.orch.preferences_doc(&org.id, &user).await?))
}

/// Replace a user's preferences: the engine's fields, and each app's
/// under its keys (`Extension::preference_keys`), checked by the app.
#[utoipa::path(put, path = "/v1/users/{handle}/preferences", operation_id = "putPreferences",
    security(("org" = [])), summary = "Replace a user's preferences (fields left out take their defaults)",
    request_body = openapi::PreferencesIn,
    responses(Org, Body, BadRequest, (status = 200, description = "The preferences now", body = openapi::Preferences)))]
async fn put_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(doc): JsonBody<Value>,
) -> Result<Json<Map<String, Value>>, Problem> {
    let Value::Object(doc) = doc else {
        return Err(Problem::unprocessable(
            "Failed to deserialize the JSON body into the target type: the preferences are a JSON object",
        ));
    };
    let user = user_id(&app, &org, &handle).await?;
    Ok(Json(replace_preferences(&app, &org.id, &user, &doc).await?))
}

/// Replace `user`'s preferences with `doc`, checked as `PUT
/// /v1/users/{handle}/preferences` checks them (the inbox's settings page
/// posts through here too): an app's value it does not know is 400, any
/// other mistake 422 naming the field. The whole document now.
pub async fn replace_preferences(
    app: &App,
    org: &OrgId,
    user: &UserId,
    doc: &Map<String, Value>,
) -> Result<Map<String, Value>, Problem> {
    let apps = app.orch.extensions();
    // An app's value the service does not know (a choice among
    // the app's own values) is named before the rest is read (the other fields' mistakes
    // are 422, as read).
    for ext in apps.iter() {
        ext.check_preferences(doc).map_err(|p| match p {
            PreferenceProblem::Unknown(m) => Problem::bad_request(m),
            PreferenceProblem::Invalid(m) => Problem::unprocessable(m),
        })?;
    }
    // A field nobody keeps is named with every field there is.
    let app_keys: Vec<&str> = apps
        .iter()
        .flat_map(|e| e.preference_keys().iter().copied())
        .collect();
    if let Some(m) = Preferences::unknown_field(doc.keys(), &app_keys) {
        return Err(Problem::unprocessable(format!(
            "Failed to deserialize the JSON body into the target type: {m}"
        )));
    }
    let engine: Map<String, Value> = doc
        .iter()
        .filter(|(k, _)| !app_keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let prefs: Preferences = serde_json::from_value(Value::Object(engine)).map_err(|e| {
        Problem::unprocessable(format!(
            "Failed to deserialize the JSON body into the target type: {e}"
        ))
    })?;
    if jiff::tz::TimeZone::get(&prefs.timezone).is_err() {
        return Err(Problem::unprocessable(format!(
            "`{}` is not a time zone (use an IANA name such as Europe/London)",
            prefs.timezone
        )));
    }
    let minutes = [
        ("working_start_min", Some(prefs.working_start_min)),
        ("working_end_min", Some(prefs.working_end_min)),
        ("quiet_start_min", prefs.quiet_start_min),
        ("quiet_end_min", prefs.quiet_end_min),
    ];
    for (name, v) in minutes {
        if let Some(v) = v
            && !(0..1440).contains(&v)
        {
            return Err(Problem::unprocessable(format!(
                "{name} is {v}: minutes after midnight run from 0 to 1439"
            )));
        }
    }
    if prefs.max_notifications_per_hour < 0 || prefs.daily_send_cap < 0 {
        return Err(Problem::unprocessable(
            "max_notifications_per_hour and daily_send_cap cannot be negative",
        ));
    }
    if let Some(m) = prefs.slack_user_id_problem() {
        return Err(Problem::unprocessable(m));
    }
    app.store()
        .set_preferences(org, user, &prefs)
        .await
        .map_err(|e| match is_taken_slack_user(&e) {
            true => Problem::unprocessable(
                "slack_user_id is already another rep's in this org: a Slack user acts for one rep",
            ),
            false => e.into(),
        })?;
    for ext in apps.iter() {
        ext.set_preferences(app.store(), org, user, doc).await?;
    }
    Ok(app.orch.preferences_doc(org, user).await?)
}
