//! Gmail's REST API (v1): a mailbox's new INBOX messages since its stored
//! history id, each fetched `format=raw` and read by [`super::message`].
//!
//! - First sync: the history id of `users.getProfile` (no flood of old
//!   mail); `users.watch` when a Pub/Sub topic is configured, renewed daily.
//! - Then `users.history.list?historyTypes=messageAdded`, every page.
//! - A 404 on an old history id: a bounded full sync (`messages.list` of
//!   the newest INBOX messages, at most [`FULL_SYNC_CAP`]), then the
//!   profile's history id.
//! - A 401: the token is refreshed once (`Accounts::refresh`), which marks
//!   the account `reconnect` when Google revoked the refresh token.

use super::MailError;
use baton_engine::accounts::Accounts;
use baton_engine::report::Context;
use baton_store::Account;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

/// The sync cursor's feed for a Gmail mailbox.
pub const FEED: &str = "gmail";
/// The feed that remembers when the mailbox's `users.watch` expires.
pub const WATCH_FEED: &str = "gmail:watch";
/// Most messages a full sync reads (after a 404 on an old history id).
pub const FULL_SYNC_CAP: usize = 50;
/// Most pages of history read in one sync (the rest waits for the next).
const MAX_PAGES: usize = 100;
/// A watch this close to expiry is renewed (Google asks for daily).
const WATCH_RENEW_MS: i64 = 24 * 3_600_000;

/// A Gmail message as `messages.get?format=raw` gives it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMessage {
    pub id: String,
    pub thread_id: Option<String>,
    #[serde(default)]
    pub label_ids: Vec<String>,
    /// Ms since the epoch, as a string.
    pub internal_date: Option<String>,
    /// The RFC 822 message, base64url.
    pub raw: String,
}

impl RawMessage {
    /// The message's bytes.
    pub fn bytes(&self) -> Result<Vec<u8>, MailError> {
        baton_engine::wire::decode_base64_any(&self.raw).ok_or_else(|| {
            MailError::Provider(Context::new("Gmail sent a raw message that is not base64"))
        })
    }

    /// Whether it is new mail in the inbox (not the rep's sent mail, a
    /// draft or spam).
    pub(crate) fn is_inbound(&self) -> bool {
        let has = |l: &str| self.label_ids.iter().any(|x| x == l);
        has("INBOX") && !has("SENT") && !has("DRAFT") && !has("SPAM")
    }
}

/// New messages of one mailbox and the history id to resume from.
#[derive(Debug)]
pub struct Changes {
    /// Gmail message ids, oldest first, without repeats.
    pub ids: Vec<String>,
    /// The history id to store once they are queued.
    pub history_id: String,
}

/// A Gmail client for one account, with its access token.
pub struct Gmail<'a> {
    http: &'a reqwest::Client,
    base: String,
    accounts: &'a Accounts,
    account: &'a Account,
    token: String,
    refreshed: bool,
}

