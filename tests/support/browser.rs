//! A real browser for the inbox's tests: Debian's headless Chromium driven
//! through ChromeDriver (WebDriver) on a free loopback port; keys pressed
//! as a person presses them (WebDriver actions, to whatever has the
//! focus); screenshots kept as test artifacts under
//! `<target>/test-artifacts/`; axe-core (npm, installed by `cargo xtask
//! test`) run inside the page.

use crate::{PATIENCE, poll};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The variable `cargo xtask test` sets to axe-core's `axe.min.js`.
pub const AXE_ENV: &str = "BATON_AXE_JS";

/// ChromeDriver on a free loopback port, killed when dropped.
struct Driver {
    port: u16,
    child: Child,
}

impl Driver {
    async fn start() -> Driver {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "Chromium and ChromeDriver are needed (`cargo xtask test` installs them with apt)"
        );
        let port = crate::free_port();
        // Held by the driver at once: dropped (and killed) on every path.
        let driver = Driver {
            port,
            child: Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        };
        let status = format!("http://127.0.0.1:{port}/status");
        let up = poll(PATIENCE, async || {
            reqwest::get(&status)
                .await
                .is_ok_and(|r| r.status().is_success())
                .then_some(())
        })
        .await;
        assert!(up.is_some(), "chromedriver did not come up on port {port}");
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session with its own empty profile. Close it with
/// [`Browser::close`]; ChromeDriver and the profile go when it is dropped.
pub struct Browser {
    pub client: Client,
    _profile: tempfile::TempDir,
    _driver: Driver,
}

impl std::ops::Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Browser {
    /// A new session, its page `width` × `height` CSS pixels.
    pub async fn start(width: u32, height: u32) -> Browser {
        let b = Browser::launch(width, height, true).await;
        b.resize(width, height).await;
        b
    }

    /// A new session whose pages run no JavaScript (as a person who turned
    /// it off sees them). The test cannot run scripts in it either.
    pub async fn without_javascript(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, false).await
    }

    async fn launch(width: u32, height: u32, javascript: bool) -> Browser {
        let driver = Driver::start().await;
        let profile = tempfile::tempdir().expect("profile dir");
        let mut caps = serde_json::Map::new();
        // The flags keep Chromium off the network (this machine has none
        // but loopback) and out of its first-run dialogs.
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--hide-scrollbars", "--force-device-scale-factor=1",
                         format!("--window-size={width},{height}"),
                         format!("--user-data-dir={}", profile.path().display())],
                "prefs": { "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 } },
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a Chromium session");
        Browser {
            client,
            _profile: profile,
            _driver: driver,
        }
    }

    /// End the session (and Chromium).
    pub async fn close(self) {
        self.client.close().await.expect("close the browser");
    }

    /// Make the page (the layout viewport) `width` × `height` CSS pixels.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("set the window size");
        // The window may be larger than its page (a frame): make up for it.
        let inner = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .expect("the page's size");
        let (w, h) = (
            inner[0].as_u64().unwrap_or(0) as u32,
            inner[1].as_u64().unwrap_or(0) as u32,
        );
        if (w, h) != (width, height) && w > 0 && h > 0 {
            self.client
                .set_window_size(
                    width + width.saturating_sub(w),
                    height + height.saturating_sub(h),
                )
                .await
                .expect("set the window size");
        }
        let inner = self
            .client
            .execute("return window.innerWidth;", vec![])
            .await
            .expect("the page's width");
        assert_eq!(
            inner.as_u64(),
            Some(u64::from(width)),
            "Chromium would not make its page {width} px wide"
        );
    }

    /// Press `keys` one after another, as a person types them: to whatever
    /// has the focus, not to an element picked by the test. Special keys
    /// are [`Key`]s turned into `char`s (`Key::Enter.into()`).
    pub async fn press(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".into());
        for &k in keys {
            actions = actions
                .then(KeyAction::Down { value: k })
                .then(KeyAction::Up { value: k });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("press keys");
    }

    /// Type `text` (each character a key press) to whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        let keys: Vec<char> = text
            .chars()
            .map(|c| if c == '\n' { Key::Enter.into() } else { c })
            .collect();
        self.press(&keys).await;
    }

    /// Ctrl+A: select everything in the focused field.
    pub async fn select_all(&self) {
        let ctrl: char = Key::Control.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: ctrl })
            .then(KeyAction::Down { value: 'a' })
            .then(KeyAction::Up { value: 'a' })
            .then(KeyAction::Up { value: ctrl });
        self.client
            .perform_actions(actions)
            .await
            .expect("press Ctrl+A");
    }

    /// Save a screenshot of the whole page (as tall as its content, up to
    /// 6000 px) as `<target>/test-artifacts/<name>.png`; returns where.
    pub async fn screenshot_to(&self, name: &str) -> PathBuf {
        let size = self
            .client
            .execute(
                "return [window.innerWidth, window.innerHeight, document.documentElement.scrollHeight];",
                vec![],
            )
            .await
            .expect("the page's size");
        let [width, height, tall] = [0, 1, 2].map(|i| size[i].as_u64().unwrap_or(0) as u32);
        let tall = tall.clamp(height, 6000);
        if tall > height {
            self.resize(width, tall).await;
        }
        let png = self.client.screenshot().await.expect("a screenshot");
        if tall > height {
            self.resize(width, height).await;
        }
        let path = artifacts().join(format!("{name}.png"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the artifacts folder");
        }
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    /// How wide the page's content is (the document's scroll width).
    pub async fn scroll_width(&self) -> u64 {
        self.client
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await
            .expect("the scroll width")
            .as_u64()
            .unwrap_or(u64::MAX)
    }

    /// Run axe-core in the page; its violations of `serious` or `critical`
    /// impact.
    pub async fn axe_serious(&self) -> Vec<Value> {
        let source = axe_source();
        let loaded = self
            .client
            .execute(
                &format!("{source}\n;return typeof window.axe === 'object';"),
                vec![],
            )
            .await
            .expect("load axe-core into the page");
        assert_eq!(loaded, json!(true), "axe-core did not load into the page");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done({ ok: r.violations }), e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("run axe-core");
        if let Some(e) = result.get("error") {
            panic!("axe-core failed in the page: {e}");
        }
        result["ok"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .cloned()
            .collect()
    }
}

/// axe-core's `axe.min.js`, found through [`AXE_ENV`] (or where `cargo
/// xtask test` installs it under the target folder).
fn axe_source() -> String {
    let path = std::env::var_os(AXE_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::target().join("browser/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is needed for the inbox's accessibility checks and {} cannot be read ({e}): \
             run `cargo xtask test`, which installs it with npm from tests/browser/package-lock.json, \
             or set {AXE_ENV} to an axe.min.js",
            path.display()
        )
    })
}

/// Axe violations as a person reads them: rule, impact, what it asks, and
/// each element with what to fix.
pub fn describe_violations(violations: &[Value]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!(
            "- {} ({}): {}\n  {}\n",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["helpUrl"].as_str().unwrap_or(""),
        ));
        for n in v["nodes"].as_array().into_iter().flatten().take(5) {
            out.push_str(&format!(
                "    at {}: {}\n",
                n["target"],
                n["failureSummary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " ")
            ));
        }
    }
    out
}

/// Where tests leave what a person may look at afterwards:
/// `<target>/test-artifacts/`.
pub fn artifacts() -> PathBuf {
    crate::target().join("test-artifacts")
}
