//! Keeping this process's skills and the database's release log in step,
//! so that every replica on one database serves the same versions.
//!
//! The database is the file store (`skill_versions`) as well as the log:
//! replicas need no shared folder, and a replica started on a new machine
//! gets every version it may be asked to run (including those a pinned job
//! started on) from the one place it must reach anyway. Each replica writes
//! what it loads from the log into its own folder, so a restart without
//! the database still serves the same versions.
//!
//! - A version made live here (an upload, a rollback, a file landing in
//!   the folder) is recorded with [`Releases::announce`].
//! - [`Releases::follow`] polls the log and loads what other replicas
//!   recorded.
//! - At start-up, [`Releases::reconcile`] settles the folder against the
//!   log: a file written after the skill's last release wins (an operator
//!   replaced it while the service was down); otherwise the log wins (this
//!   replica's folder is behind).

use crate::registry::{LoadedSkill, PublishError, Registry, Reloaded};
use crate::store::{NewRelease, Release, Store, StoreError};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Where a release came from (the log's `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Folder,
    Upload,
    Rollback,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Folder => "folder",
            Source::Upload => "upload",
            Source::Rollback => "rollback",
        }
    }
}

/// Why a release could not be applied or recorded.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("release {id} of `{name}` names component {sha256}, which the database does not hold")]
    Missing {
        id: i64,
        name: String,
        sha256: String,
    },
}

/// This process's view of the release log.
pub struct Releases {
    store: Store,
    registry: Arc<Registry>,
    /// The newest release id applied or seen here.
    seen: AtomicI64,
    /// Held while a version is made live here and recorded, and while the
    /// log is read and applied: a poll that read the log before an upload
    /// was recorded must not put the older release back after it.
    turn: tokio::sync::Mutex<()>,
}

impl Releases {
    pub fn new(store: Store, registry: Arc<Registry>) -> Arc<Releases> {
        Arc::new(Releases {
            store,
            registry,
            seen: AtomicI64::new(0),
            turn: tokio::sync::Mutex::new(()),
        })
    }

    /// Record what serves `name` here now (or that it is gone).
    pub async fn announce(&self, name: &str, source: Source) -> Result<(), StoreError> {
        let _turn = self.turn.lock().await;
        self.record(name, source).await
    }

    async fn record(&self, name: &str, source: Source) -> Result<(), StoreError> {
        self.record_all(&[name], source).await
    }

    /// Record what serves each of `names` here now, in one transaction.
    async fn record_all(&self, names: &[&str], source: Source) -> Result<(), StoreError> {
        if names.is_empty() {
            return Ok(());
        }
        let live: Vec<_> = names
            .iter()
            .map(|name| {
                let skill = self.registry.get(name);
                let version = skill.as_deref().map(version_of);
                (*name, skill, version)
            })
            .collect();
        let releases: Vec<NewRelease<'_>> = live
            .iter()
            .map(|(name, skill, version)| NewRelease {
                name,
                component: skill
                    .as_deref()
                    .zip(version.as_deref())
                    .map(|(s, v)| (v, s.sha256.as_str(), &*s.bytes)),
                source: source.as_str(),
            })
            .collect();
        let ids = self
            .store
            .record_releases(&releases, crate::store::now_ms())
            .await?;
        // Our own releases are no news to us.
        if let Some(id) = ids.into_iter().flatten().max() {
            self.seen.fetch_max(id, Ordering::AcqRel);
        }
        Ok(())
    }

    /// Upload: check `bytes` as skill `name`, make it live here and record
    /// it for the other replicas.
    pub async fn publish(&self, name: &str, bytes: Arc<[u8]>) -> Result<Reloaded, ReleaseError> {
        let _turn = self.turn.lock().await;
        let outcome = self.registry.publish(name, bytes).await?;
        self.record(name, Source::Upload).await?;
        Ok(outcome)
    }

    /// Put the previous version of `name` back, here and on every replica.
    pub async fn rollback(&self, name: &str) -> Result<Reloaded, ReleaseError> {
        let _turn = self.turn.lock().await;
        let outcome = self.registry.rollback(name).await?;
        self.record(name, Source::Rollback).await?;
        Ok(outcome)
    }

    /// Settle the loaded folder against the log, then record what the log
    /// does not name yet (see the module notes).
    pub async fn reconcile(&self) -> Result<(), ReleaseError> {
        self.settle().await?;
        self.record_unlogged().await?;
        Ok(())
    }

    /// Settle the loaded folder against what the log names: a file written
    /// after its skill's last release is recorded, otherwise the logged
    /// version is loaded.
    pub async fn settle(&self) -> Result<(), ReleaseError> {
        let _turn = self.turn.lock().await;
        let latest = self.store.latest_releases(0).await?;
        for r in &latest {
            let here = self.registry.get(&r.name);
            if here.as_ref().map(|s| s.sha256.as_str()) == r.sha256.as_deref() {
                continue;
            }
            let newer_file = here.is_some()
                && self
                    .registry
                    .file_modified(&r.name)
                    .is_some_and(|m| m > r.released_at);
            if newer_file {
                self.record(&r.name, Source::Folder).await?;
            } else if let Err(e) = self.apply(r).await {
                tracing::warn!(skill = %r.name, error = %e, "could not load the release the database names; the folder's version serves");
            }
        }
        let newest = self.store.latest_releases(0).await?;
        self.mark(&newest);
        Ok(())
    }

