//! Where a `crm_update` of the campaign provider's records lands (`entity`
//! `campaign`, its [`Change`] in `campaign_change`): the buttons under the
//! daily campaign update, chosen at a `campaign_action` gate. The provider
//! is the org's `providers.campaigns` (Instantly API v2, as
//! developer.instantly.ai documents it), reached with the provider key the
//! operator stored for its origin — an org whose provider has no key is
//! refused, so a profile cannot point the host anywhere else:
//!
//! - keep a variant: `GET /api/v2/campaigns/{id}`, then, unless the other
//!   variants of the step are already off, `PATCH /api/v2/campaigns/{id}`
//!   with its `sequences`, the other variants `v_disabled`;
//! - mark closed: `POST /api/v2/leads/update-interest-status` with the
//!   lead's address, the campaign and `interest_value` −1 (not interested);
//! - add to nurture: `POST /api/v2/leads/move` from the campaign to the
//!   nurture campaign, the lead found by address;
//! - keep testing: nothing leaves; the decision is audited.
//!
//! Each is idempotent (a redelivery sets what is already set, or moves a
//! lead no longer there), and a lead's change becomes an activity on their
//! contact and open deal in CRM-lite, and a note on that deal in the org's
//! HubSpot when it connected one. A 429 waits as the provider asks, a
//! 5xx or an unreachable provider is tried again, a refused key or a
//! missing campaign is final with a message naming the call.

use super::http::{base_url, client, rate_limit_wait, rate_limited, without_url};
use super::{ConnectorError, Connectors, imip, record_on_recipients, record_sent};
use crate::store::CrmTables;
use baton_engine::accounts::keys::{self, Destination};
use baton_store::address::address_key;
use baton_store::{Effect, now_ms};
use baton_types::campaigns::{Change, ENTITY, PROVIDER};
use serde_json::{Value, json};
use std::time::Duration;

/// Waited after a 429 that says nothing of when to come back.
const DEFAULT_WAIT: Duration = Duration::from_secs(10);
/// Instantly's interest status for "not interested".
const NOT_INTERESTED: i64 = -1;
/// Who the audit trail says used the provider key.
const BY: &str = "campaign connector";

/// Whether a `crm_update` payload changes the campaign provider's records.
pub(super) fn is_campaign(payload: &Value) -> bool {
    payload.get("entity").and_then(Value::as_str) == Some(ENTITY)
}

/// The provider's API, reached with the key the operator stored for it.
struct Provider {
    base: String,
    /// The key's header and value.
    header: (String, String),
    client: reqwest::Client,
}

impl Connectors {
    /// Carry out an approved change of the campaign provider's records.
    pub(super) async fn land_campaign(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let p = &effect.payload["payload"];
        let change: Change = serde_json::from_value(p["campaign_change"].clone())
            .map_err(|e| ConnectorError::rejected(format!("campaign_change: {e}")))?;
        let outcome = match &change {
            Change::KeepTesting { .. } => "kept testing",
            _ => {
                let provider = self.campaign_provider(effect).await?;
                provider.apply(&change).await?
            }
        };
        // Every write outside first: a retry after one of them fails
        // records nothing twice.
        let lead = lead_words(&change);
        if let Some((email, summary)) = &lead {
            self.note_in_hubspot(effect, email, summary).await?;
        }
        let detail = json!({ "effect_id": effect.id, "change": change, "outcome": outcome });
        record_sent(store, effect, "campaign_changed", &detail).await;
        if let Some((email, summary)) = lead {
            record_on_recipients(
                store,
                &effect.org_id,
                &effect.user_id,
                std::slice::from_ref(&email.to_owned()),
                ("campaign_changed", &summary),
                now_ms(),
            )
            .await;
        }
        Ok(())
    }

