//! HubSpot's CRM v3 API (<https://developers.hubspot.com/docs/api/crm>) with
//! a private app token: the same change an approved `crm_update` makes in
//! CRM-lite, on the HubSpot deal of the same name (`deals/search`, then
//! `PATCH deals/{id}`: `dealstage`, `hs_next_step`, `closedate`, `amount`),
//! what has no deal property (competitors, stakeholders, timeline, budget)
//! as a note on the deal, and tasks as HubSpot tasks on the deal. Before
//! a change is written anywhere, the HubSpot deal is read (`GET
//! deals/{id}`): a field that moved there since the change was drafted
//! refuses it ([`HubSpot::moved`]).
//!
//! Redelivery creates nothing twice: a PATCH sets the same values again,
//! and the id of each note or task an effect creates is recorded in the
//! store (`hubspot_objects`) as soon as HubSpot answers, before the effect
//! is marked sent, so delivering it again updates that object. HubSpot's
//! search lags its writes by seconds, so it is only the fallback: each
//! note or task also carries `baton-ref <uid>` (the effect's
//! [`effect_uid`](super::imip::effect_uid)) in its body, searched for
//! (`CONTAINS_TOKEN`) when no id is recorded. A 429 becomes
//! [`ConnectorError::RateLimited`] with the wait HubSpot asked for
//! (`Retry-After`, or its `X-HubSpot-RateLimit-*` window), which the outbox
//! waits out; a 401 is final until the operator reconnects HubSpot.

use super::ConnectorError;
use super::crm_lite::{Recorded, Updated};
use super::http::{base_url, client, rate_limit_wait, rate_limited, without_url};
use crate::store::{DealChange, Expected, HubSpotTables, Moved};
use crate::trial::Trial;
use baton_store::{OrgId, Store};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// HubSpot-defined association types (v4 `associationTypeId`s).
const NOTE_TO_DEAL: u32 = 214;
const TASK_TO_DEAL: u32 = 216;
/// Waited after a 429 that says nothing of when to come back (HubSpot's
/// rolling window is ten seconds).
const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// A HubSpot portal, reached with the org's private app token.
#[derive(Clone)]
pub struct HubSpot {
    base: String,
    token: String,
    /// CRM-lite stage → HubSpot `dealstage` id, from the account's settings
    /// (`{"stages": {...}}`), over the default pipeline's.
    stages: Map<String, Value>,
    client: reqwest::Client,
    /// Where the objects effects create are recorded, and for which org.
    ledger: Option<(Store, OrgId)>,
}

impl std::fmt::Debug for HubSpot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("HubSpot").field("base", &self.base).finish()
    }
}

/// HubSpot's default sales pipeline for CRM-lite's stages.
fn default_stage(stage: &str) -> &str {
    match stage {
        "lead" | "discovery" => "appointmentscheduled",
        "qualification" => "qualifiedtobuy",
        "demo" => "presentationscheduled",
        "proposal" => "decisionmakerboughtin",
        "negotiation" => "contractsent",
        "closed_won" => "closedwon",
        "closed_lost" => "closedlost",
        other => other,
    }
}

/// The HubSpot deal property a CRM-lite field is, when it is one.
fn property(column: &str) -> Option<&'static str> {
    Some(match column {
        "stage" => "dealstage",
        "next_step" => "hs_next_step",
        "close_date" => "closedate",
        "amount_cents" => "amount",
        _ => return None,
    })
}

/// The marker a note or task body carries to be found again.
fn marker(uid: &str) -> String {
    format!("baton-ref {uid}")
}

impl HubSpot {
    /// A client for the API at `base` (`https://api.hubapi.com`), with the
    /// account's token and settings.
    pub fn new(base: &str, token: &str, settings: &Value) -> Result<HubSpot, ConnectorError> {
        if token.trim().is_empty() {
            return Err(ConnectorError::config(
                "the HubSpot account has no token: connect HubSpot again",
            ));
        }
        Ok(HubSpot {
            base: base_url(base, "HubSpot API URL")?,
            token: token.trim().to_owned(),
            stages: settings["stages"].as_object().cloned().unwrap_or_default(),
            client: client()?,
            ledger: None,
        })
    }

