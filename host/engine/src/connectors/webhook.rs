//! The plain webhook: each effect POSTed as JSON to one URL, with an
//! `Idempotency-Key` header so a receiver can drop a repeat. It carries the
//! effects no other connector does, and everything under `baton worker
//! --deliver-url`. It never reads or writes the store.

use super::{ConnectorError, Deliver, DeliverFuture};
use crate::store::Effect;
use serde_json::json;
use std::time::Duration;

/// Posts each effect as JSON to one URL, with an `Idempotency-Key` header.
pub struct Webhook {
    url: reqwest::Url,
    client: reqwest::Client,
}

impl Webhook {
    /// A deliverer posting to `url`.
    pub fn new(url: &str) -> Result<Webhook, ConnectorError> {
        let url = reqwest::Url::parse(url)
            .map_err(|e| ConnectorError::config_by(format!("delivery URL `{url}`"), e))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConnectorError::config(format!(
                "delivery URL `{url}` must be http or https"
            )));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(ConnectorError::Client)?;
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
                .map_err(|e| ConnectorError::retriable_by("delivery failed", e.without_url()))?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let message = format!("the receiver answered {status}");
            // A 4xx other than 408/429 will be refused again.
            Err(
                if status.is_client_error() && !matches!(status.as_u16(), 408 | 429) {
                    ConnectorError::rejected(message)
                } else {
                    ConnectorError::retriable(message)
                },
            )
        })
    }
}
