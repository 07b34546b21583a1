//! The pieces an OpenAPI document of baton's is written with: media
//! types, the statuses route families answer, responses, bodies,
//! parameters and schema shapes. The shell's part (`paths.rs`,
//! `schemas.rs`) and each app's are written with them.

use serde_json::{Map, Value, json};

pub const JSON: &str = "application/json";
pub const PROBLEM: &str = "application/problem+json";
pub const HTML: &str = "text/html";
pub const TEXT: &str = "text/plain";
pub const FORM: &str = "application/x-www-form-urlencoded";

/// Longest list a caller can ask for (`?limit=`), as in `api/mod.rs`.
pub const MAX_LIMIT: i64 = 1000;

/// Any route that reads the org's token: missing or bad (401), or the
/// database too busy to check it (503).
pub const ORG: &[u16] = &[401, 503];
/// Operator routes: a bad admin token (401), or none configured (403).
pub const ADMIN: &[u16] = &[401, 403];
/// Routes that read a JSON body: too large, not JSON, not valid.
pub const BODY: &[u16] = &[413, 415, 422];
/// What submitting an event can answer besides a bad body (`reason` says
/// which refusal).
pub const SUBMIT: &[u16] = &[402, 404, 409, 422, 503];
/// Routes that read the database.
pub const DB: &[u16] = &[503];

/// A webhook: verified (key, signature, token) before its body is read;
/// without a good one, 401 (403 when the route's secret is not set), and
/// a body too large is 413.
pub const VERIFIED: &[u16] = &[401, 403, 413];

/// What a webhook that submits an event answers: a job created (202), or
/// `duplicate_or` (200).
pub fn submitted(duplicate_or: &str) -> Value {
    json!({
        "202": ok("A job was created", schema_ref("Accepted")),
        "200": ok(duplicate_or, json!({ "oneOf": [schema_ref("Duplicate"), schema_ref("Ignored")] })),
    })
}

/// The first item's id, in a list response.
pub const FIRST_ID: &str = "$response.body#/0/id";

pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub fn array_of(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// A response with a body of `media` type.
pub fn body(description: &str, media: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { media: { "schema": schema } } })
}

pub fn ok(description: &str, schema: Value) -> Value {
    body(description, JSON, schema)
}

pub fn html(description: &str) -> Value {
    body(description, HTML, json!({ "type": "string" }))
}

pub fn text(description: &str) -> Value {
    body(description, TEXT, json!({ "type": "string" }))
}

/// A redirect (`303 See Other`) with no body.
pub fn see_other(description: &str) -> Value {
    json!({ "description": description, "headers": { "Location": {
        "description": "Where to go next", "schema": { "type": "string" } } } })
}

/// `response` with links: each `(operation, param, from)` says where the
/// operation's `param` comes from in this response (for readers, and for
/// schemathesis' stateful phase).
pub fn linked(mut response: Value, links: &[(&str, &str, &str)]) -> Value {
    for (operation, param, from) in links {
        response["links"][*operation] =
            json!({ "operationId": operation, "parameters": { *param: from } });
    }
    response
}

/// A problem answer with `status`, and what it means.
pub fn problem(status: u16) -> Value {
    let means = match status {
        400 => {
            "Bad request: a NUL byte (`%00`) in the path or query (refused on every route), JSON \
             that does not parse, or a query parameter that is unknown, mistyped or out of range"
        }
        401 => {
            "The credential is missing, not valid or revoked, or a webhook's signature or key does not match"
        }
        402 => "Refused: the org's monthly budget does not cover the sequence (`reason: budget`)",
        403 => {
            "Forbidden: the route is off (its secret is not set), or the token's org may not do this"
        }
        404 => {
            "Not found, or another org's: the path's id, handle, slug or event type, or the event's org or user"
        }
        409 => {
            "Conflict: already decided or no longer pending, the daily send cap, a disabled event type, or a sequence that cannot run"
        }
        413 => "The body is larger than the service's limit (`max_body_bytes`)",
        415 => "The body is not sent as `application/json`",
        422 => {
            "The body parses but is not valid: a missing, unknown or mistyped field, text holding a \
             NUL character (named in `detail`), or a value out of range"
        }
        503 => "The database is busy or unreachable; retry",
        _ => "A problem",
    };
    body(means, PROBLEM, schema_ref("Problem"))
}

/// `answers` plus a problem for each status of `errors` it does not name.
pub fn answers(answers: Value, errors: &[&[u16]]) -> Value {
    let mut all = answers;
    for &status in errors.iter().copied().flatten() {
        if all.get(status.to_string()).is_none() {
            all[status.to_string()] = problem(status);
        }
    }
    all
}

pub fn security(scheme: &str) -> Value {
    json!([{ scheme: [] }])
}

pub fn json_body(schema: &str) -> Value {
    json!({ "required": true, "content": { JSON: { "schema": schema_ref(schema) } } })
}

pub fn form_body(schema: Value) -> Value {
    json!({ "required": true, "content": { FORM: { "schema": schema } } })
}

pub fn header(name: &str, required: bool, description: &str) -> Value {
    json!({ "name": name, "in": "header", "required": required, "description": description,
            "schema": { "type": "string" } })
}

/// `?status=` (one of `statuses`) and `?limit=`.
pub fn list_query(statuses: &[&str], default: &str) -> Value {
    json!([
        { "name": "status", "in": "query", "required": false, "description": format!("Only these (default `{default}`)"),
          "schema": { "type": "string", "enum": statuses, "default": default } },
        { "name": "limit", "in": "query", "required": false, "description": "How many, newest first",
          "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100 } }
    ])
}

/// An object whose properties are all present (a response the handler
/// always fills in); `null` only where the type says so.
pub fn record(properties: Value) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A request body read into a `deny_unknown_fields` struct.
pub fn strict(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "additionalProperties": false, "properties": properties })
}

/// `schema` with `examples` (the first is what the document shows).
pub fn eg(mut schema: Value, examples: Value) -> Value {
    schema["examples"] = examples;
    schema
}

pub fn string() -> Value {
    json!({ "type": "string" })
}

pub fn int() -> Value {
    json!({ "type": "integer" })
}

pub fn boolean() -> Value {
    json!({ "type": "boolean" })
}

pub fn or_null(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

/// One object of the members of `parts` (a JSON literal this size is
/// past `json!`'s recursion limit in one piece).
pub fn merged<const N: usize>(parts: [Value; N]) -> Value {
    let mut all = Map::new();
    for part in parts {
        if let Value::Object(m) = part {
            all.extend(m);
        }
    }
    Value::Object(all)
}
