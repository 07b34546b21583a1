//! The pieces the document's schemas are written with (the shell's in
//! `schemas.rs`, each app's part), and what each problem status means.

use serde_json::{Map, Value, json};

/// The media type of a problem answer.
pub const PROBLEM: &str = "application/problem+json";

pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub fn array_of(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// What a problem answer with `status` means.
pub fn means(status: u16) -> &'static str {
    match status {
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
    }
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
