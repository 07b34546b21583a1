//! An OpenAI-compatible chat-completions client, lent to skills that
//! declare the LLM capability. Off unless configured. Token usage comes back
//! with each completion and the runner charges it to the org's budget.

use super::ConnectorError;
use crate::runtime::{LlmClient, LlmCompletion, LlmFuture, LlmRequest};
use serde_json::json;
use std::time::Duration;

/// A chat-completions endpoint.
#[derive(Clone)]
pub struct OpenAiCompatible {
    url: String,
    key: Option<String>,
    model: String,
    timeout: Duration,
    client: reqwest::Client,
}

impl std::fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("url", &self.url)
            .field("model", &self.model)
            .finish()
    }
}

impl OpenAiCompatible {
    /// A client for `base` (e.g. `https://api.openai.com/v1`), posting to
    /// `{base}/chat/completions` with `model`.
    pub fn new(base: &str, key: Option<&str>, model: &str) -> Result<Self, ConnectorError> {
        let url = reqwest::Url::parse(base)
            .map_err(|e| ConnectorError::config_by(format!("LLM URL `{base}`"), e))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConnectorError::config(format!(
                "LLM URL `{base}` must be http or https"
            )));
        }
        if model.trim().is_empty() {
            return Err(ConnectorError::config("the LLM model name is empty"));
        }
        let timeout = Duration::from_secs(60);
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(ConnectorError::Client)?;
        Ok(OpenAiCompatible {
            url: format!("{}/chat/completions", base.trim_end_matches('/')),
            key: key.filter(|k| !k.is_empty()).map(str::to_owned),
            model: model.to_owned(),
            timeout,
            client,
        })
    }

    /// The same client, giving up on a call after `timeout` (default 60 s):
    /// the skill sees a retriable error and its step retries with backoff.
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, ConnectorError> {
        self.client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(ConnectorError::Client)?;
        self.timeout = timeout;
        Ok(self)
    }

    async fn call(&self, req: LlmRequest) -> Result<LlmCompletion, String> {
        let mut messages = Vec::new();
        if let Some(system) = &req.system {
            messages.push(json!({ "role": "system", "content": system }));
        }
        messages.push(json!({ "role": "user", "content": req.prompt }));
        let mut body = json!({
            "model": self.model,
            "messages": messages,
            "max_tokens": req.max_tokens,
        });
        if let Some(t) = req.temperature {
            body["temperature"] = json!(t);
        }
        let mut request = self.client.post(&self.url).json(&body);
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| self.failed(e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the LLM answered {status}"));
        }
        let answer = crate::wire::json(response)
            .await
            .map_err(|e| format!("the LLM's answer: {e}"))?;
        let text = answer["choices"][0]["message"]["content"]
            .as_str()
            .ok_or("the LLM's answer has no choices[0].message.content")?;
        let tokens = |k: &str| {
            answer["usage"][k]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        Ok(LlmCompletion {
            text: text.to_owned(),
            input_tokens: tokens("prompt_tokens"),
            output_tokens: tokens("completion_tokens"),
        })
    }
}

impl OpenAiCompatible {
    /// Why a call failed on the way, without its URL.
    fn failed(&self, e: reqwest::Error) -> String {
        if e.is_timeout() {
            format!(
                "the LLM did not answer within {} ms",
                self.timeout.as_millis()
            )
        } else {
            format!("the LLM is unreachable: {}", e.without_url())
        }
    }
}

impl LlmClient for OpenAiCompatible {
    fn complete(&self, req: LlmRequest) -> LlmFuture {
        let me = self.clone();
        Box::pin(async move { me.call(req).await })
    }
}
