//! A person's request in their own words (`/baton find times with Marta
//! next week` in chat, the inbox's request box) mapped to a sequence and
//! its payload by the apps ([`super::Extension::understand`]), checked
//! against the sequences that run here, and shown as its [`Plan`] for the
//! person to confirm; only a confirmed request runs. A request nobody
//! understands, or that reads more than one way, gets a question back,
//! never a guess. Where the operator granted it (`[runner] request_llm`)
//! and an LLM is configured, the apps are lent the model for what their
//! rules do not read, metered: its tokens are charged to the org, and an
//! org whose budget is spent is not lent it.

use super::budget;
use super::conductor::{Orchestrator, OrchestratorError};
use super::events::{Event, Submitted};
use super::extension::{Request, Understood};
use super::plan::{Plan, PlanError};
use crate::runtime::{LlmClient, LlmFuture, LlmRequest};
use crate::store::{Org, User};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest request taken, in bytes.
pub const MAX_REQUEST: usize = 500;

/// What a request came to.
#[derive(Debug, Clone)]
pub enum Answer {
    /// What would run, for the person to confirm.
    Plan {
        event_type: String,
        payload: Value,
        /// What it will do, in words.
        summary: String,
        plan: Box<Plan>,
    },
    /// What to ask back.
    Question(String),
}

impl Orchestrator {
    /// What `user`'s request `text` asks for: a plan to confirm, or a
    /// question. Reads only.
    pub async fn understand(
        &self,
        org: &Org,
        user: &User,
        text: &str,
    ) -> Result<Answer, OrchestratorError> {
        let text = text.trim();
        let examples = || {
            let all: Vec<String> = self
                .extensions()
                .iter()
                .flat_map(|e| e.request_examples())
                .map(|x| format!("“{x}”"))
                .collect();
            all.join(", ")
        };
        if text.is_empty() {
            return Ok(Answer::Question(format!(
                "What should I do? For example: {}.",
                examples()
            )));
        }
        if text.len() > MAX_REQUEST {
            return Ok(Answer::Question(format!(
                "That is a long request ({} characters); say it in a sentence of at most {MAX_REQUEST}.",
                text.chars().count()
            )));
        }
        let now = self.clock.now_ms();
        let metered = self.request_llm(org, now).await?;
        let mut understood = None;
        for ext in self.extensions().iter() {
            let request = Request {
                org,
                user,
                text,
                now,
                llm: metered.as_ref().map(|m| m as &dyn LlmClient),
            };
            let read = ext.understand(&self.store, request).await;
            if let Some(m) = &metered {
                self.charge_request(org, m).await?;
            }
            if let Some(u) = read? {
                understood = Some(u);
                break;
            }
        }
        let (event_type, payload, summary) = match understood {
            None => {
                return Ok(Answer::Question(format!(
                    "I did not understand that. I can act on requests like: {}.",
                    examples()
                )));
            }
            Some(Understood::Ask(q)) => return Ok(Answer::Question(q)),
            Some(Understood::Run {
                event_type,
                payload,
                summary,
            }) => (event_type, payload, summary),
        };
        match self.plan(&org.id, &event_type, Some(&payload)).await {
            Ok(plan) => Ok(Answer::Plan {
                event_type,
                payload,
                summary,
                plan: Box::new(plan),
            }),
            Err(PlanError::Unknown(_)) => Ok(Answer::Question(format!(
                "I understood: {summary}. But nothing here runs `{event_type}` (no sequence handles it)."
            ))),
            Err(PlanError::Payload { why, .. }) => Err(OrchestratorError::Invalid(format!(
                "the request's event does not fit its payload schema: {why}"
            ))),
            Err(PlanError::Orchestrator(e)) => Err(e),
        }
    }

    /// The model a request may be read by, metered, when the operator
    /// granted it, one is configured and `org`'s budget is not spent.
    async fn request_llm(&self, org: &Org, now: i64) -> Result<Option<Metered>, OrchestratorError> {
        let Some(llm) = self.llm.clone().filter(|_| self.config.runner.request_llm) else {
            return Ok(None);
        };
        if let Some(limit) = self.store.budget(&org.id).await?
            && budget::is_spent(&self.store, &org.id, limit, now).await?
        {
            return Ok(None);
        }
        Ok(Some(Metered {
            inner: llm,
            used: Arc::default(),
        }))
    }

    /// Charge `org` for the tokens `m` used since the last charge.
    async fn charge_request(&self, org: &Org, m: &Metered) -> Result<(), OrchestratorError> {
        let tokens = (
            m.used.input.swap(0, Ordering::Relaxed),
            m.used.output.swap(0, Ordering::Relaxed),
        );
        let now = self.clock.now_ms();
        let charges = budget::llm_charges(&self.config.pricing, tokens, now);
        self.store
            .charge_org(&org.id, &charges, "requests", now)
            .await?;
        Ok(())
    }

    /// Run `user`'s confirmed request `text`, understood again now (what
    /// it names may have changed since the plan was shown), from `channel`
    /// (`slack`, `inbox`). `confirmation` names the confirmation (the
    /// message or form it came from), so confirming twice runs it once.
    /// A request that no longer reads one way is `Invalid`, with the
    /// question to ask.
    pub async fn run_request(
        &self,
        org: &Org,
        user: &User,
        text: &str,
        channel: &str,
        confirmation: &str,
    ) -> Result<Submitted, OrchestratorError> {
        match self.understand(org, user, text).await? {
            Answer::Question(q) => Err(OrchestratorError::Invalid(q)),
            Answer::Plan {
                event_type,
                payload,
                ..
            } => {
                let key = hex::encode(Sha256::digest(
                    format!("{}\n{}\n{}\n{confirmation}", user.id, text.trim(), channel).as_bytes(),
                ));
                let event = Event {
                    event_type,
                    org: org.slug.clone(),
                    user: user.handle.clone(),
                    payload,
                    source: format!("request:{channel}"),
                    idempotency_key: Some(format!("request:{key}")),
                };
                self.submit(&event).await
            }
        }
    }
}

/// The tokens a model read of requests used, not yet charged.
#[derive(Debug, Default)]
struct Used {
    input: AtomicU64,
    output: AtomicU64,
}

/// The configured model, counting the tokens its completions use.
struct Metered {
    inner: Arc<dyn LlmClient>,
    used: Arc<Used>,
}

impl LlmClient for Metered {
    fn complete(&self, req: LlmRequest) -> LlmFuture {
        let used = self.used.clone();
        let asked = self.inner.complete(req);
        Box::pin(async move {
            let done = asked.await;
            if let Ok(c) = &done {
                used.input
                    .fetch_add(u64::from(c.input_tokens), Ordering::Relaxed);
                used.output
                    .fetch_add(u64::from(c.output_tokens), Ordering::Relaxed);
            }
            done
        })
    }
}
