//! A loopback Instantly speaking the API v2 shapes `monitor-campaigns`
//! reads, as documented (<https://developer.instantly.ai/api/v2>):
//! `GET /api/v2/campaigns` (paginated `{items, next_starting_after}`),
//! `GET /api/v2/campaigns/analytics?start_date&end_date` (one row per
//! campaign), `GET /api/v2/campaigns/analytics/steps?campaign_id` (one row
//! per step and variant) and `GET /api/v2/emails?campaign_id&email_type`
//! (paginated, newest first, `limit` and `starting_after`); and the writes
//! the campaign buttons make: `GET`/`PATCH /api/v2/campaigns/{id}` (its
//! `sequences`, variants with `v_disabled`), `POST
//! /api/v2/leads/update-interest-status` (`lead_email`, `interest_value`,
//! `campaign_id`) and `POST /api/v2/leads/move` (`search` and `campaign`
//! choosing the leads, `to_campaign_id`). The API key
//! is checked on each call (`Authorization: Bearer …`; 401 otherwise), and
//! a failure can be set for every call: a status or a malformed body. On
//! its own thread.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// What every call answers instead of its data.
#[derive(Debug, Clone)]
pub enum Failure {
    /// This status, with Instantly's error body.
    Status(u16),
    /// 200 with a body that is not JSON.
    Malformed,
}

/// What the fake holds.
#[derive(Default)]
pub struct Workspace {
    /// The API key it accepts.
    pub key: String,
    /// Campaign objects (`id`, `name`, `status`, `sequences`).
    pub campaigns: Vec<Value>,
    /// Analytics rows by day (`YYYY-MM-DD`), one per campaign.
    pub analytics: HashMap<String, Vec<Value>>,
    /// Step analytics rows by campaign id.
    pub steps: HashMap<String, Vec<Value>>,
    /// Emails by campaign id, newest first.
    pub emails: HashMap<String, Vec<Value>>,
    /// Leads: `email`, `campaign` (its id) and `lt_interest_status`.
    pub leads: Vec<Value>,
    /// Every write that changed something: method, path and body.
    pub writes: Vec<(String, Value)>,
    pub fail: Option<Failure>,
    /// Every call: path and query, in order.
    pub requests: Vec<String>,
}

type Shared = Arc<Mutex<Workspace>>;

/// A running loopback Instantly.
pub struct InstantlyPeer {
    pub url: String,
    pub port: u16,
    state: Shared,
}

impl InstantlyPeer {
    /// Start on an ephemeral loopback port, accepting `key`.
    pub fn start(key: &str) -> InstantlyPeer {
        let state: Shared = Arc::new(Mutex::new(Workspace {
            key: key.to_owned(),
            ..Workspace::default()
        }));
        let app = Router::new()
            .route("/api/v2/campaigns", get(campaigns))
            .route("/api/v2/campaigns/analytics", get(analytics))
            .route("/api/v2/campaigns/analytics/steps", get(steps))
            .route(
                "/api/v2/campaigns/{id}",
                get(campaign).patch(patch_campaign),
            )
            .route("/api/v2/leads/update-interest-status", post(interest))
            .route("/api/v2/leads/move", post(move_leads))
            .route("/api/v2/emails", get(emails))
            .with_state(state.clone());
        let url = crate::serve_on_thread(app);
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port");
        InstantlyPeer { url, port, state }
    }

    /// The workspace, to fill or inspect.
    pub fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.state.lock().expect("workspace lock")
    }
}

type Params = Query<HashMap<String, String>>;

/// The key check, the failure on demand, and the request log.
fn gate(
    state: &Shared,
    headers: &HeaderMap,
    path: &str,
    q: &HashMap<String, String>,
) -> Option<Response> {
    let mut w = state.lock().expect("workspace lock");
    let mut query: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    query.sort();
    w.requests.push(format!("{path}?{}", query.join("&")));
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(w.key.as_str()) {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "statusCode": 401, "error": "Unauthorized", "message": "Invalid API key" })),
            )
                .into_response(),
        );
    }
    match &w.fail {
        Some(Failure::Status(s)) => Some(
            (
                StatusCode::from_u16(*s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                Json(json!({ "statusCode": s, "error": "Internal Server Error", "message": "try again" })),
            )
                .into_response(),
        ),
        Some(Failure::Malformed) => Some(
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                "{\"items\": [{\"id\": ",
            )
                .into_response(),
        ),
        None => None,
    }
}

/// `items` after `starting_after`, at most `limit`, with the cursor.
fn page(items: &[Value], q: &HashMap<String, String>) -> Value {
    let limit: usize = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100)
        .clamp(1, 100);
    let start = q
        .get("starting_after")
        .and_then(|after| items.iter().position(|i| i["id"].as_str() == Some(after)))
        .map_or(0, |i| i + 1);
    let chunk: Vec<Value> = items.iter().skip(start).take(limit).cloned().collect();
    let next = (start + chunk.len() < items.len())
        .then(|| chunk.last().map(|l| l["id"].clone()))
        .flatten();
    json!({ "items": chunk, "next_starting_after": next })
}

