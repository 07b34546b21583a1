//! A `crm_update` at its gate, as a table of field, before and after. The
//! before is what the skill saw (its payload's `previous`, for the field it
//! names), else the value CRM-lite holds now.

use super::super::job::deal_fields;
use crate::connectors::{crm_lite, proposal::money};
use crate::store::{Deal, DealChange, OrgId, Store, StoreError};
use maud::{Markup, html};
use serde_json::Value;

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
    evidence: Option<String>,
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
        evidence: payload["evidence"].as_str().map(str::to_owned),
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
        @if let Some(e) = &c.evidence { blockquote.evidence { "“" (e) "”" } }
    }
}
