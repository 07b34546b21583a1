//! Sequences laid out from their skills' declared data flow, planned
//! without running, and steps that fall back to another skill, through
//! `baton serve` on both backends:
//!
//! - the shipped `meeting_ended` runs in three stages (two side by side,
//!   two side by side, then the five deliveries), and `POST
//!   /v1/sequences/meeting_ended/plan` shows them, the gates a person
//!   meets, and estimates from the recorded runs once a call has run; an
//!   unknown sequence is 404, a payload off its schema or not JSON 422;
//! - a step that fails for good runs its `on_failure` fallback with the
//!   same inputs, and the job's timeline shows both runs;
//! - a cycle and a missing producer refuse `baton serve`'s start, naming
//!   the steps (`baton sequences --skills`).

use crate::meeting_ended::{crm, post_demo_call, serve_chain, slack_peer};
use baton::orchestrator::Config;
use baton::store::{JobId, StepRunStatus};
use baton_tests::server::{Server, Setup};
use baton_tests::{Backend, TestDb, backend_test, baton, is_problem, root, service_test};
use serde_json::{Value, json};

backend_test!(
    the_meeting_chain_runs_and_plans_by_its_data_flow,
    the_meeting_chain_runs_and_plans_by_its_data_flow_body
);

/// The names of a plan's steps, stage by stage.
fn stages(plan: &Value) -> Vec<Vec<String>> {
    plan["stages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|st| {
            st.as_array()
                .into_iter()
                .flatten()
                .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
}

async fn the_meeting_chain_runs_and_plans_by_its_data_flow_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let slack = slack_peer();
    let s = serve_chain(&db, &slack, &[]).await;
    crm(&s).await;
    let payload: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/events/meeting_ended.json")).expect("demo"),
    )
    .expect("JSON");

    // Before any run: the layout, the gates, and no history.
    let (status, plan) = s
        .post("/v1/sequences/meeting_ended/plan", payload.clone())
        .await;
    assert_eq!(status, 200, "{plan:#}");
    assert_eq!(plan["order"], "flow");
    assert_eq!(
        stages(&plan),
        vec![
            vec!["extract-action-items", "detect-intents"],
            vec!["suggest-next-actions", "coaching-analysis"],
            vec![
                "draft-followup-email",
                "update-crm-from-meeting",
                "create-tasks-from-actions",
                "notify-slack-summary",
                "notify-coaching-feedback",
            ],
        ]
    );
    let text = plan["text"].as_str().unwrap_or_default();
    assert!(
        text.contains(
            "gates a person meets: draft-followup-email (confirm), create-tasks-from-actions (batch)"
        ),
        "{text}"
    );
    assert!(
        text.contains("after extract-action-items: reads `meeting.action_items`"),
        "{text}"
    );
    assert_eq!(plan["estimate"]["steps_without_history"], 9, "{plan:#}");

    // The chain runs as laid out: the first stage's two runs start together
    // (one checkpoint), before the second stage's.
    let (job, parked) = post_demo_call(&s).await;
    let runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(job.as_str()))
        .await
        .expect("runs");
    let started = |step: &str| {
        runs.iter()
            .find(|r| r.step_name == step)
            .map(|r| r.started_at)
            .unwrap_or_else(|| panic!("{step} did not run: {parked:#}"))
    };
    assert_eq!(
        started("extract-action-items"),
        started("detect-intents"),
        "side by side"
    );
    assert!(started("suggest-next-actions") >= started("detect-intents"));
    let order: Vec<i64> = [
        "extract-action-items",
        "detect-intents",
        "suggest-next-actions",
        "coaching-analysis",
        "draft-followup-email",
    ]
    .iter()
    .map(|n| {
        runs.iter()
            .find(|r| r.step_name == *n)
            .map_or(-1, |r| r.step_index)
    })
    .collect();
    assert_eq!(order, vec![0, 1, 2, 3, 4], "steps are held in stage order");
    assert!(
        runs.iter().all(|r| r.status != StepRunStatus::Failed),
        "{runs:#?}"
    );

    // Now with history: the estimate reads the recorded runs.
    let (status, plan) = s.post("/v1/sequences/meeting_ended/plan", payload).await;
    assert_eq!(status, 200, "{plan:#}");
    assert_eq!(plan["stages"][0][0]["estimate"]["runs"], 1, "{plan:#}");
    assert!(
        plan["estimate"]["fuel"]["p50"].as_i64().unwrap_or(0) > 0,
        "{plan:#}"
    );

    // Mistakes are 4xx, and nothing is written.
    let jobs_before = s.get("/v1/jobs").await.1.as_array().map_or(0, Vec::len);
    let (status, body) = s.post("/v1/sequences/no_such_event/plan", json!({})).await;
    is_problem(status, &body, 404);
    let not_json = s
        .http
        .post(s.url("/v1/sequences/meeting_ended/plan"))
        .bearer_auth(&s.token)
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(not_json.status().as_u16(), 422);
    let jobs_after = s.get("/v1/jobs").await.1.as_array().map_or(0, Vec::len);
    assert_eq!(jobs_before, jobs_after, "a plan creates no job");
    s.stop().await;
    db.finish().await;
}

