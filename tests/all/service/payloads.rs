//! Event payloads are checked at the door against the schema their
//! sequence declares (issue 38, 2.4): through a real `baton serve` with the
//! shipped sequences and skills, on both backends, a `meeting_ended` whose
//! utterance has a speaker that is neither side and a text that is a
//! number is a 422 naming both fields (and `baton event send` exits 7 with
//! the same words), nothing is queued; every example payload the README
//! points at (`examples/events/<type>.json`) is accepted.

use baton_tests::{Backend, Replica, ReplicaSetup, TestDb, backend_test, baton_bin, root, target};
use serde_json::{Value, json};

backend_test!(
    a_payload_of_the_wrong_shape_is_refused_at_the_door_naming_the_fields,
    a_payload_of_the_wrong_shape_is_refused_at_the_door_naming_the_fields_body
);

async fn a_payload_of_the_wrong_shape_is_refused_at_the_door_naming_the_fields_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let org = db
        .store
        .upsert_org("demo", "Demo", &json!({}))
        .await
        .expect("org");
    db.store
        .upsert_user(
            &org,
            "rep1",
            "Jordan Avery",
            "jordan.avery@demo.example",
            "rep",
        )
        .await
        .expect("user");
    let (_, token) = db.store.create_token(&org, "t", 0).await.expect("token");
    let server = Replica::start(
        &db.url,
        &ReplicaSetup {
            skills_dir: Some(&target().join("skills")),
            sequences_dir: Some(&root().join("sequences")),
            // At an hour nothing is scheduled (the shipped sequences fire
            // the rep's brief at 08:00 in their zone, UTC here): "nothing
            // queued" below is about the refused event, whatever the time
            // of the run.
            args: &["--simulated-clock", "2026-11-25T02:00:00Z"],
            shared_cache: true,
            ..ReplicaSetup::default()
        },
    );
    let http = reqwest::Client::new();
    server.ready(&http).await;
    let send = async |event: &str, payload: Value| {
        let r = http
            .post(format!("{}/v1/events", server.base))
            .bearer_auth(&token)
            .json(&json!({ "type": event, "user": "rep1", "payload": payload }))
            .send()
            .await
            .expect("POST /v1/events");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    };

    let bad = json!({ "meeting_id": "m-bad", "utterances": [
        { "speaker": "rep", "text": "Thanks for joining." },
        { "speaker": "bob", "text": 5 }
    ] });
    let (status, problem) = send("meeting_ended", bad.clone()).await;
    assert_eq!(status, 422, "{problem}");
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("/utterances/1/speaker") && detail.contains("/utterances/1/text"),
        "the detail names each field: {detail}"
    );
    assert!(detail.contains("\"rep\""), "and what it may be: {detail}");
    let (status, jobs) = {
        let r = http
            .get(format!("{}/v1/jobs", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET /v1/jobs");
        (
            r.status().as_u16(),
            r.json::<Value>().await.unwrap_or(Value::Null),
        )
    };
    assert_eq!(status, 200, "{jobs}");
    assert_eq!(
        jobs.as_array().map(Vec::len),
        Some(0),
        "nothing queued: {jobs}"
    );

    // The CLI goes through the same door.
    let out = std::process::Command::new(baton_bin())
        .args([
            "event",
            "send",
            "--type",
            "meeting_ended",
            "--org",
            "demo",
            "--user",
            "rep1",
        ])
        .args(["--payload", &bad.to_string()])
        .args(["--database", &db.url])
        .arg("--sequences")
        .arg(root().join("sequences"))
        .arg("--skills")
        .arg(target().join("skills"))
        .env("BATON_CACHE_DIR", target().join("component-cache"))
        .output()
        .expect("baton event send");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("/utterances/1/speaker"), "{stderr}");

    // Every example payload is the shape its sequence takes.
    let mut examples: Vec<_> = std::fs::read_dir(root().join("examples/events"))
        .expect("examples/events")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 8, "{examples:?}");
    for file in examples {
        let event = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_owned();
        let payload: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
        let (status, r) = send(&event, payload).await;
        assert!(
            status == 202 || status == 200,
            "{}: {status} {r}",
            file.display()
        );
    }
    drop(server);
    db.finish().await;
}
