//! CRM-lite, baton's own CRM, as the first place `crm_update` and
//! `task_create` effects land (always, whatever else is connected): a deal
//! field set to the approved value, a task recorded against its deal. Both
//! are idempotent, so an outbox redelivery changes nothing twice.
//!
//! A `crm_update` payload names its deal (`deal_id`, or `deal_name`) and
//! either one `field` with its `value`, or the fields themselves as keys
//! (`stage`, `next_step`, `close_date`, `amount`, …). An opt-out (an
//! `email` with `do_not_contact`) changes no deal: the policy applied it
//! when the skill proposed it.

use super::ConnectorError;
use crate::store::CrmTables;
use crate::store::{Deal, DealChange, Expected, Moved, NewTask};
use baton_store::{Effect, Store};
use serde_json::Value;

/// Deal fields a `crm_update` may carry as keys of its payload.
/// The deal fields a `crm_update` payload may set, by name.
pub const FIELDS: [&str; 9] = [
    "stage",
    "next_step",
    "close_date",
    "amount",
    "amount_cents",
    "competitors",
    "stakeholders",
    "timeline",
    "budget_signal",
];

/// What an approved `crm_update` changed in CRM-lite.
#[derive(Debug, Clone)]
pub struct Updated {
    /// The deal, as it is after the change.
    pub deal: Deal,
    pub changes: Vec<DealChange>,
    /// The quote the change rests on, when the skill gave one.
    pub evidence: Option<String>,
}

/// What an approved `task_create` recorded in CRM-lite.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub task_id: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// What was said that calls for it.
    pub quote: Option<String>,
    pub deal: Option<Deal>,
}

fn rejected(m: String) -> ConnectorError {
    ConnectorError::rejected(m)
}

/// The changes a `crm_update` payload asks for.
pub fn changes(p: &Value) -> Result<Vec<DealChange>, ConnectorError> {
    let bad = |m: String| rejected(format!("crm_update payload: {m}"));
    if let Some(field) = p.get("field") {
        let field = field
            .as_str()
            .ok_or_else(|| bad("`field` is not text".into()))?;
        let value = p
            .get("value")
            .ok_or_else(|| bad("`value` is missing".into()))?;
        return Ok(vec![DealChange::parse(field, value).map_err(bad)?]);
    }
    FIELDS
        .iter()
        .filter_map(|f| Some((*f, p.get(*f)?)))
        .map(|(f, v)| DealChange::parse(f, v).map_err(bad))
        .collect()
}

/// What each change's field held when it was drafted, where the payload
/// says (`previous`: beside one `field`, the value; beside the fields as
/// keys, an object of them). A field named by an alias (`amount`) is not
/// compared.
pub fn expected(p: &Value, changes: &[DealChange]) -> Vec<Expected> {
    let Some(previous) = p.get("previous") else {
        return Vec::new();
    };
    changes
        .iter()
        .filter_map(|c| {
            let column = c.column();
            let seen = match p.get("field").and_then(Value::as_str) {
                Some(field) if field == column => previous.clone(),
                Some(_) => return None,
                None => previous.get(column)?.clone(),
            };
            Some(Expected { column, seen })
        })
        .collect()
}

/// The refusal of a change whose field moved since it was drafted, in
/// `place` (`""` for CRM-lite, `" in HubSpot"`): nothing is changed.
pub fn conflict(deal: &str, place: &str, m: &Moved) -> ConnectorError {
    rejected(format!(
        "conflict: {deal}'s {}{place} is now {}, not {} as when this change was drafted; nothing was changed",
        m.column,
        shown(&m.now),
        shown(&m.seen)
    ))
}

