//! The skill registry: a folder of `*.wasm` skills, each in a file named
//! for it (`<name>.wasm`), loaded, checked and kept live. A changed file,
//! an upload or a rollback is compiled and checked in the background and
//! swapped in atomically; calls in flight keep the version they started
//! with; a bad file leaves the old version live and its reason is reported.
//!
//! - `loader.rs`: one component to a [`LoadedSkill`] (compile, imports
//!   against grants, manifest).
//! - `folder.rs`: the folder, through a cap-std `Dir`.
//! - `swap.rs`: every change of what is live (a file, an upload, a
//!   rollback) goes through its one `install`.
//! - `watch.rs`: the folder watch.
//!
//! The registry never runs a skill itself and never touches the database.

mod folder;
mod grants;
mod loader;
mod manifest;
mod swap;
mod watch;

pub use grants::{Grants, GrantsError};
pub use loader::{LoadError, LoadedSkill, load_skill, sha256_hex};
pub use manifest::{Manifest, ManifestError};
pub use swap::{PublishError, Reloaded};
pub use watch::Watcher;

use crate::{Compile, Runtime, Tier};
use folder::Folder;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Earlier versions of one skill kept loaded (for rollback and for jobs
/// pinned to the version they started on).
const HISTORY: usize = 8;

/// One line of `baton skill list` and `GET /v1/skills`.
#[derive(Debug, Clone, Serialize)]
pub struct SkillInfo {
    pub name: String,
    pub version: String,
    pub sha256: String,
    pub path: String,
    pub summary: String,
    pub capabilities: Vec<String>,
    pub effective: Vec<String>,
    /// When this version went live here (ms since the epoch).
    pub live_since: i64,
    /// Which compiler made the code it runs (`quick` until Cranelift's
    /// replaces Winch's after a start on a cold cache).
    pub compiled: Tier,
    /// The version a rollback would put back.
    pub previous: Option<VersionInfo>,
    /// The last file or upload for this skill that was refused.
    pub last_refused: Option<Refusal>,
}

/// A version of a skill, by its number and file hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionInfo {
    pub version: String,
    pub sha256: String,
}

/// A file or upload that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub path: String,
    pub sha256: Option<String>,
    pub reason: String,
    /// When (ms since the epoch).
    pub at: i64,
}

/// A file the registry cannot load now, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LoadProblem {
    pub path: String,
    pub reason: String,
}

/// The version serving a skill, and since when.
struct Live {
    skill: Arc<LoadedSkill>,
    since: i64,
}

#[derive(Default)]
struct Table {
    by_name: BTreeMap<String, Live>,
    /// Which skill each file provides.
    by_path: BTreeMap<PathBuf, String>,
    /// Files that cannot be loaded now.
    problems: BTreeMap<PathBuf, String>,
    /// The last refusal per skill name (the file's stem).
    refused: BTreeMap<String, Refusal>,
    /// Earlier versions per skill, oldest first.
    history: BTreeMap<String, Vec<Arc<LoadedSkill>>>,
}

/// The live set of skills from one folder.
pub struct Registry {
    runtime: Runtime,
    dir: PathBuf,
    folder: Folder,
    grants: Arc<Grants>,
    table: RwLock<Table>,
    /// Serialises changes so two versions of one file never race.
    reload: tokio::sync::Mutex<()>,
}

impl Registry {
    /// Load every `*.wasm` in `dir`. Files that fail are reported by
    /// [`Registry::problems`], not fatal.
    pub async fn open(
        runtime: Runtime,
        dir: &Path,
        grants: Grants,
    ) -> std::io::Result<Arc<Registry>> {
        let registry = Registry::empty(runtime, dir, grants)?;
        registry.load_folder(|_, _| {}, Compile::Optimized).await?;
        Ok(registry)
    }

