//! Skills written in JavaScript (componentize-js) as their authors and the
//! service meet them: `baton new skill --lang js` makes a project whose own
//! tests pass (`npm test`) and whose component (`npm run build`) `baton
//! skill check` accepts, importing only the interfaces its capabilities
//! need; baton's own JavaScript skill, `notify-proposal-viewed`, carries the
//! files that scaffold writes, tells the rep in Slack through its sequence
//! on both backends, and is held to its fuel and memory caps like a Rust
//! skill.
//!
//! npm installs from its cache (warm after `cargo xtask build` installed
//! the same componentize-js for the repository's skill).

use crate::service::proposals::{VIEWED, rep_slack_channel, slack_env, slack_peer};
use baton::registry::{Grants, load_skill};
use baton::runtime::{
    CallContext, CallInput, LimitKind, Limits, Runtime, RuntimeConfig, RuntimeError,
};
use baton_tests::server::{Setup, env, start};
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, baton, input, root, skill, until};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const SKILL: &str = "notify-proposal-viewed";

/// `npm ARGS` in `dir`, which must succeed.
fn npm(dir: &Path, args: &[&str]) {
    let out = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run npm: Node.js and npm are needed (cargo xtask build installs them)");
    assert!(
        out.status.success(),
        "npm {args:?} in {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `baton new skill NAME --lang js` with `capabilities`, installed, tested
/// and built as its README says; the folder and the component.
fn scaffolded(name: &str, capabilities: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec![
        "new".to_owned(),
        "skill".to_owned(),
        name.to_owned(),
        "--lang".to_owned(),
        "js".to_owned(),
        "--dir".to_owned(),
        dir.path().display().to_string(),
    ];
    for c in capabilities {
        args.extend(["--capability".to_owned(), (*c).to_owned()]);
    }
    let r = baton(args);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.contains("npm test") && r.stdout.contains("npm run build"),
        "the next commands are printed: {r:#?}"
    );
    let project = dir.path().join(name);
    npm(
        &project,
        &["install", "--prefer-offline", "--no-audit", "--no-fund"],
    );
    npm(&project, &["test"]);
    npm(&project, &["run", "build"]);
    let wasm = project.join("dist").join(format!("{name}.wasm"));
    assert!(wasm.is_file(), "npm run build wrote {}", wasm.display());
    (dir, wasm)
}

/// `baton skill check` on `wasm`, which must pass; its JSON.
fn checked(wasm: &Path) -> Value {
    let r = baton(["skill", "check", &wasm.display().to_string()]);
    assert_eq!(r.code, 0, "{r:#?}");
    r.json()
}

/// The `baton:skill` and `wasi:http` interfaces a checked component imports.
fn guarded_imports(checked: &Value) -> Vec<String> {
    checked["imports"]
        .as_array()
        .expect("imports")
        .iter()
        .filter_map(Value::as_str)
        .filter(|i| i.starts_with("baton:skill/") || i.starts_with("wasi:http/"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_new_js_skill_passes_its_tests_builds_and_imports_only_log() {
    let (_dir, wasm) = scaffolded("x", &[]);
    let out = checked(&wasm);
    assert_eq!(out["manifest"]["name"], "x");
    assert_eq!(out["manifest"]["capabilities"], json!([]));
    assert_eq!(
        guarded_imports(&out),
        ["baton:skill/log@0.1.1", "baton:skill/types@0.1.1"]
    );
    let r = baton([
        "skill".to_owned(),
        "run".to_owned(),
        wasm.display().to_string(),
        "--input".to_owned(),
        input("demo", json!({ "subject": "hello" })),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["data"], json!({ "echo": "hello" }));
}

#[test]
fn a_new_js_skill_declaring_context_org_imports_context_and_reads_it() {
    let (_dir, wasm) = scaffolded("org-reader", &["context:org"]);
    let out = checked(&wasm);
    assert_eq!(out["manifest"]["capabilities"], json!(["context:org"]));
    assert_eq!(
        guarded_imports(&out),
        [
            "baton:skill/log@0.1.1",
            "baton:skill/types@0.1.1",
            "baton:skill/context@0.1.1"
        ]
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "skill".to_owned(),
            "run".to_owned(),
            wasm.display().to_string(),
            "--input".to_owned(),
            input("demo", json!({ "subject": "hello" })),
            "--context".to_owned(),
            json!({ "org": { "name": "Acme" } }).to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        baton(args)
    };
    let r = run(&["--grant", "context:org"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["data"], json!({ "echo": "hello", "org": "Acme" }));
    // Not granted what it imports: refused at load, as a Rust skill is.
    let r = run(&[]);
    assert_eq!(r.code, 5, "{r:#?}");
    assert!(r.stderr.contains("baton:skill/context"), "{r:#?}");
}

/// baton's JavaScript skill is what the scaffold writes plus its own
/// logic: the same boundary, fake host, entry, world and toolchain.
#[test]
fn the_repository_js_skill_carries_the_files_the_scaffold_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = baton([
        "new",
        "skill",
        SKILL,
        "--lang",
        "js",
        "--dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let (fresh, ours) = (dir.path().join(SKILL), root().join("skills").join(SKILL));
    for file in [
        "src/baton.js",
        "src/index.js",
        "test/fake-host.js",
        "wit/world.wit",
        ".gitignore",
    ] {
        let read = |p: PathBuf| std::fs::read_to_string(&p).expect("read");
        assert_eq!(
            read(ours.join(file)),
            read(fresh.join(file)),
            "skills/{SKILL}/{file} differs from what `baton new skill` writes"
        );
    }
    // The WIT is the repository's own (a link), the same text.
    assert_eq!(
        std::fs::read_to_string(ours.join("wit/deps/baton-skill/skill.wit")).expect("read"),
        std::fs::read_to_string(root().join("wit/skill.wit")).expect("read")
    );
    let package = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p.join("package.json")).expect("read"))
            .expect("JSON")
    };
    let (fresh, ours) = (package(fresh), package(ours));
    assert_eq!(fresh["scripts"], ours["scripts"]);
    assert_eq!(fresh["devDependencies"], ours["devDependencies"]);
}

/// The component the service loads is the one componentize-js built from
/// `skills/notify-proposal-viewed/`.
fn is_the_js_build(path: &Path) {
    let built = root()
        .join("skills")
        .join(SKILL)
        .join("dist")
        .join(format!("{SKILL}.wasm"));
    assert!(
        std::fs::read(path).expect("read") == std::fs::read(&built).expect("read the JS build"),
        "{} is not the JavaScript build {}",
        path.display(),
        built.display()
    );
}

backend_test!(
    the_js_skill_tells_the_rep_in_slack_that_the_proposal_was_opened,
    the_js_skill_tells_the_rep_in_slack_that_the_proposal_was_opened_body
);

async fn the_js_skill_tells_the_rep_in_slack_that_the_proposal_was_opened_body(backend: Backend) {
    is_the_js_build(&skill(SKILL));
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let vars = slack_env(&slack);
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[VIEWED],
            skills: &[SKILL],
            env: env(&pairs),
            ..Setup::default()
        },
    )
    .await;
    rep_slack_channel(&s).await;
    let (status, r) = s
        .post(
            "/v1/events",
            json!({ "type": "proposal_viewed", "user": "rep1", "payload": {
                "proposal_id": "p1", "view_id": "v1", "title": "Renewals Hub for Northwind",
                "company": "Northwind", "contact_name": "Marta Ruiz", "version": 2,
                "viewed_at": "2026-11-24T09:00:00Z", "views": 2,
            }}),
        )
        .await;
    assert_eq!(status, 202, "{r}");
    let job = r["job_id"].as_str().expect("job").to_owned();
    s.wait_job(&job, |j| j["status"] == "completed").await;
    let title =
        "Northwind opened your proposal \u{201c}Renewals Hub for Northwind\u{201d} (2nd view)";
    let data = s.step_data(&job, SKILL).await;
    assert_eq!(data["title"], title);
    assert_eq!(
        data["text"],
        "They have opened it 2 times. This is version 2 of the proposal. \
         A good moment to follow up while it is fresh."
    );
    until("the rep hears of the view in Slack", PATIENCE, async || {
        slack
            .requests()
            .iter()
            .any(|r| r.contains("(2nd view)") && r.contains("This is version 2"))
    })
    .await;
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;
    db.finish().await;
}

fn viewed_input() -> String {
    input(
        "proposal_viewed",
        json!({ "proposal_id": "p1", "view_id": "v1", "title": "Renewals Hub",
                "company": "Northwind", "version": 1, "viewed_at": "2026-11-24T09:00:00Z",
                "views": 1 }),
    )
}

/// `baton skill run` on the JS skill with `extra` flags.
fn run_js(extra: &[&str]) -> baton_tests::Run {
    let mut args = vec![
        "skill".to_owned(),
        "run".to_owned(),
        skill(SKILL).display().to_string(),
        "--input".to_owned(),
        viewed_input(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    baton(args)
}

#[test]
fn the_js_skill_runs_out_of_fuel_like_a_rust_skill() {
    let r = run_js(&["--stats"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.contains("fuel_used="), "{r:#?}");
    let r = run_js(&["--fuel", "1000000"]);
    assert_eq!(r.code, 4, "{r:#?}");
    assert!(r.stderr.contains("fuel"), "{r:#?}");
}

#[test]
fn the_js_skill_hits_its_memory_cap_like_a_rust_skill() {
    let r = run_js(&["--memory-mib", "4"]);
    assert_eq!(r.code, 4, "{r:#?}");
    assert!(r.stderr.contains("memory"), "{r:#?}");
}

/// In the pooled runtime `baton serve` uses: the call succeeds within its
/// manifest's fuel, and too little fuel or memory ends it with that limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_js_skill_is_bounded_in_the_pooled_runtime() {
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let js = load_skill(&runtime, &skill(SKILL), &Grants::none())
        .await
        .expect("the JS skill loads in the pool");
    let call_input: CallInput = serde_json::from_str(&viewed_input()).expect("input");
    let call = |fuel: u64, memory_mib: usize| {
        let (js, call_input) = (js.clone(), call_input.clone());
        async move {
            let limits = Limits {
                fuel,
                memory_bytes: memory_mib << 20,
                timeout: Duration::from_secs(10),
                output_bytes: 1 << 20,
            };
            js.call(&call_input, &limits, Arc::new(CallContext::default()))
                .await
        }
    };
    let ok = call(js.manifest.default_fuel, 64).await;
    let out = ok.outcome.expect("runs within its default fuel");
    assert_eq!(
        out.data["title"],
        "Northwind opened your proposal \u{201c}Renewals Hub\u{201d} (1st view)"
    );
    assert!(ok.report.fuel_used < js.manifest.default_fuel);
    let starved = call(1_000_000, 64).await;
    assert!(
        matches!(
            starved.outcome,
            Err(RuntimeError::Limit {
                kind: LimitKind::Fuel,
                ..
            })
        ),
        "{:?}",
        starved.outcome.err()
    );
    let cramped = call(js.manifest.default_fuel, 4).await;
    assert!(
        matches!(
            cramped.outcome,
            Err(RuntimeError::Limit {
                kind: LimitKind::Memory,
                ..
            })
        ),
        "{:?}",
        cramped.outcome.err()
    );
}
