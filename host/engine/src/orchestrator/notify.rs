//! Approval requests to reps. Each open gate is announced once in the rep's
//! Slack channel, within their hourly notification limit and outside their
//! quiet hours; a request over the limit or inside quiet hours waits for the
//! next pass (deferred, never dropped). Without Slack, or without a channel
//! for the rep, the gate waits in the web inbox alone. A request whose gate
//! closed without a click on it (withdrawn, expired, decided in the inbox)
//! is updated to say what became of it.
//!
//! The policy (when a rep may be told) lives here in the orchestrator; the
//! Slack connector only carries the message and says, through
//! [`crate::connectors::ConnectorError::is_retriable`], whether asking
//! again can help. This module never builds a Slack message itself
//! (`connectors::blocks` does).

use super::conductor::Extensions;
use super::quiet::quiet_until;
use crate::connectors::{Slack, blocks};
use crate::runtime::Decision;
use crate::runtime::clock::Clock;
use crate::store::{
    Announced, GateId, GateStatus, OrgId, PendingAction, Preferences, Store, StoreError, UserId,
    retry_transient,
};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Duration;

/// Gates looked at per pass.
const BATCH: i64 = 64;
/// Attempts before a request is given up to the inbox alone.
const MAX_ATTEMPTS: i64 = 8;
const HOUR_MS: i64 = 3_600_000;
/// How long recording requests Slack took is tried through a database outage.
const RECORD_WITHIN: Duration = Duration::from_secs(30);

/// Approval requests of one page in flight to Slack at once.
const POSTS_IN_FLIGHT: usize = 8;

/// What a pass does with one gate, decided in queue order.
enum Route {
    /// Post it to this Slack channel now.
    Post(String),
    /// Over the hourly limit or in quiet hours: next pass.
    Defer,
    /// No Slack for this rep: the inbox has it.
    InboxOnly,
}

/// A rep as one pass sees them: their preferences and how many requests
/// reached them in the last hour, counting this pass's.
struct Rep {
    prefs: Preferences,
    recent: i64,
}

/// Sends approval requests.
pub struct Notifier {
    pub store: Store,
    pub slack: Option<Slack>,
    /// Base URL of the inbox, for the "Edit in inbox" button.
    pub public_url: Option<String>,
    /// The apps that name what a request shows.
    pub extensions: Extensions,
}

