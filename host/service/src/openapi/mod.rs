//! `GET /openapi.json`: the API described as OpenAPI 3.1. Each operation
//! is generated from its handler: a `#[utoipa::path]` on the handler
//! (its method, path, summary, security, parameters, body and every
//! status it can answer, problems by named set from `attrs.rs`), and the
//! route is added with `utoipa_axum::routes!`, so no route is served
//! without its document. A body read into a struct has its schema derived
//! from it (`#[derive(ToSchema)]`: a `deny_unknown_fields` struct is
//! `additionalProperties: false`); the JSON views and the bodies with no
//! struct of their own are named by type (`named_schemas!`) and written
//! next to the routes: the shell's in `schemas.rs`, each app's through
//! the seam (`WebApp::openapi`), with the pieces of `kit.rs`. Path
//! parameters are added from each path's template, so none can be left
//! out. `tests/all/schema.rs` checks the router's routes against this
//! document both ways, that every `$ref` resolves, and runs schemathesis
//! over it on both backends.

mod attrs;
pub mod kit;
mod schemas;

pub use attrs::*;

use crate::WebApp;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// A path template's `{name}`: the parameter, described.
fn path_param(name: &str) -> Value {
    let (description, example) = match name {
        "id" => ("The job's, approval's or effect's id", None),
        "handle" => ("The user's handle", Some("rep1")),
        "event_type" => ("An event type a sequence handles", Some("meeting_ended")),
        "slug" => ("The org's slug", None),
        "source" => (
            "The source's name: 1 to 64 letters, digits or dashes",
            Some("billing"),
        ),
        "secret" => ("The one-time secret of a magic link", None),
        "name" => (
            "The skill's name, or the provider key's",
            Some("detect-intents"),
        ),
        _ => ("A path parameter", None),
    };
    let mut p = json!({ "name": name, "in": "path", "required": true, "description": description,
                        "schema": { "type": "string", "minLength": 1 } });
    if let Some(e) = example {
        p["example"] = json!(e);
    }
    p
}

/// What every operation shares: a path parameter for each `{name}` of its
/// template (and a 404: nothing there), the 400 the router gives any path
/// or query holding a NUL byte, and links under their OpenAPI names.
fn finish(paths: &mut Value) {
    let Some(paths) = paths.as_object_mut() else {
        return;
    };
    for (template, ops) in paths.iter_mut() {
        let names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        for op in ops.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            // An app describes its own path parameters; the rest are the
            // shell's.
            let listed = |name: &str| {
                op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path" && p["name"] == name))
            };
            let mut params: Vec<Value> = names
                .iter()
                .copied()
                .filter(|n| !listed(n))
                .map(path_param)
                .collect();
            params.extend(op["parameters"].as_array().cloned().unwrap_or_default());
            if !params.is_empty() {
                op["parameters"] = Value::Array(params);
            }
            let statuses: &[u16] = if names.is_empty() {
                &[400]
            } else {
                &[400, 404]
            };
            for (status, problem) in problems(statuses) {
                if op["responses"].get(&status).is_none() {
                    op["responses"][status] = serde_json::to_value(problem).unwrap_or_default();
                }
            }
            for response in op["responses"]
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                for link in response
                    .get_mut("links")
                    .and_then(Value::as_object_mut)
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                {
                    camel_case_link(link);
                }
            }
        }
    }
}

/// A link's fields as OpenAPI names them (`operationId`, `operationRef`,
/// `requestBody`): utoipa 5's `Link` serializes its Rust field names.
fn camel_case_link(link: &mut Value) {
    let Some(fields) = link.as_object_mut() else {
        return;
    };
    for (rust, openapi) in [
        ("operation_id", "operationId"),
        ("operation_ref", "operationRef"),
        ("request_body", "requestBody"),
    ] {
        if let Some(v) = fields.remove(rust) {
            fields.insert(openapi.to_owned(), v);
        }
    }
}

/// The document: the operations `generated` from the handlers, and the
/// schemas of the shell and each of `apps` (with the fields their
/// preferences add to a user's).
pub fn spec(generated: utoipa::openapi::OpenApi, apps: &[Arc<dyn WebApp>]) -> Value {
    let parts: Vec<Value> = apps.iter().map(|a| a.openapi()).collect();
    let mut preferences = Map::new();
    for part in &parts {
        if let Some(fields) = part["preferences"].as_object() {
            preferences.extend(fields.clone());
        }
    }
    // The schemas derived from the handlers' types (`#[derive(ToSchema)]`
    // on a body), then the written ones; a name that only stands for a
    // written schema (`named_schemas!`) is a reference to itself here.
    let mut components = derived(&generated);
    if let Value::Object(written) = schemas::schemas(preferences) {
        components.extend(written);
    }
    for part in parts {
        if let Some(s) = part["schemas"].as_object() {
            components.extend(s.clone());
        }
    }
    // The operations only: the names their bodies use stand for the
    // components above (`named_schemas!`).
    let mut paths = serde_json::to_value(&generated.paths).unwrap_or_default();
    finish(&mut paths);
    json!({
        "openapi": "3.1.0",
        "info": { "title": "baton", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Events to chains of sandboxed skills, with a person in the loop. \
                     Errors are `application/problem+json` (RFC 9457). A path or query holding a NUL \
                     byte is refused with 400 on every route; JSON text holding a NUL character with 422." },
        "components": {
            "securitySchemes": {
                "org": { "type": "http", "scheme": "bearer", "description": "An org API token (`baton token create`)" },
                "admin": { "type": "http", "scheme": "bearer", "description": "BATON_ADMIN_TOKEN" },
                "metrics": { "type": "http", "scheme": "bearer", "description": "BATON_METRICS_TOKEN: reading /metrics" },
                "session": { "type": "apiKey", "in": "cookie", "name": "baton_session",
                    "description": "The inbox's session, made by signing in with an org token or a magic link" }
            },
            "schemas": components,
        },
        "paths": paths,
    })
}

/// The component schemas derived from the handlers' types, without the
/// names that stand for written ones.
fn derived(generated: &utoipa::openapi::OpenApi) -> Map<String, Value> {
    let Some(components) = &generated.components else {
        return Map::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| {
            let schema = serde_json::to_value(schema).ok()?;
            let stands_for = format!("#/components/schemas/{name}");
            (schema["$ref"] != stands_for.as_str()).then(|| (name.clone(), schema))
        })
        .collect()
}

/// Serve the document (made once, with the router).
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
pub(crate) async fn document(Extension(document): Extension<Arc<Value>>) -> Json<Value> {
    Json(Value::clone(&document))
}
