//! The compile cache: compiled components are kept on disk, keyed by every
//! engine setting that makes an artifact unusable, and an unusable entry is
//! discarded and rebuilt, never trusted.

use baton_runtime::registry::Grants;
use baton_runtime::{CallContext, CallInput, Limits, Runtime, RuntimeConfig};
use baton_testkit::{guest, input};
use std::path::Path;
use std::sync::Arc;

/// Compiled components are cached on disk; an unusable cache entry is
/// discarded and rebuilt, never trusted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compiled_components_are_cached_and_bad_entries_rebuilt() {
    let cache = tempfile::tempdir().expect("tempdir");
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: Some(cache.path().to_owned()),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let first = baton_runtime::registry::load_skill(&runtime, &guest("trivial"), &Grants::none())
        .await
        .expect("first load compiles");
    let entries: Vec<_> = std::fs::read_dir(cache.path())
        .expect("cache dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let name = entries[0]
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        name.starts_with(&first.sha256) && name.ends_with(".cwasm"),
        "{name}"
    );

    // Corrupt the entry: the next load ignores it and writes a good one.
    std::fs::write(&entries[0], b"not a compiled component").expect("corrupt");
    let again = baton_runtime::registry::load_skill(&runtime, &guest("trivial"), &Grants::none())
        .await
        .expect("load despite a bad cache entry");
    assert_eq!(again.sha256, first.sha256);
    assert!(std::fs::metadata(&entries[0]).expect("rewritten").len() > 1000);
    let call_input: CallInput =
        serde_json::from_str(&input("tick", serde_json::json!({}))).expect("input");
    let out = again
        .call(
            &call_input,
            &Limits::default(),
            Arc::new(CallContext::default()),
        )
        .await;
    assert!(out.outcome.is_ok(), "{:?}", out.outcome);
}

/// The cache key covers every engine setting that makes an artifact
/// unusable, and nothing else: engines whose artifacts cannot be shared
/// (fuel on and off) get different keys; engines that share a key (the
/// CLI's unpooled runtime and the service's pool, whatever its sizes) load
/// each other's artifact, so neither compiles again nor discards the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_key_separates_only_engines_that_cannot_share() {
    let cache = tempfile::tempdir().expect("tempdir");
    let config = |pooling: bool, fuel: bool, max_memory_bytes: usize, max_instances: u32| {
        Runtime::new(RuntimeConfig {
            cache_dir: Some(cache.path().to_owned()),
            pooling,
            fuel,
            max_memory_bytes,
            max_instances,
        })
        .expect("runtime")
    };
    let engines = [
        ("pool", config(true, true, 512 << 20, 64)),
        ("cli", config(false, true, 512 << 20, 64)),
        ("small pool", config(true, true, 64 << 20, 4)),
        ("no fuel", config(true, false, 512 << 20, 64)),
    ];
    let bytes = std::fs::read(guest("trivial")).expect("guest");
    let key = |rt: &Runtime| rt.cached_artifact(&bytes).expect("cache on");
    // An artifact an engine refuses is removed and written again: a new
    // file. So each engine's artifact, once written, must stay the same file.
    let inode =
        |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).expect("artifact"));
    let mut written = std::collections::BTreeMap::new();
    for (name, rt) in &engines {
        rt.compile(&bytes).expect("compile");
        written
            .entry(key(rt))
            .or_insert_with(|| (name, inode(&key(rt))));
        for (path, (first, ino)) in &written {
            assert_eq!(inode(path), *ino, "{name} discarded {first}'s artifact");
        }
    }
    assert_ne!(
        key(&engines[0].1),
        key(&engines[3].1),
        "fuel changes the code"
    );
    let artifacts: std::collections::BTreeSet<_> = engines.iter().map(|(_, rt)| key(rt)).collect();
    let on_disk = std::fs::read_dir(cache.path())
        .expect("cache dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .count();
    assert_eq!(on_disk, artifacts.len(), "one artifact per key");
    assert!(
        artifacts.len() < engines.len(),
        "the CLI and the pool share one: {artifacts:?}"
    );
}
