//! Google Calendar (REST v3) for connected `google` accounts granted the
//! calendar scope: `events.list` on `primary` with single events — a full
//! read of a window (`timeMin`/`timeMax`, `pageToken` pages) that ends with
//! a `nextSyncToken`, then incremental reads from it; a 410 (the token is
//! too old) starts a full read again. A 401 refreshes the access token once;
//! a revoked grant marks the account for reconnecting (see `accounts`).
//! Watch channels (`events.watch`) make Google push to
//! `/v1/webhooks/google-calendar`; each is renewed a day before it expires
//! and the old one stopped (`channels.stop`).

use super::meetings::{self, CalendarEvent, Landed};
use super::{CalendarError, Calendars};
use crate::store::CalendarTables;
use crate::store::Channel;
use crate::store::MeetingTables;
use baton_engine::report::{Context, Report};
use baton_store::{Account, AccountLease, new_secret};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The sync cursor's feed: `{"sync_token": …}`.
pub const FEED: &str = "gcal:primary";
/// The calendar read (the account's own).
const CALENDAR: &str = "primary";
/// A full read covers from a day ago …
const WINDOW_BACK_MS: i64 = 86_400_000;
/// … to thirty days ahead.
const WINDOW_AHEAD_MS: i64 = 30 * 86_400_000;
/// Events asked for per page (Google may send fewer).
const PAGE: &str = "250";
/// Pages read at most in one pass (a runaway `nextPageToken` ends here).
const MAX_PAGES: usize = 200;
/// How long a watch channel is asked to live (Google's maximum is a week
/// for events; it may grant less).
const CHANNEL_TTL_S: i64 = 7 * 86_400;
/// A channel this close to expiring is renewed.
pub const RENEW_BEFORE_MS: i64 = 86_400_000;

/// What one `events.list` read found.
enum Read {
    Events {
        events: Vec<CalendarEvent>,
        sync_token: Option<String>,
    },
    /// 410 Gone: the sync token is no longer valid.
    Gone,
}

impl Calendars {
    fn events_url(&self) -> String {
        format!(
            "{}/calendar/v3/calendars/{CALENDAR}/events",
            self.google_api
        )
    }

