//! Loopback peers for the service to talk to: a real SMTP server, and an
//! axum app served on its own thread (the scripted HTTP peer is
//! `baton-testkit`'s). Each binds an ephemeral port, so tests running side
//! by side never collide.

use crate::{python, root};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

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
        SmtpSink::start_on(0)
    }

    /// Start it on `port` (0: any free one) and wait until it listens: a
    /// relay that comes back where the service expects it.
    pub fn start_on(port: u16) -> SmtpSink {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("mail.jsonl");
        let mut child = Command::new(python())
            .arg(root().join("tests/python/smtp_sink.py"))
            .arg(&out)
            .arg(port.to_string())
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

/// Serve `app` on an ephemeral loopback port, on a thread and runtime of
/// its own (so sync and async tests alike can use it; it ends with the
/// process). Its base URL.
pub fn serve_on_thread(app: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for a loopback peer");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    format!("http://127.0.0.1:{port}")
}
