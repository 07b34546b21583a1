//! Faults, against a running `baton serve` and real peers on loopback:
//! Slack answering 429 and 500, an SMTP relay down then back, an LLM that
//! accepts and stalls, and (Postgres) the database gone for ten seconds.
//! Each is retried with backoff, nothing is lost and nothing goes out
//! twice, and while something waits the API and the inbox say why. (The
//! send cap under concurrent approvals is `probe::approvals`.)
//!
//! Waits the service takes itself (a `Retry-After` of 1 s, the backoff
//! between 500s) run in real time and are printed; waits kept in the
//! outbox or a step's retry run on the manual clock, which the test moves.

use baton::store::JobId;
use baton_tests::server::{FOLLOW_UP, Server, Setup, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, SmtpSink, TestDb, backend_test, free_port, is_problem,
    poll, stays, until,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A meeting ends; a summary goes to the rep's Slack (inform-only, so it
/// goes to the outbox at once).
const SUMMARY: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "summary"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Call summary", payload = { channel = "D123", title = "Call summary", text = "Pricing agreed." } }] }
"#;

fn slack_ok() -> Answer {
    Answer::json(json!({ "ok": true, "channel": "D123", "ts": "1700000000.000100" }))
}

fn slack_env(slack: &HttpPeer) -> Vec<(String, String)> {
    env(&[
        ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
        (
            "BATON_SLACK_API_URL",
            &format!("http://127.0.0.1:{}/api", slack.port),
        ),
    ])
}

/// The first effect of `job`, as the API shows it.
async fn effect(s: &Server, job: &str) -> Value {
    let (status, view) = s.get(&format!("/v1/jobs/{job}")).await;
    assert_eq!(status, 200, "{view:#}");
    view["effects"][0].clone()
}

/// Wait until the first effect of `job` satisfies `check`.
async fn wait_effect(s: &Server, job: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    match poll(PATIENCE, async || {
        let e = effect(s, job).await;
        check(&e).then_some(e)
    })
    .await
    {
        Some(e) => e,
        None => panic!("{what}: {:#}", effect(s, job).await),
    }
}

/// The inbox's front page, signed in with the org's token.
async fn inbox_home(s: &Server) -> String {
    let cookie = s.inbox_login(&s.token).await;
    s.http
        .get(s.url("/inbox"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("inbox")
        .text()
        .await
        .expect("inbox page")
}

/// Gaps between consecutive requests, in ms.
fn gaps(times: &[Instant]) -> Vec<u128> {
    times
        .windows(2)
        .map(|w| (w[1] - w[0]).as_millis())
        .collect()
}

/// How many times the audit trail says `action` happened.
async fn audited(s: &Server, kind: &str) -> usize {
    s.app
        .store()
        .audit_log(&s.org, 1000)
        .await
        .expect("audit")
        .iter()
        .filter(|a| a.kind == kind)
        .count()
}

/// How many requests `peer` took for the Slack method `method`.
fn calls(peer: &HttpPeer, method: &str) -> usize {
    peer.requests()
        .iter()
        .filter(|r| r.lines().next().is_some_and(|l| l.contains(method)))
        .count()
}

backend_test!(
    slack_429_and_500_are_retried_with_backoff_and_the_summary_goes_once,
    slack_429_and_500_body
);

async fn slack_429_and_500_body(backend: Backend) {
    // 429 (wait 1 s), then 500 three times: the send's own retries run
    // out, the effect waits in the outbox with the reason, and goes on the
    // next attempt.
    let slack = HttpPeer::answering(
        vec![
            Answer::new(429, "slow down").header("retry-after", "1"),
            Answer::new(500, "oops"),
            Answer::new(500, "oops"),
            Answer::new(500, "oops"),
        ],
        slack_ok(),
    );
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[SUMMARY],
            env: slack_env(&slack),
            ..Setup::default()
        },
    )
    .await;
    let (status, accepted) = s.event("m-1").await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let waiting = wait_effect(&s, &job, "the effect waits with a reason", |e| {
        e["status"] == "pending" && e["last_error"].is_string()
    })
    .await;
    assert_eq!(slack.hits(), 4, "429, then three 500s in one send");
    let reason = waiting["last_error"].as_str().unwrap_or("");
    assert!(reason.contains("Slack answered 500"), "{waiting:#}");
    let gap = gaps(&slack.times());
    println!("slack: gaps between attempts within one send (ms): {gap:?}");
    assert!(
        gap[0] >= 1000,
        "Retry-After: 1 is honoured before the next attempt: {gap:?}"
    );
    let page = inbox_home(&s).await;
    assert!(
        page.contains("id=\"waiting\"") && page.contains("Slack answered 500"),
        "the inbox shows the waiting summary and why: {page}"
    );
    // In a rep's words (words.rs), not the action's kind.
    assert!(page.contains("Slack message</a> — trying again"), "{page}");
    let retry_in = waiting["not_before"].as_i64().unwrap_or(0) - s.app.now();
    println!("slack: next outbox attempt in {retry_in} ms (manual clock)");
    stays(
        "not retried before its time",
        Duration::from_millis(300),
        async || slack.hits() == 4,
    )
    .await;
    s.clock.advance(retry_in);
    wait_effect(&s, &job, "delivered on the next attempt", |e| {
        e["status"] == "delivered"
    })
    .await;
    // The retry looks in the channel first (the last attempt may have
    // posted), finds nothing, and posts.
    stays("posted once", Duration::from_millis(500), async || {
        calls(&slack, "chat.postMessage") == 5 && calls(&slack, "conversations.history") == 1
    })
    .await;
    assert_eq!(audited(&s, "slack_posted").await, 1, "posted once");
    assert!(
        !inbox_home(&s).await.contains("Slack answered 500"),
        "nothing waits any more"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_long_retry_after_waits_in_the_outbox_and_says_why,
    a_long_retry_after_body
);

async fn a_long_retry_after_body(backend: Backend) {
    // Two minutes is longer than a send waits itself: the effect goes back
    // to the outbox until then, and not a moment before.
    let slack = HttpPeer::answering(
        vec![Answer::new(429, "slow down").header("retry-after", "120")],
        slack_ok(),
    );
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[SUMMARY],
            env: slack_env(&slack),
            ..Setup::default()
        },
    )
    .await;
    let (_, accepted) = s.event("m-1").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let waiting = wait_effect(&s, &job, "rate limited, waiting", |e| {
        e["status"] == "pending" && e["last_error"].is_string()
    })
    .await;
    assert_eq!(
        waiting["last_error"], "rate limited; retry in 120000 ms",
        "{waiting:#}"
    );
    let retry_in = waiting["not_before"].as_i64().unwrap_or(0) - s.app.now();
    assert!(retry_in >= 120_000, "Retry-After holds: {retry_in} ms");
    assert!(
        inbox_home(&s)
            .await
            .contains("rate limited; retry in 120000 ms")
    );
    s.clock.advance(60_000);
    stays(
        "a minute in, still waiting",
        Duration::from_millis(300),
        async || slack.hits() == 1,
    )
    .await;
    s.clock.advance(retry_in - 60_000);
    wait_effect(&s, &job, "delivered after Retry-After", |e| {
        e["status"] == "delivered"
    })
    .await;
    stays("posted once", Duration::from_millis(300), async || {
        calls(&slack, "chat.postMessage") == 2 && calls(&slack, "conversations.history") == 1
    })
    .await;
    println!("slack: a Retry-After of 120 s waited {retry_in} ms in the outbox (manual clock)");
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_retry_after_past_the_delivery_lease_goes_back_to_the_outbox_and_posts_once,
    a_retry_after_past_the_lease_body
);