    /// Try the token before it is stored, with a read baton needs anyway
    /// (`GET crm/v3/objects/deals?limit=1`): a 401 is a token HubSpot does
    /// not know, a 403 one without the deals scope.
    pub async fn check_token(&self) -> Result<(), Trial> {
        let r = self
            .client
            .get(format!("{}/crm/v3/objects/deals?limit=1", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| {
                Trial::Unreachable(format!(
                    "HubSpot could not be reached: {}",
                    without_url(&e, "HubSpot")
                ))
            })?;
        let refused = |why: &str| {
            Err(Trial::Refused {
                field: "token",
                why: why.to_owned(),
            })
        };
        match r.status().as_u16() {
            200..=299 => Ok(()),
            401 => refused(
                "HubSpot refused the token (401): copy the private app's access token again",
            ),
            403 => refused(
                "HubSpot refused the token for deals (403): give the private app the crm.objects.deals read and write scopes",
            ),
            // Rate limited or HubSpot's own trouble: the token is not
            // known bad, but it could not be tried either.
            s => Err(Trial::Unreachable(format!(
                "HubSpot answered {s} to the token check: try again shortly"
            ))),
        }
    }

    /// This client, recording in `store` which notes and tasks `org`'s
    /// effects create, so a redelivery updates them (see
    /// [`HubSpot::create_once`]).
    pub fn remembering(mut self, store: Store, org: OrgId) -> HubSpot {
        self.ledger = Some((store, org));
        self
    }

    /// One call; HubSpot's answer as JSON, or the error that says what to
    /// do about it.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, ConnectorError> {
        self.request(method, path, body, false)
            .await
            .map(Option::unwrap_or_default)
    }

