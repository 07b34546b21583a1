//! Changing what is live: a file in the folder ([`Registry::reload_file`]),
//! an upload ([`Registry::publish`]) and a rollback ([`Registry::rollback`]).
//! Each checks the candidate first, off the async threads, and then goes
//! through the one [`Table::install`]; a refused candidate leaves the live
//! version serving and is recorded with its reason.

use super::folder::is_skill_file;
use super::loader::{LoadError, load_bytes, sha256_hex};
use super::{HISTORY, Live, LoadedSkill, Refusal, Registry, Table};
use crate::{Compile, Tier, metrics};
use std::path::Path;
use std::sync::Arc;

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

impl Reloaded {
    /// The `outcome` label of `baton_skill_swaps_total`.
    fn outcome(&self) -> Option<&'static str> {
        match self {
            Reloaded::Live { .. } => Some("live"),
            Reloaded::Removed { .. } => Some("removed"),
            Reloaded::Refused { .. } => Some("refused"),
            Reloaded::Unchanged => None,
        }
    }
}

/// Why an upload or a rollback was not made live.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Not a name a skill can have.
    #[error(
        "`{0}` is not a skill name: 1-64 characters of a-z, 0-9 and `-`, starting with a letter"
    )]
    BadName(String),
    /// The component is not a valid skill, or not allowed here.
    #[error(transparent)]
    Refused(#[from] LoadError),
    /// The component is a valid skill, but not the one named.
    #[error("the component is skill `{found}`, not `{named}`")]
    OtherSkill { named: String, found: String },
    /// Rollback with no earlier version kept.
    #[error("skill `{0}` has no earlier version to roll back to")]
    NoPrevious(String),
    /// Rollback of a skill that is not live.
    #[error("skill `{0}` is not installed")]
    NotInstalled(String),
    /// The folder could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

impl Registry {
    /// Load (or unload) the skill at `path` (a file in this registry's
    /// folder) and swap it in atomically.
    pub async fn reload_path(&self, path: &Path) -> Reloaded {
        match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => self.reload_file(name).await,
            None => Reloaded::Unchanged,
        }
    }

    /// Load (or unload) the folder's file `file_name` and swap it in.
    pub(crate) async fn reload_file(&self, file_name: &str) -> Reloaded {
        if !is_skill_file(file_name) {
            return Reloaded::Unchanged;
        }
        let _serial = self.reload.lock().await;
        self.reload_serialised(file_name, Compile::Optimized).await
    }

    /// [`Registry::reload_file`] for a caller that holds the `reload` lock
    /// (no other version of this file is being loaded meanwhile), compiled
    /// as `how` asks.
    pub(super) async fn reload_serialised(&self, file_name: &str, how: Compile) -> Reloaded {
        if !is_skill_file(file_name) {
            return Reloaded::Unchanged;
        }
        let path = self.dir.join(file_name);
        let outcome = match self.read_file(file_name) {
            Ok(None) => self.write().remove(&path),
            Ok(Some(bytes)) => {
                let sha = sha256_hex(&bytes);
                let same = self.write().unchanged(&path, &sha);
                if same {
                    Reloaded::Unchanged
                } else {
                    let loaded = load_bytes(
                        &self.runtime,
                        bytes.into(),
                        Some(sha.clone()),
                        &path,
                        &self.grants,
                        how,
                    );
                    match loaded.await {
                        Ok(skill) => self.write().install(&path, skill),
                        Err(e) => self.write().refuse(&path, Some(sha), e.to_string()),
                    }
                }
            }
            Err(e) => self.write().refuse(&path, None, e.to_string()),
        };
        count(&outcome);
        outcome
    }

    /// Replace Winch's code of every live skill that started on it
    /// ([`Compile::QuickFirst`]) with Cranelift's, which fills the compile
    /// cache: one skill at a time (wasmtime spreads each over the cores),
    /// reporting `(done, of)`. A skill whose file changed meanwhile is left
    /// to that change; one Cranelift refuses stays on Winch's code.
    pub async fn optimize(&self, progress: impl Fn(usize, usize)) {
        let quick: Vec<Arc<LoadedSkill>> = self
            .read()
            .by_name
            .values()
            .filter(|l| l.skill.tier() == Tier::Quick)
            .map(|l| l.skill.clone())
            .collect();
        let of = quick.len();
        progress(0, of);
        for (done, skill) in quick.iter().enumerate() {
            let (bytes, sha) = (skill.bytes.clone(), Some(skill.sha256.clone()));
            let how = Compile::Optimized;
            match load_bytes(&self.runtime, bytes, sha, &skill.path, &self.grants, how).await {
                Ok(optimized) => {
                    let _serial = self.reload.lock().await;
                    let mut table = self.write();
                    let name = &skill.manifest.name;
                    let same = |l: &Live| l.skill.sha256 == skill.sha256;
                    if table.by_name.get(name).is_some_and(same) {
                        table.install(&skill.path, optimized);
                    }
                }
                Err(e) => {
                    tracing::warn!(skill = %skill.manifest.name, error = %e, "Cranelift cannot compile a skill; it stays on Winch's code");
                }
            }
            progress(done + 1, of);
        }
    }

    /// Check `bytes` as skill `name` and, if it loads, write it to the
    /// folder as `<name>.wasm` and make it live. A refused upload changes
    /// nothing but the skill's last refusal.
    pub async fn publish(&self, name: &str, bytes: Arc<[u8]>) -> Result<Reloaded, PublishError> {
        if super::manifest::check_name(name).is_err() {
            return Err(PublishError::BadName(name.escape_debug().to_string()));
        }
        let file_name = format!("{name}.wasm");
        let path = self.dir.join(&file_name);
        let _serial = self.reload.lock().await;
        let result = self.check_and_write(name, &file_name, &path, bytes).await;
        let outcome = match result {
            Ok(skill) => self.write().install(&path, skill),
            Err((sha, e)) => {
                // The folder is untouched: the skill's last refusal, not a
                // problem with a file.
                self.write().note_refusal(&path, sha, e.to_string());
                count(&Reloaded::Refused {
                    reason: String::new(),
                });
                return Err(e);
            }
        };
        count(&outcome);
        Ok(outcome)
    }

    /// Check `bytes` as a candidate version of skill `name`, with the
    /// grants and limits the live version has, without writing it anywhere
    /// or making it live (shadow replay runs it).
    pub async fn candidate(
        &self,
        name: &str,
        bytes: Arc<[u8]>,
    ) -> Result<LoadedSkill, PublishError> {
        if super::manifest::check_name(name).is_err() {
            return Err(PublishError::BadName(name.escape_debug().to_string()));
        }
        let path = self.dir.join(format!("{name}.wasm"));
        self.check_as(name, &path, bytes).await
    }

    /// `bytes` loaded as skill `name` (as if at `path`).
    async fn check_as(
        &self,
        name: &str,
        path: &Path,
        bytes: Arc<[u8]>,
    ) -> Result<LoadedSkill, PublishError> {
        let skill = load_bytes(
            &self.runtime,
            bytes,
            None,
            path,
            &self.grants,
            Compile::Optimized,
        )
        .await
        .map_err(|e| e.shown_as("the uploaded component"))?;
        if skill.manifest.name != name {
            return Err(PublishError::OtherSkill {
                named: name.to_owned(),
                found: skill.manifest.name.clone(),
            });
        }
        Ok(skill)
    }

    /// Put back the version that served `name` before the live one.
    pub async fn rollback(&self, name: &str) -> Result<Reloaded, PublishError> {
        let _serial = self.reload.lock().await;
        let previous = {
            let table = self.read();
            if !table.by_name.contains_key(name) {
                return Err(PublishError::NotInstalled(name.to_owned()));
            }
            table.previous(name).cloned()
        }
        .ok_or_else(|| PublishError::NoPrevious(name.to_owned()))?;
        let file_name = format!("{name}.wasm");
        let path = self.dir.join(&file_name);
        // A version that stopped serving before the start's optimizing
        // reached it comes back on Cranelift's code.
        let previous = match previous.tier() {
            Tier::Optimized => (*previous).clone(),
            Tier::Quick => {
                let (bytes, sha) = (previous.bytes.clone(), Some(previous.sha256.clone()));
                load_bytes(
                    &self.runtime,
                    bytes,
                    sha,
                    &path,
                    &self.grants,
                    Compile::Optimized,
                )
                .await?
            }
        };
        self.folder
            .write_atomically(&file_name, &previous.bytes)
            .map_err(|source| PublishError::Write {
                path: path.display().to_string(),
                source,
            })?;
        let outcome = self.write().install(&path, previous);
        count(&outcome);
        Ok(outcome)
    }

    /// Remove `<name>.wasm` from the folder and the skill with it (a
    /// removal another replica recorded).
    pub async fn unpublish(&self, name: &str) -> Reloaded {
        let file_name = format!("{name}.wasm");
        if let Err(e) = self.folder.remove(&file_name) {
            tracing::warn!(skill = %name, error = %e, "could not remove a skill file");
        }
        self.reload_file(&file_name).await
    }

    /// Load `bytes` as an earlier version of `name` and keep it loaded
    /// without making it live (for a job pinned to it). Returns it.
    pub async fn keep_loaded(
        &self,
        name: &str,
        bytes: Arc<[u8]>,
    ) -> Result<Arc<LoadedSkill>, PublishError> {
        let path = self.dir.join(format!("{name}.wasm"));
        let skill = load_bytes(
            &self.runtime,
            bytes,
            None,
            &path,
            &self.grants,
            Compile::Optimized,
        )
        .await?;
        if skill.manifest.name != name {
            return Err(PublishError::OtherSkill {
                named: name.to_owned(),
                found: skill.manifest.name.clone(),
            });
        }
        let skill = Arc::new(skill);
        self.write().keep(name, skill.clone());
        Ok(skill)
    }

    async fn check_and_write(
        &self,
        name: &str,
        file_name: &str,
        path: &Path,
        bytes: Arc<[u8]>,
    ) -> Result<LoadedSkill, (Option<String>, PublishError)> {
        let sha = Some(sha256_hex(&bytes));
        let skill = self
            .check_as(name, path, bytes)
            .await
            .map_err(|e| (sha.clone(), e))?;
        self.folder
            .write_atomically(file_name, &skill.bytes)
            .map_err(|source| {
                let e = PublishError::Write {
                    path: path.display().to_string(),
                    source,
                };
                (sha.clone(), e)
            })?;
        Ok(skill)
    }

    /// The file's bytes, `None` if it is gone; too large is an error.
    fn read_file(&self, file_name: &str) -> Result<Option<Vec<u8>>, LoadError> {
        let path = self.dir.join(file_name).display().to_string();
        let read_err = |source| LoadError::Read {
            path: path.clone(),
            source,
        };
        let Some(len) = self.folder.len(file_name).map_err(read_err)? else {
            return Ok(None);
        };
        super::loader::check_size(&path, len)?;
        match self.folder.read(file_name) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(read_err(e)),
        }
    }
}

