//! `GET /openapi.json`: the API described as OpenAPI 3.1, written by hand
//! next to the routes. Each operation lists every status its handler can
//! answer; each body schema follows the handler's types (a
//! `deny_unknown_fields` struct is `additionalProperties: false`); path
//! parameters are added from each path's template, so none can be left out.
//! `tests/all/schema.rs` checks the router's routes against this document both
//! ways and runs schemathesis over it on both backends.
//!
//! The document is data: the operations and schemas are JSON literals
//! (which rustfmt leaves as written), so one route reads as one block.
//!
//! Why one file over ~400 lines: it is one document, read top to bottom
//! beside the router; split by route group it would scatter the shared
//! schemas and statuses the groups refer to.

use axum::Json;
use serde_json::{Map, Value, json};

const JSON: &str = "application/json";
const PROBLEM: &str = "application/problem+json";
const HTML: &str = "text/html";
const TEXT: &str = "text/plain";
const FORM: &str = "application/x-www-form-urlencoded";

/// Longest list a caller can ask for (`?limit=`), as in `api.rs`.
const MAX_LIMIT: i64 = 1000;

/// Any route that reads the org's token: missing or bad (401), or the
/// database too busy to check it (503).
const ORG: &[u16] = &[401, 503];
/// Operator routes: a bad admin token (401), or none configured (403).
const ADMIN: &[u16] = &[401, 403];
/// Routes that read a JSON body: too large, not JSON, not valid.
const BODY: &[u16] = &[413, 415, 422];
/// What submitting an event can answer besides a bad body (`reason` says
/// which refusal).
const SUBMIT: &[u16] = &[402, 404, 409, 422, 503];
/// Routes that read the database.
const DB: &[u16] = &[503];

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// A response with a body of `media` type.
fn body(description: &str, media: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { media: { "schema": schema } } })
}

fn ok(description: &str, schema: Value) -> Value {
    body(description, JSON, schema)
}

fn html(description: &str) -> Value {
    body(description, HTML, json!({ "type": "string" }))
}

fn text(description: &str) -> Value {
    body(description, TEXT, json!({ "type": "string" }))
}

/// A redirect (`303 See Other`) with no body.
fn see_other(description: &str) -> Value {
    json!({ "description": description, "headers": { "Location": {
        "description": "Where to go next", "schema": { "type": "string" } } } })
}

/// `response` with links: each `(operation, param, from)` says where the
/// operation's `param` comes from in this response (for readers, and for
/// schemathesis' stateful phase).
fn linked(mut response: Value, links: &[(&str, &str, &str)]) -> Value {
    for (operation, param, from) in links {
        response["links"][*operation] =
            json!({ "operationId": operation, "parameters": { *param: from } });
    }
    response
}

/// The first item's id, in a list response.
const FIRST_ID: &str = "$response.body#/0/id";

/// A problem answer with `status`, and what it means.
fn problem(status: u16) -> Value {
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
fn answers(answers: Value, errors: &[&[u16]]) -> Value {
    let mut all = answers;
    for &status in errors.iter().copied().flatten() {
        if all.get(status.to_string()).is_none() {
            all[status.to_string()] = problem(status);
        }
    }
    all
}

fn security(scheme: &str) -> Value {
    json!([{ scheme: [] }])
}

fn json_body(schema: &str) -> Value {
    json!({ "required": true, "content": { JSON: { "schema": schema_ref(schema) } } })
}

fn form_body(schema: Value) -> Value {
    json!({ "required": true, "content": { FORM: { "schema": schema } } })
}

fn header(name: &str, required: bool, description: &str) -> Value {
    json!({ "name": name, "in": "header", "required": required, "description": description,
            "schema": { "type": "string" } })
}

/// `?status=` (one of `statuses`) and `?limit=`.
fn list_query(statuses: &[&str], default: &str) -> Value {
    json!([
        { "name": "status", "in": "query", "required": false, "description": format!("Only these (default `{default}`)"),
          "schema": { "type": "string", "enum": statuses, "default": default } },
        { "name": "limit", "in": "query", "required": false, "description": "How many, newest first",
          "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100 } }
    ])
}

/// A path template's `{name}`: the parameter, described.
fn path_param(name: &str) -> Value {
    let (description, example) = match name {
        "id" => ("The job's, approval's or effect's id", None),
        "handle" => ("The user's handle", Some("rep1")),
        "event_type" => ("An event type a sequence handles", Some("meeting_ended")),
        "slug" => ("The org's slug", None),
        "source" => (
            "The source's name: 1 to 64 letters, digits or dashes",
            Some("crm"),
        ),
        "secret" => ("The one-time secret of a magic link", None),
        "token" => ("A proposal's share token (from its link)", None),
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
/// template (and a 404: nothing there), and the 400 the router gives any
/// path or query holding a NUL byte.
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
            let mut params: Vec<Value> = names.iter().copied().map(path_param).collect();
            params.extend(op["parameters"].as_array().cloned().unwrap_or_default());
            if !params.is_empty() {
                op["parameters"] = Value::Array(params);
            }
            let statuses: &[u16] = if names.is_empty() {
                &[400]
            } else {
                &[400, 404]
            };
            op["responses"] = answers(op["responses"].take(), &[statuses]);
        }
    }
}

/// The document.
pub fn spec() -> Value {
    let mut paths = Map::new();
    for group in [
        service_paths(),
        api_paths(),
        admin_paths(),
        account_paths(),
        webhook_paths(),
        inbox_paths(),
        proposal_paths(),
    ] {
        if let Value::Object(m) = group {
            paths.extend(m);
        }
    }
    let mut paths = Value::Object(paths);
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
            "schemas": schemas(),
        },
        "paths": paths,
    })
}

fn service_paths() -> Value {
    json!({
        "/healthz": { "get": { "operationId": "healthz", "summary": "Liveness",
            "responses": { "200": text("`ok`") } } },
        "/readyz": { "get": { "operationId": "readyz", "summary": "Readiness: the database answers and no shutdown is under way",
            "responses": answers(json!({ "200": text("`ready`") }), &[DB]) } },
        "/metrics": { "get": { "operationId": "metrics",
            "summary": "Prometheus metrics (they name the orgs, so a scraper sends BATON_METRICS_TOKEN or the admin token; with neither set, 403)",
            "security": [{ "metrics": [] }, { "admin": [] }],
            "responses": answers(json!({ "200": body("OpenMetrics text", "application/openmetrics-text",
                json!({ "type": "string" })) }), &[DB, &[401, 403]]) } },
        "/openapi.json": { "get": { "operationId": "openapi", "summary": "This document",
            "responses": { "200": ok("OpenAPI 3.1", json!({ "type": "object" })) } } },
    })
}

