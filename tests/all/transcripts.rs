//! A call's words stored once (issue 44, 1): the demo's call through `baton
//! serve`'s API leaves one transcript attachment, the job's payload and its
//! `proposal_generation` follow-up refer to it by id, no step's recorded
//! input copies the words, and the skills that read them (by
//! `context.attachment`) still find the promises in them.

use crate::meeting_ended::{SKILLS, crm, post_demo_call, read, serve_chain, slack_peer};
use baton::store::{Content, JobId, RecordedQuery};
use baton_tests::server::Server;
use baton_tests::{Backend, HttpPeer, TestDb, backend_test};
use serde_json::Value;

/// The meeting chain served on `backend` with the demo's CRM, and the
/// demo's call (not posted yet); the Slack peer lives as long as it is held.
async fn serving(backend: Backend) -> (HttpPeer, TestDb, Server, Value) {
    let slack = slack_peer();
    let db = TestDb::new(backend).await;
    let s = serve_chain(&db, &slack, &[]).await;
    crm(&s).await;
    let call = serde_json::from_str(&read("examples/events/meeting_ended.json")).expect("JSON");
    (slack, db, s, call)
}

backend_test!(
    a_call_s_words_are_stored_once_and_referred_to_by_id,
    a_call_s_words_are_stored_once_and_referred_to_by_id_body
);

async fn a_call_s_words_are_stored_once_and_referred_to_by_id_body(backend: Backend) {
    let (_slack, db, s, call) = serving(backend).await;
    let longest = call["utterances"]
        .as_array()
        .expect("utterances")
        .iter()
        .filter_map(|u| u["text"].as_str())
        .max_by_key(|t| t.len())
        .expect("a line")
        .to_owned();
    let (job, _) = post_demo_call(&s).await;
    let store = s.app.store();

    // One transcript, about the call, holding its words.
    let meeting = call["meeting_id"].as_str().expect("meeting id");
    let held = store
        .attachments_about(&s.org, "transcript", meeting)
        .await
        .expect("attachments");
    assert_eq!(held.len(), 1, "one transcript for the call");
    let Content::Body(body) = &held[0].content else {
        panic!("the transcript is not erased");
    };
    assert_eq!(body["utterances"], call["utterances"]);

    // The job refers to it and holds none of the words.
    let id = JobId(job.clone());
    let stored = store.job(&s.org, &id).await.expect("job").expect("held");
    assert_eq!(stored.payload["transcript_id"], held[0].id.as_str());
    assert!(
        stored.payload.get("utterances").is_none(),
        "{:#}",
        stored.payload
    );
    assert!(!stored.payload.to_string().contains(&longest));

    // So does the proposal it queued.
    let children = store.children(&s.org, &id).await.expect("children");
    let mut proposals = 0;
    for child in children {
        let c = store
            .job(&s.org, &child)
            .await
            .expect("child")
            .expect("held");
        if c.event_type == "proposal_generation" {
            proposals += 1;
            assert_eq!(c.payload["transcript_id"], held[0].id.as_str());
            assert!(!c.payload.to_string().contains(&longest));
        }
    }
    assert_eq!(proposals, 1, "the rep promised a proposal");

    // No step's recorded input copies the words (the runs that finished;
    // a run parked at its gate is recorded when decided), and the steps
    // that read them found what was said.
    let mut recorded = 0;
    for skill in SKILLS {
        let runs = store
            .recorded_runs(&RecordedQuery {
                skill,
                since: 0,
                limit: 10,
                org: Some(&s.org),
                skipped: true,
            })
            .await
            .expect("runs");
        recorded += runs.len();
        for r in runs {
            assert!(!r.input.to_string().contains(&longest), "{skill}'s input");
            assert!(!r.payload.to_string().contains(&longest), "{skill}'s event");
        }
    }
    assert!(recorded >= 5, "{recorded} recorded runs");
    let intents = s.step_data(&job, "detect-intents").await;
    assert!(
        intents["intents"]
            .as_array()
            .is_some_and(|i| i.iter().any(|d| d["label"] == "commitment:send_proposal")),
        "{intents:#}"
    );
    let talk = s.step_data(&job, "coaching-analysis").await;
    assert!(
        talk["rep_share"]
            .as_f64()
            .is_some_and(|r| r > 0.0 && r < 1.0),
        "{talk:#}"
    );

    // The same call again is a duplicate: still one transcript.
    let (status, again) = s
        .post(
            "/v1/events",
            serde_json::json!({ "type": "meeting_ended", "user": "rep1", "payload": call }),
        )
        .await;
    assert!(matches!(status, 200 | 202 | 409), "{status} {again}");
    let held = store
        .attachments_about(&s.org, "transcript", meeting)
        .await
        .expect("attachments");
    assert_eq!(held.len(), 1);
    s.stop().await;
    db.finish().await;
}

backend_test!(
    erasing_a_call_leaves_a_tombstone_and_no_trace_of_its_words,
    erasing_a_call_leaves_a_tombstone_and_no_trace_of_its_words_body
);

