//! The orchestrator on a real store: real sequences over the real
//! `scripted` test guest, a manual clock for time, and the apps a test
//! puts on the engine's seam (none, a small one of its own, or the sales
//! app in the end-to-end binary).

use crate::guest;
use baton_engine::orchestrator::{
    Config, Event, Extensions, ManualClock, Orchestrator, Sequences, Submitted, sequence,
};
use baton_engine::registry::{Grants, Registry};
use baton_engine::runtime::{Runtime, RuntimeConfig};
use baton_engine::store::{
    GateStatus, Job, JobId, OrgId, PendingAction, Reach, StepRunStatus, Store, UserId,
};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// 2026-11-23 15:00 UTC, a Monday afternoon.
pub const T0: i64 = 1_795_446_000_000;

/// An orchestrator over a store, with the org, rep and clock its tests use.
pub struct Harness {
    pub orch: Arc<Orchestrator>,
    pub clock: Arc<ManualClock>,
    pub org: OrgId,
    pub user: UserId,
    _skills: tempfile::TempDir,
}

/// An org `acme` with rep `rep1`, the `scripted` guest installed, and the
/// given sequences (TOML texts); the engine alone, no app on its seam.
pub async fn harness(store: Store, sequences: &[&str]) -> Harness {
    harness_with(store, sequences, Arc::new([])).await
}

/// [`harness`] with `extensions` on the engine's seam.
pub async fn harness_with(store: Store, sequences: &[&str], extensions: Extensions) -> Harness {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let user = store
        .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
        .await
        .expect("user");
    let skills = tempfile::tempdir().expect("tempdir");
    std::fs::copy(guest("scripted"), skills.path().join("scripted.wasm")).expect("copy guest");
    let runtime = Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let registry = Registry::open(runtime, skills.path(), Grants::trust_declared())
        .await
        .expect("registry");
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    let mut all = Sequences::default();
    for (n, text) in sequences.iter().enumerate() {
        let file = format!("seq{n}.toml");
        all.insert(sequence::parse(Path::new(&file), text).expect("sequence parses"));
    }
    let clock = ManualClock::at(T0);
    let orch = Orchestrator::new(
        store,
        registry,
        all,
        clock.clone(),
        Config::default(),
        extensions,
    );
    Harness {
        orch,
        clock,
        org,
        user,
        _skills: skills,
    }
}

impl Harness {
    /// An event of `event_type` for `acme`'s `rep1`.
    pub fn event(&self, event_type: &str, payload: Value) -> Event {
        Event {
            event_type: event_type.into(),
            org: "acme".into(),
            user: "rep1".into(),
            payload,
            source: "test".into(),
            idempotency_key: None,
        }
    }

    /// Submit an event; the job it started.
    pub async fn send(&self, event_type: &str, payload: Value) -> JobId {
        match self
            .orch
            .submit(&self.event(event_type, payload))
            .await
            .expect("submit")
        {
            Submitted::Accepted { job_id, .. } => job_id,
            other => panic!("event refused: {other:?}"),
        }
    }

    /// The job `id`, which must exist.
    pub async fn job(&self, id: &JobId) -> Job {
        self.orch
            .store
            .job(&self.org, id)
            .await
            .expect("job")
            .expect("job exists")
    }

    /// The org's open gates.
    pub async fn open_gates(&self) -> Vec<PendingAction> {
        self.orch
            .store
            .pending_actions(&self.org, &Reach::Org, Some(GateStatus::Open), 100)
            .await
            .expect("gates")
    }

    /// The data of `step`'s last completed run in `job` (null when none).
    pub async fn data_of(&self, job: &JobId, step: &str) -> Value {
        let runs = self
            .orch
            .store
            .step_runs(&self.org, job)
            .await
            .expect("runs");
        runs.into_iter()
            .rev()
            .find(|r| r.step_name == step && r.status == StepRunStatus::Completed)
            .and_then(|r| r.output)
            .map(|o| o["data"].clone())
            .unwrap_or(Value::Null)
    }
}

/// The job's `meta` state (steps done, failed, …).
pub fn meta(job: &Job) -> Value {
    job.state["meta"].clone()
}
