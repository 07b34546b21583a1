//! Orchestrator benchmarks (a plain harness: throughput and latency, not
//! criterion's per-iteration timing). Needs `cargo xtask build` first, and
//! the Postgres at `BATON_TEST_PG` (default the local server) for its half.
//!
//! - the disk's fsync rate, measured in the same run as the baseline;
//! - durable steps per second: 10-step sequences of the trivial guest,
//!   every stage checkpointed, on SQLite and on Postgres;
//! - event → approval request recorded, for a 7-step sequence whose last
//!   step waits for a person (p50, p95);
//! - decision → its email queued in the outbox, with a worker running at
//!   the default poll interval: decided through the worker's own
//!   orchestrator (which wakes it) against decided through another one on
//!   the same database (which does not: the job waits for the next poll),
//!   interleaved round by round (p50 of each, median per-round ratio).

use baton::orchestrator::{
    Config, Decider, Event, Orchestrator, Sequences, Submitted, SystemClock, sequence,
};
use baton::registry::{Grants, Registry};
use baton::runtime::Decision;
use baton::runtime::{Runtime, RuntimeConfig};
use baton::store::{GateStatus, JobId, Store};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const JOBS: usize = 400;
const STEPS: usize = 10;
const GATE_RUNS: usize = 60;
/// Rounds of the decision bench, each deciding one gate each way (under
/// the default daily send cap of 50 recipients).
const DECIDE_ROUNDS: usize = 20;

/// A follow-up email the policy gates, then one more step.
const DECIDE_TOML: &str = r#"
event = "decided"

[[step]]
name = "draft"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Follow-up", payload = { to = "marta.ruiz@northwind.example", subject = "Next steps", body = "Thanks for today." } }] }

[[step]]
name = "after"
skill = "scripted"
"#;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// fsync()s per second of a 4 KiB write in `dir`, over about a second.
fn fsync_rate(dir: &Path) -> f64 {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path).expect("probe file");
    let block = [7u8; 4096];
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < Duration::from_secs(1) {
        f.write_all(&block).expect("write");
        f.sync_data().expect("fsync");
        n += 1;
    }
    let rate = f64::from(n) / start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&path);
    rate
}

fn steps_toml(event: &str, n: usize, gate_last: bool) -> String {
    let mut s = format!("event = \"{event}\"\n");
    for i in 0..n {
        s.push_str(&format!("[[step]]\nname = \"s{i}\"\nskill = \"trivial\"\n"));
        if gate_last && i + 1 == n {
            s.push_str("approval = \"confirm\"\n");
        }
    }
    s
}

async fn orchestrator(store: Store, skills: &Path) -> Arc<Orchestrator> {
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let registry = Registry::open(runtime, skills, Grants::trust_declared())
        .await
        .expect("registry");
    let mut all = Sequences::default();
    for text in [
        steps_toml("throughput", STEPS, false),
        steps_toml("gated", 7, true),
        DECIDE_TOML.to_owned(),
    ] {
        all.insert(sequence::parse(Path::new("bench.toml"), &text).expect("sequence"));
    }
    Orchestrator::new(
        store,
        registry,
        all,
        Arc::new(SystemClock),
        Config::default(),
        baton::sales::extensions(),
    )
}

fn event(kind: &str, n: usize) -> Event {
    Event {
        event_type: kind.into(),
        org: "bench".into(),
        user: "rep1".into(),
        payload: json!({ "n": n }),
        source: "bench".into(),
        idempotency_key: None,
    }
}

async fn submit(orch: &Orchestrator, kind: &str, n: usize) -> JobId {
    match orch.submit(&event(kind, n)).await.expect("submit") {
        Submitted::Accepted { job_id, .. } => job_id,
        other => panic!("refused: {other:?}"),
    }
}

async fn run(label: &str, store: Store, skills: &Path) {
    let org = store
        .upsert_org("bench", "Bench", &json!({}))
        .await
        .expect("org");
    store
        .upsert_user(&org, "rep1", "Rep", "rep@bench.example", "rep")
        .await
        .expect("user");
    let orch = orchestrator(store, skills).await;
    // Warm up: compile, first instances.
    submit(&orch, "throughput", usize::MAX).await;
    orch.drain().await.expect("warm-up");

    for n in 0..JOBS {
        submit(&orch, "throughput", n).await;
    }
    let start = Instant::now();
    orch.drain().await.expect("drain");
    let secs = start.elapsed().as_secs_f64();
    let steps = (JOBS * STEPS) as f64;
    println!(
        "{label:<9} durable steps/s: {:>8.0}  ({JOBS} jobs × {STEPS} steps in {secs:.2} s)",
        steps / secs
    );

    let mut latencies = Vec::with_capacity(GATE_RUNS);
    for n in 0..GATE_RUNS {
        let t = Instant::now();
        submit(&orch, "gated", n).await;
        orch.drain().await.expect("drain");
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{label:<9} event → gate recorded (7 steps): p50 {:.2} ms, p95 {:.2} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3
    );
    decide_to_outbox(label, &orch, skills).await;
    orch.store.close().await;
}

