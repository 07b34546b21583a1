//! Params and outputs checked at the boundary, with the `off-schema` guest
//! (strict schemas; writes `due` as its params give it):
//!
//! - an output that breaks the skill's output schema fails the call, named
//!   by its JSON pointer: in `baton skill run`, and in a sequence, where the
//!   step fails at once with `output_schema` whatever its retry policy, and
//!   no output is stored;
//! - a sequence whose step params break the skill's params schema is
//!   refused at start-up at its `file:line:col`.

use baton::orchestrator::{Config, ManualClock, Orchestrator, Sequences, Submitted, sequence};
use baton::registry::{Grants, Registry};
use baton::runtime::{Runtime, RuntimeConfig};
use baton::store::{JobStatus, StepRunStatus, Store};
use baton_tests::{TestDb, baton, guest, input, store_test};
use serde_json::json;
use std::path::Path;

const VIOLATION: &str = r#"/actions/0/due: "tomorrow" is not of type "integer""#;

fn run(params: serde_json::Value) -> baton_tests::Run {
    let mut call: serde_json::Value =
        serde_json::from_str(&input("tick", json!({}))).expect("input is JSON");
    call["params"] = params;
    baton([
        "skill".to_owned(),
        "run".to_owned(),
        guest("off-schema").display().to_string(),
        "--input".to_owned(),
        call.to_string(),
    ])
}

#[test]
fn skill_run_reports_an_output_that_breaks_its_schema() {
    let ok = run(json!({ "due": 3 }));
    assert_eq!(ok.code, 0, "{ok:#?}");
    let bad = run(json!({ "due": "tomorrow" }));
    assert_eq!(bad.code, 3, "{bad:#?}");
    assert!(
        bad.stderr.contains(&format!(
            "output does not match the skill's output schema: {VIOLATION}"
        )),
        "{bad:#?}"
    );
    assert!(bad.stdout.is_empty(), "nothing of the output is printed");
}

store_test!(
    a_step_whose_output_breaks_its_schema_fails_without_retry,
    |store: Store| async move {
        let org = store
            .upsert_org("acme", "Acme", &json!({}))
            .await
            .expect("org");
        store
            .upsert_user(&org, "rep1", "Rep One", "rep1@acme.example", "rep")
            .await
            .expect("user");
        let skills = tempfile::tempdir().expect("tempdir");
        std::fs::copy(guest("off-schema"), skills.path().join("off-schema.wasm"))
            .expect("copy guest");
        let runtime = Runtime::new(RuntimeConfig {
            pooling: false,
            cache_dir: std::env::var_os("BATON_CACHE_DIR").map(Into::into),
            ..RuntimeConfig::default()
        })
        .expect("runtime");
        let registry = Registry::open(runtime, skills.path(), Grants::trust_declared())
            .await
            .expect("registry");
        let text = r#"
event = "tick"
[[step]]
skill = "off-schema"
on_failure = "retry"
max_attempts = 3
backoff_ms = 10
params = { due = "tomorrow" }
"#;
        let mut all = Sequences::default();
        all.insert(sequence::parse(Path::new("tick.toml"), text).expect("parses"));
        let orch = Orchestrator::new(
            store,
            registry,
            all,
            ManualClock::at(1_795_446_000_000),
            Config::default(),
            baton::sales::extensions(),
        );
        assert_eq!(orch.invalid_params(), vec![], "the params are fine");
        let event = baton::orchestrator::Event {
            event_type: "tick".into(),
            org: "acme".into(),
            user: "rep1".into(),
            payload: json!({}),
            source: "test".into(),
            idempotency_key: None,
        };
        let Submitted::Accepted { job_id, .. } = orch.submit(&event).await.expect("submit") else {
            panic!("event refused");
        };
        orch.drain().await.expect("drain");
        let job = orch
            .store
            .job(&org, &job_id)
            .await
            .expect("job")
            .expect("exists");
        assert_eq!(job.status, JobStatus::Failed, "not retried: {job:?}");
        let runs = orch.store.step_runs(&org, &job_id).await.expect("runs");
        assert_eq!(runs.len(), 1, "one attempt of three: {runs:#?}");
        let run = &runs[0];
        assert_eq!(run.status, StepRunStatus::Failed);
        assert_eq!(run.error_kind.as_deref(), Some("output_schema"));
        let error = run.error.as_deref().unwrap_or_default();
        assert!(error.contains(VIOLATION), "{error}");
        assert_eq!(run.output, None, "the bad output is not stored");
    }
);

#[tokio::test]
async fn a_sequence_whose_params_break_the_schema_is_refused_at_start() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (sequences, skills) = (dir.path().join("sequences"), dir.path().join("skills"));
    std::fs::create_dir_all(&sequences).expect("sequences dir");
    std::fs::create_dir_all(&skills).expect("skills dir");
    std::fs::copy(guest("off-schema"), skills.join("off-schema.wasm")).expect("guest");
    let file = sequences.join("tick.toml");
    std::fs::write(
        &file,
        "event = \"tick\"\n\n[[step]]\nskill = \"off-schema\"\nparams = { due = 1, tone = \"warm\" }\n",
    )
    .expect("sequence");
    let send = || {
        baton([
            "event",
            "send",
            "--type",
            "tick",
            "--org",
            "acme",
            "--user",
            "rep1",
            "--payload",
            "{}",
            "--database",
            &db.url,
            "--sequences",
            &sequences.display().to_string(),
            "--skills",
            &skills.display().to_string(),
        ])
    };
    let refused = send();
    assert_eq!(refused.code, 2, "{refused:#?}");
    let at = format!("{}:5:10: ", file.display());
    assert!(refused.stderr.contains(&at), "{refused:#?}");
    // `baton sequences --skills` makes the same check, so a folder it
    // passes is one the service starts with.
    let checked = baton([
        "sequences",
        &sequences.display().to_string(),
        "--skills",
        &skills.display().to_string(),
    ]);
    assert_eq!(checked.code, 2, "{checked:#?}");
    assert!(
        checked.stderr.contains(&at)
            && checked
                .stderr
                .contains("do not match the params schema of skill `off-schema`"),
        "{checked:#?}"
    );
    assert!(
        refused.stderr.contains(
            "params of step `off-schema` do not match the params schema of skill `off-schema`"
        ),
        "{refused:#?}"
    );
    assert!(refused.stderr.contains("tone"), "{refused:#?}");
    // Without params at all, the missing `due` is named at the step's line.
    std::fs::write(
        &file,
        "event = \"tick\"\n\n[[step]]\nskill = \"off-schema\"\n",
    )
    .expect("sequence");
    let refused = send();
    assert_eq!(refused.code, 2, "{refused:#?}");
    assert!(
        refused
            .stderr
            .contains(&format!("{}:3:1: ", file.display()))
            && refused.stderr.contains(r#""due" is a required property"#),
        "{refused:#?}"
    );
    db.finish().await;
}
