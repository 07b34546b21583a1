//! Runtime benchmarks. Needs `cargo xtask build` first (the guests and
//! skills under the target folder: `CARGO_TARGET_DIR`, else `target/`).
//!
//! What baton's call costs over bare wasmtime is a ratio of two timings, and
//! on a shared machine two timings taken one after the other differ by more
//! than that ratio. So each comparison is [`interleaved`]: rounds that time a
//! batch of each side back to back, the ratio taken per round, the median
//! of those ratios printed with the p50 of each side. A positional argument
//! (`cargo bench -p baton --bench runtime -- call/trivial`) selects the
//! comparisons and criterion benchmarks whose names contain it.
//!
//! - `call/trivial`: one call of the trivial guest through baton (fresh
//!   pooled instance, capabilities, fuel and deadline, memory limiter,
//!   audit, output checks) against bare wasmtime on the same component,
//!   with wasmtime's default pool and with baton's; then baton with fuel
//!   off against the latter.
//! - `call/detect-intents`: the same for a real call, the shipped skill over
//!   a ~55-minute earnings call from `shared/data/transcripts` (82 long
//!   turns, ~9,000 words).
//! - `detect-intents/60min` (criterion): that call through baton alone.
//! - `detect-intents/output_schema`: checking that call's output data
//!   against the skill's compiled output schema, alone (criterion); then
//!   the call with the check (`LoadedSkill::call`) against without it
//!   (`SkillPre::call`), interleaved.

use baton::registry::{Grants, load_skill};
use baton::runtime::{CallContext, CallInput, Limits, Runtime, RuntimeConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "runtime/bare.rs"]
mod bare;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The build's target folder: `CARGO_TARGET_DIR`, else `target/`.
fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn exists(p: PathBuf) -> PathBuf {
    assert!(
        p.exists(),
        "{} missing: run `cargo xtask build`",
        p.display()
    );
    p
}

/// Whether the command line selects `name`: no positional argument, or one
/// that `name` contains (criterion's filter, applied to the comparisons
/// too).
fn selected(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn input(event_type: &str, payload: serde_json::Value) -> CallInput {
    serde_json::from_value(serde_json::json!({
        "event": { "id": "e", "type": event_type, "source": "bench", "org": "demo", "user": "rep1", "payload": payload }
    }))
    .expect("input")
}

/// One side of an [`interleaved`] comparison: its name and one run.
struct Side<'a> {
    name: &'a str,
    run: &'a mut dyn FnMut(),
}

impl Side<'_> {
    /// Time `batch` runs back to back.
    fn time(&mut self, batch: usize) -> Duration {
        let t = Instant::now();
        for _ in 0..batch {
            (self.run)();
        }
        t.elapsed()
    }
}

/// Compare `candidate` against `baseline` at the same moment on the same
/// machine: after one round of warm-up, `rounds` rounds each time a batch of
/// `batch` runs of one side then of the other, the order flipping each
/// round, and take the ratio candidate / baseline per round. Whatever slows
/// the machine for a while slows both halves of a round alike, so the median
/// per-round ratio holds still where two sequential measurements do not.
/// Prints the p50 per run of each side and the median ratio with its
/// quartiles.
fn interleaved(
    label: &str,
    rounds: usize,
    batch: usize,
    mut baseline: Side<'_>,
    mut candidate: Side<'_>,
) {
    baseline.time(batch);
    candidate.time(batch);
    let (mut base, mut cand) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            base.push(baseline.time(batch));
            cand.push(candidate.time(batch));
        } else {
            cand.push(candidate.time(batch));
            base.push(baseline.time(batch));
        }
    }
    let mut ratios: Vec<f64> = cand
        .iter()
        .zip(&base)
        .map(|(c, b)| c.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let q = |p: usize| ratios[(ratios.len() - 1) * p / 4];
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        per_run(v[v.len() / 2], batch)
    };
    eprintln!(
        "{label}: {} p50 {}, {} p50 {}; median per-round ratio {:.3} \
         (quartiles {:.3}–{:.3}; {rounds} rounds × {batch})",
        candidate.name,
        p50(&mut cand),
        baseline.name,
        p50(&mut base),
        q(2),
        q(1),
        q(3),
    );
}

/// A batch's time per run, in the unit that suits it.
fn per_run(batch_time: Duration, batch: usize) -> String {
    let s = batch_time.as_secs_f64() / batch as f64;
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else {
        format!("{:.3} ms", s * 1e3)
    }
}

