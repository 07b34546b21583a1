//! Email sent through the rep's own mailbox, so it is in their Sent folder
//! and threads in the recipient's client: Gmail's `users.messages.send`
//! (with the thread of the message replied to) for a Google account granted
//! `gmail.send`, Microsoft Graph's `sendMail` (the MIME message, base64)
//! for a Microsoft 365 account granted `Mail.Send`. The message is the one
//! [`super::email::Mailer`] composes for SMTP, byte for byte: the same
//! `In-Reply-To`/`References`, attachments and Message-ID.
//!
//! Sent once: before sending, the mailbox is asked for a message with the
//! effect's Message-ID (Gmail's `rfc822msgid:` search, Graph's
//! `internetMessageId` filter on Sent Items), so a redelivery after a lost
//! answer sends nothing twice. An access token the provider refuses (401)
//! is refreshed once; a revoked grant marks the account `reconnect` and
//! the send fails saying so, never falling back to another transport; a
//! 429 (or Graph's 503, or Gmail's rate-limit 403) waits what
//! `Retry-After` asks. Neither addresses nor the provider's free-text
//! messages go into errors (they are stored and may be logged): the status
//! and the provider's error code do.

use super::ConnectorError;
use super::http::{base_url, client, rate_limit_wait, rate_limited, without_url};
use crate::accounts::{AccountError, Accounts, Provider, google, microsoft};
use crate::store::Account;
use base64::Engine;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::Duration;

/// Waited after a rate limit that says nothing of when to come back.
const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// Gmail's and Graph's APIs at their base URLs.
#[derive(Debug, Clone)]
pub struct MailboxApis {
    google: String,
    graph: String,
    client: reqwest::Client,
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Sent now; the provider's id of the message when it gives one
    /// (Gmail does, Graph's `sendMail` answers 202 with no body).
    Now { provider_id: Option<String> },
    /// An earlier delivery sent it: the mailbox holds its Message-ID.
    Already,
}

/// A connector error for an account whose credential cannot be had.
pub fn account_error(e: AccountError, what: &str) -> ConnectorError {
    match e {
        AccountError::Reconnect { .. } => {
            ConnectorError::Unauthorized(format!("{e}: the rep must connect their {what} again"))
        }
        e if e.retriable() => ConnectorError::retriable_by(format!("the {what}'s token"), e),
        e => ConnectorError::config_by(format!("the {what}"), e),
    }
}

/// One call's answer: status, headers and the JSON body (`Null` when
/// there is none or it is not JSON).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

/// A session with one account: its token, refreshed at most once.
struct Session<'a> {
    apis: &'a MailboxApis,
    accounts: &'a Accounts,
    account: &'a Account,
    what: &'static str,
    token: String,
    refreshed: bool,
}

impl MailboxApis {
    /// Clients for Gmail at `google` (`https://www.googleapis.com`) and
    /// Graph at `graph` (`https://graph.microsoft.com`).
    pub fn new(google: &str, graph: &str) -> Result<MailboxApis, ConnectorError> {
        Ok(MailboxApis {
            google: base_url(google, "Google API URL")?,
            graph: base_url(graph, "Microsoft Graph URL")?,
            client: client()?,
        })
    }

    /// Whether `account` can send as the rep: a Google account granted
    /// `gmail.send`, or a Microsoft 365 account granted `Mail.Send`,
    /// whatever its status (one needing reconnecting still is the rep's
    /// way to send: the send fails saying so rather than going out another
    /// way).
    pub fn sends_for(account: &Account) -> bool {
        match Provider::named(&account.provider) {
            Some(Provider::Google) => account.has_scope(google::GMAIL_SEND),
            Some(Provider::Microsoft) => account.has_scope(microsoft::MAIL_SEND),
            None => false,
        }
    }

