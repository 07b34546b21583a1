//! The skills folder, opened once as a cap-std [`Dir`]: every read and
//! write of a skill file goes through it by file name, so no name (an
//! upload's, a watcher event's) can reach outside the folder.

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use std::io;
use std::path::Path;

/// The opened skills folder.
pub(super) struct Folder {
    dir: Dir,
}

impl Folder {
    /// Open `path` (which must exist and be a folder).
    pub(super) fn open(path: &Path) -> io::Result<Folder> {
        Ok(Folder {
            dir: Dir::open_ambient_dir(path, ambient_authority())?,
        })
    }

    /// The `*.wasm` file names directly in the folder, sorted.
    pub(super) fn skill_files(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in self.dir.entries()? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if is_skill_file(&name) && entry.file_type()?.is_file() {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// The file's length, or `None` when it does not exist.
    pub(super) fn len(&self, name: &str) -> io::Result<Option<u64>> {
        match self.dir.metadata(name) {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Err(io::Error::other("not a regular file")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The file's bytes.
    pub(super) fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        self.dir.read(name)
    }

    /// Remove `name`; already gone is fine.
    pub(super) fn remove(&self, name: &str) -> io::Result<()> {
        match self.dir.remove_file(name) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// When the file was last written (ms since the epoch).
    pub(super) fn modified_ms(&self, name: &str) -> Option<i64> {
        let modified = self.dir.metadata(name).ok()?.modified().ok()?;
        let since = modified
            .into_std()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        i64::try_from(since.as_millis()).ok()
    }

    /// Replace `name` with `bytes` the way a watcher should see it: written
    /// beside under a name that is not `*.wasm`, then renamed over.
    pub(super) fn write_atomically(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let tmp = format!(".{name}.{}.upload", std::process::id());
        self.dir.write(&tmp, bytes)?;
        self.dir.rename(&tmp, &self.dir, name).inspect_err(|_| {
            let _ = self.dir.remove_file(&tmp);
        })
    }
}

/// A plain `<something>.wasm` file name: no folder part, not hidden.
pub(super) fn is_skill_file(name: &str) -> bool {
    name.ends_with(".wasm")
        && name.len() > ".wasm".len()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
}
