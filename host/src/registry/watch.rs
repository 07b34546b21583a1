//! Watching the skills folder: file events are debounced and each changed
//! path is reloaded in the background.

use super::{Registry, Reloaded};
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How long a burst of events on one file is coalesced.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Keeps the folder watch alive; dropping it stops watching.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Registry {
    /// Watch the folder and hot-swap changed skills. `on_reload` hears every
    /// outcome (for logs, metrics and tests).
    pub fn watch(
        self: &Arc<Self>,
        on_reload: impl Fn(&std::path::Path, &Reloaded) + Send + Sync + 'static,
    ) -> notify::Result<Watcher> {
        let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
        let mut inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                for path in event.paths {
                    let _ = tx.send(path);
                }
            }
        })?;
        inner.watch(&self.dir, RecursiveMode::NonRecursive)?;
        let registry = Arc::clone(self);
        let task = tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut paths = BTreeSet::from([first]);
                // Coalesce the rest of the burst.
                while let Ok(Some(p)) = tokio::time::timeout(DEBOUNCE, rx.recv()).await {
                    paths.insert(p);
                }
                for path in paths {
                    let outcome = registry.reload_path(&path).await;
                    if outcome != Reloaded::Unchanged {
                        on_reload(&path, &outcome);
                    }
                }
            }
        });
        Ok(Watcher {
            _inner: inner,
            task,
        })
    }
}