/// A field's value as a person reads it in a conflict.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "empty".into(),
        Value::String(s) => format!("“{s}”"),
        Value::Array(a) if a.is_empty() => "empty".into(),
        Value::Array(a) => a
            .iter()
            .map(|n| n.as_str().map_or_else(|| n.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The deal a payload names, if it names one; a name CRM-lite does not
/// know is refused.
pub async fn named_deal(
    store: &Store,
    effect: &Effect,
    p: &Value,
) -> Result<Option<Deal>, ConnectorError> {
    let deal = match (p["deal_id"].as_str(), p["deal_name"].as_str()) {
        (Some(id), _) => store.deal(&effect.org_id, id).await?,
        (None, Some(name)) => store.deal_named(&effect.org_id, name).await?,
        (None, None) => return Ok(None),
    };
    match deal {
        Some(d) => Ok(Some(d)),
        None => Err(rejected(
            "the deal this update names is not in CRM-lite (deleted, or another org's)".into(),
        )),
    }
}

/// Apply an approved `crm_update`; `None` when it changes no deal (an
/// opt-out, which the policy applied when it was proposed).
pub async fn update(
    store: &Store,
    effect: &Effect,
    now: i64,
) -> Result<Option<Updated>, ConnectorError> {
    let p = &effect.payload["payload"];
    let changes = changes(p)?;
    let deal = named_deal(store, effect, p).await?;
    let Some(deal) = deal else {
        if changes.is_empty() {
            return Ok(None);
        }
        return Err(rejected(
            "crm_update payload: a deal field is changed but no deal is named (`deal_id`)".into(),
        ));
    };
    let expected = expected(p, &changes);
    let applied = store
        .update_deal_if(&effect.org_id, &deal.id, &changes, &expected, now)
        .await?;
    if let Err(m) = applied {
        return Err(conflict(&deal.name, "", &m));
    }
    let deal = store.deal(&effect.org_id, &deal.id).await?.unwrap_or(deal);
    Ok(Some(Updated {
        deal,
        changes,
        evidence: baton_types::evidence::Evidence::of(p).map(|e| e.quote),
    }))
}

/// Record an approved `task_create` (once per effect).
pub async fn task(store: &Store, effect: &Effect, now: i64) -> Result<Recorded, ConnectorError> {
    let p = &effect.payload["payload"];
    let title = p["title"]
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| rejected("task_create payload: `title` is missing".into()))?;
    let due_date = p["due_date"]
        .as_str()
        .filter(|d| d.parse::<jiff::civil::Date>().is_ok());
    // A task outlives a deal or contact deleted meanwhile: it is kept, unlinked.
    let deal = match named_deal(store, effect, p).await {
        Ok(d) => d,
        Err(ConnectorError::Rejected { .. }) => None,
        Err(e) => return Err(e),
    };
    let contact = match p["contact_id"].as_str() {
        Some(id) => store.contact(&effect.org_id, id).await?,
        None => None,
    };
    let task_id = store
        .insert_task(
            &effect.org_id,
            &NewTask {
                user: Some(&effect.user_id),
                deal_id: deal.as_ref().map(|d| d.id.as_str()),
                contact_id: contact.as_ref().map(|c| c.id.as_str()),
                title,
                due_date,
                source_key: &effect.idempotency_key,
                // What a skill says the task is for; words it may not say
                // leave the task for nothing in particular.
                about: serde_json::from_value(p["about"].clone()).ok(),
            },
            now,
        )
        .await?;
    Ok(Recorded {
        task_id,
        title: title.to_owned(),
        due_date: due_date.map(str::to_owned),
        quote: p["quote"].as_str().map(str::to_owned),
        deal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_expects_what_its_draft_saw_where_the_payload_says() {
        let one = json!({ "field": "stage", "value": "proposal", "previous": "discovery" });
        let c = changes(&one).expect("one");
        assert_eq!(
            expected(&one, &c),
            vec![Expected {
                column: "stage",
                seen: json!("discovery")
            }]
        );
        let unset = json!({ "field": "next_step", "value": "Call", "previous": null });
        let c = changes(&unset).expect("one");
        assert_eq!(
            expected(&unset, &c)[0].seen,
            Value::Null,
            "an unset field is expected unset"
        );
        let keys = json!({ "stage": "demo", "timeline": "Q1", "previous": { "stage": "lead" } });
        let c = changes(&keys).expect("two");
        assert_eq!(
            expected(&keys, &c),
            vec![Expected {
                column: "stage",
                seen: json!("lead")
            }],
            "a field without a previous value is not compared"
        );
        let alias = json!({ "field": "amount", "value": 12.5, "previous": 1000 });
        assert!(expected(&alias, &changes(&alias).expect("one")).is_empty());
        let none = json!({ "field": "stage", "value": "demo" });
        assert!(expected(&none, &changes(&none).expect("one")).is_empty());
    }

    #[test]
    fn an_update_names_one_field_or_several_and_bad_values_are_refused() {
        assert_eq!(
            changes(&json!({ "deal_id": "d", "field": "next_step", "value": "Send the quote" }))
                .expect("one"),
            vec![DealChange::NextStep("Send the quote".into())]
        );
        assert_eq!(
            changes(&json!({ "deal_id": "d", "stage": "proposal", "amount": 1250.5 }))
                .expect("two"),
            vec![
                DealChange::Stage("proposal".into()),
                DealChange::AmountCents(125_050)
            ]
        );
        assert_eq!(
            changes(&json!({ "field": "competitors", "value": ["Globex", " "] })).expect("names"),
            vec![DealChange::Competitors(vec!["Globex".into()])]
        );
        assert!(
            changes(&json!({ "email": "a@b.example", "do_not_contact": true }))
                .expect("none")
                .is_empty()
        );
        for (p, problem) in [
            (
                json!({ "field": "close_date", "value": "next week" }),
                "YYYY-MM-DD",
            ),
            (
                json!({ "field": "colour", "value": "red" }),
                "not a deal field",
            ),
            (json!({ "field": "amount", "value": "lots" }), "number"),
            (json!({ "field": "stage" }), "value"),
        ] {
            let e = changes(&p).expect_err("refused");
            assert!(e.to_string().contains(problem), "{e}");
            assert!(!e.is_retriable());
        }
    }
}
