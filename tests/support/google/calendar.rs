//! Google Calendar's REST API (v3), as documented: `events.list` with sync
//! tokens, `events.watch`, `channels.stop` and `events.insert`.

use super::{Shared, google_error};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, routing::post};
use serde_json::{Value, json};

/// One account's calendars.
#[derive(Debug, Default)]
pub struct Calendars {
    /// Events created by `events.insert` on the primary calendar, as
    /// Google returned them.
    pub inserted: Vec<Value>,
}

/// An event on a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEvent {}

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/calendar/v3/calendars/primary/events", post(events_insert))
}

/// `events.insert` on the primary calendar: a client-chosen `id` must be
/// base32hex (`a-v`, `0-9`, 5–1024 characters) and unique, else 400 or 409
/// `duplicate`, as Google answers.
async fn events_insert(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(mut event): Json<Value>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let id = match event["id"].as_str() {
        Some(id) => id.to_owned(),
        None => g.mint("evt").replace('-', ""),
    };
    let valid =
        (5..=1024).contains(&id.len()) && id.chars().all(|c| matches!(c, 'a'..='v' | '0'..='9'));
    if !valid {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Invalid resource id value.",
            "invalid",
        );
    }
    for field in ["start", "end"] {
        if event[field]["dateTime"].as_str().is_none() && event[field]["date"].as_str().is_none() {
            return google_error(StatusCode::BAD_REQUEST, "Missing end time.", "required");
        }
    }
    let calendar = g.calendars.entry(address.clone()).or_default();
    if calendar.inserted.iter().any(|e| e["id"] == id.as_str()) {
        return google_error(
            StatusCode::CONFLICT,
            "The requested identifier already exists.",
            "duplicate",
        );
    }
    event["id"] = json!(id);
    event["kind"] = json!("calendar#event");
    event["status"] = json!("confirmed");
    event["htmlLink"] = json!(format!("https://www.google.com/calendar/event?eid={id}"));
    event["organizer"] = json!({ "email": address, "self": true });
    calendar.inserted.push(event.clone());
    (StatusCode::OK, Json(event)).into_response()
}
