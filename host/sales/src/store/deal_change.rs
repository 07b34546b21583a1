//! One change an approved `crm_update` asks of a deal, read from the
//! skill's `field` and `value` (what `CrmTables::update_deal` writes).

use serde_json::Value;

/// One change an approved `crm_update` makes to a deal.
#[derive(Debug, Clone, PartialEq)]
pub enum DealChange {
    Stage(String),
    NextStep(String),
    /// `YYYY-MM-DD`.
    CloseDate(String),
    AmountCents(i64),
    Competitors(Vec<String>),
    Stakeholders(Vec<String>),
    Timeline(String),
    BudgetSignal(String),
}

impl DealChange {
    /// The deal field it sets, as a [`super::crm::Deal`] names it (and
    /// serialises it).
    pub fn column(&self) -> &'static str {
        match self {
            DealChange::Stage(_) => "stage",
            DealChange::NextStep(_) => "next_step",
            DealChange::CloseDate(_) => "close_date",
            DealChange::AmountCents(_) => "amount_cents",
            DealChange::Competitors(_) => "competitors",
            DealChange::Stakeholders(_) => "stakeholders",
            DealChange::Timeline(_) => "timeline",
            DealChange::BudgetSignal(_) => "budget_signal",
        }
    }

    /// The value it sets, as a [`super::crm::Deal`] serialises it.
    pub fn value(&self) -> Value {
        match self {
            DealChange::Stage(v)
            | DealChange::NextStep(v)
            | DealChange::CloseDate(v)
            | DealChange::Timeline(v)
            | DealChange::BudgetSignal(v) => Value::from(v.as_str()),
            DealChange::AmountCents(c) => Value::from(*c),
            DealChange::Competitors(n) | DealChange::Stakeholders(n) => Value::from(n.clone()),
        }
    }

    /// The change `field` = `value` names, or why it names none.
    pub fn parse(field: &str, value: &Value) -> Result<DealChange, String> {
        let text = || {
            value
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("`{field}` must be non-empty text"))
        };
        let names = || match value {
            Value::Array(a) => Ok(a
                .iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()),
            Value::String(s) => Ok(s
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()),
            _ => Err(format!("`{field}` must be a list of names")),
        };
        Ok(match field {
            "stage" => DealChange::Stage(text()?),
            "next_step" => DealChange::NextStep(text()?),
            "close_date" => {
                let d = text()?;
                if d.parse::<jiff::civil::Date>().is_err() {
                    return Err(format!("`close_date` must be YYYY-MM-DD, not `{d}`"));
                }
                DealChange::CloseDate(d)
            }
            "amount" => match value {
                Value::Number(n) => n
                    .as_f64()
                    .filter(|a| a.is_finite() && *a >= 0.0 && *a < 1e15)
                    .map(|a| DealChange::AmountCents((a * 100.0).round() as i64))
                    .ok_or_else(|| "`amount` must be a positive number".to_owned())?,
                _ => return Err("`amount` must be a number".into()),
            },
            "amount_cents" => DealChange::AmountCents(
                value
                    .as_i64()
                    .filter(|a| *a >= 0)
                    .ok_or_else(|| "`amount_cents` must be a positive integer".to_owned())?,
            ),
            "competitors" => DealChange::Competitors(names()?),
            "stakeholders" => DealChange::Stakeholders(names()?),
            "timeline" => DealChange::Timeline(text()?),
            "budget_signal" => DealChange::BudgetSignal(text()?),
            other => {
                return Err(format!(
                    "`{other}` is not a deal field CRM-lite keeps (stage, next_step, close_date, amount, \
                     competitors, stakeholders, timeline, budget_signal)"
                ));
            }
        })
    }
}