    /// A lead's change as a note on their open deal in the org's HubSpot,
    /// when it connected one and CRM-lite knows the deal (once per effect:
    /// a retry after the provider's change finds the note it made).
    async fn note_in_hubspot(
        &self,
        effect: &Effect,
        email: &str,
        summary: &str,
    ) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let Some(key) = address_key(email) else {
            return Ok(());
        };
        let Some(contact) = store.contact_by_email(&effect.org_id, &key).await? else {
            return Ok(());
        };
        let Some(deal) = store
            .open_deal_of_contact(&effect.org_id, &contact.id)
            .await?
        else {
            return Ok(());
        };
        let Some((hubspot, account)) = self.hubspot(effect).await? else {
            return Ok(());
        };
        let text = format!("{}: {summary}", contact.name);
        let uid = imip::effect_uid(&effect.idempotency_key);
        if let Err(e) = hubspot.note(&deal.name, &text, &uid, now_ms()).await {
            return Err(self.hubspot_refused(effect, &account, e).await);
        }
        Ok(())
    }

    /// The org's campaign provider and the key kept for it.
    async fn campaign_provider(&self, effect: &Effect) -> Result<Provider, ConnectorError> {
        let store = self.store()?;
        let org = store
            .org(&effect.org_id)
            .await?
            .ok_or_else(|| ConnectorError::rejected("the org no longer exists"))?;
        let url = org
            .profile
            .pointer(&format!("/providers/{PROVIDER}/url"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ConnectorError::config(format!(
                    "the org has no campaign provider (`providers.{PROVIDER}.url` in its profile)"
                ))
            })?;
        let base = base_url(url, "providers.campaigns.url")?;
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| ConnectorError::config_by("providers.campaigns.url", e))?;
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let origin = format!(
            "{}://{host}:{}",
            parsed.scheme(),
            parsed.port_or_known_default().unwrap_or(443)
        );
        let vault = self
            .accounts
            .as_ref()
            .ok_or_else(|| ConnectorError::config("no vault to open provider keys with"))?
            .vault()
            .map_err(|e| ConnectorError::config_by("provider keys", e))?;
        let to = Destination {
            host: &host,
            origin: &origin,
            path: "/api/v2",
        };
        let header = keys::lend(
            store,
            vault,
            (&effect.org_id, &effect.job_id),
            BY,
            &to,
            self.now(),
        )
        .await
        .ok_or_else(|| {
            ConnectorError::config(format!(
                "no provider key is stored for the campaign provider ({origin}); store one \
                 (PUT /v1/admin/orgs/{{org}}/provider-keys/{{name}}) and try again"
            ))
        })?;
        Ok(Provider {
            base,
            header: (header.name, header.value),
            client: client()?,
        })
    }
}

impl Provider {
    /// Carry out `change`; what became of it, in words.
    async fn apply(&self, change: &Change) -> Result<&'static str, ConnectorError> {
        match change {
            Change::KeepVariant {
                campaign_id,
                step,
                variant,
            } => {
                let path = format!("/api/v2/campaigns/{}", segment(campaign_id));
                let campaign = self.call(reqwest::Method::GET, &path, None).await?;
                let Some(sequences) = keep_only(&campaign, *step, *variant)? else {
                    return Ok("already so");
                };
                self.call(
                    reqwest::Method::PATCH,
                    &path,
                    Some(json!({ "sequences": sequences })),
                )
                .await?;
                Ok("variant kept")
            }
            Change::MarkClosed {
                campaign_id, email, ..
            } => {
                let body = json!({ "lead_email": email, "interest_value": NOT_INTERESTED,
                                   "campaign_id": campaign_id });
                self.call(
                    reqwest::Method::POST,
                    "/api/v2/leads/update-interest-status",
                    Some(body),
                )
                .await?;
                Ok("marked not interested")
            }
            Change::Nurture {
                campaign_id,
                email,
                to_campaign_id,
                ..
            } => {
                let body = json!({ "search": email, "campaign": campaign_id,
                                   "to_campaign_id": to_campaign_id });
                self.call(reqwest::Method::POST, "/api/v2/leads/move", Some(body))
                    .await?;
                Ok("moved to nurture")
            }
            Change::KeepTesting { .. } => Ok("kept testing"),
        }
    }

    /// One call; its JSON answer (`null` when it has none).
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ConnectorError> {
        let endpoint = format!("{method} {path}");
        let (name, value) = &self.header;
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header(name.as_str(), value.as_str());
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| {
            ConnectorError::retriable(format!(
                "the campaign provider did not answer {endpoint}: {}",
                without_url(&e, "the provider")
            ))
        })?;
        let status = resp.status();
        if status.as_u16() == 429 {
            return Err(rate_limited(rate_limit_wait(resp.headers(), DEFAULT_WAIT)));
        }
        if status.is_server_error() {
            return Err(ConnectorError::retriable(format!(
                "the campaign provider answered {endpoint} with HTTP {status}"
            )));
        }
        if matches!(status.as_u16(), 401 | 403) {
            return Err(ConnectorError::rejected(format!(
                "the campaign provider refused the API key for {endpoint} (HTTP {}); store a valid key for its host",
                status.as_u16()
            )));
        }
        if !status.is_success() {
            return Err(ConnectorError::rejected(format!(
                "the campaign provider answered {endpoint} with HTTP {}",
                status.as_u16()
            )));
        }
        let bytes = resp.bytes().await.map_err(|e| {
            ConnectorError::retriable(format!(
                "the campaign provider's answer to {endpoint} broke off: {}",
                without_url(&e, "the provider")
            ))
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            ConnectorError::rejected(format!(
                "the campaign provider's answer to {endpoint} is not JSON: {e}"
            ))
        })
    }
}

