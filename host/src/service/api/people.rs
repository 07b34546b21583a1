//! The org's users (`/v1/users`) and each one's preferences: time zone,
//! working and quiet hours, notification and send limits, coaching, the
//! tone of drafted email. A preference
//! the rest of the system cannot honour (an unknown time zone, a minute
//! outside the day, a negative limit) never reaches the store.

use super::user_id;
use crate::service::App;
use crate::service::auth::OrgCaller;
use crate::service::problem::{JsonBody, Problem};
use crate::store::Preferences;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use baton_types::coaching::{Coaching, UnknownCoaching};
use baton_types::tone::{Tone, UnknownTone};
use serde_json::Value;
use std::sync::Arc;

/// The user routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new().route("/v1/users", get(users)).route(
        "/v1/users/{handle}/preferences",
        get(get_preferences).put(put_preferences),
    )
}

async fn users(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
) -> Result<Json<Value>, Problem> {
    let users = app.store().users(&org.id).await?;
    Ok(Json(
        serde_json::to_value(users).map_err(Problem::internal)?,
    ))
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
    app.store().set_preferences(&org.id, &user, &prefs).await?;
    Ok(Json(app.store().preferences(&org.id, &user).await?))
}
