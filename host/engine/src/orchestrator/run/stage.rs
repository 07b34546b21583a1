//! Run one stage: settle each step (already final, parked and now decided,
//! or skipped by its condition), call the skills that are due side by side,
//! and fold each result into the stage: charged, then failed (`fail.rs`),
//! parked at a gate (`park.rs`) or accepted (`accept.rs`). Calls the
//! runtime and reads the store; writes only through the [`Stage`].

use super::fail::failed;
use super::park;
use super::record::{
    Done, Stage, Turn, attempts, blank_run, bump_attempts, skill_of, skip, step_timeout,
};
use super::resolve::Resolved;
use crate::orchestrator::budget;
use crate::orchestrator::conductor::{Orchestrator, OrchestratorError};
use crate::orchestrator::context::Loaded;
use crate::orchestrator::floor;
use crate::orchestrator::policy;
use crate::orchestrator::sequence::{Approval, Pin, Step};
use crate::orchestrator::state::{CONDITION_FALSE, StepStatus};
use crate::registry::LoadedSkill;
use crate::replay::{LiveCall, StepInput};
use crate::runtime::{
    CallContext, CallInput, CallResult, Decision, EventInput, Limits, LlmClient, Pattern,
    PreviousOutput,
};
use crate::store::{NewDenial, NewStepRun, PendingAction, StepRunStatus};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a person said before this call, through the skill's own gates.
#[derive(Debug, Clone)]
struct Asked {
    /// The gate keys decided and handed to the call.
    decided: BTreeSet<String>,
    /// ... and none of them was a skip or a cancel.
    approved: bool,
}

impl Orchestrator {
    /// Run the stage's steps and fold their results into it; one turn per
    /// step that was not already final.
    pub(super) async fn run_stage(
        self: &Arc<Self>,
        st: &mut Stage<'_>,
    ) -> Result<Vec<Turn>, OrchestratorError> {
        let seq = st.seq;
        let job = st.job;
        let mut turns = Vec::new();
        let mut to_run: Vec<(usize, BTreeMap<String, Decision>)> = Vec::new();
        let gates = if st.steps.clone().any(|i| {
            st.state
                .steps
                .get(&seq.steps[i].name)
                .is_some_and(|s| s.status == StepStatus::Awaiting)
        }) {
            self.store.job_actions(&job.org_id, &job.id).await?
        } else {
            Vec::new()
        };
        for i in st.steps.clone() {
            let step = &seq.steps[i];
            match st.state.steps.get(&step.name).map(|s| s.status) {
                Some(s) if s.is_final() => continue,
                Some(StepStatus::Awaiting) => {
                    let mine: Vec<&PendingAction> =
                        gates.iter().filter(|g| g.step_index == i as i64).collect();
                    match self.resolve(st, i, &mine).await? {
                        Resolved::Turn(t) => turns.push(t),
                        Resolved::Rerun(decisions) => to_run.push((i, decisions)),
                    }
                }
                _ => {
                    if let Some(cond) = &step.condition
                        && !cond.eval(&condition_scope(st, &cond.paths()))
                    {
                        turns.push(skip(st, i, 0, CONDITION_FALSE));
                        continue;
                    }
                    to_run.push((i, BTreeMap::new()));
                }
            }
        }
        let loaded = st.state.context.clone().unwrap_or_default();
        let mut set = tokio::task::JoinSet::new();
        for (i, decisions) in to_run {
            let step = &seq.steps[i];
            let name = skill_of(st.state, step).to_owned();
            let Some(skill) = self.skill_for(seq.pin, st, &name).await else {
                // Installed when the event came in, gone now.
                let attempts = bump_attempts(st.state, step);
                st.state.meta.steps_attempted += 1;
                let message = format!("skill `{name}` is not installed");
                st.cp.step_runs.push(NewStepRun {
                    error_kind: Some("not_installed".into()),
                    error: Some(message.clone()),
                    skill_name: name,
                    ..blank_run(i, step, attempts, st.cp.now, StepRunStatus::Failed)
                });
                turns.push(Turn::Stop(message));
                continue;
            };
            let input = step_input(st, i);
            let mut context = call_context(&loaded, step, &decisions, self.llm.clone());
            context.keys = self.provider_keys(&job.org_id, &job.id);
            context.attachments = Some(st.attachments.clone());
            context.clock_offset_ms = self.clock.now_ms() - crate::store::now_ms();
            let limits = Limits {
                fuel: step.fuel.unwrap_or(skill.manifest.default_fuel),
                memory_bytes: self.config.runner.step_memory_mib << 20,
                timeout: step_timeout(&self.config.runner, step),
                ..Limits::default()
            };
            // The person approved what this call will propose (a skip or
            // a cancel approves nothing).
            let approved = !decisions.is_empty()
                && decisions
                    .values()
                    .all(|d| !matches!(d, Decision::Skipped | Decision::Cancelled));
            let decided: BTreeSet<String> = decisions.keys().cloned().collect();
            // Recorded with the run, for shadow replay.
            let earlier = st.done.range(..i).map(|(j, _)| *j).collect();
            let recorded =
                serde_json::to_value(StepInput::of(&input, earlier, &context, &limits)).ok();
            let shadows = self.shadows.clone();
            let (org, job) = (st.job.org_id.clone(), st.job.id.0.clone());
            let attempt = i64::from(attempts(st, i)) + 1;
            let now = st.cp.now;
            let step_name = step.name.clone();
            set.spawn(async move {
                let context = Arc::new(context);
                let result = skill.call(&input, &limits, context.clone()).await;
                let call = LiveCall {
                    org: &org,
                    job: &job,
                    step: &step_name,
                    attempt,
                    now,
                };
                shadows.observe(&skill, call, &input, &context, &limits, &result);
                (i, skill, Asked { decided, approved }, recorded, result)
            });
        }
        let mut results = Vec::new();
        while let Some(r) = set.join_next().await {
            results.push(r?);
        }
        results.sort_by_key(|r| r.0);
        for (i, skill, asked, recorded, result) in results {
            turns.push(self.fold_result(st, i, &skill, asked, recorded, result));
        }
        Ok(turns)
    }