impl<'a> Gmail<'a> {
    /// A client for `account`'s mailbox at Google's `api_url`.
    pub async fn open(
        http: &'a reqwest::Client,
        api_url: &str,
        accounts: &'a Accounts,
        account: &'a Account,
    ) -> Result<Gmail<'a>, MailError> {
        let token = accounts.access_token(account).await?;
        Ok(Gmail {
            http,
            base: format!("{}/gmail/v1/users/me", api_url.trim_end_matches('/')),
            accounts,
            account,
            token,
            refreshed: false,
        })
    }

    /// One call: a 401 refreshes the token and retries once; a 404 is
    /// `Ok(None)`; any other failure is a provider error (its status only:
    /// Google's message may quote the mailbox).
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Option<Value>, MailError> {
        loop {
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(&self.token)
                .query(query);
            if let Some(b) = body {
                req = req.json(b);
            }
            let res = req.send().await.map_err(|e| {
                MailError::Provider(Context::because("Gmail unreachable", e.without_url()))
            })?;
            match res.status() {
                StatusCode::UNAUTHORIZED if !self.refreshed => {
                    self.refreshed = true;
                    self.token = self.accounts.refresh(self.account).await?;
                }
                StatusCode::NOT_FOUND => return Ok(None),
                s if s.is_success() => {
                    return baton_engine::wire::json(res).await.map(Some).map_err(|e| {
                        MailError::Provider(Context::because(format!("Gmail answered {path}"), e))
                    });
                }
                s => {
                    return Err(MailError::Provider(Context::new(format!(
                        "Gmail answered {path} with {s}"
                    ))));
                }
            }
        }
    }

    /// The mailbox's current history id (`users.getProfile`).
    pub async fn history_id(&mut self) -> Result<String, MailError> {
        let profile = self
            .call(Method::GET, "/profile", &[], None)
            .await?
            .ok_or_else(|| {
                MailError::Provider(Context::new("Gmail has no profile for the account"))
            })?;
        id_text(&profile["historyId"])
            .ok_or_else(|| MailError::Provider(Context::new("Gmail's profile has no historyId")))
    }

    /// Messages added since `start` (every page), or `None` when Gmail no
    /// longer has history that old (404).
    pub async fn history(&mut self, start: &str) -> Result<Option<Changes>, MailError> {
        let mut ids = Vec::new();
        let mut page: Option<String> = None;
        let mut history_id = start.to_owned();
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("startHistoryId", start),
                ("historyTypes", "messageAdded"),
                ("labelId", "INBOX"),
            ];
            if let Some(p) = &page {
                query.push(("pageToken", p));
            }
            let Some(body) = self.call(Method::GET, "/history", &query, None).await? else {
                return Ok(None);
            };
            for h in body["history"].as_array().into_iter().flatten() {
                for added in h["messagesAdded"].as_array().into_iter().flatten() {
                    if let Some(id) = added["message"]["id"].as_str()
                        && !ids.iter().any(|x| x == id)
                    {
                        ids.push(id.to_owned());
                    }
                }
            }
            if let Some(h) = id_text(&body["historyId"]) {
                history_id = h;
            }
            match body["nextPageToken"].as_str() {
                Some(p) if !p.is_empty() => page = Some(p.to_owned()),
                _ => break,
            }
        }
        Ok(Some(Changes { ids, history_id }))
    }

    /// The newest INBOX messages, at most `cap`, oldest first.
    pub async fn recent(&mut self, cap: usize) -> Result<Vec<String>, MailError> {
        let mut ids: Vec<String> = Vec::new();
        let mut page: Option<String> = None;
        let max = cap.to_string();
        while ids.len() < cap {
            let mut query = vec![("labelIds", "INBOX"), ("maxResults", max.as_str())];
            if let Some(p) = &page {
                query.push(("pageToken", p));
            }
            let Some(body) = self.call(Method::GET, "/messages", &query, None).await? else {
                break;
            };
            for m in body["messages"].as_array().into_iter().flatten() {
                if let Some(id) = m["id"].as_str()
                    && ids.len() < cap
                {
                    ids.push(id.to_owned());
                }
            }
            match body["nextPageToken"].as_str() {
                Some(p) if !p.is_empty() => page = Some(p.to_owned()),
                _ => break,
            }
        }
        ids.reverse();
        Ok(ids)
    }

    /// One message, raw; `None` when it is gone (deleted since).
    pub async fn message(&mut self, id: &str) -> Result<Option<RawMessage>, MailError> {
        let path = format!("/messages/{}", urlencode(id));
        let Some(body) = self
            .call(Method::GET, &path, &[("format", "raw")], None)
            .await?
        else {
            return Ok(None);
        };
        serde_json::from_value(body).map(Some).map_err(|e| {
            MailError::Provider(Context::because("Gmail's message is not as documented", e))
        })
    }

    /// Ask Gmail to push the mailbox's INBOX changes to `topic`; returns
    /// when the watch expires (ms).
    pub async fn watch(&mut self, topic: &str) -> Result<i64, MailError> {
        let body =
            json!({ "topicName": topic, "labelIds": ["INBOX"], "labelFilterBehavior": "INCLUDE" });
        let answer = self
            .call(Method::POST, "/watch", &[], Some(&body))
            .await?
            .ok_or_else(|| MailError::Provider(Context::new("Gmail refused the watch (404)")))?;
        id_text(&answer["expiration"])
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| MailError::Provider(Context::new("Gmail's watch has no expiration")))
    }

    /// Whether a watch expiring at `expires_at` needs renewing at `now`.
    pub(crate) fn watch_due(expires_at: Option<i64>, now: i64) -> bool {
        expires_at.is_none_or(|e| e - now < WATCH_RENEW_MS)
    }
}

/// Gmail's ids come as strings or numbers.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