fn count(outcome: &Reloaded) {
    if let Some(o) = outcome.outcome() {
        metrics::skill_swap(o);
    }
}

impl Table {
    /// Whether the file at `path` already serves the version `sha`; a
    /// file restored to what is live clears its problem.
    fn unchanged(&mut self, path: &Path, sha: &str) -> bool {
        let live = self
            .by_path
            .get(path)
            .and_then(|name| self.by_name.get(name))
            .is_some_and(|l| l.skill.sha256 == sha);
        if live {
            self.problems.remove(path);
        }
        live
    }

    /// The file at `path` is gone: its skill goes with it.
    fn remove(&mut self, path: &Path) -> Reloaded {
        self.problems.remove(path);
        match self.by_path.remove(path) {
            Some(name) => {
                if let Some(old) = self.by_name.remove(&name) {
                    self.keep(&name, old.skill);
                }
                tracing::info!(skill = %name, "skill removed");
                Reloaded::Removed { name }
            }
            None => Reloaded::Unchanged,
        }
    }

    /// Record a refusal of the folder's file at `path` (a problem until
    /// the file changes) and as its skill's last refusal; whatever was
    /// live stays live.
    fn refuse(&mut self, path: &Path, sha256: Option<String>, reason: String) -> Reloaded {
        self.problems.insert(path.to_owned(), reason.clone());
        self.note_refusal(path, sha256, reason)
    }