/// `panic` traps on every call; its fallback, `scripted`, echoes what it saw.
const FALLS_BACK: &str = r#"
event = "tick"
order = "flow"

[[step]]
name = "first"
skill = "scripted"

[[step]]
name = "risky"
skill = "panic"
after = ["first"]
on_failure = { fallback = "scripted" }

[[step]]
name = "last"
skill = "scripted"
after = ["risky"]
"#;

service_test!(
    a_step_that_fails_for_good_falls_back_to_another_skill,
    Setup {
        sequences: &[FALLS_BACK],
        guests: &["panic"],
        ..Setup::default()
    },
    a_step_that_fails_for_good_falls_back_to_another_skill_body
);

async fn a_step_that_fails_for_good_falls_back_to_another_skill_body(s: &Server) {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "tick", "user": "rep1", "payload": { "n": 1 } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted:#}");
    let job = accepted["job_id"].as_str().expect("job").to_owned();
    let done = s
        .wait_job(&job, |j| {
            j["status"] == "completed" || j["status"] == "failed"
        })
        .await;
    assert_eq!(done["status"], "completed", "{done:#}");
    let runs = s
        .app
        .store()
        .step_runs(&s.org, &JobId::from(job.as_str()))
        .await
        .expect("runs");
    let risky: Vec<(String, StepRunStatus)> = runs
        .iter()
        .filter(|r| r.step_name == "risky")
        .map(|r| (r.skill_name.clone(), r.status))
        .collect();
    assert_eq!(
        risky,
        vec![
            ("panic".to_owned(), StepRunStatus::Failed),
            ("scripted".to_owned(), StepRunStatus::Completed),
        ],
        "the primary's failed run, then the fallback's: {runs:#?}"
    );
    // The fallback had the same inputs: the event and the earlier step.
    let data = s.step_data(&job, "risky").await;
    assert_eq!(data["payload"]["n"], 1, "{data:#}");
    assert!(data.to_string().contains("first"), "{data:#}");
    // And the step after it ran on.
    s.step_data(&job, "last").await;
    // The timeline says why.
    let failed = runs
        .iter()
        .find(|r| r.step_name == "risky" && r.status == StepRunStatus::Failed)
        .and_then(|r| r.error.clone())
        .unwrap_or_default();
    assert!(
        failed.contains("(failed for good: its fallback `scripted` runs next)"),
        "{failed}"
    );
    let (_, view) = s.get(&format!("/v1/jobs/{job}")).await;
    assert!(
        view.to_string()
            .contains("its fallback `scripted` runs next"),
        "{view:#}"
    );
}

