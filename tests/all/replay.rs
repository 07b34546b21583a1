//! Shadow replay: a candidate version run over the recorded inputs of the
//! live version's recent step runs, without effects. `baton skill replay`
//! on a database made the demo's way (the shipped sequence and skills, a
//! meeting ended), and `POST /v1/admin/skills/{name}/shadow` on a running
//! service, on both backends. The changed candidate is the `intents-strict`
//! guest: detect-intents with a 0.9 confidence floor.

use baton_tests::server::{Setup, env, start};
use baton_tests::{Backend, TestDb, backend_test, baton, guest, is_problem, root, skill};
use serde_json::{Value, json};
use std::path::Path;

/// The demo's org with its reps' quiet hours lifted (a meeting that ends
/// in quiet hours waits for the morning).
fn demo_org(dir: &Path) -> std::path::PathBuf {
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/demo.json")).expect("demo.json"),
    )
    .expect("JSON");
    for user in doc["users"].as_array_mut().expect("users") {
        if let Some(prefs) = user.get_mut("preferences") {
            prefs["quiet_start_min"] = Value::Null;
            prefs["quiet_end_min"] = Value::Null;
        }
    }
    let path = dir.join("org.json");
    std::fs::write(&path, doc.to_string()).expect("write");
    path
}

/// The recorded input of `skill`'s one step run in the SQLite file `db`.
fn recorded_input(db: &str, skill: &str) -> Value {
    use sqlx::Connection;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{db}"))
            .await
            .expect("open");
        let text: String = sqlx::query_scalar("SELECT input FROM step_runs WHERE skill_name = $1")
            .bind(skill)
            .fetch_one(&mut conn)
            .await
            .expect("one run");
        serde_json::from_str(&text).expect("JSON")
    })
}

