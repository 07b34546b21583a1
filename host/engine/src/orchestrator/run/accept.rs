//! A step's output is final: mark the step completed, put its proposed
//! actions into the outbox (keyed `job:step:n` for idempotency, an email
//! held for the undo window, or until the time a person chose to send it), honour opt-outs at once, charge effects, and
//! queue its follow-up events as child jobs; the rows extensions write
//! with a finished step ride in the same checkpoint. Effects leave only
//! through the checkpoint's outbox rows; nothing here talks to the outside
//! world.

use super::record::{Done, Stage, set_step};
use crate::orchestrator::budget;
use crate::orchestrator::conductor::Orchestrator;
use crate::orchestrator::extension::Finished;
use crate::orchestrator::policy;
use crate::orchestrator::state::StepStatus;
use crate::runtime::SkillOutput;
use crate::store::{NewEffect, NewJob};
use serde_json::json;

impl Orchestrator {
    /// Accept step `i`'s final `output` (from `skill`): its effects,
    /// charges and follow-ups go into the stage's checkpoint, and the
    /// output into the completed ones. Its emails leave after the undo
    /// window, or at `send_at` when a person chose a later time.
    pub(super) fn accept(
        &self,
        st: &mut Stage<'_>,
        i: usize,
        skill: &str,
        output: SkillOutput,
        send_at: Option<i64>,
    ) {
        let seq = st.seq;
        let job = st.job;
        let step = &seq.steps[i];
        set_step(st.state, step, StepStatus::Completed, None);
        st.state.meta.steps_completed += 1;
        for (n, action) in output.actions.iter().enumerate() {
            // An opt-out is honoured here and now, with this checkpoint: the
            // address goes on the do-not-contact list and what is queued to
            // it stops. The effect itself still goes out below.
            if let Some(s) = policy::suppression(self.extensions(), action) {
                st.cp.suppressions.push(s);
            }
            let not_before = if crate::address::held_for_undo(action.kind, &action.payload) {
                let undone = st.cp.now + self.config.runner.undo_window_ms;
                send_at.map_or(undone, |at| at.max(undone))
            } else {
                st.cp.now
            };
            st.cp.effects.push(NewEffect {
                idempotency_key: format!("{}:{i}:{n}", job.id),
                step_index: i as i64,
                kind: action.kind,
                payload: json!({ "preview": action.preview, "payload": action.payload }),
                not_before,
            });
            st.state.meta.cost_micros += budget::charge_effect(&self.config.pricing, &mut st.cp, i);
        }
        // What extensions keep of the step, with its completion.
        let finished = Finished {
            org_id: &job.org_id,
            user_id: &job.user_id,
            job_id: &job.id,
            event_type: &job.event_type,
            payload: &job.payload,
            skill,
            data: &output.data,
            now: st.cp.now,
        };
        for ext in self.extensions().iter() {
            st.cp.rows.extend(ext.rows(&finished));
        }
        let sequences = self.sequences();
        for (n, f) in output.follow_ups.iter().enumerate() {
            let Some(target) = sequences.get(&f.event_type) else {
                st.state.meta.followups_dropped += 1;
                tracing::warn!(job = %job.id, event = %f.event_type, "follow-up dropped: no sequence handles it");
                continue;
            };
            // Refused as an event would be at the door: a child job whose
            // skills are not installed could only fail.
            let missing = self.missing_skills(target);
            if !missing.is_empty() {
                st.state.meta.followups_dropped += 1;
                tracing::warn!(
                    job = %job.id, event = %f.event_type, missing = ?missing,
                    "follow-up dropped: its sequence needs skills that are not installed"
                );
                continue;
            }
            if job.chain_depth >= self.config.runner.max_chain_depth {
                st.state.meta.followups_dropped += 1;
                tracing::warn!(
                    job = %job.id, event = %f.event_type, depth = job.chain_depth,
                    "follow-up dropped: the event chain is at its maximum depth"
                );
                continue;
            }
            st.state.meta.followups_queued += 1;
            let mut payload = f.payload.clone();
            st.cp.rows.extend(super::super::set_aside::set_aside(
                self.extensions(),
                &job.org_id,
                &f.event_type,
                &mut payload,
                st.cp.now,
            ));
            st.cp.children.push(NewJob {
                org_id: job.org_id.clone(),
                user_id: job.user_id.clone(),
                event_type: f.event_type.clone(),
                event_source: "orchestrator:chain".into(),
                idempotency_key: format!("{}:{i}:{n}:{}", job.id, f.event_type),
                parent_job_id: Some(job.id.clone()),
                chain_depth: job.chain_depth + 1,
                payload,
                sequence_name: target.event.clone(),
                sequence_hash: target.hash.clone(),
                sequence_version: target.version,
                scheduled_at: st.cp.now,
                rows: Vec::new(),
            });
        }
        st.done.insert(i, Done::of(skill.to_owned(), output));
    }
}
