//! `GET /openapi.json`: the API described as OpenAPI 3.1. Written by hand
//! next to the routes; a test walks every path here against the live
//! router, so a path that is documented but not served fails the build.

use axum::Json;
use serde_json::{Value, json};

fn problem() -> Value {
    json!({ "description": "A problem (RFC 9457)", "content": { "application/problem+json": {
        "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

fn ok(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } })
}

fn op(summary: &str, security: &str, responses: Value) -> Value {
    let mut o = json!({ "summary": summary, "responses": responses });
    if !security.is_empty() {
        o["security"] = json!([{ security: [] }]);
    }
    o
}

fn with_body(mut o: Value, schema: Value) -> Value {
    o["requestBody"] =
        json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    o
}

/// The document.
pub fn spec() -> Value {
    let std =
        |d: &str| json!({ "200": ok(d), "400": problem(), "401": problem(), "404": problem() });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "baton", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Events to chains of sandboxed skills, with a person in the loop." },
        "components": {
            "securitySchemes": {
                "org": { "type": "http", "scheme": "bearer", "description": "An org API token" },
                "admin": { "type": "http", "scheme": "bearer", "description": "BATON_ADMIN_TOKEN" }
            },
            "schemas": {
                "Problem": { "type": "object", "required": ["status", "detail"], "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" },
                    "status": { "type": "integer" }, "detail": { "type": "string" },
                    "reason": { "type": "string" }, "job_id": { "type": ["string", "null"] } } },
                "Event": { "type": "object", "required": ["type", "user", "payload"], "additionalProperties": false,
                    "properties": { "type": { "type": "string" }, "user": { "type": "string" },
                        "payload": { "type": "object" }, "idempotency_key": { "type": "string" },
                        "source": { "type": "string" } } },
                "Decision": { "type": "object", "required": ["decision"], "properties": {
                    "decision": { "enum": ["approved", "edited", "skipped", "cancelled", "chosen", "per_item"] },
                    "value": {}, "by": { "type": "string" } } },
                "Preferences": { "type": "object", "additionalProperties": false, "properties": {
                    "timezone": { "type": "string" }, "working_start_min": { "type": "integer" },
                    "working_end_min": { "type": "integer" }, "quiet_start_min": { "type": ["integer", "null"] },
                    "quiet_end_min": { "type": ["integer", "null"] }, "max_notifications_per_hour": { "type": "integer" },
                    "briefing_time_min": { "type": "integer" }, "daily_send_cap": { "type": "integer" },
                    "slack_channel": { "type": ["string", "null"] }, "email_signature": { "type": ["string", "null"] } } }
            }
        },
        "paths": {
            "/healthz": { "get": op("Liveness", "", json!({ "200": { "description": "ok" } })) },
            "/readyz": { "get": op("Readiness: the database answers and no shutdown is under way", "",
                json!({ "200": { "description": "ready" }, "503": problem() })) },
            "/metrics": { "get": op("Prometheus metrics", "", json!({ "200": { "description": "OpenMetrics text" } })) },
            "/openapi.json": { "get": op("This document", "", json!({ "200": ok("OpenAPI 3.1") })) },
            "/v1/events": { "post": with_body(op("Submit an event", "org", json!({
                "202": ok("A job was created"), "200": ok("A redelivery: the job already handling it"),
                "402": problem(), "404": problem(), "409": problem(), "422": problem(), "401": problem() })),
                json!({ "$ref": "#/components/schemas/Event" })) },
            "/v1/jobs": { "get": op("Jobs, newest first (?status=, ?limit=)", "org", std("Jobs")) },
            "/v1/jobs/{id}": { "get": op("A job: step timeline, gates, follow-ups, effects, execution metadata", "org", std("The job")) },
            "/v1/approvals": { "get": op("Approvals (?status=open|decided|expired|cancelled|all)", "org", std("Approvals")) },
            "/v1/approvals/{id}": { "get": op("One approval with its preview", "org", std("The approval")) },
            "/v1/approvals/{id}/decision": { "post": with_body(op("Decide an approval", "org", json!({
                "200": ok("Decided"), "404": problem(), "409": problem(), "422": problem(), "401": problem() })),
                json!({ "$ref": "#/components/schemas/Decision" })) },
            "/v1/skills": { "get": op("Installed skills and load problems", "org", std("Skills")) },
            "/v1/crm/import": { "post": with_body(op("Import the caller's org's CRM data", "org", json!({
                "200": ok("Summary"), "403": problem(), "422": problem(), "401": problem() })), json!({ "type": "object" })) },
            "/v1/users": { "get": op("The org's users", "org", std("Users")) },
            "/v1/users/{handle}/preferences": {
                "get": op("A user's preferences", "org", std("Preferences")),
                "put": with_body(op("Replace a user's preferences", "org", json!({
                    "200": ok("Preferences"), "404": problem(), "422": problem(), "401": problem() })),
                    json!({ "$ref": "#/components/schemas/Preferences" })) },
            "/v1/do-not-contact": {
                "get": op("The org's do-not-contact list, newest first", "org", std("Suppressions")),
                "post": with_body(op("Put an address on the do-not-contact list; cancels emails queued to it", "org", json!({
                    "200": ok("What the flag stopped"), "422": problem(), "401": problem() })),
                    json!({ "type": "object", "required": ["email"], "properties": {
                        "email": { "type": "string" }, "reason": { "type": "string" } } })) },
            "/v1/features": { "get": op("Event types: enabled, runnable, missing skills", "org", std("Features")) },
            "/v1/features/{event_type}": { "put": with_body(op("Enable or disable an event type", "org", std("Feature")),
                json!({ "type": "object", "required": ["enabled"], "properties": { "enabled": { "type": "boolean" } } })) },
            "/v1/admin/orgs": { "get": op("Every org", "admin", std("Orgs")) },
            "/v1/admin/import": { "post": with_body(op("Import any org (creates it)", "admin", std("Summary")), json!({ "type": "object" })) },
            "/v1/admin/orgs/{slug}/tokens": { "post": with_body(op("Make an org API token (shown once)", "admin", json!({
                "201": ok("The token"), "404": problem(), "422": problem(), "401": problem(), "403": problem() })),
                json!({ "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } })) },
            "/v1/admin/orgs/{slug}/magic-links": { "post": with_body(op("Make a one-time inbox login link", "admin", json!({
                "201": ok("The link"), "404": problem(), "422": problem(), "401": problem() })),
                json!({ "type": "object", "required": ["user"], "properties": { "user": { "type": "string" }, "minutes": { "type": "integer" } } })) },
            "/v1/webhooks/meetingbaas": { "post": op("Meeting BaaS: v1 `complete` (x-meeting-baas-api-key) or v2 `bot.completed` (Svix-signed) → meeting_ended", "",
                json!({ "202": ok("Job created"), "200": ok("Duplicate or ignored event"), "401": problem(), "403": problem(), "422": problem() })) },
            "/v1/webhooks/slack/interactions": { "post": op("Slack interactivity (v0-signed form); buttons decide approvals", "",
                json!({ "200": { "description": "Acknowledged" }, "401": problem(), "400": problem() })) },
            "/v1/webhooks/gmail": { "post": op("Gmail Pub/Sub push (?token=) → email_received", "",
                json!({ "202": ok("Job created"), "200": ok("Duplicate or ignored"), "401": problem(), "422": problem() })) },
            "/v1/webhooks/google-calendar": { "post": op("Google Calendar push (channel id and token checked)", "",
                json!({ "200": ok("Acknowledged"), "404": problem(), "401": problem(), "400": problem() })) },
            "/v1/webhooks/generic/{source}": { "post": op("Any source, Standard Webhooks-signed: {type, org, user, payload}", "",
                json!({ "202": ok("Job created"), "200": ok("Duplicate"), "401": problem(), "403": problem(), "422": problem() })) },
            "/inbox": { "get": op("The web approval inbox (HTML)", "", json!({ "200": { "description": "HTML" } })) }
        }
    })
}

/// Serve the document.
pub async fn document() -> Json<Value> {
    Json(spec())
}
