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
    /// Open (and migrate) the database.
    pub(super) async fn open(&self) -> Result<Store, Failure> {
        crate::store::open(&self.database)
            .await
            .map_err(|e| Failure::usage(format!("cannot open database `{}`: {e}", self.database)))
    }
}

/// Where compiled skills are cached, one folder for every command and
/// every database of this user (entries are keyed by the component's
/// sha256 and the engine's compatibility hash, so they never mix):
/// `$BATON_CACHE_DIR` (empty or `off` disables the cache), else the
/// platform's cache folder (`$XDG_CACHE_HOME/baton` or `~/.cache/baton`).
pub(crate) fn cache_dir() -> Option<PathBuf> {
    cache_dir_in(|k| std::env::var_os(k))
}

fn cache_dir_in(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(dir) = env("BATON_CACHE_DIR") {
        return (!dir.is_empty() && dir != "off").then(|| PathBuf::from(dir));
    }
    env("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
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
    use super::cache_dir_in;
    use std::path::PathBuf;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.into())
    }

    #[test]
    fn one_cache_per_user_whatever_the_database() {
        let home = [("HOME", "/home/op")];
        assert_eq!(
            cache_dir_in(env(&home)),
            Some(PathBuf::from("/home/op/.cache/baton"))
        );
        let xdg = [("XDG_CACHE_HOME", "/c"), ("HOME", "/h")];
        assert_eq!(cache_dir_in(env(&xdg)), Some(PathBuf::from("/c/baton")));
        let empty_xdg = [("XDG_CACHE_HOME", ""), ("HOME", "/h")];
        assert_eq!(
            cache_dir_in(env(&empty_xdg)),
            Some(PathBuf::from("/h/.cache/baton"))
        );
        let set = [("BATON_CACHE_DIR", "/tmp/c"), ("HOME", "/h")];
        assert_eq!(cache_dir_in(env(&set)), Some(PathBuf::from("/tmp/c")));
        for off in ["off", ""] {
            let vars = [("BATON_CACHE_DIR", off), ("HOME", "/h")];
            assert_eq!(cache_dir_in(env(&vars)), None, "BATON_CACHE_DIR={off:?}");
        }
        assert_eq!(cache_dir_in(env(&[])), None);
    }
}
