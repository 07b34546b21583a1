//! `POST /v1/admin/clock`: move a simulated clock forward (`baton serve
//! --simulated-clock START`, for demos and trials), then run one scheduler
//! pass at the new time so what fell due fires at once (by the scheduler's
//! catch-up rules: a daily fire more than two hours late is skipped for the
//! day). On the system clock the route answers 409; a move backwards or a
//! body that is not `{"advance_minutes": N}` or `{"to": "RFC 3339"}` is a
//! 400 naming the problem. Behind the admin token.

use crate::auth::Admin;
use crate::openapi::{self, Admin as AdminOnly, BadRequest, Conflict, Db};
use crate::problem::{Problem, RawBody};
use crate::{App, Routes};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_engine::orchestrator::Clock;
use baton_engine::orchestrator::scheduler::Scheduler;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The longest single move: a year.
const MAX_ADVANCE_MIN: i64 = 366 * 24 * 60;

/// The clock route.
pub(super) fn routes() -> Routes {
    Routes::new().routes(utoipa_axum::routes!(move_clock))
}

/// Where to move the clock: by some minutes, or to an instant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockIn {
    advance_minutes: Option<i64>,
    to: Option<String>,
}

/// The instant `body` asks for, given the clock shows `now`.
fn target(body: &[u8], now: i64) -> Result<i64, Problem> {
    let ask: ClockIn = serde_json::from_slice(body).map_err(|e| {
        Problem::bad_request(format!(
            "the body must be {{\"advance_minutes\": N}} or {{\"to\": \"RFC 3339\"}}: {e}"
        ))
    })?;
    match (ask.advance_minutes, ask.to) {
        (Some(n), None) if (1..=MAX_ADVANCE_MIN).contains(&n) => Ok(now + n * 60_000),
        (Some(n), None) => Err(Problem::bad_request(format!(
            "advance_minutes is {n}: it must be 1 to {MAX_ADVANCE_MIN} (the clock only moves forward)"
        ))),
        (None, Some(to)) => to
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .map_err(|e| {
                Problem::bad_request(format!(
                    "`to` is not an RFC 3339 time such as 2026-11-19T13:00:00Z: {e}"
                ))
            }),
        (Some(_), Some(_)) => Err(Problem::bad_request(
            "give either advance_minutes or to, not both",
        )),
        (None, None) => Err(Problem::bad_request(
            "the body must be {\"advance_minutes\": N} or {\"to\": \"RFC 3339\"}",
        )),
    }
}

#[utoipa::path(post, path = "/v1/admin/clock", operation_id = "moveClock",
    summary = "Move the simulated clock forward (`baton serve --simulated-clock START`) and fire what fell due; 409 on the system clock, 400 for a move backwards or a bad body",
    security(("admin" = [])), request_body = openapi::ClockIn,
    responses(AdminOnly, Db, BadRequest, Conflict, openapi::TooLarge,
        (status = 200, description = "The clock's new time and the scheduled events fired", body = openapi::ClockMoved)))]
async fn move_clock(
    State(app): State<Arc<App>>,
    _admin: Admin,
    RawBody(body): RawBody,
) -> Result<Json<Value>, Problem> {
    let Some(clock) = app.orch.clock.simulated() else {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "the clock is the system's and cannot be moved; start `baton serve --simulated-clock START` for a clock this route moves",
        ));
    };
    let to = target(&body, clock.now_ms())?;
    let now = clock
        .advance_to(to)
        .map_err(|e| Problem::bad_request(e.to_string()))?;
    let fired = Scheduler::new(app.orch.clone()).tick(now).await?;
    let shown = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_string())
        .unwrap_or_default();
    tracing::info!(now = %shown, fired, "simulated clock moved");
    Ok(Json(json!({ "now": shown, "now_ms": now, "fired": fired })))
}
