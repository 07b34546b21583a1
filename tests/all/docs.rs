//! The docs' commands run as written (issue 38, 2.6): every code block
//! marked ```` ```sh runnable ```` in `README.md` and `docs/*.md` is run,
//! in order, by `bash` in a folder laid out as a checkout is (`examples/`,
//! `sequences/`, `target/release/baton`, `target/skills/`), against a real
//! `baton serve` with the demo imported. `$BATON` is its address and
//! `$BATON_ADMIN_TOKEN` its admin token; `baton` is on the `PATH`; `curl`
//! fails on an HTTP error (`--fail-with-body`), so a documented request the
//! service refuses (a 415 for a missing content type) fails the test with
//! the block's file and line.
//!
//! Blocks that start a server, need a toolchain the test does not have or
//! run for minutes (`cargo xtask …`) are left unmarked.

use baton_tests::{Replica, ReplicaSetup, baton_bin, root, skill, target};
use std::path::{Path, PathBuf};
use std::process::Command;

const ADMIN: &str = "docs-admin-token-0123456789abcdef";

/// A marked block: where it is and its text.
struct Block {
    file: String,
    line: usize,
    text: String,
}

/// The runnable blocks of `text` (from `file`).
fn runnable(file: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in text.lines().enumerate() {
        match open.as_mut() {
            None if line.trim_end() == "```sh runnable" => {
                open = Some(Block {
                    file: file.to_owned(),
                    line: n + 1,
                    text: String::new(),
                });
            }
            None => {}
            Some(_) if line.trim_end() == "```" => out.extend(open.take()),
            Some(b) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
        }
    }
    assert!(open.is_none(), "{file}: a runnable block is never closed");
    out
}

/// Every runnable block: the README's first, then each doc's by name.
fn all_blocks() -> Vec<Block> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
        .iter()
        .flat_map(|f| {
            let name = f.strip_prefix(root()).unwrap_or(f).display().to_string();
            runnable(&name, &std::fs::read_to_string(f).expect("read a doc"))
        })
        .collect()
}

fn link(from: &Path, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::os::unix::fs::symlink(from, to).expect("symlink");
}

/// A folder laid out as a checkout with the build done.
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    link(&root().join("examples"), &d.join("examples"));
    link(&root().join("sequences"), &d.join("sequences"));
    link(&baton_bin(), &d.join("target/release/baton"));
    link(&target().join("skills"), &d.join("target/skills"));
    link(&baton_bin(), &d.join("bin/baton"));
    // The candidate version the shadow-replay example tries.
    link(&skill("detect-intents"), &d.join("new/detect-intents.wasm"));
    dir
}

#[test]
fn the_marker_is_read_and_blocks_without_it_are_not() {
    let text =
        "```sh\nbaton serve\n```\n\n```sh runnable\ncurl $BATON/healthz\nbaton --version\n```\n";
    let blocks = runnable("x.md", text);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].line, 5);
    assert_eq!(blocks[0].text, "curl $BATON/healthz\nbaton --version\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_runnable_command_in_the_docs_runs_as_written() {
    let blocks = all_blocks();
    let files: std::collections::BTreeSet<&str> = blocks.iter().map(|b| b.file.as_str()).collect();
    assert!(
        blocks.len() >= 5 && files.len() >= 4,
        "the docs mark too few runnable blocks: {} in {files:?}",
        blocks.len()
    );
    let work = checkout();
    let served = work.path().join("served.db");
    let demo = root().join("examples/demo.json");
    let mut server = Replica::start(
        &served.display().to_string(),
        &ReplicaSetup {
            skills_dir: Some(&target().join("skills")),
            sequences_dir: Some(&root().join("sequences")),
            // As the docs' serve command runs it: an admin token and a
            // key to seal provider keys and accounts under.
            env: &[
                ("BATON_ADMIN_TOKEN", ADMIN),
                (
                    "BATON_SECRET_KEY",
                    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                ),
            ],
            args: &["--import", &demo.display().to_string()],
            shared_cache: true,
            ..ReplicaSetup::default()
        },
    );
    let http = reqwest::Client::new();
    if let Err(why) = server
        .ready_within(&http, std::time::Duration::from_secs(120))
        .await
    {
        panic!("baton serve did not start: {why}");
    }
    let path = format!(
        "{}:{}",
        work.path().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for b in &blocks {
        let script = format!(
            "set -euo pipefail\n\
             curl() {{ command curl --fail-with-body --silent --show-error \"$@\"; }}\n\
             {}",
            b.text
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(work.path())
            .env("BATON", &server.base)
            .env("BATON_ADMIN_TOKEN", ADMIN)
            .env("PATH", &path)
            .env("RUST_LOG", "warn")
            .env_remove("BATON_DATABASE")
            .output()
            .expect("run bash");
        assert!(
            out.status.success(),
            "{}:{}: the block fails as written ({}):\n{}\n--- stdout\n{}\n--- stderr\n{}\n--- server\n{}",
            b.file,
            b.line,
            out.status,
            b.text,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            server.log()
        );
    }
}
