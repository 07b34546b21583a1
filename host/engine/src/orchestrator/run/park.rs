//! Gates: a step's result waits for a person. Opens the skill's own gates
//! (those not decided yet) or the step gate the approval policy asks for,
//! with their expiry, and sends the `inform` notices that wait for no one.
//! Writes only the stage's checkpoint (gates, notifications, the held run)
//! and the step's state; deciding a gate is `approvals.rs`, resuming is
//! `resolve.rs`.

use super::record::{Stage, Turn, millis, set_step};
use crate::orchestrator::extension::GateDraft;
use crate::orchestrator::sequence::{Approval, Step};
use crate::orchestrator::state::StepStatus;
use crate::runtime::{GateRequest, Pattern, SkillOutput};
use crate::store::{GateKind, NewNotification, NewPendingAction, NewStepRun, StepRunStatus};
use serde_json::{Value, json};

/// Notify the `inform` gates step `i`'s skill raised (they wait for no one).
pub(super) fn inform_skill_gates(st: &mut Stage<'_>, i: usize, gates: &[GateRequest]) {
    for g in gates.iter().filter(|g| g.pattern == Pattern::Inform) {
        st.cp.notifications.push(NewNotification {
            kind: "inform".into(),
            channel: "slack".into(),
            message: g.title.clone(),
            dedupe_key: Some(format!("inform:{}:{i}:{}", st.job.id, g.key)),
        });
    }
}

/// Notify that step `i` ran, for a step whose policy is `inform`.
pub(super) fn inform_step(st: &mut Stage<'_>, i: usize) {
    st.cp.notifications.push(NewNotification {
        kind: "inform".into(),
        channel: "slack".into(),
        message: format!("{}: {}", st.seq.event, st.seq.steps[i].name),
        dedupe_key: Some(format!("inform:{}:{i}", st.job.id)),
    });
}

/// Park step `i` at the gates its skill asked for; `run` holds its output.
pub(super) fn at_skill_gates(
    st: &mut Stage<'_>,
    i: usize,
    asked: &[&GateRequest],
    run: NewStepRun,
) -> Turn {
    let seq = st.seq;
    let step = &seq.steps[i];
    st.state.meta.approval_gates_hit += asked.len() as u32;
    for g in asked {
        let (title, basis) = named(st, &g.body, g.pattern, &g.title);
        let title = title.unwrap_or_else(|| g.title.clone());
        st.cp.gates.push(NewPendingAction {
            step_index: i as i64,
            step_name: step.name.clone(),
            gate_key: g.key.clone(),
            kind: GateKind::Skill,
            pattern: g.pattern,
            title,
            body: g.body.clone(),
            options: g.options.clone(),
            expires_at: st.cp.now + millis(step.expires_after),
            on_expiry: step.on_expiry,
            basis,
        });
    }
    hold(st, i, run)
}

/// Park step `i` at the step gate `gate` over `output`; `run` holds it.
pub(super) fn at_step_gate(
    st: &mut Stage<'_>,
    i: usize,
    gate: Approval,
    output: &SkillOutput,
    run: NewStepRun,
) -> Turn {
    st.state.meta.approval_gates_hit += 1;
    let gate = step_gate(st, i, gate, output);
    st.cp.gates.push(gate);
    hold(st, i, run)
}

/// What a person reads for a gate (the first title an app on the seam
/// gives it, from the gate, the job's event and the contact its steps were
/// shown; `None` when no app names it), and what its suggestion was based
/// on (the first basis an app gives).
fn named(
    st: &Stage<'_>,
    body: &Value,
    pattern: Pattern,
    skill_title: &str,
) -> (Option<String>, Option<Value>) {
    let draft = GateDraft {
        body,
        pattern,
        title: skill_title,
        event_type: &st.job.event_type,
        payload: &st.job.payload,
        contact: st.state.context.as_ref().and_then(|c| c.contact.as_ref()),
    };
    (
        st.extensions.iter().find_map(|e| e.gate_title(&draft)),
        st.extensions.iter().find_map(|e| e.basis(&draft)),
    )
}

/// The step waits; its run row holds the output until the decision.
fn hold(st: &mut Stage<'_>, i: usize, run: NewStepRun) -> Turn {
    set_step(st.state, &st.seq.steps[i], StepStatus::Awaiting, None);
    st.cp.step_runs.push(NewStepRun {
        status: StepRunStatus::AwaitingApproval,
        ..run
    });
    Turn::Park
}

/// The gate step `i`'s result waits at.
fn step_gate(st: &Stage<'_>, i: usize, gate: Approval, output: &SkillOutput) -> NewPendingAction {
    let step: &Step = &st.seq.steps[i];
    let options = match gate {
        Approval::Choose | Approval::Batch => {
            output.actions.iter().map(|a| a.preview.clone()).collect()
        }
        _ => Vec::new(),
    };
    let actions: Vec<Value> = output
        .actions
        .iter()
        .map(|a| json!({ "kind": a.kind.as_str(), "preview": a.preview, "payload": a.payload }))
        .collect();
    let pattern = match gate {
        Approval::Choose => Pattern::Choose,
        Approval::Batch => Pattern::Batch,
        _ => Pattern::Confirm,
    };
    let body = json!({ "data": output.data, "actions": actions });
    // What a person reads in Slack and the inbox, named by the app; the
    // step's name only when no app names it.
    let (title, basis) = named(st, &body, pattern, "");
    let title = title.unwrap_or_else(|| step.name.clone());
    NewPendingAction {
        step_index: i as i64,
        step_name: step.name.clone(),
        gate_key: format!("step:{}", step.name),
        kind: GateKind::Step,
        pattern,
        title,
        body,
        options,
        expires_at: st.cp.now + millis(step.expires_after),
        on_expiry: step.on_expiry,
        basis,
    }
}
