//! A start on a cold compile cache: the folder's skills serve at once on
//! Winch's code, then `optimize` moves each to Cranelift's (the same
//! version, the same outputs) and fills the cache, which the next start
//! loads directly.

use baton_runtime::registry::{Grants, Registry, Reloaded};
use baton_runtime::{
    CallContext, CallInput, Compile, Limits, Runtime, RuntimeConfig, SkillOutput, Tier,
};
use baton_testkit::{guest, input, root, skill};
use std::path::Path;
use std::sync::Arc;

/// The shipped skill detect-intents (rules and a learned model read from
/// its data folder) in a folder of its own.
fn folder_with_detect_intents(dir: &Path) {
    let wasm = skill("detect-intents");
    std::fs::copy(&wasm, dir.join("detect-intents.wasm")).expect("copy the skill");
    let data = dir.join("detect-intents.data");
    std::fs::create_dir(&data).expect("data folder");
    for f in std::fs::read_dir(wasm.with_extension("data")).expect("the skill's data") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, data.join(f.file_name().expect("name"))).expect("copy data");
    }
}

fn cached(cache: &Path) -> usize {
    std::fs::read_dir(cache)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
                .count()
        })
        .unwrap_or(0)
}

/// The bundled discovery call, its words inline, through the live version.
async fn run(registry: &Registry) -> (Tier, SkillOutput) {
    let live = registry.get("detect-intents").expect("live");
    let text = std::fs::read_to_string(root().join("examples/transcripts/discovery-call.json"))
        .expect("sample");
    let input: CallInput = serde_json::from_str(&text).expect("a call input");
    let result = live
        .call(&input, &Limits::default(), Arc::new(CallContext::default()))
        .await;
    (live.tier(), result.outcome.expect("the call succeeds"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_start_serves_on_winch_then_moves_to_cranelift_with_the_same_outputs() {
    let (cache, dir) = (
        tempfile::tempdir().expect("cache"),
        tempfile::tempdir().expect("folder"),
    );
    folder_with_detect_intents(dir.path());
    let runtime = || {
        Runtime::new(RuntimeConfig {
            cache_dir: Some(cache.path().to_owned()),
            ..RuntimeConfig::default()
        })
        .expect("runtime")
    };
    let registry =
        Registry::empty(runtime(), dir.path(), Grants::trust_declared()).expect("registry");
    registry
        .load_folder(|_, _| {}, Compile::QuickFirst)
        .await
        .expect("load");
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    let (tier, quick) = run(&registry).await;
    assert_eq!(tier, Tier::Quick, "a cold cache starts on Winch");
    assert_eq!(cached(cache.path()), 0, "Winch's code is never cached");
    let since = registry.list()[0].live_since;

    let progress = std::sync::Mutex::new(Vec::new());
    registry
        .optimize(|done, of| progress.lock().expect("progress").push((done, of)))
        .await;
    assert_eq!(*progress.lock().expect("progress"), [(0, 1), (1, 1)]);
    let (tier, optimized) = run(&registry).await;
    assert_eq!(tier, Tier::Optimized);
    assert_eq!(
        serde_json::to_value(&quick).expect("json"),
        serde_json::to_value(&optimized).expect("json"),
        "both compilers' code answers alike"
    );
    let info = &registry.list()[0];
    assert_eq!(
        (info.live_since, info.compiled),
        (since, Tier::Optimized),
        "the same version, new code"
    );
    assert_eq!(cached(cache.path()), 1, "Cranelift's code is cached");

    // The next start finds Cranelift's code and has nothing to optimize.
    let again = Registry::empty(runtime(), dir.path(), Grants::trust_declared()).expect("registry");
    again
        .load_folder(|_, _| {}, Compile::QuickFirst)
        .await
        .expect("load");
    assert_eq!(run(&again).await.0, Tier::Optimized);
    let progress = std::sync::Mutex::new(Vec::new());
    again
        .optimize(|done, of| progress.lock().expect("progress").push((done, of)))
        .await;
    assert_eq!(*progress.lock().expect("progress"), [(0, 0)]);
}

/// A file changed while Cranelift compiles the version it replaces: the
/// new version stays live, never the old one's optimized code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_swapped_in_while_optimizing_stays_live() {
    let dir = tempfile::tempdir().expect("folder");
    let file = dir.path().join("trivial.wasm");
    std::fs::copy(guest("trivial"), &file).expect("copy");
    // No cache: every start is cold.
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let registry = Registry::empty(runtime, dir.path(), Grants::none()).expect("registry");
    registry
        .load_folder(|_, _| {}, Compile::QuickFirst)
        .await
        .expect("load");
    assert_eq!(registry.get("trivial").expect("live").tier(), Tier::Quick);
    registry
        .optimize(|done, _| {
            if done == 0 {
                // Before Cranelift has 1.0.0's code: 2.0.0 arrives.
                std::fs::copy(guest("trivial-v2"), &file).expect("copy");
                let reloaded = tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(registry.reload_path(&file))
                });
                assert!(matches!(reloaded, Reloaded::Live { .. }), "{reloaded:?}");
            }
        })
        .await;
    let live = registry.get("trivial").expect("live");
    assert_eq!(live.manifest.version.to_string(), "2.0.0");
    assert_eq!(
        live.tier(),
        Tier::Optimized,
        "a change compiles on Cranelift"
    );
    let input: CallInput =
        serde_json::from_str(&input("tick", serde_json::json!({}))).expect("input");
    let out = live
        .call(&input, &Limits::default(), Arc::new(CallContext::default()))
        .await;
    assert!(out.outcome.is_ok(), "{:?}", out.outcome);
}
