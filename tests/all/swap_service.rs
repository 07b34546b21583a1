//! Hot swap as an operator meets it: the real `baton serve`, on SQLite and
//! on Postgres, swapping a skill through `PUT /v1/admin/skills/{name}`
//! while events run through it, then through a file landing in the skills
//! folder, a rollback from the CLI, a refused upload, a sequence file
//! changed under it, and a second replica that follows the release log.
//!
//! The figures (calls per second, upload → serving, file → serving) are
//! printed for the closing note; nothing here asserts a duration.

use baton::registry::sha256_hex;
use baton::store::{JobId, Store};
use baton_tests::{
    Backend, PATIENCE, Replica, ReplicaSetup, TestDb, backend_test, baton_bin, guest, poll, stays,
    until,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const ADMIN: &str = "admin-secret-for-tests";

/// One event, ten calls of `trivial` side by side (one stage).
fn sequence() -> String {
    let mut text = String::from("event = \"swap_test\"\n");
    for n in 0..10 {
        text.push_str(&format!(
            "\n[[step]]\nname = \"t{n}\"\nskill = \"trivial\"\ngroup = \"all\"\n"
        ));
    }
    text
}

/// A replica serving `trivial` in the swap sequence, following the
/// release log every 200 ms.
fn start_replica(db: &str) -> Replica {
    let sequence = sequence();
    Replica::start(
        db,
        &ReplicaSetup {
            sequences: &[("swap_test.toml", &sequence)],
            guests: &["trivial"],
            config: "[runner]\npoll_ms = 50\n[service]\nreleases_every_ms = 200\n",
            env: &[("BATON_ADMIN_TOKEN", ADMIN)],
            args: &[],
            shared_cache: false,
            ..ReplicaSetup::default()
        },
    )
}

/// The live `trivial` as `GET /v1/skills` shows it.
async fn trivial(r: &Replica, http: &reqwest::Client, token: &str) -> Value {
    let body: Value = http
        .get(format!("{}/v1/skills", r.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /v1/skills")
        .json()
        .await
        .expect("json");
    body["skills"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "trivial").cloned())
        .unwrap_or(Value::Null)
}

fn sha256(path: &Path) -> String {
    sha256_hex(&std::fs::read(path).expect("read"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn upload(http: &reqwest::Client, base: &str, file: &Path) -> (u16, Value) {
    let r = http
        .put(format!("{base}/v1/admin/skills/trivial"))
        .bearer_auth(ADMIN)
        .body(std::fs::read(file).expect("read"))
        .send()
        .await
        .expect("PUT");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

backend_test!(
    swaps_under_load_fail_no_call,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let store: &Store = &db.store;
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        store
            .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
            .await
            .expect("user");
        let (_, token) = store.create_token(&org, "t", 0).await.expect("token");
        let http = reqwest::Client::new();
        let a = start_replica(&db.url);
        a.ready(&http).await;
        let (v1, v2) = (guest("trivial"), guest("trivial-v2"));
        // A cache of its own: the start served Winch's code, which
        // Cranelift's replaces in the background.
        until("trivial moves to Cranelift's code", PATIENCE, async || {
            trivial(&a, &http, &token).await["compiled"] == "optimized"
        })
        .await;

        // Load: events posted back to back by four clients while the skill is
        // swapped twenty times through the admin route.
        let stop = Arc::new(AtomicBool::new(false));
        let mut clients = Vec::new();
        for c in 0..4 {
            let (http, stop, token) = (http.clone(), stop.clone(), token.clone());
            let url = format!("{}/v1/events", a.base);
            clients.push(tokio::spawn(async move {
                let mut jobs = Vec::new();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let body = json!({ "type": "swap_test", "user": "rep1",
                    "payload": { "n": n }, "idempotency_key": format!("c{c}-{n}") });
                    let r = http.post(&url).bearer_auth(&token).json(&body).send().await;
                    let r = r.expect("POST /v1/events");
                    assert_eq!(r.status(), 202, "event refused: {:?}", r.text().await);
                    let v: Value = r.json().await.expect("json");
                    jobs.push(v["job_id"].as_str().expect("job id").to_owned());
                }
                jobs
            }));
        }
        let started = Instant::now();
        let mut upload_ms = Vec::new();
        for i in 0..20 {
            let (file, version) = if i % 2 == 0 {
                (&v2, "2.0.0")
            } else {
                (&v1, "1.0.0")
            };
            let t = Instant::now();
            let (status, body) = upload(&http, &a.base, file).await;
            upload_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(status, 200, "{body}\n{}", a.log());
            assert_eq!(body["outcome"], "live", "{body}");
            assert_eq!(body["skill"]["version"], version, "{body}");
            assert_eq!(body["skill"]["sha256"], sha256(file), "{body}");
            if i == 10 {
                // A refused upload in the middle leaves the live version.
                let (status, body) = upload(&http, &a.base, &guest("panic")).await;
                assert_eq!(status, 422, "{body}");
                let live = trivial(&a, &http, &token).await;
                assert_eq!(live["sha256"], sha256(file));
                assert!(
                    live["last_refused"]["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("panic")),
                    "{live}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        stop.store(true, Ordering::SeqCst);
        let mut jobs = Vec::new();
        for c in clients {
            jobs.extend(c.await.expect("client"));
        }
        let elapsed = started.elapsed();

        // Every job completes; every call succeeded on the version its step
        // run names.
        let mut calls = 0usize;
        let mut versions = std::collections::BTreeSet::new();
        for id in &jobs {
            let id = JobId::from(id.as_str());
            let job = poll(Duration::from_secs(120), async || {
                let job = store.job(&org, &id).await.expect("job").expect("exists");
                job.status.is_final().then_some(job)
            })
            .await
            .expect("every job finishes");
            assert_eq!(job.status.as_str(), "completed", "{:?}", job.error);
            for run in store.step_runs(&org, &id).await.expect("runs") {
                assert_eq!(run.status.as_str(), "completed", "{run:?}");
                let output = run.output.as_ref().expect("output");
                assert_eq!(
                    output["data"]["version"],
                    run.skill_version.as_str(),
                    "{run:?}"
                );
                let expected = if run.skill_version == "2.0.0" {
                    &v2
                } else {
                    &v1
                };
                assert_eq!(run.skill_sha256, sha256(expected));
                versions.insert(run.skill_version.clone());
                calls += 1;
            }
        }
        let all_done = started.elapsed();
        assert_eq!(
            versions.len(),
            2,
            "calls ran on both versions: {versions:?}"
        );
        upload_ms.sort_by(f64::total_cmp);
        eprintln!(
            "swap under load ({backend:?}): {} jobs accepted in {:.1} s of swapping; all {calls} calls \
         done {:.1} s after the start ({:.0} calls/s); upload → serving p50 {:.1} ms p99 {:.1} ms",
            jobs.len(),
            elapsed.as_secs_f64(),
            all_done.as_secs_f64(),
            calls as f64 / all_done.as_secs_f64(),
            percentile(&upload_ms, 0.5),
            percentile(&upload_ms, 0.99),
        );

        // A file landing in the folder (written beside, renamed over) serves.
        let mut landing_ms = Vec::new();
        for i in 0..6 {
            let file = if i % 2 == 0 { &v1 } else { &v2 };
            let tmp = a.skills().join(".trivial.tmp");
            std::fs::copy(file, &tmp).expect("copy");
            let t = Instant::now();
            std::fs::rename(&tmp, a.skills().join("trivial.wasm")).expect("rename");
            let want = sha256(file);
            poll(Duration::from_secs(30), async || {
                (trivial(&a, &http, &token).await["sha256"] == want.as_str()).then_some(())
            })
            .await
            .expect("the file's version serves");
            landing_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        landing_ms.sort_by(f64::total_cmp);
        eprintln!(
            "file landing → serving ({backend:?}): p50 {:.0} ms, max {:.0} ms",
            percentile(&landing_ms, 0.5),
            percentile(&landing_ms, 1.0)
        );

        // Rollback from the CLI puts the version before back.
        let out = Command::new(baton_bin())
            .args(["skill", "rollback", "trivial", "--server", &a.base])
            .env("BATON_ADMIN_TOKEN", ADMIN)
            .output()
            .expect("baton skill rollback");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(trivial(&a, &http, &token).await["sha256"], sha256(&v1));

        // A second replica on the same database serves what the first one
        // released, and follows the next upload.
        let b = start_replica(&db.url);
        b.ready(&http).await;
        assert_eq!(trivial(&b, &http, &token).await["sha256"], sha256(&v1));
        let (status, body) = upload(&http, &a.base, &v2).await;
        assert_eq!(status, 200, "{body}\n{}", a.log());
        let want = sha256(&v2);
        poll(Duration::from_secs(30), async || {
            (trivial(&b, &http, &token).await["sha256"] == want.as_str()).then_some(())
        })
        .await
        .expect("the other replica follows the upload");
        assert_eq!(
            sha256(&b.skills().join("trivial.wasm")),
            want,
            "and keeps it in its folder"
        );

        let metrics = http
            .get(format!("{}/metrics", a.base))
            .bearer_auth(ADMIN)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        assert!(
            metrics.contains("baton_skill_swaps_total{outcome=\"refused\"} 1"),
            "{metrics}"
        );
        drop((a, b));
        db.finish().await;
    }
);

/// Sequence files are watched: a broken edit keeps the previous sequence
/// serving; a new file serves its event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequence_files_are_watched() {
    let db = TestDb::new(Backend::Sqlite).await;
    let org = db
        .store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    db.store
        .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
        .await
        .expect("user");
    let (_, token) = db.store.create_token(&org, "t", 0).await.expect("token");
    let http = reqwest::Client::new();
    let a = start_replica(&db.url);
    a.ready(&http).await;
    let features = async || -> Vec<String> {
        let v: Value = http
            .get(format!("{}/v1/features", a.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        let list = v.as_array().cloned().unwrap_or_default();
        list.iter()
            .filter_map(|f| f["event_type"].as_str().map(str::to_owned))
            .collect()
    };
    let seqs = a.sequences();
    std::fs::write(
        seqs.join("swap_test.toml"),
        "event = \"swap_test\"\n[[step]]\nskil = 1\n",
    )
    .expect("break");
    std::fs::write(
        seqs.join("other.toml"),
        "event = \"other_test\"\n[[step]]\nskill = \"trivial\"\n",
    )
    .expect("add");
    until(
        "the new sequence serves",
        Duration::from_secs(30),
        async || features().await.contains(&"other_test".to_owned()),
    )
    .await;
    assert!(
        features().await.contains(&"swap_test".to_owned()),
        "the broken file's sequence stays"
    );
    let r = http
        .post(format!("{}/v1/events", a.base))
        .bearer_auth(&token)
        .json(&json!({ "type": "other_test", "user": "rep1", "payload": {} }))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 202);
    drop(a);
    db.finish().await;
}

// A job parked at a gate while its skill is swapped: with `pin = "job"`
// it finishes on the version it started with, with `pin = "step"` (the
// default) on the live one; each step run names the version it ran.
backend_test!(
    a_pinned_job_keeps_its_version,
    |backend: Backend| async move {
        let db = TestDb::new(backend).await;
        let sequence = |event: &str, pin: &str| {
            format!(
                "event = \"{event}\"\npin = \"{pin}\"\n\
             [[step]]\nname = \"before\"\nskill = \"trivial\"\n\
             [[step]]\nname = \"gate\"\nskill = \"scripted\"\napproval = \"confirm\"\n\
             params = {{ actions = [{{ kind = \"crm_update\", preview = \"Note\", payload = {{ note = \"met\" }} }}] }}\n\
             [[step]]\nname = \"after\"\nskill = \"trivial\"\n"
            )
        };
        let (by_job, by_step) = (sequence("pin_job", "job"), sequence("pin_step", "step"));
        let s = baton_tests::server::start(
            db.store.clone(),
            baton_tests::server::Setup {
                sequences: &[&by_job, &by_step],
                ..Default::default()
            },
        )
        .await;
        let releases = &s.app.orch.releases;
        let bytes = |p: PathBuf| -> Arc<[u8]> { std::fs::read(p).expect("read").into() };
        releases
            .publish("trivial", bytes(guest("trivial")))
            .await
            .expect("v1");
        let mut jobs = Vec::new();
        for event in ["pin_job", "pin_step"] {
            let (status, body) = s
                .post(
                    "/v1/events",
                    json!({ "type": event, "user": "rep1", "payload": {} }),
                )
                .await;
            assert_eq!(status, 202, "{body}");
            let id = body["job_id"].as_str().expect("job id").to_owned();
            let gate = s.open_gate(&id).await;
            jobs.push((id, gate));
        }
        releases
            .publish("trivial", bytes(guest("trivial-v2")))
            .await
            .expect("v2");
        for (id, gate) in &jobs {
            let path = format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("gate id")
            );
            let (status, body) = s.post(&path, json!({ "decision": "approved" })).await;
            assert_eq!(status, 200, "{body}");
            s.wait_job(id, |j| j["status"] == "completed").await;
        }
        let versions = async |id: &str| {
            let before = s.step_data(id, "before").await["version"].clone();
            let after = s.step_data(id, "after").await["version"].clone();
            (before, after)
        };
        assert_eq!(
            versions(&jobs[0].0).await,
            (json!("1.0.0"), json!("1.0.0")),
            "pin = job"
        );
        assert_eq!(
            versions(&jobs[1].0).await,
            (json!("1.0.0"), json!("2.0.0")),
            "pin = step"
        );
        s.stop().await;
        db.finish().await;
    }
);

backend_test!(
    a_new_database_records_its_folder_and_a_restart_records_nothing,
    |backend: Backend| async move {
        // The folder's components land in the release log and
        // `skill_versions`: on SQLite just after readiness (writing them
        // was most of a start on a new database), on Postgres before it.
        let db = TestDb::new(backend).await;
        let http = reqwest::Client::new();
        let a = start_replica(&db.url);
        a.ready(&http).await;
        let live = sha256(&a.dir.path().join("skills").join("trivial.wasm"));
        let logged = poll(PATIENCE, async || {
            let latest = db.store.latest_releases(0).await.expect("release log");
            latest
                .into_iter()
                .find(|r| r.name == "trivial" && r.sha256.is_some())
        })
        .await
        .expect("the folder's trivial recorded in the release log");
        assert_eq!(logged.sha256.as_deref(), Some(live.as_str()));
        assert_eq!(logged.source, "folder");
        let stored = db
            .store
            .skill_component(&live)
            .await
            .expect("skill_versions")
            .expect("the component stored with its release");
        assert_eq!(
            stored,
            std::fs::read(a.dir.path().join("skills").join("trivial.wasm")).expect("read")
        );
        // A second start on that database records nothing again.
        drop(a);
        let b = start_replica(&db.url);
        b.ready(&http).await;
        stays(
            "the release log names trivial's first release alone",
            Duration::from_secs(2),
            async || {
                let latest = db.store.latest_releases(0).await.expect("release log");
                latest
                    .iter()
                    .filter(|r| r.name == "trivial")
                    .map(|r| r.id)
                    .eq([logged.id])
            },
        )
        .await;
        db.finish().await;
    }
);
