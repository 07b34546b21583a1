//! `baton serve` as a child process, and a small JSON client for it: what
//! `cargo xtask demo` and `cargo xtask fuzz` both start and talk to.

use crate::{Result, root};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

/// The service as a child process, stopped gracefully when dropped.
pub(crate) struct Service {
    pub child: Child,
    pub log: PathBuf,
}

impl Service {
    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// SIGTERM (the service finishes what it is running), then wait.
    pub(crate) fn stop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.exited().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A JSON client for the service's API (redirects are answers, not
/// followed).
pub(crate) struct Api {
    agent: ureq::Agent,
    base: String,
}

impl Api {
    pub(crate) fn new(base: String) -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Api { agent, base }
    }

    /// `method path` with `headers` and an optional JSON body: status and JSON.
    pub(crate) fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<(u16, Value)> {
        let (status, _, text) =
            self.send(method, path, headers, body.map(|b| ("application/json", b)))?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// POST a form: status and the `Set-Cookie` headers.
    pub(crate) fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<(u16, Vec<String>)> {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_escape(k), form_escape(v)))
            .collect::<Vec<_>>()
            .join("&");
        let (status, cookies, _) = self.send(
            "POST",
            path,
            &[],
            Some(("application/x-www-form-urlencoded", &body)),
        )?;
        Ok((status, cookies))
    }

    /// GET `path` (a page) with `headers`: status, `Set-Cookie` headers
    /// and body text.
    pub(crate) fn page(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Vec<String>, String)> {
        self.send("GET", path, headers, None)
    }

    /// Status, `Set-Cookie` headers and body text.
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &str)>,
    ) -> Result<(u16, Vec<String>, String)> {
        let url = format!("{}{path}", self.base);
        let fail = |e: ureq::Error| format!("{method} {url}: {e}");
        let mut response = match body {
            Some((content_type, b)) => {
                let r = if method == "PUT" {
                    self.agent.put(&url)
                } else {
                    self.agent.post(&url)
                };
                let mut r = r.content_type(content_type);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.send(b).map_err(fail)?
            }
            None => {
                let mut r = self.agent.get(&url);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.call().map_err(fail)?
            }
        };
        let status = response.status().as_u16();
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let text = response.body_mut().read_to_string().map_err(fail)?;
        Ok((status, cookies, text))
    }
}

/// `application/x-www-form-urlencoded` escaping.
fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// 127.0.0.1:`port`, or a free port when that one is taken.
pub(crate) fn listen_addr(port: u16) -> String {
    let port = std::net::TcpListener::bind(("127.0.0.1", port))
        .or_else(|_| std::net::TcpListener::bind(("127.0.0.1", 0)))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(port);
    format!("127.0.0.1:{port}")
}

/// A random secret for this run (hex of 16 bytes from the OS).
pub(crate) fn secret() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `p` relative to the repository, for messages.
pub(crate) fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// Wait until `/readyz` answers 200, or fail with the service's log.
pub(crate) fn wait_ready(service: &mut Service, api: &Api) -> Result {
    wait_ready_every(service, api, Duration::from_millis(200))
}

/// [`wait_ready`], asking every `every`.
pub(crate) fn wait_ready_every(service: &mut Service, api: &Api, every: Duration) -> Result {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Some(status) = service.exited() {
            return Err(format!(
                "baton serve exited ({status}); its log ({}):\n{}",
                rel(&service.log),
                service.log_tail()
            ));
        }
        if matches!(api.call("GET", "/readyz", &[], None), Ok((200, _))) {
            return Ok(());
        }
        std::thread::sleep(every);
    }
    Err(format!(
        "baton serve was not ready after 120 s; its log ({}):\n{}",
        rel(&service.log),
        service.log_tail()
    ))
}
