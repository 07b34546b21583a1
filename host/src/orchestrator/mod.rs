//! The conductor: events in, validated; sequences of skills run as durable
//! jobs; gates for people; effects out through the outbox; costs charged to
//! the org's budget.
//!
//! - [`events`]: validation and job creation (`submit`).
//! - [`sequence`]: the declarative sequences in `sequences/*.toml`.
//! - [`runner`]: claims jobs and runs them stage by stage, checkpointing each.
//! - [`approvals`]: decisions on gates. [`policy`]: what always needs one.
//! - [`delivery`]: the outbox. [`context`]: tier loaders. [`import`]: CRM data.
//!
//! The orchestrator talks to the store and the runtime; it never speaks HTTP
//! to callers and never touches wasmtime directly.

pub mod approvals;
pub mod clock;
pub mod commit;
pub mod condition;
pub mod config;
pub mod context;
pub mod delivery;
pub mod events;
pub mod import;
pub mod policy;
pub mod quiet;
pub mod runner;
pub mod sequence;
pub mod state;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, Pricing, RunnerConfig};
pub use delivery::{Deliver, Webhook};
pub use events::{Event, Reason, Submitted};
pub use sequence::{Sequence, SequenceError, Sequences};
pub use state::JobState;

use crate::registry::Registry;
use crate::runtime::LlmClient;
use crate::store::{JobStatus, Store, StoreError};
use commit::Committer;
use std::sync::Arc;
use std::time::Duration;

/// Why an orchestrator operation failed.
#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The request does not make sense (a decision that does not fit its gate).
    #[error("{0}")]
    Invalid(String),
    /// It makes sense, but policy refuses it now (the daily send cap).
    #[error("{0}")]
    Refused(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("internal: {0}")]
    Internal(String),
}

/// The conductor, shared by the workers of one process.
pub struct Orchestrator {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub sequences: Arc<Sequences>,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    pub llm: Option<Arc<dyn LlmClient>>,
    worker_id: String,
    committer: Committer,
}

impl Orchestrator {
    /// Assemble an orchestrator; starts its commit task on the current
    /// tokio runtime.
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        sequences: Sequences,
        clock: Arc<dyn Clock>,
        config: Config,
    ) -> Arc<Orchestrator> {
        let committer = Committer::start(store.clone());
        Arc::new(Orchestrator {
            worker_id: format!("{}-{}", std::process::id(), crate::store::new_id()),
            store,
            registry,
            sequences: Arc::new(sequences),
            clock,
            config,
            llm: None,
            committer,
        })
    }

    /// This process's worker id (lease owner).
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Run due jobs until none is due now. Returns how many were claimed.
    pub async fn drain(self: &Arc<Self>) -> Result<usize, OrchestratorError> {
        let mut total = 0;
        loop {
            let n = self.tick().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// Run jobs until `job` rests (waits for a person or is over), waiting
    /// for retries' backoff in real time, for at most `limit`.
    pub async fn run_until_rest(
        self: &Arc<Self>,
        org: &crate::store::OrgId,
        job: &str,
        limit: Duration,
    ) -> Result<JobStatus, OrchestratorError> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            self.tick().await?;
            let j = self
                .store
                .job(org, job)
                .await?
                .ok_or_else(|| OrchestratorError::NotFound(format!("job {job}")))?;
            if j.status.is_final() || j.status == JobStatus::AwaitingApproval {
                return Ok(j.status);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(j.status);
            }
            tokio::time::sleep(self.config.runner.poll()).await;
        }
    }

    /// Work until `stop` turns true: run due jobs and, with a deliverer,
    /// deliver due effects.
    pub async fn work(
        self: &Arc<Self>,
        deliver: Option<Arc<dyn Deliver>>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), OrchestratorError> {
        while !*stop.borrow() {
            let ran = match self.tick().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "worker pass failed; retrying");
                    0
                }
            };
            let delivered = match &deliver {
                Some(d) => self.deliver_due(d.as_ref()).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "delivery pass failed; retrying");
                    0
                }),
                None => 0,
            };
            if ran == 0 && delivered == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.runner.poll()) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        Ok(())
    }
}