async fn a_retry_after_past_the_lease_body(backend: Backend) {
    // A Retry-After a send would once have slept on (5 s, under its own
    // 30 s cap) outlasts this outbox's 4 s lease, after which another
    // replica may claim the effect: it goes back to the outbox instead,
    // and the post goes once, when its time comes.
    let slack = HttpPeer::answering(
        vec![Answer::new(429, "slow down").header("retry-after", "5")],
        slack_ok(),
    );
    let db = TestDb::new(backend).await;
    let mut config = Setup::default().config;
    config.runner.lease_ms = 4_000;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[SUMMARY],
            env: slack_env(&slack),
            config,
            ..Setup::default()
        },
    )
    .await;
    let (_, accepted) = s.event("m-1").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let first = Instant::now();
    let waiting = wait_effect(&s, &job, "rate limited, back in the outbox", |e| {
        e["status"] == "pending" && e["last_error"].is_string()
    })
    .await;
    let returned = first.elapsed();
    assert_eq!(
        waiting["last_error"], "rate limited; retry in 5000 ms",
        "{waiting:#}"
    );
    assert!(
        returned < Duration::from_secs(4),
        "given back within the lease, not slept on: {returned:?}"
    );
    assert_eq!(slack.hits(), 1, "one attempt, no retry inside the send");
    let retry_in = waiting["not_before"].as_i64().unwrap_or(0) - s.app.now();
    assert!(retry_in >= 5_000, "Retry-After holds: {retry_in} ms");
    s.clock.advance(retry_in);
    wait_effect(&s, &job, "delivered after Retry-After", |e| {
        e["status"] == "delivered"
    })
    .await;
    stays("posted once", Duration::from_millis(300), async || {
        calls(&slack, "chat.postMessage") == 2 && calls(&slack, "conversations.history") == 1
    })
    .await;
    assert_eq!(audited(&s, "slack_posted").await, 1, "posted once");
    println!(
        "slack: a Retry-After of 5 s past a 4 s lease went back to the outbox in {returned:?}"
    );
    s.stop().await;
    db.finish().await;
}

