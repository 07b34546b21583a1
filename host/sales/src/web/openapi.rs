//! The sales app's part of `/openapi.json` (assembled by the shell,
//! `baton_service::openapi`, through `WebApp::openapi`): its routes (CRM,
//! proposals, the brief, success metrics, connected accounts, Meeting BaaS
//! and Google's pushes, the proposal page, its inbox pages), their schemas,
//! and the fields its preferences add to a user's. Written with the
//! shell's pieces (`baton_service::openapi::kit`).
//!
//! Why one file over ~400 lines: it is one document part, read top to
//! bottom beside the app's routes; split by route group it would scatter
//! the schemas the groups share.

use baton_service::openapi::kit::*;
use serde_json::{Value, json};

/// The app's part: `paths`, `schemas` and `preferences`.
pub fn part() -> Value {
    json!({
        "paths": merged([
            api_paths(),
            admin_paths(),
            account_paths(),
            webhook_paths(),
            proposal_paths(),
            inbox_paths(),
        ]),
        "schemas": schemas(),
        "preferences": preference_fields(),
    })
}

/// CRM data, proposals, success metrics, the brief, the do-not-contact
/// list.
fn api_paths() -> Value {
    let org = security("org");
    json!({
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
    })
}

fn admin_paths() -> Value {
    let admin = security("admin");
    json!({
        "/v1/admin/import": { "post": { "operationId": "importOrg", "summary": "Import any org (creates it)",
            "security": admin, "requestBody": json_body("ImportDoc"),
            "responses": answers(json!({ "200": ok("What was written", schema_ref("ImportSummary")) }),
                &[ADMIN, BODY, DB, &[404, 409]]) } },
    })
}

/// Connected accounts (org token).
fn account_paths() -> Value {
    let org = security("org");
    // Off (403) until BATON_SECRET_KEY (and for Google its client) is set.
    let off: &[u16] = &[403];
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
    })
}

fn webhook_paths() -> Value {
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
                &[VERIFIED, SUBMIT, &[400]]) } },
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
                &[VERIFIED, BODY, DB]) } },
        "/v1/webhooks/google-calendar": { "post": { "operationId": "calendarPush",
            "summary": "Google Calendar push (channel id and token checked)",
            "parameters": [
                header("X-Goog-Channel-ID", true, "A channel baton opened"),
                header("X-Goog-Resource-State", true, "`sync`, `exists` or `not_exists`"),
                header("X-Goog-Channel-Token", false, "The channel's token, if it has one")],
            "responses": answers(json!({ "200": ok("Acknowledged", json!({ "type": "object", "required": ["outcome"],
                "properties": { "outcome": { "enum": ["channel_confirmed", "sync_requested"] } } })) }),
                &[&[401, 404], DB]) } },
    })
}

/// `/p/{token}`: a shared proposal, for whoever holds the link.
fn proposal_paths() -> Value {
    json!({
        "/p/{token}": { "get": { "operationId": "proposalPage",
            "parameters": [{ "name": "token", "in": "path", "required": true,
                "description": "A proposal's share token (from its link)",
                "schema": { "type": "string", "minLength": 1 } }],
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

fn schemas() -> Value {
    let text_or_null = || or_null("string");
    merged([
        json!({
            "DealContext": record(json!({ "deal": { "type": "object" }, "contact": {}, "company": {},
                "tasks": array_of(json!({ "type": "object" })), "activities": array_of(json!({ "type": "object" })) })),
            "Suppression": record(json!({ "email": string(), "reason": string(), "job_id": text_or_null(),
                "created_at": int() })),
            "DoNotContactIn": eg(strict(&["email"], json!({
                "email": { "type": "string", "format": "email", "maxLength": 254,
                    "description": "An email address, at most 254 characters (`Name <addr>` is read as addr)" },
                "reason": { "type": ["string", "null"], "maxLength": 200 } })),
                json!([{ "email": "marta.ruiz@northwind.example", "reason": "asked on the phone not to be emailed" }])),
            "Flagged": record(json!({ "email": string(), "emails_cancelled": int(), "drafts_withdrawn": int() })),
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
        }),
        json!({
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
        json!({ "SuccessMetrics": success_metrics() }),
    ])
}

/// The sales app's fields of a user's preferences (`SalesPreferences`);
/// minutes are after local midnight.
fn preference_fields() -> Value {
    let minute = json!({ "type": "integer", "minimum": 0, "maximum": 1439 });
    let count = json!({ "type": "integer", "minimum": 0 });
    json!({
        "briefing_time_min": minute,
        "max_revivals_per_day": count,
        "coaching": { "type": "string", "enum": ["per_meeting", "weekly", "both", "off"],
                      "description": "Coaching after each meeting, in a Monday digest, both (default) or off; another value is a 400" },
        "tone": { "type": "string", "enum": ["warm", "neutral", "brief"],
                  "description": "How drafted follow-ups sound: warm, neutral (default) or brief; another value is a 400" },
    })
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
