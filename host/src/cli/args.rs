//! The arguments several commands share: the database and the grants.

use super::exit::Failure;
use crate::registry::Grants;
use crate::runtime::Capability;
use crate::store::Store;
use clap::Args;
use std::path::PathBuf;

/// The database every stateful command uses.
#[derive(Args, Debug)]
pub(super) struct DatabaseArg {
    /// A SQLite file (created if missing) or a postgres:// URL.
    #[arg(
        long,
        env = "BATON_DATABASE",
        default_value = "baton.db",
        value_name = "URL"
    )]
    pub database: String,
}

impl DatabaseArg {
    /// Where compiled skills are cached: `$BATON_CACHE_DIR` (empty or `off`
    /// disables the cache); else `baton-cache/` beside a SQLite file; else
    /// the platform's cache folder (`$XDG_CACHE_HOME/baton` or
    /// `~/.cache/baton`).
    pub(super) fn cache_dir(&self) -> Option<PathBuf> {
        cache_dir_for(&self.database, |k| std::env::var_os(k))
    }

    /// Open (and migrate) the database.
    pub(super) async fn open(&self) -> Result<Store, Failure> {
        crate::store::open(&self.database)
            .await
            .map_err(|e| Failure::usage(format!("cannot open database `{}`: {e}", self.database)))
    }
}

fn cache_dir_for(
    database: &str,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    if let Some(dir) = env("BATON_CACHE_DIR") {
        return (!dir.is_empty() && dir != "off").then(|| PathBuf::from(dir));
    }
    let file = database.strip_prefix("sqlite://").unwrap_or(database);
    let file = file.split('?').next().unwrap_or(file);
    let sqlite_file = (!database.contains("://") || database.starts_with("sqlite://"))
        && !file.is_empty()
        && !file.contains(":memory:");
    if sqlite_file {
        let beside = std::path::Path::new(file)
            .parent()
            .unwrap_or(std::path::Path::new(""));
        return Some(beside.join("baton-cache"));
    }
    env("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("baton"))
}

/// Where grants come from.
#[derive(Args, Debug, Default)]
pub(super) struct GrantArgs {
    /// A grants file (TOML; see README).
    #[arg(long, value_name = "FILE")]
    grants: Option<PathBuf>,
    /// Grant a capability (repeatable), e.g. `context:org`, `http:api.example.com`.
    #[arg(long = "grant", value_name = "CAP")]
    grant: Vec<String>,
}

impl GrantArgs {
    pub(crate) fn any(&self) -> bool {
        self.grants.is_some() || !self.grant.is_empty()
    }

    /// The grants: the file (if any) plus each `--grant`.
    pub(crate) fn load(&self) -> Result<Grants, Failure> {
        let mut grants = match &self.grants {
            Some(path) => Grants::load(path).map_err(|e| Failure::usage(e.to_string()))?,
            None => Grants::none(),
        };
        for g in &self.grant {
            let cap: Capability = g
                .parse()
                .map_err(|e| Failure::usage(format!("--grant: {e}")))?;
            grants.grant_all(cap);
        }
        Ok(grants)
    }
}

#[cfg(test)]
mod tests {
    use super::cache_dir_for;
    use std::path::PathBuf;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.into())
    }

    #[test]
    fn the_cache_sits_beside_sqlite_else_in_the_platform_cache() {
        let home = [("HOME", "/home/op")];
        let at = |db: &str| cache_dir_for(db, env(&home));
        assert_eq!(at("data/baton.db"), Some(PathBuf::from("data/baton-cache")));
        assert_eq!(at("baton.db"), Some(PathBuf::from("baton-cache")));
        assert_eq!(
            at("sqlite:///var/lib/baton/b.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/baton/baton-cache"))
        );
        assert_eq!(
            at("postgres://db/baton"),
            Some(PathBuf::from("/home/op/.cache/baton"))
        );
        let xdg = [("XDG_CACHE_HOME", "/c"), ("HOME", "/h")];
        assert_eq!(
            cache_dir_for("postgres://x", env(&xdg)),
            Some(PathBuf::from("/c/baton"))
        );
        let set = [("BATON_CACHE_DIR", "/tmp/c")];
        assert_eq!(
            cache_dir_for("baton.db", env(&set)),
            Some(PathBuf::from("/tmp/c"))
        );
        let off = [("BATON_CACHE_DIR", "off")];
        assert_eq!(cache_dir_for("baton.db", env(&off)), None);
        assert_eq!(cache_dir_for("postgres://x", env(&[])), None);
    }
}