#[test]
fn cli_replay_on_a_demo_database_shows_same_for_the_live_version_and_a_diff_for_a_changed_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("baton.db");
    let db = db.to_str().expect("utf-8");
    let skills = skill("detect-intents");
    let skills_dir = skills.parent().expect("skills folder");
    let run = baton([
        "import".as_ref(),
        demo_org(dir.path()).as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let meeting = root().join("examples/events/meeting_ended.json");
    let run = baton([
        "event".as_ref(),
        "send".as_ref(),
        "--type".as_ref(),
        "meeting_ended".as_ref(),
        "--org".as_ref(),
        "demo".as_ref(),
        "--user".as_ref(),
        "rep1".as_ref(),
        "--payload".as_ref(),
        format!("@{}", meeting.display()).as_ref(),
        "--wait".as_ref(),
        "--database".as_ref(),
        db.as_ref(),
        "--sequences".as_ref(),
        root().join("sequences").as_os_str(),
        "--skills".as_ref(),
        skills_dir.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");

    // The live version itself: the same output on every recorded run.
    let run = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        skills.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let same = run.json();
    assert_eq!(same["skill"], "detect-intents");
    assert_eq!(same["summary"]["runs"], 1, "{same:#}");
    assert_eq!(same["summary"]["same"], 1, "{same:#}");
    assert_eq!(same["runs"][0]["verdict"], "same");
    assert!(same["runs"][0]["changes"].is_null(), "{same:#}");
    assert!(same["runs"][0]["candidate"]["fuel"].as_u64().unwrap_or(0) > 0);
    let text = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        skills.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
    ]);
    assert!(text.stdout.contains("1 same, 0 different"), "{text:#?}");

    // A later step's record names the steps whose outputs it was given
    // instead of copying them; replay reads them from their own runs and
    // gives the same call again.
    let draft = skill("suggest-next-actions");
    let run = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        draft.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let replayed = run.json();
    assert_eq!(replayed["summary"]["same"], 1, "{replayed:#}");
    let input = recorded_input(db, "suggest-next-actions");
    assert_eq!(input["previous_steps"], json!([0, 1]), "{input:#}");
    assert!(input.get("previous").is_none(), "{input:#}");

    // Judged by the rep: Jordan edits the follow-up and skips the tasks;
    // the live version replayed against those decisions drafts as far from
    // the edit as it did, and still proposes the tasks.
    let open = baton(["approvals", "list", "--json", "--database", db]);
    assert_eq!(open.code, 0, "{open:#?}");
    let gates = open.json();
    let gate_of = |step: &str| {
        gates
            .as_array()
            .and_then(|g| g.iter().find(|g| g["step_name"] == step))
            .cloned()
            .unwrap_or_else(|| panic!("no {step} gate: {gates:#}"))
    };
    let follow_up = gate_of("draft-followup-email");
    let mut edit = follow_up["body"]["actions"][0]["payload"].clone();
    let body = edit["body"].as_str().expect("a body").to_owned();
    edit["body"] = json!(format!("{body}\nP.S. The pricing sheet follows tomorrow."));
    let edit_file = dir.path().join("edit.json");
    std::fs::write(&edit_file, edit.to_string()).expect("write");
    let tasks = gate_of("create-tasks-from-actions");
    for (gate, how) in [
        (
            &follow_up,
            vec!["--edit".to_owned(), format!("@{}", edit_file.display())],
        ),
        (&tasks, vec!["--skip".to_owned()]),
    ] {
        let mut args: Vec<std::ffi::OsString> = vec![
            "approvals".into(),
            "decide".into(),
            gate["id"].as_str().expect("id").into(),
            "--database".into(),
            db.into(),
            "--sequences".into(),
            root().join("sequences").into(),
            "--skills".into(),
            skills_dir.into(),
        ];
        args.extend(how.into_iter().map(Into::into));
        let run = baton(args.iter().map(|a| a.as_os_str()));
        assert_eq!(run.code, 0, "{run:#?}");
    }
    let drafter = skill("draft-followup-email");
    let run = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        drafter.as_os_str(),
        "--against-decisions".as_ref(),
        "--database".as_ref(),
        db.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let judged = run.json();
    let decision = &judged["runs"][0]["decision"];
    assert_eq!(decision["decided"], "edited", "{judged:#}");
    assert_eq!(decision["judged"], "as_far", "{judged:#}");
    let live = decision["live_distance"].as_f64().expect("a distance");
    assert!(
        live > 0.0 && live < 0.2,
        "six words added to a whole email: {live}"
    );
    assert_eq!(decision["candidate_distance"], decision["live_distance"]);
    assert_eq!(judged["summary"]["decisions"]["edited"], 1);
    assert_eq!(judged["summary"]["decisions"]["as_far"], 1);
    let tasker = skill("create-tasks-from-actions");
    let text = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        tasker.as_os_str(),
        "--against-decisions".as_ref(),
        "--database".as_ref(),
        db.as_ref(),
    ]);
    assert_eq!(text.code, 0, "{text:#?}");
    assert!(
        text.stdout
            .contains("the rep dismissed it; the candidate still proposes"),
        "{text:#?}"
    );
    assert!(
        text.stdout.contains(
            "against reps' decisions: approved 0 (kept 0, changed 0) · edited 0 (closer 0, as far 0, farther 0) · dismissed 1 (proposes nothing 0, still proposes 1)"
        ),
        "{text:#?}"
    );
    // Without the flag there is no decision in the report.
    let plain = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        drafter.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
        "--json".as_ref(),
    ]);
    assert!(plain.json()["runs"][0].get("decision").is_none());

    // The changed version: fewer intents, named path by path.
    let strict = guest("intents-strict");
    let run = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        strict.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let diff = run.json();
    assert_eq!(diff["candidate"]["version"], "0.2.0-strict");
    assert_eq!(diff["summary"]["different"], 1, "{diff:#}");
    let changes = diff["runs"][0]["changes"].as_array().expect("changes");
    assert!(
        changes.iter().any(|c| c["op"] == "remove"
            && c["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/data/intents/"))),
        "a dropped intent: {changes:#?}"
    );
    assert!(
        changes
            .iter()
            .all(|c| c["path"].as_str().is_some_and(|p| p.starts_with('/'))),
        "{changes:#?}"
    );
    // Each dropped intent is named at its own index in the live output.
    let dropped: Vec<&str> = changes
        .iter()
        .filter(|c| c["op"] == "remove")
        .filter_map(|c| c["path"].as_str())
        .filter(|p| p.starts_with("/data/intents/"))
        .collect();
    let distinct: std::collections::BTreeSet<_> = dropped.iter().collect();
    assert_eq!(distinct.len(), dropped.len(), "{dropped:?}");
    let text = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        strict.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
    ]);
    assert!(
        text.stdout.contains("different") && text.stdout.contains("/data/intents/"),
        "{text:#?}"
    );
    assert!(text.stdout.contains("0 same, 1 different"), "{text:#?}");

    // A candidate sequence over the meeting's job: detect-intents with a
    // higher floor is called again and differs, the tasks step's new
    // condition skips it where it ran, and the dropped step is named.
    let shipped =
        std::fs::read_to_string(root().join("sequences/meeting_ended.toml")).expect("sequence");
    let candidate = shipped
        .replace("min_confidence = 0.6", "min_confidence = 0.9")
        .replace(
            "condition = \"len(steps.extract-action-items.data.action_items) > 0\"",
            "condition = \"len(steps.extract-action-items.data.action_items) > 99\"",
        );
    let cut = candidate
        .rfind("[[step]]")
        .expect("the last step, notify-coaching-feedback");
    let candidate = candidate[..cut].to_owned();
    assert_ne!(candidate, shipped);
    let file = dir.path().join("meeting_ended.toml");
    std::fs::write(&file, &candidate).expect("write");
    let with_folders = |mut args: Vec<std::ffi::OsString>| {
        args.extend([
            "--database".into(),
            db.into(),
            "--sequences".into(),
            root().join("sequences").into(),
            "--skills".into(),
            skills_dir.into(),
        ]);
        baton(args.iter().map(|a| a.as_os_str()))
    };
    let run = with_folders(vec![
        "skill".into(),
        "replay".into(),
        file.clone().into(),
        "--json".into(),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let seq = run.json();
    assert_eq!(seq["event"], "meeting_ended");
    let named: Vec<(&str, &str)> = seq["against"][0]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["step"].as_str()?, c["what"].as_str()?)))
        .collect();
    assert_eq!(
        named,
        [
            ("detect-intents", "params"),
            // Nothing reads its analysis now: it moves to the last stage.
            ("coaching-analysis", "stage"),
            ("create-tasks-from-actions", "condition"),
            ("notify-coaching-feedback", "dropped"),
        ],
        "{seq:#}"
    );
    let job = &seq["jobs"][0];
    assert_eq!(
        job["decided"][0]["step"], "create-tasks-from-actions",
        "{seq:#}"
    );
    assert_eq!(job["decided"][0]["runs"], false, "{seq:#}");
    let verdicts: Vec<(&str, &str)> = job["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r["step"].as_str()?, r["verdict"].as_str()?)))
        .collect();
    // coaching-analysis is called again for the outputs its new stage
    // hands it (suggest-next-actions' too), and makes the same analysis.
    assert_eq!(
        verdicts,
        [
            ("detect-intents", "different"),
            ("coaching-analysis", "same")
        ],
        "{seq:#}"
    );
    let text = with_folders(vec!["skill".into(), "replay".into(), file.clone().into()]);
    assert_eq!(text.code, 0, "{text:#?}");
    for want in [
        "dropped   notify-coaching-feedback",
        "decides otherwise: create-tasks-from-actions ran here, the candidate skips it",
        "1 of 1 jobs change: 1 steps decided otherwise, 2 steps called again",
    ] {
        assert!(text.stdout.contains(want), "{want}\n{}", text.stdout);
    }
    // A candidate that does not load is refused, naming its line.
    std::fs::write(
        &file,
        candidate.replace("skill = \"detect-intents\"", "skill = \"nowhere\""),
    )
    .expect("write");
    let bad = with_folders(vec!["skill".into(), "replay".into(), file.clone().into()]);
    assert_eq!(bad.code, 2, "{bad:#?}");
    assert!(bad.stderr.contains("nowhere"), "{bad:#?}");

    // Bad input: named, exit 2.
    for (args, named) in [
        (vec!["--since", "yesterday"], "since"),
        (vec!["--limit", "0"], "--limit"),
        (vec!["--org", "nobody"], "nobody"),
    ] {
        let mut all: Vec<&std::ffi::OsStr> = vec![
            "skill".as_ref(),
            "replay".as_ref(),
            skills.as_os_str(),
            "--database".as_ref(),
            db.as_ref(),
        ];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        let run = baton(all);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert!(run.stderr.contains(named), "{args:?}: {run:#?}");
    }
    let junk = dir.path().join("junk.wasm");
    std::fs::write(&junk, b"not a component").expect("write");
    let run = baton([
        "skill".as_ref(),
        "replay".as_ref(),
        junk.as_os_str(),
        "--database".as_ref(),
        db.as_ref(),
    ]);
    assert_eq!(run.code, 2, "{run:#?}");
}

