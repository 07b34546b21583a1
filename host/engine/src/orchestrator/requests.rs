//! A person's request in their own words (`/baton find times with Marta
//! next week` in chat, the inbox's request box) mapped to a sequence and
//! its payload by the apps ([`super::Extension::understand`]), checked
//! against the sequences that run here, and shown as its [`Plan`] for the
//! person to confirm; only a confirmed request runs. A request nobody
//! understands, or that reads more than one way, gets a question back,
//! never a guess.

use super::conductor::{Orchestrator, OrchestratorError};
use super::events::{Event, Submitted};
use super::extension::{Request, Understood};
use super::plan::{Plan, PlanError};
use crate::store::{Org, User};
use serde_json::Value;
use sha2::{Digest, Sha256};

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
        let mut understood = None;
        for ext in self.extensions().iter() {
            let request = Request {
                org,
                user,
                text,
                now,
            };
            if let Some(u) = ext.understand(&self.store, request).await? {
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
