//! `llm.complete`: a completion through the operator's configured endpoint,
//! with token usage recorded for the budget. A completion never outlives
//! its call: it is given at most three quarters of the time left before
//! the call's deadline, so a skill whose model stalls still has time to
//! answer without it (its rules, a template) instead of failing the step.

use super::Grant;
use crate::audit::SharedAudit;
use crate::bindings::baton::skill::llm::{Completion, Host, Request};
use crate::bindings::baton::skill::types::HostError;
use crate::call::{LlmClient, LlmRequest};
use crate::capability::Capability;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::HasData;

/// What `llm` works with: its grant, the caller's LLM client (if any), the
/// call's audit, where token usage is counted for the budget, and the
/// call's deadline.
pub(crate) struct Llm<'a> {
    pub(crate) grant: Grant<'a>,
    pub(crate) client: Option<&'a Arc<dyn LlmClient>>,
    pub(crate) audit: &'a SharedAudit,
    pub(crate) deadline: Instant,
}

/// How long a completion may take when the call has `left` before its
/// deadline: three quarters of it, the rest kept for the skill.
fn allowance(left: Duration) -> Duration {
    left - left / 4
}

impl HasData for Llm<'static> {
    type Data<'a> = Llm<'a>;
}

impl Host for Llm<'_> {
    async fn complete(&mut self, req: Request) -> wasmtime::Result<Result<Completion, HostError>> {
        if let Err(denied) = self.grant.require(&Capability::Llm) {
            return Ok(Err(denied));
        }
        let Some(client) = self.client.cloned() else {
            return Ok(Err(HostError::Unavailable(
                "no LLM endpoint is configured for this org".into(),
            )));
        };
        let allowed = allowance(self.deadline.saturating_duration_since(Instant::now()));
        let asked = client.complete(LlmRequest {
            system: req.system,
            prompt: req.prompt,
            max_tokens: req.max_tokens,
            temperature: req.temperature,
        });
        let answer = tokio::time::timeout(allowed, asked)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "the LLM did not answer within the {} ms the step's deadline leaves it",
                    allowed.as_millis()
                ))
            });
        Ok(match answer {
            Ok(c) => {
                if let Ok(mut audit) = self.audit.lock() {
                    audit.llm_input_tokens += u64::from(c.input_tokens);
                    audit.llm_output_tokens += u64::from(c.output_tokens);
                }
                Ok(Completion {
                    text: c.text,
                    input_tokens: c.input_tokens,
                    output_tokens: c.output_tokens,
                })
            }
            Err(message) => Err(HostError::Unavailable(message)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::allowance;
    use std::time::Duration;

    #[test]
    fn a_completion_leaves_a_quarter_of_the_call_to_the_skill() {
        assert_eq!(
            allowance(Duration::from_secs(30)),
            Duration::from_millis(22_500)
        );
        assert_eq!(allowance(Duration::ZERO), Duration::ZERO);
    }
}