backend_test!(
    the_shadow_route_replays_a_candidate_without_making_it_live,
    the_shadow_route_replays_a_candidate_without_making_it_live_body
);

const ADMIN: &str = "admin-secret-for-replay";

async fn the_shadow_route_replays_a_candidate_without_making_it_live_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &["event = \"meeting_ended\"\n[[step]]\nskill = \"detect-intents\"\nparams = { min_confidence = 0.6 }\n"],
            skills: &["detect-intents"],
            env: env(&[("BATON_ADMIN_TOKEN", ADMIN)]),
            ..Setup::default()
        },
    )
    .await;
    let payload: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/events/meeting_ended.json")).expect("event"),
    )
    .expect("JSON");
    let mut jobs = Vec::new();
    for n in 0..3 {
        let mut p = payload.clone();
        p["meeting_id"] = json!(format!("m-{n}"));
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "meeting_ended", "user": "rep1", "payload": p }),
            )
            .await;
        assert_eq!(status, 202, "{accepted:#}");
        jobs.push(accepted["job_id"].as_str().expect("job id").to_owned());
    }
    for id in &jobs {
        s.wait_job(id, |j| j["status"] == "completed").await;
    }
    let (_, before) = s.get("/v1/skills").await;

    let shadow =
        async |name: &str, query: &str, body: Vec<u8>, token: Option<&str>| -> (u16, Value) {
            let mut req = s
                .http
                .post(s.url(&format!("/v1/admin/skills/{name}/shadow{query}")))
                .header("content-type", "application/wasm")
                .body(body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.expect("POST");
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(Value::Null))
        };
    let live = std::fs::read(skill("detect-intents")).expect("read");
    let strict = std::fs::read(guest("intents-strict")).expect("read");

    let (status, same) = shadow("detect-intents", "", live.clone(), Some(ADMIN)).await;
    assert_eq!(status, 200, "{same:#}");
    assert_eq!(same["summary"]["runs"], 3, "{same:#}");
    assert_eq!(same["summary"]["same"], 3, "{same:#}");

    let (status, diff) = shadow(
        "detect-intents",
        "?since=1h&limit=2",
        strict.clone(),
        Some(ADMIN),
    )
    .await;
    assert_eq!(status, 200, "{diff:#}");
    assert_eq!(diff["summary"]["runs"], 2, "the limit holds: {diff:#}");
    assert_eq!(diff["summary"]["different"], 2, "{diff:#}");
    for run in diff["runs"].as_array().expect("runs") {
        assert!(
            jobs.contains(&run["job"].as_str().expect("job").to_owned()),
            "{run:#}"
        );
        assert!(
            run["candidate"]["fuel"].as_u64().unwrap_or(0) > 0,
            "{run:#}"
        );
        assert!(run["live"]["fuel"].as_u64().unwrap_or(0) > 0, "{run:#}");
    }
    // Nothing was made live.
    let (_, after) = s.get("/v1/skills").await;
    assert_eq!(before, after, "a shadow run changes no live version");

    // Bad input: a 4xx problem that names it.
    let (status, body) = shadow("detect-intents", "", strict.clone(), None).await;
    is_problem(status, &body, 401);
    let (status, body) = shadow("extract-action-items", "", strict.clone(), Some(ADMIN)).await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("detect-intents")),
        "{body:#}"
    );
    let (status, body) = shadow(
        "detect-intents",
        "",
        b"not a component".to_vec(),
        Some(ADMIN),
    )
    .await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("the uploaded component: ")),
        "the refusal names the upload, not a path on the server: {body:#}"
    );
    let (status, body) = shadow("detect-intents", "", Vec::new(), Some(ADMIN)).await;
    is_problem(status, &body, 400);
    let (status, body) = shadow(
        "detect-intents",
        "?since=yesterday",
        strict.clone(),
        Some(ADMIN),
    )
    .await;
    is_problem(status, &body, 400);
    assert!(
        body["detail"].as_str().is_some_and(|d| d.contains("since")),
        "{body:#}"
    );
    let (status, body) = shadow("detect-intents", "?limit=0", strict.clone(), Some(ADMIN)).await;
    is_problem(status, &body, 400);
    let (status, body) = shadow("detect-intents", "?org=nobody", strict.clone(), Some(ADMIN)).await;
    is_problem(status, &body, 404);
    let (status, body) = shadow("..%2Fx", "", strict, Some(ADMIN)).await;
    assert!((400..500).contains(&status), "{status} {body:#}");
    s.stop().await;
}

