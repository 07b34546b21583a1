//! Hot swap: the registry watches its folder and swaps skills atomically while
//! calls run; calls in flight finish on the version they started with; a bad
//! file leaves the old version live and says why.

use baton_runtime::registry::{Grants, PublishError, Registry, Reloaded};
use baton_runtime::{CallContext, CallInput, Limits, Runtime, RuntimeConfig};
use baton_testkit::{PATIENCE, guest, input, poll};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Replace `to` with `from` the way deployments should: write aside, rename.
fn install(from: &Path, to: &Path) {
    let tmp = to.with_extension("tmp");
    std::fs::copy(from, &tmp).expect("copy");
    std::fs::rename(&tmp, to).expect("rename");
}

/// A registry on a fresh folder holding `trivial` 1.0.0 as `trivial.wasm`.
async fn trivial_registry() -> (tempfile::TempDir, std::path::PathBuf, Arc<Registry>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("trivial.wasm");
    install(&guest("trivial"), &file);
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let registry = Registry::open(runtime, dir.path(), Grants::none())
        .await
        .expect("open");
    (dir, file, registry)
}

/// Poll until `name` is live at `version`, or fail after a deadline.
async fn wait_for_version(registry: &Registry, name: &str, version: &str) {
    let live = poll(PATIENCE, async || {
        registry
            .get(name)
            .is_some_and(|s| s.manifest.version.to_string() == version)
            .then_some(())
    })
    .await;
    assert!(
        live.is_some(),
        "{name} never became {version}: {:?}",
        registry.problems()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swapping_repeatedly_under_load_fails_no_call() {
    let (_dir, file, registry) = trivial_registry().await;
    let reloads = Arc::new(AtomicUsize::new(0));
    let counter = reloads.clone();
    let _watcher = registry
        .watch(move |_, outcome| {
            if matches!(outcome, Reloaded::Live { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        })
        .expect("watch");

    let stop = Arc::new(AtomicBool::new(false));
    let call_input: CallInput =
        serde_json::from_str(&input("tick", serde_json::json!({}))).expect("input");
    let mut workers = Vec::new();
    for _ in 0..4 {
        let (registry, stop, call_input) = (registry.clone(), stop.clone(), call_input.clone());
        workers.push(tokio::spawn(async move {
            let (mut ok, mut versions) = (0usize, std::collections::BTreeSet::new());
            while !stop.load(Ordering::SeqCst) {
                let skill = registry.get("trivial").expect("trivial is always live");
                let result = skill
                    .call(
                        &call_input,
                        &Limits::default(),
                        Arc::new(CallContext::default()),
                    )
                    .await;
                let out = result.outcome.expect("no call fails during a swap");
                // The output comes from the version the call started on.
                assert_eq!(
                    out.data["version"],
                    skill.manifest.version.to_string().as_str()
                );
                versions.insert(skill.manifest.version.to_string());
                ok += 1;
            }
            (ok, versions)
        }));
    }

    let swaps = 6;
    for i in 0..swaps {
        let (from, version) = if i % 2 == 0 {
            (guest("trivial-v2"), "2.0.0")
        } else {
            (guest("trivial"), "1.0.0")
        };
        install(&from, &file);
        wait_for_version(&registry, "trivial", version).await;
    }
    stop.store(true, Ordering::SeqCst);
    let mut total = 0;
    let mut seen = std::collections::BTreeSet::new();
    for w in workers {
        let (ok, versions) = w.await.expect("worker panicked: a call failed");
        total += ok;
        seen.extend(versions);
    }
    assert!(total > 0);
    assert!(
        reloads.load(Ordering::SeqCst) >= swaps,
        "every swap was reported"
    );
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec!["1.0.0", "2.0.0"],
        "calls ran on both versions"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_leaves_the_old_version_live() {
    let (dir, file, registry) = trivial_registry().await;
    let before = registry.get("trivial").expect("live");

    std::fs::write(&file, b"\0asm garbage").expect("write");
    let outcome = registry.reload_path(&file).await;
    assert!(
        matches!(&outcome, Reloaded::Refused { reason } if reason.contains("could not compile")),
        "{outcome:?}"
    );
    let now = registry.get("trivial").expect("still live");
    assert_eq!(now.sha256, before.sha256);
    assert_eq!(registry.problems().len(), 1);

    // A second file providing the same skill is refused: a skill's file
    // is named for it.
    let twin = dir.path().join("twin.wasm");
    std::fs::copy(guest("trivial-v2"), &twin).expect("copy");
    let outcome = registry.reload_path(&twin).await;
    assert!(
        matches!(&outcome, Reloaded::Refused { reason } if reason.contains("must be named `trivial.wasm`")),
        "{outcome:?}"
    );
    assert_eq!(registry.get("trivial").expect("live").sha256, before.sha256);

    // Fixing the file swaps in the new version and clears the problem.
    install(&guest("trivial-v2"), &file);
    let outcome = registry.reload_path(&file).await;
    assert_eq!(
        outcome,
        Reloaded::Live {
            name: "trivial".into(),
            version: "2.0.0".into()
        }
    );
    assert!(
        registry
            .problems()
            .iter()
            .all(|p| !p.path.ends_with("trivial.wasm"))
    );

    // Removing the file removes the skill; a call holding the old Arc still works.
    std::fs::remove_file(&file).expect("remove");
    assert_eq!(
        registry.reload_path(&file).await,
        Reloaded::Removed {
            name: "trivial".into()
        }
    );
    assert!(registry.get("trivial").is_none());
    let call_input: CallInput =
        serde_json::from_str(&input("tick", serde_json::json!({}))).expect("input");
    let held = before
        .call(
            &call_input,
            &Limits::default(),
            Arc::new(CallContext::default()),
        )
        .await;
    assert!(held.outcome.is_ok());
}

/// A copy of a skill under another file name takes nothing over, even when
/// its name sorts first: the skill stays live from `<name>.wasm` and the
/// copy is refused with the reason.
#[tokio::test]
async fn a_copy_under_another_name_takes_nothing_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("trivial.wasm");
    install(&guest("trivial"), &file);
    let copy = dir.path().join("a-trivial-copy.wasm");
    install(&guest("trivial-v2"), &copy);
    let runtime = Runtime::new(RuntimeConfig::default()).expect("runtime");
    let registry = Registry::open(runtime, dir.path(), Grants::none())
        .await
        .expect("open");
    let live = registry.get("trivial").expect("live");
    assert_eq!(live.path, file);
    assert_eq!(live.manifest.version.to_string(), "1.0.0");
    let problems = registry.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].path.ends_with("a-trivial-copy.wasm"));
    assert!(
        problems[0].reason.contains("must be named `trivial.wasm`"),
        "{}",
        problems[0].reason
    );
}

/// A file changed or removed after the folder was loaded but before the
/// watch began raises no event; the watch still sees both (`baton serve`
/// used to say ready before it watched, and such an edit was ignored
/// until the file changed again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_before_the_watch_is_seen() {
    let (dir, file, registry) = trivial_registry().await;
    let other = dir.path().join("panic.wasm");
    install(&guest("panic"), &other);
    let loaded = registry.reload_path(&other).await;
    assert!(matches!(loaded, Reloaded::Live { .. }), "{loaded:?}");
    install(&guest("trivial-v2"), &file);
    std::fs::remove_file(&other).expect("remove");
    let _watcher = registry.watch(|_, _| {}).expect("watch");
    wait_for_version(&registry, "trivial", "2.0.0").await;
    let removed = poll(PATIENCE, async || {
        registry.get("panic").is_none().then_some(())
    })
    .await;
    assert!(removed.is_some(), "the removed file's skill still serves");
}

/// Reading a file raises access events; a reload reads the file, so the
/// watch must not take those for changes (it used to re-read a refused
/// file every 150 ms for as long as it stayed there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_file_is_read_once_not_in_a_loop() {
    let (dir, file, registry) = trivial_registry().await;
    let refusals = Arc::new(AtomicUsize::new(0));
    let counter = refusals.clone();
    let _watcher = registry
        .watch(move |_, outcome| {
            if matches!(outcome, Reloaded::Refused { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        })
        .expect("watch");
    let tmp = dir.path().join("junk.tmp");
    std::fs::write(&tmp, b"\0asm junk").expect("write");
    std::fs::rename(&tmp, &file).expect("rename");
    let refused = poll(PATIENCE, async || {
        (refusals.load(Ordering::SeqCst) > 0).then_some(())
    })
    .await;
    assert!(refused.is_some(), "the bad file was never refused");
    // Ten debounce periods: a loop would have refused it again by now.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(refusals.load(Ordering::SeqCst), 1);
}

/// An upload is checked before it touches the folder; a rollback puts the
/// previous version back, file and all; names cannot leave the folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_and_rollback_go_through_the_folder() {
    let (dir, file, registry) = trivial_registry().await;
    let v1 = registry.get("trivial").expect("live");
    let read = |p: &Path| -> std::sync::Arc<[u8]> { std::fs::read(p).expect("read").into() };

    let bad = registry.publish("trivial", b"\0asm junk"[..].into()).await;
    assert!(matches!(bad, Err(PublishError::Refused(_))), "{bad:?}");
    assert_eq!(
        std::fs::read(&file).expect("file"),
        &v1.bytes[..],
        "the file is untouched"
    );
    let info = registry
        .list()
        .into_iter()
        .find(|s| s.name == "trivial")
        .expect("listed");
    assert!(
        info.last_refused
            .is_some_and(|r| r.reason.contains("could not compile"))
    );

    let other = registry.publish("other", read(&guest("trivial-v2"))).await;
    assert!(
        matches!(other, Err(PublishError::OtherSkill { .. })),
        "{other:?}"
    );
    assert!(!dir.path().join("other.wasm").exists());
    // Refused uploads never touched the folder: they are the skills' last
    // refusals, not problems with its files (which outlived a restore).
    let phantoms = registry.problems();
    assert!(
        phantoms.is_empty(),
        "no problems from refused uploads: {phantoms:?}"
    );
    for name in ["../escape", "a/b", "", "Trivial"] {
        let r = registry.publish(name, read(&guest("trivial"))).await;
        assert!(matches!(r, Err(PublishError::BadName(_))), "{name}: {r:?}");
    }

    let live = registry
        .publish("trivial", read(&guest("trivial-v2")))
        .await;
    assert!(
        matches!(live, Ok(Reloaded::Live { ref version, .. }) if version == "2.0.0"),
        "{live:?}"
    );
    assert_eq!(
        std::fs::read(&file).expect("file"),
        std::fs::read(guest("trivial-v2")).expect("v2")
    );
    let v2 = registry.get("trivial").expect("live");
    assert!(
        registry.version("trivial", &v1.sha256).is_some(),
        "the old version stays loaded"
    );

    let back = registry.rollback("trivial").await;
    assert!(
        matches!(back, Ok(Reloaded::Live { ref version, .. }) if version == "1.0.0"),
        "{back:?}"
    );
    assert_eq!(std::fs::read(&file).expect("file"), &v1.bytes[..]);
    let info = registry
        .list()
        .into_iter()
        .find(|s| s.name == "trivial")
        .expect("listed");
    assert_eq!(info.previous.map(|p| p.sha256), Some(v2.sha256.clone()));
    assert!(matches!(
        registry.rollback("nope").await,
        Err(PublishError::NotInstalled(_))
    ));
}