backend_test!(
    an_email_waits_for_the_smtp_relay_to_come_back_and_goes_once,
    smtp_down_then_back_body
);

async fn smtp_down_then_back_body(backend: Backend) {
    let port = free_port();
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[FOLLOW_UP],
            env: env(&[("BATON_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]),
            ..Setup::default()
        },
    )
    .await;
    let (_, accepted) = s.event("m-1").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    let (status, body) = s
        .post(
            &format!(
                "/v1/approvals/{}/decision",
                gate["id"].as_str().expect("id")
            ),
            json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    let mut waits = Vec::new();
    let mut attempts = 0;
    // Two attempts against a closed port, each backing off further.
    for _ in 0..2 {
        let e = wait_effect(&s, &job, "the email waits for the relay", |e| {
            e["status"] == "pending" && e["attempts"].as_i64().unwrap_or(0) > attempts
        })
        .await;
        attempts = e["attempts"].as_i64().unwrap_or(0);
        let reason = e["last_error"].as_str().unwrap_or("");
        assert!(reason.contains("SMTP delivery failed"), "{e:#}");
        let wait = e["not_before"].as_i64().unwrap_or(0) - s.app.now();
        waits.push(wait);
        let page = inbox_home(&s).await;
        assert!(
            page.contains("Email to")
                && page.contains("trying again")
                && page.contains("SMTP delivery failed"),
            "the inbox shows the waiting email and why: {page}"
        );
        if waits.len() == 1 {
            s.clock.advance(wait);
        }
    }
    assert!(waits[1] > waits[0], "the backoff grows: {waits:?}");
    println!("smtp: outbox waits after each failed attempt (ms, manual clock): {waits:?}");
    let smtp = SmtpSink::start_on(port);
    s.clock.advance(waits[1]);
    wait_effect(&s, &job, "delivered once the relay is back", |e| {
        e["status"] == "delivered"
    })
    .await;
    stays("sent once", Duration::from_millis(500), async || {
        smtp.messages().len() == 1
    })
    .await;
    assert_eq!(audited(&s, "email_sent").await, 1);
    s.stop().await;
    db.finish().await;
}

backend_test!(
    a_stalled_llm_times_out_the_step_which_retries_and_completes,
    stalled_llm_body
);

async fn stalled_llm_body(backend: Backend) {
    const ASK: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"
[[step]]
name = "ask"
skill = "scripted"
on_failure = "retry"
max_attempts = 3
backoff_ms = 5000
params = { llm = "Summarise the call" }
"#;
    let llm = HttpPeer::answering(
        vec![Answer::stall(Duration::from_secs(30))],
        Answer::json(json!({
            "choices": [{ "message": { "role": "assistant", "content": "A short summary." } }],
            "usage": { "prompt_tokens": 10, "completion_tokens": 5 } })),
    );
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[ASK],
            env: env(&[
                (
                    "BATON_LLM_URL",
                    &format!("http://127.0.0.1:{}/v1", llm.port),
                ),
                ("BATON_LLM_TIMEOUT_MS", "700"),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let started = Instant::now();
    let (_, accepted) = s.event("m-1").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let retrying = s
        .wait_job(&job, |j| j["steps"]["ask"]["status"] == "retrying")
        .await;
    println!(
        "llm: the stalled call failed the step after {} ms (timeout 700 ms)",
        started.elapsed().as_millis()
    );
    let reason = retrying["steps"]["ask"]["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("did not answer within 700 ms"),
        "{retrying:#}"
    );
    let backoff = retrying["scheduled_at"].as_i64().unwrap_or(0) - s.app.now();
    assert_eq!(backoff, 5000, "retried after the step's backoff");
    let page = inbox_home(&s).await;
    assert!(
        page.contains("Meeting follow-up</a> — trying again")
            && page.contains("did not answer within 700 ms"),
        "the inbox shows the retrying step and why: {page}"
    );
    assert_eq!(llm.hits(), 1);
    s.clock.advance(backoff);
    let done = s.wait_job(&job, |j| j["status"] == "completed").await;
    assert_eq!(done["steps"]["ask"]["attempts"], 2, "{done:#}");
    assert_eq!(s.step_data(&job, "ask").await["llm"], "A short summary.");
    assert_eq!(llm.hits(), 2);
    s.stop().await;
    db.finish().await;
}

/// A TCP proxy on loopback between the service and Postgres that can be
/// cut: every open connection closed, new ones refused, until restored.
mod proxy {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use tokio::net::{TcpListener, TcpStream};

    pub(super) struct Proxy {
        pub port: u16,
        cut: Arc<AtomicBool>,
        live: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
        accept: tokio::task::JoinHandle<()>,
    }

    impl Proxy {
        /// Forward a loopback port to `upstream` (`host:port`).
        pub(super) async fn start(upstream: String) -> Proxy {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let port = listener.local_addr().expect("addr").port();
            let cut = Arc::new(AtomicBool::new(false));
            let live = Arc::new(Mutex::new(Vec::new()));
            let (is_cut, tasks) = (cut.clone(), live.clone());
            let accept = tokio::spawn(async move {
                loop {
                    let Ok((mut inbound, _)) = listener.accept().await else {
                        continue;
                    };
                    if is_cut.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let upstream = upstream.clone();
                    let task = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    if let Ok(mut t) = tasks.lock() {
                        t.push(task.abort_handle());
                    }
                }
            });
            Proxy {
                port,
                cut,
                live,
                accept,
            }
        }

        /// Close every connection and refuse new ones.
        pub(super) fn cut(&self) {
            self.cut.store(true, Ordering::SeqCst);
            if let Ok(mut t) = self.live.lock() {
                for task in t.drain(..) {
                    task.abort();
                }
            }
        }

        /// Let connections through again.
        pub(super) fn restore(&self) {
            self.cut.store(false, Ordering::SeqCst);
        }
    }

    impl Drop for Proxy {
        fn drop(&mut self) {
            self.accept.abort();
            self.cut();
        }
    }
}

/// A new Postgres database, a proxy in front of it, and a store that
/// talks to it through the proxy.
async fn behind_a_proxy() -> (TestDb, proxy::Proxy, baton::store::Store) {
    let db = TestDb::postgres().await;
    let (head, name) = db.url.rsplit_once('/').expect("a database URL");
    let upstream = head.rsplit_once('@').map_or(head, |(_, h)| h).to_owned();
    let proxy = proxy::Proxy::start(upstream.clone()).await;
    let through = format!(
        "{}/{name}",
        head.replace(&upstream, &format!("127.0.0.1:{}", proxy.port))
    );
    let store = baton::store::open(&through)
        .await
        .expect("open through the proxy");
    (db, proxy, store)
}

/// How long the database is gone.
const OUTAGE: Duration = Duration::from_secs(10);

/// Postgres only: SQLite is a file in the service's own process, it cannot
/// go away over the network.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_gone_for_ten_seconds_loses_nothing_and_sends_nothing_twice() {
    let slack = HttpPeer::answering(vec![], slack_ok());
    let (db, proxy, store) = behind_a_proxy().await;
    const SLOW: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
name = "think"
skill = "scripted"
params = { sleep_ms = 1500 }

[[step]]
name = "summary"
skill = "scripted"
params = { actions = [{ kind = "slack_post", preview = "Call summary", payload = { channel = "D123", title = "Call summary", text = "Pricing agreed." } }] }
"#;
    let s = start(
        store.clone(),
        Setup {
            sequences: &[SLOW],
            env: slack_env(&slack),
            ..Setup::default()
        },
    )
    .await;
    let mut jobs = Vec::new();
    let (status, before) = s.event("m-before").await;
    assert_eq!(status, 202, "{before:#}");
    jobs.push(before["job_id"].as_str().expect("job").to_owned());
    // Cut while its first step runs.
    s.wait_job(&jobs[0], |j| j["status"] == "running").await;
    let cut_at = Instant::now();
    proxy.cut();
    let ready = s.url("/readyz");
    until("/readyz says not ready", PATIENCE, async || {
        s.http
            .get(&ready)
            .send()
            .await
            .is_ok_and(|r| r.status() == 503)
    })
    .await;
    let not_ready_after = cut_at.elapsed();
    // Events keep coming during the outage, one every 500 ms.
    let mut posted = tokio::task::JoinSet::new();
    let (mut n, mut probes, mut probes_503) = (0, 0, 0);
    while cut_at.elapsed() < OUTAGE {
        let (http, url, token) = (s.http.clone(), s.url("/v1/events"), s.token.clone());
        let meeting = format!("m-during-{n}");
        n += 1;
        posted.spawn(async move {
            let sent = Instant::now();
            let r = http
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "type": "meeting_ended", "user": "rep1", "payload": { "meeting_id": meeting } }))
                .send()
                .await
                .expect("post");
            let status = r.status().as_u16();
            let retry_after = r.headers().contains_key("retry-after");
            let body = r.json::<Value>().await.unwrap_or(Value::Null);
            (meeting, status, body, retry_after, sent.elapsed())
        });
        probes += 1;
        let r = s.http.get(&ready).send().await.expect("readyz");
        probes_503 += usize::from(r.status() == 503);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    proxy.restore();
    let outage = cut_at.elapsed();
    until("/readyz says ready again", PATIENCE, async || {
        s.http
            .get(&ready)
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    })
    .await;
    let ready_after = cut_at.elapsed() - outage;
    let cut_off = s.get(&format!("/v1/jobs/{}", jobs[0])).await.1;
    let (mut accepted, mut refused) = (0, 0);
    let mut again = Vec::new();
    let mut slowest = Duration::ZERO;
    while let Some(done) = posted.join_next().await {
        let (meeting, status, body, retry_after, took) = done.expect("task");
        slowest = slowest.max(took);
        match status {
            202 => {
                accepted += 1;
                jobs.push(body["job_id"].as_str().expect("job").to_owned());
            }
            503 => {
                is_problem(status, &body, 503);
                assert!(retry_after, "a 503 says when to retry: {body:#}");
                refused += 1;
                again.push(meeting);
            }
            other => panic!("an event during the outage got {other}: {body:#}"),
        }
    }
    // What was refused is sent again, as a client would.
    for meeting in &again {
        let (status, body) = s.event(meeting).await;
        assert_eq!(status, 202, "{body:#}");
        jobs.push(body["job_id"].as_str().expect("job").to_owned());
    }
    // The run cut off mid-step kept its work and goes on by itself (the
    // manual clock stays put: no lease has to expire).
    for job in &jobs {
        s.wait_job(job, |j| j["status"] == "completed").await;
    }
    let posts = || {
        slack
            .requests()
            .iter()
            .filter(|r| r.contains("chat.postMessage"))
            .count()
    };
    until("every summary posted", PATIENCE, async || {
        posts() >= jobs.len()
    })
    .await;
    stays(
        "each summary posted once",
        Duration::from_millis(500),
        async || posts() == jobs.len(),
    )
    .await;
    let delivered = s
        .app
        .store()
        .effects(&s.org, None, 1000)
        .await
        .expect("effects");
    assert_eq!(delivered.len(), jobs.len(), "one effect per job");
    assert!(delivered.iter().all(|e| e.status.as_str() == "delivered"));
    let think_runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(jobs[0].as_str()))
        .await
        .expect("runs")
        .iter()
        .filter(|r| r.step_name == "think")
        .count();
    assert_eq!(
        think_runs, 1,
        "the step that ran during the outage is not run again"
    );
    println!(
        "database outage: {} ms; /readyz 503 after {} ms ({probes_503}/{probes} probes 503 while cut), 200 again {} ms after restore; \
         events during the outage: {accepted} accepted, {refused} refused with 503, slowest answer {} ms (sent again: all accepted); \
         the job cut mid-step was {} at the restore and ran that step {think_runs} time(s); {} summaries, each posted once",
        outage.as_millis(),
        not_ready_after.as_millis(),
        ready_after.as_millis(),
        slowest.as_millis(),
        cut_off["status"],
        jobs.len(),
    );
    s.stop().await;
    store.close().await;
    drop(proxy);
    db.finish().await;
}