/// A lead's change, as their contact's activity says it: the lead's
/// address and the words; `None` for a change of the campaign itself.
fn lead_words(change: &Change) -> Option<(&str, String)> {
    let (Change::MarkClosed {
        email,
        campaign_id,
        campaign,
    }
    | Change::Nurture {
        email,
        campaign_id,
        campaign,
        ..
    }) = change
    else {
        return None;
    };
    let what = if matches!(change, Change::MarkClosed { .. }) {
        "Marked closed in {} (not interested)"
    } else {
        "Moved from {} to the nurture campaign"
    };
    let named = match campaign.trim() {
        "" => format!("campaign {campaign_id}"),
        name => format!("\u{201c}{name}\u{201d}"),
    };
    Some((email.as_str(), what.replace("{}", &named)))
}

/// An id as one path segment (nothing it holds can reach another path).
fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The campaign's `sequences` with every variant of `step` but `variant`
/// disabled; `None` when they already are. A campaign without that step or
/// variant is refused.
fn keep_only(campaign: &Value, step: i64, variant: i64) -> Result<Option<Value>, ConnectorError> {
    let missing = |what: String| {
        ConnectorError::rejected(format!(
            "the campaign has no {what} any more (edited since the check?); nothing was changed"
        ))
    };
    let mut sequences = campaign
        .get("sequences")
        .cloned()
        .filter(Value::is_array)
        .ok_or_else(|| missing("sequences".into()))?;
    let variants = usize::try_from(step)
        .ok()
        .and_then(|s| sequences.pointer_mut(&format!("/0/steps/{s}/variants")))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| missing(format!("step {}", step + 1)))?;
    let keep = usize::try_from(variant)
        .ok()
        .filter(|v| *v < variants.len())
        .ok_or_else(|| missing(format!("variant {} in step {}", variant + 1, step + 1)))?;
    let mut changed = false;
    for (i, v) in variants.iter_mut().enumerate() {
        let off = v.get("v_disabled") == Some(&Value::Bool(true));
        if i == keep && off {
            v["v_disabled"] = json!(false);
            changed = true;
        } else if i != keep && !off {
            v["v_disabled"] = json!(true);
            changed = true;
        }
    }
    Ok(changed.then_some(sequences))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> Value {
        json!({ "id": "c1", "sequences": [{ "steps": [{ "variants": [
            { "subject": "A" }, { "subject": "B" } ] }] }] })
    }

    #[test]
    fn a_leads_change_is_worded_for_their_activity_and_a_campaigns_is_not() {
        let closed = Change::MarkClosed {
            campaign_id: "c-1".into(),
            campaign: " Q1 SaaS Outreach ".into(),
            email: "tom@acme.example".into(),
        };
        assert_eq!(
            lead_words(&closed),
            Some((
                "tom@acme.example",
                "Marked closed in \u{201c}Q1 SaaS Outreach\u{201d} (not interested)".to_owned()
            ))
        );
        let nurtured = Change::Nurture {
            campaign_id: "c-1".into(),
            campaign: String::new(),
            email: "tom@acme.example".into(),
            to_campaign_id: "c-nurture".into(),
        };
        assert_eq!(
            lead_words(&nurtured).map(|w| w.1),
            Some("Moved from campaign c-1 to the nurture campaign".to_owned())
        );
        let kept = Change::KeepVariant {
            campaign_id: "c-1".into(),
            step: 0,
            variant: 1,
        };
        assert_eq!(lead_words(&kept), None);
    }

    #[test]
    fn keeping_a_variant_disables_the_others_once() {
        let once = keep_only(&campaign(), 0, 1).expect("ok").expect("changed");
        assert_eq!(once[0]["steps"][0]["variants"][0]["v_disabled"], true);
        assert_ne!(once[0]["steps"][0]["variants"][1]["v_disabled"], true);
        // A kept variant someone had switched off is switched on again.
        let mut off = campaign();
        off["sequences"][0]["steps"][0]["variants"][1]["v_disabled"] = json!(true);
        let on = keep_only(&off, 0, 1).expect("ok").expect("changed");
        assert_eq!(on[0]["steps"][0]["variants"][1]["v_disabled"], false);
        let twice = keep_only(&json!({ "sequences": once }), 0, 1).expect("ok");
        assert_eq!(twice, None, "already so: nothing to write");
    }

    #[test]
    fn a_step_or_variant_the_campaign_lacks_is_refused() {
        for (step, variant) in [(1, 0), (0, 2), (-1, 0), (0, -1)] {
            let e = keep_only(&campaign(), step, variant).expect_err("refused");
            assert!(e.to_string().contains("nothing was changed"), "{e}");
        }
        assert!(keep_only(&json!({}), 0, 0).is_err());
    }

    #[test]
    fn only_campaign_entities_land_here() {
        assert!(is_campaign(&json!({ "entity": "campaign" })));
        assert!(!is_campaign(&json!({ "entity": "deal" })));
        assert!(!is_campaign(&json!({ "do_not_contact": true })));
    }

    #[test]
    fn an_id_is_one_path_segment() {
        assert_eq!(segment("../a?x=1"), "%2E%2E%2Fa%3Fx%3D1");
    }
}
