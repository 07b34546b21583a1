//! A `baton serve` in the test process, on loopback: an org `acme` with
//! rep `rep1` and an API token, the `scripted` guest (and any others asked
//! for) installed, the given sequences, a manual clock, and the settings and secrets a test passes.

use crate::{PATIENCE, guest, poll, skill};
use baton::orchestrator::{Config, ManualClock, Orchestrator, Sequences, sequence};
use baton::registry::{Grants, Registry};
use baton::runtime::{Runtime, RuntimeConfig};
use baton::service::{self, App};
use baton::store::{JobId, OrgId, Store, UserId};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// 2026-11-23 15:00 UTC.
pub const T0: i64 = 1_795_446_000_000;

/// A meeting ends; the rep approves a follow-up email (the policy gates it).
pub const FOLLOW_UP: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "draft"
skill = "scripted"
params = { actions = [{ kind = "email_send", preview = "Follow-up to Marta", payload = { to = "marta.ruiz@northwind.example", subject = "Next steps", body = "Hi Marta,\n\nThanks for today.", in_reply_to = "<thread-1@northwind.example>" } }] }

[[step]]
name = "after"
skill = "scripted"
"#;

pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub app: Arc<App>,
    pub clock: Arc<ManualClock>,
    pub token: String,
    pub org: OrgId,
    pub user: UserId,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _skills: tempfile::TempDir,
}

pub struct Setup<'a> {
    pub sequences: &'a [&'a str],
    /// Shipped skills (from `target/skills/`) installed beside `scripted`.
    pub skills: &'a [&'a str],
    /// Test guests (from `tests/guests/`) installed beside `scripted`.
    pub guests: &'a [&'a str],
    pub env: Vec<(String, String)>,
    pub config: Config,
    pub at: i64,
    /// What the operator grants (default: each skill what it declares).
    pub grants: Grants,
}

impl Default for Setup<'_> {
    fn default() -> Self {
        let mut config = Config::default();
        config.runner.undo_window_ms = 0;
        config.runner.poll_ms = 20;
        Setup {
            sequences: &[FOLLOW_UP],
            skills: &[],
            guests: &[],
            env: Vec::new(),
            config,
            at: T0,
            grants: Grants::trust_declared(),
        }
    }
}

/// The test service's `BATON_ACCOUNTS_ALLOW` (unless a test sets its own):
/// the loopback peers tests connect accounts to.
pub const LOOPBACK_PEERS: &str = "127.0.0.1,localhost,::1";

