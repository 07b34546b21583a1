//! Issue 40, item 1: the independent checker (`baton_tests::drafts`) over
//! what the shipped meeting chain leaves for the rep, in a real `baton
//! serve`, for every bundled call (the demo's, the sample discovery call,
//! the coaching calls) and every sales call in `tests/data` (their
//! metadata names the seller and the buyer), and four calls written for it
//! in other industries and styles and kept out of the rules' work
//! (`tests/data/calls/`). The earnings calls and
//! meeting recordings there have no seller and buyer, so no follow-up to
//! check, and are left out. Each call also gets the proposal it would lead
//! to (a `proposal_generation` with its words), read as the prospect would.
//! Each call's findings are printed; any finding fails.

use crate::meeting_ended::{CALENDAR, SKILLS, crm, read, slack_peer};
use crate::proposal_generation::{CHAIN, import_demo};
use baton::sales::eval::calls::parse_call;
use baton::store::JobId;
use baton_tests::drafts::{Drafted, check, competitors_of};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{Backend, PATIENCE, TestDb, backend_test, shared_data, until};
use serde_json::{Value, json};

/// The proposal chain's last step: the document as the prospect reads it.
const PROPOSAL: &str = "present-for-review";

/// The steps whose output the checker reads.
const DRAFTING: [&str; 4] = [
    "draft-followup-email",
    "update-crm-from-meeting",
    "create-tasks-from-actions",
    "notify-slack-summary",
];

/// Every call to check, as `(name, utterances)` with `rep`/`prospect`
/// speakers.
fn calls() -> Vec<(String, Vec<Value>)> {
    let mut out = Vec::new();
    let demo: Value =
        serde_json::from_str(&read("examples/events/meeting_ended.json")).expect("JSON");
    out.push((
        "demo".to_owned(),
        demo["utterances"].as_array().cloned().unwrap_or_default(),
    ));
    let sample: Value =
        serde_json::from_str(&read("examples/transcripts/discovery-call.json")).expect("JSON");
    out.push((
        "discovery-call".to_owned(),
        sample["event"]["payload"]["utterances"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    ));
    let coaching: Value =
        serde_json::from_str(&read("examples/coaching/meetings.json")).expect("JSON");
    for m in coaching.as_array().expect("meetings") {
        out.push((
            m["meeting_id"].as_str().expect("id").to_owned(),
            m["utterances"].as_array().cloned().unwrap_or_default(),
        ));
    }
    // Calls written for the checker and kept out of the rules' work
    // (`tests/data/calls/README.md`).
    let written = baton_tests::root().join("tests/data/calls");
    let mut files: Vec<_> = std::fs::read_dir(&written)
        .expect("tests/data/calls")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let call: Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("call")).expect("JSON");
        out.push((
            format!("held out: {}", call["title"].as_str().expect("title")),
            call["utterances"].as_array().cloned().unwrap_or_default(),
        ));
    }
    let dir = shared_data().join("transcripts/normalized");
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("sales_calls_metadata.json")).expect("metadata"),
    )
    .expect("JSON");
    for (id, m) in meta.as_object().expect("calls") {
        let text = std::fs::read_to_string(dir.join(format!("{id}.jsonl"))).expect("transcript");
        let call = parse_call(id, &text, m).unwrap_or_else(|e| panic!("{e}"));
        out.push((
            id.clone(),
            call.examples
                .iter()
                .map(|e| json!({ "speaker": e.speaker, "text": e.text }))
                .collect(),
        ));
    }
    out
}

