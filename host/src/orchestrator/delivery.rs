//! Delivering the outbox. A [`Deliver`] hands an effect to the outside
//! world; the loop here claims due effects, delivers each, and records the
//! result. Delivery is at least once per idempotency key, and the key goes
//! with every delivery so a receiver can drop a repeat.

use super::{Orchestrator, OrchestratorError};
use crate::store::Effect;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Effects claimed per pass.
const BATCH: i64 = 32;
/// How long a claimed effect is ours.
const LEASE_MS: i64 = 60_000;
/// Wait before a failed delivery is tried again (doubled per attempt).
const RETRY_MS: i64 = 5_000;

/// A delivery that went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered;

/// A delivery that did not: the message goes on the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// Retrying cannot help (the peer refused this effect for good).
    pub terminal: bool,
    pub message: String,
    /// The peer asked us to wait this long (ms) before the next attempt.
    pub retry_after_ms: Option<i64>,
}

impl Failed {
    /// A failure a later attempt may get past.
    pub fn retriable(message: impl Into<String>) -> Failed {
        Failed {
            terminal: false,
            message: message.into(),
            retry_after_ms: None,
        }
    }
}

/// The future a [`Deliver`] returns.
pub type DeliverFuture<'a> = Pin<Box<dyn Future<Output = Result<Delivered, Failed>> + Send + 'a>>;

/// Something that can carry effects out.
pub trait Deliver: Send + Sync {
    /// Deliver one effect.
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a>;
}

/// Posts each effect as JSON to one URL, with an `Idempotency-Key` header.
pub struct Webhook {
    url: reqwest::Url,
    client: reqwest::Client,
}

impl Webhook {
    /// A deliverer posting to `url`.
    pub fn new(url: &str) -> Result<Webhook, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("delivery URL `{url}`: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("delivery URL `{url}` must be http or https"));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Webhook { url, client })
    }
}

impl Deliver for Webhook {
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a> {
        Box::pin(async move {
            let body = json!({
                "id": effect.id,
                "idempotency_key": effect.idempotency_key,
                "org_id": effect.org_id,
                "job_id": effect.job_id,
                "user_id": effect.user_id,
                "kind": effect.kind,
                "effect": effect.payload,
            });
            let response = self
                .client
                .post(self.url.clone())
                .header("Idempotency-Key", &effect.idempotency_key)
                .json(&body)
                .send()
                .await
                .map_err(|e| Failed::retriable(format!("delivery failed: {}", e.without_url())))?;
            let status = response.status();
            if status.is_success() {
                Ok(Delivered)
            } else {
                Err(Failed {
                    // A 4xx other than 408/429 will be refused again.
                    terminal: status.is_client_error() && !matches!(status.as_u16(), 408 | 429),
                    message: format!("the receiver answered {status}"),
                    retry_after_ms: None,
                })
            }
        })
    }
}

impl Orchestrator {
    /// Deliver every effect due now through `to`. Returns how many were
    /// delivered.
    pub async fn deliver_due(
        self: &Arc<Self>,
        to: &dyn Deliver,
    ) -> Result<usize, OrchestratorError> {
        let now = self.clock.now_ms();
        let effects = self.store.claim_effects(now, BATCH, LEASE_MS).await?;
        let mut delivered = 0;
        for effect in &effects {
            let result = to.deliver(effect).await;
            let mut retry_at = now + RETRY_MS * (1 << effect.attempts.clamp(0, 10));
            match &result {
                Err(e) => {
                    tracing::warn!(effect = %effect.id, kind = %effect.kind, error = %e.message,
                        terminal = e.terminal, "delivery failed");
                    if let Some(wait) = e.retry_after_ms {
                        retry_at = retry_at.max(now + wait);
                    }
                }
                Ok(Delivered) => delivered += 1,
            }
            self.store
                .finish_effect(
                    &effect.org_id,
                    &effect.id,
                    result
                        .as_ref()
                        .map(|_| ())
                        .map_err(|e| (e.message.as_str(), e.terminal)),
                    self.clock.now_ms(),
                    retry_at,
                )
                .await?;
        }
        Ok(delivered)
    }
}
