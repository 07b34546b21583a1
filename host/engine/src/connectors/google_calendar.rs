//! Google Calendar's `events.insert` for a rep who connected a Google
//! calendar: the invitation becomes an event on their primary calendar,
//! and Google emails the attendees (`sendUpdates=all`).
//!
//! The event's `id` is the effect's [`effect_uid`](super::imip::effect_uid),
//! so a redelivery is answered 409 (the id exists) and counts as done. An
//! access token Google refuses (401) is refreshed once; a revoked grant
//! marks the account for reconnecting and the invite fails with that fix.

use super::ConnectorError;
use super::http::{base_url, client, rate_limit_wait, rate_limited, without_url};
use super::imip::Invite;
use super::mailbox::account_error;
use crate::accounts::Accounts;
use crate::store::Account;
use serde_json::{Value, json};
use std::time::Duration;

/// The account, as errors name it.
const WHAT: &str = "Google calendar";

/// Waited after a rate limit that says nothing of when to come back.
const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// The Calendar API at a base URL (`https://www.googleapis.com`).
#[derive(Debug, Clone)]
pub struct GoogleCalendar {
    base: String,
    client: reqwest::Client,
}

/// How an insert ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    /// Created now; Google's link to the event.
    Created { html_link: Option<String> },
    /// An earlier delivery created it (409).
    AlreadyThere,
}

impl GoogleCalendar {
    /// A client for the API at `base`.
    pub fn new(base: &str) -> Result<GoogleCalendar, ConnectorError> {
        Ok(GoogleCalendar {
            base: base_url(base, "Google API URL")?,
            client: client()?,
        })
    }

    /// The event body Google documents for `invite`.
    pub fn event(invite: &Invite, id: &str) -> Value {
        let at =
            |t: jiff::Timestamp| json!({ "dateTime": t.to_string(), "timeZone": invite.timezone });
        json!({
            "id": id,
            "summary": invite.title,
            "description": invite.description,
            "start": at(invite.start),
            "end": at(invite.end),
            "attendees": invite.attendees.iter().map(|a| json!({ "email": a })).collect::<Vec<_>>(),
            "reminders": { "useDefault": true },
        })
    }

    /// Insert `invite` on `account`'s primary calendar as event `id`.
    pub async fn insert(
        &self,
        accounts: &Accounts,
        account: &Account,
        invite: &Invite,
        id: &str,
    ) -> Result<Inserted, ConnectorError> {
        let url = format!(
            "{}/calendar/v3/calendars/primary/events?sendUpdates=all",
            self.base
        );
        let body = Self::event(invite, id);
        let mut token = accounts
            .access_token(account)
            .await
            .map_err(|e| account_error(e, WHAT))?;
        for attempt in 0..2 {
            let response = self
                .client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .map_err(|e| {
                    ConnectorError::retriable(format!(
                        "Google Calendar unreachable: {}",
                        without_url(&e, "<google>")
                    ))
                })?;
            let status = response.status();
            if status.as_u16() == 401 && attempt == 0 {
                token = accounts
                    .refresh(account)
                    .await
                    .map_err(|e| account_error(e, WHAT))?;
                continue;
            }
            if status.as_u16() == 409 {
                return Ok(Inserted::AlreadyThere);
            }
            let headers = response.headers().clone();
            let answer = crate::wire::json(response).await.unwrap_or(Value::Null);
            if status.is_success() {
                return Ok(Inserted::Created {
                    html_link: answer["htmlLink"].as_str().map(str::to_owned),
                });
            }
            let reason = answer["error"]["errors"][0]["reason"]
                .as_str()
                .unwrap_or("");
            let message = answer["error"]["message"].as_str().unwrap_or("no message");
            return Err(
                if status.as_u16() == 429
                    || (status.as_u16() == 403 && reason.contains("ateLimitExceeded"))
                {
                    rate_limited(rate_limit_wait(&headers, DEFAULT_WAIT))
                } else if status.is_server_error() {
                    ConnectorError::retriable(format!("Google Calendar answered {status}"))
                } else if status.as_u16() == 401 {
                    ConnectorError::rejected(
                        "Google refused a fresh access token (401): the rep must connect their Google calendar again",
                    )
                } else {
                    ConnectorError::rejected(format!(
                        "Google Calendar refused the event ({status} {reason}): {message}"
                    ))
                },
            );
        }
        Err(ConnectorError::retriable(
            "Google Calendar kept refusing the token",
        ))
    }
}
