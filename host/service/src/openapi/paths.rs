//! The shell's routes, described: health, metrics and this document; the
//! core `/v1` API; the operator's routes; Slack's interactivity and
//! generic webhooks; the inbox's sign-in and connected accounts.

use super::kit::*;
use serde_json::{Value, json};

/// Every route of the shell.
pub(super) fn paths() -> Value {
    merged([
        service_paths(),
        api_paths(),
        admin_paths(),
        account_paths(),
        webhook_paths(),
        inbox_paths(),
    ])
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

/// Provider keys (admin), and connecting Google from the inbox (pages).
fn account_paths() -> Value {
    let admin = security("admin");
    let session = json!([{ "session": [] }, {}]);
    let page = |status: &str| html(status);
    json!({
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
    json!({
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
                &[VERIFIED, &[422]]) } },
        "/v1/webhooks/generic/{source}": { "post": { "operationId": "genericWebhook",
            "summary": "Any source, Standard Webhooks-signed (BATON_WEBHOOK_SECRET_<SOURCE> or BATON_WEBHOOK_SECRET)",
            "parameters": [
                header("webhook-id", true, "The message id"),
                header("webhook-timestamp", true, "Seconds since the epoch, within the tolerance"),
                header("webhook-signature", true, "`v1,<base64 HMAC-SHA256>`")],
            "requestBody": json_body("GenericEvent"),
            "responses": answers(submitted("A redelivery: the job already handling it"), &[VERIFIED, SUBMIT]) } },
    })
}

/// Signing in and out of the inbox (pages for a browser).
fn inbox_paths() -> Value {
    json!({
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
    })
}