/// Every text under `key` anywhere in `v`, of three words or more.
fn texts_under(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key
                    && let Some(t) = x.as_str()
                    && t.split_whitespace().count() >= 3
                {
                    out.push(t.to_owned());
                }
                texts_under(x, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| texts_under(x, key, out)),
        _ => {}
    }
}

/// Which of `needles` show in `haystack`, as said or as JSON or a dump
/// escapes them: one pass over the haystack for all of them.
fn found_in(haystack: &str, needles: &[String]) -> Vec<String> {
    let mut forms = Vec::with_capacity(needles.len() * 3);
    for n in needles {
        let json = serde_json::to_string(n).expect("text");
        let escaped = json[1..json.len() - 1].to_owned();
        let dumped = escaped.replace('\\', "\\\\");
        forms.extend([n.clone(), escaped, dumped]);
    }
    let matcher = aho_corasick::AhoCorasick::new(&forms).expect("patterns");
    let mut hit = vec![false; needles.len()];
    for m in matcher.find_overlapping_iter(haystack) {
        hit[m.pattern().as_usize() / 3] = true;
    }
    needles
        .iter()
        .zip(hit)
        .filter(|(_, h)| *h)
        .map(|(n, _)| n.clone())
        .collect()
}

/// The whole database as text: the SQLite file and its log, or a
/// `pg_dump` of the Postgres database.
fn database_text(backend: Backend, db: &TestDb) -> String {
    match backend {
        Backend::Sqlite => {
            let mut all = std::fs::read(&db.url).expect("the database file");
            if let Ok(log) = std::fs::read(format!("{}-wal", db.url)) {
                all.extend(log);
            }
            String::from_utf8_lossy(&all).into_owned()
        }
        Backend::Postgres => {
            let out = std::process::Command::new("pg_dump")
                .args(["--data-only", &db.url])
                .output()
                .expect("pg_dump runs");
            assert!(
                out.status.success(),
                "pg_dump: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
    }
}

async fn erasing_a_call_leaves_a_tombstone_and_no_trace_of_its_words_body(backend: Backend) {
    let (_slack, db, s, call) = serving(backend).await;
    let meeting = call["meeting_id"].as_str().expect("meeting id").to_owned();
    // What the database holds before the call (the skills' and sequences'
    // own text may quote a demo line) is not the call's.
    let before = database_text(backend, &db);
    let (job, _) = post_demo_call(&s).await;

    // The words: every run of six words of every line of the call, and
    // every quote, phrase and request the steps took from it.
    let mut words: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    texts_under(&call, "text", &mut lines);
    for line in &lines {
        let w: Vec<&str> = line.split_whitespace().collect();
        words.extend(w.windows(6.min(w.len())).map(|run| run.join(" ")));
    }
    for skill in SKILLS {
        let data = s.step_data(&job, skill).await;
        for key in ["quote", "phrase", "request", "trigger_phrase"] {
            texts_under(&data, key, &mut words);
        }
    }
    words.sort();
    words.dedup();
    let held_before = found_in(&before, &words);
    words.retain(|w| !held_before.contains(w));
    assert!(words.len() > 500, "{} texts", words.len());
    assert!(
        !found_in(&database_text(backend, &db), &words).is_empty(),
        "the test finds the words before they are erased"
    );

    // Refused without a reason, or for a meeting the org never held.
    let path = format!("/v1/meetings/{meeting}/transcript");
    let (status, refused) = s.delete(&path).await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["detail"]
            .as_str()
            .is_some_and(|d| d.contains("why")),
        "{refused}"
    );
    let (status, _) = s
        .delete("/v1/meetings/never-held/transcript?why=asked")
        .await;
    assert_eq!(status, 404);

    let why = "the customer asked on 28 Nov";
    let (status, erased) = s
        .delete(&format!("{path}?why={}", why.replace(' ', "%20")))
        .await;
    assert_eq!(status, 200, "{erased}");
    let t = &erased["transcripts"][0];
    assert_eq!(t["why"], why);
    assert_eq!(t["already"], false);
    assert!(
        t["jobs"].as_u64().is_some_and(|n| n >= 2),
        "the call and its proposal: {t}"
    );
    assert!(
        t["erased_by"]
            .as_str()
            .is_some_and(|b| b.starts_with("api:")),
        "{t}"
    );

    // The job page shows the tombstone; what waited for the rep is
    // cancelled, not left to send what was drafted from the words.
    let (_, page) = s.get(&format!("/v1/jobs/{job}")).await;
    assert_eq!(page["erased"][0]["why"], why, "{page:#}");
    assert_eq!(page["status"], "cancelled", "{page:#}");
    assert!(
        page["approvals"]
            .as_array()
            .is_some_and(|g| g.iter().all(|g| g["status"] != "open")),
        "{page:#}"
    );

    // So does the rep's page of the job.
    let cookie = s.rep_login().await;
    let (status, html) = s.inbox_get(&cookie, &format!("/inbox/jobs/{job}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("The call&#39;s transcript was erased")
            || html.contains("The call's transcript was erased"),
        "{html}"
    );
    assert!(html.contains(why), "the reason is on the page");

    // Asked again: the earlier erasure.
    let (status, again) = s.delete(&format!("{path}?why=again")).await;
    assert_eq!(status, 200);
    assert_eq!(again["transcripts"][0]["already"], true);
    assert_eq!(again["transcripts"][0]["why"], why);

    // A replay of the call's runs says they were erased, and runs none.
    let skill = s
        .app
        .orch
        .registry
        .get("detect-intents")
        .expect("installed");
    let scope = baton::replay::Scope {
        since: 0,
        limit: 10,
        org: Some(&s.org),
        against_decisions: false,
    };
    let report = baton::replay::replay(s.app.store(), &skill, &scope, |_, _| {})
        .await
        .expect("replay");
    assert!(report.summary.runs >= 1);
    assert_eq!(
        report.summary.erased, report.summary.runs,
        "{:#?}",
        report.runs
    );
    let said = report.runs[0]
        .candidate
        .error
        .as_deref()
        .unwrap_or_default();
    assert!(
        said.contains("transcript was erased") && said.contains(why),
        "{said}"
    );

    // No trace of the words in the database.
    s.stop().await;
    let left = found_in(&database_text(backend, &db), &words);
    assert!(
        left.is_empty(),
        "{} of the words are still stored: {left:#?}",
        left.len()
    );
    db.finish().await;
}

backend_test!(
    a_transcript_past_its_retention_is_erased_on_the_scheduler_s_tick,
    a_transcript_past_its_retention_is_erased_on_the_scheduler_s_tick_body
);

async fn a_transcript_past_its_retention_is_erased_on_the_scheduler_s_tick_body(backend: Backend) {
    use baton::orchestrator::Clock;
    use baton::orchestrator::scheduler::Scheduler;
    const DAY: i64 = 86_400_000;
    let (_slack, db, s, call) = serving(backend).await;
    // A retention that is not a whole number of days is refused, naming it.
    let (status, refused) = s
        .post(
            "/v1/crm/import",
            serde_json::json!({ "org": { "slug": "acme", "name": "Acme",
                "profile": { "transcript_retention_days": 0 } } }),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["detail"]
            .as_str()
            .is_some_and(|d| d.contains("transcript_retention_days")),
        "{refused}"
    );
    let meeting = call["meeting_id"].as_str().expect("meeting id");
    post_demo_call(&s).await;
    let stored_at = s.clock.now_ms();
    let held = async || {
        s.app
            .store()
            .attachments_about(&s.org, "transcript", meeting)
            .await
            .expect("attachments")
            .remove(0)
            .content
    };
    let scheduler = Scheduler::new(s.app.orch.clone());

    // Kept for the default 180 days …
    scheduler.tick(stored_at + 179 * DAY).await.expect("tick");
    assert!(matches!(held().await, Content::Body(_)));
    // … and erased on the first tick after.
    scheduler.tick(stored_at + 181 * DAY).await.expect("tick");
    match held().await {
        Content::Erased(t) => {
            assert_eq!(t.erased_by, "retention");
            assert!(t.why.contains("180 days"), "{}", t.why);
            assert_eq!(t.erased_at, stored_at + 181 * DAY);
        }
        Content::Body(_) => panic!("the transcript outlived its retention"),
    }
    s.stop().await;
    db.finish().await;
}

/// `context:attachments` is a declaration only: `baton skill run` without
/// the grant loads the skill (an operator's grants file written before the
/// capability existed would otherwise stop every meeting skill); a payload
/// with its words inline needs no read, and one naming a stored transcript
/// is denied that read at run time, naming the capability.
#[test]
fn a_skill_declaring_attachments_loads_ungranted_and_is_denied_only_the_read() {
    let sample = baton_tests::root().join("examples/transcripts/discovery-call.json");
    let wasm = baton_tests::skill("detect-intents").display().to_string();
    // `baton skill run detect-intents --input @FILE`, granted nothing.
    let run = |input: &std::path::Path| {
        baton_tests::baton([
            "skill",
            "run",
            &wasm,
            "--input",
            &format!("@{}", input.display()),
        ])
    };
    let inline = run(&sample);
    assert_eq!(inline.code, 0, "{inline:#?}");
    assert!(
        inline.json()["follow_ups"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{inline:#?}"
    );

    let mut call: Value =
        serde_json::from_str(&read("examples/transcripts/discovery-call.json")).expect("JSON");
    let payload = call["event"]["payload"].as_object_mut().expect("payload");
    payload.remove("utterances");
    payload.insert(
        "transcript_id".into(),
        Value::from("att_0123456789abcdef0123456789abcdef"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("by-id.json");
    std::fs::write(&input, call.to_string()).expect("write input");
    let by_id = run(&input);
    assert_ne!(by_id.code, 0, "{by_id:#?}");
    assert!(
        by_id.stderr.contains("denied") && by_id.stderr.contains("context:attachments"),
        "{by_id:#?}"
    );
}
