//! A decision resumes its job at once, whichever way it came: the HTTP API,
//! the web inbox, a Slack button or `baton approvals decide`. The service
//! here polls for work once a minute, so a job that waited for the poll
//! would not finish within `wait_job`'s 20 s.

use baton::orchestrator::Config;
use baton_tests::server::{FOLLOW_UP, Server, Setup, T0, env, start};
use baton_tests::{Backend, TestDb, backend_test, baton, guest, service_test};
use serde_json::{Value, json};

const SLACK_SECRET: &str = "slack-test-secret";

/// The default test service, polling for work once a minute.
fn slow_poll() -> Setup<'static> {
    let mut config = Config::default();
    config.runner.undo_window_ms = 0;
    config.runner.poll_ms = 60_000;
    Setup {
        config,
        env: env(&[("BATON_SLACK_SIGNING_SECRET", SLACK_SECRET)]),
        ..Setup::default()
    }
}

/// Start a follow-up job and return it with its open gate's id.
async fn gated_job(s: &Server, meeting: &str) -> (String, String) {
    let (status, accepted) = s.event(meeting).await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let gate = s.open_gate(&job).await;
    (job, gate["id"].as_str().expect("gate id").to_owned())
}

/// The job ran past its gate to the end, and the approved email is queued.
async fn resumed(s: &Server, job: &str) {
    let done = s.wait_job(job, |j| j["status"] == "completed").await;
    assert_eq!(done["approvals"][0]["status"], "decided", "{done:#}");
    assert_eq!(
        done["effects"][0]["kind"], "email_send",
        "the approved email is in the outbox: {done:#}"
    );
}

service_test!(an_api_decision_resumes_at_once, slow_poll(), api_body);

async fn api_body(s: &Server) {
    let (job, gate) = gated_job(s, "m-api").await;
    let (status, body) = s
        .post(
            &format!("/v1/approvals/{gate}/decision"),
            json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(status, 200, "{body:#}");
    resumed(s, &job).await;
}

service_test!(an_inbox_decision_resumes_at_once, slow_poll(), inbox_body);

async fn inbox_body(s: &Server) {
    let (job, gate) = gated_job(s, "m-inbox").await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cookie = s.inbox_login(&s.token).await;
    let decided = http
        .post(s.url(&format!("/inbox/approvals/{gate}")))
        .header("cookie", cookie)
        .form(&[("decision", "approve")])
        .send()
        .await
        .expect("decide");
    assert_eq!(decided.status().as_u16(), 303, "back to the job page");
    resumed(s, &job).await;
}

service_test!(a_slack_decision_resumes_at_once, slow_poll(), slack_body);

async fn slack_body(s: &Server) {
    s.map_slack_user("U1").await;
    let (job, gate) = gated_job(s, "m-slack").await;
    let payload = json!({ "type": "block_actions", "user": { "id": "U1", "username": "jordan" },
        "actions": [{ "action_id": "baton.approve", "value": format!("{}:{gate}:approve", s.org.0),
                      "type": "button" }] });
    assert_eq!(s.slack_interaction(SLACK_SECRET, T0, &payload).await, 200);
    resumed(s, &job).await;
}

// `baton approvals decide` is another process: no worker there waits to be
// woken, so it runs the job on itself, and the service sees it finished.
backend_test!(a_cli_decision_resumes_at_once, cli_decision);

async fn cli_decision(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = start(db.store.clone(), slow_poll()).await;
    let (job, gate) = gated_job(&s, "m-cli").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (sequences, skills) = (dir.path().join("sequences"), dir.path().join("skills"));
    std::fs::create_dir_all(&sequences).expect("sequences dir");
    std::fs::create_dir_all(&skills).expect("skills dir");
    std::fs::write(sequences.join("follow_up.toml"), FOLLOW_UP).expect("sequence");
    std::fs::copy(guest("scripted"), skills.join("scripted.wasm")).expect("guest");
    let run = baton([
        "approvals",
        "decide",
        &gate,
        "--approve",
        "--json",
        "--database",
        &db.url,
        "--sequences",
        &sequences.display().to_string(),
        "--skills",
        &skills.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let out: Value = run.json();
    assert_eq!(out["job_status"], "completed", "{out:#}");
    resumed(&s, &job).await;
    // Without the job's skills here, the decision is recorded and left to
    // a worker that has them, and the CLI says so.
    let (other, gate) = gated_job(&s, "m-cli-2").await;
    std::fs::remove_file(skills.join("scripted.wasm")).expect("remove guest");
    let run = baton([
        "approvals",
        "decide",
        &gate,
        "--approve",
        "--database",
        &db.url,
        "--sequences",
        &sequences.display().to_string(),
        "--skills",
        &skills.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains("not installed here: scripted"),
        "{run:#?}"
    );
    let (_, waiting) = s.get(&format!("/v1/jobs/{other}")).await;
    assert_ne!(waiting["status"], "completed", "{waiting:#}");
    s.stop().await;
    db.finish().await;
}
