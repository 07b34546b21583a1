//! `GET /v1/metrics/success`: the caller's org's success metrics
//! (`crate::success`) as JSON: suggestions by outcome, skill and label, the
//! dismissal rate, meeting end → follow-up sent, briefs before the meeting
//! and scheduling requests handled, over 7 and 30 days and `?days=` (1 to
//! 90, default 30), with one entry per day of that window. Read-only.

use crate::success::{self, MAX_DAYS, Summary};
use crate::web::auth::OrgCaller;
use crate::web::openapi::{self, BadRequest, Org};
use crate::web::problem::{Problem, QueryArgs};
use crate::web::{App, Routes};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use std::sync::Arc;

/// The window when `?days=` is not given.
const DEFAULT_DAYS: u32 = 30;

/// The success route.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(success_metrics))
}

/// `?days=`, read as text so a bad value is answered in our words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuccessQuery {
    days: Option<String>,
}

/// The window asked for: a whole number of days from 1 to [`MAX_DAYS`].
fn days(q: &SuccessQuery) -> Result<u32, Problem> {
    let Some(text) = q.days.as_deref() else {
        return Ok(DEFAULT_DAYS);
    };
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok(n),
        _ => Err(Problem::bad_request(format!(
            "`days` must be a whole number of days from 1 to {MAX_DAYS}; got `{}`",
            text.chars().take(20).collect::<String>()
        ))),
    }
}

#[utoipa::path(get, path = "/v1/metrics/success", operation_id = "successMetrics", security(("org" = [])),
    summary = "The org's success metrics: suggestions by outcome, skill and label, the dismissal rate, meeting end to follow-up sent, briefs before the meeting, scheduling requests handled",
    params(("days" = Option<i64>, Query, minimum = 1, maximum = 90,
        description = "The window asked for besides 7 and 30 days, and the days `daily` covers (default 30)")),
    responses(Org, BadRequest, (status = 200, description = "The metrics", body = openapi::SuccessMetrics)))]
async fn success_metrics(
    State(app): State<Arc<App>>,
    OrgCaller { org, .. }: OrgCaller,
    QueryArgs(q): QueryArgs<SuccessQuery>,
) -> Result<Json<Summary>, Problem> {
    let days = days(&q)?;
    Ok(Json(
        success::summarise(
            app.store(),
            &org,
            &crate::web::store::Reach::Org,
            app.now(),
            days,
        )
        .await?,
    ))
}
