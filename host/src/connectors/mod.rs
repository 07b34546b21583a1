//! Outbound connectors, host-side: skills never see a credential. Slack
//! (`chat.postMessage`, Block Kit), email over SMTP as the rep, an
//! OpenAI-compatible LLM, and a plain webhook for everything else.
//!
//! [`Connectors`] is the outbox's deliverer: it routes each effect by kind,
//! records every send in the audit trail, and tells retriable failures from
//! terminal ones. [`notify`] sends approval requests to reps, within their
//! hourly limit and outside quiet hours.

pub mod blocks;
pub mod email;
pub mod llm;
pub mod notify;
pub mod slack;

pub use email::Mailer;
pub use llm::OpenAiCompatible;
pub use slack::Slack;

use crate::orchestrator::Webhook;
use crate::orchestrator::delivery::{Deliver, DeliverFuture, Delivered, Failed};
use crate::store::{Effect, Store, now_ms};
use serde_json::json;

/// Why a connector could not deliver.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectorError {
    /// The connector is not set up right; fix the configuration.
    #[error("{0}")]
    Config(String),
    /// The peer refused this message for good (a bad address, a bad block).
    #[error("{0}")]
    Rejected(String),
    /// Try again later.
    #[error("{0}")]
    Retriable(String),
    /// The peer asked us to wait.
    #[error("rate limited; retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: i64 },
}

impl ConnectorError {
    /// Whether a later attempt may succeed. A missing connector may be
    /// configured before the next attempt, so only a peer's refusal is final.
    pub fn is_retriable(&self) -> bool {
        !matches!(self, ConnectorError::Rejected(_))
    }
}

/// The configured connectors.
#[derive(Clone, Default)]
pub struct Connectors {
    pub store: Option<Store>,
    pub slack: Option<Slack>,
    pub mailer: Option<Mailer>,
    /// Effects no other connector carries (CRM writes, tasks, invites).
    pub webhook: Option<std::sync::Arc<Webhook>>,
    /// The public base URL of the service, for links in messages.
    pub public_url: Option<String>,
}

impl Connectors {
    fn store(&self) -> Result<&Store, ConnectorError> {
        self.store
            .as_ref()
            .ok_or_else(|| ConnectorError::Config("connectors have no store".into()))
    }

    async fn send_email(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let mailer = self.mailer.as_ref().ok_or_else(|| {
            ConnectorError::Config("no SMTP relay is configured (set BATON_SMTP_URL)".into())
        })?;
        let store = self.store()?;
        let user = store
            .user(&effect.org_id, &effect.user_id)
            .await
            .map_err(|e| ConnectorError::Retriable(e.to_string()))?
            .ok_or_else(|| ConnectorError::Rejected("the rep no longer exists".into()))?;
        let prefs = store
            .preferences(&effect.org_id, &effect.user_id)
            .await
            .map_err(|e| ConnectorError::Retriable(e.to_string()))?;
        let draft = email::Draft::from_payload(&effect.payload["payload"])?;
        // The last check before the wire: an address flagged after the
        // approval (an unsubscribe that came in during the undo window or
        // between retries) is never emailed.
        let listed = store
            .do_not_contact(
                &effect.org_id,
                &crate::address::email_recipients(&effect.payload["payload"]),
            )
            .await
            .map_err(|e| ConnectorError::Retriable(e.to_string()))?;
        if let Some(s) = listed.first() {
            store
                .audit(
                    &effect.org_id,
                    Some(&effect.user_id),
                    Some(&effect.job_id),
                    "email_blocked",
                    &json!({ "effect_id": effect.id, "reason": "do_not_contact", "subject": draft.subject }),
                    now_ms(),
                )
                .await
                .map_err(|e| ConnectorError::Retriable(e.to_string()))?;
            return Err(ConnectorError::Rejected(format!(
                "not sent: {} is on the do-not-contact list ({})",
                s.email, s.reason
            )));
        }
        let sender = email::Sender {
            name: &user.name,
            email: &user.email,
            signature: prefs.email_signature.as_deref(),
        };
        let (message, message_id) = mailer.compose(&sender, &draft, &effect.idempotency_key)?;
        mailer.send(message).await?;
        let detail = json!({
            "effect_id": effect.id,
            "message_id": message_id,
            "to": draft.to,
            "cc": draft.cc,
            "subject": draft.subject,
            "in_reply_to": draft.in_reply_to,
        });
        store
            .audit(
                &effect.org_id,
                Some(&effect.user_id),
                Some(&effect.job_id),
                "email_sent",
                &detail,
                now_ms(),
            )
            .await
            .map_err(|e| ConnectorError::Retriable(e.to_string()))?;
        Ok(())
    }

    async fn post_slack(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let slack = self.slack.as_ref().ok_or_else(|| {
            ConnectorError::Config("no Slack bot is configured (set BATON_SLACK_BOT_TOKEN)".into())
        })?;
        let store = self.store()?;
        let p = &effect.payload["payload"];
        let channel = match p["channel"].as_str() {
            Some(c) => c.to_owned(),
            None => store
                .preferences(&effect.org_id, &effect.user_id)
                .await
                .map_err(|e| ConnectorError::Retriable(e.to_string()))?
                .slack_channel
                .ok_or_else(|| {
                    ConnectorError::Rejected(
                        "the rep has no Slack channel in their preferences (slack_channel)".into(),
                    )
                })?,
        };
        let title = p["title"]
            .as_str()
            .or(effect.payload["preview"].as_str())
            .unwrap_or("Update");
        let text = p["text"].as_str().unwrap_or("");
        // A skill's own read-only layout (a briefing) when it sent one that
        // is safe to post; else the host's summary of its title and text.
        let (fallback, blocks) = p
            .get("blocks")
            .and_then(|b| blocks::from_skill(title, b))
            .unwrap_or_else(|| blocks::inform(title, text));
        let posted = slack.post_message(&channel, &fallback, &blocks).await?;
        store
            .audit(
                &effect.org_id,
                Some(&effect.user_id),
                Some(&effect.job_id),
                "slack_posted",
                &json!({ "effect_id": effect.id, "channel": posted.channel, "ts": posted.ts }),
                now_ms(),
            )
            .await
            .map_err(|e| ConnectorError::Retriable(e.to_string()))?;
        Ok(())
    }

    async fn route(&self, effect: &Effect) -> Result<(), ConnectorError> {
        match effect.kind.as_str() {
            "email_send" => self.send_email(effect).await,
            "slack_post" => self.post_slack(effect).await,
            other => match &self.webhook {
                Some(w) => w.deliver(effect).await.map(drop).map_err(|e| {
                    if e.terminal {
                        ConnectorError::Rejected(e.message)
                    } else {
                        ConnectorError::Retriable(e.message)
                    }
                }),
                None => Err(ConnectorError::Config(format!(
                    "no connector carries `{other}` effects (set BATON_DELIVERY_URL)"
                ))),
            },
        }
    }
}

/// The channel an effect kind goes out on, for metrics.
fn channel(kind: &str) -> &'static str {
    match kind {
        "email_send" => "email",
        "slack_post" => "slack",
        _ => "webhook",
    }
}

impl Deliver for Connectors {
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a> {
        Box::pin(async move {
            let result = self.route(effect).await;
            crate::metrics::delivery(channel(&effect.kind), result.is_ok());
            result.map(|()| Delivered).map_err(|e| Failed {
                terminal: !e.is_retriable(),
                retry_after_ms: match e {
                    ConnectorError::RateLimited { retry_after_ms } => Some(retry_after_ms),
                    _ => None,
                },
                message: e.to_string(),
            })
        })
    }
}
