//! `POST /v1/webhooks/meetingbaas`: a meeting ended.
//!
//! - v1 (`{"event": "complete", "data": {…, "transcript": [...]}}`) carries
//!   the account's API key in `x-meeting-baas-api-key`
//!   (`BATON_MEETINGBAAS_API_KEY`).
//! - v2 (`{"event": "bot.completed", "data": {…}}`) is signed by Svix
//!   (`svix-id`, `svix-timestamp`, `svix-signature`) with
//!   `BATON_MEETINGBAAS_WEBHOOK_SECRET`.
//!
//! The bot's `extra` (set when the bot was sent) names the org and user:
//! `{"baton_org": "acme", "baton_user": "rep1"}` (`org`/`user` also
//! accepted), in `data.extra` or at the top level. Other events (failed,
//! status changes, calendar sync) are acknowledged and ignored.

use super::super::App;
use super::super::api::submitted;
use super::super::problem::{Problem, RawBody, refuse_nul};
use super::super::signature::{same_secret, verify_standard};
use super::super::{Sales, SalesSecrets};
use super::{header, now_s};
use crate::sources::transcript;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use baton_engine::orchestrator::Event;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Receive one Meeting BaaS webhook.
#[utoipa::path(post, path = "/v1/webhooks/meetingbaas", operation_id = "meetingBaas",
    summary = "Meeting BaaS: v1 `complete` (x-meeting-baas-api-key) or v2 `bot.completed` (Svix-signed) → meeting_ended",
    params(("x-meeting-baas-api-key" = Option<String>, Header, nullable = false, description = "v1: the account's API key (BATON_MEETINGBAAS_API_KEY)"),
        ("svix-id" = Option<String>, Header, nullable = false, description = "v2: the message id"),
        ("svix-timestamp" = Option<String>, Header, nullable = false, description = "v2: seconds since the epoch"),
        ("svix-signature" = Option<String>, Header, nullable = false, description = "v2: `v1,<base64 HMAC-SHA256>` with BATON_MEETINGBAAS_WEBHOOK_SECRET")),
    request_body = crate::web::openapi::MeetingBaasEvent,
    responses(crate::web::openapi::Verified, crate::web::openapi::Submit, crate::web::openapi::BadRequest,
        (status = 202, description = "A job was created", body = crate::web::openapi::Accepted),
        (status = 200, description = "A duplicate, or an event that is not a completed meeting (ignored)",
            body = inline(crate::web::openapi::DuplicateOrIgnored))))]
pub async fn receive(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, Problem> {
    authenticate(&app, &sales.secrets, &headers, &body)?;
    let doc: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("the body is not JSON: {e}")))?;
    refuse_nul(&doc, "")?;
    let kind = doc["event"].as_str().unwrap_or_default();
    if !matches!(kind, "complete" | "bot.completed") {
        return Ok(Json(json!({ "outcome": "ignored", "event": kind })).into_response());
    }
    let data = &doc["data"];
    let (org, user) = owner(&doc).ok_or_else(|| {
        Problem::unprocessable(
            "the bot's `extra` does not name the org and user (`baton_org`, `baton_user`)",
        )
    })?;
    let (reps, insiders) = org_people(&app, &org).await?;
    let mut payload = meeting_ended(data, &reps)?;
    // The org's own people are not outside attendees.
    if let Some(list) = payload.get_mut("attendees").and_then(Value::as_array_mut) {
        list.retain(|a| a.as_str().is_some_and(|a| !insiders.iter().any(|i| i == a)));
    }
    let event = Event {
        event_type: "meeting_ended".into(),
        org,
        user,
        payload,
        source: "webhook:meetingbaas".into(),
        idempotency_key: None,
    };
    Ok(submitted(app.orch.submit(&event).await?))
}