#[test]
fn a_cycle_or_a_missing_producer_refuses_the_folder_naming_the_steps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skills = root().join("target/skills");
    let check = |text: &str| {
        std::fs::write(dir.path().join("x.toml"), text).expect("write");
        baton([
            "sequences".to_owned(),
            dir.path().display().to_string(),
            "--skills".to_owned(),
            skills.display().to_string(),
        ])
    };
    let missing =
        check("event = \"x\"\norder = \"flow\"\n[[step]]\nskill = \"suggest-next-actions\"\n");
    assert_eq!(missing.code, 2, "{missing:#?}");
    assert!(
        missing.stderr.contains("x.toml:3:1: step `suggest-next-actions` (skill `suggest-next-actions`) needs `meeting.action_items`, which no other step of this sequence produces"),
        "{missing:#?}"
    );
    let cycle = check(
        "event = \"x\"\norder = \"flow\"\n[[step]]\nskill = \"extract-action-items\"\nafter = [\"suggest-next-actions\"]\n[[step]]\nskill = \"suggest-next-actions\"\n",
    );
    assert_eq!(cycle.code, 2, "{cycle:#?}");
    assert!(
        cycle.stderr.contains(
            "steps wait on each other in a cycle: `extract-action-items` → `suggest-next-actions`"
        ) || cycle.stderr.contains(
            "steps wait on each other in a cycle: `suggest-next-actions` → `extract-action-items`"
        ),
        "{cycle:#?}"
    );
}

const ADMIN: &str = "admin-secret-for-sequence-versions";

/// Version 1 of `tick`: the `scripted` guest asks a confirm gate, and its
/// data echoes its params (`v`).
fn tick(v: u32) -> String {
    format!(
        "event = \"tick\"\norder = \"flow\"\n\n[[step]]\nname = \"ask\"\nskill = \"scripted\"\nparams = {{ gate = true, v = {v} }}\n"
    )
}

/// Submit a `tick`; its job id.
async fn submit_tick(s: &Server, n: u32) -> String {
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "tick", "user": "rep1", "payload": { "n": n } }),
        )
        .await;
    assert_eq!(status, 202, "{accepted:#}");
    accepted["job_id"].as_str().expect("job").to_owned()
}

