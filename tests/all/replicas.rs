//! Replicas sharing one Postgres database: three real `baton serve`
//! processes run a batch of small sequences whose steps emit effects to a
//! loopback receiver; one replica is killed with SIGKILL mid-run and started
//! again. Every job completes, every step has one completed run, every
//! effect arrives, and no step's work is committed by two holders. The
//! three schedulers, ticking side by side, fire each meeting's
//! `pre_meeting_90min` once.
//!
//! The suite runs 1,000 sequences (about 12 s on two cores);
//! `BATON_REPLICA_JOBS` changes the count and `cargo xtask soak` runs 5,000.
//! The figures (wall time, jobs/s, jobs re-run after the kill, duplicate
//! deliveries) are printed, not asserted.

use baton::store::Store;
use baton_tests::{HttpPeer, Replica, ReplicaSetup, TestDb, stays, until};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Three steps, each emitting one webhook effect; the middle one sleeps a
/// little so the kill lands with stages in flight.
const SEQUENCE: &str = r#"
event = "replica_test"
[[step]]
name = "one"
skill = "scripted"
params = { actions = [{ kind = "crm_update", preview = "one", payload = { n = 1 } }] }

[[step]]
name = "two"
skill = "scripted"
params = { sleep_ms = 100, actions = [{ kind = "crm_update", preview = "two", payload = { n = 2 } }] }

[[step]]
name = "three"
skill = "scripted"
params = { actions = [{ kind = "crm_update", preview = "three", payload = { n = 3 } }] }
"#;

const STEPS: i64 = 3;

/// Fired by the schedulers 90 minutes before each meeting.
const PRE_MEETING: &str =
    "event = \"pre_meeting_90min\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n";

/// Meetings on the rep's calendar, each due for its pre-meeting event.
const MEETINGS: i64 = 5;

/// A replica running the test's sequences, delivering effects to `deliver`.
fn start_replica(db: &str, deliver: &str) -> Replica {
    Replica::start(
        db,
        &ReplicaSetup {
            sequences: &[
                ("replica_test.toml", SEQUENCE),
                ("pre_meeting.toml", PRE_MEETING),
            ],
            guests: &["scripted"],
            config: "[runner]\nlease_ms = 3000\npoll_ms = 50\nundo_window_ms = 0\nconcurrency = 16\n\
                     [service]\nschedule_every_ms = 200\n",
            env: &[("BATON_DELIVERY_URL", deliver)],
            args: &[],
            shared_cache: true,
            ..ReplicaSetup::default()
        },
    )
}

/// One number from the database.
async fn count(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// How many of the test's jobs have completed.
async fn completed(pool: &sqlx::PgPool) -> i64 {
    count(
        pool,
        "SELECT COUNT(*) FROM sequence_jobs WHERE event_type = 'replica_test' AND status = 'completed'",
    )
    .await
}

/// How many jobs are in each status, for failure messages.
async fn by_status(pool: &sqlx::PgPool) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT event_type, status, COUNT(*) FROM sequence_jobs GROUP BY event_type, status ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap_or_default()
}

