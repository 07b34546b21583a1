//! The skill registry: a folder of `*.wasm` skills, each in a file named
//! for it (`<name>.wasm`), loaded, checked and kept live. A changed file is compiled and checked in the background and swapped
//! in atomically; calls in flight keep the version they started with; a bad
//! file leaves the old version live and its reason is reported.
//!
//! The registry never runs a skill itself and never touches the database.

mod grants;
mod loader;
mod manifest;
mod watch;

pub use grants::{Grants, GrantsError};
pub use loader::{LoadError, LoadedSkill, load_skill};
pub use manifest::{Manifest, ManifestError};

use crate::runtime::Runtime;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// One line of `baton skill list`.
#[derive(Debug, Clone, Serialize)]
pub struct SkillInfo {
    pub name: String,
    pub version: String,
    pub sha256: String,
    pub path: String,
    pub summary: String,
    pub capabilities: Vec<String>,
    pub effective: Vec<String>,
}

/// A file the registry could not load, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LoadProblem {
    pub path: String,
    pub reason: String,
}

#[derive(Default)]
struct Table {
    by_name: BTreeMap<String, Arc<LoadedSkill>>,
    /// Which skill each file provides.
    by_path: BTreeMap<PathBuf, String>,
    problems: BTreeMap<PathBuf, String>,
}

/// The live set of skills from one folder.
pub struct Registry {
    runtime: Runtime,
    dir: PathBuf,
    grants: Arc<Grants>,
    table: RwLock<Table>,
    /// Serialises reloads so two versions of one file never race.
    reload: tokio::sync::Mutex<()>,
}

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reloaded {
    /// A skill version is now live.
    Live { name: String, version: String },
    /// The file is gone; its skill was removed.
    Removed { name: String },
    /// The file was refused; the previous version (if any) stays live.
    Refused { reason: String },
    /// Nothing to do (not a `.wasm` file, or unchanged).
    Unchanged,
}

impl Registry {
    /// Load every `*.wasm` in `dir`. Files that fail are reported by
    /// [`Registry::problems`], not fatal.
    pub async fn open(
        runtime: Runtime,
        dir: &Path,
        grants: Grants,
    ) -> std::io::Result<Arc<Registry>> {
        let registry = Arc::new(Registry {
            runtime,
            dir: dir.to_owned(),
            grants: Arc::new(grants),
            table: RwLock::new(Table::default()),
            reload: tokio::sync::Mutex::new(()),
        });
        for path in skill_files(dir)? {
            registry.reload_path(&path).await;
        }
        Ok(registry)
    }

    /// The folder this registry watches.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The live version of `name`. Holding the `Arc` keeps that version alive
    /// for the whole call, whatever is swapped in meanwhile.
    pub fn get(&self, name: &str) -> Option<Arc<LoadedSkill>> {
        self.read().by_name.get(name).cloned()
    }

    /// Every live skill, by name.
    pub fn list(&self) -> Vec<SkillInfo> {
        self.read()
            .by_name
            .values()
            .map(|s| SkillInfo {
                name: s.manifest.name.clone(),
                version: s.manifest.version.to_string(),
                sha256: s.sha256.clone(),
                path: s.path.display().to_string(),
                summary: s.manifest.summary.clone(),
                capabilities: s.manifest.capabilities.to_strings(),
                effective: s.effective.to_strings(),
            })
            .collect()
    }

    /// Files that could not be loaded, with the reason.
    pub fn problems(&self) -> Vec<LoadProblem> {
        self.read()
            .problems
            .iter()
            .map(|(p, r)| LoadProblem {
                path: p.display().to_string(),
                reason: r.clone(),
            })
            .collect()
    }

    /// Load (or unload) the skill at `path` and swap it in atomically.
    pub async fn reload_path(&self, path: &Path) -> Reloaded {
        if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
            return Reloaded::Unchanged;
        }
        let _serial = self.reload.lock().await;
        if !path.exists() {
            let mut table = self.write();
            table.problems.remove(path);
            return match table.by_path.remove(path) {
                Some(name) => {
                    table.by_name.remove(&name);
                    tracing::info!(skill = %name, "skill removed");
                    Reloaded::Removed { name }
                }
                None => Reloaded::Unchanged,
            };
        }
        match load_skill(&self.runtime, path, &self.grants).await {
            Ok(skill) => self.install(path, skill),
            Err(e) => {
                let reason = e.to_string();
                tracing::warn!(path = %path.display(), %reason, "skill refused; previous version stays live");
                self.write()
                    .problems
                    .insert(path.to_owned(), reason.clone());
                Reloaded::Refused { reason }
            }
        }
    }

    fn install(&self, path: &Path, skill: LoadedSkill) -> Reloaded {
        let mut table = self.write();
        let name = skill.manifest.name.clone();
        // A skill's file is `<name>.wasm`: a copy under another name can
        // never take over a skill, whichever file is read first.
        let stem = path.file_stem().map(|s| s.to_string_lossy());
        if stem.as_deref() != Some(name.as_str()) {
            let reason = format!(
                "{}: the file provides skill `{name}`, whose file must be named `{name}.wasm`; \
                 rename it or remove it",
                path.display()
            );
            tracing::warn!(path = %path.display(), skill = %name, "skill file refused: named for another skill");
            table.problems.insert(path.to_owned(), reason.clone());
            return Reloaded::Refused { reason };
        }
        if let Some(current) = table.by_name.get(&name) {
            if current.path != path {
                let reason = format!(
                    "{}: skill `{name}` is already provided by {}; remove one of the two files",
                    path.display(),
                    current.path.display()
                );
                table.problems.insert(path.to_owned(), reason.clone());
                return Reloaded::Refused { reason };
            }
            if current.sha256 == skill.sha256 {
                table.problems.remove(path);
                return Reloaded::Unchanged;
            }
        }
        // The file may have changed which skill it provides.
        if let Some(old) = table.by_path.insert(path.to_owned(), name.clone())
            && old != name
        {
            table.by_name.remove(&old);
        }
        let version = skill.manifest.version.to_string();
        tracing::info!(skill = %name, %version, sha256 = %skill.sha256, "skill live");
        table.problems.remove(path);
        table.by_name.insert(name.clone(), Arc::new(skill));
        Reloaded::Live { name, version }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Table> {
        self.table.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Table> {
        self.table.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// The `*.wasm` files directly in `dir`, sorted.
pub fn skill_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("wasm") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

pub use watch::Watcher;
