//! Delivering the outbox: the loop claims due effects, hands each to a
//! [`Deliver`] (a connector), and records the result. Delivery is at least
//! once per idempotency key, and the key goes with every delivery so a
//! receiver can drop a repeat.
//!
//! The retry policy lives here: it asks the connector's typed error whether
//! a retry can help and how long the peer asked us to wait; the outbox row
//! keeps the error's message. So does the rep's hourly notification limit
//! for posts to their own Slack channel (named or not): one over it waits,
//! unsent and with no attempt counted, like an approval request does
//! (`notify.rs`), and one sent counts towards it. This module never speaks
//! to a peer itself.

use super::conductor::{Orchestrator, OrchestratorError};
use crate::connectors::{Deliver, deadline};
use crate::store::{ActionKind, Effect, NewNotification, retry_transient};
use std::sync::Arc;
use std::time::Duration;

/// Effects claimed per pass.
const BATCH: i64 = 32;
/// Wait before a failed delivery is tried again (doubled per attempt).
const RETRY_MS: i64 = 5_000;
/// The notification limit's window.
const HOUR_MS: i64 = 3_600_000;
/// How long a post held back by the limit waits before it is looked at again.
const LIMIT_WAIT_MS: i64 = 5 * 60_000;

impl Orchestrator {
    /// Deliver every effect due now: each through the deliverer an
    /// extension registered for its kind ([`super::Extension::deliverer`]),
    /// else through `to`. Returns how many were delivered.
    pub async fn deliver_due(
        self: &Arc<Self>,
        to: &dyn Deliver,
    ) -> Result<usize, OrchestratorError> {
        let now = self.clock.now_ms();
        // Held as long as a job's lease: effects a dead replica had claimed
        // are delivered by another within one lease.
        let lease_ms = self.config.runner.lease_ms;
        let effects = self.store.claim_effects(now, BATCH, lease_ms).await?;
        // Deliveries end within the first half of the lease (the outcome's
        // write may take the second): a connector does not wait past it,
        // and an effect whose turn comes too late goes back unattempted.
        let half = Duration::from_millis(u64::try_from(lease_ms / 2).unwrap_or(0));
        let until = tokio::time::Instant::now() + half;
        let mut delivered = 0;
        for effect in &effects {
            if tokio::time::Instant::now() >= until {
                let why = "waiting its turn: sent on the next pass";
                retry_transient(Duration::from_secs(5), || {
                    self.store
                        .defer_effect(&effect.org_id, &effect.id, self.clock.now_ms(), why)
                })
                .await?;
                continue;
            }
            let notice = self.notice(effect, now).await?;
            if notice == Some(Notice::OverLimit) {
                let why = "held back: the rep's hourly notification limit (max_notifications_per_hour) is reached";
                retry_transient(Duration::from_secs(5), || {
                    self.store
                        .defer_effect(&effect.org_id, &effect.id, now + LIMIT_WAIT_MS, why)
                })
                .await?;
                continue;
            }
            let mut retry_at = now + RETRY_MS * (1 << effect.attempts.clamp(0, 10));
            let carrier = self
                .extensions()
                .iter()
                .find_map(|app| app.deliverer(effect.kind))
                .unwrap_or(to);
            let failure = match deadline::within(until, carrier.deliver(effect)).await {
                Ok(()) => {
                    delivered += 1;
                    if notice.is_some() {
                        self.count_notice(effect, now).await;
                    }
                    None
                }
                Err(e) => {
                    let terminal = !e.is_retriable();
                    let report = e.report();
                    tracing::warn!(effect = %effect.id, kind = effect.kind.as_str(), error = %report,
                        terminal, "delivery failed");
                    if let Some(wait) = e.retry_after_ms() {
                        retry_at = retry_at.max(now + wait);
                    }
                    Some((report, terminal))
                }
            };
            // The outcome is written even through a short database outage:
            // a delivered effect left `delivering` would be delivered again
            // once its lease ran out.
            // Retried for the other half of the lease, so the lease cannot
            // run out meanwhile.
            retry_transient(half, || {
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

    /// Whether `effect` is a notification to its rep — a Slack post to
    /// their own channel, named or not — and if so whether they have had
    /// their hourly share (approval requests and posts alike).
    async fn notice(&self, effect: &Effect, now: i64) -> Result<Option<Notice>, OrchestratorError> {
        if effect.kind != ActionKind::SlackPost {
            return Ok(None);
        }
        let prefs = self
            .store
            .preferences(&effect.org_id, &effect.user_id)
            .await?;
        let named = effect.payload["payload"]["channel"].as_str();
        if named.is_some_and(|c| Some(c) != prefs.slack_channel.as_deref()) {
            return Ok(None);
        }
        let recent = self
            .store
            .notifications_since(&effect.org_id, &effect.user_id, "slack", now - HOUR_MS)
            .await?;
        Ok(Some(if recent >= prefs.max_notifications_per_hour {
            Notice::OverLimit
        } else {
            Notice::WithinLimit
        }))
    }

    /// Count a delivered post towards the rep's limit. A failure here
    /// leaves the post delivered (it is logged).
    async fn count_notice(&self, effect: &Effect, now: i64) {
        let n = NewNotification {
            kind: effect.kind.as_str().to_owned(),
            channel: "slack".into(),
            message: format!("effect {} posted", effect.id),
            dedupe_key: Some(format!("effect:{}", effect.id)),
        };
        let written = self
            .store
            .record_notification(
                &effect.org_id,
                &effect.user_id,
                Some(&effect.job_id),
                &n,
                now,
            )
            .await;
        if let Err(e) = written {
            tracing::warn!(effect = %effect.id, error = %e, "a post was sent, but not counted towards the rep's limit");
        }
    }
}

/// A post to a rep's own channel, against their hourly limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    WithinLimit,
    OverLimit,
}