fn api_paths() -> Value {
    let org = security("org");
    let job_statuses = [
        "all",
        "pending",
        "running",
        "awaiting_approval",
        "completed",
        "failed",
        "cancelled",
        "skipped",
        "budget_exceeded",
    ];
    json!({
        "/v1/events": { "post": { "operationId": "submitEvent", "summary": "Submit an event", "security": org,
            "parameters": [header("Idempotency-Key", false, "The event's idempotency key, if the body names none")],
            "requestBody": json_body("EventIn"),
            "responses": answers(json!({
                "202": linked(ok("A job was created", schema_ref("Accepted")),
                    &[("getJob", "id", "$response.body#/job_id")]),
                "200": ok("A redelivery: the job already handling it", schema_ref("Duplicate")) }),
                &[ORG, BODY, SUBMIT]) } },
        "/v1/jobs": { "get": { "operationId": "listJobs", "summary": "Jobs, newest first", "security": org,
            "parameters": list_query(&job_statuses, "all"),
            "responses": answers(json!({ "200": linked(ok("Jobs", array_of(schema_ref("JobSummary"))),
                &[("getJob", "id", FIRST_ID), ("inboxJob", "id", FIRST_ID)]) }), &[ORG]) } },
        "/v1/jobs/{id}": { "get": { "operationId": "getJob", "security": org,
            "summary": "A job: step timeline, gates, follow-ups, effects, execution metadata",
            "responses": answers(json!({ "200": ok("The job", schema_ref("Job")) }), &[ORG]) } },
        "/v1/approvals": { "get": { "operationId": "listApprovals", "summary": "Approvals, newest first", "security": org,
            "parameters": list_query(&["open", "decided", "expired", "cancelled", "all"], "open"),
            "responses": answers(json!({ "200": linked(ok("Approvals", array_of(schema_ref("Approval"))),
                &[("getApproval", "id", FIRST_ID), ("decideApproval", "id", FIRST_ID), ("inboxApproval", "id", FIRST_ID),
                  ("inboxDecide", "id", FIRST_ID)]) }),
                &[ORG]) } },
        "/v1/approvals/{id}": { "get": { "operationId": "getApproval", "summary": "One approval with its preview",
            "security": org,
            "responses": answers(json!({ "200": ok("The approval", schema_ref("Approval")) }), &[ORG]) } },
        "/v1/approvals/{id}/decision": { "post": { "operationId": "decideApproval", "security": org,
            "summary": "Decide an approval; who decided is the token (`api:<token name>`), never the body",
            "requestBody": json_body("DecisionIn"),
            "responses": answers(json!({ "200": ok("Decided", schema_ref("Decided")) }), &[ORG, BODY, &[409]]) } },
        "/v1/skills": { "get": { "operationId": "listSkills", "summary": "Installed skills and load problems",
            "security": org,
            "responses": answers(json!({ "200": ok("Skills", schema_ref("Skills")) }), &[ORG]) } },
        "/v1/crm/import": { "post": { "operationId": "importCrm", "security": org,
            "summary": "Import the caller's org's CRM data (the document's org must be the token's)",
            "requestBody": json_body("ImportDoc"),
            "responses": answers(json!({ "200": ok("What was written", schema_ref("ImportSummary")) }),
                &[ORG, BODY, &[403, 404, 409]]) } },
        "/v1/proposals": { "get": { "operationId": "listProposals", "security": org,
            "summary": "Proposals sent, newest first, each with its share link",
            "parameters": [
                { "name": "status", "in": "query", "required": false, "description": "Only these (default `all`)",
                  "schema": { "type": "string", "enum": ["all", "draft", "sent", "viewed", "accepted", "declined"], "default": "all" } },
                { "name": "user", "in": "query", "required": false, "description": "Only this rep's (a handle)",
                  "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "required": false, "description": "How many, newest first",
                  "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100 } }],
            "responses": answers(json!({ "200": linked(ok("Proposals", array_of(schema_ref("Proposal"))),
                &[("getProposal", "id", FIRST_ID), ("setProposalStatus", "id", FIRST_ID)]) }), &[ORG, &[404]]) } },
        "/v1/proposals/{id}": { "get": { "operationId": "getProposal", "security": org,
            "summary": "A proposal: its document, link and every view of it",
            "responses": answers(json!({ "200": ok("The proposal", schema_ref("ProposalWithViews")) }), &[ORG]) } },
        "/v1/proposals/{id}/status": { "post": { "operationId": "setProposalStatus", "security": org,
            "summary": "Record the prospect's answer: `accepted` or `declined` (only a sent or viewed proposal takes one)",
            "requestBody": json_body("ProposalStatusIn"),
            "responses": answers(json!({ "200": ok("The proposal", schema_ref("Proposal")) }), &[ORG, BODY, &[409]]) } },
        "/v1/crm/deals/{id}": { "get": { "operationId": "getDeal", "security": org,
            "summary": "A deal as context tier 2 shows it: its fields (as approved CRM updates left them), contact, company, tasks and latest activities",
            "responses": answers(json!({ "200": ok("The deal and its context", schema_ref("DealContext")) }), &[ORG, &[404]]) } },
        "/v1/users": { "get": { "operationId": "listUsers", "summary": "The org's users", "security": org,
            "responses": answers(json!({ "200": linked(ok("Users", array_of(schema_ref("User"))),
                &[("getPreferences", "handle", "$response.body#/0/handle"),
                  ("putPreferences", "handle", "$response.body#/0/handle")]) }), &[ORG]) } },
        "/v1/users/{handle}/manager": {
            "put": { "operationId": "putManager", "security": org,
                "summary": "Set whom a user reports to: a manager's inbox session and Slack clicks act for their team",
                "requestBody": json_body("ManagerIn"),
                "responses": answers(json!({ "200": ok("The user", schema_ref("User")) }),
                    &[ORG, BODY, &[404]]) } },
        "/v1/users/{handle}/preferences": {
            "get": { "operationId": "getPreferences", "summary": "A user's preferences", "security": org,
                "responses": answers(json!({ "200": ok("Preferences", schema_ref("Preferences")) }), &[ORG]) },
            "put": { "operationId": "putPreferences", "security": org,
                "summary": "Replace a user's preferences (fields left out take their defaults)",
                "requestBody": json_body("PreferencesIn"),
                "responses": answers(json!({ "200": ok("The preferences now", schema_ref("Preferences")) }),
                    &[ORG, BODY, &[400]]) } },
        "/v1/metrics/success": { "get": { "operationId": "successMetrics", "security": org,
            "summary": "The org's success metrics: suggestions by outcome, skill and label, the dismissal rate, \
                meeting end to follow-up sent, briefs before the meeting, scheduling requests handled",
            "parameters": [{ "name": "days", "in": "query", "required": false,
                "description": "The window asked for besides 7 and 30 days, and the days `daily` covers (default 30)",
                "schema": { "type": "integer", "minimum": 1, "maximum": 90 } }],
            "responses": answers(json!({ "200": ok("The metrics", schema_ref("SuccessMetrics")) }),
                &[ORG, &[400]]) } },
        "/v1/users/{handle}/brief": { "get": { "operationId": "latestBrief", "security": org,
            "summary": "The rep's latest morning brief: title, sections (key, heading, lines with links), text",
            "responses": answers(json!({ "200": ok("The brief", schema_ref("Brief")) }), &[ORG, &[404]]) },
            "post": { "operationId": "briefNow", "security": org,
            "summary": "A morning brief for the rep now: their snapshot taken at this moment, one morning_brief job",
            "responses": answers(json!({
                "202": linked(ok("A job was created", schema_ref("Accepted")),
                    &[("getJob", "id", "$response.body#/job_id")]),
                "200": ok("A redelivery: the job already handling it", schema_ref("Duplicate")) }),
                &[ORG, SUBMIT]) } },
        "/v1/do-not-contact": {
            "get": { "operationId": "listDoNotContact", "summary": "The org's do-not-contact list, newest first",
                "security": org,
                "responses": answers(json!({ "200": ok("Suppressions", array_of(schema_ref("Suppression"))) }), &[ORG]) },
            "post": { "operationId": "flagDoNotContact", "security": org,
                "summary": "Put an address on the do-not-contact list; cancels emails queued to it",
                "requestBody": json_body("DoNotContactIn"),
                "responses": answers(json!({ "200": ok("What the flag stopped", schema_ref("Flagged")) }),
                    &[ORG, BODY]) } },
        "/v1/features": { "get": { "operationId": "listFeatures", "security": org,
            "summary": "Event types: enabled, runnable, missing skills",
            "responses": answers(json!({ "200": linked(ok("Features", array_of(schema_ref("Feature"))),
                &[("putFeature", "event_type", "$response.body#/0/event_type")]) }), &[ORG]) } },
        "/v1/features/{event_type}": { "put": { "operationId": "putFeature", "summary": "Enable or disable an event type",
            "security": org, "requestBody": json_body("FeatureIn"),
            "responses": answers(json!({ "200": ok("The setting now", schema_ref("FeatureSet")) }), &[ORG, BODY]) } },
    })
}

fn admin_paths() -> Value {
    let admin = security("admin");
    json!({
        "/v1/admin/orgs": { "get": { "operationId": "listOrgs", "summary": "Every org", "security": admin,
            "responses": answers(json!({ "200": linked(ok("Orgs", array_of(schema_ref("OrgSummary"))),
                &[("createToken", "slug", "$response.body#/0/slug"), ("createMagicLink", "slug", "$response.body#/0/slug")]) }),
                &[ADMIN, DB]) } },
        "/v1/admin/import": { "post": { "operationId": "importOrg", "summary": "Import any org (creates it)",
            "security": admin, "requestBody": json_body("ImportDoc"),
            "responses": answers(json!({ "200": ok("What was written", schema_ref("ImportSummary")) }),
                &[ADMIN, BODY, DB, &[404, 409]]) } },
        "/v1/admin/orgs/{slug}/tokens": { "post": { "operationId": "createToken",
            "summary": "Make an org API token (shown once)", "security": admin, "requestBody": json_body("TokenIn"),
            "responses": answers(json!({ "201": ok("The token", schema_ref("TokenCreated")) }), &[ADMIN, BODY, DB]) } },
        "/v1/admin/skills/{name}": { "put": { "operationId": "uploadSkill",
            "summary": "Upload a skill version (the body is the .wasm component); checked, made live on every replica",
            "security": admin,
            "requestBody": { "required": true, "content": { "application/wasm": { "schema": { "type": "string", "format": "binary" } } } },
            "responses": answers(json!({ "200": ok("The skill as it serves now", schema_ref("SkillSwap")) }),
                &[ADMIN, DB, &[413, 422]]) } },
        "/v1/admin/skills/{name}/rollback": { "post": { "operationId": "rollbackSkill",
            "summary": "Put back the version that served before the live one", "security": admin,
            "responses": answers(json!({ "200": ok("The skill as it serves now", schema_ref("SkillSwap")) }),
                &[ADMIN, DB, &[409]]) } },
        "/v1/admin/skills/{name}/shadow": { "post": { "operationId": "shadowSkill",
            "summary": "Replay a candidate version (the body is the .wasm) over the skill's recent recorded runs, without making it live or sending anything",
            "security": admin,
            "parameters": [
                { "name": "since", "in": "query", "required": false, "description": "How far back: `7d`, `36h`, `90m` (default `7d`)",
                  "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "required": false, "description": "The most runs, newest first (default 100)",
                  "schema": { "type": "integer", "minimum": 1, "maximum": 5000 } },
                { "name": "org", "in": "query", "required": false, "description": "Only this org's runs (its slug)",
                  "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "application/wasm": { "schema": { "type": "string", "format": "binary" } } } },
            "responses": answers(json!({ "200": ok("Run by run: same or different output, errors, fuel and time against the live version",
                schema_ref("ShadowReport")) }), &[ADMIN, DB, &[400, 404, 413, 422]]) },
            "put": { "operationId": "startShadow",
            "summary": "Run a candidate version (the body is the .wasm) beside the live one on each call this replica serves, for a while; the job sees only the live outcome",
            "security": admin,
            "parameters": [{ "name": "for", "in": "query", "required": false,
                "description": "How long: `30m`, `4h`, `1d` (default `1h`, at most `7d`)", "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "application/wasm": { "schema": { "type": "string", "format": "binary" } } } },
            "responses": answers(json!({ "200": ok("The shadow, with no calls yet", schema_ref("LiveShadow")) }),
                &[ADMIN, &[400, 413, 422]]) },
            "get": { "operationId": "shadowReport", "summary": "The shadow on new calls so far", "security": admin,
            "responses": answers(json!({ "200": ok("The comparisons so far", schema_ref("LiveShadow")) }), &[ADMIN, &[404]]) },
            "delete": { "operationId": "stopShadow", "summary": "Stop the shadow on new calls", "security": admin,
            "responses": answers(json!({ "200": ok("Its final report", schema_ref("LiveShadow")) }), &[ADMIN, &[404]]) } },
        "/v1/admin/clock": { "post": { "operationId": "moveClock",
            "summary": "Move the simulated clock forward (`baton serve --simulated-clock START`) and fire what fell due; 409 on the system clock, 400 for a move backwards or a bad body",
            "security": admin, "requestBody": json_body("ClockIn"),
            "responses": answers(json!({ "200": ok("The clock's new time and the scheduled events fired", schema_ref("ClockMoved")) }),
                &[ADMIN, DB, &[400, 409, 413]]) } },
        "/v1/admin/orgs/{slug}/magic-links": { "post": { "operationId": "createMagicLink",
            "summary": "Make a one-time inbox login link", "security": admin, "requestBody": json_body("MagicLinkIn"),
            "responses": answers(json!({ "201": ok("The link", schema_ref("MagicLink")) }), &[ADMIN, BODY, DB]) } },
    })
}

/// Connected accounts (org token), provider keys (admin), and connecting
/// Google from the inbox (pages).
fn account_paths() -> Value {
    let org = security("org");
    let admin = security("admin");
    let session = json!([{ "session": [] }, {}]);
    // Off (403) until BATON_SECRET_KEY (and for Google its client) is set.
    let off: &[u16] = &[403];
    let page = |status: &str| html(status);
    json!({
        "/v1/users/{handle}/accounts": {
            "get": { "operationId": "listUserAccounts", "summary": "A rep's connected accounts (never a secret)",
                "security": org,
                "responses": answers(json!({ "200": ok("Accounts", array_of(schema_ref("Account"))) }), &[ORG]) },
            "post": { "operationId": "connectUserAccount", "security": org,
                "summary": "Connect a rep's IMAP mailbox or CalDAV calendar (the password is sealed under BATON_SECRET_KEY)",
                "requestBody": json_body("AccountIn"),
                "responses": answers(json!({
                    "201": ok("Connected", schema_ref("Account")),
                    "200": ok("The same address again: its credential replaced, active again", schema_ref("Account")),
                    "409": problem(409) }), &[ORG, BODY, off]) } },
        "/v1/users/{handle}/accounts/google": { "post": { "operationId": "googleConnectUrl", "security": org,
            "summary": "The link to hand a rep so they connect their Google account: signed in to the inbox as themself, it takes them to Google's consent page",
            "responses": answers(json!({ "201": ok("The URL", schema_ref("ConnectUrl")) }), &[ORG, off]) } },
        "/v1/accounts": {
            "get": { "operationId": "listAccounts", "summary": "The org's connected accounts, every rep's and the org's (never a secret)",
                "security": org,
                "responses": answers(json!({ "200": linked(ok("Accounts", array_of(schema_ref("Account"))),
                    &[("disconnectAccount", "id", FIRST_ID)]) }), &[ORG]) },
            "post": { "operationId": "connectOrgAccount", "security": org,
                "summary": "Connect the org's HubSpot with a private app's token (sealed)",
                "requestBody": json_body("OrgAccountIn"),
                "responses": answers(json!({
                    "201": ok("Connected", schema_ref("Account")),
                    "200": ok("The same portal again: its token replaced", schema_ref("Account")),
                    "409": problem(409) }), &[ORG, BODY, off]) } },
        "/v1/accounts/{id}": { "delete": { "operationId": "disconnectAccount", "security": org,
            "summary": "Disconnect an account (its credential and sync cursors are deleted)",
            "responses": answers(json!({ "204": { "description": "Disconnected" } }), &[ORG]) } },
        "/v1/admin/orgs/{slug}/provider-keys": { "get": { "operationId": "listProviderKeys", "security": admin,
            "summary": "An org's provider keys: name, host, header (never the value)",
            "responses": answers(json!({ "200": ok("Keys", array_of(schema_ref("ProviderKey"))) }), &[ADMIN, DB]) } },
        "/v1/admin/orgs/{slug}/provider-keys/{name}": {
            "put": { "operationId": "setProviderKey", "security": admin,
                "summary": "Keep an org's provider key: the host sets its header on skills' granted requests to `host`",
                "requestBody": json_body("ProviderKeyIn"),
                "responses": answers(json!({
                    "201": ok("Kept", schema_ref("ProviderKeyKept")),
                    "200": ok("Replaced", schema_ref("ProviderKeyKept")) }), &[ADMIN, BODY, DB]) },
            "delete": { "operationId": "deleteProviderKey", "security": admin, "summary": "Remove an org's provider key",
                "responses": answers(json!({ "204": { "description": "Removed" } }), &[ADMIN, DB]) } },
        "/inbox/accounts": { "get": { "operationId": "inboxAccounts", "security": session,
            "summary": "The Connected accounts page: each account's status, and Connect Google",
            "responses": answers(json!({ "200": page("The page"), "401": html("Not signed in: the sign-in page") }), &[DB]) } },
        "/inbox/connect/google": { "get": { "operationId": "inboxConnectGoogle", "security": session,
            "summary": "On to Google's consent page (Gmail read, Calendar), PKCE",
            "responses": answers(json!({
                "302": { "description": "To Google", "headers": { "Location": {
                    "description": "Google's consent page", "schema": { "type": "string" } } } },
                "401": html("Not signed in: the sign-in page"),
                "403": page("Signed in with an org token, not as a rep; or Google or BATON_SECRET_KEY is not configured") }),
                &[DB]) } },
        "/oauth/google/callback": { "get": { "operationId": "googleCallback",
            "summary": "Where Google sends the rep back: the account is connected, or a page says why not",
            "parameters": [
                { "name": "state", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "code", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "error", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "scope", "in": "query", "required": false, "schema": { "type": "string" } }],
            "responses": answers(json!({
                "200": page("Connected: what was"),
                "400": { "description": "No, unknown, expired or used state; no code; a code Google refused \
                    (a page); or a NUL byte in the query (a problem)", "content": {
                    HTML: { "schema": { "type": "string" } }, PROBLEM: { "schema": schema_ref("Problem") } } },
                "403": page("The rep did not grant access; or Google or BATON_SECRET_KEY is not configured"),
                "502": page("Google could not be reached") }), &[DB]) } },
    })
}

fn webhook_paths() -> Value {
    // Each is verified (key, signature, token) before its body is read:
    // without a good one, 401 (403 when the route's secret is not set).
    let submitted = |duplicate_or: &str| {
        json!({
            "202": ok("A job was created", schema_ref("Accepted")),
            "200": ok(duplicate_or, json!({ "oneOf": [schema_ref("Duplicate"), schema_ref("Ignored")] })),
        })
    };
    let verified: &[u16] = &[401, 403, 413];
    json!({
        "/v1/webhooks/meetingbaas": { "post": { "operationId": "meetingBaas",
            "summary": "Meeting BaaS: v1 `complete` (x-meeting-baas-api-key) or v2 `bot.completed` (Svix-signed) → meeting_ended",
            "parameters": [
                header("x-meeting-baas-api-key", false, "v1: the account's API key (BATON_MEETINGBAAS_API_KEY)"),
                header("svix-id", false, "v2: the message id"),
                header("svix-timestamp", false, "v2: seconds since the epoch"),
                header("svix-signature", false, "v2: `v1,<base64 HMAC-SHA256>` with BATON_MEETINGBAAS_WEBHOOK_SECRET")],
            "requestBody": json_body("MeetingBaasEvent"),
            "responses": answers(submitted("A duplicate, or an event that is not a completed meeting (ignored)"),
                &[verified, SUBMIT, &[400]]) } },
        "/v1/webhooks/slack/interactions": { "post": { "operationId": "slackInteractions",
            "summary": "Slack interactivity (v0-signed form); buttons decide approvals, acknowledged at once",
            "parameters": [
                header("x-slack-request-timestamp", true, "Seconds since the epoch, within the tolerance"),
                header("x-slack-signature", true, "`v0=<hex HMAC-SHA256>` with BATON_SLACK_SIGNING_SECRET")],
            "requestBody": form_body(json!({ "type": "object", "properties": {
                "payload": { "type": "string", "description": "The interaction, as JSON" },
                "command": { "type": "string", "description": "A slash command (answered with a note: there are none)" } } })),
            "responses": answers(json!({ "200": ok("Acknowledged (an empty body), or a note for a slash command",
                json!({ "type": "object", "properties": { "response_type": { "type": "string" }, "text": { "type": "string" } } })) }),
                &[verified, &[422]]) } },
        "/v1/webhooks/gmail": { "post": { "operationId": "gmailPush",
            "summary": "Gmail Pub/Sub push: the mailbox's connected Google accounts are synced (one email_received per new INBOX message); the token is checked before the body is read",
            "parameters": [{ "name": "token", "in": "query", "required": true, "schema": { "type": "string" },
                "description": "BATON_GMAIL_PUSH_TOKEN, set in the push subscription's endpoint" }],
            "requestBody": json_body("PubSubPush"),
            "responses": answers(json!({
                "202": ok("A sync of the mailbox was requested; the mail loop reads it at once",
                    json!({ "type": "object", "required": ["outcome", "mailboxes"], "properties": {
                        "outcome": { "enum": ["sync_requested"] },
                        "mailboxes": { "type": "integer", "description": "Connected accounts of the mailbox to sync" } } })),
                "200": ok("Acknowledged, not read: no connected account for the mailbox, or it needs reconnecting",
                    json!({ "type": "object", "required": ["outcome", "reason"], "properties": {
                        "outcome": { "enum": ["ignored"] },
                        "reason": { "enum": ["unknown_mailbox", "needs_reconnect"] } } })) }),
                &[verified, BODY, DB]) } },
        "/v1/webhooks/google-calendar": { "post": { "operationId": "calendarPush",
            "summary": "Google Calendar push (channel id and token checked)",
            "parameters": [
                header("X-Goog-Channel-ID", true, "A channel baton opened"),
                header("X-Goog-Resource-State", true, "`sync`, `exists` or `not_exists`"),
                header("X-Goog-Channel-Token", false, "The channel's token, if it has one")],
            "responses": answers(json!({ "200": ok("Acknowledged", json!({ "type": "object", "required": ["outcome"],
                "properties": { "outcome": { "enum": ["channel_confirmed", "sync_requested"] } } })) }),
                &[&[401, 404], DB]) } },
        "/v1/webhooks/generic/{source}": { "post": { "operationId": "genericWebhook",
            "summary": "Any source, Standard Webhooks-signed (BATON_WEBHOOK_SECRET_<SOURCE> or BATON_WEBHOOK_SECRET)",
            "parameters": [
                header("webhook-id", true, "The message id"),
                header("webhook-timestamp", true, "Seconds since the epoch, within the tolerance"),
                header("webhook-signature", true, "`v1,<base64 HMAC-SHA256>`")],
            "requestBody": json_body("GenericEvent"),
            "responses": answers(submitted("A redelivery: the job already handling it"), &[verified, SUBMIT]) } },
    })
}

/// `/p/{token}`: a shared proposal, for whoever holds the link.
fn proposal_paths() -> Value {
    json!({
        "/p/{token}": { "get": { "operationId": "proposalPage",
            "summary": "A shared proposal as a printable page; each view is recorded and the rep told (at most half-hourly)",
            "responses": answers(json!({ "200": html("The proposal"),
                "404": html("A wrong, malformed or expired link: nothing is recorded") }), &[DB]) } },
    })
}

fn inbox_paths() -> Value {
    // Pages for a browser. A form a browser would not send is refused by
    // the form reader in plain text; a failure of ours is a problem.
    let session = json!([{ "session": [] }, {}]);
    let signed_out = html("Not signed in: the sign-in page");
    let decide_form = json!({ "type": "object", "properties": {
        "decision": { "enum": ["approve", "edit", "skip", "cancel", "choose", "items", "not_right"] },
        "option": { "type": "string" }, "item": { "type": "string" }, "subject": { "type": "string" },
        "body": { "type": "string" }, "payload": { "type": "string" },
        "reason": { "enum": ["wrong_intent", "wrong_person", "wrong_timing", "bad_draft", "other"] },
        "label": { "type": "string", "description": "`not_right`: a label it should have had (repeat the field); `none` for none" },
        "note": { "type": "string", "maxLength": 500 },
        "preview": { "type": "string", "description": "`edit`: redraw the page with the edit, deciding nothing" },
        "select": { "enum": ["all", "none"], "description": "`items`: redraw the checklist all or none ticked, deciding nothing" },
        "crm.value": { "type": "string", "description": "`edit` of a CRM change setting one `field`: its new value; `crm.<field>` for each field a change sets" } } });
    json!({
        "/inbox": { "get": { "operationId": "inbox", "security": session,
            "summary": "The web approval inbox: open gates and recent jobs, or the sign-in page",
            "responses": answers(json!({ "200": html("The inbox, or the sign-in page") }), &[DB]) } },
        "/inbox/login": { "post": { "operationId": "inboxLogin", "summary": "Sign in with an org API token",
            "requestBody": form_body(json!({ "type": "object", "required": ["token"],
                "properties": { "token": { "type": "string" } } })),
            "responses": answers(json!({
                "303": see_other("Signed in: a session cookie, and on to the inbox"),
                "401": html("The token is not valid or was revoked"),
                "413": problem(413), "415": problem(415), "422": problem(422) }), &[DB]) } },
        "/inbox/logout": { "post": { "operationId": "inboxLogout", "summary": "Sign out",
            "responses": answers(json!({ "303": see_other("Signed out") }), &[DB]) } },
        "/inbox/magic/{secret}": { "get": { "operationId": "inboxMagicLink", "summary": "Sign in with a one-time link",
            "responses": answers(json!({
                "303": see_other("Signed in: a session cookie, and on to the inbox"),
                "401": html("The link is not valid, was used, or has expired") }), &[DB]) } },
        "/inbox/approvals/{id}": {
            "get": { "operationId": "inboxApproval", "summary": "An approval's page: preview and decision forms",
                "security": session,
                "responses": answers(json!({ "200": html("The approval"), "401": signed_out,
                    "404": html("No such approval") }), &[DB]) },
            "post": { "operationId": "inboxDecide", "summary": "Decide an approval from its page", "security": session,
                "requestBody": form_body(decide_form),
                "responses": answers(json!({
                    "200": html("Nothing decided: the page redrawn with a previewed edit (`preview`) or the checklist ticked all or none (`select`)"),
                    "303": see_other("Decided: back to the gate, showing what goes out and its undo window"), "401": signed_out,
                    "404": html("No such approval"),
                    "409": html("Already decided or expired, or over the daily send cap: the page, saying so"),
                    "422": html("Not a decision this gate takes: the page, saying why"),
                    "413": problem(413), "415": problem(415),
                    "503": { "description": "The database is busy or unreachable; retry", "content": {
                        HTML: { "schema": { "type": "string" } }, PROBLEM: { "schema": schema_ref("Problem") } } } }),
                    &[]) } },
        "/inbox/jobs/{id}": { "get": { "operationId": "inboxJob", "summary": "A job's page: steps, gates, effects, follow-ups",
            "security": session,
            "responses": answers(json!({ "200": html("The job"), "401": signed_out, "404": html("No such job") }), &[DB]) } },
        "/inbox/metrics": { "get": { "operationId": "inboxMetrics", "security": session,
            "summary": "The org's success metrics over 7 and 30 days, each with a small chart",
            "responses": answers(json!({ "200": html("The page"), "401": signed_out }), &[DB]) } },
        "/inbox/effects/{id}/cancel": { "post": { "operationId": "inboxUndo", "summary": "Undo an effect inside its undo window",
            "security": session,
            "requestBody": form_body(json!({ "type": "object", "properties": {
                "back": { "type": "string", "description": "An `/inbox/` page to return to (else the job's page)" } } })),
            "responses": answers(json!({ "303": see_other("Cancelled: back to the page it was pressed on, or the job"),
                "401": signed_out, "404": html("No such effect"), "413": problem(413), "415": problem(415) }),
                &[&[409], DB]) } },
    })
}

/// An object whose properties are all present (a response the handler
/// always fills in); `null` only where the type says so.
fn record(properties: Value) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A request body read into a `deny_unknown_fields` struct.
fn strict(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "additionalProperties": false, "properties": properties })
}

/// `schema` with `examples` (the first is what the document shows).
fn eg(mut schema: Value, examples: Value) -> Value {
    schema["examples"] = examples;
    schema
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn int() -> Value {
    json!({ "type": "integer" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

/// A proposal as `/v1/proposals` shows it.
fn proposal_fields() -> Value {
    json!({ "id": string(), "org_id": string(), "user_id": string(), "job_id": or_null("string"),
        "deal_id": or_null("string"), "contact_id": or_null("string"),
        "version": { "type": "integer", "description": "The deal's proposal version, from 1" },
        "status": { "enum": ["draft", "sent", "viewed", "accepted", "declined"] },
        "title": string(), "amount_cents": or_null("integer"),
        "currency": { "type": "string", "description": "ISO 4217; amounts are in its minor units" },
        "document": { "type": "object", "description": "The document as approved: title, sections, pricing, …" },
        "link": { "type": "string", "description": "The public link, `{public_url}/p/{token}`" },
        "expires_at": or_null("integer"), "created_at": int(), "sent_at": or_null("integer"),
        "first_viewed_at": or_null("integer") })
}

fn or_null(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

/// The preferences' fields (`store::Preferences`); minutes are after
/// local midnight.
fn preference_fields() -> Value {
    let minute = json!({ "type": "integer", "minimum": 0, "maximum": 1439 });
    let minute_or_null = json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 1439 });
    let count = json!({ "type": "integer", "minimum": 0 });
    json!({
        "timezone": { "type": "string", "description": "An IANA time zone, e.g. Europe/London" },
        "working_start_min": minute, "working_end_min": minute,
        "quiet_start_min": minute_or_null, "quiet_end_min": minute_or_null,
        "max_notifications_per_hour": count, "briefing_time_min": minute, "daily_send_cap": count,
        "max_revivals_per_day": count,
        "coaching": { "type": "string", "enum": ["per_meeting", "weekly", "both", "off"],
                      "description": "Coaching after each meeting, in a Monday digest, both (default) or off; another value is a 400" },
        "tone": { "type": "string", "enum": ["warm", "neutral", "brief"],
                  "description": "How drafted follow-ups sound: warm, neutral (default) or brief; another value is a 400" },
        "slack_channel": or_null("string"), "email_signature": or_null("string"),
        "slack_user_id": { "type": ["string", "null"], "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "description": "The rep's Slack user id (U…): their clicks in Slack act for them; one rep per Slack user in an org (another rep's is a 422)" },
    })
}

/// `crate::success::Summary`: rates and shares are 0 to 1, `null` without
/// data; times are seconds.
fn success_metrics() -> Value {
    let rate = json!({ "type": ["number", "null"], "minimum": 0, "maximum": 1 });
    let seconds = json!({ "type": ["number", "null"], "minimum": 0 });
    let count = json!({ "type": "integer", "minimum": 0 });
    let counts =
        json!({ "accepted": count, "edited": count, "dismissed": count, "expired": count });
    let mut per_skill = counts.clone();
    per_skill["skill"] = string();
    per_skill["label"] = json!({ "type": "string",
        "description": "The detection's label, `email:<intent>`, or the gate's action kind" });
    per_skill["dismissal_rate"] = rate.clone();
    let window = record(json!({
        "days": int(), "suggestions": record(counts.clone()), "dismissal_rate": rate,
        "by_skill_label": array_of(record(per_skill)),
        "follow_up": record(json!({ "meetings": count, "sent": count, "p50_seconds": seconds,
            "p90_seconds": seconds })),
        "briefs": record(json!({ "briefs": count, "on_time": count, "late": count, "pending": count,
            "unknown_start": count, "on_time_share": rate })),
        "scheduling": record(json!({ "requests": count, "handled": count, "in_progress": count,
            "handled_share": rate })) }));
    record(json!({
        "org": string(), "as_of": int(), "days": int(), "windows": array_of(window),
        "daily": array_of(record(json!({ "date": string(), "suggestions": record(counts),
            "dismissal_rate": rate, "follow_up_p50_seconds": seconds }))) }))
}

/// Jobs as `orchestrator::views` shows them.
fn job_summary_fields() -> Value {
    json!({
        "id": string(), "event_type": string(), "event_source": string(),
        "status": { "enum": ["pending", "running", "awaiting_approval", "completed", "failed", "cancelled",
            "skipped", "budget_exceeded"] },
        "current_step": int(), "chain_depth": int(), "parent_job_id": or_null("string"),
        "idempotency_key": string(), "scheduled_at": int(), "created_at": int(),
        "finished_at": or_null("integer"), "error": or_null("string"),
        "steps": { "type": "object", "description": "Each step's progress, by step name",
            "additionalProperties": { "type": "object", "required": ["status", "attempts"], "properties": {
                "status": { "enum": ["completed", "skipped", "failed", "awaiting", "retrying"] },
                "attempts": int(), "reason": string() } } },
        "execution": record(json!({
            "sequence_job_id": string(), "event_type": string(), "event_source": string(),
            "steps_attempted": int(), "steps_completed": int(), "steps_failed": int(), "steps_skipped": int(),
            "approval_gates_hit": int(), "followups_queued": int(), "followups_dropped": int(),
            "total_duration_ms": or_null("integer"), "run_ms": int(), "fuel": int(),
            "total_cost_micros": int(), "chain_depth": int() })),
    })
}

fn job_fields() -> Value {
    let mut job = job_summary_fields();
    job["step_runs"] = array_of(record(json!({
        "step_index": int(), "step_name": string(), "attempt": int(), "skill_name": string(),
        "skill_version": string(), "skill_sha256": string(), "status": string(),
        "error_kind": or_null("string"), "error": or_null("string"), "fuel": int(),
        "cost_micros": int(), "duration_ms": int(), "started_at": int(), "finished_at": or_null("integer") })));
    job["denials"] = array_of(record(json!({
        "step_index": int(), "step_name": string(), "attempt": int(), "skill_name": string(),
        "capability": string(), "message": string(), "created_at": int() })));
    job["approvals"] = array_of(record(
        json!({ "id": string(), "step": string(), "pattern": string(),
        "title": string(), "status": string(), "expires_at": int() }),
    ));
    job["children"] =
        json!({ "type": "array", "items": string(), "description": "Follow-up jobs' ids" });
    job["effects"] = array_of(record(json!({
        "id": string(), "org_id": string(), "job_id": string(), "user_id": string(),
        "idempotency_key": string(), "kind": string(),
        "status": { "enum": ["pending", "delivering", "delivered", "failed", "cancelled"] },
        "not_before": int(), "attempts": int(), "last_error": or_null("string"),
        "created_at": int(), "delivered_at": or_null("integer") })));
    job
}

/// One object of the members of `parts` (a JSON literal this size is
/// past `json!`'s recursion limit in one piece).
fn merged<const N: usize>(parts: [Value; N]) -> Value {
    let mut all = Map::new();
    for part in parts {
        if let Value::Object(m) = part {
            all.extend(m);
        }
    }
    Value::Object(all)
}

fn schemas() -> Value {
    let decision_kinds =
        json!({ "enum": ["approved", "edited", "skipped", "cancelled", "chosen", "per_item"] });
    let decision_or_null = json!({ "oneOf": [schema_ref("Decision"), { "type": "null" }] });
    let outcome = |o: &str| json!({ "const": o });
    let text_or_null = || or_null("string");
    let feedback_or_null = json!({ "oneOf": [schema_ref("GateFeedback"), { "type": "null" }] });
    let mut approval = record(json!({
        "id": string(), "org_id": string(), "job_id": string(), "user_id": string(),
        "step_index": int(), "step_name": string(), "gate_key": string(), "kind": string(),
        "pattern": { "type": "string", "description": "confirm, choose, batch, …" },
        "title": string(), "body": { "description": "The gate's preview: the actions and data it holds" },
        "options": array_of(string()), "status": { "enum": ["open", "decided", "expired", "cancelled"] },
        "decision": decision_or_null,
        "decided_by": { "type": ["string", "null"], "description":
            "The credential that decided: `api:<token name>`, `inbox:<handle>`, `slack:<user id>`, `cli`" },
        "decision_note": { "type": ["string", "null"], "description": "What the person wrote with the decision" },
        "decided_at": or_null("integer"), "expires_at": int(), "on_expiry": string(), "created_at": int() }));
    // One approval (`GET /v1/approvals/{id}`) also shows its "Not right" feedback.
    approval["properties"]["feedback"] = feedback_or_null.clone();
    let reasons =
        json!({ "enum": ["wrong_intent", "wrong_person", "wrong_timing", "bad_draft", "other"] });
    merged([
        json!({
            "Problem": { "type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": string(), "title": string(), "status": int(), "detail": string(),
                "reason": { "type": "string", "description": "Why an event was refused, e.g. `unknown_user`" },
                "job_id": text_or_null() } },
            "EventIn": eg(strict(&["type", "user", "payload"], json!({
                "type": { "type": "string", "description": "The event type, e.g. `meeting_ended`" },
                "user": { "type": "string", "description": "The user's handle" },
                "payload": { "type": "object", "description": "The event type's payload (checked against its schema)" },
                "idempotency_key": text_or_null(),
                "source": { "type": ["string", "null"], "description": "Recorded as `api:<source>`" } })),
                json!([{ "type": "meeting_ended", "user": "rep1", "payload": { "meeting_id": "m-42" } }])),
            "Accepted": record(json!({ "outcome": outcome("accepted"), "job_id": string(), "scheduled_at": int(),
                "deferred": boolean() })),
            "Duplicate": record(json!({ "outcome": outcome("duplicate"), "job_id": string() })),
            "Ignored": { "type": "object", "required": ["outcome"], "properties": {
                "outcome": outcome("ignored"), "event": string(), "reason": string() } },
            "Decision": { "type": "object", "required": ["decision"], "properties": {
                "decision": decision_kinds, "value": { "description": "The edit, the option chosen or the items kept" } } },
            "DecisionIn": eg(json!({ "type": "object", "required": ["decision"], "properties": {
                "decision": decision_kinds,
                "value": { "description": "`edited`: the action's new payload, of the same shape; `chosen`: the \
                    option's index; `per_item`: one boolean per item; none for the others" },
                "note": { "type": ["string", "null"], "maxLength": 500, "description": "Free text kept with the decision" },
                "by": { "type": ["string", "null"], "maxLength": 500, "deprecated": true,
                    "description": "The old name of `note`" },
                "feedback": { "description": "\"Not right\": only with `skipped`; the gate is skipped and the \
                    reason (and the right labels) recorded with the decision",
                    "oneOf": [schema_ref("FeedbackIn"), { "type": "null" }] } } }),
                json!([{ "decision": "approved", "note": "checked the dates with Marta" }, { "decision": "chosen", "value": 1 },
                       { "decision": "per_item", "value": [true, false, true] },
                       { "decision": "skipped", "feedback": { "reason": "wrong_intent", "labels": [] } }])),
            "Approval": approval,
            "Decided": record(json!({ "id": string(), "status": string(), "job_id": string(),
                "decision": decision_or_null, "decided_by": or_null("string"),
                "decision_note": text_or_null(),
                "feedback": { "description": "The \"Not right\" feedback recorded with this decision, if any",
                    "oneOf": [schema_ref("GateFeedback"), { "type": "null" }] } })),
            "FeedbackIn": eg(strict(&["reason"], json!({
                "reason": reasons,
                "labels": { "type": ["array", "null"], "items": string(), "description":
                    "With `wrong_intent`: the labels the suggestion should have had. A detected intent takes \
                    intent labels (any number; `[]` is none), an inbound email one email label" },
                "note": { "type": ["string", "null"], "maxLength": 500 } })),
                json!([{ "reason": "wrong_intent", "labels": ["signal:timeline"], "note": "they meant the renewal date" }])),
            "GateFeedback": record(json!({ "gate_id": string(), "reason": reasons,
                "labels": { "type": ["array", "null"], "items": string() },
                "note": text_or_null(), "created_at": int() })),
        }),
        json!({
            "JobSummary": record(job_summary_fields()),
            "Job": record(job_fields()),
            "DealContext": record(json!({ "deal": { "type": "object" }, "contact": {}, "company": {},
                "tasks": array_of(json!({ "type": "object" })), "activities": array_of(json!({ "type": "object" })) })),
            "Skills": record(json!({ "skills": array_of(schema_ref("Skill")),
                "problems": array_of(record(json!({ "path": string(), "reason": string() }))) })),
            "Skill": record(json!({ "name": string(), "version": string(), "sha256": string(),
                "path": string(), "summary": string(), "capabilities": array_of(string()),
                "effective": array_of(string()),
                "live_since": { "type": "integer", "description": "When this version went live here (ms since the epoch)" },
                "previous": { "description": "The version a rollback puts back",
                    "oneOf": [{ "type": "null" }, record(json!({ "version": string(), "sha256": string() }))] },
                "last_refused": { "description": "The last file or upload for this skill that was refused",
                    "oneOf": [{ "type": "null" }, record(json!({ "path": string(), "sha256": text_or_null(),
                        "reason": string(), "at": int() }))] } })),
            "ShadowReport": record(json!({ "skill": string(), "since": int(),
                "candidate": record(json!({ "version": string(), "sha256": string() })),
                "summary": record(json!({ "runs": int(), "same": int(), "different": int(), "errors": int(),
                    "fixed": int(), "live_fuel": int(), "candidate_fuel": int(),
                    "live_ms": { "type": "number" }, "candidate_ms": { "type": "number" } })),
                "runs": array_of(json!({ "type": "object",
                    "required": ["org", "job", "step", "attempt", "started_at", "verdict", "live", "candidate"],
                    "properties": { "verdict": { "type": "string", "enum": ["same", "different", "error", "fixed"] },
                        "changes": array_of(json!({ "type": "object", "required": ["op", "path"],
                            "properties": { "op": { "type": "string", "enum": ["add", "remove", "replace"] },
                                "path": string() } })) } })) })),
            "LiveShadow": { "allOf": [schema_ref("ShadowReport"), record(json!({ "until": int(), "not_kept": int() }))] },
            "SkillSwap": record(json!({ "outcome": { "type": "string", "enum": ["live", "unchanged"] },
                "skill": schema_ref("Skill") })),
            "User": record(json!({ "id": string(), "org_id": string(), "handle": string(), "name": string(),
                "role": string(), "manager": { "type": ["string", "null"],
                    "description": "The handle of the user they report to, null for nobody" } })),
            "ManagerIn": eg(strict(&["manager"], json!({ "manager": { "type": ["string", "null"],
                    "description": "The handle of the user to report to, or null for nobody" } })),
                json!([{ "manager": "manager1" }])),
            "Preferences": record(preference_fields()),
            "PreferencesIn": eg(json!({ "type": "object", "additionalProperties": false,
                "description": "Fields left out take their defaults", "properties": preference_fields() }),
                json!([{ "timezone": "Europe/London", "working_start_min": 540, "working_end_min": 1080,
                         "quiet_start_min": 1200, "quiet_end_min": 420, "daily_send_cap": 40 }])),
        }),
        json!({
            "Suppression": record(json!({ "email": string(), "reason": string(), "job_id": text_or_null(),
                "created_at": int() })),
            "DoNotContactIn": eg(strict(&["email"], json!({
                "email": { "type": "string", "format": "email", "maxLength": 254,
                    "description": "An email address, at most 254 characters (`Name <addr>` is read as addr)" },
                "reason": { "type": ["string", "null"], "maxLength": 200 } })),
                json!([{ "email": "marta.ruiz@northwind.example", "reason": "asked on the phone not to be emailed" }])),
            "Flagged": record(json!({ "email": string(), "emails_cancelled": int(), "drafts_withdrawn": int() })),
            "Feature": record(json!({ "event_type": string(), "enabled": boolean(), "runnable": boolean(),
                "missing_skills": array_of(string()) })),
            "FeatureIn": eg(strict(&["enabled"], json!({ "enabled": boolean() })), json!([{ "enabled": true }])),
            "FeatureSet": record(json!({ "event_type": string(), "enabled": boolean() })),
            "OrgSummary": record(json!({ "id": string(), "slug": string(), "name": string() })),
            "TokenIn": eg(strict(&["name"], json!({ "name": { "type": "string", "minLength": 1, "maxLength": 100 } })),
                json!([{ "name": "crm-sync" }])),
            "TokenCreated": record(json!({ "id": string(), "org": string(), "token": string(), "note": string() })),
            "MagicLinkIn": eg(strict(&["user"], json!({ "user": { "type": "string", "description": "The user's handle" },
                "minutes": { "type": ["integer", "null"], "minimum": 1, "maximum": 1440, "default": 15 } })),
                json!([{ "user": "rep1", "minutes": 30 }])),
            "ClockIn": eg(json!({ "oneOf": [
                    strict(&["advance_minutes"], json!({ "advance_minutes": { "type": "integer", "minimum": 1, "maximum": 527_040 } })),
                    strict(&["to"], json!({ "to": { "type": "string", "format": "date-time" } })) ] }),
                json!([{ "advance_minutes": 90 }, { "to": "2026-11-19T13:00:00Z" }])),
            "ClockMoved": record(json!({ "now": string(), "now_ms": int(), "fired": int() })),
            "MagicLink": record(json!({ "url": string(), "expires_at": int() })),
            "Account": record(json!({ "id": string(), "provider": { "enum": ["google", "imap", "caldav", "hubspot"] },
                "address": string(), "user_id": or_null("string"), "scopes": array_of(string()),
                "status": { "enum": ["active", "reconnect"] }, "status_detail": or_null("string"),
                "settings": { "type": "object", "description": "What is not secret: a server's host and port, a calendar's URL" },
                "token_expires_at": or_null("integer"), "created_at": int(), "updated_at": int() })),
            "AccountIn": { "oneOf": [
                eg(strict(&["provider", "address", "host", "port", "tls", "username", "password"], json!({
                    "provider": { "const": "imap" }, "address": string(), "host": string(),
                    "port": { "type": "integer", "minimum": 1, "maximum": 65535 },
                    "tls": { "enum": ["tls", "starttls", "none"] }, "username": string(), "password": string(),
                    "folder": { "type": ["string", "null"], "description": "Default INBOX" } })),
                    json!([{ "provider": "imap", "address": "rep@example.com", "host": "imap.example.com", "port": 993,
                        "tls": "tls", "username": "rep@example.com", "password": "app-password" }])),
                strict(&["provider", "address", "url", "username", "password"], json!({
                    "provider": { "const": "caldav" }, "address": string(),
                    "url": { "type": "string", "description": "The calendar collection's http(s) URL" },
                    "username": string(), "password": string() })) ] },
            "OrgAccountIn": strict(&["provider", "token"], json!({ "provider": { "const": "hubspot" },
                "token": { "type": "string", "description": "A HubSpot private app's access token" },
                "address": { "type": ["string", "null"], "description": "The portal's name (default `hubspot`)" } })),
            "ConnectUrl": record(json!({ "url": string(), "note": string() })),
            "ProviderKeyIn": eg(strict(&["host", "header", "value"], json!({ "host": { "type": "string",
                    "description": "Where the key goes: a host (HTTPS on 443), host:port, or an origin with an optional path prefix (http://127.0.0.1:18790, https://api.example.com/v2)" }, "header": string(),
                "value": { "type": "string", "description": "The key; sealed at once, never shown again" } })),
                json!([{ "host": "api.apollo.io", "header": "X-Api-Key", "value": "…" }])),
            "ProviderKeyKept": record(json!({ "name": string(), "org": string(), "host": string(), "header": string() })),
            "ProviderKey": record(json!({ "name": string(), "host": string(), "header": string(),
                "created_at": int(), "updated_at": int() })),
        }),
        json!({
            // The import document (`examples/demo.json`), as `orchestrator::import` reads it.
            "ImportDoc": eg(strict(&["org"], json!({
                "org": schema_ref("OrgDoc"), "users": array_of(schema_ref("UserDoc")),
                "companies": array_of(schema_ref("CompanyDoc")), "contacts": array_of(schema_ref("ContactDoc")),
                "deals": array_of(schema_ref("DealDoc")), "activities": array_of(schema_ref("ActivityDoc")),
                "meetings": array_of(schema_ref("MeetingDoc")) })),
                json!([{ "org": { "slug": "acme", "name": "Acme" },
                         "companies": [{ "name": "Northwind", "domain": "northwind.example" }],
                         "contacts": [{ "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example", "company": "Northwind" }],
                         "deals": [{ "name": "Northwind pilot", "stage": "discovery", "company": "Northwind",
                                     "contact": "marta.ruiz@northwind.example", "amount_cents": 2400000 }] }])),
            "OrgDoc": strict(&["slug", "name"], json!({ "slug": string(), "name": string(),
                "profile": { "description": "ICP, products, tone: tier-1 context" },
                "features": { "type": "object", "additionalProperties": boolean() } })),
            "UserDoc": strict(&["handle", "name", "email"], json!({ "handle": string(), "name": string(),
                "email": string(), "role": string(),
                "manager": { "type": ["string", "null"],
                    "description": "The handle of the user they report to (in the document or the org); null for nobody; left out, kept as it is" },
                "preferences": { "oneOf": [schema_ref("PreferencesIn"), { "type": "null" }] } })),
            "CompanyDoc": strict(&["name"], json!({ "name": string(), "domain": text_or_null(),
                "industry": text_or_null(), "employees": or_null("integer") })),
            "ContactDoc": strict(&["name", "email"], json!({ "name": string(), "email": string(),
                "company": text_or_null(), "title": text_or_null() })),
            "DealDoc": strict(&["name", "stage"], json!({ "name": string(), "stage": string(),
                "company": text_or_null(), "contact": text_or_null(), "owner": text_or_null(),
                "amount_cents": or_null("integer"), "currency": string(),
                "close_date": { "type": ["string", "null"], "description": "YYYY-MM-DD" } })),
            "ActivityDoc": strict(&["kind", "summary", "occurred_at"], json!({ "deal": text_or_null(),
                "contact": text_or_null(), "user": text_or_null(), "kind": string(), "summary": string(),
                "occurred_at": { "type": "string", "description": "RFC 3339" } })),
            "Brief": record(json!({ "job_id": string(), "created_at": int(), "title": string(),
                "sections": { "type": "array", "items": { "type": "object" } }, "text": string() })),
            "MeetingDoc": strict(&["user", "title", "starts_at"], json!({ "user": string(), "title": string(),
                "starts_at": { "type": "string", "description": "RFC 3339, or `today HH:MM` / `tomorrow HH:MM` in the rep's zone" },
                "minutes": int(), "contact": text_or_null(), "deal": text_or_null() })),
            "ImportSummary": record(json!({ "org": string(), "users": int(), "companies": int(), "contacts": int(),
                "deals": int(), "activities": int(), "meetings": int() })),
        }),
        json!({
            // Webhook bodies, read after the sender is verified.
            "MeetingBaasEvent": eg(json!({ "type": "object", "required": ["event"], "properties": {
                "event": { "type": "string", "description": "`complete` (v1) or `bot.completed` (v2); others are ignored" },
                "data": { "type": "object",
                    "description": "`bot_id`, the transcript or its links, and `extra` naming `baton_org` and `baton_user`" },
                "extra": { "type": "object" } } }),
                json!([{ "event": "complete", "data": { "bot_id": "bot-7", "extra": { "baton_org": "acme", "baton_user": "rep1" },
                    "transcript": [{ "speaker": "Jordan Avery", "start_time": 0.5,
                                     "words": [{ "word": "Thanks" }, { "word": "Marta" }] }] } }])),
            "PubSubPush": eg(json!({ "type": "object", "required": ["message"], "properties": {
                "message": { "type": "object", "properties": {
                    "data": { "type": "string", "description": "base64 JSON {emailAddress, historyId}" },
                    "messageId": string() } },
                "subscription": string() } }),
                json!([{ "message": { "messageId": "pubsub-1",
                    "data": "eyJlbWFpbEFkZHJlc3MiOiJqb3JkYW4uYXZlcnlAYWNtZS5leGFtcGxlIiwiaGlzdG9yeUlkIjoiNDI0MiJ9" },
                    "subscription": "projects/acme/subscriptions/gmail" }])),
            "GenericEvent": eg(strict(&["type", "org", "user", "payload"], json!({ "type": string(), "org": string(),
                "user": string(), "payload": { "type": "object" }, "idempotency_key": text_or_null() })),
                json!([{ "type": "meeting_ended", "org": "acme", "user": "rep1", "payload": { "meeting_id": "m-42" } }])),
        }),
        json!({ "SuccessMetrics": success_metrics() }),
        json!({
            "Proposal": record(proposal_fields()),
            "ProposalWithViews": record({
                let mut f = proposal_fields();
                f["views"] = array_of(record(json!({ "id": string(), "viewed_at": int(),
                    "user_agent": or_null("string") })));
                f
            }),
            "ProposalStatusIn": eg(strict(&["status"], json!({
                "status": { "type": "string", "description": "`accepted` or `declined`" } })),
                json!([{ "status": "accepted" }])),
        }),
    ])
}

/// Serve the document.
pub async fn document() -> Json<Value> {
    Json(spec())
}
