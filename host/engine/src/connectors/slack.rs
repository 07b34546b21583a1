//! Slack's Web API, `chat.postMessage` (and `chat.update`, `views.open`)
//! with a bot token. Honours
//! `Retry-After` on 429 and retries 5xx with backoff inside one send, but
//! never past the delivery's deadline (its lease: [`super::deadline`]); a
//! send that still fails is an error the caller keeps and retries later
//! (the outbox, the notifier), so no message is lost.
//!
//! An effect's post carries its idempotency key in Slack's message
//! metadata; a delivery retried after a crash (the outbox claimed it
//! before) first looks for that key in the channel's recent history and
//! does not post again when it is there.

use super::ConnectorError;
use super::deadline;
use super::http::{rate_limited, retry_after, without_url};
use serde_json::{Value, json};
use std::time::Duration;

/// Attempts within one send.
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured within one send; longer waits go back
/// to the caller's queue.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The `metadata.event_type` of the posts effects make; its payload holds
/// the effect's idempotency key.
const EFFECT_EVENT: &str = "baton_effect";

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
            return Err(ConnectorError::config("the Slack bot token is empty"));
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
        self.post(channel, &body).await
    }

    /// [`Slack::post_message`] for an effect: the post carries the
    /// effect's idempotency `key` in its message metadata, so that
    /// [`Slack::find_effect`] finds it after a crash.
    pub async fn post_effect(
        &self,
        channel: &str,
        text: &str,
        blocks: &Value,
        key: &str,
    ) -> Result<Posted, ConnectorError> {
        let body = json!({
            "channel": channel, "text": text, "blocks": blocks,
            "metadata": { "event_type": EFFECT_EVENT, "event_payload": { "key": key } },
        });
        self.post(channel, &body).await
    }

    /// The message an effect with idempotency `key` posted to `channel`,
    /// if it is among the channel's newest 200 (`conversations.history`
    /// with metadata; a retry after a crash comes within minutes, and the
    /// service's clock may be simulated, so no time bound is asked). An
    /// error when Slack will not show the history (a scope the bot lacks,
    /// a channel it is not in).
    pub async fn find_effect(
        &self,
        channel: &str,
        key: &str,
    ) -> Result<Option<Posted>, ConnectorError> {
        let request = self
            .client
            .get(format!("{}/conversations.history", self.base))
            .query(&[
                ("channel", channel),
                ("limit", "200"),
                ("include_all_metadata", "true"),
            ]);
        let answer = self
            .once(request, "Slack would not show the channel's history")
            .await?;
        let found = answer["messages"].as_array().and_then(|all| {
            all.iter().find(|m| {
                m["metadata"]["event_type"] == EFFECT_EVENT
                    && m["metadata"]["event_payload"]["key"] == key
            })
        });
        Ok(found.map(|m| Posted {
            channel: channel.to_owned(),
            ts: m["ts"].as_str().unwrap_or_default().to_owned(),
        }))
    }

    /// Replace message `ts` in `channel` with `text` and `blocks` (what
    /// became of a request whose buttons no longer apply).
    pub async fn update_message(
        &self,
        channel: &str,
        ts: &str,
        text: &str,
        blocks: &Value,
    ) -> Result<Posted, ConnectorError> {
        let body = json!({ "channel": channel, "ts": ts, "text": text, "blocks": blocks });
        self.call("chat.update", channel, &body).await
    }

    /// Open `view` (a modal) for the person whose click gave `trigger_id`
    /// (`views.open`). Once, at once: a trigger lasts three seconds.
    pub async fn open_view(&self, trigger_id: &str, view: &Value) -> Result<(), ConnectorError> {
        let request = self
            .client
            .post(format!("{}/views.open", self.base))
            .json(&json!({ "trigger_id": trigger_id, "view": view }));
        self.once(request, "Slack would not open the form").await?;
        Ok(())
    }

    /// Send `request` once with the bot token; Slack's answer when it says
    /// `ok`, else an error saying `refused` and Slack's reason.
    async fn once(
        &self,
        request: reqwest::RequestBuilder,
        refused: &str,
    ) -> Result<Value, ConnectorError> {
        let response = request.bearer_auth(&self.token).send().await.map_err(|e| {
            ConnectorError::retriable(format!("Slack unreachable: {}", without_url(&e, "<slack>")))
        })?;
        let answer = crate::wire::json(response)
            .await
            .map_err(|e| ConnectorError::retriable_by("Slack's answer", e))?;
        if answer["ok"] != Value::Bool(true) {
            let error = answer["error"].as_str().unwrap_or("unknown_error");
            return Err(ConnectorError::rejected(format!("{refused}: {error}")));
        }
        Ok(answer)
    }

    /// `chat.postMessage` with `body`.
    async fn post(&self, channel: &str, body: &Value) -> Result<Posted, ConnectorError> {
        self.call("chat.postMessage", channel, body).await
    }

    /// Web API `method` (one that answers with a message's `channel` and
    /// `ts`) with `body`, retried within the send (see the module's doc).
    async fn call(
        &self,
        method: &str,
        channel: &str,
        body: &Value,
    ) -> Result<Posted, ConnectorError> {
        let url = format!("{}/{method}", self.base);
        let mut backoff = Duration::from_millis(250);
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let sent = self
                .client
                .post(&url)
                .bearer_auth(&self.token)
                .json(body)
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = format!("Slack unreachable: {}", without_url(&e, "<slack>"));
                    if !deadline::allows(backoff) {
                        break;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    continue;
                }
            };
            let status = response.status();
            if status.as_u16() == 429 {
                let wait = retry_after(response.headers()).unwrap_or(backoff);
                // A wait past the delivery's lease goes back to the
                // outbox: another replica may claim the effect after it.
                if wait > MAX_RETRY_AFTER || attempt == ATTEMPTS || !deadline::allows(wait) {
                    return Err(rate_limited(wait));
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() {
                last = format!("Slack answered {status}");
                if !deadline::allows(backoff) {
                    break;
                }
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                continue;
            }
            let answer = crate::wire::json(response)
                .await
                .map_err(|e| ConnectorError::retriable_by("Slack's answer", e))?;
            if answer["ok"] == Value::Bool(true) {
                return Ok(Posted {
                    channel: answer["channel"].as_str().unwrap_or(channel).to_owned(),
                    ts: answer["ts"].as_str().unwrap_or_default().to_owned(),
                });
            }
            let error = answer["error"].as_str().unwrap_or("unknown_error");
            // Slack's own errors (channel_not_found, invalid_blocks,
            // not_authed …) will not pass on a retry.
            return Err(ConnectorError::rejected(format!(
                "Slack refused the message: {error}"
            )));
        }
        Err(ConnectorError::retriable(last))
    }
}
