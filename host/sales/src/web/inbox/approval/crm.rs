//! A `crm_update` at its gate, as a table of field, before and after. The
//! before is what the skill saw (its payload's `previous`, for the field it
//! names), else the value CRM-lite holds now.

use super::super::job::deal_fields;
use crate::connectors::crm_lite;
use crate::web::store::CrmTables;
use crate::web::store::{Deal, DealChange, OrgId, Store, StoreError};
use baton_types::evidence::Evidence;
use baton_types::money::money;
use maud::{Markup, html};
use serde_json::Value;
use serde_json::json;

/// One changed field.
struct Row {
    label: &'static str,
    before: Option<String>,
    after: String,
}

/// What one `crm_update` changes, read before drawing.
pub(super) struct Change {
    deal: Option<String>,
    rows: Vec<Row>,
    evidence: Option<Evidence>,
    /// Why the payload cannot be read as changes, when it cannot.
    problem: Option<String>,
}

/// The deal field a change sets, and its new value in words.
fn after(change: &DealChange, currency: &str) -> (&'static str, String) {
    match change {
        DealChange::Stage(s) => ("stage", s.clone()),
        DealChange::NextStep(s) => ("next_step", s.clone()),
        DealChange::CloseDate(s) => ("close_date", s.clone()),
        DealChange::AmountCents(c) => ("amount", money(*c, currency)),
        DealChange::Competitors(n) => ("competitors", n.join(", ")),
        DealChange::Stakeholders(n) => ("stakeholders", n.join(", ")),
        DealChange::Timeline(s) => ("timeline", s.clone()),
        DealChange::BudgetSignal(s) => ("budget_signal", s.clone()),
    }
}

/// A payload value in words (`None` for nothing).
fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(
            a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .filter(|s| !s.is_empty()),
        other => Some(other.to_string()),
    }
}

/// Read what `payload` changes, with the deal it names as CRM-lite has it.
pub(super) async fn read(
    store: &Store,
    org: &OrgId,
    payload: &Value,
) -> Result<Change, StoreError> {
    let deal: Option<Deal> = match (payload["deal_id"].as_str(), payload["deal_name"].as_str()) {
        (Some(id), _) => store.deal(org, id).await?,
        (None, Some(name)) => store.deal_named(org, name).await?,
        (None, None) => None,
    };
    let changes = match crm_lite::changes(payload) {
        Ok(c) => c,
        Err(e) => {
            return Ok(Change {
                deal: deal.map(|d| d.name),
                rows: Vec::new(),
                evidence: None,
                problem: Some(e.to_string()),
            });
        }
    };
    let currency = deal.as_ref().map_or("USD", |d| d.currency.as_str());
    let current = deal.as_ref().map(deal_fields);
    let rows = changes
        .iter()
        .map(|c| {
            let (field, after) = after(c, currency);
            let known = current
                .as_ref()
                .and_then(|f| f.iter().find(|(name, _, _)| *name == field));
            let previous = (payload["field"].as_str() == Some(field))
                .then(|| shown(&payload["previous"]))
                .flatten();
            Row {
                label: known.map_or(field, |(_, label, _)| label),
                before: previous.or_else(|| known.and_then(|(_, _, v)| v.clone())),
                after,
            }
        })
        .collect();
    Ok(Change {
        deal: deal
            .map(|d| d.name)
            .or_else(|| payload["deal_name"].as_str().map(str::to_owned)),
        rows,
        evidence: Evidence::of(payload),
        problem: None,
    })
}