/// Postgres only (see above). Slack takes 1.5 s to answer; the database
/// goes away meanwhile, so the post succeeds while its audit row and its
/// outcome cannot be written. They are written once the database is back:
/// the post is not taken for a failure and not sent again, even after its
/// delivery lease has run out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_summary_posted_while_the_database_is_gone_is_not_posted_again() {
    let slack = HttpPeer::answering(
        vec![slack_ok().after(Duration::from_millis(1500))],
        slack_ok(),
    );
    let (db, proxy, store) = behind_a_proxy().await;
    let s = start(
        store.clone(),
        Setup {
            sequences: &[SUMMARY],
            env: slack_env(&slack),
            ..Setup::default()
        },
    )
    .await;
    let (_, accepted) = s.event("m-1").await;
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    until("the post reaches Slack", PATIENCE, async || {
        slack.hits() == 1
    })
    .await;
    let cut_at = Instant::now();
    proxy.cut();
    // Gone until well after Slack has answered.
    tokio::time::sleep(Duration::from_secs(4)).await;
    proxy.restore();
    let outage = cut_at.elapsed();
    let delivered = wait_effect(&s, &job, "recorded as delivered", |e| {
        e["status"] == "delivered"
    })
    .await;
    let recorded_after = cut_at.elapsed() - outage;
    // Past the delivery lease: an effect left `delivering` would go again.
    s.clock.advance(61_000);
    stays("posted once", Duration::from_millis(500), async || {
        slack.hits() == 1
    })
    .await;
    assert_eq!(delivered["attempts"], 1, "{delivered:#}");
    assert_eq!(audited(&s, "slack_posted").await, 1, "audited once");
    println!(
        "database outage during a Slack post: {} ms; recorded delivered {} ms after the restore; 1 post",
        outage.as_millis(),
        recorded_after.as_millis()
    );
    s.stop().await;
    store.close().await;
    drop(proxy);
    db.finish().await;
}

/// Postgres only. The errors a restarting or overloaded Postgres gives (a
/// connection terminated by the administrator, 57P01; the class 08
/// connection errors; too many connections) are passing: whatever meets
/// one (a checkpoint, a delivery's outcome, an API call) tries again or
/// answers 503, never fails a job for good or answers 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_terminated_by_postgres_is_a_passing_error() {
    use sqlx::Connection;
    let db = TestDb::postgres().await;
    let mut victim = sqlx::PgConnection::connect(&db.url).await.expect("connect");
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut victim)
        .await
        .expect("pid");
    let mut admin = sqlx::PgConnection::connect(&db.url).await.expect("connect");
    let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&mut admin)
        .await
        .expect("terminate");
    assert!(ended);
    let e = sqlx::query("SELECT 1")
        .execute(&mut victim)
        .await
        .expect_err("a terminated connection fails");
    let code = e
        .as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned());
    let verdict = baton::store::StoreError::Database(e).verdict();
    println!("a terminated connection: code {code:?}, verdict {verdict:?}");
    assert_eq!(verdict, baton::verdict::Verdict::Retry, "code {code:?}");
    drop(admin);
    db.finish().await;
}
