//! Google Calendar's REST API (v3), as documented: `events.list` (single
//! events, `timeMin`/`timeMax`, `pageToken` pages of at most `maxResults`,
//! a `nextSyncToken` on the last page, `syncToken` reads returning only what
//! changed — cancelled events as Google sends deleted ones, just id and
//! status — and 410 `fullSyncRequired` for a token too old), `events.watch`,
//! `channels.stop` and `events.insert`.

use super::{Shared, google_error};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;

/// One account's primary calendar, and the channels watching it.
#[derive(Debug, Default)]
pub struct Calendars {
    /// Events created by `events.insert` on the primary calendar, as
    /// Google returned them.
    pub inserted: Vec<Value>,
    pub events: Vec<CalendarEvent>,
    /// Bumped on every change; sync tokens name it.
    serial: u64,
    /// Sync tokens older than this answer 410.
    oldest_sync: u64,
    /// Items per page at most (Google may send fewer than `maxResults`).
    pub page_size: Option<usize>,
    /// The expiration the next `events.watch` grants (default: a week).
    pub channel_expiration: Option<i64>,
    /// Open channels.
    pub channels: Vec<WatchChannel>,
    /// Ids of the channels stopped through `channels.stop`.
    pub stopped: Vec<String>,
    /// When the calendar was read (`events.list`, first pages only).
    pub reads: Vec<std::time::Instant>,
}

/// An event on a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    pub id: String,
    pub summary: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub organizer: String,
    pub attendees: Vec<String>,
    pub cancelled: bool,
    updated: u64,
}

impl CalendarEvent {
    /// A confirmed event organized by `organizer` with `attendees`.
    pub fn new(
        id: &str,
        summary: &str,
        start_ms: i64,
        minutes: i64,
        organizer: &str,
        attendees: &[&str],
    ) -> CalendarEvent {
        CalendarEvent {
            id: id.into(),
            summary: summary.into(),
            start_ms,
            end_ms: start_ms + minutes * 60_000,
            organizer: organizer.into(),
            attendees: attendees.iter().map(|a| (*a).to_owned()).collect(),
            cancelled: false,
            updated: 0,
        }
    }

    fn json(&self, viewer: &str) -> Value {
        if self.cancelled {
            return json!({ "kind": "calendar#event", "etag": format!("\"{}\"", self.updated),
                "id": self.id, "status": "cancelled" });
        }
        let at = |ms: i64| {
            jiff::Timestamp::from_millisecond(ms)
                .map(|t| t.to_string())
                .unwrap_or_default()
        };
        json!({
            "kind": "calendar#event", "etag": format!("\"{}\"", self.updated), "id": self.id,
            "status": "confirmed", "summary": self.summary,
            "start": { "dateTime": at(self.start_ms), "timeZone": "UTC" },
            "end": { "dateTime": at(self.end_ms), "timeZone": "UTC" },
            "organizer": { "email": self.organizer, "self": self.organizer == viewer },
            "attendees": self.attendees.iter().map(|a| json!({
                "email": a, "responseStatus": "needsAction", "self": a == viewer,
            })).collect::<Vec<_>>(),
        })
    }
}

/// A channel opened by `events.watch`.
#[derive(Debug, Clone)]
pub struct WatchChannel {
    pub id: String,
    pub token: Option<String>,
    pub address: String,
    pub resource_id: String,
    pub expiration: i64,
}

impl Calendars {
    /// Add an event, or change it (same id).
    pub fn put(&mut self, mut event: CalendarEvent) {
        self.serial += 1;
        event.updated = self.serial;
        self.events.retain(|e| e.id != event.id);
        self.events.push(event);
    }

    /// Cancel (delete) an event.
    pub fn cancel(&mut self, id: &str) {
        self.serial += 1;
        let serial = self.serial;
        for e in self.events.iter_mut().filter(|e| e.id == id) {
            e.cancelled = true;
            e.updated = serial;
        }
    }

    /// Every sync token issued so far becomes too old (410).
    pub fn expire_sync_tokens(&mut self) {
        self.serial += 1;
        self.oldest_sync = self.serial;
    }
}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/calendar/v3/calendars/{calendar}/events",
            get(list).post(events_insert),
        )
        .route(
            "/calendar/v3/calendars/{calendar}/events/watch",
            post(watch),
        )
        .route("/calendar/v3/channels/stop", post(stop))
}

