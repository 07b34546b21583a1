//! A failed call: record it, then retry, continue or stop as the step's
//! `on_failure` says, asking the error's one [`Verdict`] whether a retry can
//! help (a broken component stops the job whatever the step says). Writes
//! only the step's state and run row; the retry time goes back as a turn.

use super::record::{Stage, Turn, millis, set_step};
use crate::orchestrator::sequence::OnFailure;
use crate::orchestrator::state::StepStatus;
use crate::runtime::{RuntimeError, Verdict};
use crate::store::{NewStepRun, StepRunStatus};
use std::time::Duration;

/// Longest wait between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Step `i`'s call failed with `e` on attempt `attempts`; `run` is its row so far.
pub(super) fn failed(
    st: &mut Stage<'_>,
    i: usize,
    attempts: u32,
    e: RuntimeError,
    run: NewStepRun,
) -> Turn {
    let seq = st.seq;
    let step = &seq.steps[i];
    let message = e.report();
    st.cp.step_runs.push(NewStepRun {
        status: StepRunStatus::Failed,
        error_kind: Some(e.kind_name().into()),
        error: Some(message.clone()),
        ..run
    });
    if matches!(e, RuntimeError::InvalidComponent(_)) {
        st.state.meta.steps_failed += 1;
        set_step(st.state, step, StepStatus::Failed, Some(&message));
        return Turn::Stop(format!("step `{}`: {message}", step.name));
    }
    match step.on_failure {
        OnFailure::Retry {
            max_attempts,
            backoff,
        } if attempts < max_attempts && e.verdict() == Verdict::Retry => {
            set_step(st.state, step, StepStatus::Retrying, Some(&message));
            let wait = backoff
                .saturating_mul(1 << (attempts - 1).min(20))
                .min(MAX_BACKOFF);
            Turn::Retry(st.cp.now + millis(wait))
        }
        OnFailure::Continue => {
            st.state.meta.steps_failed += 1;
            set_step(st.state, step, StepStatus::Failed, Some(&message));
            Turn::Done
        }
        _ => {
            st.state.meta.steps_failed += 1;
            set_step(st.state, step, StepStatus::Failed, Some(&message));
            Turn::Stop(format!(
                "step `{}` failed after {attempts} attempt(s): {message}",
                step.name
            ))
        }
    }
}
