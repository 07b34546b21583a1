//! A loopback HubSpot speaking the CRM v3 shapes baton uses, as documented
//! (<https://developers.hubspot.com/docs/api/crm>): deals `search`, read
//! (`GET`, the `properties` asked for; HubSpot gives unset ones as null)
//! and `PATCH`, tasks and notes created with associations and found again by
//! `search` (`EQ`, `CONTAINS_TOKEN`), a page of a type's objects (the token
//! check baton makes on connect), a private app token checked on each
//! call (401 `INVALID_AUTHENTICATION` otherwise), 429s on demand with
//! HubSpot's rate-limit headers and error body, and on demand the search
//! index's lag behind writes. On its own thread.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex, MutexGuard};

/// What the fake holds.
#[derive(Default)]
pub struct Portal {
    /// The private app token it accepts.
    pub token: String,
    /// Objects by type (`deals`, `tasks`, `notes`): id and properties (and
    /// associations, for created ones).
    pub objects: std::collections::HashMap<String, Vec<Value>>,
    /// Calls answered 429 before any other is served.
    pub throttle: usize,
    /// Every call: method and path, in order.
    pub requests: Vec<String>,
    /// HubSpot's search lags its writes by seconds: while set, what is
    /// created is not found by `search` (until it is unset).
    pub search_lags: bool,
    unindexed: std::collections::HashSet<String>,
    serial: u64,
}

impl Portal {
    /// Add a deal named `name`; its id.
    pub fn add_deal(&mut self, name: &str, stage: &str) -> String {
        self.serial += 1;
        let id = format!("{}", 9_000 + self.serial);
        self.objects.entry("deals".into()).or_default().push(json!({
            "id": id, "properties": { "dealname": name, "dealstage": stage },
        }));
        id
    }

    /// The objects of a type.
    pub fn all(&self, object: &str) -> Vec<Value> {
        self.objects.get(object).cloned().unwrap_or_default()
    }

    /// How many calls matched `method path-prefix`.
    pub fn calls(&self, prefix: &str) -> usize {
        self.requests
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }
}

type Shared = Arc<Mutex<Portal>>;

/// A running loopback HubSpot.
pub struct HubSpotPeer {
    pub url: String,
    state: Shared,
}

impl HubSpotPeer {
    /// Start on an ephemeral loopback port, accepting `token`.
    pub fn start(token: &str) -> HubSpotPeer {
        let state: Shared = Arc::new(Mutex::new(Portal {
            token: token.to_owned(),
            ..Portal::default()
        }));
        let app = Router::new()
            .route("/crm/v3/objects/{object}/search", post(search))
            .route("/crm/v3/objects/{object}", post(create).get(list))
            .route("/crm/v3/objects/{object}/{id}", patch(update).get(read))
            .with_state(state.clone());
        HubSpotPeer {
            url: crate::serve_on_thread(app),
            state,
        }
    }

    /// The fake's state, to arrange or inspect.
    pub fn state(&self) -> MutexGuard<'_, Portal> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn error(status: StatusCode, category: &str, message: &str) -> Response {
    let body = json!({ "status": "error", "message": message,
        "correlationId": uuid::Uuid::new_v4().to_string(), "category": category });
    (status, Json(body)).into_response()
}

/// Log the call, then the 429 or 401 to answer instead, if one is due.
fn gate(p: &mut Portal, headers: &HeaderMap, line: String) -> Option<Response> {
    p.requests.push(line);
    if p.throttle > 0 {
        p.throttle -= 1;
        let mut r = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({ "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT", "correlationId": uuid::Uuid::new_v4().to_string(),
                "policyName": "TEN_SECONDLY_ROLLING" })),
        )
            .into_response();
        for (k, v) in [
            ("retry-after", "10"),
            ("x-hubspot-ratelimit-max", "100"),
            ("x-hubspot-ratelimit-remaining", "0"),
            ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
        ] {
            r.headers_mut().insert(k, v.parse().expect("header"));
        }
        return Some(r);
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(p.token.as_str()) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
        ));
    }
    None
}

fn matches(object: &Value, filter: &Value) -> bool {
    let property = filter["propertyName"].as_str().unwrap_or("");
    let value = filter["value"].as_str().unwrap_or("");
    let have = object["properties"][property].as_str().unwrap_or("");
    match filter["operator"].as_str() {
        Some("EQ") => have.eq_ignore_ascii_case(value),
        Some("CONTAINS_TOKEN") => have
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| t.eq_ignore_ascii_case(value)),
        _ => false,
    }
}

