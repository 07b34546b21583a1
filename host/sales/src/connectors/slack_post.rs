//! A `slack_post` effect carried out: the channel, the blocks (a skill's
//! own layout when it is safe to post, else the host's summary), and a look
//! for an earlier post before a retry posts again. A post for the rep's
//! manager (`audience = "manager"`, a deal at risk) goes to whoever the rep
//! reports to, else the org's `manager` role: kept in each one's inbox and
//! posted to their channel when Slack is set up.

use super::{ConnectorError, Connectors, blocks, record_sent};
use baton_store::{Effect, NewNotification, OrgId, Store, StoreError, User};
use serde_json::json;

/// What the ids of the blocks with buttons that the morning brief and the
/// coaching digest post start with.
pub(crate) const BRIEF_BLOCKS: &str = "brief";

/// The kind of the inbox notice a rep's manager gets.
pub(crate) const MANAGER_NOTICE: &str = "manager_notice";

impl Connectors {
    /// A post in Slack: on the channel the payload names, else the rep's
    /// own; looked for first when an earlier attempt may have landed.
    pub(super) async fn post_slack(&self, effect: &Effect) -> Result<(), ConnectorError> {
        if effect.payload["payload"]["audience"] == "manager" {
            return self.tell_managers(effect).await;
        }
        let slack = self.slack.as_ref().ok_or_else(|| {
            ConnectorError::config("no Slack bot is configured (set BATON_SLACK_BOT_TOKEN)")
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
                    ConnectorError::rejected(
                        "the rep has no Slack channel in their preferences (slack_channel)",
                    )
                })?,
        };
        let title = p["title"]
            .as_str()
            .or(effect.payload["preview"].as_str())
            .unwrap_or("Update");
        let text = p["text"].as_str().unwrap_or("");
        // A skill's own layout (a briefing) when it sent one that is safe to
        // post — read-only, or with buttons into the inbox and on the rep's
        // own gates (the morning brief) — else the host's summary of its
        // title and text.
        let (fallback, blocks) = match p.get("blocks") {
            Some(b) => self
                .skill_blocks(store, effect, title, b)
                .await?
                .unwrap_or_else(|| blocks::inform(title, text)),
            None => blocks::inform(title, text),
        };
        let key = &effect.idempotency_key;
        // Claimed before (a crash or a lost answer may have cut off the
        // last attempt after Slack took the post): look before posting
        // again. A history Slack will not show leaves at-least-once.
        if effect.attempts > 1 {
            match slack.find_effect(&channel, key).await {
                Ok(Some(posted)) => {
                    let detail = json!({ "effect_id": effect.id, "channel": posted.channel,
                                         "ts": posted.ts, "found_after_retry": true });
                    record_sent(store, effect, "slack_posted", &detail).await;
                    return Ok(());
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(
                    effect = %effect.id,
                    error = %e.report(),
                    "cannot check Slack for an earlier post of this effect; posting it again"
                ),
            }
        }
        let posted = slack.post_effect(&channel, &fallback, &blocks, key).await?;
        let detail = json!({ "effect_id": effect.id, "channel": posted.channel, "ts": posted.ts });
        record_sent(store, effect, "slack_posted", &detail).await;
        Ok(())
    }

    /// A notice for the rep's managers ([`managers_of`]): each keeps it in
    /// their inbox and, with a Slack bot and a channel of theirs, gets it
    /// posted there (looked for first on a retry). Nobody to tell is not a
    /// failure; the audit says so.
    async fn tell_managers(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let p = &effect.payload["payload"];
        let title = p["title"].as_str().unwrap_or("Deal at risk");
        let rep = store.user(&effect.org_id, &effect.user_id).await?;
        let managers = managers_of(store, &effect.org_id, rep.as_ref()).await?;
        if managers.is_empty() {
            let detail = json!({ "effect_id": effect.id,
                "reason": "the rep reports to nobody and the org has no `manager`" });
            record_sent(store, effect, "manager_notice_unaddressed", &detail).await;
            return Ok(());
        }
        let from = rep.as_ref().map_or("A rep", |u| u.name.as_str());
        let text = format!("*{from}'s call.* {}", p["text"].as_str().unwrap_or(""));
        let now = self.now();
        let mut posted = 0;
        for m in &managers {
            let notice = NewNotification {
                kind: MANAGER_NOTICE.into(),
                channel: "inbox".into(),
                message: format!("{title}\n{text}"),
                dedupe_key: Some(format!("{}:{}", effect.id, m.id)),
            };
            store
                .record_notification(&effect.org_id, &m.id, Some(&effect.job_id), &notice, now)
                .await?;
            let channel = store
                .preferences(&effect.org_id, &m.id)
                .await?
                .slack_channel;
            let (Some(slack), Some(channel)) = (self.slack.as_ref(), channel) else {
                continue;
            };
            let key = format!("{}:{}", effect.idempotency_key, m.id);
            if effect.attempts > 1 && matches!(slack.find_effect(&channel, &key).await, Ok(Some(_)))
            {
                posted += 1;
                continue;
            }
            let (fallback, blocks) = blocks::inform(title, &text);
            slack
                .post_effect(&channel, &fallback, &blocks, &key)
                .await?;
            posted += 1;
        }
        let detail =
            json!({ "effect_id": effect.id, "managers": managers.len(), "slack_posts": posted });
        record_sent(store, effect, "manager_notified", &detail).await;
        Ok(())
    }

    /// A skill's blocks as they may be posted: read-only, or with buttons
    /// that only act on gates of the effect's own rep.
    async fn skill_blocks(
        &self,
        store: &Store,
        effect: &Effect,
        title: &str,
        b: &serde_json::Value,
    ) -> Result<Option<(String, serde_json::Value)>, ConnectorError> {
        if let Some(read_only) = blocks::from_skill(title, b) {
            return Ok(Some(read_only));
        }
        let rules = blocks::ButtonRules {
            org: &effect.org_id,
            public_url: self.public_url.as_deref(),
            block_prefix: BRIEF_BLOCKS,
        };
        let Some((fallback, posted, gates)) = blocks::from_skill_with_buttons(title, b, &rules)
        else {
            return Ok(None);
        };
        for gate in &gates {
            let mine = store
                .pending_action(&effect.org_id, gate)
                .await?
                .is_some_and(|g| g.user_id == effect.user_id);
            if !mine {
                return Ok(None);
            }
        }
        Ok(Some((fallback, posted)))
    }
}

/// Who a rep's manager is: the user `rep` reports to, else every user of
/// the org in the `manager` role (never the rep).
pub(crate) async fn managers_of(
    store: &Store,
    org: &OrgId,
    rep: Option<&User>,
) -> Result<Vec<User>, StoreError> {
    if let Some(m) = rep.and_then(|r| r.manager_id.as_ref())
        && let Some(manager) = store.user(org, m).await?
    {
        return Ok(vec![manager]);
    }
    Ok(store
        .users(org)
        .await?
        .into_iter()
        .filter(|u| u.role == "manager" && rep.is_none_or(|r| r.id != u.id))
        .collect())
}
