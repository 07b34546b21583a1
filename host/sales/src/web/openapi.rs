//! The sales app's schemas for `/openapi.json` (assembled by the shell,
//! `baton_service::openapi`, through `WebApp::openapi`): the bodies its
//! routes take and answer (CRM, proposals, the brief, success metrics,
//! connected accounts, Meeting BaaS and Google's pushes, its inbox
//! forms), and the fields its preferences add to a user's. Each route's
//! operation is generated from its handler's `#[utoipa::path]`, which
//! names these schemas by the types below. Written with the shell's
//! pieces (`baton_service::openapi::kit`).

pub use baton_service::openapi::*;

use baton_service::named_schemas;
use baton_service::openapi::kit::*;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

named_schemas! {
    DealContext, Suppression, DoNotContactIn, Flagged, ImportDoc, ImportSummary, Account, AccountIn,
    OrgAccountIn, ConnectUrl, Proposal, ProposalWithViews, DealState, Brief, SuccessMetrics,
    MeetingBaasEvent, PubSubPush, GmailSyncRequested, GmailIgnored, CalendarAck, DecideForm, UndoForm,
    SettingsForm, Tracking, TrackingIn,
}

/// `GET /v1/proposals`'s query: a status, a rep, how many.
pub struct ProposalsQuery;
impl IntoParams for ProposalsQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let statuses = [
            "all",
            "draft",
            "sent",
            "viewed",
            "accepted",
            "declined",
            "superseded",
        ];
        vec![
            status_param(&statuses, "all"),
            ParameterBuilder::new()
                .name("user")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some("Only this rep's (a handle)"))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
            limit_param(baton_service::api::MAX_LIMIT),
        ]
    }
}

/// The app's part: `schemas` and `preferences`.
pub fn part() -> Value {
    json!({
        "schemas": merged([schemas(), forms()]),
        "preferences": preference_fields(),
    })
}

