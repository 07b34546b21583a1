//! The shell's schemas: problems, events, jobs, approvals and decisions,
//! skills, users and their preferences, features, the operator's bodies,
//! provider keys and the generic webhook's event.

use super::kit::*;
use serde_json::{Map, Value, json};

/// The shell's schemas, the preferences with the apps' fields.
pub(super) fn schemas(preferences: Map<String, Value>) -> Value {
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
        "options": array_of(string()), "status": { "enum": ["open", "decided", "expired", "cancelled", "superseded"] },
        "decision": decision_or_null,
        "decided_by": { "type": ["string", "null"], "description":
            "The credential that decided: `api:<token name>`, `inbox:<handle>`, `slack:<user id>`, `cli`" },
        "decision_note": { "type": ["string", "null"], "description":
            "What the person wrote with the decision; for a superseded gate, why it was withdrawn" },
        "decided_at": or_null("integer"), "expires_at": int(), "on_expiry": string(), "created_at": int(),
        "basis": { "description":
            "What its suggestion was based on (the app's own shape), checked before it is decided; null when nothing is" },
        "send_at": { "type": ["integer", "null"], "description":
            "Send later: when the person chose, with the approval, for its emails to leave (Unix ms)" } }));
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
                    "oneOf": [schema_ref("FeedbackIn"), { "type": "null" }] },
                "send_at": { "type": ["string", "null"], "format": "date-time", "description": "Send later: with an \
                    approval of a step's gate that emails, when the emails leave (RFC 3339 with an offset, after now \
                    and within 30 days); they wait in the outbox until then and can be cancelled" } } }),
                json!([{ "decision": "approved", "note": "checked the dates with Marta" }, { "decision": "chosen", "value": 1 },
                       { "decision": "approved", "send_at": "2026-11-30T09:00:00-05:00" },
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
            "JobSummary": record(job_summary_fields()),
        }),
        json!({
            "Job": record(job_fields()),
            "Skills": record(json!({ "skills": array_of(schema_ref("Skill")),
                "problems": array_of(record(json!({ "path": string(), "reason": string() }))) })),
            "Skill": record(json!({ "name": string(), "version": string(), "sha256": string(),
                "path": string(), "summary": string(), "capabilities": array_of(string()),
                "effective": array_of(string()),
                "live_since": { "type": "integer", "description": "When this version went live here (ms since the epoch)" },
                "compiled": { "type": "string", "enum": ["quick", "optimized"],
                    "description": "Which compiler made the code it runs: `quick` (Winch) after a start on a cold compile cache, until Cranelift's code replaces it in the background" },
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
            "Preferences": record(preference_fields(&preferences)),
            "PreferencesIn": eg(json!({ "type": "object", "additionalProperties": false,
                "description": "Fields left out take their defaults", "properties": preference_fields(&preferences) }),
                json!([{ "timezone": "Europe/London", "working_start_min": 540, "working_end_min": 1080,
                         "quiet_start_min": 1200, "quiet_end_min": 420, "daily_send_cap": 40 }])),
            "Feature": record(json!({ "event_type": string(), "enabled": boolean(), "runnable": boolean(),
                "missing_skills": array_of(string()) })),
        }),
        json!({
            "FeatureSet": record(json!({ "event_type": string(), "enabled": boolean() })),
            "OrgSummary": record(json!({ "id": string(), "slug": string(), "name": string() })),
            "TokenCreated": record(json!({ "id": string(), "org": string(), "token": string(), "note": string() })),
            "ClockIn": eg(json!({ "oneOf": [
                    strict(&["advance_minutes"], json!({ "advance_minutes": { "type": "integer", "minimum": 1, "maximum": 527_040 } })),
                    strict(&["to"], json!({ "to": { "type": "string", "format": "date-time" } })) ] }),
                json!([{ "advance_minutes": 90 }, { "to": "2026-11-19T13:00:00Z" }])),
            "ClockMoved": record(json!({ "now": string(), "now_ms": int(), "fired": int() })),
            "MagicLink": record(json!({ "url": string(), "expires_at": int() })),
            "ProviderKeyKept": record(json!({ "name": string(), "org": string(), "host": string(), "header": string() })),
            "ProviderKey": record(json!({ "name": string(), "host": string(), "header": string(),
                "created_at": int(), "updated_at": int() })),
        }),
    ])
}

/// The preferences' fields: the engine's (`store::Preferences`) with the
/// apps' (`apps`); minutes are after local midnight.
fn preference_fields(apps: &Map<String, Value>) -> Value {
    let minute = json!({ "type": "integer", "minimum": 0, "maximum": 1439 });
    let minute_or_null = json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 1439 });
    let count = json!({ "type": "integer", "minimum": 0 });
    let mut fields = json!({
        "timezone": { "type": "string", "description": "An IANA time zone, e.g. Europe/London" },
        "working_start_min": minute, "working_end_min": minute,
        "quiet_start_min": minute_or_null, "quiet_end_min": minute_or_null,
        "max_notifications_per_hour": count, "daily_send_cap": count,
        "slack_channel": or_null("string"), "email_signature": or_null("string"),
        "slack_user_id": { "type": ["string", "null"], "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "description": "The rep's Slack user id (U…): their clicks in Slack act for them; one rep per Slack user in an org (another rep's is a 422)" },
    });
    if let Value::Object(m) = &mut fields {
        m.extend(apps.clone());
    }
    fields
}

/// Jobs as `orchestrator::views` shows them.
fn job_summary_fields() -> Value {
    json!({
        "id": string(), "event_type": string(), "event_source": string(),
        "status": { "enum": ["pending", "running", "awaiting_approval", "completed", "failed", "cancelled",
            "skipped", "budget_exceeded"] },
        "current_step": int(), "chain_depth": int(), "parent_job_id": or_null("string"),
        "sequence_version": or_null("integer"),
        "idempotency_key": string(), "scheduled_at": int(), "created_at": int(),
        "finished_at": or_null("integer"), "error": or_null("string"),
        "steps": { "type": "object", "description": "Each step's progress, by step name",
            "additionalProperties": { "type": "object", "required": ["status", "attempts"], "properties": {
                "status": { "enum": ["completed", "skipped", "failed", "awaiting", "retrying"] },
                "attempts": int(), "reason": string(),
                "fallback": { "type": "boolean", "description": "It failed for good and runs its fallback skill" } } } },
        "execution": record(json!({
            "sequence_job_id": string(), "event_type": string(), "event_source": string(),
            "steps_attempted": int(), "steps_completed": int(), "steps_failed": int(), "steps_skipped": int(),
            "approval_gates_hit": int(), "followups_queued": int(), "followups_dropped": int(), "withheld": int(),
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