    /// Send `raw` (an RFC 5322 message whose Message-ID is `message_id`,
    /// replying to `in_reply_to` when given) from `account`'s mailbox.
    pub async fn send(
        &self,
        accounts: &Accounts,
        account: &Account,
        raw: &[u8],
        message_id: &str,
        in_reply_to: Option<&str>,
    ) -> Result<Sent, ConnectorError> {
        let provider = Provider::named(&account.provider).ok_or_else(|| {
            ConnectorError::config(format!("{} accounts cannot send email", account.provider))
        })?;
        let what = match provider {
            Provider::Google => "Gmail account",
            Provider::Microsoft => "Microsoft 365 mailbox",
        };
        let token = accounts
            .access_token(account)
            .await
            .map_err(|e| account_error(e, what))?;
        let mut session = Session {
            apis: self,
            accounts,
            account,
            what,
            token,
            refreshed: false,
        };
        match provider {
            Provider::Google => session.gmail(raw, message_id, in_reply_to).await,
            Provider::Microsoft => session.graph(raw, message_id).await,
        }
    }
}

impl Session<'_> {
    /// One call, the token refreshed once on a 401.
    async fn call(
        &mut self,
        method: Method,
        url: &str,
        query: &[(&str, &str)],
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<Answer, ConnectorError> {
        loop {
            let mut request = self
                .apis
                .client
                .request(method.clone(), url)
                .bearer_auth(&self.token)
                .query(query);
            if let Some((kind, bytes)) = &body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, *kind)
                    .body(bytes.clone());
            }
            let response = request.send().await.map_err(|e| {
                ConnectorError::retriable(format!(
                    "the {} is unreachable: {}",
                    self.what,
                    without_url(&e, "<mailbox>")
                ))
            })?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !self.refreshed {
                self.refreshed = true;
                self.token = self
                    .accounts
                    .refresh(self.account)
                    .await
                    .map_err(|e| account_error(e, self.what))?;
                continue;
            }
            let headers = response.headers().clone();
            let body = crate::wire::json(response).await.unwrap_or(Value::Null);
            return Ok(Answer {
                status,
                headers,
                body,
            });
        }
    }

    /// Why an answer is a failure: a rate limit waits what it asks, a 5xx
    /// is tried again, a 401 after a fresh token needs the rep, anything
    /// else is refused with the provider's error code.
    fn failure(&self, doing: &str, answer: &Answer) -> ConnectorError {
        let status = answer.status;
        let error = &answer.body["error"];
        // Gmail: `error.errors[0].reason`; Graph: `error.code`.
        let code = error["errors"][0]["reason"]
            .as_str()
            .or_else(|| error["code"].as_str())
            .unwrap_or("");
        let rate_limited_403 = status == StatusCode::FORBIDDEN && code.contains("ateLimitExceeded");
        if status == StatusCode::TOO_MANY_REQUESTS
            || rate_limited_403
            || (status == StatusCode::SERVICE_UNAVAILABLE
                && answer.headers.contains_key(reqwest::header::RETRY_AFTER))
        {
            rate_limited(rate_limit_wait(&answer.headers, DEFAULT_WAIT))
        } else if status.is_server_error() {
            ConnectorError::retriable(format!("the {} answered {status} {doing}", self.what))
        } else if status == StatusCode::UNAUTHORIZED {
            ConnectorError::Unauthorized(format!(
                "the {} refused a fresh access token (401) {doing}: the rep must connect it again",
                self.what
            ))
        } else if status == StatusCode::FORBIDDEN {
            ConnectorError::Unauthorized(format!(
                "the {} refused {doing} (403 {code}): the rep must connect it again granting sending",
                self.what
            ))
        } else {
            ConnectorError::rejected(format!(
                "the {} refused {doing} ({status} {code})",
                self.what
            ))
        }
    }

    /// [`Session::failure`], and an account that refused us marked
    /// `reconnect` (the inbox says so, and nothing more is sent with it).
    async fn refused(&self, doing: &str, answer: &Answer) -> ConnectorError {
        let e = self.failure(doing, answer);
        if let ConnectorError::Unauthorized(why) = &e {
            let marked = self
                .accounts
                .store()
                .mark_reconnect(
                    &self.account.org_id,
                    &self.account.id,
                    why,
                    crate::store::now_ms(),
                )
                .await;
            if let Err(m) = marked {
                tracing::warn!(account = %self.account.id, error = %m, "cannot mark the mailbox for reconnecting");
            }
        }
        e
    }

    /// Gmail: the Message-ID already in the mailbox means sent; else the
    /// message goes out in the thread of the one it replies to.
    async fn gmail(
        &mut self,
        raw: &[u8],
        message_id: &str,
        in_reply_to: Option<&str>,
    ) -> Result<Sent, ConnectorError> {
        let base = format!("{}/gmail/v1/users/me", self.apis.google);
        if self.gmail_find(&base, message_id).await?.is_some() {
            return Ok(Sent::Already);
        }
        let thread = match in_reply_to {
            Some(parent) => self
                .gmail_find(&base, parent)
                .await?
                .and_then(|m| m["threadId"].as_str().map(str::to_owned)),
            None => None,
        };
        let mut body = serde_json::json!({
            "raw": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw),
        });
        if let Some(t) = thread {
            body["threadId"] = Value::String(t);
        }
        let url = format!("{base}/messages/send");
        let bytes = serde_json::to_vec(&body)
            .map_err(|e| ConnectorError::rejected_by("cannot encode the message", e))?;
        let answer = self
            .call(Method::POST, &url, &[], Some(("application/json", bytes)))
            .await?;
        if !answer.status.is_success() {
            return Err(self.refused("the send", &answer).await);
        }
        Ok(Sent::Now {
            provider_id: answer.body["id"].as_str().map(str::to_owned),
        })
    }

    /// The first message of the mailbox (sent, received or trashed) with
    /// Message-ID `id`, as `messages.list` gives it (`id`, `threadId`).
    async fn gmail_find(&mut self, base: &str, id: &str) -> Result<Option<Value>, ConnectorError> {
        let q = format!("rfc822msgid:{}", id.trim_matches(['<', '>']));
        let url = format!("{base}/messages");
        let answer = self
            .call(
                Method::GET,
                &url,
                &[("q", &q), ("includeSpamTrash", "true"), ("maxResults", "1")],
                None,
            )
            .await?;
        if !answer.status.is_success() {
            return Err(self.refused("the search for a message", &answer).await);
        }
        Ok(answer.body["messages"]
            .as_array()
            .and_then(|m| m.first())
            .cloned())
    }

    /// Graph: the Message-ID already in Sent Items means sent; else the
    /// MIME message goes to `sendMail` (its `In-Reply-To` threads it).
    async fn graph(&mut self, raw: &[u8], message_id: &str) -> Result<Sent, ConnectorError> {
        let base = format!("{}/v1.0/me", self.apis.graph);
        let url = format!("{base}/mailFolders/SentItems/messages");
        // OData quotes a quote by doubling it.
        let filter = format!("internetMessageId eq '{}'", message_id.replace('\'', "''"));
        let found = self
            .call(
                Method::GET,
                &url,
                &[("$filter", &filter), ("$select", "id"), ("$top", "1")],
                None,
            )
            .await?;
        if !found.status.is_success() {
            return Err(self.refused("the search for a sent message", &found).await);
        }
        if found.body["value"]
            .as_array()
            .is_some_and(|v| !v.is_empty())
        {
            return Ok(Sent::Already);
        }
        let mime = base64::engine::general_purpose::STANDARD.encode(raw);
        let answer = self
            .call(
                Method::POST,
                &format!("{base}/sendMail"),
                &[],
                Some(("text/plain", mime.into_bytes())),
            )
            .await?;
        if !answer.status.is_success() {
            return Err(self.refused("the send", &answer).await);
        }
        Ok(Sent::Now { provider_id: None })
    }
}