async fn search(
    State(state): State<Shared>,
    Path(object): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut p = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = gate(
        &mut p,
        &headers,
        format!("POST /crm/v3/objects/{object}/search"),
    ) {
        return r;
    }
    // OR across filter groups, AND within one.
    let groups = body["filterGroups"].as_array().cloned().unwrap_or_default();
    let results: Vec<Value> = p
        .all(&object)
        .into_iter()
        .filter(|o| {
            !o["id"]
                .as_str()
                .is_some_and(|id| p.search_lags && p.unindexed.contains(id))
        })
        .filter(|o| {
            groups.iter().any(|g| {
                g["filters"]
                    .as_array()
                    .is_some_and(|f| f.iter().all(|f| matches(o, f)))
            })
        })
        .map(|mut o| {
            o["createdAt"] = json!("2026-11-23T15:00:00.000Z");
            o["updatedAt"] = json!("2026-11-23T15:00:00.000Z");
            o["archived"] = json!(false);
            o
        })
        .collect();
    let limit = body["limit"].as_u64().unwrap_or(10) as usize;
    let total = results.len();
    let page: Vec<Value> = results.into_iter().take(limit).collect();
    let mut answer = json!({ "total": total, "results": page });
    if total > limit {
        answer["paging"] = json!({ "next": { "after": limit.to_string() } });
    }
    Json(answer).into_response()
}

async fn create(
    State(state): State<Shared>,
    Path(object): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut p = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = gate(&mut p, &headers, format!("POST /crm/v3/objects/{object}")) {
        return r;
    }
    let Some(properties) = body["properties"].as_object().cloned() else {
        return error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "properties is required",
        );
    };
    if !properties.contains_key("hs_timestamp") && matches!(object.as_str(), "tasks" | "notes") {
        return error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "Property values were not valid: hs_timestamp is required",
        );
    }
    p.serial += 1;
    let id = format!("{}", 50_000 + p.serial);
    if p.search_lags {
        p.unindexed.insert(id.clone());
    }
    let made = json!({ "id": id, "properties": properties, "associations": body["associations"],
        "createdAt": "2026-11-23T15:00:00.000Z", "updatedAt": "2026-11-23T15:00:00.000Z", "archived": false });
    p.objects.entry(object).or_default().push(made.clone());
    (StatusCode::CREATED, Json(made)).into_response()
}

async fn update(
    State(state): State<Shared>,
    Path((object, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut p = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = gate(
        &mut p,
        &headers,
        format!("PATCH /crm/v3/objects/{object}/{id}"),
    ) {
        return r;
    }
    let changes: Map<String, Value> = body["properties"].as_object().cloned().unwrap_or_default();
    let found = p
        .objects
        .get_mut(&object)
        .and_then(|all| all.iter_mut().find(|o| o["id"] == id.as_str()));
    let Some(o) = found else {
        return error(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            &format!("resource not found: {object} {id}"),
        );
    };
    for (k, v) in changes {
        o["properties"][k] = v;
    }
    Json(o.clone()).into_response()
}

/// A page of a type's objects (`limit`, default 10): what a token check
/// reads.
async fn list(
    State(state): State<Shared>,
    Path(object): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut p = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = gate(&mut p, &headers, format!("GET /crm/v3/objects/{object}")) {
        return r;
    }
    let limit = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    let results: Vec<Value> = p.all(&object).into_iter().take(limit).collect();
    Json(json!({ "results": results })).into_response()
}

async fn read(
    State(state): State<Shared>,
    Path((object, id)): Path<(String, String)>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut p = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = gate(
        &mut p,
        &headers,
        format!("GET /crm/v3/objects/{object}/{id}"),
    ) {
        return r;
    }
    let Some(o) = p.all(&object).into_iter().find(|o| o["id"] == id.as_str()) else {
        return error(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            &format!("resource not found: {object} {id}"),
        );
    };
    let mut properties = Map::new();
    for name in query
        .get("properties")
        .into_iter()
        .flat_map(|p| p.split(','))
    {
        properties.insert(
            name.to_owned(),
            o["properties"].get(name).cloned().unwrap_or(Value::Null),
        );
    }
    Json(json!({ "id": id, "properties": properties, "archived": false })).into_response()
}
