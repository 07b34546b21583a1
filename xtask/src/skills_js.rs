//! The skills written in JavaScript: each folder under `skills/` with a
//! `package.json` is one. Its toolchain (componentize-js, pinned by its
//! committed `package-lock.json`) is installed with `npm ci` when
//! `node_modules/` is missing or the lock file changed; `npm run build`
//! writes `dist/<name>.wasm`, copied to `target/skills/` beside the Rust
//! skills. A skill is built again only when one of its sources is newer
//! than that component (componentize takes half a minute). `cargo xtask
//! test` runs each one's `npm test` (node's test runner, against its fake
//! host). No npm, too old a Node.js or a failed install is an error that
//! names it: a JavaScript skill is never skipped.

use crate::{Result, SKILLS_DIR, copy, ensure_npm, logged, root, run, step};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The oldest Node.js componentize-js 0.23 (through jco) runs on.
const NODE_MIN: (u32, u32) = (20, 19);

/// What a skill's freshness check leaves out: installed packages, the build
/// output and the native tests.
const NOT_SOURCES: [&str; 3] = ["node_modules", "dist", "test"];

/// Build every JavaScript skill under `skills/` into `out`.
pub(crate) fn build(out: &Path, log: &std::fs::File) -> Result {
    let skills = skills()?;
    if skills.is_empty() {
        return Ok(());
    }
    ensure_node(log, &skills)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for skill in &skills {
        install(skill, log)?;
        let built = skill.component();
        if !newer_than_sources(&built, &skill.dir)? {
            step(&format!(
                "building the JavaScript skill {} (npm run build: componentize-js)",
                skill.name
            ));
            run(logged(npm(&skill.dir).args(["run", "build"]), log)?)
                .map_err(|e| format!("{e}: building the JavaScript skill {}", skill.name))?;
            if !built.exists() {
                return Err(format!(
                    "npm run build in {} did not write {}",
                    skill.dir.display(),
                    built.display()
                ));
            }
        }
        let dest = out.join(format!("{}.wasm", skill.name));
        if modified(&dest) < modified(&built) {
            copy(&built, &dest)?;
        }
    }
    Ok(())
}

/// Run every JavaScript skill's native tests (against its fake host).
pub(crate) fn test() -> Result {
    for skill in skills()? {
        step(&format!(
            "{}: npm test (node's test runner, against its fake host)",
            skill.name
        ));
        run(npm(&skill.dir).arg("test"))
            .map_err(|e| format!("{e}: the JavaScript skill {}'s tests", skill.name))?;
    }
    Ok(())
}

/// A JavaScript skill: its folder, named like its package and its component.
struct JsSkill {
    name: String,
    dir: PathBuf,
}

impl JsSkill {
    /// What `npm run build` writes.
    fn component(&self) -> PathBuf {
        self.dir.join("dist").join(format!("{}.wasm", self.name))
    }
}

/// The folders under `skills/` with a `package.json`, by name.
fn skills() -> Result<Vec<JsSkill>> {
    let root = root().join(SKILLS_DIR);
    let entries = std::fs::read_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut skills = Vec::new();
    for entry in entries {
        let dir = entry
            .map_err(|e| format!("{}: {e}", root.display()))?
            .path();
        let manifest = dir.join("package.json");
        if !manifest.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
        let package: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", manifest.display()))?;
        let folder = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if package["name"] != folder.as_str() {
            return Err(format!(
                "{} names the package {}; a skill's package is named for its folder (`{folder}`), as its component is",
                manifest.display(),
                package["name"]
            ));
        }
        skills.push(JsSkill { name: folder, dir });
    }
    skills.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(skills)
}

/// npm, and a Node.js that componentize-js runs on.
fn ensure_node(log: &std::fs::File, skills: &[JsSkill]) -> Result {
    let names: Vec<&str> = skills.iter().map(|s| s.name.as_str()).collect();
    let why = format!("the JavaScript skills ({})", names.join(", "));
    ensure_npm(log, &why)?;
    let out = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run node (Node.js) for {why}: {e}"))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    let mut parts = version.trim_start_matches('v').split('.');
    let (major, minor) = (number(parts.next()), number(parts.next()));
    if (major, minor) < NODE_MIN {
        return Err(format!(
            "componentize-js needs Node.js {}.{} or later for {why}, and `node --version` says `{version}`: install a newer Node.js",
            NODE_MIN.0, NODE_MIN.1
        ));
    }
    Ok(())
}

/// `npm ci` in the skill's folder, unless `node_modules/` holds what its
/// lock file pins (the lock's text is kept beside the packages).
fn install(skill: &JsSkill, log: &std::fs::File) -> Result {
    let lock = skill.dir.join("package-lock.json");
    let wanted = std::fs::read_to_string(&lock).map_err(|e| {
        format!(
            "cannot read {}: {e}; run `npm install` in {} and commit the lock file (it pins the toolchain)",
            lock.display(),
            skill.dir.display()
        )
    })?;
    let stamp = skill.dir.join("node_modules/.baton-installed-lock");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(());
    }
    step(&format!(
        "installing the JavaScript skill {}'s toolchain (npm ci: componentize-js)",
        skill.name
    ));
    run(logged(
        npm(&skill.dir).args([
            "ci",
            "--prefer-offline",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
        ]),
        log,
    )?)
    .map_err(|e| {
        format!(
            "{e}: cannot install the toolchain of the JavaScript skill {} (componentize-js, pinned in {}) from the npm registry",
            skill.name,
            lock.display()
        )
    })?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

fn npm(dir: &Path) -> Command {
    let mut c = Command::new("npm");
    c.current_dir(dir);
    c
}

/// Whether `built` exists and is newer than every source file in `dir`.
fn newer_than_sources(built: &Path, dir: &Path) -> Result<bool> {
    let Some(built) = modified(built) else {
        return Ok(false);
    };
    Ok(newest(dir, true)?.is_none_or(|source| source <= built))
}

/// The newest modification time below `dir` (following links, so the
/// shared WIT counts), leaving out [`NOT_SOURCES`] at the top.
fn newest(dir: &Path, top: bool) -> Result<Option<SystemTime>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut latest = None;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if top
            && path
                .file_name()
                .is_some_and(|n| NOT_SOURCES.iter().any(|s| n == *s))
        {
            continue;
        }
        let time = if path.is_dir() {
            newest(&path, false)?
        } else {
            modified(&path)
        };
        latest = latest.max(time);
    }
    Ok(latest)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
