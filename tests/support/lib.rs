//! Shared helpers for the end-to-end tests: where the built artifacts are,
//! running the `baton` binary, and a loopback HTTP peer.
//!
//! The artifacts come from `cargo xtask build`; a test that cannot find one
//! fails with a message saying so.

pub mod server;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn artifact(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} is missing: run `cargo xtask build` first (or `cargo xtask test`)",
        path.display()
    );
    path
}

/// A test guest: `target/test-guests/<name>.wasm`.
pub fn guest(name: &str) -> PathBuf {
    artifact(target().join("test-guests").join(format!("{name}.wasm")))
}

/// A shipped skill: `target/skills/<name>.wasm`.
pub fn skill(name: &str) -> PathBuf {
    artifact(target().join("skills").join(format!("{name}.wasm")))
}

/// `tests/data/shared/`: the reference data the tests read (evaluation
/// sets, calendars, transcripts, signing vectors), copied from the
/// project's `shared/data/` with its sources and licences
/// (`tests/data/shared/SOURCES.md`), so a clone stands alone.
pub fn shared_data() -> PathBuf {
    artifact(root().join("tests/data/shared"))
}

/// The `baton` binary under test.
pub fn baton_bin() -> PathBuf {
    artifact(
        std::env::var_os("BATON_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| target().join("release").join("baton")),
    )
}

/// What a finished `baton` process left.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON, or a panic that shows the whole run.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }
}

/// Run `baton` with `args`.
pub fn baton<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(baton_bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("run baton");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A call input for an event of `event_type` with `payload`.
pub fn input(event_type: &str, payload: serde_json::Value) -> String {
    serde_json::json!({
        "event": { "id": "evt-1", "type": event_type, "source": "test", "org": "demo", "user": "rep1", "payload": payload },
        "params": {},
        "previous": []
    })
    .to_string()
}

/// A loopback HTTP server counting requests and keeping each one (head and
/// body), answering as scripted (see [`HttpPeer::answering`]).
pub struct HttpPeer {
    pub port: u16,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl HttpPeer {
    /// Start on an ephemeral loopback port; the thread ends with the process.
    pub fn start() -> HttpPeer {
        HttpPeer::failing(0)
    }

    /// A peer whose first `fail_first` answers are `503`.
    pub fn failing(fail_first: usize) -> HttpPeer {
        let down = Answer::new(503, "down");
        HttpPeer::answering(vec![down; fail_first], Answer::new(200, "ok"))
    }

    /// A peer giving `first` answers in order, then `then` for ever.
    pub fn answering(first: Vec<Answer>, then: Answer) -> HttpPeer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let hits = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (counter, kept) = (hits.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let request = read_request(&mut stream);
                let n = counter.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut k) = kept.lock() {
                    k.push(request);
                }
                let answer = first.get(n).unwrap_or(&then);
                let _ = stream.write_all(&answer.bytes());
            }
        });
        HttpPeer {
            port,
            hits,
            requests,
        }
    }

    /// Requests served so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Every request so far, head and body, as text.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// One scripted HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// `status` with a text body.
    pub fn new(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// `200` with a JSON body.
    pub fn json(body: serde_json::Value) -> Answer {
        Answer::new(200, &body.to_string()).header("content-type", "application/json")
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
            self.status,
            self.body.len()
        );
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&self.body);
        out.into_bytes()
    }
}

/// The body of a request kept by [`HttpPeer::requests`].
pub fn body_of(request: &str) -> &str {
    request.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// Read one HTTP/1.1 request: the head, then `content-length` bytes.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    loop {
        let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// A fresh, migrated database for one test: a SQLite file in a temporary
/// folder, or a new Postgres database on the local server (dropped after).
pub struct TestDb {
    pub store: baton::store::Store,
    /// The URL the store was opened with (for the CLI).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

/// The Postgres server the tests use (`BATON_TEST_PG`, default the local one).
fn pg_admin_url() -> String {
    std::env::var("BATON_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    /// A new SQLite file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("baton.db");
        let store = baton::store::Store::open(&path.display().to_string())
            .await
            .expect("open sqlite");
        TestDb {
            store,
            url: path.display().to_string(),
            _dir: Some(dir),
            pg_name: None,
        }
    }

    /// A new Postgres database.
    pub async fn postgres() -> TestDb {
        use sqlx::Connection;
        let admin = pg_admin_url();
        let name = format!("baton_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("Postgres at {admin} is needed for storage tests ({e}); `cargo xtask test` starts it"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("BATON_TEST_PG must end in /DATABASE"),
        };
        let store = baton::store::Store::open(&url)
            .await
            .expect("open postgres");
        TestDb {
            store,
            url,
            _dir: None,
            pg_name: Some(name),
        }
    }

    /// Close the store and drop a Postgres database.
    pub async fn finish(self) {
        use sqlx::Connection;
        self.store.close().await;
        if let Some(name) = self.pg_name
            && let Ok(mut conn) = sqlx::PgConnection::connect(&pg_admin_url()).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// A storage test run once on SQLite and once on Postgres:
/// `store_test!(name, |store| async move { … });`
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite().await;
                ($body)(db.store.clone()).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::TestDb::postgres().await;
                ($body)(db.store.clone()).await;
                db.finish().await;
            }
        }
    };
}

/// The virtualenv's Python (`BATON_PYTHON`, else `target/py/bin/python`),
/// made by `cargo xtask test` with `tests/python/requirements.txt`.
pub fn python() -> PathBuf {
    let path = std::env::var_os("BATON_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| target().join("py/bin/python"));
    assert!(
        path.exists(),
        "{} is missing: `cargo xtask test` makes the test virtualenv",
        path.display()
    );
    path
}

/// A real SMTP server on loopback (aiosmtpd, `tests/python/smtp_sink.py`),
/// stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    out: PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Start it and wait until it listens.
    pub fn start() -> SmtpSink {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("mail.jsonl");
        let mut child = Command::new(python())
            .arg(root().join("tests/python/smtp_sink.py"))
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the SMTP sink's first line");
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP sink said {line:?}"));
        SmtpSink {
            port,
            out,
            child,
            _dir: dir,
        }
    }

    /// Messages received so far: `{mail_from, rcpt_tos, data}`.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Validate Block Kit messages (`{name: blocks}`) with python `slack_sdk`;
/// returns `{name: [errors]}` (empty lists when valid).
pub fn validate_blocks(messages: &serde_json::Value) -> serde_json::Value {
    let mut child = Command::new(python())
        .arg(root().join("tests/python/validate_blocks.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run validate_blocks.py");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(messages.to_string().as_bytes())
        .expect("write blocks");
    let out = child.wait_with_output().expect("validator output");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the validator printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Run `$body(&Server)` against a `baton serve` made by
/// [`server::start`] with `$setup`, on SQLite and again on Postgres.
#[macro_export]
macro_rules! service_test {
    ($name:ident, $setup:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite().await;
                let s = $crate::server::start(db.store.clone(), $setup).await;
                $body(&s).await;
                s.stop().await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::TestDb::postgres().await;
                let s = $crate::server::start(db.store.clone(), $setup).await;
                $body(&s).await;
                s.stop().await;
                db.finish().await;
            }
        }
    };
}

/// Assert an answer is a problem document (RFC 9457) with `expected`
/// status and a detail.
pub fn is_problem(status: u16, body: &serde_json::Value, expected: u16) {
    assert_eq!(status, expected, "{body:#}");
    assert_eq!(body["status"], expected, "a problem document: {body:#}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body:#}"
    );
}