/// The inbox's forms and Google's acknowledgements.
fn forms() -> Value {
    let decide_form = json!({ "type": "object", "properties": {
        "decision": { "enum": ["approve", "edit", "skip", "cancel", "choose", "items", "not_right"] },
        "option": { "type": "string" }, "item": { "type": "string" }, "subject": { "type": "string" },
        "body": { "type": "string" }, "payload": { "type": "string" },
        "reason": { "enum": ["wrong_intent", "wrong_person", "wrong_timing", "bad_draft", "other"] },
        "label": { "type": "string", "description": "`not_right`: a label it should have had (repeat the field); `none` for none" },
        "note": { "type": "string", "maxLength": 500 },
        "preview": { "type": "string", "description": "`edit`: redraw the page with the edit, deciding nothing" },
        "select": { "enum": ["all", "none"], "description": "`items`: redraw the checklist all or none ticked, deciding nothing" },
        "send_at": { "type": "string", "description": "With `later`: the local time in the rep's zone to send a step's approved (or edited) email draft at (`2026-11-30T09:00`); 422 with the page when it is missing, not a time, past or over 30 days away" },
        "later": { "type": "string", "description": "`approve` or `edit`: send later, at `send_at` (without it, `send_at` is not read)" },
        "redraft": { "type": "string", "description": "On a reply withdrawn because a newer message arrived: go to the reply to the newest message (its waiting draft, or a new one drafted now); 409 with the page when there is none" },
        "crm.value": { "type": "string", "description": "`edit` of a CRM change setting one `field`: its new value; `crm.<field>` for each field a change sets" } } });
    json!({
        "DecideForm": decide_form,
        "SettingsForm": { "type": "object", "properties": {
            "timezone": { "type": "string", "description": "An IANA time zone, e.g. Europe/London" },
            "briefing_time": { "type": "string", "description": "When the morning brief comes, HH:MM" },
            "quiet_start": { "type": "string", "description": "Quiet hours from, HH:MM (empty: none)" },
            "quiet_end": { "type": "string", "description": "Quiet hours until, HH:MM (empty: none)" },
            "tone": { "type": "string", "description": "How drafts sound: warm, neutral or brief" },
            "coaching": { "type": "string", "description": "Coaching: per_meeting, weekly, both or off" },
            "max_revivals_per_day": { "type": "string", "description": "Stale deals revived a day, a whole number from 0" },
            "slack_channel": { "type": "string", "description": "The rep's Slack channel (empty: none)" } } },
        "UndoForm": { "type": "object", "properties": {
            "back": { "type": "string", "description": "An `/inbox/` page to return to (else the job's page)" } } },
        "GmailSyncRequested": { "type": "object", "required": ["outcome", "mailboxes"], "properties": {
            "outcome": { "enum": ["sync_requested"] },
            "mailboxes": { "type": "integer", "description": "Connected accounts of the mailbox to sync" } } },
        "GmailIgnored": { "type": "object", "required": ["outcome", "reason"], "properties": {
            "outcome": { "enum": ["ignored"] },
            "reason": { "enum": ["unknown_mailbox", "needs_reconnect"] } } },
        "CalendarAck": { "type": "object", "required": ["outcome"],
            "properties": { "outcome": { "enum": ["channel_confirmed", "sync_requested"] } } },
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
            "Tracking": record(json!({ "opens": boolean(), "clicks": boolean() })),
            "TrackingIn": eg(strict(&[], json!({
                "opens": { "type": ["boolean", "null"], "description": "A 1×1 pixel in each email sent (absent: unchanged)" },
                "clicks": { "type": ["boolean", "null"], "description": "Links wrapped through /t/c/… (absent: unchanged)" } })),
                json!([{ "opens": true, "clicks": true }])),
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
                    "description": "`bot_id`, the transcript or its links, and `extra` naming `baton_org` and `baton_user` (and, optionally, `contact_email`, `deal_id`, `title`, `started_at`, `ended_at`, and `attendees`: the addresses of everyone from outside on the call, whom a meeting it leads to invites)" },
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
        }),
        json!({ "SuccessMetrics": success_metrics(), "DealState": deal_state() }),
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
        "revival_meeting_days": { "type": "integer", "minimum": 0, "maximum": 365,
                  "description": "A deal with a meeting on the calendar within this many days is not revived (default 14; 0 looks at no meeting)" },
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
        "status": { "enum": ["draft", "sent", "viewed", "accepted", "declined", "superseded"] },
        "title": string(), "amount_cents": or_null("integer"),
        "currency": { "type": "string", "description": "ISO 4217; amounts are in its minor units" },
        "document": { "type": "object", "description": "The document as approved: title, sections, pricing, …" },
        "link": { "type": "string", "description": "The public link, `{public_url}/p/{token}`" },
        "expires_at": or_null("integer"), "created_at": int(), "sent_at": or_null("integer"),
        "first_viewed_at": or_null("integer") })
}

/// `crate::lifecycle::view::DealState`.
fn deal_state() -> Value {
    let texts = array_of(string());
    let track = record(json!({ "name": string(), "owner": string(),
        "status": { "enum": ["draft", "active", "blocked", "waiting", "complete", "superseded"] },
        "dependencies": texts, "blockers": texts, "due_date": or_null("string") }));
    let fact = record(json!({ "value": {}, "source": string(), "at": int(),
        "kind": { "enum": ["conversation", "person", "crm", "document"] } }));
    let state = record(json!({
        "deal_id": string(), "workflow_type": string(), "workflow_version": int(), "stage": string(),
        "status": { "enum": ["draft", "active", "stalled", "blocked", "in_review", "approved",
            "launched", "closed", "reopened", "superseded"] },
        "tracks": array_of(track),
        "facts": { "type": "object", "additionalProperties": fact },
        "assumptions": texts, "missing_info": texts, "next_decision": or_null("string"),
        "conflicts": array_of(record(json!({ "fact": string(), "held": fact, "other": fact,
            "track": string(), "likely": { "enum": ["held", "other"] } }))),
        "approvals": array_of(approval()) }));
    let event = record(json!({ "id": string(), "seq": int(),
        "event_type": { "enum": ["artifact_created", "artifact_revised", "approval_requested",
            "approval_changed", "blocker_added", "blocker_removed", "scope_changed", "owner_changed",
            "decision_recorded", "track_started", "track_closed", "recovery_action_selected"] },
        "actor": string(), "at": int(), "happening": string(),
        "related_artifact": or_null("string"), "related_track": or_null("string"),
        "decision": or_null("string"), "evidence": or_null("string"), "notes": or_null("string"),
        "from_stage": or_null("string"), "to_stage": or_null("string") }));
    let artifact = record(
        json!({ "artifact": string(), "id": string(), "version": int(),
        "title": string(), "status": { "enum": ["draft", "current", "superseded", "archived"] },
        "detail": string(), "supersedes": or_null("integer"), "created_at": int() }),
    );
    record(
        json!({ "deal": { "type": "object" }, "started": { "type": "boolean" }, "state": state,
        "artifacts": array_of(artifact), "tasks": array_of(json!({ "type": "object" })), "events": array_of(event) }),
    )
}