backend_test!(
    a_shadow_on_new_calls_compares_each_call_and_the_job_sees_only_the_live_version,
    a_shadow_on_new_calls_compares_each_call_and_the_job_sees_only_the_live_version_body
);

async fn a_shadow_on_new_calls_compares_each_call_and_the_job_sees_only_the_live_version_body(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[
                "event = \"meeting_ended\"\n[[step]]\nskill = \"detect-intents\"\nparams = { min_confidence = 0.6 }\n",
            ],
            skills: &["detect-intents"],
            env: env(&[("BATON_ADMIN_TOKEN", ADMIN)]),
            ..Setup::default()
        },
    )
    .await;
    let path = s.url("/v1/admin/skills/detect-intents/shadow");
    let live = std::fs::read(skill("detect-intents")).expect("read");
    let strict = std::fs::read(guest("intents-strict")).expect("read");
    let admin = |req: reqwest::RequestBuilder| req.bearer_auth(ADMIN);
    let answer = async |req: reqwest::RequestBuilder| -> (u16, Value) {
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    };

    // None yet; bad input named.
    let (status, body) = answer(admin(s.http.get(&path))).await;
    is_problem(status, &body, 404);
    let (status, body) = answer(admin(
        s.http
            .put(format!("{path}?for=forever"))
            .body(strict.clone()),
    ))
    .await;
    is_problem(status, &body, 400);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("forever")),
        "{body:#}"
    );
    let (status, body) = answer(admin(
        s.http.put(format!("{path}?for=30d")).body(strict.clone()),
    ))
    .await;
    is_problem(status, &body, 400);
    // An upload refused before its bytes are read ends its connection, so
    // the next request is not sent down it (it failed half-sent before).
    let refused = s
        .http
        .put(&path)
        .body(strict.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(
        refused
            .headers()
            .get("connection")
            .and_then(|v| v.to_str().ok()),
        Some("close")
    );
    let (status, body) = answer(admin(
        s.http
            .put(s.url("/v1/admin/skills/trivial/shadow"))
            .body(strict.clone()),
    ))
    .await;
    is_problem(status, &body, 422);

    let (status, started) = answer(admin(s.http.put(format!("{path}?for=2h")).body(strict))).await;
    assert_eq!(status, 200, "{started:#}");
    assert_eq!(started["candidate"]["version"], "0.2.0-strict");
    assert_eq!(started["summary"]["runs"], 0);

    let payload: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/events/meeting_ended.json")).expect("event"),
    )
    .expect("JSON");
    let mut jobs = Vec::new();
    for n in 0..2 {
        let mut p = payload.clone();
        p["meeting_id"] = json!(format!("shadowed-{n}"));
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "meeting_ended", "user": "rep1", "payload": p }),
            )
            .await;
        assert_eq!(status, 202, "{accepted:#}");
        jobs.push(accepted["job_id"].as_str().expect("job id").to_owned());
    }
    for id in &jobs {
        s.wait_job(id, |j| j["status"] == "completed").await;
    }
    let live_sha = baton::registry::sha256_hex(&live);
    let report = baton_tests::poll(std::time::Duration::from_secs(30), async || {
        let (_, r) = answer(admin(s.http.get(&path))).await;
        (r["summary"]["runs"] == 2).then_some(r)
    })
    .await
    .expect("both calls compared within 30 s");
    assert_eq!(report["summary"]["different"], 2, "{report:#}");
    for run in report["runs"].as_array().expect("runs") {
        assert!(
            jobs.contains(&run["job"].as_str().expect("job").to_owned()),
            "{run:#}"
        );
        assert_eq!(run["live"]["sha256"], live_sha.as_str(), "{run:#}");
        assert!(
            run["changes"].as_array().is_some_and(|c| !c.is_empty()),
            "{run:#}"
        );
    }
    // The jobs ran on the live version alone.
    for id in &jobs {
        let runs = s
            .app
            .store()
            .step_runs(&s.org, &baton::store::JobId::from(id.as_str()))
            .await
            .expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].skill_sha256, live_sha, "the live version served");
    }

    let (status, last) = answer(admin(s.http.delete(&path))).await;
    assert_eq!(status, 200, "{last:#}");
    assert_eq!(last["summary"]["runs"], 2);
    let (status, body) = answer(admin(s.http.get(&path))).await;
    is_problem(status, &body, 404);
    s.stop().await;
}

