//! Slack's Web API, `chat.postMessage` with a bot token. Honours
//! `Retry-After` on 429 and retries 5xx with backoff inside one send; a
//! send that still fails is an error the caller keeps and retries later
//! (the outbox, the notifier), so no message is lost.

use super::ConnectorError;
use super::http::{rate_limited, retry_after, without_url};
use serde_json::{Value, json};
use std::time::Duration;

/// Attempts within one send.
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured within one send; longer waits go back
/// to the caller's queue.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A Slack bot.
#[derive(Clone)]
pub struct Slack {
    base: String,
    token: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Slack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Slack").field("base", &self.base).finish()
    }
}

/// What Slack answered a post with.
#[derive(Debug, Clone, PartialEq)]
pub struct Posted {
    pub channel: String,
    /// The message's timestamp, Slack's id for it.
    pub ts: String,
}

impl Slack {
    /// A client for the Web API at `base` (e.g. `https://slack.com/api`).
    pub fn new(base: &str, token: &str) -> Result<Slack, ConnectorError> {
        let base = super::http::base_url(base, "Slack API URL")?;
        if token.trim().is_empty() {
            return Err(ConnectorError::Config(
                "the Slack bot token is empty".into(),
            ));
        }
        let client = super::http::client()?;
        Ok(Slack {
            base,
            token: token.to_owned(),
            client,
        })
    }

    /// Post `text` (the notification fallback) with Block Kit `blocks` to
    /// `channel`.
    pub async fn post_message(
        &self,
        channel: &str,
        text: &str,
        blocks: &Value,
    ) -> Result<Posted, ConnectorError> {
        let body = json!({ "channel": channel, "text": text, "blocks": blocks });
        let url = format!("{}/chat.postMessage", self.base);
        let mut backoff = Duration::from_millis(250);
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let sent = self
                .client
                .post(&url)
                .bearer_auth(&self.token)
                .json(&body)
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = format!("Slack unreachable: {}", without_url(&e, "<slack>"));
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    continue;
                }
            };
            let status = response.status();
            if status.as_u16() == 429 {
                let wait = retry_after(response.headers()).unwrap_or(backoff);
                if wait > MAX_RETRY_AFTER || attempt == ATTEMPTS {
                    return Err(rate_limited(wait));
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() {
                last = format!("Slack answered {status}");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                continue;
            }
            let answer = super::http::json(response)
                .await
                .map_err(|e| ConnectorError::Retriable(format!("Slack's answer: {e}")))?;
            if answer["ok"] == Value::Bool(true) {
                return Ok(Posted {
                    channel: answer["channel"].as_str().unwrap_or(channel).to_owned(),
                    ts: answer["ts"].as_str().unwrap_or_default().to_owned(),
                });
            }
            let error = answer["error"].as_str().unwrap_or("unknown_error");
            // Slack's own errors (channel_not_found, invalid_blocks,
            // not_authed …) will not pass on a retry.
            return Err(ConnectorError::Rejected(format!(
                "Slack refused the message: {error}"
            )));
        }
        Err(ConnectorError::Retriable(last))
    }
}
