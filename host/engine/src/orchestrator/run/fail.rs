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
    let on_fallback = st.state.steps.get(&step.name).is_some_and(|s| s.fallback);
    match step.on_failure {
        OnFailure::Retry {
            max_attempts,
            backoff,
        } if attempts < max_attempts && e.verdict() == Verdict::Retry => {
            set_step(st.state, step, StepStatus::Retrying, Some(&message));
            Turn::Retry(st.cp.now + millis(wait(backoff, attempts)))
        }
        OnFailure::Fallback {
            ref skill,
            max_attempts,
            backoff,
            ..
        } if !on_fallback => {
            if attempts < max_attempts && e.verdict() == Verdict::Retry {
                set_step(st.state, step, StepStatus::Retrying, Some(&message));
                return Turn::Retry(st.cp.now + millis(wait(backoff, attempts)));
            }
            // Failed for good: its fallback runs next, with the same inputs;
            // the failed run says so in the timeline.
            let why = format!("failed for good; falling back to `{skill}`: {message}");
            if let Some(run) = st.cp.step_runs.last_mut() {
                run.error = Some(format!(
                    "{message} (failed for good: its fallback `{skill}` runs next)"
                ));
            }
            set_step(st.state, step, StepStatus::Retrying, Some(&why));
            if let Some(s) = st.state.steps.get_mut(&step.name) {
                s.fallback = true;
            }
            Turn::Retry(st.cp.now)
        }
        OnFailure::Fallback {
            continue_after: true,
            ..
        }
        | OnFailure::Continue => {
            st.state.meta.steps_failed += 1;
            set_step(st.state, step, StepStatus::Failed, Some(&message));
            Turn::Done
        }
        _ => {
            st.state.meta.steps_failed += 1;
            set_step(st.state, step, StepStatus::Failed, Some(&message));
            let fallback = if on_fallback {
                " (its fallback too)"
            } else {
                ""
            };
            Turn::Stop(format!(
                "step `{}` failed after {attempts} attempt(s){fallback}: {message}",
                step.name
            ))
        }
    }
}

/// The wait before retry number `attempts` (counting the first try):
/// `backoff`, doubling each time, at most an hour.
fn wait(backoff: Duration, attempts: u32) -> Duration {
    backoff
        .saturating_mul(1 << attempts.saturating_sub(1).min(20))
        .min(MAX_BACKOFF)
}
