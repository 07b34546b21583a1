//! The skills written in Python: each folder under `skills/` holding a
//! `pyproject.toml` is one, built with componentize-py into
//! `target/skills/<name>.wasm` beside the Rust ones, and tested with
//! pytest against its fake host.
//!
//! The toolchain (componentize-py and pytest, pinned in
//! `skills/python-requirements.txt`) lives in a virtualenv at
//! `target/py-skills`, remade when that file changes. The end-to-end tests
//! reuse it through `BATON_PY_SKILLS` (see [`venv`]).

use crate::{Result, SKILLS_DIR, ensure_venv, logged, root, run, step, target_dir};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The pinned toolchain, relative to the repository root.
const REQUIREMENTS: &str = "skills/python-requirements.txt";

/// The toolchain's virtualenv.
pub(crate) fn venv() -> PathBuf {
    target_dir().join("py-skills")
}

/// Make the toolchain's virtualenv if needed; its Python.
fn ensure_toolchain(log: &std::fs::File) -> Result<PathBuf> {
    ensure_venv(
        &venv(),
        &root().join(REQUIREMENTS),
        "the Python skills' toolchain (target/py-skills): componentize-py, pytest",
        log,
    )
}

/// The Python skills under `skills/`: (name, folder), by name.
fn skills() -> Result<Vec<(String, PathBuf)>> {
    let dir = root().join(SKILLS_DIR);
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.join("pyproject.toml").is_file()
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
        {
            found.push((name.to_owned(), path.clone()));
        }
    }
    found.sort();
    Ok(found)
}

/// Build every Python skill under `skills/` into `out`: one
/// `componentize-py` run per skill whose component is older than one of
/// its sources (or than the toolchain).
pub(crate) fn build(out: &Path, log: &std::fs::File) -> Result {
    let skills = skills()?;
    if skills.is_empty() {
        return Ok(());
    }
    let python = ensure_toolchain(log)?;
    let toolchain = modified(&venv().join("requirements.installed"))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (name, dir) in skills {
        let wasm = out.join(format!("{name}.wasm"));
        let built = std::fs::metadata(&wasm).and_then(|m| m.modified()).ok();
        if built.is_some_and(|b| b > toolchain && newest_source(&dir).is_ok_and(|s| b > s)) {
            continue;
        }
        step(&format!(
            "building the Python skill {name} (componentize-py)"
        ));
        run(logged(
            Command::new(python.with_file_name("componentize-py"))
                .args(["-d", "wit", "-w", &name])
                .args(["componentize", "app", "-o"])
                .arg(&wasm)
                .current_dir(&dir)
                .env("PYTHONDONTWRITEBYTECODE", "1"),
            log,
        )?)
        .map_err(|e| format!("building the Python skill {name}: {e}"))?;
    }
    Ok(())
}

/// Run every Python skill's pytest (against its fake host).
pub(crate) fn test() -> Result {
    let skills = skills()?;
    if skills.is_empty() {
        return Ok(());
    }
    let log_path = target_dir().join("py-skills.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
    let python = ensure_toolchain(&log)?;
    for (name, dir) in skills {
        step(&format!("Python skill unit tests: {name} (pytest)"));
        run(Command::new(&python)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .current_dir(&dir)
            .env("PYTHONDONTWRITEBYTECODE", "1"))
        .map_err(|e| format!("the Python skill {name}'s tests: {e}"))?;
    }
    Ok(())
}

fn modified(path: &Path) -> Result<SystemTime> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// When a file the component is built from last changed: anything in the
/// skill's folder but its tests and caches, the WIT its links point at
/// included.
fn newest_source(dir: &Path) -> Result<SystemTime> {
    let mut newest = SystemTime::UNIX_EPOCH;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "tests" | "__pycache__" | ".pytest_cache") || name.starts_with(".venv") {
            continue;
        }
        // `metadata` follows links: the WIT package's copy is one.
        let when = if path.is_dir() {
            newest_source(&path)?
        } else {
            modified(&path)?
        };
        newest = newest.max(when);
    }
    Ok(newest)
}
