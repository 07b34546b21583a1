//! What a finished sales step writes with its checkpoint, in the same
//! transaction: a campaign check's figures (kept for the next day's
//! comparison), a meeting's coaching analysis, and a drafted contract (a
//! new version of the deal's contract when it says something new).

use super::{campaigns, coaching};
use crate::documents::CONTRACT;
use crate::lifecycle::contract;
use crate::store::campaigns::day_row;
use crate::store::coaching::analysis_row;
use crate::store::{NewDraft, draft_rows};
use baton_engine::orchestrator::extension::Finished;
use baton_store::Row;
use baton_types::contract::ContractDoc;
use serde::Deserialize;

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
    rows.extend(contract_rows(step));
    rows
}

/// The skill that drafts a contract.
const DRAFTER: &str = "draft-contract";

/// A contract `draft-contract` drafted, for the deal the host's payload
/// names (a document naming another deal is not recorded).
fn contract_rows(step: &Finished<'_>) -> Vec<Row> {
    // The drafting step's output holds the contract; the sending step's
    // does not.
    if step.event_type != contract::EVENT
        || step.skill != DRAFTER
        || step.data.get("contract").is_none()
    {
        return Vec::new();
    }
    let Some(deal) = step.payload["deal_id"].as_str() else {
        return Vec::new();
    };
    let Ok(doc) = ContractDoc::deserialize(&step.data["contract"]) else {
        tracing::warn!(job = %step.job_id, "a contract draft that does not read as one; not recorded");
        return Vec::new();
    };
    if doc.deal_id != deal {
        tracing::warn!(job = %step.job_id, "a contract draft for another deal; not recorded");
        return Vec::new();
    }
    let Ok(json) = serde_json::to_string(&doc) else {
        return Vec::new();
    };
    let Some(terms) = contract::terms_digest(step.payload) else {
        return Vec::new();
    };
    let note = if doc.gaps.is_empty() {
        format!(
            "contract drafted from {}; nothing missing",
            doc.terms_source
        )
    } else {
        let mut missing: Vec<&str> = doc.gaps.iter().map(|g| g.fact.as_str()).collect();
        missing.dedup();
        format!(
            "contract drafted from {}; missing {}",
            doc.terms_source,
            missing.join(", ")
        )
    };
    draft_rows(
        step.org_id,
        step.job_id,
        step.now,
        &NewDraft {
            deal_id: deal,
            kind: CONTRACT,
            title: &doc.title,
            doc: &json,
            gaps: doc.gaps.len(),
            note: &note,
            terms: &terms,
        },
    )
}
