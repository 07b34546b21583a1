//! Delivering the outbox: the loop claims due effects, hands each to a
//! [`Deliver`] (a connector), and records the result. Delivery is at least
//! once per idempotency key, and the key goes with every delivery so a
//! receiver can drop a repeat.
//!
//! The retry policy lives here: it asks the connector's typed error whether
//! a retry can help and how long the peer asked us to wait; the outbox row
//! keeps the error's message. This module never speaks to a peer itself.

use super::conductor::{Orchestrator, OrchestratorError};
use crate::connectors::Deliver;
use crate::store::retry_transient;
use std::sync::Arc;
use std::time::Duration;

/// Effects claimed per pass.
const BATCH: i64 = 32;
/// Wait before a failed delivery is tried again (doubled per attempt).
const RETRY_MS: i64 = 5_000;

impl Orchestrator {
    /// Deliver every effect due now through `to`. Returns how many were
    /// delivered.
    pub async fn deliver_due(
        self: &Arc<Self>,
        to: &dyn Deliver,
    ) -> Result<usize, OrchestratorError> {
        let now = self.clock.now_ms();
        // Held as long as a job's lease: effects a dead replica had claimed
        // are delivered by another within one lease.
        let lease_ms = self.config.runner.lease_ms;
        let effects = self.store.claim_effects(now, BATCH, lease_ms).await?;
        let mut delivered = 0;
        for effect in &effects {
            let mut retry_at = now + RETRY_MS * (1 << effect.attempts.clamp(0, 10));
            let failure = match to.deliver(effect).await {
                Ok(()) => {
                    delivered += 1;
                    None
                }
                Err(e) => {
                    let terminal = !e.is_retriable();
                    tracing::warn!(effect = %effect.id, kind = effect.kind.as_str(), error = %e,
                        terminal, "delivery failed");
                    if let Some(wait) = e.retry_after_ms() {
                        retry_at = retry_at.max(now + wait);
                    }
                    Some((e.to_string(), terminal))
                }
            };
            // The outcome is written even through a short database outage:
            // a delivered effect left `delivering` would be delivered again
            // once its lease ran out.
            // Retried for half the lease, so the lease cannot run out meanwhile.
            let patience = Duration::from_millis(u64::try_from(lease_ms / 2).unwrap_or(0));
            retry_transient(patience, || {
                self.store.finish_effect(
                    &effect.org_id,
                    &effect.id,
                    failure.as_ref().map_or(Ok(()), |(message, terminal)| {
                        Err((message.as_str(), *terminal))
                    }),
                    self.clock.now_ms(),
                    retry_at,
                )
            })
            .await?;
        }
        Ok(delivered)
    }
}
