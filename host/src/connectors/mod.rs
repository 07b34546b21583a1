//! Outbound connectors, host-side: skills never see a credential. Slack
//! (`chat.postMessage`, Block Kit), email over SMTP as the rep, an
//! OpenAI-compatible LLM, and a plain webhook for everything else.
//!
//! [`Connectors`] is a [`Deliver`]: it routes each effect by kind, records
//! every send in the audit trail, and answers with a typed
//! [`ConnectorError`] that tells retriable failures from terminal ones. The
//! connectors carry things out; they never decide when (the orchestrator's
//! delivery loop and notifier do) and never import the orchestrator.

pub mod blocks;
pub mod deliver;
pub mod email;
mod error;
pub mod llm;
pub mod slack;
pub mod webhook;

pub use deliver::{Deliver, DeliverFuture};
pub use email::Mailer;
pub use error::ConnectorError;
pub use llm::OpenAiCompatible;
pub use slack::Slack;
pub use webhook::Webhook;

use crate::store::{ActionKind, Effect, Store, now_ms};
use serde_json::json;

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
    /// Connected accounts (a CRM, a rep's calendar) effects may land in.
    pub accounts: Option<crate::accounts::Accounts>,
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
            .await?
            .ok_or_else(|| ConnectorError::Rejected("the rep no longer exists".into()))?;
        let prefs = store.preferences(&effect.org_id, &effect.user_id).await?;
        let draft = email::Draft::from_payload(&effect.payload["payload"])?;
        // The last check before the wire: an address flagged after the
        // approval (an unsubscribe that came in during the undo window or
        // between retries) is never emailed.
        let listed = store
            .do_not_contact(
                &effect.org_id,
                &crate::address::email_recipients(&effect.payload["payload"]),
            )
            .await?;
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
                ?;
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
        // Sent: from here on nothing may make it look unsent (it would be
        // sent again).
        let detail = json!({
            "effect_id": effect.id,
            "message_id": message_id,
            "to": draft.to,
            "cc": draft.cc,
            "subject": draft.subject,
            "in_reply_to": draft.in_reply_to,
        });
        record_sent(store, effect, "email_sent", &detail).await;
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
                .await?
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
        let detail = json!({ "effect_id": effect.id, "channel": posted.channel, "ts": posted.ts });
        record_sent(store, effect, "slack_posted", &detail).await;
        Ok(())
    }

    async fn route(&self, effect: &Effect) -> Result<(), ConnectorError> {
        match effect.kind {
            ActionKind::EmailSend => self.send_email(effect).await,
            ActionKind::SlackPost => self.post_slack(effect).await,
            other => match &self.webhook {
                Some(w) => w.deliver(effect).await,
                None => Err(ConnectorError::Config(format!(
                    "no connector carries `{}` effects (set BATON_DELIVERY_URL)",
                    other.as_str()
                ))),
            },
        }
    }
}

/// How long the audit row of something already sent is retried while the
/// database is unreachable (with the outbox's own wait for the outcome, well
/// inside the delivery lease).
const AUDIT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Audit a send that has happened. The database being away must not turn
/// it into a failed delivery (the outbox would send it again), so the row
/// is written again for a while, and if it still cannot be, the send stands
/// and the loss of its audit row is logged.
async fn record_sent(store: &Store, effect: &Effect, kind: &str, detail: &serde_json::Value) {
    let written = crate::store::retry_transient(AUDIT_PATIENCE, async || {
        store
            .audit(
                &effect.org_id,
                Some(&effect.user_id),
                Some(&effect.job_id),
                kind,
                detail,
                now_ms(),
            )
            .await
    })
    .await;
    if let Err(e) = written {
        tracing::error!(effect = %effect.id, kind, error = %e, "sent, but its audit row could not be written");
    }
}

/// The channel an effect kind goes out on, for metrics.
fn channel(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::EmailSend => "email",
        ActionKind::SlackPost => "slack",
        ActionKind::CrmUpdate | ActionKind::TaskCreate | ActionKind::CalendarInvite => "webhook",
    }
}

impl Deliver for Connectors {
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a> {
        Box::pin(async move {
            let result = self.route(effect).await;
            crate::metrics::delivery(channel(effect.kind), result.is_ok());
            result
        })
    }
}