/// The change as a table: field, before, after; with the words it rests on.
pub(super) fn view(c: &Change) -> Markup {
    html! {
        @if let Some(d) = &c.deal { p.deal { "Deal: " strong { (d) } } }
        @if let Some(p) = &c.problem { p.error { (p) } }
        @if !c.rows.is_empty() {
            table.crm-change {
                tr { th scope="col" { "Field" } th scope="col" { "Before" } th scope="col" { "After" } }
                @for r in &c.rows {
                    tr {
                        th scope="row" { (r.label) }
                        td.before { (r.before.as_deref().unwrap_or("—")) }
                        td.after { strong { (r.after) } }
                    }
                }
            }
        }
        @if let Some(e) = &c.evidence { (super::super::trigger_view::evidence_markup(e)) }
    }
}

/// The fields an edit of `payload` may change, each with its form name and
/// its proposed value as text: the one `field` it sets (`crm.value`), or
/// every deal field it carries (`crm.<field>`).
fn editable(payload: &Value) -> Vec<(String, String, String)> {
    let text = |v: &Value| shown(v).unwrap_or_default();
    if let Some(field) = payload["field"].as_str() {
        return vec![(
            field.to_owned(),
            "crm.value".into(),
            text(&payload["value"]),
        )];
    }
    crm_lite::FIELDS
        .iter()
        .filter(|f| !payload[**f].is_null())
        .map(|f| ((*f).to_owned(), format!("crm.{f}"), text(&payload[*f])))
        .collect()
}

/// The edit form of a `crm_update`: one text field per value it sets
/// (lists comma-separated), labelled as the table is.
pub(super) fn edit_fields(payload: &Value) -> Markup {
    html! {
        @for (field, name, value) in editable(payload) {
            label for=(name) { (crate::words::field_words(&field)) }
            input id=(name) type="text" name=(name) value=(value);
        }
    }
}

/// The edited `crm_update` from the posted fields; a value CRM-lite would
/// refuse is refused here, with its reason.
pub(super) fn edited(
    payload: &Value,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, String> {
    let mut p = payload.clone();
    for (field, name, _) in editable(payload) {
        let Some(posted) = get(&name) else { continue };
        let posted = posted.trim();
        let value =
            match field.as_str() {
                "competitors" | "stakeholders" => json!(
                    posted
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                ),
                "amount_cents" => json!(posted.parse::<i64>().map_err(|_| format!(
                    "the amount in cents is not a whole number: `{posted}`"
                ))?),
                _ => json!(posted),
            };
        match name.as_str() {
            "crm.value" => p["value"] = value,
            _ => p[field.as_str()] = value,
        }
    }
    crm_lite::changes(&p).map_err(|e| e.to_string())?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::{edit_fields, edited};
    use serde_json::json;

    #[test]
    fn a_crm_change_is_edited_field_by_field_and_checked() {
        let p = json!({ "deal_id": "d1", "stage": "proposal", "competitors": ["Globex"],
                        "evidence": "We should talk pricing." });
        let form = edit_fields(&p).into_string();
        assert!(
            form.contains("name=\"crm.stage\"") && form.contains("value=\"Globex\""),
            "{form}"
        );
        assert!(!form.contains("d1"), "no id to edit: {form}");
        let posted = |k: &str| match k {
            "crm.stage" => Some("negotiation".to_owned()),
            "crm.competitors" => Some("Globex, Initech ,".to_owned()),
            _ => None,
        };
        let e = edited(&p, &posted).expect("edited");
        assert_eq!(e["stage"], "negotiation");
        assert_eq!(e["competitors"], json!(["Globex", "Initech"]));
        assert_eq!(e["deal_id"], "d1");
        let priced = json!({ "deal_id": "d1", "amount_cents": 120000 });
        let bad = |k: &str| (k == "crm.amount_cents").then(|| "a lot".to_owned());
        let why = edited(&priced, &bad).expect_err("not a number");
        assert!(why.contains("a lot"), "{why}");
        let one = json!({ "deal_id": "d1", "field": "close_date", "value": "2026-12-01" });
        let e = edited(&one, &|k| {
            (k == "crm.value").then(|| "2026-12-15".to_owned())
        })
        .expect("edited");
        assert_eq!(e["value"], "2026-12-15");
    }
}