async fn campaigns(State(s): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = gate(&s, &headers, "/api/v2/campaigns", &q) {
        return r;
    }
    let w = s.lock().expect("workspace lock");
    Json(page(&w.campaigns, &q)).into_response()
}

async fn analytics(State(s): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = gate(&s, &headers, "/api/v2/campaigns/analytics", &q) {
        return r;
    }
    let w = s.lock().expect("workspace lock");
    // One day at a time, as the skill asks.
    let day = q.get("start_date").cloned().unwrap_or_default();
    if q.get("end_date") != Some(&day) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "one day only" })),
        )
            .into_response();
    }
    Json(Value::Array(
        w.analytics.get(&day).cloned().unwrap_or_default(),
    ))
    .into_response()
}

async fn steps(State(s): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = gate(&s, &headers, "/api/v2/campaigns/analytics/steps", &q) {
        return r;
    }
    let w = s.lock().expect("workspace lock");
    let id = q.get("campaign_id").cloned().unwrap_or_default();
    Json(Value::Array(w.steps.get(&id).cloned().unwrap_or_default())).into_response()
}

async fn emails(State(s): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = gate(&s, &headers, "/api/v2/emails", &q) {
        return r;
    }
    let w = s.lock().expect("workspace lock");
    let id = q.get("campaign_id").cloned().unwrap_or_default();
    let all = w.emails.get(&id).cloned().unwrap_or_default();
    let received: Vec<Value> = match q.get("email_type").map(String::as_str) {
        Some("received") => all.into_iter().filter(|e| e["ue_type"] == 2).collect(),
        _ => all,
    };
    Json(page(&received, &q)).into_response()
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "statusCode": 404, "error": "Not Found", "message": format!("{what} not found") })),
    )
        .into_response()
}

async fn campaign(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    if let Some(r) = gate(&s, &headers, &format!("GET /api/v2/campaigns/{id}"), &q) {
        return r;
    }
    let w = s.lock().expect("workspace lock");
    match w.campaigns.iter().find(|c| c["id"] == id.as_str()) {
        Some(c) => Json(c.clone()).into_response(),
        None => not_found("Campaign"),
    }
}

async fn patch_campaign(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let path = format!("/api/v2/campaigns/{id}");
    if let Some(r) = gate(&s, &headers, &format!("PATCH {path}"), &HashMap::new()) {
        return r;
    }
    let mut w = s.lock().expect("workspace lock");
    let Some(c) = w.campaigns.iter_mut().find(|c| c["id"] == id.as_str()) else {
        return not_found("Campaign");
    };
    let Some(obj) = body.as_object() else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "body must be an object" })),
        )
            .into_response();
    };
    for (k, v) in obj {
        c[k] = v.clone();
    }
    let now = c.clone();
    w.writes.push((format!("PATCH {path}"), body));
    Json(now).into_response()
}

async fn interest(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let path = "/api/v2/leads/update-interest-status";
    if let Some(r) = gate(&s, &headers, &format!("POST {path}"), &HashMap::new()) {
        return r;
    }
    let (Some(email), Some(_)) = (body["lead_email"].as_str(), body.get("interest_value")) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "body/lead_email and body/interest_value are required" })),
        )
            .into_response();
    };
    let mut w = s.lock().expect("workspace lock");
    let campaign = body["campaign_id"].as_str();
    for lead in w
        .leads
        .iter_mut()
        .filter(|l| l["email"] == email && campaign.is_none_or(|c| l["campaign"] == c))
    {
        lead["lt_interest_status"] = body["interest_value"].clone();
    }
    w.writes.push((format!("POST {path}"), body));
    Json(json!({ "message": "Lead interest status update background job submitted" }))
        .into_response()
}

async fn move_leads(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let path = "/api/v2/leads/move";
    if let Some(r) = gate(&s, &headers, &format!("POST {path}"), &HashMap::new()) {
        return r;
    }
    let (Some(to), Some(from)) = (body["to_campaign_id"].as_str(), body["campaign"].as_str())
    else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "a source campaign and to_campaign_id are required" })),
        )
            .into_response();
    };
    let search = body["search"].as_str().unwrap_or_default().to_owned();
    let mut w = s.lock().expect("workspace lock");
    let mut moved = 0;
    for lead in w
        .leads
        .iter_mut()
        .filter(|l| l["campaign"] == from && l["email"] == search.as_str())
    {
        lead["campaign"] = json!(to);
        moved += 1;
    }
    if moved > 0 {
        w.writes.push((format!("POST {path}"), body));
    }
    Json(json!({ "id": "job-move-1", "status": "pending", "workspace_id": "ws-1", "type": "move-leads" })).into_response()
}
