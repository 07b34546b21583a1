//! Runtime benchmarks (criterion). Needs `cargo xtask build` first.
//!
//! - `call/trivial`: one call of the trivial guest through baton (fresh
//!   pooled instance, capabilities, fuel and deadline, audit) against bare
//!   wasmtime on the same component in the same run, and baton with fuel off.
//! - `detect-intents/60min`: the shipped skill over a ~55-minute earnings
//!   call from `shared/data/transcripts` (82 long turns, ~9,000 words).
//! - `detect-intents/output_schema`: checking that call's output data
//!   against the skill's compiled output schema, alone; then the call with
//!   the check (`LoadedSkill::call`) against without it (`SkillPre::call`),
//!   interleaved round by round (p50 of each, median per-round ratio).

use baton::registry::{Grants, load_skill};
use baton::runtime::{CallContext, CallInput, Limits, Runtime, RuntimeConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod bare {
    //! The baseline: wasmtime with WASI and nothing of baton's.
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "skill",
        exports: { default: async },
    });
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn artifact(rel: &str) -> PathBuf {
    let p = root().join(rel);
    assert!(
        p.exists(),
        "{} missing: run `cargo xtask build`",
        p.display()
    );
    p
}

fn input(event_type: &str, payload: serde_json::Value) -> CallInput {
    serde_json::from_value(serde_json::json!({
        "event": { "id": "e", "type": event_type, "source": "bench", "org": "demo", "user": "rep1", "payload": payload }
    }))
    .expect("input")
}

struct BareState {
    wasi: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

impl wasmtime_wasi::WasiView for BareState {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

fn bare_baseline(path: &Path) -> (wasmtime::Engine, bare::SkillPre<BareState>) {
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    let mut pool = wasmtime::PoolingAllocationConfig::new();
    pool.total_component_instances(64);
    pool.max_memory_size(512 << 20);
    config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    let engine = wasmtime::Engine::new(&config).expect("engine");
    let component = wasmtime::component::Component::from_file(&engine, path).expect("component");
    let mut linker = wasmtime::component::Linker::<BareState>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker).expect("wasi");
    let pre = linker.instantiate_pre(&component).expect("instantiate_pre");
    (engine, bare::SkillPre::new(pre).expect("skill exports"))
}

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio");
    let trivial = artifact("target/test-guests/trivial.wasm");
    let call_input = input("tick", serde_json::json!({}));
    let limits = Limits::default();
    let ctx = Arc::new(CallContext::default());

    let mut group = c.benchmark_group("call/trivial");
    group.measurement_time(Duration::from_secs(4));

    let (engine, pre) = bare_baseline(&trivial);
    let wit_input = bare::baton::skill::types::Input {
        event: bare::baton::skill::types::Event {
            id: "e".into(),
            event_type: "tick".into(),
            source: "bench".into(),
            org: "demo".into(),
            user: "rep1".into(),
            payload: "{}".into(),
            chain_depth: 0,
        },
        params: "{}".into(),
        previous: vec![],
    };
    group.bench_function("bare_wasmtime", |b| {
        b.iter(|| {
            rt.block_on(async {
                let state = BareState {
                    wasi: wasmtime_wasi::WasiCtxBuilder::new().build(),
                    table: wasmtime::component::ResourceTable::new(),
                };
                let mut store = wasmtime::Store::new(&engine, state);
                let skill = pre
                    .instantiate_async(&mut store)
                    .await
                    .expect("instantiate");
                let out = skill.call_run(&mut store, &wit_input).await.expect("call");
                assert!(out.is_ok());
            })
        })
    });

    for (name, fuel) in [("baton", true), ("baton_fuel_off", false)] {
        let runtime = Runtime::new(RuntimeConfig {
            fuel,
            ..RuntimeConfig::default()
        })
        .expect("runtime");
        let skill = rt
            .block_on(load_skill(&runtime, &trivial, &Grants::none()))
            .expect("load");
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = rt.block_on(skill.call(&call_input, &limits, ctx.clone()));
                assert!(r.outcome.is_ok());
            })
        });
    }
    group.finish();

    // detect-intents over a real ~55-minute call.
    let transcript = artifact("tests/data/shared/transcripts/normalized/earnings21__4320211.jsonl");
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
    let call_input = input(
        "meeting_ended",
        serde_json::json!({ "meeting_id": "bench", "utterances": utterances }),
    );
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let skill = rt
        .block_on(load_skill(
            &runtime,
            &artifact("target/skills/detect-intents.wasm"),
            &Grants::none(),
        ))
        .expect("load detect-intents");
    let limits = Limits {
        fuel: skill.manifest.default_fuel,
        ..Limits::default()
    };
    let mut group = c.benchmark_group("detect-intents");
    group.sample_size(20);
    group.bench_function("60min", |b| {
        b.iter(|| {
            let r = rt.block_on(skill.call(&call_input, &limits, ctx.clone()));
            assert!(r.outcome.is_ok(), "{:?}", r.outcome);
        })
    });
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
    group.finish();
    checked_against_unchecked(&rt, &skill, &call_input, &limits, &ctx);
}

/// Rounds of the interleaved call comparison.
const SCHEMA_ROUNDS: usize = 30;

/// The call with its output checked against its schema, against the bare
/// call, interleaved (the order flips each round).
fn checked_against_unchecked(
    rt: &tokio::runtime::Runtime,
    skill: &baton::registry::LoadedSkill,
    input: &CallInput,
    limits: &Limits,
    ctx: &Arc<CallContext>,
) {
    let unchecked = || {
        let t = Instant::now();
        let r = rt.block_on(skill.pre.call(
            &skill.manifest.name,
            input,
            limits,
            skill.effective.clone(),
            ctx.clone(),
            None,
        ));
        assert!(r.outcome.is_ok());
        t.elapsed()
    };
    let checked = || {
        let t = Instant::now();
        let r = rt.block_on(skill.call(input, limits, ctx.clone()));
        assert!(r.outcome.is_ok());
        t.elapsed()
    };
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..SCHEMA_ROUNDS {
        if round % 2 == 0 {
            without.push(unchecked());
            with.push(checked());
        } else {
            with.push(checked());
            without.push(unchecked());
        }
    }
    let mut ratios: Vec<f64> = with
        .iter()
        .zip(&without)
        .map(|(w, o)| w.as_secs_f64() / o.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    eprintln!(
        "detect-intents/60min output checked: p50 {:.3} ms, unchecked p50 {:.3} ms, \
         median per-round ratio {:.4} ({SCHEMA_ROUNDS} rounds)",
        p50(&mut with),
        p50(&mut without),
        ratios[ratios.len() / 2]
    );
}

criterion_group!(benches, calls);
criterion_main!(benches);