/// `events.list` on the bearer's primary calendar.
async fn list(
    State(state): State<Shared>,
    Path(calendar): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if calendar != "primary" && calendar != address {
        return google_error(StatusCode::NOT_FOUND, "Not Found", "notFound");
    }
    let cal = g.calendars.entry(address.clone()).or_default();
    if !q.contains_key("pageToken") {
        cal.reads.push(std::time::Instant::now());
    }
    let since = match q.get("syncToken") {
        Some(t) => {
            if ["timeMin", "timeMax", "orderBy", "q"]
                .iter()
                .any(|k| q.contains_key(*k))
            {
                return google_error(
                    StatusCode::BAD_REQUEST,
                    "syncToken cannot be used with timeMin, timeMax, orderBy or q",
                    "invalid",
                );
            }
            match t.strip_prefix("sync-").and_then(|n| n.parse::<u64>().ok()) {
                Some(n) if n >= cal.oldest_sync => Some(n),
                _ => {
                    return google_error(
                        StatusCode::GONE,
                        "Sync token is no longer valid, a full sync is required.",
                        "fullSyncRequired",
                    );
                }
            }
        }
        None => None,
    };
    let time = |k: &str| {
        q.get(k)
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond())
    };
    let (from, to) = (time("timeMin"), time("timeMax"));
    let mut matching: Vec<&CalendarEvent> = cal
        .events
        .iter()
        .filter(|e| match since {
            Some(n) => e.updated > n,
            None => {
                !e.cancelled
                    && from.is_none_or(|f| e.end_ms > f)
                    && to.is_none_or(|t| e.start_ms < t)
            }
        })
        .collect();
    matching.sort_by_key(|e| (e.start_ms, e.id.clone()));
    let max = q
        .get("maxResults")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(250)
        .min(cal.page_size.unwrap_or(2500))
        .max(1);
    let offset = q
        .get("pageToken")
        .and_then(|p| p.strip_prefix("page-"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let items: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(max)
        .map(|e| e.json(&address))
        .collect();
    let mut body = json!({ "kind": "calendar#events", "summary": address, "items": items });
    if offset + max < matching.len() {
        body["nextPageToken"] = json!(format!("page-{}", offset + max));
    } else {
        body["nextSyncToken"] = json!(format!("sync-{}", cal.serial));
    }
    Json(body).into_response()
}

/// `events.watch`: open a channel to push to `address`.
async fn watch(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let (Some(id), Some("web_hook"), Some(to)) = (
        body["id"].as_str(),
        body["type"].as_str(),
        body["address"].as_str(),
    ) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "id, type web_hook and address are required",
            "required",
        );
    };
    let resource_id = g.mint("resource");
    let cal = g.calendars.entry(address).or_default();
    if cal.channels.iter().any(|c| c.id == id) {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Channel id not unique",
            "channelIdNotUnique",
        );
    }
    let expiration = cal
        .channel_expiration
        .unwrap_or_else(|| jiff::Timestamp::now().as_millisecond() + 7 * 86_400_000);
    let channel = WatchChannel {
        id: id.into(),
        token: body["token"].as_str().map(str::to_owned),
        address: to.into(),
        resource_id: resource_id.clone(),
        expiration,
    };
    cal.channels.push(channel);
    Json(
        json!({ "kind": "api#channel", "id": id, "resourceId": resource_id,
        "resourceUri": "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json",
        "token": body["token"], "expiration": expiration.to_string() }),
    )
    .into_response()
}

/// `channels.stop`: 204, or 404 for a channel that is not open.
async fn stop(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
    let address = match g.bearer(&headers) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let cal = g.calendars.entry(address).or_default();
    let (id, resource) = (body["id"].as_str(), body["resourceId"].as_str());
    let before = cal.channels.len();
    cal.channels
        .retain(|c| Some(c.id.as_str()) != id || Some(c.resource_id.as_str()) != resource);
    if cal.channels.len() == before {
        return google_error(StatusCode::NOT_FOUND, "Channel not found", "notFound");
    }
    cal.stopped.extend(id.map(str::to_owned));
    StatusCode::NO_CONTENT.into_response()
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
    if std::mem::take(&mut g.expire_on_insert) {
        g.expire_access_tokens();
    }
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
