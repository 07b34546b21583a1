//! `baton skill check | run | list` and `baton new skill` as a user meets
//! them, bad input included.

use baton_tests::{baton, guest, input, root};
use std::process::Command;

#[test]
fn check_prints_the_manifest() {
    let r = baton(["skill", "check", &guest("trivial").display().to_string()]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    assert_eq!(out["manifest"]["name"], "trivial");
    assert_eq!(out["manifest"]["version"], "1.0.0");
    assert_eq!(out["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn files_that_are_not_components_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "text.wasm",
            b"hello, I am not wasm at all",
            "not a WebAssembly file",
        ),
        ("empty.wasm", b"", "not a WebAssembly file"),
        ("core.wasm", b"\0asm\x01\0\0\0", "core WebAssembly module"),
        (
            "broken.wasm",
            b"\0asm\x0d\0\x01\0\xff\xff\xff",
            "could not compile",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let r = baton(["skill", "check", &path.display().to_string()]);
        assert_eq!(r.code, 2, "{name}: {r:#?}");
        assert!(r.stderr.contains(reason), "{name}: {r:#?}");
        let r = baton([
            "skill".to_owned(),
            "run".to_owned(),
            path.display().to_string(),
            "--input".to_owned(),
            input("x", serde_json::json!({})),
        ]);
        assert_eq!(r.code, 2, "{name}: {r:#?}");
    }
    let r = baton(["skill", "check", "/no/such/file.wasm"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("cannot read"), "{r:#?}");
}

#[test]
fn bad_arguments_exit_2_with_the_problem_named() {
    let trivial = guest("trivial").display().to_string();
    let good = input("x", serde_json::json!({}));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--input".into(), "{not json".into()],
            "--input is not valid JSON",
        ),
        (
            vec!["--input".into(), "{}".into()],
            "--input does not match",
        ),
        (
            vec!["--input".into(), "@/no/such/input.json".into()],
            "cannot read",
        ),
        (
            vec![
                "--input".into(),
                good.clone(),
                "--grant".into(),
                "root".into(),
            ],
            "unknown capability `root`",
        ),
        (
            vec![
                "--input".into(),
                good.clone(),
                "--memory-mib".into(),
                "0".into(),
            ],
            "--memory-mib",
        ),
        (
            vec!["--input".into(), good.clone(), "--fuel".into(), "0".into()],
            "--fuel",
        ),
        (
            vec![
                "--input".into(),
                good.clone(),
                "--context".into(),
                "[1]".into(),
            ],
            "--context must be a JSON object",
        ),
        (
            vec![
                "--input".into(),
                good.clone(),
                "--grants".into(),
                "/no/grants.toml".into(),
            ],
            "grants file",
        ),
    ];
    for (extra, reason) in cases {
        let mut args = vec!["skill".to_owned(), "run".to_owned(), trivial.clone()];
        args.extend(extra.clone());
        let r = baton(args);
        assert_eq!(r.code, 2, "{extra:?}: {r:#?}");
        assert!(r.stderr.contains(reason), "{extra:?}: {r:#?}");
    }
    let r = baton(["skill", "frobnicate"]);
    assert_eq!(r.code, 2, "{r:#?}");
}

#[test]
fn grants_file_grants_per_skill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let grants = dir.path().join("grants.toml");
    let run_with = |file_text: &str| {
        std::fs::write(&grants, file_text).expect("write");
        baton([
            "skill".to_owned(),
            "run".to_owned(),
            guest("gatekeeper").display().to_string(),
            "--input".to_owned(),
            input("x", serde_json::json!({})),
            "--grants".to_owned(),
            grants.display().to_string(),
        ])
    };
    let r = run_with("[skills.gatekeeper]\ngrant = [\"approvals\"]\n");
    assert_eq!(r.code, 0, "{r:#?}");
    let r = run_with("[skills.gatekeeper]\ngrant = [\"aprovals\"]\n");
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr.contains("skills.gatekeeper") && r.stderr.contains("aprovals"),
        "{r:#?}"
    );
    // Granted to another skill only: gatekeeper imports approvals, so it is refused at load.
    let r = run_with("[skills.someone-else]\ngrant = [\"approvals\"]\n");
    assert_eq!(r.code, 5, "{r:#?}");
    assert!(r.stderr.contains("baton:skill/approvals"), "{r:#?}");
}

#[test]
fn list_shows_skills_and_refusals() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(guest("trivial"), dir.path().join("trivial.wasm")).expect("copy");
    std::fs::copy(guest("panic"), dir.path().join("panic.wasm")).expect("copy");
    std::fs::copy(guest("foreign"), dir.path().join("foreign.wasm")).expect("copy");
    let r = baton(["skill", "list", &dir.path().display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    let names: Vec<_> = out["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(
        names,
        vec![serde_json::json!("panic"), serde_json::json!("trivial")]
    );
    assert_eq!(out["problems"].as_array().map(Vec::len), Some(1));
    assert!(
        out["problems"][0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("foreign.wasm"))
    );
    let r = baton(["skill", "list", "/no/such/dir"]);
    assert_eq!(r.code, 2, "{r:#?}");
}

/// `baton new skill` scaffolds a crate that passes its own test natively and
/// builds to a component that `baton skill check` accepts.
#[test]
fn new_skill_builds_and_passes_its_own_test() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = baton([
        "new",
        "skill",
        "hello-world",
        "--dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let krate = dir.path().join("hello-world");
    let lines = std::fs::read_to_string(krate.join("src/lib.rs"))
        .expect("lib.rs")
        .lines()
        .count();
    assert!(lines < 50, "scaffold is {lines} lines");
    // The SDK is named relative to the crate, not where it was made
    // (issue 38: an absolute path tied it to one machine).
    let manifest: toml::Table = std::fs::read_to_string(krate.join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("TOML");
    let sdk = manifest["dependencies"]["baton-sdk"]["path"]
        .as_str()
        .expect("a path")
        .to_owned();
    assert!(std::path::Path::new(&sdk).is_relative(), "relative: {sdk}");
    assert_eq!(
        krate.join(&sdk).canonicalize().expect("resolves"),
        root().join("sdk").canonicalize().expect("sdk"),
    );
    // Shared target dir so repeated runs reuse the dependency builds.
    let target = root().join("target").join("scaffold");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["test", "--quiet"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo test");
    assert!(status.success(), "scaffolded skill's own test failed");
    let status = Command::new(&cargo)
        .args(["build", "--quiet", "--release", "--target", "wasm32-wasip2"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo build");
    assert!(
        status.success(),
        "scaffolded skill did not build for wasm32-wasip2"
    );
    let wasm = target.join("wasm32-wasip2/release/hello_world.wasm");
    let r = baton(["skill", "check", &wasm.display().to_string()]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(r.json()["manifest"]["name"], "hello-world");
    // A second scaffold into the same place is refused; so is a bad name.
    let r = baton([
        "new",
        "skill",
        "hello-world",
        "--dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    let r = baton([
        "new",
        "skill",
        "Hello World",
        "--dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
}
