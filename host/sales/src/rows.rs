//! What a finished sales step writes with its checkpoint, in the same
//! transaction: a campaign check's figures (kept for the next day's
//! comparison) and a meeting's coaching analysis.

use super::{campaigns, coaching};
use crate::store::campaigns::day_row;
use crate::store::coaching::analysis_row;
use baton_engine::orchestrator::extension::Finished;
use baton_store::Row;

/// The rows `step` writes.
pub(super) fn of(step: &Finished<'_>) -> Vec<Row> {
    let mut rows: Vec<Row> = campaigns::days_of(step.event_type, step.skill, step.data)
        .iter()
        .map(|d| day_row(step.org_id, step.job_id, step.now, d))
        .collect();
    if step.skill == coaching::ANALYSER
        && let Some(c) = coaching::row(step.payload, step.data)
    {
        rows.push(analysis_row(
            step.org_id,
            step.user_id,
            step.job_id,
            step.now,
            &c,
        ));
    }
    rows
}