    /// The version of `name` this job's step runs: the live one, or with
    /// `pin = "job"` the one the job first ran (recorded in its state).
    async fn skill_for(
        &self,
        pin: Pin,
        st: &mut Stage<'_>,
        name: &str,
    ) -> Option<Arc<LoadedSkill>> {
        if pin == Pin::Step {
            return self.registry.get(name);
        }
        if let Some(sha) = st.state.pins.get(name) {
            match self.releases.version(name, sha).await {
                Ok(Some(skill)) => return Some(skill),
                Ok(None) => {
                    tracing::warn!(job = %st.job.id, skill = %name, sha256 = %sha, "pinned version is gone; the live version runs");
                }
                Err(e) => {
                    tracing::warn!(job = %st.job.id, skill = %name, error = %e, "pinned version cannot be loaded; the live version runs");
                }
            }
        }
        let live = self.registry.get(name)?;
        st.state.pins.insert(name.to_owned(), live.sha256.clone());
        Some(live)
    }

    /// Fold step `i`'s call result into the stage.
    fn fold_result(
        &self,
        st: &mut Stage<'_>,
        i: usize,
        skill: &LoadedSkill,
        asked: Asked,
        input: Option<Value>,
        result: CallResult,
    ) -> Turn {
        let seq = st.seq;
        let step = &seq.steps[i];
        let attempts = bump_attempts(st.state, step);
        st.state.meta.steps_attempted += 1;
        let report = &result.report;
        let cost = budget::charge_call(&self.config.pricing, &mut st.cp, i, report);
        st.state.meta.fuel += report.fuel_used;
        st.state.meta.cost_micros += cost;
        st.state.meta.run_ms += report.duration.as_millis() as u64;
        st.cp
            .denials
            .extend(report.denials.iter().map(|d| NewDenial {
                step_index: i as i64,
                step_name: step.name.clone(),
                attempt: i64::from(attempts),
                skill_name: skill.manifest.name.clone(),
                capability: d.capability.clone(),
                message: d.message.clone(),
            }));
        // Its status is settled below, once the outcome is known.
        let mut run = NewStepRun {
            skill_name: skill.manifest.name.clone(),
            skill_version: skill.manifest.version.to_string(),
            skill_sha256: skill.sha256.clone(),
            fuel: i64::try_from(report.fuel_used).unwrap_or(i64::MAX),
            cost_micros: cost,
            duration_ms: i64::try_from(report.duration.as_millis()).unwrap_or(i64::MAX),
            input,
            ..blank_run(i, step, attempts, st.cp.now, StepRunStatus::Completed)
        };
        let mut output = match result.outcome {
            Ok(output) => output,
            Err(e) => return failed(st, i, attempts, e, run),
        };
        // What is too unsure for the org is not proposed: the run holds
        // what is left, which a gate's decision later applies to.
        let proposed = output.actions.len();
        let floor = st
            .state
            .context
            .as_ref()
            .map_or(0.0, |c| c.confidence_floor);
        st.state.meta.withheld += floor::withhold(floor, &mut output);
        run.output = Some(serde_json::to_value(&output).unwrap_or(Value::Null));
        // Gates the skill asked for and that are not decided yet.
        let open: Vec<_> = report
            .gates
            .iter()
            .filter(|g| g.pattern != Pattern::Inform && !asked.decided.contains(&g.key))
            .collect();
        park::inform_skill_gates(st, i, &report.gates);
        if !open.is_empty() {
            return park::at_skill_gates(st, i, &open, run);
        }
        // A person already approved this call's effects through its gates.
        let gate = if asked.approved || (proposed > 0 && output.actions.is_empty()) {
            // Approved already, or every action it proposed was withheld:
            // nothing is left to ask about.
            Approval::None
        } else {
            policy::effective_gate(self.extensions(), step.approval, &output.actions)
        };
        match gate {
            Approval::Confirm | Approval::Choose | Approval::Batch => {
                park::at_step_gate(st, i, gate, &output, run)
            }
            Approval::Inform | Approval::None => {
                if gate == Approval::Inform {
                    park::inform_step(st, i);
                }
                st.cp.step_runs.push(NewStepRun {
                    status: StepRunStatus::Completed,
                    ..run
                });
                self.accept(st, i, &skill.manifest.name, output, None);
                Turn::Done
            }
        }
    }
}

