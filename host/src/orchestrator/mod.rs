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
pub mod edit;
pub mod events;
pub mod import;
pub mod notify;
pub mod policy;
pub mod quiet;
pub mod runner;
pub mod scheduler;
pub mod sequence;
pub mod state;
pub mod views;

pub use approvals::Decider;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, Pricing, RunnerConfig};
pub use events::{Event, Reason, Submitted};
pub use sequence::{Sequence, SequenceError, Sequences};
pub use state::JobState;

use crate::connectors::Deliver;
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
    /// Woken when a committed step opened a gate or queued a notification,
    /// so the notifier tells the rep at once rather than at its next poll.
    to_announce: Arc<tokio::sync::Notify>,
    /// Woken when a job became runnable here (accepted, or decided), so a
    /// worker claims it at once rather than at its next poll.
    to_run: tokio::sync::Notify,
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
        Orchestrator::with_llm(store, registry, sequences, clock, config, None)
    }

    /// [`Orchestrator::new`] with an LLM connector lent to skills that
    /// declare the capability.
    pub fn with_llm(
        store: Store,
        registry: Arc<Registry>,
        sequences: Sequences,
        clock: Arc<dyn Clock>,
        config: Config,
        llm: Option<Arc<dyn LlmClient>>,
    ) -> Arc<Orchestrator> {
        let committer = Committer::start(store.clone());
        Arc::new(Orchestrator {
            worker_id: format!("{}-{}", std::process::id(), crate::store::new_id()),
            store,
            registry,
            sequences: Arc::new(sequences),
            clock,
            config,
            llm,
            committer,
            to_announce: Arc::default(),
            to_run: tokio::sync::Notify::new(),
        })
    }

    /// Notified when there is something new for the notifier (see
    /// [`notify::Notifier::run`]); other replicas' work is
    /// found by its poll.
    pub fn to_announce(&self) -> Arc<tokio::sync::Notify> {
        self.to_announce.clone()
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

    /// Work until `stop` turns true: keep up to `runner.concurrency` jobs
    /// running (a slow job never holds back the others' claims) and, with a
    /// deliverer, deliver due effects. On stop, the jobs in flight run to
    /// their next rest or checkpoint before this returns.
    pub async fn work(
        self: &Arc<Self>,
        deliver: Option<Arc<dyn Deliver>>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), OrchestratorError> {
        let slots = self.config.runner.concurrency.max(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(slots));
        while !*stop.borrow() {
            let claimed = self.claim_into(&permits).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "claiming jobs failed; retrying");
                0
            });
            let delivered = match &deliver {
                Some(d) => self.deliver_due(d.as_ref()).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "delivery pass failed; retrying");
                    0
                }),
                None => 0,
            };
            if claimed == 0 && delivered == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.runner.poll()) => {}
                    _ = self.to_run.notified() => {}
                    _ = stop.changed() => {}
                }
            }
        }
        // Wait for the jobs in flight.
        let _all = permits
            .acquire_many(u32::try_from(slots).unwrap_or(u32::MAX))
            .await
            .map_err(|e| OrchestratorError::Internal(e.to_string()))?;
        Ok(())
    }

    /// Claim as many due jobs as there are free slots and start each on its
    /// own task. Returns how many were claimed.
    pub(crate) async fn claim_into(
        self: &Arc<Self>,
        permits: &Arc<tokio::sync::Semaphore>,
    ) -> Result<usize, OrchestratorError> {
        let free = permits.available_permits();
        if free == 0 {
            return Ok(0);
        }
        let now = self.clock.now_ms();
        self.store.expire_actions(now).await?;
        let runner = &self.config.runner;
        let jobs = self
            .store
            .claim_jobs(&self.worker_id, free as i64, runner.lease_ms, now)
            .await?;
        let claimed = jobs.len();
        for job in jobs {
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| OrchestratorError::Internal(e.to_string()))?;
            let me = self.clone();
            tokio::spawn(async move {
                let _slot = permit;
                let id = job.id.clone();
                if let Err(e) = me.run_job(job).await {
                    // The job keeps its lease and is resumed when it expires.
                    tracing::warn!(job = %id, error = %e, "job run interrupted");
                }
            });
        }
        Ok(claimed)
    }
}