    /// Record a refused candidate for the skill of `path` (an upload,
    /// never written to the folder) as its last refusal only.
    fn note_refusal(&mut self, path: &Path, sha256: Option<String>, reason: String) -> Reloaded {
        tracing::warn!(path = %path.display(), %reason, "skill refused; previous version stays live");
        if let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) {
            let refusal = Refusal {
                path: path.display().to_string(),
                sha256,
                reason: reason.clone(),
                at: crate::clock::now_ms(),
            };
            self.refused.insert(stem, refusal);
        }
        Reloaded::Refused { reason }
    }

    /// Make `skill`, from the file at `path`, the live version of its name.
    /// The one place what serves a skill changes.
    fn install(&mut self, path: &Path, skill: LoadedSkill) -> Reloaded {
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
            return self.refuse(path, Some(skill.sha256), reason);
        }
        if let Some(current) = self.by_name.get(&name) {
            if current.skill.path != path {
                let reason = format!(
                    "{}: skill `{name}` is already provided by {}; remove one of the two files",
                    path.display(),
                    current.skill.path.display()
                );
                return self.refuse(path, Some(skill.sha256), reason);
            }
            if current.skill.sha256 == skill.sha256 {
                self.problems.remove(path);
                if current.skill.tier() == Tier::Quick && skill.tier() == Tier::Optimized {
                    // The same version, now on Cranelift's code: calls
                    // in flight finish on Winch's.
                    let since = current.since;
                    let live = Live {
                        skill: Arc::new(skill),
                        since,
                    };
                    self.by_name.insert(name, live);
                }
                return Reloaded::Unchanged;
            }
        }
        // The file may have changed which skill it provides.
        if let Some(old) = self.by_path.insert(path.to_owned(), name.clone())
            && old != name
            && let Some(gone) = self.by_name.remove(&old)
        {
            self.keep(&old, gone.skill);
        }
        let version = skill.manifest.version.to_string();
        tracing::info!(skill = %name, %version, sha256 = %skill.sha256, "skill live");
        self.problems.remove(path);
        let live = Live {
            skill: Arc::new(skill),
            since: crate::clock::now_ms(),
        };
        if let Some(old) = self.by_name.insert(name.clone(), live) {
            self.keep(&name, old.skill);
        }
        Reloaded::Live { name, version }
    }

    /// Keep a version that stopped serving, newest last, at most
    /// [`HISTORY`] per skill.
    fn keep(&mut self, name: &str, skill: Arc<LoadedSkill>) {
        let kept = self.history.entry(name.to_owned()).or_default();
        kept.retain(|s| s.sha256 != skill.sha256);
        kept.push(skill);
        if kept.len() > HISTORY {
            kept.remove(0);
        }
    }
}
