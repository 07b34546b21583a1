//! What every crate's integration tests share: a fresh database per test
//! on either backend ([`TestDb`], [`backend_test!`], [`store_test!`]), the
//! artifacts `cargo xtask build` made ([`guest`], [`skill`]), a skill
//! call's input ([`input`]), waiting for background work ([`until`],
//! [`poll`], [`stays`]), a scripted loopback HTTP peer ([`HttpPeer`]), a
//! store's first rows ([`fixtures`]), and an orchestrator over a store
//! ([`engine::harness`]).
//!
//! It knows the engine and nothing above it: the runtime's, the store's
//! and the engine's test binaries use it as it is, and the end-to-end crate
//! (`baton-tests`) opens its databases with the product's migrations on
//! top of it. Nothing here touches process-wide state (environment,
//! working directory, fixed ports): a binary's tests share one process.

mod db;
pub mod engine;
pub mod fixtures;
mod http_peer;
mod wait;

pub use baton_store::Backend;
pub use db::{NoPostgres, TestDb};
pub use http_peer::{Answer, HttpPeer, body_of};
pub use wait::{PATIENCE, poll, stays, until};

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("../.."))
}

/// The build's target folder: `CARGO_TARGET_DIR`, else the one holding the
/// running test binary (`<target>/release/deps/<binary>-…`), else `target/`.
pub fn target() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let deps = exe.parent()?;
            (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf))?
        })
        .unwrap_or_else(|| root().join("target"))
}

/// `path`, which a build made: a test that cannot find it fails saying so.
pub fn artifact(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} is missing: run `cargo xtask build` first (or `cargo xtask test`)",
        path.display()
    );
    path
}

/// A test guest: `target/test-guests/<name>.wasm`.
pub fn guest(name: &str) -> PathBuf {
    artifact(target().join("test-guests").join(format!("{name}.wasm")))
}

/// A shipped skill: `target/skills/<name>.wasm`.
pub fn skill(name: &str) -> PathBuf {
    artifact(target().join("skills").join(format!("{name}.wasm")))
}

/// A call input for an event of `event_type` with `payload`.
pub fn input(event_type: &str, payload: serde_json::Value) -> String {
    serde_json::json!({
        "event": { "id": "evt-1", "type": event_type, "source": "test", "org": "demo", "user": "rep1", "payload": payload },
        "params": {},
        "previous": []
    })
    .to_string()
}