/// The test service's `BATON_METRICS_TOKEN` (unless a test sets its own).
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub async fn start(store: Store, setup: Setup<'_>) -> Server {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let user = store
        .upsert_user(
            &org,
            "rep1",
            "Jordan Avery",
            "jordan.avery@acme.example",
            "rep",
        )
        .await
        .expect("user");
    let (_, token) = store.create_token(&org, "tests", T0).await.expect("token");
    let skills = tempfile::tempdir().expect("tempdir");
    std::fs::copy(guest("scripted"), skills.path().join("scripted.wasm")).expect("copy guest");
    for name in setup.skills {
        let file = skill(name);
        std::fs::copy(&file, skills.path().join(format!("{name}.wasm"))).expect("copy skill");
        // Its read-only data folder (`files`), when it ships one.
        let data = file.with_extension("data");
        if data.is_dir() {
            copy_dir(&data, &skills.path().join(format!("{name}.data")));
        }
    }
    for name in setup.guests {
        std::fs::copy(guest(name), skills.path().join(format!("{name}.wasm"))).expect("copy guest");
    }
    let runtime = Runtime::new(RuntimeConfig {
        pooling: false,
        cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let registry = Registry::open(runtime, skills.path(), setup.grants)
        .await
        .expect("registry");
    let mut all = Sequences::default();
    for (n, text) in setup.sequences.iter().enumerate() {
        all.insert(sequence::parse(Path::new(&format!("s{n}.toml")), text).expect("sequence"));
    }
    let clock = ManualClock::at(setup.at);
    let mut env = setup.env;
    // The test peers (Dovecot, Radicale) are on loopback; a test of the
    // default sets its own (or "").
    if !env.iter().any(|(k, _)| k == "BATON_ACCOUNTS_ALLOW") {
        env.push(("BATON_ACCOUNTS_ALLOW".into(), LOOPBACK_PEERS.into()));
    }
    let mut settings = service::load_settings(&toml::Table::new(), env.clone()).expect("settings");
    let llm: Option<Arc<dyn baton::runtime::LlmClient>> = settings.llm_url.as_ref().map(|url| {
        Arc::new(
            baton::connectors::OpenAiCompatible::new(url, Some("k"), "test-model")
                .and_then(|c| c.with_timeout(Duration::from_millis(settings.llm_timeout_ms)))
                .expect("llm"),
        ) as Arc<dyn baton::runtime::LlmClient>
    });
    settings.listen = "127.0.0.1:0".into();
    settings.notify_every_ms = 50;
    settings.schedule_every_ms = 3_600_000;
    let orch = Orchestrator::with_llm(
        store,
        registry,
        all,
        clock.clone(),
        setup.config,
        baton::sales::extensions(),
        llm,
    );
    let listener = service::listen("127.0.0.1:0").await.expect("listen");
    let addr = listener.local_addr().expect("addr");
    settings.public_url = Some(format!("http://{addr}"));
    if !env.iter().any(|(k, _)| k == "BATON_METRICS_TOKEN") {
        env.push(("BATON_METRICS_TOKEN".into(), METRICS_TOKEN.into()));
    }
    let app = service::app(orch, settings, env).expect("app");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let served = service::serve(app.clone(), listener, async {
        let _ = rx.await;
    });
    let task = tokio::spawn(async move {
        if let Err(e) = served.await {
            panic!("the server failed: {e}");
        }
    });
    // The service answers 503 until its skills are loaded.
    let http = reqwest::Client::new();
    let ready = format!("http://{addr}/readyz");
    let up = poll(PATIENCE, async || {
        let r = http.get(&ready).send().await.ok()?;
        (r.status() == 200).then_some(())
    })
    .await;
    assert!(up.is_some(), "the service never became ready");
    Server {
        base: format!("http://{addr}"),
        http,
        app,
        clock,
        token,
        org,
        user,
        stop: Some(tx),
        task: Some(task),
        _skills: skills,
    }
}

/// Copy the folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the data folder");
    for entry in std::fs::read_dir(from).expect("read the data folder") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy a data file");
        }
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `/metrics`, read with the metrics token.
    pub async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .delete(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("DELETE");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .put(self.url(path))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("PUT");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn event(&self, meeting: &str) -> (u16, Value) {
        self.post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": { "meeting_id": meeting } }),
        )
        .await
    }

    /// Poll until `check` holds on the job, for at most [`PATIENCE`].
    pub async fn wait_job(&self, id: &str, check: impl Fn(&Value) -> bool) -> Value {
        let path = format!("/v1/jobs/{id}");
        let reached = poll(PATIENCE, async || {
            let (_, job) = self.get(&path).await;
            check(&job).then_some(job)
        })
        .await;
        match reached {
            Some(job) => job,
            None => {
                let (_, job) = self.get(&path).await;
                panic!("job {id} never got there: {job:#}");
            }
        }
    }

    /// The output data of the last attempt of `step` in `job` that wrote
    /// one; panics when there is none.
    pub async fn step_data(&self, job: &str, step: &str) -> Value {
        let runs = self
            .app
            .store()
            .step_runs(&self.org, &JobId::from(job))
            .await
            .expect("runs");
        runs.into_iter()
            .rev()
            .find(|r| r.step_name == step && r.output.is_some())
            .and_then(|r| r.output)
            .map(|o| o["data"].clone())
            .unwrap_or_else(|| panic!("step {step} of {job} has no output"))
    }

    /// Log in to the inbox with `token`; the session cookie.
    pub async fn inbox_login(&self, token: &str) -> String {
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(self.url("/inbox/login"))
            .form(&[("token", token)])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status().as_u16(), 303, "signed in");
        let cookie = r
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie");
        cookie.split(';').next().unwrap_or("").to_owned()
    }

    /// A fresh magic link for the rep `rep1` (as an operator would send
    /// one): the path `/inbox/magic/<secret>`, good once for an hour.
    pub async fn magic_link(&self) -> String {
        self.magic_link_for(&self.user).await
    }

    /// A fresh magic link for `user` of the org.
    pub async fn magic_link_for(&self, user: &UserId) -> String {
        let login = baton::store::Login {
            org_id: self.org.clone(),
            user_id: Some(user.clone()),
            token_id: None,
        };
        let now = self.app.now();
        let secret = self
            .app
            .store()
            .create_login("magic_link", &login, now + 3_600_000, now)
            .await
            .expect("a magic link");
        format!("/inbox/magic/{secret}")
    }

    /// Sign in to the inbox as the rep `rep1` (a magic link); the session
    /// cookie.
    pub async fn rep_login(&self) -> String {
        self.login_as(&self.user).await
    }

    /// Sign in to the inbox as `user` (a magic link); the session cookie.
    pub async fn login_as(&self, user: &UserId) -> String {
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(self.url(&self.magic_link_for(user).await))
            .send()
            .await
            .expect("magic link");
        assert_eq!(r.status().as_u16(), 303, "signed in");
        r.headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_owned()
    }

    /// GET an inbox page with a session cookie: the status and the page.
    pub async fn inbox_get(&self, cookie: &str, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET an inbox page");
        (r.status().as_u16(), r.text().await.expect("page"))
    }

    /// POST an inbox form with a session cookie, redirects not followed:
    /// the status and the body.
    pub async fn inbox_post(
        &self,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(self.url(path))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .expect("POST an inbox form");
        (r.status().as_u16(), r.text().await.expect("body"))
    }

    /// Post Slack's interaction `payload` (form-encoded, as Slack sends it)
    /// signed with `secret` at `at_ms`; the status.
    pub async fn slack_interaction(&self, secret: &str, at_ms: i64, payload: &Value) -> u16 {
        self.slack_answer(secret, at_ms, payload).await.0
    }

    /// [`Server::slack_interaction`], with the answer's body (a modal's
    /// errors, a slash command's reply).
    pub async fn slack_answer(&self, secret: &str, at_ms: i64, payload: &Value) -> (u16, String) {
        let body = format!(
            "payload={}",
            form_urlencoded::byte_serialize(payload.to_string().as_bytes()).collect::<String>()
        );
        let sig = baton::service::signature::sign_slack(secret, at_ms / 1000, body.as_bytes())
            .expect("sign");
        let answer = self
            .http
            .post(self.url("/v1/webhooks/slack/interactions"))
            .header("x-slack-request-timestamp", (at_ms / 1000).to_string())
            .header("x-slack-signature", sig)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post a Slack interaction");
        let status = answer.status().as_u16();
        (status, answer.text().await.expect("the answer's body"))
    }

    /// Record `slack_user` as `rep1`'s Slack user id (their other
    /// preferences kept): their clicks in Slack act for them.
    pub async fn map_slack_user(&self, slack_user: &str) {
        let store = self.app.store();
        let mut prefs = store
            .preferences(&self.org, &self.user)
            .await
            .expect("prefs");
        prefs.slack_user_id = Some(slack_user.to_owned());
        store
            .set_preferences(&self.org, &self.user, &prefs)
            .await
            .expect("set prefs");
    }

    pub async fn open_gate(&self, job: &str) -> Value {
        self.wait_job(job, |j| j["status"] == "awaiting_approval")
            .await;
        let (status, gates) = self.get("/v1/approvals").await;
        assert_eq!(status, 200);
        gates
            .as_array()
            .and_then(|g| g.iter().find(|g| g["job_id"] == job).cloned())
            .unwrap_or_else(|| panic!("no open gate for {job}: {gates:#}"))
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("the server stops within 30 s")
                .expect("the server task");
        }
    }
}