/// The proposal the call would lead to, as `(heading, body)` sections:
/// a `proposal_generation` with the call's words, read from the gate's
/// document.
async fn proposal_of(s: &Server, n: usize, utterances: &[Value]) -> Vec<(String, String)> {
    let payload = json!({
        "meeting_id": format!("proposal-check-{n}"),
        "contact_email": "marta.ruiz@northwind.example",
        "request": "I'll send you a proposal with pricing.",
        "utterances": utterances,
    });
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "proposal_generation", "user": "rep1", "payload": payload }),
        )
        .await;
    assert_eq!(status, 202, "proposal {n}: {accepted}");
    let job = JobId::from(accepted["job_id"].as_str().expect("job"));
    until("the proposal is presented", PATIENCE, async || {
        let runs = s.app.store().step_runs(&s.org, &job).await.expect("runs");
        runs.iter().any(|r| r.step_name == PROPOSAL)
    })
    .await;
    let runs = s.app.store().step_runs(&s.org, &job).await.expect("runs");
    let out = runs
        .iter()
        .rev()
        .find(|r| r.step_name == PROPOSAL)
        .and_then(|r| r.output.clone())
        .unwrap_or(Value::Null);
    let sections = &out["actions"][0]["payload"]["proposal"]["sections"];
    assert!(sections.is_array(), "proposal {n}: {out:#}");
    sections
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["heading"].as_str().unwrap_or_default().to_owned(),
                s["body"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

backend_test!(
    every_bundled_and_recorded_call_leaves_drafts_a_rep_sends_as_they_are,
    every_bundled_and_recorded_call_leaves_drafts_a_rep_sends_as_they_are_body
);

async fn every_bundled_and_recorded_call_leaves_drafts_a_rep_sends_as_they_are_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let slack = slack_peer();
    // The meeting chain, and the real proposal chain for its promises and
    // for the proposal each call is asked for below.
    let api = format!("http://127.0.0.1:{}/api", slack.port);
    let skills: Vec<&str> = SKILLS.iter().chain(&CHAIN).copied().collect();
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[
                &read("sequences/meeting_ended.toml"),
                &read("sequences/proposal_generation.toml"),
                CALENDAR,
            ],
            skills: &skills,
            env: env(&[
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                ("BATON_SLACK_API_URL", api.as_str()),
            ]),
            ..Setup::default()
        },
    )
    .await;
    import_demo(&s).await;
    crm(&s).await;
    let calls = calls();
    assert!(calls.len() >= 22, "{} calls", calls.len());
    let mut report = Vec::new();
    let mut failed = 0;
    for (n, (name, utterances)) in calls.iter().enumerate() {
        let payload = json!({
            "meeting_id": format!("check-{n}"), "title": name,
            "contact_email": "marta.ruiz@northwind.example",
            "started_at": "2026-11-20T15:00:00Z", "ended_at": "2026-11-20T15:30:00Z",
            "utterances": utterances,
        });
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "meeting_ended", "user": "rep1", "payload": payload }),
            )
            .await;
        assert_eq!(status, 202, "{name}: {accepted}");
        let job = accepted["job_id"].as_str().expect("job").to_owned();
        // Every step that drafts has run (the job may park at a gate
        // before the last of them).
        until("the drafting steps have run", PATIENCE, async || {
            let runs = s
                .app
                .store()
                .step_runs(&s.org, &JobId::from(job.as_str()))
                .await
                .expect("runs");
            DRAFTING
                .iter()
                .all(|step| runs.iter().any(|r| r.step_name == *step))
        })
        .await;
        let runs = s
            .app
            .store()
            .step_runs(&s.org, &JobId::from(job.as_str()))
            .await
            .expect("runs");
        // A step that wrote nothing (no action items: no tasks) reads as null.
        let data = |step: &str| {
            runs.iter()
                .rev()
                .find(|r| r.step_name == step)
                .and_then(|r| r.output.as_ref())
                .map_or(Value::Null, |o| o["data"].clone())
        };
        let proposal = proposal_of(&s, n, utterances).await;
        let (draft, crm, tasks, slack) = (
            data("draft-followup-email"),
            data("update-crm-from-meeting"),
            data("create-tasks-from-actions"),
            data("notify-slack-summary"),
        );
        let drafted = Drafted {
            email: draft["body"].as_str().unwrap_or_default().to_owned(),
            competitors: competitors_of(&crm),
            tasks: tasks["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|t| t["reminder"] != true)
                .filter_map(|t| t["title"].as_str().map(str::to_owned))
                .collect(),
            slack: slack["text"].as_str().unwrap_or_default().to_owned(),
            proposal,
        };
        let said: Vec<(&str, &str)> = utterances
            .iter()
            .map(|u| {
                (
                    u["speaker"].as_str().unwrap_or_default(),
                    u["text"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        let found = check(&said, &drafted);
        failed += found.len();
        report.push(format!(
            "{name}: {} finding(s){}",
            found.len(),
            found
                .iter()
                .map(|f| format!("\n  [{}] {}", f.rule, f.text))
                .collect::<String>()
        ));
    }
    println!("{}", report.join("\n"));
    assert_eq!(failed, 0, "{}", report.join("\n"));
    s.stop().await;
    db.finish().await;
}
