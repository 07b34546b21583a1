//! A real `baton serve` process on its own folders and a free port, for the
//! tests that need the binary itself (replicas, hot swap, the load run):
//! the sequences and test guests it is given (or folders of skills and
//! sequences to serve as they are), a config file and extra environment;
//! its stderr goes to `serve.log`, and it is killed when dropped.

use crate::server::LOOPBACK_PEERS;
use crate::{baton_bin, guest, poll, until};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// What a replica runs.
#[derive(Debug, Default)]
pub struct ReplicaSetup<'a> {
    /// Sequence files: `(file name, text)`.
    pub sequences: &'a [(&'a str, &'a str)],
    /// Test guests copied into its skills folder as `<name>.wasm`.
    pub guests: &'a [&'a str],
    /// The text of its `baton.toml`.
    pub config: &'a str,
    /// Extra environment.
    pub env: &'a [(&'a str, &'a str)],
    /// Extra arguments to `baton serve` (e.g. `--simulated-clock`).
    pub args: &'a [&'a str],
    /// Compile into `$BATON_CACHE_DIR` when the test run sets it, rather
    /// than into a cache of the replica's own.
    pub shared_cache: bool,
    /// Serve this skills folder (e.g. the shipped skills, `target/skills/`)
    /// instead of one of its own holding `guests`.
    pub skills_dir: Option<&'a Path>,
    /// Serve this sequences folder (e.g. the shipped `sequences/`) instead
    /// of one of its own holding `sequences`.
    pub sequences_dir: Option<&'a Path>,
}

/// A running `baton serve`.
pub struct Replica {
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its folders (`skills/`, `sequences/`), config and log.
    pub dir: tempfile::TempDir,
    /// The skills folder it serves.
    skills: PathBuf,
    /// The sequences folder it serves.
    sequences: PathBuf,
}

impl Replica {
    /// Start `baton serve` on `db` with `setup`; [`Replica::ready`] waits for it.
    pub fn start(db: &str, setup: &ReplicaSetup<'_>) -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        for sub in ["skills", "sequences"] {
            std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
        }
        for (name, text) in setup.sequences {
            std::fs::write(dir.path().join("sequences").join(name), text).expect("sequence");
        }
        for name in setup.guests {
            std::fs::copy(guest(name), dir.path().join(format!("skills/{name}.wasm")))
                .expect("copy guest");
        }
        std::fs::write(dir.path().join("baton.toml"), setup.config).expect("config");
        let skills = setup
            .skills_dir
            .map_or_else(|| dir.path().join("skills"), Path::to_path_buf);
        let sequences = setup
            .sequences_dir
            .map_or_else(|| dir.path().join("sequences"), Path::to_path_buf);
        let port = free_port();
        let cache = std::env::var_os("BATON_CACHE_DIR")
            .filter(|_| setup.shared_cache)
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.path().join("cache"));
        let child = Command::new(baton_bin())
            .arg("serve")
            .args(["--database", db, "--listen", &format!("127.0.0.1:{port}")])
            .arg("--skills")
            .arg(&skills)
            .arg("--sequences")
            .arg(&sequences)
            .arg("--config")
            .arg(dir.path().join("baton.toml"))
            .args(setup.args)
            .env("BATON_CACHE_DIR", cache)
            .env("RUST_LOG", "warn")
            // The test peers (Dovecot, Radicale) are on loopback; a test of
            // the default sets this to "".
            .env("BATON_ACCOUNTS_ALLOW", LOOPBACK_PEERS)
            .envs(setup.env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("serve.log")).expect("log"))
            .spawn()
            .expect("start baton serve");
        Replica {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir,
            skills,
            sequences,
        }
    }

    /// The end of the server's log, for failure messages.
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("serve.log")).unwrap_or_default();
        let start = text.len().saturating_sub(3000);
        text[text.floor_char_boundary(start)..].to_owned()
    }

    /// The skills folder it serves.
    pub fn skills(&self) -> PathBuf {
        self.skills.clone()
    }

    /// The sequences folder it serves.
    pub fn sequences(&self) -> PathBuf {
        self.sequences.clone()
    }

    /// Wait until `/readyz` answers 200 (its skills are loaded).
    pub async fn ready(&self, http: &reqwest::Client) {
        let url = format!("{}/readyz", self.base);
        until(
            "the replica is ready",
            Duration::from_secs(90),
            async || matches!(http.get(&url).send().await, Ok(r) if r.status() == 200),
        )
        .await;
    }

    /// Wait up to `within` until `/readyz` answers 200; else why not (it
    /// exited, or time ran out), with the end of its log.
    pub async fn ready_within(
        &mut self,
        http: &reqwest::Client,
        within: Duration,
    ) -> Result<(), String> {
        let url = format!("{}/readyz", self.base);
        let outcome = poll(within, async || {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(Err(format!("baton serve exited ({status})")));
            }
            match http.get(&url).send().await {
                Ok(r) if r.status() == 200 => Some(Ok(())),
                _ => None,
            }
        })
        .await;
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(why)) => Err(format!("{why}; its log ends:\n{}", self.log())),
            None => Err(format!(
                "baton serve was not ready within {within:?}; its log ends:\n{}",
                self.log()
            )),
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