/// Decision → effect queued, through the working orchestrator (`woken`)
/// and through a second one on the same database (`next poll`).
async fn decide_to_outbox(label: &str, orch: &Arc<Orchestrator>, skills: &Path) {
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let worker = {
        let orch = orch.clone();
        tokio::spawn(async move { orch.work(None, stop).await })
    };
    let elsewhere = orchestrator(orch.store.clone(), skills).await;
    let org = orch
        .store
        .org_by_slug("bench")
        .await
        .expect("org")
        .expect("bench org")
        .id;
    let mut woken = Vec::with_capacity(DECIDE_ROUNDS);
    let mut polled = Vec::with_capacity(DECIDE_ROUNDS);
    for n in 0..DECIDE_ROUNDS {
        for (side, decider, out) in [(0, orch, &mut woken), (1, &elsewhere, &mut polled)] {
            let job = submit(orch, "decided", n * 2 + side).await;
            let gate = loop {
                let open = orch
                    .store
                    .pending_actions(
                        &org,
                        &baton::store::Reach::Org,
                        Some(GateStatus::Open),
                        1000,
                    )
                    .await
                    .expect("gates");
                if let Some(g) = open.into_iter().find(|g| g.job_id == job) {
                    break g.id;
                }
                tokio::time::sleep(Duration::from_micros(500)).await;
            };
            let t = Instant::now();
            decider
                .decide(
                    &org,
                    &gate,
                    Decision::Approved,
                    &Decider::new("bench", baton::store::Reach::Org),
                )
                .await
                .expect("decide");
            while orch
                .store
                .effects(&org, Some(&job), 10)
                .await
                .expect("effects")
                .is_empty()
            {
                tokio::time::sleep(Duration::from_micros(500)).await;
            }
            out.push(t.elapsed());
        }
    }
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let mut ratios: Vec<f64> = polled
        .iter()
        .zip(&woken)
        .map(|(p, w)| p.as_secs_f64() / w.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    println!(
        "{label:<9} decision → email queued (poll {} ms): woken p50 {:.2} ms, next poll p50 {:.2} ms, \
         median per-round ratio {:.1}x ({DECIDE_ROUNDS} rounds)",
        orch.config.runner.poll().as_millis(),
        p50(&mut woken),
        p50(&mut polled),
        ratios[ratios.len() / 2]
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument may follow.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if !filter.is_empty() && !filter.iter().any(|f| "orchestrator".contains(f.as_str())) {
        return;
    }
    let skills = tempfile::tempdir().expect("tempdir");
    let trivial = root().join("target/test-guests/trivial.wasm");
    assert!(
        trivial.exists(),
        "{} missing: run `cargo xtask build`",
        trivial.display()
    );
    std::fs::copy(&trivial, skills.path().join("trivial.wasm")).expect("copy");
    let scripted = root().join("target/test-guests/scripted.wasm");
    std::fs::copy(&scripted, skills.path().join("scripted.wasm")).expect("copy");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio");
    let data = tempfile::tempdir_in(root().join("target")).expect("tempdir");
    println!(
        "disk fsync rate: {:.0}/s (4 KiB write + fdatasync, {})",
        fsync_rate(data.path()),
        data.path().display()
    );
    rt.block_on(async {
        let db = data.path().join("bench.db");
        let store = baton::store::open(&db.display().to_string())
            .await
            .expect("sqlite");
        run("sqlite", store, skills.path()).await;

        let admin = std::env::var("BATON_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("baton_bench_{}", std::process::id());
        let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await else {
            println!("postgres  skipped: no server at {admin}");
            return;
        };
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let url = format!(
            "{}/{name}",
            admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
        );
        let store = baton::store::open(&url).await.expect("postgres");
        run("postgres", store, skills.path()).await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    });
}
