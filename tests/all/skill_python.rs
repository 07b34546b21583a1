//! Skills written in Python: `baton new skill --lang python` makes a
//! project whose pytest passes, which componentize-py builds into a
//! component that passes `baton skill check` and imports only what its
//! manifest declares; and the shipped Python `find-content` is bounded by
//! fuel and memory in the pooled runtime like a Rust skill. (It runs in
//! its sequence through the service in `content_retrieval`.)

use baton::registry::{Grants, load_skill};
use baton::runtime::{
    CallContext, CallInput, Capability, LimitKind, Limits, Runtime, RuntimeConfig, RuntimeError,
};
use baton_tests::{baton, input, py_skills, skill};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

/// Run `program` with `args` in `dir`; panics with its output unless it
/// succeeds.
fn run_in(dir: &Path, program: &Path, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} in {}: {}\n{}\n{}",
        program.display(),
        dir.display(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The interfaces a component imports.
fn imports(wasm: &Path) -> Vec<String> {
    let runtime = Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let bytes = std::fs::read(wasm).expect("read the component");
    let component = runtime.compile(&bytes).expect("compile");
    runtime.imports(&component)
}

/// Scaffold `name` with `capabilities`, install its requirements (from the
/// toolchain already made: `--no-index` fails if the pins differ), run its
/// pytest, build it and check it; its imports.
fn scaffold_build_check(name: &str, capabilities: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["new", "skill", name, "--lang", "python", "--dir"];
    let parent = dir.path().display().to_string();
    args.push(&parent);
    for c in capabilities {
        args.extend(["--capability", *c]);
    }
    let made = baton(&args);
    assert_eq!(made.code, 0, "{made:#?}");
    assert!(made.stdout.contains("pytest"), "{made:#?}");
    let root = dir.path().join(name);
    let venv = py_skills();
    let python = venv.join("bin/python");
    run_in(
        &root,
        &python,
        &[
            "-m",
            "pip",
            "install",
            "--no-index",
            "--disable-pip-version-check",
            "-q",
            "-r",
            "requirements.txt",
        ],
    );
    run_in(
        &root,
        &python,
        &["-m", "pytest", "-q", "-p", "no:cacheprovider"],
    );
    let wasm = format!("{name}.wasm");
    run_in(
        &root,
        &venv.join("bin/componentize-py"),
        &["-d", "wit", "-w", name, "componentize", "app", "-o", &wasm],
    );
    let wasm = root.join(wasm);
    let checked = baton(["skill", "check", &wasm.display().to_string()]);
    assert_eq!(checked.code, 0, "{checked:#?}");
    let manifest = &checked.json()["manifest"];
    assert_eq!(manifest["name"], name);
    assert_eq!(manifest["capabilities"], json!(capabilities));
    let shown = wasm.display().to_string();
    let event = input("demo", json!({ "subject": "hello" }));
    let mut run = vec!["skill", "run", &shown, "--input", &event];
    for c in capabilities {
        run.extend(["--grant", *c]);
    }
    let ran = baton(&run);
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert_eq!(ran.json()["data"], json!({ "echo": "hello" }));
    imports(&wasm)
}

fn imports_interface(imports: &[String], interface: &str) -> bool {
    imports.iter().any(|i| i.starts_with(interface))
}

#[test]
fn a_new_python_skill_passes_its_tests_and_skill_check() {
    let imports = scaffold_build_check("x", &[]);
    assert!(
        imports_interface(&imports, "baton:skill/log"),
        "{imports:?}"
    );
    for undeclared in [
        "baton:skill/context",
        "baton:skill/approvals",
        "baton:skill/llm",
    ] {
        assert!(
            !imports_interface(&imports, undeclared),
            "{undeclared}: {imports:?}"
        );
    }
}

#[test]
fn a_new_python_skill_with_context_imports_context_and_nothing_more() {
    let imports = scaffold_build_check("x-org", &["context:org"]);
    assert!(
        imports_interface(&imports, "baton:skill/context"),
        "{imports:?}"
    );
    for undeclared in ["baton:skill/approvals", "baton:skill/llm", "wasi:http"] {
        assert!(
            !imports_interface(&imports, undeclared),
            "{undeclared}: {imports:?}"
        );
    }
}

/// The content library the call reads (`examples/demo.json`'s, cut down).
fn library() -> serde_json::Value {
    json!({ "items": [
        { "id": "security-pack", "title": "Security pack", "kind": "security",
          "tags": ["security questionnaire", "infosec"], "audience": ["it_security"],
          "file": "security-pack.pdf" },
        { "id": "dpa", "title": "Data Processing Agreement", "kind": "legal",
          "tags": ["dpa", "gdpr"], "audience": ["legal"], "url": "https://demo.example/legal/dpa" }
    ]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_find_content_is_bounded_by_fuel_and_memory_in_the_pool() {
    let runtime = Runtime::new(RuntimeConfig {
        max_instances: 4,
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let mut grants = Grants::none();
    grants.grant_all(
        "context:external:content_library"
            .parse::<Capability>()
            .expect("cap"),
    );
    let find = load_skill(&runtime, &skill("find-content"), &grants)
        .await
        .expect("the Python find-content loads in the pooled runtime");
    let call: CallInput = serde_json::from_str(&input(
        "content_retrieval",
        json!({ "request": "Could you send the security pack and the DPA?" }),
    ))
    .expect("input");
    let context = Arc::new(CallContext {
        external: [("content_library".to_owned(), library())].into(),
        ..CallContext::default()
    });
    let limits = |fuel: u64, memory_mib: usize| Limits {
        fuel,
        memory_bytes: memory_mib << 20,
        timeout: Duration::from_secs(30),
        output_bytes: 1 << 20,
    };
    let fuel = find.manifest.default_fuel;

    let ok = find.call(&call, &limits(fuel, 64), context.clone()).await;
    let out = ok.outcome.expect("a call within the manifest's fuel");
    let ids: Vec<&str> = out.data["matched"]
        .as_array()
        .expect("matched")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, ["security-pack", "dpa"], "{:#}", out.data);
    assert!(
        ok.report.fuel_used <= fuel,
        "{} > {fuel}",
        ok.report.fuel_used
    );

    let starved = find
        .call(&call, &limits(fuel / 50, 64), context.clone())
        .await;
    let err = starved.outcome.expect_err("too little fuel");
    assert!(
        matches!(
            err,
            RuntimeError::Limit {
                kind: LimitKind::Fuel,
                ..
            }
        ),
        "{err:?}"
    );

    let cramped = find.call(&call, &limits(fuel, 4), context.clone()).await;
    let err = cramped.outcome.expect_err("too little memory");
    assert!(
        matches!(
            err,
            RuntimeError::Limit {
                kind: LimitKind::Memory,
                ..
            }
        ),
        "{err:?}"
    );

    // The pool serves the next call as before.
    let again = find.call(&call, &limits(fuel, 64), context).await;
    assert!(again.outcome.is_ok(), "{:?}", again.outcome);
}

/// `skills/find-content` is laid out as `baton new skill --lang python`
/// writes a skill: its entry, world and fake host are what the scaffold
/// writes today (the logic and tests are its own).
#[test]
fn find_content_is_what_the_python_scaffold_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = dir.path().display().to_string();
    let made = baton([
        "new",
        "skill",
        "find-content",
        "--lang",
        "python",
        "--capability",
        "context:external:content_library",
        "--dir",
        &parent,
    ]);
    assert_eq!(made.code, 0, "{made:#?}");
    let shipped = baton_tests::root().join("skills/find-content");
    for file in [
        "app.py",
        "baton.py",
        "tests/fake_host.py",
        "wit/world.wit",
        "wit/deps/baton-skill/skill.wit",
    ] {
        let read = |p: &Path| {
            std::fs::read_to_string(p.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        assert_eq!(
            read(&shipped),
            read(&dir.path().join("find-content")),
            "skills/find-content/{file} differs from what `baton new skill --lang python` writes"
        );
    }
}
