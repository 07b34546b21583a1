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
    let (status, body) = s
        .post(
            "/v1/sequences/meeting_ended/plan",
            json!({ "meeting_id": 7 }),
        )
        .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("payload schema")
            || body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("meeting_id"),
        "{body:#}"
    );
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
