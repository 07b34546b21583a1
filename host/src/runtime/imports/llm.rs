//! `llm.complete`: a completion through the operator's configured endpoint,
//! with token usage recorded for the budget.

use super::Grant;
use crate::runtime::audit::SharedAudit;
use crate::runtime::bindings::baton::skill::llm::{Completion, Host, Request};
use crate::runtime::bindings::baton::skill::types::HostError;
use crate::runtime::call::{LlmClient, LlmRequest};
use crate::runtime::capability::Capability;
use std::sync::Arc;
use wasmtime::component::HasData;

/// What `llm` works with: its grant, the caller's LLM client (if any), and
/// the call's audit, where token usage is counted for the budget.
pub(crate) struct Llm<'a> {
    pub(crate) grant: Grant<'a>,
    pub(crate) client: Option<&'a Arc<dyn LlmClient>>,
    pub(crate) audit: &'a SharedAudit,
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
