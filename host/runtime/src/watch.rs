//! Watching one folder: file events are debounced into batches of changed
//! paths, each batch handled in order on a background task. The skills
//! registry and the sequences share it.
//!
//! A watch starts after its owner has read the folder once, so a change
//! made in between raises no event. The first batch therefore names every
//! file in the folder once the watch is in place, and every file the owner
//! had read (one removed meanwhile is in no listing): the owner checks them
//! all again, and a change made at any time is seen.

use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// How long a burst of events is coalesced into one batch.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Keeps a folder watch alive; dropping it stops watching.
pub struct FolderWatch {
    _inner: notify::RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FolderWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Watch `dir` (not its subfolders) and call `handle` with each debounced
/// batch of changed paths, the first naming every file in `dir` and every
/// path in `read` (what the caller loaded before). Must be called inside a
/// tokio runtime.
pub fn watch_folder<F, Fut>(
    dir: &Path,
    read: impl IntoIterator<Item = PathBuf>,
    handle: F,
) -> notify::Result<FolderWatch>
where
    F: Fn(BTreeSet<PathBuf>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
    let catch_up = tx.clone();
    let mut inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Reading a file (as a reload does) raises access events: only a
        // change counts, or every reload would start another.
        if let Ok(event) = res
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = tx.send(path);
            }
        }
    })?;
    inner.watch(dir, RecursiveMode::NonRecursive)?;
    // Listed only now that events flow: whatever changed before is in the
    // listing or in `read`, whatever changes after raises an event.
    let listed = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path()));
    for path in read.into_iter().chain(listed) {
        let _ = catch_up.send(path);
    }
    let task = tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut paths = BTreeSet::from([first]);
            while let Ok(Some(p)) = tokio::time::timeout(DEBOUNCE, rx.recv()).await {
                paths.insert(p);
            }
            handle(paths).await;
        }
    });
    Ok(FolderWatch {
        _inner: inner,
        task,
    })
}
