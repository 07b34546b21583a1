//! Google push notifications.
//!
//! - `POST /v1/webhooks/gmail?token=…`: a Gmail Pub/Sub push. The token is
//!   `BATON_GMAIL_PUSH_TOKEN` (set it in the push subscription's endpoint).
//!   `message.data` is base64 JSON `{emailAddress, historyId}` in either
//!   alphabet, padded or not. Each active connected Google account of the
//!   mailbox is marked for a sync and the mail loop is woken
//!   (`sources::mail`): it reads the new messages, one `email_received`
//!   event each. The answer does not wait for Gmail.
//! - `POST /v1/webhooks/google-calendar`: a Calendar push. The channel id
//!   must be one we opened (and its token match); `sync` confirms the
//!   channel, `exists`/`not_exists` mark the calendar for a re-read and wake
//!   the calendar loop (`sources::calendar`), which reads it at once.
//!
//! Pub/Sub retries anything but a 2xx, so pushes we cannot use (an unknown
//! mailbox) are acknowledged with what was done, not refused.

use super::super::App;
use super::super::Sales;
use super::super::problem::{JsonBody, Problem, refuse_nul};
use super::super::signature::same_secret;
use super::header;
use crate::web::store::CalendarTables;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use baton_engine::wire::decode_base64_any;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// A Pub/Sub push envelope.
#[derive(Debug, Deserialize)]
pub struct Push {
    pub message: PushMessage,
}

/// The message in a push envelope.
#[derive(Debug, Deserialize)]
pub struct PushMessage {
    pub data: Option<String>,
    #[serde(rename = "messageId", alias = "message_id")]
    pub message_id: Option<String>,
}

/// Receive a Gmail Pub/Sub push: the token is checked before the body is
/// read.
#[utoipa::path(post, path = "/v1/webhooks/gmail", operation_id = "gmailPush",
    summary = "Gmail Pub/Sub push: the mailbox's connected Google accounts are synced (one email_received per new INBOX message); the token is checked before the body is read",
    params(("token" = String, Query, description = "BATON_GMAIL_PUSH_TOKEN, set in the push subscription's endpoint")),
    request_body = crate::web::openapi::PubSubPush,
    responses(crate::web::openapi::Verified, crate::web::openapi::Body, crate::web::openapi::Db,
        (status = 202, description = "A sync of the mailbox was requested; the mail loop reads it at once",
            body = crate::web::openapi::GmailSyncRequested),
        (status = 200, description = "Acknowledged, not read: no connected account for the mailbox, or it needs reconnecting",
            body = crate::web::openapi::GmailIgnored)))]
pub async fn gmail(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    Query(query): Query<HashMap<String, String>>,
    body: Request,
) -> Result<Response, Problem> {
    let expected = app
        .secrets
        .gmail_push_token
        .as_deref()
        .ok_or_else(|| Problem::forbidden("Gmail push is off: set BATON_GMAIL_PUSH_TOKEN"))?;
    match query.get("token") {
        Some(t) if same_secret(t, expected) => {}
        _ => {
            return Err(Problem::unauthorized(
                "the push endpoint's `token` does not match",
            ));
        }
    }
    let JsonBody(push) = JsonBody::<Push>::from_request(body, &app).await?;
    let GmailNote { mailbox, .. } = gmail_note(push)?;
    let accounts = app.store().accounts_by_address("google", &mailbox).await?;
    let active: Vec<_> = accounts
        .iter()
        .filter(|a| a.status == crate::web::store::accounts::ACTIVE)
        .collect();
    if active.is_empty() {
        let reason = if accounts.is_empty() {
            "unknown_mailbox"
        } else {
            "needs_reconnect"
        };
        tracing::info!(
            reason,
            "Gmail push for no active connected mailbox; acknowledged, not synced"
        );
        return Ok(Json(json!({ "outcome": "ignored", "reason": reason })).into_response());
    }
    for account in &active {
        app.store()
            .request_account_sync(&account.org_id, &account.id, app.now())
            .await?;
    }
    sales.mail_wake.notify_one();
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "outcome": "sync_requested", "mailboxes": active.len() })),
    )
        .into_response())
}

/// What a Gmail push says: whose mailbox changed, up to which history id,
/// and the Pub/Sub message id (a redelivery carries the same one).
#[derive(Debug, Clone, PartialEq)]
pub struct GmailNote {
    pub mailbox: String,
    pub history_id: String,
    pub pubsub_id: String,
}

/// Read a push envelope's notification: 422 naming what is missing or
/// malformed.
pub(crate) fn gmail_note(push: Push) -> Result<GmailNote, Problem> {
    let data = push
        .message
        .data
        .as_deref()
        .ok_or_else(|| Problem::unprocessable("message.data is missing"))?;
    let decoded = decode_base64_any(data)
        .ok_or_else(|| Problem::unprocessable("message.data is not base64"))?;
    let note: Value = serde_json::from_slice(&decoded)
        .map_err(|e| Problem::unprocessable(format!("message.data is not JSON: {e}")))?;
    refuse_nul(&note, "message.data")?;
    let mailbox = note["emailAddress"]
        .as_str()
        .ok_or_else(|| Problem::unprocessable("the notification has no emailAddress"))?
        .to_owned();
    let history_id = match &note["historyId"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(Problem::unprocessable("the notification has no historyId")),
    };
    let pubsub_id = push
        .message
        .message_id
        .ok_or_else(|| Problem::unprocessable("message.messageId is missing"))?;
    Ok(GmailNote {
        mailbox,
        history_id,
        pubsub_id,
    })
}

/// Receive a Google Calendar push.
#[utoipa::path(post, path = "/v1/webhooks/google-calendar", operation_id = "calendarPush",
    summary = "Google Calendar push (channel id and token checked)",
    params(("X-Goog-Channel-ID" = String, Header, description = "A channel baton opened"),
        ("X-Goog-Resource-State" = String, Header, description = "`sync`, `exists` or `not_exists`"),
        ("X-Goog-Channel-Token" = Option<String>, Header, nullable = false, description = "The channel's token, if it has one")),
    responses(crate::web::openapi::Unauthorized, crate::web::openapi::NotFound, crate::web::openapi::Db,
        (status = 200, description = "Acknowledged", body = crate::web::openapi::CalendarAck)))]
pub async fn calendar(
    State(app): State<Arc<App>>,
    Extension(sales): Extension<Arc<Sales>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let channel = header(&headers, "x-goog-channel-id")
        .ok_or_else(|| Problem::bad_request("X-Goog-Channel-ID is missing"))?;
    let state = header(&headers, "x-goog-resource-state")
        .ok_or_else(|| Problem::bad_request("X-Goog-Resource-State is missing"))?;
    let source = app
        .store()
        .calendar_by_channel(channel)
        .await?
        .ok_or_else(|| Problem::not_found("no calendar channel with this id"))?;
    if let Some(expected) = &source.channel_token {
        match header(&headers, "x-goog-channel-token") {
            Some(t) if same_secret(t, expected) => {}
            _ => return Err(Problem::unauthorized("X-Goog-Channel-Token does not match")),
        }
    }
    let outcome = match state {
        "sync" => "channel_confirmed",
        "exists" | "not_exists" => {
            app.store()
                .request_calendar_sync(&source.org_id, &source.id, app.now())
                .await?;
            sales.calendar_wake.notify_one();
            "sync_requested"
        }
        other => {
            return Err(Problem::bad_request(format!(
                "X-Goog-Resource-State `{other}` is not sync, exists or not_exists"
            )));
        }
    };
    Ok(Json(json!({ "outcome": outcome })).into_response())
}
