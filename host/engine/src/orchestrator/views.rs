//! How a job is shown, the same to the CLI, the API and the inbox: its row,
//! the spec's execution metadata, and the step timeline.

use super::state::JobState;
use crate::store::{Job, JobId, OrgId, Store, StoreError};
use serde_json::{Value, json};

/// A job's row, state and execution metadata.
pub fn job_summary(j: &Job) -> Value {
    let state: JobState = serde_json::from_value(j.state.clone()).unwrap_or_default();
    json!({
        "id": j.id,
        "event_type": j.event_type,
        "event_source": j.event_source,
        "status": j.status,
        "current_step": j.current_step,
        "chain_depth": j.chain_depth,
        "parent_job_id": j.parent_job_id,
        "sequence_version": j.sequence_version,
        "idempotency_key": j.idempotency_key,
        "scheduled_at": j.scheduled_at,
        "created_at": j.created_at,
        "finished_at": j.finished_at,
        "error": j.error,
        "steps": state.steps,
        "execution": execution(j, &state),
    })
}

/// The spec's execution metadata for a job.
fn execution(j: &Job, state: &JobState) -> Value {
    let m = &state.meta;
    json!({
        "sequence_job_id": j.id,
        "event_type": j.event_type,
        "event_source": j.event_source,
        "steps_attempted": m.steps_attempted,
        "steps_completed": m.steps_completed,
        "steps_failed": m.steps_failed,
        "steps_skipped": m.steps_skipped,
        "approval_gates_hit": m.approval_gates_hit,
        "followups_queued": m.followups_queued,
        "followups_dropped": m.followups_dropped,
        "withheld": m.withheld,
        "total_duration_ms": j.finished_at.map(|f| f - j.created_at),
        "run_ms": m.run_ms,
        "fuel": m.fuel,
        "total_cost_micros": m.cost_micros,
        "chain_depth": j.chain_depth,
    })
}

/// A job with its step timeline (skill versions, fuel, cost), the
/// capabilities its skills were denied, gates, follow-ups and effects;
/// `None` if `org` has no such job.
pub async fn job_view(store: &Store, org: &OrgId, id: &JobId) -> Result<Option<Value>, StoreError> {
    let Some(job) = store.job(org, id).await? else {
        return Ok(None);
    };
    let runs = store.step_runs(org, id).await?;
    let denials = store.denials(org, id).await?;
    let gates = store.job_actions(org, id).await?;
    let children = store.children(org, id).await?;
    let effects = store.effects(org, Some(id), 1000).await?;
    let mut view = job_summary(&job);
    view["step_runs"] = serde_json::to_value(&runs).unwrap_or_default();
    view["denials"] = serde_json::to_value(&denials).unwrap_or_default();
    view["approvals"] = gates
        .iter()
        .map(|g| {
            json!({
                "id": g.id, "step": g.step_name, "pattern": g.pattern, "title": g.title,
                "status": g.status, "expires_at": g.expires_at,
            })
        })
        .collect();
    view["children"] = json!(children);
    view["effects"] = serde_json::to_value(&effects).unwrap_or_default();
    // What the event carried by reference and was erased since: its
    // tombstone, in place of the words.
    let mut erased = Vec::new();
    for a in crate::attachments::referenced(&job.payload) {
        if let Some(found) = store.attachment(org, a).await?
            && let crate::store::Content::Erased(t) = &found.content
        {
            erased.push(json!({
                "attachment": a, "kind": found.kind,
                "erased": crate::attachments::erased_words(t),
                "erased_at": t.erased_at, "erased_by": t.erased_by, "why": t.why,
            }));
        }
    }
    if !erased.is_empty() {
        view["erased"] = Value::Array(erased);
    }
    Ok(Some(view))
}