/// The folder's `tick`: `first`, then three steps side by side; `maybe`
/// runs only for `n == 1`. `scripted` echoes its params and the earlier
/// steps it saw.
const TICK: &str = r#"
event = "tick"
order = "flow"

[[step]]
name = "first"
skill = "scripted"
params = { v = 1 }

[[step]]
name = "second"
skill = "scripted"
params = { v = 1 }
after = ["first"]

[[step]]
name = "maybe"
skill = "scripted"
after = ["first"]
condition = 'event.payload.n == 1'

[[step]]
name = "gone"
skill = "scripted"
after = ["first"]
"#;

/// A candidate `tick`: `second` takes other params, `maybe` runs only for
/// `n == 2`, `gone` is dropped and `extra` added after `second`.
const TICK_CANDIDATE: &str = r#"
event = "tick"
order = "flow"

[[step]]
name = "first"
skill = "scripted"
params = { v = 1 }

[[step]]
name = "second"
skill = "scripted"
params = { v = 2 }
after = ["first"]

[[step]]
name = "maybe"
skill = "scripted"
after = ["first"]
condition = 'event.payload.n == 2'

[[step]]
name = "extra"
skill = "scripted"
after = ["second"]
"#;

backend_test!(
    the_shadow_route_replays_a_candidate_sequence_over_recent_jobs,
    the_shadow_route_replays_a_candidate_sequence_over_recent_jobs_body
);