    /// [`HubSpot::call`]; with `gone_is_none`, a 404 (the object was
    /// deleted in HubSpot) is `None` rather than an error.
    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        gone_is_none: bool,
    ) -> Result<Option<Value>, ConnectorError> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if !body.is_null() {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            ConnectorError::retriable(format!(
                "HubSpot unreachable: {}",
                without_url(&e, "<hubspot>")
            ))
        })?;
        let status = response.status();
        if status.as_u16() == 429 {
            return Err(rate_limited(rate_limit_wait(
                response.headers(),
                DEFAULT_WAIT,
            )));
        }
        if gone_is_none && status.as_u16() == 404 {
            return Ok(None);
        }
        let answer = baton_engine::wire::json(response).await;
        if status.is_success() {
            return answer
                .map(Some)
                .map_err(|e| ConnectorError::retriable_by("HubSpot", e));
        }
        let answer = answer.unwrap_or(Value::Null);
        let message = answer["message"].as_str().unwrap_or("no message");
        let category = answer["category"].as_str().unwrap_or("");
        Err(match status.as_u16() {
            401 => ConnectorError::Unauthorized(format!(
                "HubSpot refused the token (401 {category}): reconnect HubSpot with a valid private app token"
            )),
            403 => ConnectorError::rejected(format!(
                "HubSpot refused access (403 {category}): the private app needs the crm.objects.deals.write scope; {message}"
            )),
            s if status.is_server_error() || s == 408 => {
                ConnectorError::retriable(format!("HubSpot answered {status}"))
            }
            _ => ConnectorError::rejected(format!(
                "HubSpot refused the change ({status} {category}): {message}"
            )),
        })
    }

    async fn search(
        &self,
        object: &str,
        property: &str,
        operator: &str,
        value: &str,
    ) -> Result<Option<String>, ConnectorError> {
        let body = json!({
            "filterGroups": [{ "filters": [{ "propertyName": property, "operator": operator, "value": value }] }],
            "properties": [property],
            "limit": 1,
        });
        let found = self
            .call(
                reqwest::Method::POST,
                &format!("/crm/v3/objects/{object}/search"),
                &body,
            )
            .await?;
        Ok(found["results"][0]["id"].as_str().map(str::to_owned))
    }

    /// Whether the HubSpot deal named `name` still holds what `changes`
    /// were drafted against (`expected`, in CRM-lite's terms), read before
    /// anything is written (`GET deals/{id}`): the first field that holds
    /// neither that nor the change's own value. Fields HubSpot keeps as a
    /// note (competitors, …) are not compared.
    pub async fn moved(
        &self,
        name: &str,
        changes: &[DealChange],
        expected: &[Expected],
    ) -> Result<Option<Moved>, ConnectorError> {
        let compared: Vec<(&Expected, &str)> = expected
            .iter()
            .filter_map(|e| Some((e, property(e.column)?)))
            .collect();
        if compared.is_empty() {
            return Ok(None);
        }
        let deal = self.deal_id(name).await?;
        let properties: Vec<&str> = compared.iter().map(|(_, p)| *p).collect();
        let found = self
            .call(
                reqwest::Method::GET,
                &format!(
                    "/crm/v3/objects/deals/{deal}?properties={}",
                    properties.join(",")
                ),
                &Value::Null,
            )
            .await?;
        for (e, property) in compared {
            let now = &found["properties"][property];
            let held = self.normal(e.column, now);
            let set = changes
                .iter()
                .find(|c| c.column() == e.column)
                .map(|c| self.normal(e.column, &c.value()));
            if held != self.normal(e.column, &e.seen) && set.is_none_or(|s| s != held) {
                return Ok(Some(Moved {
                    column: e.column,
                    seen: e.seen.clone(),
                    now: now.clone(),
                }));
            }
        }
        Ok(None)
    }

    /// A deal field's value as HubSpot keeps it, to compare: a stage as its
    /// `dealstage` id, a date as its day, an amount in cents; empty as
    /// `None`.
    fn normal(&self, column: &str, v: &Value) -> Option<String> {
        let text = match v {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        if text.is_empty() {
            return None;
        }
        Some(match column {
            "stage" => self
                .stages
                .get(&text)
                .and_then(Value::as_str)
                .unwrap_or(default_stage(&text))
                .to_owned(),
            "close_date" => text.chars().take(10).collect(),
            "amount_cents" => {
                // CRM-lite's cents, HubSpot's amount in units.
                let cents = match v {
                    Value::Number(n) => n.as_f64(),
                    _ => text.parse::<f64>().ok().map(|a| a * 100.0),
                };
                return cents.map(|c| format!("{}", c.round() as i64));
            }
            _ => text,
        })
    }

    /// The id of the HubSpot deal named `name`.
    async fn deal_id(&self, name: &str) -> Result<String, ConnectorError> {
        self.search("deals", "dealname", "EQ", name)
            .await?
            .ok_or_else(|| {
                ConnectorError::rejected(format!(
                    "HubSpot has no deal named `{name}`: create it there (or rename it to match CRM-lite)"
                ))
            })
    }

    /// Create a note or task on `deal` once per `uid`; returns its id.
    /// One this effect created before (its id recorded in the store) is
    /// updated instead, or left alone if it was deleted in HubSpot since;
    /// without a record (one made before records were kept, or an
    /// unremembered client), one carrying `uid`'s marker is looked for.
    async fn create_once(
        &self,
        object: &str,
        body_property: &str,
        uid: &str,
        mut properties: Map<String, Value>,
        deal: &str,
        association: u32,
    ) -> Result<String, ConnectorError> {
        let mark = marker(uid);
        let text = properties
            .get(body_property)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        properties.insert(body_property.into(), json!(format!("{text}\n\n{mark}")));
        let known = match &self.ledger {
            Some((store, org)) => store.hubspot_object(org, uid, object).await?,
            None => None,
        };
        if let Some(id) = known {
            self.request(
                reqwest::Method::PATCH,
                &format!("/crm/v3/objects/{object}/{id}"),
                &json!({ "properties": properties }),
                true,
            )
            .await?;
            return Ok(id);
        }
        if let Some(id) = self
            .search(object, body_property, "CONTAINS_TOKEN", uid)
            .await?
        {
            self.remember(object, uid, &id).await?;
            return Ok(id);
        }
        let body = json!({
            "properties": properties,
            "associations": [{ "to": { "id": deal },
                "types": [{ "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": association }] }],
        });
        let made = self
            .call(
                reqwest::Method::POST,
                &format!("/crm/v3/objects/{object}"),
                &body,
            )
            .await?;
        let id = made["id"].as_str().unwrap_or_default().to_owned();
        self.remember(object, uid, &id).await?;
        Ok(id)
    }

    /// Record that the effect with `uid` made `object` `id`, before the
    /// effect is marked sent (a passing database error is tried again for
    /// a few seconds: a record lost here is a second object on the next
    /// delivery).
    async fn remember(&self, object: &str, uid: &str, id: &str) -> Result<(), ConnectorError> {
        let Some((store, org)) = &self.ledger else {
            return Ok(());
        };
        if id.is_empty() {
            return Ok(());
        }
        baton_store::retry_transient(Duration::from_secs(5), || {
            store.record_hubspot_object(org, uid, object, id, baton_store::now_ms())
        })
        .await?;
        Ok(())
    }

    /// Carry an approved deal update to HubSpot.
    pub async fn update(
        &self,
        updated: &Updated,
        uid: &str,
        now_ms: i64,
    ) -> Result<(), ConnectorError> {
        let deal = self.deal_id(&updated.deal.name).await?;
        let mut properties = Map::new();
        let mut noted = Vec::new();
        for change in &updated.changes {
            match change {
                DealChange::Stage(s) => {
                    let id = self
                        .stages
                        .get(s)
                        .and_then(Value::as_str)
                        .unwrap_or(default_stage(s));
                    properties.insert("dealstage".into(), json!(id));
                }
                DealChange::NextStep(s) => {
                    properties.insert("hs_next_step".into(), json!(s));
                }
                DealChange::CloseDate(d) => {
                    properties.insert("closedate".into(), json!(d));
                }
                DealChange::AmountCents(c) => {
                    properties.insert(
                        "amount".into(),
                        json!(format!("{}.{:02}", c / 100, c % 100)),
                    );
                }
                DealChange::Competitors(n) => noted.push(format!("Competitors: {}", n.join(", "))),
                DealChange::Stakeholders(n) => {
                    noted.push(format!("Stakeholders: {}", n.join(", ")))
                }
                DealChange::Timeline(t) => noted.push(format!("Timeline: {t}")),
                DealChange::BudgetSignal(b) => noted.push(format!("Budget signal: {b}")),
            }
        }
        if !properties.is_empty() {
            self.call(
                reqwest::Method::PATCH,
                &format!("/crm/v3/objects/deals/{deal}"),
                &json!({ "properties": properties }),
            )
            .await?;
        }
        if !noted.is_empty() {
            let mut text = format!("From the meeting: {}", noted.join("; "));
            if let Some(q) = &updated.evidence {
                text.push_str(&format!("\n\u{201c}{q}\u{201d}"));
            }
            self.note_on(&deal, &text, uid, now_ms).await?;
        }
        Ok(())
    }

    /// A note `text` on the HubSpot deal named `deal`, once per `uid`.
    pub async fn note(
        &self,
        deal: &str,
        text: &str,
        uid: &str,
        now_ms: i64,
    ) -> Result<(), ConnectorError> {
        let deal = self.deal_id(deal).await?;
        self.note_on(&deal, text, uid, now_ms).await
    }

    /// A note `text` on the HubSpot deal with id `deal`, once per `uid`.
    async fn note_on(
        &self,
        deal: &str,
        text: &str,
        uid: &str,
        now_ms: i64,
    ) -> Result<(), ConnectorError> {
        let mut note = Map::new();
        note.insert("hs_timestamp".into(), json!(now_ms.to_string()));
        note.insert("hs_note_body".into(), json!(text));
        self.create_once("notes", "hs_note_body", uid, note, deal, NOTE_TO_DEAL)
            .await
            .map(drop)
    }

    /// Carry an approved task to HubSpot, on its deal. A task on no deal
    /// stays in CRM-lite only.
    pub async fn task(
        &self,
        task: &Recorded,
        uid: &str,
        now_ms: i64,
    ) -> Result<(), ConnectorError> {
        let Some(deal) = &task.deal else {
            return Ok(());
        };
        let deal = self.deal_id(&deal.name).await?;
        let due = task
            .due_date
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map_or(now_ms, |z| z.timestamp().as_millisecond());
        let mut properties = Map::new();
        properties.insert("hs_timestamp".into(), json!(due.to_string()));
        properties.insert("hs_task_subject".into(), json!(task.title));
        properties.insert("hs_task_status".into(), json!("NOT_STARTED"));
        properties.insert("hs_task_type".into(), json!("TODO"));
        properties.insert(
            "hs_task_body".into(),
            json!(
                task.quote
                    .as_deref()
                    .map(|q| format!("\u{201c}{q}\u{201d}"))
                    .unwrap_or_default()
            ),
        );
        self.create_once(
            "tasks",
            "hs_task_body",
            uid,
            properties,
            &deal,
            TASK_TO_DEAL,
        )
        .await
        .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_map_to_the_default_pipeline_unless_the_account_says_otherwise() {
        assert_eq!(default_stage("proposal"), "decisionmakerboughtin");
        assert_eq!(default_stage("closed_won"), "closedwon");
        assert_eq!(default_stage("custom-stage-7"), "custom-stage-7");
        let h = HubSpot::new(
            "http://127.0.0.1:1",
            "pat-1",
            &json!({ "stages": { "proposal": "1234" } }),
        )
        .expect("client");
        assert_eq!(h.stages["proposal"], "1234");
        assert!(!format!("{h:?}").contains("pat-1"));
        assert!(matches!(
            HubSpot::new("http://x", " ", &json!({})),
            Err(ConnectorError::Config { .. })
        ));
    }
}