    /// A registry on `dir` with nothing loaded yet; [`Registry::load_folder`]
    /// loads it (the service answers health checks meanwhile).
    pub fn empty(runtime: Runtime, dir: &Path, grants: Grants) -> std::io::Result<Arc<Registry>> {
        Ok(Arc::new(Registry {
            runtime,
            dir: dir.to_owned(),
            folder: Folder::open(dir)?,
            grants: Arc::new(grants),
            table: RwLock::new(Table::default()),
            reload: tokio::sync::Mutex::new(()),
        }))
    }

    /// Load every `*.wasm` in the folder, reporting progress as
    /// `(loaded so far, of)`. Files load side by side, one per core:
    /// wasmtime spreads one component's functions over the cores, but
    /// reading, validating, linking and describing a skill are serial, so
    /// a folder loaded one file after another leaves cores idle. Each is
    /// installed as soon as it is ready (a skill's file is `<name>.wasm`,
    /// so no two can race for one skill), all under the one `reload` lock:
    /// no watched change interleaves. Each compiles as `how` asks: a
    /// service starts on [`Compile::QuickFirst`] and then calls
    /// [`Registry::optimize`].
    pub async fn load_folder(
        &self,
        progress: impl Fn(usize, usize),
        how: Compile,
    ) -> std::io::Result<()> {
        use futures_util::stream::{self, StreamExt};
        let files = self.folder.skill_files()?;
        let of = files.len();
        progress(0, of);
        let _serial = self.reload.lock().await;
        let width = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let loads: Vec<_> = files
            .iter()
            .map(|name| self.reload_serialised(name, how))
            .collect();
        let mut loads = stream::iter(loads).buffered(width);
        let mut done = 0;
        while loads.next().await.is_some() {
            done += 1;
            progress(done, of);
        }
        Ok(())
    }

    /// The folder this registry watches.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The live version of `name`. Holding the `Arc` keeps that version alive
    /// for the whole call, whatever is swapped in meanwhile.
    pub fn get(&self, name: &str) -> Option<Arc<LoadedSkill>> {
        self.read().by_name.get(name).map(|l| l.skill.clone())
    }

    /// The version of `name` whose file hashes to `sha256`, if it is live
    /// or still kept loaded.
    pub fn version(&self, name: &str, sha256: &str) -> Option<Arc<LoadedSkill>> {
        let table = self.read();
        if let Some(live) = table.by_name.get(name)
            && live.skill.sha256 == sha256
        {
            return Some(live.skill.clone());
        }
        table
            .history
            .get(name)?
            .iter()
            .find(|s| s.sha256 == sha256)
            .cloned()
    }

    /// When the folder's `<name>.wasm` was last written (ms since the
    /// epoch), if it exists.
    pub fn file_modified(&self, name: &str) -> Option<i64> {
        self.folder.modified_ms(&format!("{name}.wasm"))
    }

    /// Every live skill, by name.
    pub fn list(&self) -> Vec<SkillInfo> {
        let table = self.read();
        table
            .by_name
            .iter()
            .map(|(name, live)| {
                let s = &live.skill;
                SkillInfo {
                    name: s.manifest.name.clone(),
                    version: s.manifest.version.to_string(),
                    sha256: s.sha256.clone(),
                    path: s.path.display().to_string(),
                    summary: s.manifest.summary.clone(),
                    capabilities: s.manifest.capabilities.to_strings(),
                    effective: s.effective.to_strings(),
                    live_since: live.since,
                    compiled: s.tier(),
                    previous: table.previous(name).map(|p| VersionInfo {
                        version: p.manifest.version.to_string(),
                        sha256: p.sha256.clone(),
                    }),
                    last_refused: table.refused.get(name).cloned(),
                }
            })
            .collect()
    }

    /// Files that cannot be loaded now, with the reason.
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

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Table> {
        self.table.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Table> {
        self.table.write().unwrap_or_else(|p| p.into_inner())
    }
}

impl Table {
    /// The newest kept version of `name` that is not the live one.
    fn previous(&self, name: &str) -> Option<&Arc<LoadedSkill>> {
        let live = self.by_name.get(name).map(|l| l.skill.sha256.as_str());
        self.history
            .get(name)?
            .iter()
            .rev()
            .find(|s| Some(s.sha256.as_str()) != live)
    }
}
