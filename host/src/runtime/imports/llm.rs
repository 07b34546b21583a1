//! `llm.complete`: a completion through the operator's configured endpoint,
//! with token usage recorded for the budget.

use crate::runtime::bindings::baton::skill::llm::{Completion, Host, Request};
use crate::runtime::bindings::baton::skill::types::HostError;
use crate::runtime::call::LlmRequest;
use crate::runtime::capability::Capability;
use crate::runtime::state::CallState;

impl Host for CallState {
    async fn complete(&mut self, req: Request) -> wasmtime::Result<Result<Completion, HostError>> {
        if let Err(denied) = self.require(&Capability::Llm) {
            return Ok(Err(denied));
        }
        let Some(client) = self.context.llm.clone() else {
            return Ok(Err(HostError::Unavailable(
                "no LLM endpoint is configured for this org".into(),
            )));
        };
        let answer = client
            .complete(LlmRequest {
                system: req.system,
                prompt: req.prompt,
                max_tokens: req.max_tokens,
                temperature: req.temperature,
            })
            .await;
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
