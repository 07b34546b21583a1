//! The service load run as a library: a real `baton serve` on a fresh
//! database with the demo org, Meeting BaaS `complete` webhooks (the
//! 21-minute demo call) at a steady rate, and for each meeting the time
//! from its webhook to the first approval request of its job reaching a
//! loopback Slack peer, with the server's CPU use while it was sent. What
//! `baton-load` (`cargo xtask bench --load`) prints per rate, and what the
//! suite's smoke run (`tests/all/service/load_smoke.rs`) checks.
//!
//! The sender is open loop: webhook n is due at start + n / rate and goes
//! out on its own task, and its latency counts from when it was due, so a
//! server that falls behind can neither slow the sender nor hide its own
//! delay (no coordinated omission). The Slack peer stamps each approval
//! request on a thread and runtime of its own. Nothing here sleeps a fixed
//! time to let work finish: it polls with deadlines. It measures; what
//! counts as good enough is the caller's business ([`LoadReport::check`]
//! only says whether every meeting got through).

mod api;
mod report;
mod slack;

pub use report::{CpuUse, LoadError, LoadReport, Rejected};

use crate::{Backend, Replica, ReplicaSetup, TestDb, root, target};
use api::Api;
use serde_json::{Value, json};
use slack::SlackPeer;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long `baton serve` may take to load the shipped skills (all of
/// them, compiled once into the shared component cache).
const READY_WITHIN: Duration = Duration::from_secs(300);

/// The longest a run waits for approval requests after its last webhook,
/// however steadily they still come.
pub const LIMIT: Duration = Duration::from_secs(600);

/// One load run: `webhooks` meetings at `rate` per second on a fresh
/// server and database of `backend`.
#[derive(Debug, Clone)]
pub struct LoadRun {
    pub backend: Backend,
    /// Webhooks per second.
    pub rate: f64,
    /// How many webhooks (each a new meeting, so a new job).
    pub webhooks: usize,
    /// How long Slack may stay silent, after the last webhook was due,
    /// before the jobs that have not asked for approval count as
    /// undelivered. While requests keep coming the run waits for them, up
    /// to [`LIMIT`] after the last webhook: a server that falls behind is
    /// slow, not lossy.
    pub settle: Duration,
}

impl LoadRun {
    /// `webhooks` at `rate` per second on `backend`, giving up on the
    /// approval requests still missing once Slack has been silent for a
    /// minute.
    pub fn new(backend: Backend, rate: f64, webhooks: usize) -> LoadRun {
        LoadRun {
            backend,
            rate,
            webhooks,
            settle: Duration::from_secs(60),
        }
    }

    /// Run it: start the server, send, wait, measure, stop the server and
    /// drop the database.
    pub async fn run(&self) -> Result<LoadReport, LoadError> {
        if !(self.rate > 0.0 && self.rate.is_finite()) || self.webhooks == 0 {
            return Err(LoadError::Arguments(format!(
                "a load run needs a positive rate and at least one webhook, not {} at {}/s",
                self.webhooks, self.rate
            )));
        }
        if self.backend == Backend::Postgres {
            TestDb::postgres_reachable().await?;
        }
        let bodies = webhook_bodies(self.webhooks)?;
        let db = TestDb::new(self.backend).await;
        let peer = SlackPeer::start();
        let result = self.against(&db.url, &peer, bodies).await;
        db.finish().await;
        result
    }

    /// The run against a database at `url` and a started Slack peer.
    async fn against(
        &self,
        url: &str,
        peer: &SlackPeer,
        bodies: Vec<Vec<u8>>,
    ) -> Result<LoadReport, LoadError> {
        let admin = uuid::Uuid::new_v4().simple().to_string();
        let meetingbaas = uuid::Uuid::new_v4().simple().to_string();
        let mail = tempfile::tempdir().map_err(|e| LoadError::Io("a mail folder".into(), e))?;
        let cache = std::env::var_os("BATON_CACHE_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| target().join("component-cache"));
        let env = [
            ("BATON_ADMIN_TOKEN", admin.clone()),
            ("BATON_MEETINGBAAS_API_KEY", meetingbaas.clone()),
            ("BATON_SLACK_BOT_TOKEN", "xoxb-load".into()),
            ("BATON_SLACK_API_URL", peer.base.clone()),
            (
                "BATON_SMTP_URL",
                format!("file://{}", mail.path().display()),
            ),
            // Only the inbox links in the messages use it.
            ("BATON_PUBLIC_URL", "http://baton-load.invalid".into()),
            ("BATON_CACHE_DIR", cache.display().to_string()),
            // The server's log filter: warnings, unless the person measuring
            // asks for more (`BATON_LOAD_SERVER_LOG=warn,sqlx::query=debug`
            // logs every statement).
            (
                "BATON_LOG",
                std::env::var("BATON_LOAD_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
            ),
        ];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let demo = root().join("examples/demo.json").display().to_string();
        let skills = crate::skill("draft-followup-email")
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(|| target().join("skills"));
        let sequences = root().join("sequences");
        let mut server = Replica::start(
            url,
            &ReplicaSetup {
                env: &env,
                args: &["--import", demo.as_str()],
                shared_cache: true,
                skills_dir: Some(&skills),
                sequences_dir: Some(&sequences),
                ..ReplicaSetup::default()
            },
        );
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| LoadError::Http("a client".into(), e))?;
        server
            .ready_within(&http, READY_WITHIN)
            .await
            .map_err(LoadError::Server)?;
        let api = Api {
            http: &http,
            base: &server.base,
        };
        let token = api.org_token(&admin).await?;
        api.prepare_rep(&token).await?;

        let pid = server.child.id();
        let before = report::cpu_time(pid)?;
        let started = tokio::time::Instant::now();
        let sent = self.send(&api, &meetingbaas, bodies, started).await;
        let window = started.elapsed();
        let cpu = CpuUse {
            busy: report::cpu_time(pid)?.saturating_sub(before),
            window,
        };
        let last_due = started.into_std() + self.due(self.webhooks.saturating_sub(1));
        let mut jobs = Vec::new();
        let mut due_of = BTreeMap::new();
        let mut rejected = Vec::new();
        for outcome in sent {
            match outcome {
                Ok((job, due)) => {
                    due_of.insert(job.clone(), due);
                    jobs.push(job);
                }
                Err(r) => rejected.push(r),
            }
        }
        let first = api
            .first_requests(peer, &due_of, last_due, self.settle, &token)
            .await;
        let latencies = first
            .into_iter()
            .filter_map(|(job, arrived)| {
                let due = due_of.get(&job)?;
                Some((job, arrived.saturating_duration_since(*due)))
            })
            .collect();
        let mut report = LoadReport {
            backend: self.backend,
            rate: self.rate,
            sent: self.webhooks,
            jobs,
            rejected,
            latencies,
            cpu,
            settle: self.settle,
            server_log: server.log(),
            first_undelivered: None,
        };
        // Asked while the server still runs: its database goes with it.
        if let Some(job) = report.undelivered().first() {
            report.first_undelivered = Some(api.job_state(job, &token).await);
        }
        drop(server);
        Ok(report)
    }

    /// When webhook `n` is due, after the start.
    fn due(&self, n: usize) -> Duration {
        Duration::from_secs_f64(n as f64 / self.rate)
    }

    /// Send every body at its time, each on its own task: per webhook, the
    /// job it started and when it was due, or why it was not accepted.
    async fn send(
        &self,
        api: &Api<'_>,
        key: &str,
        bodies: Vec<Vec<u8>>,
        started: tokio::time::Instant,
    ) -> Vec<Result<(String, Instant), Rejected>> {
        let url = format!("{}/v1/webhooks/meetingbaas", api.base);
        let tasks: Vec<_> = bodies
            .into_iter()
            .enumerate()
            .map(|(n, body)| {
                let due = started + self.due(n);
                let request = api
                    .http
                    .post(&url)
                    .header("x-meeting-baas-api-key", key)
                    .header("content-type", "application/json")
                    .body(body);
                tokio::spawn(async move {
                    tokio::time::sleep_until(due).await;
                    accepted(n, request.send().await)
                        .await
                        .map(|job| (job, due.into_std()))
                })
            })
            .collect();
        let mut outcomes = Vec::with_capacity(tasks.len());
        for (n, task) in tasks.into_iter().enumerate() {
            outcomes.push(task.await.unwrap_or_else(|e| {
                Err(Rejected {
                    n,
                    status: None,
                    detail: format!("the sending task failed: {e}"),
                })
            }));
        }
        outcomes
    }
}

/// The job id of a 202, or why the webhook was not accepted.
async fn accepted(n: usize, sent: reqwest::Result<reqwest::Response>) -> Result<String, Rejected> {
    let rejected = |status: Option<u16>, detail: String| Rejected { n, status, detail };
    let response = sent.map_err(|e| rejected(None, e.to_string()))?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    if status != 202 {
        return Err(rejected(Some(status), text));
    }
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["job_id"].as_str().map(str::to_owned))
        .ok_or_else(|| rejected(Some(status), format!("no job_id in {text}")))
}

/// The sample webhook, `examples/webhooks/meetingbaas-complete.json`, once
/// per meeting with a `bot_id` of its own, serialised before the clock
/// starts.
fn webhook_bodies(count: usize) -> Result<Vec<Vec<u8>>, LoadError> {
    let path = root().join("examples/webhooks/meetingbaas-complete.json");
    let text =
        std::fs::read_to_string(&path).map_err(|e| LoadError::Io(path.display().to_string(), e))?;
    let mut hook: Value = serde_json::from_str(&text)
        .map_err(|e| LoadError::Setup(format!("{} is not JSON: {e}", path.display())))?;
    (0..count)
        .map(|n| {
            hook["data"]["bot_id"] = json!(format!("load-{n}"));
            serde_json::to_vec(&hook).map_err(|e| LoadError::Setup(format!("the webhook: {e}")))
        })
        .collect()
}
