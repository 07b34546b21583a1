//! Where a CRM update or a task lands: CRM-lite always (when there is a
//! store), the org's HubSpot when it connected one (marked for
//! reconnecting when it refuses the token), and the webhook when one is set.
//! A CRM update whose field moved since it was drafted, in HubSpot or in
//! CRM-lite, is refused as a conflict and lands nowhere.

use super::{
    ConnectorError, Connectors, Deliver, HUBSPOT, HubSpot, campaign, crm_lite, imip, record_sent,
};
use baton_store::{ActionKind, Effect, now_ms};
use serde_json::json;

impl Connectors {
    /// The org's HubSpot, when it connected one, and its account's id.
    pub(super) async fn hubspot(
        &self,
        effect: &Effect,
    ) -> Result<Option<(HubSpot, String)>, ConnectorError> {
        let (Some(accounts), Some(base)) = (&self.accounts, &self.hubspot_api_url) else {
            return Ok(None);
        };
        let account = accounts
            .store()
            .accounts(&effect.org_id, None)
            .await?
            .into_iter()
            .find(|a| a.provider == HUBSPOT && a.user_id.is_none());
        let Some(account) = account else {
            return Ok(None);
        };
        if account.status == baton_store::accounts::RECONNECT {
            return Err(ConnectorError::Unauthorized(
                "HubSpot needs reconnecting: its token was refused".into(),
            ));
        }
        let secret = accounts
            .secret(&account)
            .map_err(|e| ConnectorError::config_by("the HubSpot account", e))?;
        let token = secret["access_token"].as_str().unwrap_or_default();
        let hubspot = HubSpot::new(base, token, &account.settings())?
            .remembering(accounts.store().clone(), effect.org_id.clone());
        Ok(Some((hubspot, account.id)))
    }

    /// Mark the org's HubSpot for reconnecting when it refused the token,
    /// so the inbox says so and nothing more is sent with it; the error
    /// passes through.
    pub(super) async fn hubspot_refused(
        &self,
        effect: &Effect,
        account: &str,
        e: ConnectorError,
    ) -> ConnectorError {
        if let (ConnectorError::Unauthorized(why), Some(accounts)) = (&e, &self.accounts) {
            let marked = accounts
                .store()
                .mark_reconnect(&effect.org_id, account, why, now_ms())
                .await;
            if let Err(m) = marked {
                tracing::warn!(error = %m, "cannot mark HubSpot for reconnecting");
            }
        }
        e
    }

    /// A CRM update or a task: CRM-lite always (when there is a store),
    /// HubSpot when connected, the webhook when set.
    pub(super) async fn land_crm(&self, effect: &Effect) -> Result<(), ConnectorError> {
        // A change of the campaign provider's records lands there alone.
        if effect.kind == ActionKind::CrmUpdate && campaign::is_campaign(&effect.payload["payload"])
        {
            return self.land_campaign(effect).await;
        }
        let mut carried = false;
        if let Some(store) = &self.store {
            let uid = imip::effect_uid(&effect.idempotency_key);
            // CRM-lite first: it takes the change whatever HubSpot says.
            let detail = if effect.kind == ActionKind::CrmUpdate {
                // HubSpot is read first: a field that moved there since
                // the draft refuses the change before anything is written.
                let p = &effect.payload["payload"];
                let changes = crm_lite::changes(p)?;
                let named = crm_lite::named_deal(store, effect, p).await?;
                let hubspot = match &named {
                    Some(_) if !changes.is_empty() => self.hubspot(effect).await?,
                    _ => None,
                };
                // A HubSpot that asks to wait (a 429, an outage) is waited
                // for; one that refuses the read leaves CRM-lite to take
                // the change as before, and its update meets the same error.
                if let (Some(deal), Some((h, _))) = (&named, &hubspot) {
                    let expected = crm_lite::expected(p, &changes);
                    match h.moved(&deal.name, &changes, &expected).await {
                        Ok(Some(m)) => {
                            return Err(crm_lite::conflict(&deal.name, " in HubSpot", &m));
                        }
                        Err(e) if e.is_retriable() => return Err(e),
                        Ok(None) | Err(_) => {}
                    }
                }
                let updated = crm_lite::update(store, effect, self.now()).await?;
                if let (Some(u), Some((h, account))) = (&updated, &hubspot)
                    && let Err(e) = h.update(u, &uid, now_ms()).await
                {
                    return Err(self.hubspot_refused(effect, account, e).await);
                }
                json!({ "effect_id": effect.id, "deal_id": updated.as_ref().map(|u| &u.deal.id),
                        "hubspot": hubspot.is_some() })
            } else {
                let task = crm_lite::task(store, effect, self.now()).await?;
                let hubspot = self.hubspot(effect).await?;
                if let Some((h, account)) = &hubspot
                    && let Err(e) = h.task(&task, &uid, now_ms()).await
                {
                    return Err(self.hubspot_refused(effect, account, e).await);
                }
                json!({ "effect_id": effect.id, "task_id": task.task_id,
                        "deal_id": task.deal.as_ref().map(|d| &d.id), "hubspot": hubspot.is_some() })
            };
            let kind = if effect.kind == ActionKind::CrmUpdate {
                "crm_updated"
            } else {
                "task_created"
            };
            record_sent(store, effect, kind, &detail).await;
            carried = true;
        }
        match &self.webhook {
            Some(w) => w.deliver(effect).await,
            None if carried => Ok(()),
            None => Err(ConnectorError::config(format!(
                "no connector carries `{}` effects (set BATON_DELIVERY_URL)",
                effect.kind.as_str()
            ))),
        }
    }
}