/// The `Idempotency-Key` of each request the receiver got.
fn keys(peer: &HttpPeer) -> Vec<String> {
    peer.requests()
        .iter()
        .filter_map(|r| {
            r.lines().find_map(|l| {
                l.to_lowercase()
                    .strip_prefix("idempotency-key:")
                    .map(|k| k.trim().to_owned())
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_share_the_work_and_survive_a_kill() {
    let jobs: i64 = std::env::var("BATON_REPLICA_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let db = TestDb::postgres().await;
    let store: &Store = &db.store;
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    store
        .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
        .await
        .expect("user");
    let (_, token) = store
        .create_token(&org, "tests", baton::store::now_ms())
        .await
        .expect("token");
    let pool = sqlx::PgPool::connect(&db.url).await.expect("pool");
    let peer = HttpPeer::start();
    let deliver = format!("http://127.0.0.1:{}/effects", peer.port);
    let http = reqwest::Client::new();

    let soon = baton::store::now_ms() + 60 * 60_000;
    for m in 0..MEETINGS {
        sqlx::query(
            "INSERT INTO meetings (id, org_id, external_id, user_id, title, starts_at)
             SELECT $1, id, $1, (SELECT id FROM users WHERE handle = 'rep1'), 'Review', $2 FROM orgs WHERE slug = 'acme'",
        )
        .bind(format!("mt-{m}"))
        .bind(soon + m)
        .execute(&pool)
        .await
        .expect("meeting");
    }
    let mut replicas: Vec<Replica> = (0..3).map(|_| start_replica(&db.url, &deliver)).collect();
    for r in &replicas {
        r.ready(&http).await;
    }
    let started = Instant::now();
    // Events go to the replicas in turn, as a load balancer would send
    // them, while the replicas work.
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let sender = {
        let (http, token) = (http.clone(), token.clone());
        tokio::spawn(async move {
            for n in 0..jobs {
                let body = json!({ "type": "replica_test", "user": "rep1", "payload": { "n": n },
                                   "idempotency_key": format!("replica-{n}") });
                // A replica that is down is skipped, as a balancer would;
                // a retry of an event that got in is a duplicate (200).
                let mut accepted = false;
                for i in 0..3 {
                    let base = &bases[((n + i) % 3) as usize];
                    let sent = http
                        .post(format!("{base}/v1/events"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await;
                    if let Ok(r) = sent {
                        assert!(
                            matches!(r.status().as_u16(), 200 | 202),
                            "event {n}: {}",
                            r.status()
                        );
                        accepted = true;
                        break;
                    }
                }
                assert!(accepted, "event {n} accepted by a replica");
            }
        })
    };
    let victim_pid = replicas[0].child.id();

    // Kill replica 0 once a third of the jobs are done, with others in flight.
    let logs = |replicas: &[Replica]| -> String {
        replicas
            .iter()
            .map(Replica::log)
            .collect::<Vec<_>>()
            .join("\n---\n")
    };
    let in_flight_on_victim = format!(
        "SELECT COUNT(*) FROM sequence_jobs WHERE status = 'running' AND lease_owner LIKE '{victim_pid}-%'"
    );
    let third = baton_tests::poll(Duration::from_secs(120), async || {
        (completed(&pool).await >= jobs / 3 && count(&pool, &in_flight_on_victim).await > 0)
            .then_some(())
    })
    .await;
    assert!(
        third.is_some(),
        "a third of the jobs complete with some in flight on replica 0; by status: {:?}; replicas' logs:\n{}",
        by_status(&pool).await,
        logs(&replicas)
    );
    drop(replicas.remove(0)); // SIGKILL, then reaped
    // Its jobs keep its lease until the lease runs out: each is resumed at
    // its last checkpoint, the stage in flight run again.
    let orphaned = count(&pool, &in_flight_on_victim).await;
    let done_at_kill = completed(&pool).await;
    sender.await.expect("every event sent");
    let restarted = start_replica(&db.url, &deliver);
    restarted.ready(&http).await;
    replicas.push(restarted);

    let all_done = baton_tests::poll(Duration::from_secs(300), async || {
        (completed(&pool).await == jobs).then_some(())
    })
    .await;
    assert!(
        all_done.is_some(),
        "every job completes; by status: {:?}; replicas' logs:\n{}",
        by_status(&pool).await,
        logs(&replicas)
    );
    let ran_for = started.elapsed();
    until(
        "every effect delivered",
        Duration::from_secs(120),
        async || {
            count(
                &pool,
                "SELECT COUNT(*) FROM outbox WHERE status = 'delivered'",
            )
            .await
                == jobs * STEPS
        },
    )
    .await;
    let delivered_for = started.elapsed();
    // A late duplicate, if there were one, would arrive now.
    let hits = peer.hits();
    stays(
        "no delivery after the outbox is drained",
        Duration::from_millis(500),
        async || peer.hits() == hits,
    )
    .await;

    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM sequence_jobs WHERE event_type = 'replica_test'"
        )
        .await,
        jobs,
        "one job per event"
    );
    until(
        "each meeting's pre-meeting job to complete",
        Duration::from_secs(30),
        async || {
            count(
                &pool,
                "SELECT COUNT(*) FROM sequence_jobs WHERE event_type = 'pre_meeting_90min' AND status = 'completed'",
            )
            .await
                == MEETINGS
        },
    )
    .await;
    assert_eq!(
        (
            count(
                &pool,
                "SELECT COUNT(*) FROM sequence_jobs WHERE event_type = 'pre_meeting_90min'"
            )
            .await,
            count(
                &pool,
                "SELECT COUNT(*) FROM schedule_fires WHERE event_type = 'pre_meeting_90min'"
            )
            .await,
        ),
        (MEETINGS, MEETINGS),
        "each meeting's pre-meeting event fired once across the three schedulers"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM (SELECT job_id, step_index FROM step_runs WHERE status = 'completed'
                 GROUP BY job_id, step_index HAVING COUNT(*) > 1) AS twice",
        )
        .await,
        0,
        "no step has two completed runs"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM step_runs r JOIN sequence_jobs j ON j.id = r.job_id
             WHERE j.event_type = 'replica_test' AND r.status = 'completed'"
        )
        .await,
        jobs * STEPS,
        "every step of every job completed once"
    );
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM outbox").await,
        jobs * STEPS,
        "one outbox row per step's effect"
    );
    let received = keys(&peer);
    let mut per_key: BTreeMap<&str, usize> = BTreeMap::new();
    for k in &received {
        *per_key.entry(k.as_str()).or_default() += 1;
    }
    let duplicates: Vec<_> = per_key.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(
        per_key.len() as i64,
        jobs * STEPS,
        "every effect reached the receiver"
    );
    eprintln!(
        "replicas: {jobs} sequences ({} steps) on 3 replicas, one SIGKILLed at {done_at_kill} completed and restarted: \
         all completed in {:.1} s ({:.1} jobs/s), all delivered in {:.1} s; {orphaned} jobs in flight on the killed \
         replica re-run from their last checkpoint; {} requests, {} keys received twice",
        jobs * STEPS,
        ran_for.as_secs_f64(),
        jobs as f64 / ran_for.as_secs_f64(),
        delivered_for.as_secs_f64(),
        received.len(),
        duplicates.len(),
    );
    // Delivery is at least once per key: the one request a replica may have
    // had on the wire when it was killed (sent, not yet marked delivered)
    // is sent again. Nothing else may be.
    assert!(
        duplicates.len() <= 1,
        "only the delivery in flight at the kill may repeat: {duplicates:?}"
    );
    drop(replicas);
    pool.close().await;
    db.finish().await;
}
