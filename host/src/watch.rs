//! Watching one folder: file events are debounced into batches of changed
//! paths, each batch handled in order on a background task. The skills
//! registry and the sequences share it.

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
/// batch of changed paths. Must be called inside a tokio runtime.
pub fn watch_folder<F, Fut>(dir: &Path, handle: F) -> notify::Result<FolderWatch>
where
    F: Fn(BTreeSet<PathBuf>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
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