/// v2 if Svix headers are present, else v1's API key.
fn authenticate(
    app: &App,
    secrets: &SalesSecrets,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Problem> {
    if header(headers, "svix-signature").is_some() {
        let secret = secrets
            .meetingbaas_webhook_secret
            .as_deref()
            .ok_or_else(|| {
                Problem::forbidden(
                    "Meeting BaaS v2 webhooks are off: set BATON_MEETINGBAAS_WEBHOOK_SECRET",
                )
            })?;
        return verify_standard(
            secret,
            header(headers, "svix-id"),
            header(headers, "svix-timestamp"),
            header(headers, "svix-signature"),
            body,
            now_s(app),
            app.settings.webhook_tolerance_s,
        )
        .map_err(|e| Problem::unauthorized(format!("Svix signature: {e}")));
    }
    let expected = secrets.meetingbaas_api_key.as_deref().ok_or_else(|| {
        Problem::forbidden("Meeting BaaS v1 webhooks are off: set BATON_MEETINGBAAS_API_KEY")
    })?;
    match header(headers, "x-meeting-baas-api-key") {
        Some(k) if same_secret(k, expected) => Ok(()),
        Some(_) => Err(Problem::unauthorized(
            "x-meeting-baas-api-key does not match",
        )),
        None => Err(Problem::unauthorized(
            "neither Svix signature headers nor x-meeting-baas-api-key were sent",
        )),
    }
}

/// The org and user from the bot's `extra`.
pub(super) fn owner(doc: &Value) -> Option<(String, String)> {
    let find = |extra: &Value| -> Option<(String, String)> {
        let get = |a: &str, b: &str| {
            extra[a]
                .as_str()
                .or_else(|| extra[b].as_str())
                .map(str::to_owned)
        };
        Some((get("baton_org", "org")?, get("baton_user", "user")?))
    };
    find(&doc["data"]["extra"]).or_else(|| find(&doc["extra"]))
}

/// The names of the org's people (on a call, they speak as the rep) and
/// their addresses, lowercased (never outside attendees).
async fn org_people(app: &App, slug: &str) -> Result<(Vec<String>, Vec<String>), Problem> {
    let store = app.store();
    let Some(org) = store.org_by_slug(slug).await? else {
        // Submitting refuses the event with the reason.
        return Ok((Vec::new(), Vec::new()));
    };
    Ok(store
        .users(&org.id)
        .await?
        .into_iter()
        .map(|u| (u.name, u.email.to_lowercase()))
        .unzip())
}

/// The `meeting_ended` payload from either layout: v1's inline transcript
/// (segments of words) becomes utterances, each speaker labelled `rep` or
/// `prospect` against `people` (the org's names); v2 links its artifacts,
/// and its transcript is fetched before the job's first step
/// (`crate::sources::transcript`).
pub fn meeting_ended(data: &Value, people: &[String]) -> Result<Value, Problem> {
    let meeting_id = data["bot_id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Problem::unprocessable("data.bot_id is missing"))?;
    let mut p = Map::new();
    p.insert("meeting_id".into(), json!(meeting_id));
    p.insert("provider".into(), json!("meetingbaas"));
    let segments = data["transcript"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let utterances = transcript::utterances(segments, people);
    p.insert("utterances".into(), Value::Array(utterances));
    for key in [
        "speakers",
        "participants",
        "duration_seconds",
        "joined_at",
        "exited_at",
    ] {
        if !data[key].is_null() {
            p.insert(key.into(), data[key].clone());
        }
    }
    for (from, to) in [
        ("transcription", "transcript_url"),
        ("raw_transcription", "raw_transcript_url"),
        ("diarization", "diarization_url"),
    ] {
        if let Some(url) = data[from].as_str() {
            p.insert(to.into(), json!(url));
        }
    }
    for key in [
        "title",
        "contact_email",
        "contact_id",
        "deal_name",
        "deal_id",
        "meeting_url",
        "started_at",
        "ended_at",
    ] {
        if let Some(v) = data["extra"][key].as_str() {
            p.insert(key.into(), json!(v));
        }
    }
    // Who was on the call, as whoever sent the bot listed them in `extra`
    // (a list, or one comma-separated string): addresses only, lowercased,
    // each once.
    let listed: Vec<&str> = match &data["extra"]["attendees"] {
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => s.split(',').collect(),
        _ => Vec::new(),
    };
    let mut attendees: Vec<String> = Vec::new();
    for a in listed
        .into_iter()
        .filter_map(baton_store::address::address_key)
    {
        if baton_store::address::is_address(&a) && !attendees.contains(&a) {
            attendees.push(a);
        }
    }
    if !attendees.is_empty() {
        p.insert("attendees".into(), json!(attendees));
    }
    // v2 says when the bot joined and left: the meeting's times, which
    // skills resolve "by Friday" against.
    for (from, to) in [("joined_at", "started_at"), ("exited_at", "ended_at")] {
        if let Some(at) = data[from].as_str()
            && !p.contains_key(to)
        {
            p.insert(to.into(), json!(at));
        }
    }
    Ok(Value::Object(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_join_and_exit_times_become_the_meetings_times() {
        let data = json!({
            "bot_id": "b1",
            "joined_at": "2026-11-20T15:00:02Z",
            "exited_at": "2026-11-20T15:41:40Z",
            "transcript": [{ "speaker": "Jordan Avery", "text": "Thanks, Marta.", "start_time": 0.5 }],
            "extra": { "contact_email": "marta@northwind.example", "deal_id": "d1" }
        });
        let p = meeting_ended(&data, &["Jordan Avery".to_owned()]).expect("payload");
        assert_eq!(p["started_at"], "2026-11-20T15:00:02Z");
        assert_eq!(p["ended_at"], "2026-11-20T15:41:40Z");
        assert_eq!(p["deal_id"], "d1");
        assert_eq!(p["utterances"][0]["speaker"], "rep");
    }

    /// Issue 40: the call's outside attendees ride along, addresses only.
    #[test]
    fn attendees_listed_in_extra_ride_along_as_addresses() {
        let data = json!({
            "bot_id": "b1",
            "extra": { "attendees": ["Marta Ruiz <Marta.Ruiz@northwind.example>",
                                     "ken.ito@northwind.example", "not an address", 7,
                                     "ken.ito@northwind.example"] }
        });
        let p = meeting_ended(&data, &[]).expect("payload");
        assert_eq!(
            p["attendees"],
            json!(["marta.ruiz@northwind.example", "ken.ito@northwind.example"])
        );
        let data = json!({ "bot_id": "b1", "extra": { "attendees": "a@x.example, b@y.example" } });
        let p = meeting_ended(&data, &[]).expect("payload");
        assert_eq!(p["attendees"], json!(["a@x.example", "b@y.example"]));
        let p = meeting_ended(&json!({ "bot_id": "b1" }), &[]).expect("payload");
        assert!(p.get("attendees").is_none());
    }

    #[test]
    fn times_given_in_extra_win_over_the_bots() {
        let data = json!({
            "bot_id": "b1",
            "joined_at": "2026-11-20T15:03:00Z",
            "extra": { "started_at": "2026-11-20T15:00:00Z" }
        });
        let p = meeting_ended(&data, &[]).expect("payload");
        assert_eq!(p["started_at"], "2026-11-20T15:00:00Z");
        assert!(p.get("ended_at").is_none());
    }
}
