//! kill -9 of a worker mid-sequence: a new worker resumes the job at its
//! last checkpoint, the sequence completes, and the outbox delivers each
//! effect exactly once. kill -9 of a worker after Slack took a post and
//! before it answered: the next worker finds the post in the channel and
//! does not post it again (`BATON_CRASH_ROUNDS` rounds, 1 by default;
//! `cargo xtask soak` runs 25 and prints the duplicate rate). On SQLite and
//! on Postgres, with the real binary.

use baton::store::{EffectStatus, JobId, JobStatus, OrgId, StepRunStatus, Store};
use baton_tests::{
    HttpPeer, Replica, ReplicaSetup, TestDb, backend_test, baton_bin, guest, stays, until,
};
use serde_json::json;
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SEQUENCE: &str = r#"
event = "crash_test"
[[step]]
name = "one"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "one", payload = { n = 1 } }] }

[[step]]
# Long enough to be killed in; the heartbeat keeps its lease alive meanwhile.
name = "two"
skill = "scripted"
timeout_ms = 4000
params = { sleep_ms = 1500, actions = [{ kind = "slack_post", preview = "two", payload = { n = 2 } }] }

[[step]]
name = "three"
skill = "scripted"
params = { actions = [{ kind = "crm_update", preview = "three", payload = { note = "met" } }] }
"#;

struct Setup {
    dir: tempfile::TempDir,
    url: String,
}

impl Setup {
    fn new(url: &str) -> Setup {
        Setup::with(url, SEQUENCE)
    }

    /// A worker's folders serving `sequence` (as `crash_test.toml`).
    fn with(url: &str, sequence: &str) -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("sequences")).expect("mkdir");
        std::fs::create_dir(dir.path().join("skills")).expect("mkdir");
        std::fs::write(dir.path().join("sequences/crash_test.toml"), sequence).expect("write");
        std::fs::copy(guest("scripted"), dir.path().join("skills/scripted.wasm")).expect("copy");
        std::fs::write(
            dir.path().join("baton.toml"),
            "[runner]\nlease_ms = 1000\npoll_ms = 50\n",
        )
        .expect("config");
        Setup {
            dir,
            url: url.to_owned(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(baton_bin());
        cmd.args(args)
            .arg("--database")
            .arg(&self.url)
            .arg("--sequences")
            .arg(self.dir.path().join("sequences"))
            .arg("--skills")
            .arg(self.dir.path().join("skills"))
            .arg("--config")
            .arg(self.dir.path().join("baton.toml"));
        cmd
    }

    fn worker(&self, peer: &HttpPeer) -> Child {
        self.command(&["worker"])
            .arg("--deliver-url")
            .arg(format!("http://127.0.0.1:{}/effects", peer.port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start worker")
    }
}

/// Org `acme` with rep1.
async fn acme(store: &Store) -> OrgId {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    store
        .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
        .await
        .expect("user");
    org
}

async fn killed_mid_sequence_completes_once(db: &TestDb) {
    let store: &Store = &db.store;
    let org = acme(store).await;
    let setup = Setup::new(&db.url);
    let peer = HttpPeer::start();
    let sent = setup
        .command(&[
            "event",
            "send",
            "--type",
            "crash_test",
            "--org",
            "acme",
            "--user",
            "rep1",
            "--payload",
            r#"{"n": 1}"#,
            "--json",
        ])
        .output()
        .expect("event send");
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let view: serde_json::Value = serde_json::from_slice(&sent.stdout).expect("json");
    let job_id = JobId::from(view["id"].as_str().expect("job id"));

    let mut first = setup.worker(&peer);
    // Kill it while step two sleeps: step one is checkpointed and its
    // effect delivered (so no delivery is cut off), two is not.
    until(
        "step one's checkpoint and its delivery",
        Duration::from_secs(60),
        async || {
            let job = store
                .job(&org, &job_id)
                .await
                .expect("job")
                .expect("exists");
            let effects = store
                .effects(&org, Some(&job_id), 10)
                .await
                .expect("effects");
            job.current_step == 1 && effects.iter().any(|e| e.status == EffectStatus::Delivered)
        },
    )
    .await;
    first.kill().expect("kill -9");
    let _ = first.wait();
    let job = store
        .job(&org, &job_id)
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(
        job.status,
        JobStatus::Running,
        "killed with the job in flight"
    );
    assert_eq!(job.current_step, 1);

    let mut second = setup.worker(&peer);
    until("the job to complete", Duration::from_secs(60), async || {
        let job = store
            .job(&org, &job_id)
            .await
            .expect("job")
            .expect("exists");
        job.status == JobStatus::Completed
    })
    .await;
    until(
        "every effect delivered",
        Duration::from_secs(30),
        async || {
            let effects = store
                .effects(&org, Some(&job_id), 10)
                .await
                .expect("effects");
            effects.len() == 3 && effects.iter().all(|e| e.status == EffectStatus::Delivered)
        },
    )
    .await;
    // A duplicate delivery, if there were one, would arrive now.
    stays(
        "no effect is delivered twice",
        Duration::from_millis(300),
        async || peer.hits() == 3,
    )
    .await;
    second.kill().expect("stop worker");
    let _ = second.wait();

    let requests = peer.requests();
    let keys: Vec<String> = requests
        .iter()
        .filter_map(|r| {
            r.lines().find_map(|l| {
                l.to_lowercase()
                    .strip_prefix("idempotency-key:")
                    .map(|k| k.trim().to_owned())
            })
        })
        .collect();
    assert_eq!(
        requests.len(),
        3,
        "three effects, three deliveries: {keys:?}"
    );
    let distinct: BTreeSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), 3, "each effect exactly once: {keys:?}");
    let runs = store.step_runs(&org, &job_id).await.expect("runs");
    let completed: Vec<_> = runs
        .iter()
        .filter(|r| r.status == StepRunStatus::Completed)
        .map(|r| r.step_name.as_str())
        .collect();
    assert_eq!(
        completed,
        vec!["one", "two", "three"],
        "each step completed once"
    );
}