/// `crate::engagement::Approval`.
fn approval() -> Value {
    let texts = array_of(string());
    record(json!({ "id": int(), "subject": string(),
        "class": { "enum": ["commercial", "legal_or_contract", "security", "external_send", "public_proof"] },
        "state": { "enum": ["unknown", "draft", "requested", "partial", "approved", "rejected",
            "expired", "superseded", "blocked", "conditional"] },
        "scope": texts, "permits": texts, "conditions": texts, "needs": texts, "blockers": texts,
        "requested_by": string(), "requested_at": int(), "decided_by": or_null("string"),
        "decided_at": or_null("integer"), "evidence": or_null("string"),
        "supersedes": or_null("integer") }))
}

/// `crate::success::Summary`: rates and shares are 0 to 1, `null` without
/// data; times are seconds.
fn success_metrics() -> Value {
    let rate = json!({ "type": ["number", "null"], "minimum": 0, "maximum": 1 });
    let seconds = json!({ "type": ["number", "null"], "minimum": 0 });
    let count = json!({ "type": "integer", "minimum": 0 });
    let counts = json!({ "accepted": count, "edited": count, "dismissed": count, "expired": count,
        "superseded": count });
    let mut trust = counts.clone();
    trust["skill"] = string();
    trust["kind"] = json!({ "type": "string",
        "description": "The kind of the suggestion's first proposed action, `none` without one" });
    trust["approved_unchanged_share"] = rate.clone();
    trust["edit_distance_mean"] = json!({ "type": ["number", "null"], "minimum": 0, "maximum": 1,
        "description": "How far the edits moved the drafts, in words (0 unchanged, 1 rewritten)" });
    let mut per_skill = counts.clone();
    per_skill["skill"] = string();
    per_skill["label"] = json!({ "type": "string",
        "description": "The detection's label, `email:<intent>`, or the gate's action kind" });
    per_skill["dismissal_rate"] = rate.clone();
    let window = record(json!({
        "days": int(), "suggestions": record(counts.clone()), "dismissal_rate": rate,
        "by_skill_label": array_of(record(per_skill)),
        "approved_unchanged_share": rate, "edit_distance_mean": rate,
        "trust": array_of(record(trust)),
        "follow_up": record(json!({ "meetings": count, "sent": count, "p50_seconds": seconds,
            "p90_seconds": seconds })),
        "briefs": record(json!({ "briefs": count, "on_time": count, "late": count, "pending": count,
            "unknown_start": count, "on_time_share": rate })),
        "scheduling": record(json!({ "requests": count, "handled": count, "in_progress": count,
            "handled_share": rate })),
        "crm_updates": record(json!({ "meetings": count, "updated": count, "completeness": rate })),
        "buttons": record(json!({ "delivered": count, "clicked": count, "engagement": rate })),
        "revivals": record(json!({ "stale_deals": count, "re_engaged": count,
            "re_engaged_per_week": { "type": "number", "minimum": 0 } })) }));
    record(json!({
        "org": string(), "as_of": int(), "days": int(), "windows": array_of(window),
        "daily": array_of(record(json!({ "date": string(), "suggestions": record(counts),
            "dismissal_rate": rate, "follow_up_p50_seconds": seconds }))) }))
}
