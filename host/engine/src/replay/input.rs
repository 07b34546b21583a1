//! What a step run was given, as recorded with it (`step_runs.input`):
//! everything but the event, which is the job's own row, and the earlier
//! steps' outputs, which are their own step runs' rows: the record names
//! those steps. Replay rebuilds the call from the three.

use crate::runtime::{CallContext, CallInput, EventInput, Limits, PreviousOutput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// One step run's input besides the event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepInput {
    #[serde(default)]
    pub params: Value,
    /// The earlier outputs themselves: only in records written before
    /// they were referenced by step (`previous_steps`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<PreviousOutput>,
    /// The indices of the earlier steps whose outputs the call was given,
    /// in order: each is that step's completed run in the same job.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_steps: Vec<usize>,
    /// The context tiers and decisions the call was shown.
    #[serde(default)]
    pub context: CallContext,
    pub limits: RecordedLimits,
}

/// A call's [`Limits`], as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedLimits {
    pub fuel: u64,
    pub memory_bytes: usize,
    pub timeout_ms: u64,
    pub output_bytes: usize,
}

impl From<&Limits> for RecordedLimits {
    fn from(l: &Limits) -> Self {
        RecordedLimits {
            fuel: l.fuel,
            memory_bytes: l.memory_bytes,
            timeout_ms: u64::try_from(l.timeout.as_millis()).unwrap_or(u64::MAX),
            output_bytes: l.output_bytes,
        }
    }
}

impl From<RecordedLimits> for Limits {
    fn from(l: RecordedLimits) -> Self {
        Limits {
            fuel: l.fuel,
            memory_bytes: l.memory_bytes,
            timeout: Duration::from_millis(l.timeout_ms),
            output_bytes: l.output_bytes,
        }
    }
}

impl StepInput {
    /// The record of a call about to run (the LLM client is not recorded),
    /// given the outputs of the steps at `previous_steps`.
    pub fn of(
        input: &CallInput,
        previous_steps: Vec<usize>,
        context: &CallContext,
        limits: &Limits,
    ) -> StepInput {
        StepInput {
            params: input.params.clone(),
            previous: Vec::new(),
            previous_steps,
            context: CallContext {
                llm: None,
                keys: None,
                ..context.clone()
            },
            limits: limits.into(),
        }
    }

    /// The call again, for `event`, given the outputs of the steps at
    /// `previous_steps` (`earlier`; ignored for a record that holds them).
    pub fn call(
        self,
        event: EventInput,
        earlier: Vec<PreviousOutput>,
    ) -> (CallInput, CallContext, Limits) {
        let previous = if self.previous.is_empty() {
            earlier
        } else {
            self.previous
        };
        let input = CallInput {
            event,
            params: self.params,
            previous,
        };
        (input, self.context, self.limits.into())
    }
}
