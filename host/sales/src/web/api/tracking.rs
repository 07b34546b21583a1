//! `GET|PUT /v1/tracking`: the org's open and click tracking — off unless
//! the org turns it on (a privacy choice: the people the reps write to are
//! not asked). Each change is audited.

use crate::store::{TrackingChoice, TrackingTables};
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, Body, Org};
use crate::web::problem::{JsonBody, Problem};
use crate::web::{App, Routes};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The tracking routes.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(get_tracking, put_tracking))
}

/// A change: either or both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackingIn {
    opens: Option<bool>,
    clicks: Option<bool>,
}

fn answer(c: TrackingChoice) -> Json<Value> {
    Json(json!({ "opens": c.opens, "clicks": c.clicks }))
}

#[utoipa::path(get, path = "/v1/tracking", operation_id = "getTracking", security(("org" = [])),
    summary = "The org's open and click tracking (both off unless turned on)",
    responses(Org, (status = 200, description = "What is tracked", body = openapi::Tracking)))]
async fn get_tracking(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
) -> Result<Json<Value>, Problem> {
    Ok(answer(app.store().tracking(&caller.org.id).await?))
}

#[utoipa::path(put, path = "/v1/tracking", operation_id = "putTracking", security(("org" = [])),
    summary = "Turn the org's open tracking (a pixel) and click tracking (wrapped links) on or off; audited",
    request_body = openapi::TrackingIn,
    responses(Org, Body, (status = 200, description = "What is tracked now", body = openapi::Tracking)))]
async fn put_tracking(
    State(app): State<Arc<App>>,
    caller: OrgCaller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let change: TrackingIn = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "not a tracking choice ({e}); send {{\"opens\": true, \"clicks\": false}}"
        ))
    })?;
    let org = &caller.org.id;
    let was = app.store().tracking(org).await?;
    let now = TrackingChoice {
        opens: change.opens.unwrap_or(was.opens),
        clicks: change.clicks.unwrap_or(was.clicks),
    };
    app.store().set_tracking(org, now, app.now()).await?;
    app.store()
        .audit(
            org,
            None,
            None,
            "tracking_changed",
            &json!({ "by": caller.credential(), "was": was, "now": now }),
            app.now(),
        )
        .await?;
    Ok(answer(now))
}