/// An admin request; status and body.
async fn admin(s: &Server, method: &str, path: &str, body: Option<String>) -> (u16, Value) {
    let mut r = s
        .http
        .request(method.parse().expect("method"), s.url(path))
        .bearer_auth(ADMIN);
    if let Some(b) = body {
        r = r.body(b);
    }
    let r = r.send().await.expect("admin request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The sequence version a job records, and the `v` its step saw.
async fn ran(s: &Server, job: &str) -> (Value, Value) {
    let (_, view) = s.get(&format!("/v1/jobs/{job}")).await;
    let data = s.step_data(job, "ask").await;
    (
        view["sequence_version"].clone(),
        data["params"]["v"].clone(),
    )
}

/// Approve the open gate of `job` and wait for it to complete.
async fn approve(s: &Server, job: &str) {
    let gate = s.open_gate(job).await;
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
    s.wait_job(job, |j| j["status"] == "completed").await;
}

service_test!(
    a_sequence_is_published_used_while_an_old_job_finishes_rolled_back_and_pinned,
    Setup {
        sequences: &[Box::leak(tick(1).into_boxed_str())],
        env: baton_tests::server::env(&[("BATON_ADMIN_TOKEN", ADMIN)]),
        ..Setup::default()
    },
    a_sequence_is_published_used_while_an_old_job_finishes_rolled_back_and_pinned_body
);

async fn a_sequence_is_published_used_while_an_old_job_finishes_rolled_back_and_pinned_body(
    s: &Server,
) {
    // The file the service started with is version 1.
    let (status, versions) = admin(s, "GET", "/v1/admin/sequences/tick/versions", None).await;
    assert_eq!(status, 200, "{versions:#}");
    assert_eq!(versions["head"]["version"], 1, "{versions:#}");
    assert_eq!(versions["versions"][0]["published_by"], "folder");

    // An old job waits at its gate on version 1.
    let old = submit_tick(s, 1).await;
    s.open_gate(&old).await;

    // Version 2 is published: new jobs take it.
    let (status, published) = admin(s, "PUT", "/v1/admin/sequences/tick", Some(tick(2))).await;
    assert_eq!(status, 200, "{published:#}");
    assert_eq!(
        (published["version"].clone(), published["outcome"].clone()),
        (json!(2), json!("live"))
    );
    let new = submit_tick(s, 2).await;
    s.open_gate(&new).await;

    // The old job finishes on version 1, the new one on version 2.
    approve(s, &old).await;
    assert_eq!(ran(s, &old).await, (json!(1), json!(1)));
    approve(s, &new).await;
    assert_eq!(ran(s, &new).await, (json!(2), json!(2)));

    // Rolled back: new jobs take version 1 again.
    let (status, back) = admin(s, "POST", "/v1/admin/sequences/tick/rollback", None).await;
    assert_eq!(status, 200, "{back:#}");
    assert_eq!(back["version"], 1);
    let after = submit_tick(s, 3).await;
    approve(s, &after).await;
    assert_eq!(ran(s, &after).await, (json!(1), json!(1)));

    // Pinned to 2: a publish is recorded, not served; a rollback refused.
    let (status, _) = admin(
        s,
        "PUT",
        "/v1/admin/sequences/tick/pin",
        Some(r#"{"version": 2}"#.into()),
    )
    .await;
    assert_eq!(status, 200);
    let (status, third) = admin(s, "PUT", "/v1/admin/sequences/tick", Some(tick(3))).await;
    assert_eq!(status, 200, "{third:#}");
    assert_eq!(third["version"], 3);
    assert!(
        third["outcome"]
            .as_str()
            .unwrap_or_default()
            .contains("pinned"),
        "{third:#}"
    );
    let pinned = submit_tick(s, 4).await;
    approve(s, &pinned).await;
    assert_eq!(ran(s, &pinned).await, (json!(2), json!(2)));
    let (status, body) = admin(
        s,
        "POST",
        "/v1/admin/sequences/tick/rollback",
        Some(r#"{"to": 1}"#.into()),
    )
    .await;
    is_problem(status, &body, 409);
    let (status, _) = admin(s, "DELETE", "/v1/admin/sequences/tick/pin", None).await;
    assert_eq!(status, 200);
    let (_, versions) = admin(s, "GET", "/v1/admin/sequences/tick/versions", None).await;
    let listed: Vec<(i64, String)> = versions["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["version"].as_i64().unwrap_or(0),
                v["published_by"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (3, "admin".into()),
            (2, "admin".into()),
            (1, "folder".into())
        ]
    );
    assert_eq!(versions["head"]["why"], "unpinned", "{versions:#}");

    // Mistakes are 4xx, naming the problem; nothing changes.
    let (status, body) = admin(
        s,
        "PUT",
        "/v1/admin/sequences/tick",
        Some("event = \"tick\"\n[[step]]\nskil = \"x\"\n".into()),
    )
    .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"].as_str().unwrap_or_default().contains(":3:"),
        "{body:#}"
    );
    let (status, body) = admin(s, "PUT", "/v1/admin/sequences/other", Some(tick(9))).await;
    is_problem(status, &body, 422);
    let (status, body) = admin(s, "POST", "/v1/admin/sequences/nothing/rollback", None).await;
    is_problem(status, &body, 404);
    let (status, body) = admin(
        s,
        "PUT",
        "/v1/admin/sequences/tick/pin",
        Some(r#"{"version": 99}"#.into()),
    )
    .await;
    is_problem(status, &body, 404);
    let anon = s
        .http
        .put(s.url("/v1/admin/sequences/tick"))
        .body(tick(5))
        .send()
        .await
        .expect("PUT");
    assert_eq!(anon.status().as_u16(), 401);
}

const SLACK_SECRET: &str = "slack-signing-secret-for-requests";

/// `/baton <text>` from Slack user `U-REP1`, signed at `at_s`.
async fn slash(s: &Server, text: &str, at_s: i64, signature: Option<&str>) -> (u16, Value) {
    let body = format!(
        "command=%2Fbaton&text={}&user_id=U-REP1&team_id=T1&response_url=x",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    );
    let sig = match signature {
        Some(s) => s.to_owned(),
        None => baton::service::signature::sign_slack(SLACK_SECRET, at_s, body.as_bytes())
            .expect("sign"),
    };
    let r = s
        .http
        .post(s.url("/v1/webhooks/slack/interactions"))
        .header("x-slack-request-timestamp", at_s.to_string())
        .header("x-slack-signature", sig)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("POST a slash command");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

backend_test!(
    a_request_in_slack_plans_asks_and_runs_once_confirmed,
    a_request_in_slack_plans_asks_and_runs_once_confirmed_body
);

/// `baton serve` with the shipped `calendar_find_times` and its skills,
/// Slack signed with [`SLACK_SECRET`] and `env`, `config`'s runner, and
/// the CRM holding Marta Ruiz, Jo Park (Northwind) and Jo Lind (Cobalt).
async fn serve_requests(db: &TestDb, env: &[(&str, &str)], config: Config) -> Server {
    let calendar = std::fs::read_to_string(root().join("sequences/calendar_find_times.toml"))
        .expect("the shipped sequence");
    let mut env = env.to_vec();
    env.push(("BATON_SLACK_SIGNING_SECRET", SLACK_SECRET));
    let s = baton_tests::server::start(
        db.store.clone(),
        Setup {
            sequences: &[&calendar],
            skills: &[
                "parse-scheduling-request",
                "find-available-slots",
                "present-time-options",
            ],
            env: baton_tests::server::env(&env),
            config,
            ..Setup::default()
        },
    )
    .await;
    let (status, imported) = s
        .post(
            "/v1/crm/import",
            json!({
                "org": { "slug": "acme", "name": "Acme" },
                "companies": [{ "name": "Northwind Logistics", "domain": "northwind.example" },
                              { "name": "Cobalt Freight", "domain": "cobalt.example" }],
                "contacts": [
                    { "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example", "company": "Northwind Logistics" },
                    { "name": "Jo Park", "email": "jo.park@northwind.example", "company": "Northwind Logistics" },
                    { "name": "Jo Lind", "email": "jo.lind@cobalt.example", "company": "Cobalt Freight" },
                ],
            }),
        )
        .await;
    assert_eq!(status, 200, "{imported}");
    s
}

async fn a_request_in_slack_plans_asks_and_runs_once_confirmed_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let peer =
        baton_tests::HttpPeer::answering(vec![], baton_tests::Answer::json(json!({ "ok": true })));
    let api = format!("http://127.0.0.1:{}/api", peer.port);
    let s = serve_requests(
        &db,
        &[("BATON_SLACK_API_URL", &api)],
        Setup::default().config,
    )
    .await;
    // Signatures are checked against the service's clock, which stands
    // still: each request is signed a second later than the one before, so
    // none is a replay of another.
    let tick = std::cell::Cell::new(0);
    let now = || {
        tick.set(tick.get() + 1);
        s.app.now() / 1000 + tick.get()
    };

    // Nobody knows this Slack user yet: told so, nothing runs.
    let (status, answer) = slash(&s, "find times with Marta next week", now(), None).await;
    assert_eq!(status, 200, "{answer:#}");
    assert!(
        answer["text"]
            .as_str()
            .unwrap_or_default()
            .contains("I don't know who you are"),
        "{answer:#}"
    );
    s.map_slack_user("U-REP1").await;

    // The plan, privately, with its buttons.
    let at = now();
    let (status, answer) = slash(&s, "find times with Marta next week", at, None).await;
    assert_eq!(status, 200, "{answer:#}");
    assert_eq!(answer["response_type"], "ephemeral");
    let said = answer.to_string();
    assert!(
        said.contains("find free times on your calendar to meet Marta Ruiz (Northwind Logistics)"),
        "{said}"
    );
    assert!(
        said.contains("*You will be asked:* `present-time-options` (its own question)"),
        "the gate the rep meets: {said}"
    );
    let run = answer["blocks"][1]["elements"][0].clone();
    assert_eq!(run["action_id"], "baton.request.run", "{answer:#}");

    // The same signed request again is a replay; a stale one is refused too.
    let body = format!(
        "command=%2Fbaton&text={}&user_id=U-REP1&team_id=T1&response_url=x",
        form_urlencoded::byte_serialize("find times with Marta next week".as_bytes())
            .collect::<String>()
    );
    let sig =
        baton::service::signature::sign_slack(SLACK_SECRET, at, body.as_bytes()).expect("sign");
    let (status, body) = slash(&s, "find times with Marta next week", at, Some(&sig)).await;
    is_problem(status, &body, 401);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("replay"),
        "{body:#}"
    );
    let (status, body) = slash(&s, "find times with Marta next week", now() - 3600, None).await;
    is_problem(status, &body, 401);
    let (status, _) = slash(&s, "find times with Marta", now(), Some("v0=00")).await;
    assert_eq!(status, 401);

    // Ambiguous, unknown or unread: a question back, never a guess.
    let (_, answer) = slash(&s, "find times with Jo tomorrow", now(), None).await;
    assert!(
        answer["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Which one: Jo Lind (Cobalt Freight) or Jo Park (Northwind Logistics)?"),
        "{answer:#}"
    );
    assert!(
        answer["blocks"].is_null(),
        "no button on a question: {answer:#}"
    );
    let (_, answer) = slash(&s, "find times with Zed next week", now(), None).await;
    assert!(
        answer["text"]
            .as_str()
            .unwrap_or_default()
            .contains("I don't know a contact called"),
        "{answer:#}"
    );
    let (_, answer) = slash(&s, "make me a sandwich", now(), None).await;
    assert!(
        answer["text"]
            .as_str()
            .unwrap_or_default()
            .contains("I did not understand that"),
        "{answer:#}"
    );
    let jobs = s.get("/v1/jobs").await.1;
    assert_eq!(
        jobs.as_array().map_or(0, Vec::len),
        0,
        "nothing ran: {jobs:#}"
    );

    // "Run it": the job runs to the rep's choice of times, once however
    // often it is clicked.
    let click = json!({ "type": "block_actions", "user": { "id": "U-REP1" },
        "container": { "message_ts": "1700000000.000200" },
        "response_url": format!("http://127.0.0.1:{}/respond", peer.port),
        "actions": [{ "action_id": "baton.request.run", "block_id": "baton.request", "value": run["value"] }] });
    assert_eq!(
        s.slack_interaction(SLACK_SECRET, now() * 1000, &click)
            .await,
        200
    );
    assert_eq!(
        s.slack_interaction(SLACK_SECRET, now() * 1000 + 1, &click)
            .await,
        200
    );
    let job = baton_tests::poll(baton_tests::PATIENCE, async || {
        let (_, jobs) = s.get("/v1/jobs").await;
        let list = jobs.as_array()?.clone();
        (list.len() == 1)
            .then(|| list[0]["id"].as_str().map(str::to_owned))
            .flatten()
    })
    .await
    .expect("one job");
    let gate = s.open_gate(&job).await;
    assert_eq!(gate["pattern"], "choose", "{gate:#}");
    let found = s.step_data(&job, "find-available-slots").await;
    assert!(
        found["slots"].as_array().is_some_and(|l| !l.is_empty()),
        "{found:#}"
    );
    let told = baton_tests::poll(baton_tests::PATIENCE, async || {
        peer.requests().into_iter().find(|r| r.contains("Running"))
    })
    .await;
    assert!(
        told.is_some(),
        "the rep is told it runs: {:?}",
        peer.requests()
    );
    let (_, jobs) = s.get("/v1/jobs").await;
    assert_eq!(
        jobs.as_array().map_or(0, Vec::len),
        1,
        "two clicks, one job: {jobs:#}"
    );

    // Someone else's click runs nothing.
    let mut theirs = click.clone();
    theirs["user"]["id"] = json!("U-STRANGER");
    theirs["container"]["message_ts"] = json!("1700000000.000300");
    assert_eq!(
        s.slack_interaction(SLACK_SECRET, now() * 1000 + 2, &theirs)
            .await,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (_, jobs) = s.get("/v1/jobs").await;
    assert_eq!(jobs.as_array().map_or(0, Vec::len), 1, "{jobs:#}");

    // The inbox's box: the plan as a diagram, then run on confirmation.
    let cookie = s.rep_login().await;
    let (status, page) = s
        .inbox_post(
            &cookie,
            "/inbox/requests",
            &[("text", "find times with Marta Ruiz on Tuesday")],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("data-step=\"present-time-options\""),
        "{page}"
    );
    assert!(page.contains("asks you its own question"), "{page}");
    let shown = page
        .split("name=\"shown\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the run form")
        .to_owned();
    let form = [
        ("text", "find times with Marta Ruiz on Tuesday"),
        ("shown", shown.as_str()),
    ];
    let (status, _) = s.inbox_post(&cookie, "/inbox/requests", &form).await;
    assert_eq!(status, 303);
    let (status, _) = s.inbox_post(&cookie, "/inbox/requests", &form).await;
    assert_eq!(status, 303, "a second click goes to the same job");
    let (_, jobs) = s.get("/v1/jobs").await;
    assert_eq!(jobs.as_array().map_or(0, Vec::len), 2, "{jobs:#}");
    let (status, page) = s
        .inbox_post(
            &cookie,
            "/inbox/requests",
            &[("text", "find times with Jo")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Which one: Jo Lind (Cobalt Freight) or Jo Park (Northwind Logistics)?"),
        "{page}"
    );
    s.stop().await;
    db.finish().await;
}

#[test]
fn plan_prints_the_demo_calls_graph_gates_and_cost_and_refuses_a_bad_payload() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plan.db").display().to_string();
    let with_db = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(["--database".into(), db.clone()]);
        all.extend([
            "--skills".into(),
            root().join("target/skills").display().to_string(),
        ]);
        all.extend([
            "--sequences".into(),
            root().join("sequences").display().to_string(),
        ]);
        baton(all)
    };
    let demo = root().join("examples/demo.json").display().to_string();
    let imported = baton(["import".to_owned(), demo, "--database".into(), db.clone()]);
    assert_eq!(imported.code, 0, "{imported:#?}");
    let call = format!(
        "@{}",
        root().join("examples/events/meeting_ended.json").display()
    );
    let plan = with_db(&["sequences", "plan", "meeting_ended", "--event", &call]);
    assert_eq!(plan.code, 0, "{plan:#?}");
    for want in [
        "stage 1, side by side:\n  extract-action-items (extract-action-items)\n",
        "after extract-action-items: reads `meeting.action_items`",
        "gates a person meets: draft-followup-email (confirm), create-tasks-from-actions (batch)",
        "estimate: fuel 0 / 0, LLM tokens 0 / 0, cost $0.1800 / $0.1800",
    ] {
        assert!(plan.stdout.contains(want), "{want}\n{}", plan.stdout);
    }
    let bad = with_db(&[
        "sequences",
        "plan",
        "meeting_ended",
        "--event",
        r#"{"meeting_id": 7}"#,
    ]);
    assert_eq!(bad.code, 2, "{bad:#?}");
    assert!(
        bad.stderr
            .contains("does not fit `meeting_ended`'s payload schema"),
        "{bad:#?}"
    );
    let unknown = with_db(&["sequences", "plan", "no_such_event"]);
    assert_eq!(unknown.code, 2, "{unknown:#?}");
    assert!(
        unknown
            .stderr
            .contains("no sequence handles `no_such_event`"),
        "{unknown:#?}"
    );
}

/// A chat completion whose content is `content`: 1200 tokens in, 300 out
/// (8,100 µ$ at the default prices).
fn completion(content: &str) -> baton_tests::Answer {
    baton_tests::Answer::json(json!({
        "choices": [{ "message": { "role": "assistant", "content": content } }],
        "usage": { "prompt_tokens": 1200, "completion_tokens": 300 } }))
}

backend_test!(
    a_request_no_rule_reads_goes_to_the_model_checked_and_charged,
    a_request_no_rule_reads_goes_to_the_model_checked_and_charged_body
);

async fn a_request_no_rule_reads_goes_to_the_model_checked_and_charged_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let model = baton_tests::HttpPeer::answering(
        vec![
            // Read right: a contact the request names.
            completion(r#"{"action": "times", "name": "Marta", "seats": null}"#),
            // A surname the request never said: not taken.
            completion(r#"{"action": "times", "name": "Marta Ruiz"}"#),
            // Not the JSON asked for.
            completion("Sure! I will find times with Marta."),
        ],
        completion(r#"{"action": "none"}"#),
    );
    let mut config = Setup::default().config;
    config.runner.request_llm = true;
    let llm = format!("http://127.0.0.1:{}/v1", model.port);
    let s = serve_requests(
        &db,
        &[("BATON_LLM_URL", &llm), ("BATON_LLM_TIMEOUT_MS", "5000")],
        config,
    )
    .await;
    s.map_slack_user("U-REP1").await;
    let tick = std::cell::Cell::new(0);
    let now = || {
        tick.set(tick.get() + 1);
        s.app.now() / 1000 + tick.get()
    };
    let said = |answer: &Value| answer.to_string();
    let spent = async || {
        let period = baton::orchestrator::budget::period(s.app.now());
        s.app.store().spent(&s.org, &period).await.expect("spent")
    };

    // Rules first: what they read never reaches the model.
    let (status, answer) = slash(&s, "find times with Marta next week", now(), None).await;
    assert_eq!(status, 200, "{answer:#}");
    assert!(said(&answer).contains("meet Marta Ruiz"), "{answer:#}");
    assert_eq!(model.requests().len(), 0);

    // What no rule reads goes to the model; its reading is looked up in the
    // CRM like the rules' and shown as the same plan to confirm.
    let (status, answer) = slash(
        &s,
        "could we get Marta on the calendar sometime next week?",
        now(),
        None,
    )
    .await;
    assert_eq!(status, 200, "{answer:#}");
    assert!(
        said(&answer)
            .contains("find free times on your calendar to meet Marta Ruiz (Northwind Logistics)"),
        "{answer:#}"
    );
    assert_eq!(
        answer["blocks"][1]["elements"][0]["action_id"], "baton.request.run",
        "{answer:#}"
    );
    let asked = model.requests();
    assert_eq!(asked.len(), 1);
    assert!(
        baton_tests::body_of(&asked[0]).contains("sometime next week"),
        "the model is shown the request"
    );
    assert_eq!(spent().await, 8_100, "the tokens are charged to the org");

    // A name the request never said, or an answer that is not the JSON
    // asked for, is not understood: the examples go back, nothing guessed.
    for text in ["grab 30 min with Marta soon?", "Marta — a slot this week?"] {
        let (status, answer) = slash(&s, text, now(), None).await;
        assert_eq!(status, 200, "{answer:#}");
        assert!(
            said(&answer).contains("I did not understand"),
            "{text}: {answer:#}"
        );
        assert!(!said(&answer).contains("baton.request.run"), "{answer:#}");
    }
    assert_eq!(model.requests().len(), 3);
    assert_eq!(spent().await, 3 * 8_100);

    // An org whose budget is spent gets the rules alone.
    s.app
        .store()
        .set_budget(&s.org, Some(1))
        .await
        .expect("budget");
    let (status, answer) = slash(&s, "any chance to sync with Marta?", now(), None).await;
    assert_eq!(status, 200, "{answer:#}");
    assert!(said(&answer).contains("I did not understand"), "{answer:#}");
    assert_eq!(model.requests().len(), 3, "the model is not asked");
    s.stop().await;
    db.finish().await;
}