async fn the_shadow_route_replays_a_candidate_sequence_over_recent_jobs_body(backend: Backend) {
    let db = TestDb::new(backend).await;
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[TICK],
            env: env(&[("BATON_ADMIN_TOKEN", ADMIN)]),
            ..Setup::default()
        },
    )
    .await;
    let mut jobs = Vec::new();
    for n in [1, 2] {
        let (status, accepted) = s
            .post(
                "/v1/events",
                json!({ "type": "tick", "user": "rep1", "payload": { "n": n } }),
            )
            .await;
        assert_eq!(status, 202, "{accepted:#}");
        let id = accepted["job_id"].as_str().expect("job id").to_owned();
        s.wait_job(&id, |j| j["status"] == "completed").await;
        jobs.push(id);
    }
    let shadow = async |event: &str, query: &str, body: &str, token: Option<&str>| {
        let mut req = s
            .http
            .post(s.url(&format!("/v1/admin/sequences/{event}/shadow{query}")))
            .header("content-type", "text/plain")
            .body(body.to_owned());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("POST");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    };
    let (_, jobs_before) = s.get("/v1/jobs").await;
    let runs_before = {
        let mut n = 0;
        for id in &jobs {
            n += s
                .app
                .store()
                .step_runs(&s.org, &baton::store::JobId::from(id.as_str()))
                .await
                .expect("runs")
                .len();
        }
        n
    };

    // The serving text itself: nothing changes.
    let (status, same) = shadow("tick", "", TICK, Some(ADMIN)).await;
    assert_eq!(status, 200, "{same:#}");
    assert_eq!(same["summary"]["jobs"], 2, "{same:#}");
    assert_eq!(same["summary"]["jobs_changed"], 0, "{same:#}");
    assert_eq!(same["summary"]["runs"]["runs"], 0, "{same:#}");
    assert_eq!(same["against"][0]["version"], 1, "{same:#}");
    assert_eq!(same["against"][0]["changes"], json!([]), "{same:#}");

    // The candidate: each change named, each job's other decisions, and
    // `second` called again with its new params.
    let (status, diff) = shadow("tick", "", TICK_CANDIDATE, Some(ADMIN)).await;
    assert_eq!(status, 200, "{diff:#}");
    let changes: Vec<(String, String)> = diff["against"][0]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["step"].as_str().unwrap_or_default().to_owned(),
                c["what"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("second", "params"),
        ("maybe", "stage"),
        ("maybe", "condition"),
        ("gone", "dropped"),
        ("extra", "added"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(changes, want, "{diff:#}");
    assert_eq!(diff["against"][0]["jobs"], 2);
    let job = |id: &str| -> Value {
        diff["jobs"]
            .as_array()
            .and_then(|j| j.iter().find(|j| j["job"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("job {id} not replayed: {diff:#}"))
    };
    let decided = |j: &Value| -> Vec<(String, String, bool)> {
        j["decided"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["step"].as_str().unwrap_or_default().to_owned(),
                    d["live"].as_str().unwrap_or_default().to_owned(),
                    d["runs"].as_bool().unwrap_or_default(),
                )
            })
            .collect()
    };
    let one = job(&jobs[0]);
    assert_eq!(
        decided(&one),
        vec![
            ("maybe".to_owned(), "ran".to_owned(), false),
            (
                "extra".to_owned(),
                "not in the version it ran".to_owned(),
                true
            ),
        ],
        "{one:#}"
    );
    let two = job(&jobs[1]);
    assert_eq!(
        decided(&two)[0],
        (
            "maybe".to_owned(),
            "skipped by its condition".to_owned(),
            true
        ),
        "{two:#}"
    );
    assert_eq!(two["not_replayed"][0]["step"], "maybe", "{two:#}");
    for j in [&one, &two] {
        let runs = j["runs"].as_array().expect("runs");
        assert_eq!(runs.len(), 1, "only `second` changes its call: {j:#}");
        assert_eq!(runs[0]["step"], "second");
        assert_eq!(runs[0]["verdict"], "different");
        let changed: Vec<&str> = runs[0]["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["path"].as_str())
            .collect();
        assert_eq!(changed, ["/data/params/v"], "{j:#}");
    }
    assert_eq!(diff["summary"]["jobs_changed"], 2, "{diff:#}");
    assert_eq!(diff["summary"]["runs"]["different"], 2, "{diff:#}");
    let (status, limited) = shadow("tick", "?limit=1", TICK_CANDIDATE, Some(ADMIN)).await;
    assert_eq!(status, 200);
    assert_eq!(limited["summary"]["jobs"], 1, "the limit counts jobs");

    // Nothing ran for real, was written or published.
    let (_, jobs_after) = s.get("/v1/jobs").await;
    assert_eq!(jobs_before, jobs_after);
    let mut runs_after = 0;
    for id in &jobs {
        runs_after += s
            .app
            .store()
            .step_runs(&s.org, &baton::store::JobId::from(id.as_str()))
            .await
            .expect("runs")
            .len();
    }
    assert_eq!(runs_before, runs_after);
    let versions = s
        .app
        .store()
        .sequence_versions("tick")
        .await
        .expect("versions");
    assert_eq!(versions.len(), 1, "a shadow publishes nothing");

    // Bad input: a 4xx problem that names it.
    let (status, body) = shadow("tick", "", TICK_CANDIDATE, None).await;
    is_problem(status, &body, 401);
    let (status, body) = shadow("other", "", TICK_CANDIDATE, Some(ADMIN)).await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("`tick`")),
        "{body:#}"
    );
    let (status, body) = shadow(
        "tick",
        "",
        "event = \"tick\"\n[[step]]\nskil = \"x\"\n",
        Some(ADMIN),
    )
    .await;
    is_problem(status, &body, 422);
    let unknown = TICK_CANDIDATE.replace(
        "name = \"extra\"\nskill = \"scripted\"",
        "name = \"extra\"\nskill = \"nowhere\"",
    );
    let (status, body) = shadow("tick", "", &unknown, Some(ADMIN)).await;
    is_problem(status, &body, 422);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("nowhere")),
        "{body:#}"
    );
    let (status, body) = shadow("tick", "?limit=0", TICK_CANDIDATE, Some(ADMIN)).await;
    is_problem(status, &body, 400);
    let (status, body) = shadow("tick", "?since=yesterday", TICK_CANDIDATE, Some(ADMIN)).await;
    is_problem(status, &body, 400);
    let (status, body) = shadow("tick", "?org=nobody", TICK_CANDIDATE, Some(ADMIN)).await;
    is_problem(status, &body, 404);
    s.stop().await;
    db.finish().await;
}