    /// Send a request with the account's access token; on 401 refresh it
    /// and send once more.
    async fn google(
        &self,
        account: &Account,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, CalendarError> {
        let token = self.accounts.access_token(account).await?;
        let first = build(&token).send().await.map_err(provider)?;
        if first.status() != StatusCode::UNAUTHORIZED {
            return Ok(first);
        }
        let token = self.accounts.refresh(account).await?;
        let second = build(&token).send().await.map_err(provider)?;
        if second.status() == StatusCode::UNAUTHORIZED {
            return Err(CalendarError::Provider(Context::new(
                "Google Calendar refused a freshly refreshed token (401)",
            )));
        }
        Ok(second)
    }

    /// Read the account's calendar into `meetings`: incrementally from the
    /// stored sync token, or in full over the window.
    pub(crate) async fn sync_google(
        &self,
        account: &Account,
        lease: Option<&AccountLease>,
    ) -> Result<Landed, CalendarError> {
        let Some(user) = &account.user_id else {
            return Ok(Landed::default());
        };
        let store = &self.store;
        let cursor = store
            .sync_cursor(&account.org_id, &account.id, FEED)
            .await?;
        let token = cursor
            .as_ref()
            .and_then(|c| c["sync_token"].as_str())
            .map(str::to_owned);
        let now = self.now();
        let window = (now - WINDOW_BACK_MS, now + WINDOW_AHEAD_MS);
        let (mut events, sync_token, full) = match token {
            Some(t) => match self.list(account, Some(&t), window).await? {
                Read::Events { events, sync_token } => (events, sync_token, false),
                Read::Gone => {
                    tracing::info!(account = %account.id, "calendar sync token expired (410); reading in full");
                    self.full(account, window).await?
                }
            },
            None => self.full(account, window).await?,
        };
        let mut notes = Vec::new();
        meetings::bound(&mut events, &mut notes);
        if full || !notes.is_empty() {
            store
                .note_account(
                    &account.org_id,
                    &account.id,
                    meetings::note(&notes).as_deref(),
                )
                .await?;
        }
        let insiders = meetings::insiders(store, &account.org_id, account).await?;
        let mut landed = Landed::default();
        for e in &events {
            landed += meetings::land(store, &account.org_id, user, &insiders, e, now).await?;
        }
        if full {
            let seen: Vec<String> = events.iter().map(|e| e.external_id.clone()).collect();
            landed.cancelled += store
                .cancel_meetings_not_seen(
                    &account.org_id,
                    &prefix(account),
                    window.0,
                    window.1,
                    &seen,
                    now,
                )
                .await?;
        }
        if let Some(t) = sync_token {
            store
                .set_sync_cursor(&account.id, FEED, &json!({ "sync_token": t }), lease, now)
                .await?;
        }
        Ok(landed)
    }

    async fn full(
        &self,
        account: &Account,
        window: (i64, i64),
    ) -> Result<(Vec<CalendarEvent>, Option<String>, bool), CalendarError> {
        match self.list(account, None, window).await? {
            Read::Events { events, sync_token } => Ok((events, sync_token, true)),
            Read::Gone => Err(CalendarError::Provider(Context::new(
                "Google Calendar answered 410 to a full read",
            ))),
        }
    }

    /// `events.list`, every page.
    async fn list(
        &self,
        account: &Account,
        sync_token: Option<&str>,
        (from, to): (i64, i64),
    ) -> Result<Read, CalendarError> {
        let url = self.events_url();
        let mut events = Vec::new();
        let mut page: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query: Vec<(&str, String)> =
                vec![("singleEvents", "true".into()), ("maxResults", PAGE.into())];
            match sync_token {
                Some(t) => query.push(("syncToken", t.to_owned())),
                None => {
                    query.push(("timeMin", rfc3339(from)));
                    query.push(("timeMax", rfc3339(to)));
                }
            }
            if let Some(p) = &page {
                query.push(("pageToken", p.clone()));
            }
            let r = self
                .google(account, |token| {
                    self.http.get(&url).bearer_auth(token).query(&query)
                })
                .await?;
            if r.status() == StatusCode::GONE {
                return Ok(Read::Gone);
            }
            let body = ok_json(r, "events.list").await?;
            for item in body["items"].as_array().into_iter().flatten() {
                if let Some(e) = event(account, item) {
                    events.push(e);
                }
            }
            match body["nextPageToken"].as_str() {
                Some(next) => page = Some(next.to_owned()),
                None => {
                    return Ok(Read::Events {
                        events,
                        sync_token: body["nextSyncToken"].as_str().map(str::to_owned),
                    });
                }
            }
        }
        Err(CalendarError::Provider(Context::new(format!(
            "events.list gave more than {MAX_PAGES} pages"
        ))))
    }

