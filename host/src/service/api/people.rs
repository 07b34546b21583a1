//! The org's users (`/v1/users`), whom each reports to
//! (`/v1/users/{handle}/manager`: a manager sees and decides for their
//! team in the inbox and in Slack), and each one's preferences: time zone,
//! working and quiet hours, notification and send limits, coaching, the
//! tone of drafted email. A preference
//! the rest of the system cannot honour (an unknown time zone, a minute
//! outside the day, a negative limit) never reaches the store.

use super::user_id;
use crate::service::App;
use crate::service::auth::OrgCaller;
use crate::service::problem::{JsonBody, Problem};
use crate::store::orgs::is_taken_slack_user;
use crate::store::{Preferences, User, UserId};
use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use baton_types::coaching::{Coaching, UnknownCoaching};
use baton_types::tone::{Tone, UnknownTone};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The user routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/users", get(users))
        .route("/v1/users/{handle}/manager", put(put_manager))
        .route(
            "/v1/users/{handle}/preferences",
            get(get_preferences).put(put_preferences),
        )
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

async fn users(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let users = app.store().users(&org.id).await?;
    Ok(Json(with_managers(&users)?))
}

/// `{"manager": "handle"}` or `{"manager": null}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManagerDoc {
    manager: Option<String>,
}

async fn put_manager(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(doc): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let doc: ManagerDoc = serde_json::from_value(doc).map_err(|e| {
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

async fn get_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
) -> Result<Json<Preferences>, Problem> {
    let user = user_id(&app, &org, &handle).await?;
    Ok(Json(app.store().preferences(&org.id, &user).await?))
}

async fn put_preferences(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    Path(handle): Path<String>,
    JsonBody(doc): JsonBody<Value>,
) -> Result<Json<Preferences>, Problem> {
    // A coaching choice the service does not know is named before the
    // rest is read (the other fields' mistakes are 422, as read).
    if let Some(c) = doc.get("coaching")
        && c.as_str().is_none_or(|c| Coaching::parse(c).is_none())
    {
        let shown = c.as_str().map_or_else(|| c.to_string(), str::to_owned);
        return Err(Problem::bad_request(UnknownCoaching(shown).to_string()));
    }
    if let Some(t) = doc.get("tone")
        && t.as_str().is_none_or(|t| Tone::parse(t).is_none())
    {
        let shown = t.as_str().map_or_else(|| t.to_string(), str::to_owned);
        return Err(Problem::bad_request(UnknownTone(shown).to_string()));
    }
    let prefs: Preferences = serde_json::from_value(doc).map_err(|e| {
        Problem::unprocessable(format!(
            "Failed to deserialize the JSON body into the target type: {e}"
        ))
    })?;
    let user = user_id(&app, &org, &handle).await?;
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
        ("briefing_time_min", Some(prefs.briefing_time_min)),
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
    if prefs.max_notifications_per_hour < 0
        || prefs.daily_send_cap < 0
        || prefs.max_revivals_per_day < 0
    {
        return Err(Problem::unprocessable(
            "max_notifications_per_hour, daily_send_cap and max_revivals_per_day cannot be negative",
        ));
    }
    if let Some(m) = prefs.slack_user_id_problem() {
        return Err(Problem::unprocessable(m));
    }
    app.store()
        .set_preferences(&org.id, &user, &prefs)
        .await
        .map_err(|e| match is_taken_slack_user(&e) {
            true => Problem::unprocessable(
                "slack_user_id is already another rep's in this org: a Slack user acts for one rep",
            ),
            false => e.into(),
        })?;
    Ok(Json(app.store().preferences(&org.id, &user).await?))
}
