//! A real CalDAV server for the calendar tests: Radicale (PyPI, pinned in
//! `tests/python/requirements.txt`) run from the test virtualenv with its
//! own config in a temp folder — plain htpasswd auth, filesystem storage,
//! an ephemeral loopback port — and killed on drop.

use crate::{PATIENCE, free_port, poll, python};
use std::process::{Child, Command, Stdio};

/// A running Radicale with one user.
pub struct Radicale {
    pub url: String,
    pub user: String,
    pub password: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Radicale {
    /// Start Radicale with user `user` / `password`; waits until it answers.
    pub async fn start(user: &str, password: &str) -> Radicale {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        std::fs::write(dir.path().join("users"), format!("{user}:{password}\n")).expect("users");
        let config = format!(
            "[server]\nhosts = 127.0.0.1:{port}\n\n[auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n\n[rights]\ntype = owner_only\n\n[storage]\nfilesystem_folder = {store}\n\n[logging]\nlevel = warning\n",
            users = dir.path().join("users").display(),
            store = dir.path().join("collections").display(),
        );
        let config_path = dir.path().join("config");
        std::fs::write(&config_path, config).expect("config");
        let child = Command::new(python())
            .args(["-m", "radicale", "--config"])
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start radicale (is it in the test virtualenv?)");
        let radicale = Radicale {
            url: format!("http://127.0.0.1:{port}"),
            user: user.into(),
            password: password.into(),
            child,
            _dir: dir,
        };
        let up = poll(PATIENCE, async || {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .ok()
                .map(drop)
        })
        .await;
        assert!(up.is_some(), "radicale never listened on {port}");
        radicale
    }

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                format!("{}{path}", self.url),
            )
            .basic_auth(&self.user, Some(&self.password))
    }

    /// Make the calendar collection at `path` (`/user/name/`).
    pub async fn mkcalendar(&self, path: &str) {
        let r = self
            .request("MKCALENDAR", path)
            .send()
            .await
            .expect("MKCALENDAR");
        assert_eq!(
            r.status().as_u16(),
            201,
            "MKCALENDAR {path}: {}",
            r.text().await.unwrap_or_default()
        );
    }

    /// Store a calendar object (PUT, as a client does).
    pub async fn put(&self, path: &str, ics: &str) {
        let r = self
            .request("PUT", path)
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(ics.to_owned())
            .send()
            .await
            .expect("PUT");
        assert!(
            r.status().is_success(),
            "PUT {path}: {} {}",
            r.status(),
            r.text().await.unwrap_or_default()
        );
    }

    /// Delete a calendar object.
    pub async fn delete(&self, path: &str) {
        let r = self.request("DELETE", path).send().await.expect("DELETE");
        assert!(r.status().is_success(), "DELETE {path}: {}", r.status());
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