/// The input of step `i`: the event, its params, completed outputs.
fn step_input(st: &Stage<'_>, i: usize) -> CallInput {
    let job = st.job;
    CallInput {
        event: EventInput {
            id: job.id.0.clone(),
            event_type: job.event_type.clone(),
            source: job.event_source.clone(),
            org: job.org_id.0.clone(),
            user: job.user_id.0.clone(),
            payload: st.payload.clone(),
            chain_depth: u8::try_from(job.chain_depth).unwrap_or(u8::MAX),
        },
        params: st.seq.steps[i].params.clone(),
        previous: st
            .done
            .range(..i)
            .map(|(j, d): (&usize, &Done)| PreviousOutput {
                step: st.seq.steps[*j].name.clone(),
                skill: d.skill.clone(),
                data: d.data.clone(),
            })
            .collect(),
    }
}

/// What a condition may read: the event and earlier steps' results, as
/// far as its `paths` reach (a transcript or a step's output it does not
/// name is not copied for it).
fn condition_scope(st: &Stage<'_>, paths: &[Vec<String>]) -> Value {
    let job = st.job;
    // Whether a path names `root.key`, or all of `root`.
    let reads = |root: &str, key: &str| {
        paths
            .iter()
            .any(|p| p.first().is_some_and(|r| r == root) && p.get(1).is_none_or(|k| k == key))
    };
    let mut steps = serde_json::Map::new();
    for (i, step) in st.seq.steps.iter().enumerate() {
        let Some(s) = st.state.steps.get(&step.name) else {
            continue;
        };
        if !reads("steps", &step.name) {
            continue;
        }
        let d = st.done.get(&i);
        steps.insert(
            step.name.clone(),
            json!({
                "status": s.status,
                "data": d.map(|d| Value::clone(&d.data)),
                "actions": d.map_or(0, |d| d.actions),
                "follow_ups": d.map_or(0, |d| d.follow_ups),
            }),
        );
    }
    let payload = if reads("event", "payload") {
        job.payload.clone()
    } else {
        Value::Null
    };
    json!({
        "event": { "type": job.event_type, "source": job.event_source, "payload": payload },
        "steps": steps,
    })
}

fn call_context(
    loaded: &Loaded,
    step: &Step,
    decisions: &BTreeMap<String, Decision>,
    llm: Option<Arc<dyn LlmClient>>,
) -> CallContext {
    let shown = loaded.for_step(&step.context);
    CallContext {
        org: shown.org,
        contact: shown.contact,
        external: shown.external,
        decisions: decisions.clone(),
        llm,
        keys: None,
        attachments: None,
        clock_offset_ms: 0,
    }
}