backend_test!(killed_mid_sequence, |backend| async move {
    let db = TestDb::new(backend).await;
    killed_mid_sequence_completes_once(&db).await;
    db.finish().await;
});

/// One note to a named Slack channel.
const SLACK_NOTE: &str = r#"
event = "crash_test"
[[step]]
name = "note"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Deal room", payload = { channel = "C-DEALS", title = "Deal room", text = "Northwind moved to proposal." } }] }
"#;

/// Rounds of the Slack crash test: each a post cut off by a kill.
fn crash_rounds() -> usize {
    std::env::var("BATON_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

async fn a_slack_post_cut_off_by_a_kill_is_posted_once(db: &TestDb) {
    let store: &Store = &db.store;
    let org = acme(store).await;
    let (_, token) = store.create_token(&org, "crash", 0).await.expect("token");
    let slack = baton_tests::slack::SlackPeer::start();
    let env = [
        ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
        ("BATON_SLACK_API_URL", slack.api.as_str()),
    ];
    let serve = || {
        Replica::start(
            &db.url,
            &ReplicaSetup {
                sequences: &[("crash_test.toml", SLACK_NOTE)],
                guests: &["scripted"],
                // A claim a dead process held runs out within a second.
                config: "[runner]\nlease_ms = 1000\npoll_ms = 50\n",
                env: &env,
                shared_cache: true,
                ..ReplicaSetup::default()
            },
        )
    };
    let http = reqwest::Client::new();
    let rounds = crash_rounds();
    let mut duplicates = 0;
    for round in 0..rounds {
        let before = slack.posts().len();
        // Slack takes the post and holds its answer: the service is killed
        // waiting for it, the effect claimed and not marked delivered.
        slack.hold_next_answer(Duration::from_secs(30));
        let mut first = serve();
        first.ready(&http).await;
        let sent: serde_json::Value = http
            .post(format!("{}/v1/events", first.base))
            .bearer_auth(&token)
            .json(&json!({ "type": "crash_test", "user": "rep1", "payload": { "round": round } }))
            .send()
            .await
            .expect("POST /v1/events")
            .json()
            .await
            .expect("json");
        let job_id = JobId::from(sent["job_id"].as_str().expect("job id"));
        until(
            "Slack takes the post",
            Duration::from_secs(60),
            async || slack.posts().len() > before,
        )
        .await;
        first.child.kill().expect("kill -9");
        let _ = first.child.wait();
        let effect = store
            .effects(&org, Some(&job_id), 10)
            .await
            .expect("effects")
            .remove(0);
        assert_eq!(effect.status, EffectStatus::Delivering, "cut off mid-send");

        let second = serve();
        until(
            "the effect is delivered",
            Duration::from_secs(60),
            async || {
                let effects = store
                    .effects(&org, Some(&job_id), 10)
                    .await
                    .expect("effects");
                effects.iter().all(|e| e.status == EffectStatus::Delivered)
            },
        )
        .await;
        drop(second);
        duplicates += slack.posts().len() - before - 1;
    }
    eprintln!("slack crash rounds: {rounds}, posts sent twice: {duplicates}");
    assert_eq!(duplicates, 0, "a post cut off by a kill was posted again");
    let keys: BTreeSet<String> = slack
        .posts()
        .iter()
        .filter_map(|p| {
            p["metadata"]["event_payload"]["key"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(keys.len(), rounds, "each post carries its effect's key");
}

backend_test!(a_slack_post_cut_off_by_a_kill, |backend| async move {
    let db = TestDb::new(backend).await;
    a_slack_post_cut_off_by_a_kill_is_posted_once(&db).await;
    db.finish().await;
});