    /// Open a watch channel on the account's calendar unless one is open
    /// for more than a day yet; stop the one it replaces.
    pub(crate) async fn watch_google(&self, account: &Account) -> Result<bool, CalendarError> {
        let (Some(base), Some(user)) = (&self.public_url, &account.user_id) else {
            return Ok(false);
        };
        let now = self.now();
        let existing = self.store.account_calendar(&account.id, CALENDAR).await?;
        if existing
            .as_ref()
            .and_then(|s| s.expires_at)
            .is_some_and(|t| t > now + RENEW_BEFORE_MS)
        {
            return Ok(false);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let token = new_secret("gcal");
        let body = json!({
            "id": id, "type": "web_hook", "token": token,
            "address": format!("{base}/v1/webhooks/google-calendar"),
            "params": { "ttl": CHANNEL_TTL_S.to_string() },
        });
        let url = format!("{}/watch", self.events_url());
        let r = self
            .google(account, |t| self.http.post(&url).bearer_auth(t).json(&body))
            .await?;
        let opened = ok_json(r, "events.watch").await?;
        let resource_id = opened["resourceId"].as_str().unwrap_or_default();
        let expires_at = match &opened["expiration"] {
            Value::String(s) => s.parse().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
        .unwrap_or(now + CHANNEL_TTL_S * 1000);
        self.store
            .set_calendar_channel(
                &account.org_id,
                user,
                &account.id,
                "google",
                CALENDAR,
                &Channel {
                    id: &id,
                    token: &token,
                    resource_id,
                    expires_at,
                },
            )
            .await?;
        tracing::info!(account = %account.id, expires_at, "calendar watch channel opened");
        if let Some(old) = existing
            && let (Some(old_id), Some(old_resource)) = (old.channel_id, old.resource_id)
        {
            let stop = json!({ "id": old_id, "resourceId": old_resource });
            let url = format!("{}/calendar/v3/channels/stop", self.google_api);
            match self
                .google(account, |t| self.http.post(&url).bearer_auth(t).json(&stop))
                .await
            {
                Ok(r) if r.status().is_success() || r.status() == StatusCode::NOT_FOUND => {}
                Ok(r) => {
                    tracing::warn!(account = %account.id, status = %r.status(), "channels.stop refused; the old channel expires on its own")
                }
                Err(e) => {
                    tracing::warn!(account = %account.id, error = %Report(&e), "channels.stop failed; the old channel expires on its own")
                }
            }
        }
        Ok(true)
    }
}

/// The external ids of an account's Google events start with this.
fn prefix(account: &Account) -> String {
    super::meeting_prefixes(&account.id)[1].clone()
}

fn provider(e: reqwest::Error) -> CalendarError {
    CalendarError::Provider(Context::because("Google Calendar", e))
}

/// A 2xx's JSON body, or the error Google sent (its `error.message`).
async fn ok_json(r: reqwest::Response, what: &str) -> Result<Value, CalendarError> {
    let status = r.status();
    let body = baton_engine::wire::json(r).await;
    if status.is_success() {
        return body.map_err(|e| CalendarError::Provider(Context::because(what, e)));
    }
    let body = body.unwrap_or(Value::Null);
    let message = body["error"]["message"].as_str().unwrap_or("no message");
    Err(CalendarError::Provider(Context::new(format!(
        "{what} answered {status}: {message}"
    ))))
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A Google event as a calendar event; `None` for what is not a timed
/// meeting (all-day events, unreadable times). Rooms are not participants;
/// an event the rep declined counts as cancelled for them.
fn event(account: &Account, item: &Value) -> Option<CalendarEvent> {
    let id = item["id"].as_str()?;
    let external_id = format!("{}{id}", prefix(account));
    let cancelled = item["status"].as_str() == Some("cancelled");
    let declined = item["attendees"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| a["self"] == json!(true) && a["responseStatus"] == "declined");
    let when = |k: &str| {
        item[k]["dateTime"]
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond())
    };
    let starts_at = when("start");
    if cancelled || declined {
        // A cancelled event may come with nothing but its id and status.
        return Some(CalendarEvent {
            external_id,
            title: String::new(),
            starts_at: starts_at.unwrap_or_default(),
            ends_at: None,
            participants: Vec::new(),
            cancelled: true,
        });
    }
    let mut participants: Vec<String> = item["attendees"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["resource"] != json!(true))
        .filter_map(|a| a["email"].as_str().map(str::to_owned))
        .collect();
    if let Some(o) = item["organizer"]["email"].as_str() {
        participants.push(o.to_owned());
    }
    Some(CalendarEvent {
        external_id,
        title: item["summary"].as_str().unwrap_or("(no title)").to_owned(),
        starts_at: starts_at?,
        ends_at: when("end"),
        participants,
        cancelled: false,
    })
}

#[cfg(test)]
mod tests;
