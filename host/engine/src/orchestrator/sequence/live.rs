//! The sequences serving now: read as one snapshot per use, swapped whole
//! when the folder changes. A file that stops loading keeps its previous
//! sequence (see [`Sequences::reload`]).

use super::{Head, Sequence, SequenceError, Sequences};
use crate::watch::{FolderWatch, watch_folder};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// The live set of sequences from one folder.
pub struct LiveSequences {
    dir: Option<PathBuf>,
    current: RwLock<Arc<Sequences>>,
    /// Every version served since start-up, by file hash, so a job resumed
    /// after a reload finishes on the sequence it started with.
    served: RwLock<BTreeMap<String, Sequence>>,
    /// The recorded version each event serves, laid over the folder's
    /// sequences on every reload ([`Sequences::overlay`]).
    heads: RwLock<BTreeMap<String, Head>>,
}

impl LiveSequences {
    /// Serve `sequences`; `dir` (if any) is where a reload reads.
    pub fn new(sequences: Sequences, dir: Option<PathBuf>) -> LiveSequences {
        let served = sequences
            .iter()
            .map(|s| (s.hash.clone(), s.clone()))
            .collect();
        LiveSequences {
            dir,
            current: RwLock::new(Arc::new(sequences)),
            served: RwLock::new(served),
            heads: RwLock::default(),
        }
    }

    /// The sequences serving now. A job keeps the snapshot it read for the
    /// whole of its run.
    pub fn current(&self) -> Arc<Sequences> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The sequence a job started with (by its file's hash) if this
    /// process served it, else the live one for `event`.
    pub(crate) fn for_job(&self, event: &str, hash: &str) -> Option<Sequence> {
        let served = self.served.read().unwrap_or_else(|p| p.into_inner());
        if let Some(seq) = served.get(hash).filter(|s| s.event == event) {
            return Some(seq.clone());
        }
        drop(served);
        self.current().get(event).cloned()
    }

    /// Read the folder again and swap the result in; returns the problems
    /// found (each file with one keeps its previous sequence). `check`
    /// does what parsing cannot, once the skills are known: lays out the
    /// flow sequences and checks params against the skills' schemas.
    pub fn reload(
        &self,
        check: impl Fn(&mut Sequences) -> Vec<SequenceError>,
    ) -> std::io::Result<Vec<SequenceError>> {
        let Some(dir) = &self.dir else {
            return Ok(Vec::new());
        };
        let current = self.current();
        let next = current.reload(dir)?;
        self.swap_in(next, &current, check);
        Ok(self.current().errors.clone())
    }

    /// Run `check` over the sequences serving now (after the skills
    /// loaded or changed) and serve the result; returns what it refused
    /// (each such file keeps its previous sequence).
    pub fn settle(
        &self,
        check: impl Fn(&mut Sequences) -> Vec<SequenceError>,
    ) -> Vec<SequenceError> {
        let current = self.current();
        let mut next = (*current).clone();
        next.errors.clear();
        self.swap_in(next, &current, check)
    }

    /// Serve `heads` from now on (over the folder's sequences), and run
    /// `check` over the result; returns what was refused.
    pub fn set_heads(
        &self,
        heads: BTreeMap<String, Head>,
        check: impl Fn(&mut Sequences) -> Vec<SequenceError>,
    ) -> Vec<SequenceError> {
        *self.heads.write().unwrap_or_else(|p| p.into_inner()) = heads;
        self.settle(check)
    }

    /// Add `seq` (a version a job started on, read back from the
    /// database) to the versions served, so the job finishes on it.
    pub(crate) fn keep_served(&self, seq: &Sequence) {
        self.served
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(seq.hash.clone(), seq.clone());
    }

    /// Check `next`, refuse what `check` finds (over `current`), serve it.
    fn swap_in(
        &self,
        mut next: Sequences,
        current: &Sequences,
        check: impl Fn(&mut Sequences) -> Vec<SequenceError>,
    ) -> Vec<SequenceError> {
        let heads = self.heads.read().unwrap_or_else(|p| p.into_inner()).clone();
        let mut refused = next.overlay(&heads);
        refused.extend(check(&mut next));
        next.refuse(refused.clone(), current);
        self.served
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .extend(next.iter().map(|s| (s.hash.clone(), s.clone())));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        refused
    }

    /// Watch the folder and reload on every change, starting with whatever
    /// changed since it was read; `on_reload` hears the problems of each
    /// reload (empty when every file loaded).
    pub fn watch(
        self: &Arc<Self>,
        check: impl Fn(&mut Sequences) -> Vec<SequenceError> + Send + Sync + 'static,
        on_reload: impl Fn(&[SequenceError]) + Send + Sync + 'static,
    ) -> notify::Result<Option<FolderWatch>> {
        let Some(dir) = self.dir.clone() else {
            return Ok(None);
        };
        let live = Arc::clone(self);
        let on_reload = Arc::new(on_reload);
        let check = Arc::new(check);
        let toml = |p: &PathBuf| p.extension().is_some_and(|x| x == "toml");
        let read: Vec<PathBuf> = self.current().iter().map(|s| s.file.clone()).collect();
        watch_folder(&dir, read, move |paths| {
            let (live, on_reload, check) = (live.clone(), on_reload.clone(), check.clone());
            let relevant = paths.iter().any(toml);
            async move {
                if !relevant {
                    return;
                }
                match live.reload(|s| check(s)) {
                    Ok(errors) => {
                        for e in &errors {
                            tracing::warn!(problem = %e, "sequence file refused; its previous version stays live");
                        }
                        tracing::info!(problems = errors.len(), "sequences reloaded");
                        on_reload(&errors);
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot read the sequences folder"),
                }
            }
        })
        .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// A file added, changed or removed after the folder was read but
    /// before the watch began raises no event; the watch still sees it
    /// (`baton serve` used to say ready before it watched, and an edit made
    /// in between was ignored until the next one).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_change_before_the_watch_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let write = |file: &str, event: &str| {
            let text = format!("event = \"{event}\"\n[[step]]\nskill = \"a\"\n");
            std::fs::write(dir.path().join(file), text).unwrap();
        };
        write("gone.toml", "gone");
        write("kept.toml", "kept");
        let read = Sequences::load(dir.path()).unwrap();
        let live = Arc::new(LiveSequences::new(read, Some(dir.path().to_owned())));
        std::fs::remove_file(dir.path().join("gone.toml")).unwrap();
        write("kept.toml", "renamed");
        write("new.toml", "new");
        let _watch = live.watch(|_| Vec::new(), |_| {}).unwrap();
        let events = || {
            let current = live.current();
            current.iter().map(|s| s.event.clone()).collect::<Vec<_>>()
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while events() != ["new", "renamed"] && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(events(), ["new", "renamed"]);
    }
}
