//! Resume a parked step: apply the decisions people made at its gates.
//! A superseded gate skips the step; an expired gate follows the step's
//! `on_expiry`; a cancel ends the job; a
//! skill's own gates rerun the call with the decisions; a step gate meets
//! its held output (approved, edited, chosen, trimmed or skipped). Reads the
//! gates and held outputs; writes only the stage's state and checkpoint.

use super::record::{Stage, Turn, attempts, blank_run, skip};
use crate::orchestrator::conductor::{Orchestrator, OrchestratorError};
use crate::orchestrator::sequence::OnExpiry;
use crate::runtime::{Decision, SkillOutput};
use crate::store::{GateKind, GateStatus, NewStepRun, PendingAction, StepRunStatus, StoreError};
use std::collections::BTreeMap;

/// What the decisions on a parked step come to.
pub(super) enum Resolved {
    /// The step's turn is settled.
    Turn(Turn),
    /// Call the skill again, handing it these decisions by gate key.
    Rerun(BTreeMap<String, Decision>),
}

impl Orchestrator {
    /// Apply the decisions on parked step `i`, whose gates are `gates`.
    pub(super) async fn resolve(
        &self,
        st: &mut Stage<'_>,
        i: usize,
        gates: &[&PendingAction],
    ) -> Result<Resolved, OrchestratorError> {
        let seq = st.seq;
        let step = &seq.steps[i];
        if gates.is_empty() || gates.iter().any(|g| g.status == GateStatus::Open) {
            return Ok(Resolved::Turn(Turn::Park));
        }
        // Withdrawn because what it was based on moved on: nothing it
        // proposed goes out, whatever the step's on_expiry.
        if let Some(g) = gates.iter().find(|g| g.status == GateStatus::Superseded) {
            let attempt = attempts(st, i);
            let why = g.decision_note.as_deref().unwrap_or("its inputs moved on");
            return Ok(Resolved::Turn(skip(
                st,
                i,
                attempt,
                &format!("superseded: {why}"),
            )));
        }
        // Expired first: the step's on_expiry decides.
        if gates.iter().any(|g| g.status == GateStatus::Expired) {
            return Ok(Resolved::Turn(match step.on_expiry {
                OnExpiry::Skip => {
                    let attempt = attempts(st, i);
                    skip(st, i, attempt, "approval expired")
                }
                OnExpiry::Cancel => Turn::Cancel(format!(
                    "the approval for step `{}` expired unanswered",
                    step.name
                )),
            }));
        }
        let mut decisions = BTreeMap::new();
        for g in gates {
            let d: Decision = match g.decision.clone().map(serde_json::from_value) {
                Some(Ok(d)) => d,
                _ => {
                    return Err(OrchestratorError::Store(StoreError::Corrupt(format!(
                        "approval {} has no valid decision",
                        g.id
                    ))));
                }
            };
            if d == Decision::Cancelled {
                return Ok(Resolved::Turn(Turn::Cancel(format!(
                    "cancelled at step `{}`{}",
                    step.name,
                    g.decided_by
                        .as_ref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default()
                ))));
            }
            decisions.insert(g.gate_key.clone(), d);
        }
        if gates[0].kind == GateKind::Skill {
            return Ok(Resolved::Rerun(decisions));
        }
        // A step gate: the held output meets its decision.
        let Some((skill, output)) = self.held_output(st, i).await? else {
            return Err(OrchestratorError::Store(StoreError::Corrupt(format!(
                "step `{}` waits for approval but its output is gone",
                step.name
            ))));
        };
        let decision = decisions.into_values().next().unwrap_or(Decision::Skipped);
        let Some(output) = apply_decision(output, &decision) else {
            let attempt = attempts(st, i);
            return Ok(Resolved::Turn(skip(st, i, attempt, "skipped by a person")));
        };
        let attempts = st.state.steps.get(&step.name).map_or(1, |s| s.attempts);
        st.cp.step_runs.push(NewStepRun {
            output: Some(serde_json::to_value(&output)?),
            ..blank_run(i, step, attempts, st.cp.now, StepRunStatus::Completed)
        });
        // Sent later when the person chose a time.
        let send_at = gates.iter().filter_map(|g| g.send_at).max();
        self.accept(st, i, &skill, output, send_at);
        Ok(Resolved::Turn(Turn::Done))
    }

    /// The output held at step `i`'s gate (its latest attempt's).
    async fn held_output(
        &self,
        st: &Stage<'_>,
        i: usize,
    ) -> Result<Option<(String, SkillOutput)>, OrchestratorError> {
        let runs = self.store.step_runs(&st.job.org_id, &st.job.id).await?;
        let Some(run) = runs
            .into_iter()
            .filter(|r| r.step_index == i as i64 && r.status == StepRunStatus::AwaitingApproval)
            .max_by_key(|r| r.attempt)
        else {
            return Ok(None);
        };
        let Some(output) = run.output else {
            return Ok(None);
        };
        let output = serde_json::from_value(output).map_err(StoreError::json("held output"))?;
        Ok(Some((run.skill_name, output)))
    }
}

/// What a decision does to a held output; `None` means skip the step.
/// An edit replaces the draft: the first proposed action's payload, or the
/// step's data if it proposed no action.
fn apply_decision(mut output: SkillOutput, decision: &Decision) -> Option<SkillOutput> {
    match decision {
        Decision::Approved => Some(output),
        Decision::Edited(v) => {
            match output.actions.first_mut() {
                Some(a) => a.payload = v.clone(),
                None => output.data = v.clone(),
            }
            Some(output)
        }
        Decision::Chosen(n) => {
            let n = *n as usize;
            output.actions = output.actions.into_iter().skip(n).take(1).collect();
            Some(output)
        }
        Decision::PerItem(keep) => {
            output.actions = output
                .actions
                .into_iter()
                .zip(keep.iter().chain(std::iter::repeat(&false)))
                .filter(|(_, k)| **k)
                .map(|(a, _)| a)
                .collect();
            Some(output)
        }
        Decision::Skipped | Decision::Cancelled => None,
    }
}
