//! The org's budget: the period a cost falls in, what a sequence is expected
//! to cost, what a call and an effect are charged, and the halt when the
//! budget is spent. A leaf: it reads prices and the ledger and writes
//! charges into a checkpoint, and imports nothing from the orchestrator's
//! higher files (no [`super::conductor::Orchestrator`]).

use super::config::Pricing;
use super::sequence::Sequence;
use crate::runtime::CallReport;
use crate::store::{
    Checkpoint, JobStatus, NewCharge, NewNotification, OrgId, Store, StoreError, Transition,
};

/// The message the spec asks for when a budget halts work.
const BUDGET_MESSAGE: &str =
    "AI budget limit reached. Pausing proactive workflows until next billing period.";

/// The budget period of `now`: its UTC month, `YYYY-MM`.
pub fn period(now_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(now_ms)
        .map(|t| t.strftime("%Y-%m").to_string())
        .unwrap_or_else(|_| "invalid".into())
}

/// The expected cost of running `seq` for `org`: each step's recent mean,
/// or the sequence's per-step estimate for a skill with no history.
pub(crate) async fn estimate(
    store: &Store,
    org: &OrgId,
    seq: &Sequence,
) -> Result<i64, StoreError> {
    let mut total = 0i64;
    for (skill, _) in seq.skills() {
        let mean = store.mean_step_cost(org, skill).await?;
        total = total.saturating_add(mean.unwrap_or(seq.step_estimate_micros));
    }
    Ok(total)
}

/// Whether `org` has spent its `limit` in the period of `now`.
pub(crate) async fn is_spent(
    store: &Store,
    org: &OrgId,
    limit: i64,
    now: i64,
) -> Result<bool, StoreError> {
    Ok(store.spent(org, &period(now)).await? >= limit)
}

/// Turn `cp` into the halt of a job whose org spent its `limit`: the job
/// ends `budget_exceeded` and the org is told once per period.
pub(crate) fn halt(cp: &mut Checkpoint, limit: i64) {
    let period = period(cp.now);
    cp.transition = Transition::Finish {
        status: JobStatus::BudgetExceeded,
        error: Some(format!(
            "the org's budget of ${:.2} for {period} is spent",
            limit as f64 / 1e6,
        )),
    };
    cp.notifications.push(NewNotification {
        kind: "budget_exceeded".into(),
        channel: "slack".into(),
        message: BUDGET_MESSAGE.into(),
        dedupe_key: Some(format!("budget_exceeded:{period}")),
    });
}

/// What `fuel` and LLM `tokens` (input, output) cost: each priced item
/// (`fuel`, `llm_input`, `llm_output`) with its quantity and amount.
fn priced(pricing: &Pricing, fuel: u64, tokens: (u64, u64)) -> Vec<(&'static str, u64, i64)> {
    let p = pricing;
    [
        ("fuel", fuel, p.fuel_per_billion, 1_000_000_000),
        ("llm_input", tokens.0, p.llm_input_per_million, 1_000_000),
        ("llm_output", tokens.1, p.llm_output_per_million, 1_000_000),
    ]
    .into_iter()
    .map(|(kind, quantity, price, per)| (kind, quantity, Pricing::charge(quantity, price, per)))
    .filter(|(_, _, amount)| *amount > 0)
    .collect()
}

/// Charge step `i`'s call for its fuel and tokens into `cp`; returns the total.
pub(crate) fn charge_call(
    pricing: &Pricing,
    cp: &mut Checkpoint,
    i: usize,
    report: &CallReport,
) -> i64 {
    let tokens = (report.llm_tokens.0, report.llm_tokens.1);
    let mut total = 0;
    for (kind, quantity, amount) in priced(pricing, report.fuel_used, tokens) {
        total += amount;
        cp.charges.push(NewCharge {
            period: period(cp.now),
            step_index: Some(i as i64),
            kind: kind.into(),
            quantity: i64::try_from(quantity).unwrap_or(i64::MAX),
            amount_micros: amount,
        });
    }
    total
}

/// The charges for LLM `tokens` (input, output) used outside a job at
/// `now` (no step).
pub(crate) fn llm_charges(pricing: &Pricing, tokens: (u64, u64), now: i64) -> Vec<NewCharge> {
    priced(pricing, 0, tokens)
        .into_iter()
        .map(|(kind, quantity, amount)| NewCharge {
            period: period(now),
            step_index: None,
            kind: kind.into(),
            quantity: i64::try_from(quantity).unwrap_or(i64::MAX),
            amount_micros: amount,
        })
        .collect()
}

/// Charge one effect queued by step `i` into `cp`, if effects are priced;
/// returns the amount (0 if not).
pub(crate) fn charge_effect(pricing: &Pricing, cp: &mut Checkpoint, i: usize) -> i64 {
    let price = pricing.per_effect;
    if price <= 0 {
        return 0;
    }
    cp.charges.push(NewCharge {
        period: period(cp.now),
        step_index: Some(i as i64),
        kind: "effect".into(),
        quantity: 1,
        amount_micros: price,
    });
    price
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_the_utc_month() {
        // 2026-03-31T23:30:00Z.
        assert_eq!(period(1_774_999_800_000), "2026-03");
        assert_eq!(period(i64::MAX), "invalid");
    }
}