    /// Record each live skill the log does not name: on a new database the
    /// whole folder, in one transaction. `baton serve` does this after
    /// readiness on SQLite (writing every component, tens of MB, was most
    /// of a start on a new database) and before it on Postgres; a stop
    /// before it ends leaves them for the next start.
    pub async fn record_unlogged(&self) -> Result<(), StoreError> {
        let _turn = self.turn.lock().await;
        let logged: BTreeSet<String> = self
            .store
            .latest_releases(0)
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect();
        let unlogged: Vec<String> = self
            .registry
            .list()
            .into_iter()
            .map(|skill| skill.name)
            .filter(|name| !logged.contains(name))
            .collect();
        let unlogged: Vec<&str> = unlogged.iter().map(String::as_str).collect();
        self.record_all(&unlogged, Source::Folder).await
    }

    /// Load what other replicas released since the last look.
    pub async fn catch_up(&self) -> Result<usize, ReleaseError> {
        let _turn = self.turn.lock().await;
        let after = self.seen.load(Ordering::Acquire);
        let releases = self.store.latest_releases(after).await?;
        let mut applied = 0;
        for r in &releases {
            let here = self.registry.get(&r.name);
            if here.as_ref().map(|s| s.sha256.as_str()) != r.sha256.as_deref() {
                match self.apply(r).await {
                    Ok(()) => applied += 1,
                    Err(e) => {
                        tracing::warn!(skill = %r.name, release = r.id, error = %e, "could not load a release");
                    }
                }
            }
        }
        self.mark(&releases);
        Ok(applied)
    }

    /// Poll the log every `every` until `stop` turns true.
    pub async fn follow(&self, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            if let Err(e) = self.catch_up().await {
                tracing::warn!(error = %e, "could not read the skill release log");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// The version of `name` hashed `sha256`: live, kept, or loaded from
    /// the database (a job pinned to a version no longer kept).
    pub async fn version(
        &self,
        name: &str,
        sha256: &str,
    ) -> Result<Option<Arc<LoadedSkill>>, ReleaseError> {
        if let Some(s) = self.registry.version(name, sha256) {
            return Ok(Some(s));
        }
        let Some(bytes) = self.store.skill_component(sha256).await? else {
            return Ok(None);
        };
        Ok(Some(self.registry.keep_loaded(name, bytes.into()).await?))
    }

    async fn apply(&self, r: &Release) -> Result<(), ReleaseError> {
        let Some(sha) = &r.sha256 else {
            self.registry.unpublish(&r.name).await;
            return Ok(());
        };
        let bytes =
            self.store
                .skill_component(sha)
                .await?
                .ok_or_else(|| ReleaseError::Missing {
                    id: r.id,
                    name: r.name.clone(),
                    sha256: sha.clone(),
                })?;
        self.registry.publish(&r.name, bytes.into()).await?;
        Ok(())
    }

    fn mark(&self, releases: &[Release]) {
        if let Some(max) = releases.iter().map(|r| r.id).max() {
            self.seen.fetch_max(max, Ordering::AcqRel);
        }
    }
}

fn version_of(skill: &LoadedSkill) -> String {
    skill.manifest.version.to_string()
}

/// The folder watches of one process; dropping them stops watching.
pub struct Watches {
    _skills: crate::watch::FolderWatch,
    _sequences: Option<crate::watch::FolderWatch>,
}

impl crate::orchestrator::Orchestrator {
    /// Watch the skills and sequences folders: a changed skill file is
    /// swapped in (and recorded in the release log for other replicas); a
    /// changed sequence file is reloaded. The error names what could not be
    /// watched.
    pub fn watch_folders(self: &Arc<Self>) -> Result<Watches, (String, ::notify::Error)> {
        let releases = self.releases.clone();
        let (live, registry) = (self.live_sequences.clone(), self.registry.clone());
        let skills = self
            .registry
            .watch(move |_, outcome| {
                let name = match outcome {
                    Reloaded::Live { name, .. } | Reloaded::Removed { name } => name.clone(),
                    Reloaded::Refused { .. } | Reloaded::Unchanged => return,
                };
                // A skill's declared flow may have changed: lay out again.
                for e in live.settle(|s| crate::orchestrator::sequence::check_against(&registry, s)) {
                    tracing::warn!(problem = %e, "sequence refused after a skill changed; its previous version stays live");
                }
                let releases = releases.clone();
                tokio::spawn(async move {
                    if let Err(e) = releases.announce(&name, Source::Folder).await {
                        tracing::warn!(skill = %name, error = %e, "could not record a skill release");
                    }
                });
            })
            .map_err(|e| (self.registry.dir().display().to_string(), e))?;
        let registry = self.registry.clone();
        let check = move |s: &mut crate::orchestrator::Sequences| {
            crate::orchestrator::sequence::check_against(&registry, s)
        };
        // A folder file changed: its new text becomes a version (served
        // unless its event is pinned), and the heads serve again.
        let orch = Arc::clone(self);
        let on_reload = move |_: &[crate::orchestrator::SequenceError]| {
            let orch = orch.clone();
            tokio::spawn(async move {
                match orch.sync_sequences().await {
                    Ok(problems) => {
                        for p in &problems {
                            tracing::warn!(problem = %p, "a sequence version does not load; the previous one serves");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot record the sequence versions"),
                }
            });
        };
        let sequences = self.live_sequences.watch(check, on_reload).map_err(|e| {
            let dir = self.sequences().dir().map(|d| d.display().to_string());
            (dir.unwrap_or_default(), e)
        })?;
        Ok(Watches {
            _skills: skills,
            _sequences: sequences,
        })
    }
}