impl Notifier {
    /// One pass over every gate not yet announced, a page of [`BATCH`] at a
    /// time, oldest first. Returns how many were sent. A pass does not stop
    /// at its first page: a backlog goes out at once rather than a page per
    /// wake, and gates deferred for one rep (quiet hours, the hourly limit)
    /// never hold back another rep's behind them.
    ///
    /// Within a page, who may be told what is decided in queue order (each
    /// rep's hourly limit counts the requests before); the page's requests
    /// then go to Slack [`POSTS_IN_FLIGHT`] at a time, and those Slack took
    /// are recorded together in one transaction. As before, a request is
    /// recorded after Slack took it: one that went out just before a crash
    /// is sent again, never lost.
    pub async fn pass(&self, now: i64) -> Result<usize, StoreError> {
        let mut sent = 0;
        // Each rep's preferences and recent count, read once per pass.
        let mut reps: HashMap<(OrgId, UserId), Rep> = HashMap::new();
        let mut after: Option<(i64, GateId)> = None;
        loop {
            let page = self
                .store
                .unnotified_actions(after.as_ref().map(|(at, id)| (*at, id)), BATCH)
                .await?;
            let mut posts = Vec::new();
            for action in &page {
                let key = (action.org_id.clone(), action.user_id.clone());
                let rep = match reps.entry(key) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(self.rep(action, now).await?),
                };
                match self.route(rep, now) {
                    Route::Post(channel) => {
                        rep.recent += 1;
                        posts.push((action, channel));
                    }
                    Route::Defer => {}
                    Route::InboxOnly => {
                        self.store
                            .mark_notified(&action.org_id, &action.id, now)
                            .await?;
                    }
                }
            }
            sent += self.post_all(posts, now).await?;
            match page.last() {
                Some(last) if page.len() as i64 == BATCH => {
                    after = Some((last.created_at, last.id.clone()));
                }
                _ => return Ok(sent),
            }
        }
    }

    /// What a pass needs to know of the rep `action` waits for.
    async fn rep(&self, action: &PendingAction, now: i64) -> Result<Rep, StoreError> {
        let prefs = self
            .store
            .preferences(&action.org_id, &action.user_id)
            .await?;
        let recent = match (&self.slack, &prefs.slack_channel) {
            (Some(_), Some(_)) => {
                self.store
                    .notifications_since(&action.org_id, &action.user_id, "slack", now - HOUR_MS)
                    .await?
            }
            _ => 0,
        };
        Ok(Rep { prefs, recent })
    }

    /// Whether `rep` may be sent a request now, and where.
    fn route(&self, rep: &Rep, now: i64) -> Route {
        let prefs = &rep.prefs;
        let (Some(_), Some(channel)) = (&self.slack, prefs.slack_channel.as_deref()) else {
            return Route::InboxOnly;
        };
        let tz = jiff::tz::TimeZone::get(&prefs.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
        if let (Some(start), Some(end)) = (prefs.quiet_start_min, prefs.quiet_end_min)
            && quiet_until(now, &tz, start, end).is_some()
        {
            return Route::Defer;
        }
        if rep.recent >= prefs.max_notifications_per_hour {
            return Route::Defer;
        }
        Route::Post(channel.to_owned())
    }

    /// Post `posts` to Slack, [`POSTS_IN_FLIGHT`] at a time, and record
    /// those Slack took in one transaction. Returns how many it took.
    async fn post_all(
        &self,
        posts: Vec<(&PendingAction, String)>,
        now: i64,
    ) -> Result<usize, StoreError> {
        let Some(slack) = &self.slack else {
            return Ok(0);
        };
        let mut results = Vec::with_capacity(posts.len());
        for wave in posts.chunks(POSTS_IN_FLIGHT) {
            let posted = futures_util::future::join_all(
                wave.iter()
                    .map(|(action, channel)| self.post_one(slack, action, channel)),
            )
            .await;
            results.extend(wave.iter().map(|(action, _)| *action).zip(posted));
        }
        let mut took = Vec::with_capacity(results.len());
        for (action, result) in results {
            match result {
                Ok(posted) => {
                    crate::metrics::delivery("slack", true);
                    took.push(Announced {
                        gate: action,
                        message: format!("approval {} posted as {}", action.id, posted.ts),
                        channel: posted.channel,
                        ts: posted.ts,
                    });
                }
                Err(e) => {
                    crate::metrics::delivery("slack", false);
                    let attempts = self.store.notify_failed(&action.org_id, &action.id).await?;
                    tracing::warn!(approval = %action.id, attempts, error = %e.report(), "approval request not delivered");
                    if !e.is_retriable() || attempts >= MAX_ATTEMPTS {
                        // The inbox still has it; stop asking Slack.
                        self.store
                            .mark_notified(&action.org_id, &action.id, now)
                            .await?;
                    }
                }
            }
        }
        // Written again through a short outage: these requests are out.
        retry_transient(RECORD_WITHIN, || self.store.record_announced(&took, now)).await?;
        Ok(took.len())
    }

    /// Tell each chat request whose gate closed without a click on it
    /// (withdrawn because what it was based on moved on, expired, decided
    /// in the inbox) what became of it: its buttons no longer apply.
    /// Returns how many messages were updated.
    pub async fn close_requests(&self, now: i64) -> Result<usize, StoreError> {
        let Some(slack) = &self.slack else {
            return Ok(0);
        };
        let mut updated = 0;
        for (gate, channel, ts) in self.store.chat_requests_to_close(BATCH).await? {
            let (text, blocks) = blocks::decided(&gate.title, &closed_words(&gate));
            match slack.update_message(&channel, &ts, &text, &blocks).await {
                Ok(_) => updated += 1,
                // Tried again on the next pass.
                Err(e) if e.is_retriable() => {
                    tracing::warn!(approval = %gate.id, error = %e.report(), "request not updated; retrying");
                    continue;
                }
                // A message Slack will not update (deleted, an archived
                // channel) is not asked again.
                Err(e) => {
                    tracing::warn!(approval = %gate.id, error = %e.report(), "request cannot be updated");
                }
            }
            self.store
                .mark_chat_closed(&gate.org_id, &gate.id, now)
                .await?;
        }
        Ok(updated)
    }

    /// Post `action`'s approval request to `channel`.
    async fn post_one(
        &self,
        slack: &Slack,
        action: &PendingAction,
        channel: &str,
    ) -> Result<crate::connectors::slack::Posted, crate::connectors::ConnectorError> {
        let url = self.public_url.as_deref().map(|base| {
            format!(
                "{}/inbox/approvals/{}",
                base.trim_end_matches('/'),
                action.id
            )
        });
        let (text, blocks) = blocks::approval_request(action, &self.extensions, url.as_deref());
        slack.post_message(channel, &text, &blocks).await
    }

    /// Announce gates until `stop`: every `every`, and at once when `wake`
    /// is notified.
    pub async fn run(
        &self,
        clock: &dyn Clock,
        every: Duration,
        wake: &tokio::sync::Notify,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        while !*stop.borrow() {
            if let Err(e) = self.pass(clock.now_ms()).await {
                tracing::warn!(error = %e, "notifier pass failed; retrying");
            }
            if let Err(e) = self.close_requests(clock.now_ms()).await {
                tracing::warn!(error = %e, "closing chat requests failed; retrying");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// What became of a closed gate, as its chat request now says.
fn closed_words(gate: &PendingAction) -> String {
    match gate.status {
        GateStatus::Superseded => format!(
            "withdrawn: {}",
            gate.decision_note
                .as_deref()
                .unwrap_or("what it was based on moved on")
        ),
        GateStatus::Expired => "expired".into(),
        GateStatus::Cancelled => "cancelled".into(),
        GateStatus::Open | GateStatus::Decided => {
            let decision = gate
                .decision
                .clone()
                .and_then(|d| serde_json::from_value::<Decision>(d).ok());
            match decision {
                Some(Decision::Approved) => "approved".into(),
                Some(Decision::Edited(_)) => "approved with edits".into(),
                Some(Decision::Skipped) => "skipped".into(),
                Some(Decision::Cancelled) => "sequence cancelled".into(),
                Some(Decision::Chosen(n)) => format!("option {} chosen", n + 1),
                Some(Decision::PerItem(items)) => format!(
                    "{} of {} approved",
                    items.iter().filter(|k| **k).count(),
                    items.len()
                ),
                None => "decided".into(),
            }
        }
    }
}
