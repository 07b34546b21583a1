//! Watching the skills folder: each changed file is reloaded in the
//! background (see [`crate::watch`]).

use super::{Registry, Reloaded};
use crate::watch::{FolderWatch, watch_folder};
use std::path::Path;
use std::sync::Arc;

/// Keeps the folder watch alive; dropping it stops watching.
pub type Watcher = FolderWatch;

impl Registry {
    /// Watch the folder and hot-swap changed skills, starting with whatever
    /// changed since it was loaded. `on_reload` hears every outcome but
    /// `Unchanged` (for logs, metrics, the release log and tests).
    pub fn watch(
        self: &Arc<Self>,
        on_reload: impl Fn(&Path, &Reloaded) + Send + Sync + 'static,
    ) -> notify::Result<Watcher> {
        let registry = Arc::clone(self);
        let on_reload = Arc::new(on_reload);
        let dir = self.dir.clone();
        let read: Vec<_> = {
            let table = self.read();
            table
                .by_path
                .keys()
                .chain(table.problems.keys())
                .cloned()
                .collect()
        };
        watch_folder(&dir, read, move |paths| {
            let (registry, on_reload) = (registry.clone(), on_reload.clone());
            async move {
                for path in paths {
                    let outcome = registry.reload_path(&path).await;
                    if outcome != Reloaded::Unchanged {
                        on_reload(&path, &outcome);
                    }
                }
            }
        })
    }
}