/// The skill at `path` through baton (with its manifest's fuel) against
/// the same component under bare wasmtime, interleaved, three ways: against
/// wasmtime's default pool (the figure issue 23 tracks), against baton's
/// pool settings (what is left is baton's own work: WASI context, limiter,
/// fuel, epochs, capabilities, audit, input and output JSON, output checks),
/// and with fuel metering off against baton's pool (what fuel costs).
fn against_bare(
    rt: &tokio::runtime::Runtime,
    label: &str,
    path: &Path,
    call_input: &CallInput,
    (rounds, batch): (usize, usize),
) {
    let mut default_pool = wasmtime::PoolingAllocationConfig::new();
    default_pool.total_component_instances(64);
    default_pool.max_memory_size(512 << 20);
    let bare_default = bare::Bare::new(path, default_pool);
    let bare_pool = bare::Bare::new(path, RuntimeConfig::default().pooling_allocation());
    let wit_input = bare::input(call_input);
    let ctx = Arc::new(CallContext::default());
    let load = |fuel| {
        let runtime = Runtime::new(RuntimeConfig {
            fuel,
            ..RuntimeConfig::default()
        })
        .expect("runtime");
        rt.block_on(load_skill(&runtime, path, &Grants::none()))
            .expect("load")
    };
    let (metered, unmetered) = (load(true), load(false));
    let limits = Limits {
        fuel: metered.manifest.default_fuel,
        ..Limits::default()
    };
    for (bare_name, baseline, name, skill) in [
        ("bare wasmtime", &bare_default, "baton", &metered),
        (
            "bare wasmtime (baton's pool)",
            &bare_pool,
            "baton",
            &metered,
        ),
        (
            "bare wasmtime (baton's pool)",
            &bare_pool,
            "baton (fuel off)",
            &unmetered,
        ),
    ] {
        interleaved(
            label,
            rounds,
            batch,
            Side {
                name: bare_name,
                run: &mut || rt.block_on(baseline.call(&wit_input)),
            },
            Side {
                name,
                run: &mut || {
                    let r = rt.block_on(skill.call(call_input, &limits, ctx.clone()));
                    assert!(r.outcome.is_ok(), "{:?}", r.outcome);
                },
            },
        );
    }
}

/// The ~55-minute earnings call as a `meeting_ended` input.
fn sixty_minute_call() -> CallInput {
    let transcript =
        exists(root().join("tests/data/shared/transcripts/normalized/earnings21__4320211.jsonl"));
    let text = std::fs::read_to_string(transcript).expect("transcript");
    let mut first = None;
    let utterances: Vec<_> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|row| {
            let speaker = row["speaker"].as_str().unwrap_or_default().to_owned();
            let role = if *first.get_or_insert_with(|| speaker.clone()) == speaker {
                "rep"
            } else {
                "prospect"
            };
            serde_json::json!({ "speaker": role, "text": row["text"], "start": row["start"] })
        })
        .collect();
    let words: usize = utterances
        .iter()
        .map(|u| {
            u["text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .count()
        })
        .sum();
    eprintln!(
        "detect-intents/60min: {} turns, {words} words",
        utterances.len()
    );
    input(
        "meeting_ended",
        serde_json::json!({ "meeting_id": "bench", "utterances": utterances }),
    )
}

/// Rounds and batch of the trivial call's comparisons. A call takes
/// 10–30 µs: a batch of 5 is short enough that most rounds run between two
/// preemptions of a busy machine.
const TRIVIAL_ROUNDS: (usize, usize) = (1000, 5);

/// Rounds and batch of detect-intents' comparisons. A call takes 10–15 ms,
/// longer than a time slice on a busy machine, so rounds vary more and
/// there are more of them.
const INTENTS_ROUNDS: (usize, usize) = (150, 1);

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio");
    if selected("call/trivial") {
        against_bare(
            &rt,
            "call/trivial",
            &exists(target().join("test-guests/trivial.wasm")),
            &input("tick", serde_json::json!({})),
            TRIVIAL_ROUNDS,
        );
    }
    let (whole, schema) = (
        selected("detect-intents/60min"),
        selected("detect-intents/output_schema"),
    );
    if !(selected("call/detect-intents") || whole || schema) {
        return;
    }
    let intents = exists(target().join("skills/detect-intents.wasm"));
    let call_input = sixty_minute_call();
    if selected("call/detect-intents") {
        against_bare(
            &rt,
            "call/detect-intents",
            &intents,
            &call_input,
            INTENTS_ROUNDS,
        );
    }
    if !(whole || schema) {
        return;
    }
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let skill = rt
        .block_on(load_skill(&runtime, &intents, &Grants::none()))
        .expect("load detect-intents");
    let limits = Limits {
        fuel: skill.manifest.default_fuel,
        ..Limits::default()
    };
    let ctx = Arc::new(CallContext::default());
    let mut group = c.benchmark_group("detect-intents");
    group.sample_size(20);
    group.bench_function("60min", |b| {
        b.iter(|| {
            let r = rt.block_on(skill.call(&call_input, &limits, ctx.clone()));
            assert!(r.outcome.is_ok(), "{:?}", r.outcome);
        })
    });
    if schema {
        let data = rt
            .block_on(skill.call(&call_input, &limits, ctx.clone()))
            .outcome
            .expect("detect-intents runs")
            .data;
        eprintln!(
            "detect-intents/output_schema: {} bytes of data, {} intents",
            data.to_string().len(),
            data["intents"].as_array().map_or(0, Vec::len)
        );
        group.sample_size(100);
        group.bench_function("output_schema", |b| {
            b.iter(|| assert!(skill.output_schema.check(&data).is_ok()))
        });
    }
    group.finish();
    if schema {
        interleaved(
            "detect-intents/60min output checked",
            30,
            1,
            Side {
                name: "unchecked",
                run: &mut || {
                    let r = rt.block_on(skill.pre.call(
                        &skill.manifest.name,
                        &call_input,
                        &limits,
                        skill.effective.clone(),
                        ctx.clone(),
                        None,
                    ));
                    assert!(r.outcome.is_ok());
                },
            },
            Side {
                name: "checked",
                run: &mut || {
                    let r = rt.block_on(skill.call(&call_input, &limits, ctx.clone()));
                    assert!(r.outcome.is_ok());
                },
            },
        );
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);
