//! Shared helpers for the end-to-end tests of the composed product
//! (`tests/all/`): running the `baton` binary, fresh databases with the
//! product's migrations on both backends, loopback peers, and the service
//! load run (`load`, which `baton-load` prints and the suite's smoke run
//! checks). What every crate's tests share (artifact paths, waiting, the
//! database per test) is `baton-testkit`'s, re-exported here.
//!
//! The artifacts come from `cargo xtask build`; a test that cannot find one
//! fails with a message saying so. Nothing here touches process-wide state
//! (environment, working directory, fixed ports): the tests share one
//! process.

pub mod browser;
mod db;
pub mod dovecot;
pub mod drafts;
pub mod google;
pub mod hubspot;
pub mod instantly;
pub mod load;
pub mod microsoft;
pub mod page_text;
mod peers;
pub mod plain;
mod radicale;
mod replica;
pub mod server;
pub mod slack;

/// The testkit's `store_test!`, which this crate's runs on its own databases.
#[doc(hidden)]
pub use baton_testkit::store_test as kit_store_test;
pub use baton_testkit::{Answer, HttpPeer, body_of};
pub use baton_testkit::{
    Backend, NoPostgres, PATIENCE, artifact, backend_test, guest, input, poll, root, skill, stays,
    target, until,
};
pub use db::TestDb;
pub use google::GooglePeer;
pub use hubspot::HubSpotPeer;
pub use instantly::InstantlyPeer;
pub use microsoft::MicrosoftPeer;
pub use peers::{SmtpSink, serve_on_thread};
pub use radicale::Radicale;
pub use replica::{Replica, ReplicaSetup, free_port};

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// `tests/data/shared/`: the reference data the tests read (evaluation
/// sets, calendars, transcripts, signing vectors), copied from the
/// project's `shared/data/` with its sources and licences
/// (`tests/data/shared/SOURCES.md`), so a clone stands alone.
pub fn shared_data() -> PathBuf {
    artifact(root().join("tests/data/shared"))
}

/// The `baton` binary under test.
pub fn baton_bin() -> PathBuf {
    artifact(
        std::env::var_os("BATON_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| target().join("release").join("baton")),
    )
}

/// What a finished `baton` process left.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON, or a panic that shows the whole run.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }
}

/// Run `baton` with `args`.
pub fn baton<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    baton_env(args, std::iter::empty::<(&str, &str)>())
}

/// Run `baton` with `args` and `env` added to the environment.
pub fn baton_env<I, S, E, K, V>(args: I, env: E) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
    E: IntoIterator<Item = (K, V)>,
    K: AsRef<std::ffi::OsStr>,
    V: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(baton_bin())
        .args(args)
        .envs(env)
        .current_dir(root())
        .output()
        .expect("run baton");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The virtualenv's Python (`BATON_PYTHON`, else `target/py/bin/python`),
/// made by `cargo xtask test` with `tests/python/requirements.txt`.
pub fn python() -> PathBuf {
    let path = std::env::var_os("BATON_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| target().join("py/bin/python"));
    assert!(
        path.exists(),
        "{} is missing: `cargo xtask test` makes the test virtualenv",
        path.display()
    );
    path
}

/// The Python skills' toolchain virtualenv (`BATON_PY_SKILLS`, else
/// `target/py-skills`): componentize-py and pytest, made by `cargo xtask
/// build` from `skills/python-requirements.txt`.
pub fn py_skills() -> PathBuf {
    let path = std::env::var_os("BATON_PY_SKILLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| target().join("py-skills"));
    assert!(
        path.join("bin/componentize-py").exists(),
        "{} has no componentize-py: `cargo xtask build` makes the Python skills' toolchain",
        path.display()
    );
    path
}

/// Validate Block Kit messages (`{name: blocks}`) with python `slack_sdk`;
/// returns `{name: [errors]}` (empty lists when valid).
pub fn validate_blocks(messages: &serde_json::Value) -> serde_json::Value {
    let mut child = Command::new(python())
        .arg(root().join("tests/python/validate_blocks.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run validate_blocks.py");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(messages.to_string().as_bytes())
        .expect("write blocks");
    let out = child.wait_with_output().expect("validator output");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the validator printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Assert an answer is a problem document (RFC 9457) with `expected`
/// status and a detail.
pub fn is_problem(status: u16, body: &serde_json::Value, expected: u16) {
    assert_eq!(status, expected, "{body:#}");
    assert_eq!(body["status"], expected, "a problem document: {body:#}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body:#}"
    );
}
