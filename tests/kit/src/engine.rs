//! The orchestrator end to end, on SQLite and on Postgres: real sequences
//! over the real `scripted` test guest, a manual clock for time. The
//! harness is here; each submodule is one topic.

mod admission;
mod approvals;
mod decisions;
mod example_app;
mod extension;
mod failures;
mod flow;
mod limits;

use baton::orchestrator::{
    Config, Event, Extensions, ManualClock, Orchestrator, Sequences, Submitted, sequence,
};
use baton::registry::{Grants, Registry};
use baton::runtime::{Runtime, RuntimeConfig};
use baton::store::{JobId, OrgId, StepRunStatus, Store, UserId};
use baton_tests::guest;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// 2026-11-23 15:00 UTC, a Monday afternoon.
const T0: i64 = 1_795_446_000_000;

struct Harness {
    orch: Arc<Orchestrator>,
    clock: Arc<ManualClock>,
    org: OrgId,
    user: UserId,
    _skills: tempfile::TempDir,
}

/// An org `acme` with rep `rep1`, the `scripted` guest installed, and the
/// given sequences (TOML texts); the engine alone, no app on its seam.
async fn harness(store: Store, sequences: &[&str]) -> Harness {
    harness_with(store, sequences, Arc::new([])).await
}

/// [`harness`] with `extensions` on the engine's seam.
async fn harness_with(store: Store, sequences: &[&str], extensions: Extensions) -> Harness {
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
    fn event(&self, event_type: &str, payload: Value) -> Event {
        Event {
            event_type: event_type.into(),
            org: "acme".into(),
            user: "rep1".into(),
            payload,
            source: "test".into(),
            idempotency_key: None,
        }
    }

    async fn send(&self, event_type: &str, payload: Value) -> JobId {
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

    async fn job(&self, id: &JobId) -> baton::store::Job {
        self.orch
            .store
            .job(&self.org, id)
            .await
            .expect("job")
            .expect("job exists")
    }

    async fn open_gates(&self) -> Vec<baton::store::PendingAction> {
        self.orch
            .store
            .pending_actions(
                &self.org,
                &baton::store::Reach::Org,
                Some(baton::store::GateStatus::Open),
                100,
            )
            .await
            .expect("gates")
    }

    async fn data_of(&self, job: &JobId, step: &str) -> Value {
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

fn meta(job: &baton::store::Job) -> Value {
    job.state["meta"].clone()
}
