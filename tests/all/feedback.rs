//! Feedback that becomes data: a rep marks suggestions "Not right" — through
//! the API, the "Not right…" modal of the Slack request the notifier posted,
//! and the inbox form — on the gates of jobs that the shipped
//! `detect-intents` queued from a real transcript. Each mark skips its gate
//! and is stored with the decision; `baton eval export` writes the label
//! corrections as eval JSONL, and `baton eval intents` scores that file.
//! Bad input (an unknown reason or label, labels that do not fit the gate,
//! a decided gate, a bad `--since`) is refused naming the problem. The
//! email side is in `email_received/feedback.rs`.

use baton::store::{GateId, GateStatus, Preferences};
use baton_tests::server::{Server, Setup, env, start};
use baton_tests::{
    Answer, Backend, HttpPeer, PATIENCE, TestDb, backend_test, baton, body_of, is_problem, poll,
    root, skill, until, validate_blocks,
};
use serde_json::{Value, json};

const SECRET: &str = "feedback-slack-secret";

/// The meeting runs the shipped detector; its follow-ups are gated.
const MEETING: &str = r#"
event = "meeting_ended"
dedupe_key = "meeting_id"

[[step]]
skill = "detect-intents"
params = { min_confidence = 0.6, followup_threshold = 0.8 }
"#;

/// A follow-up sequence whose one step drafts an email (the policy gates it).
/// Its words are a rep's, as a real draft's would be.
fn follow_up(event: &str) -> String {
    let title = baton::words::event_title(event);
    format!(
        r#"
event = "{event}"

[[step]]
name = "draft"
skill = "scripted"
params = {{ actions = [{{ kind = "email_send", preview = "{title} for Marta", payload = {{ to = "marta.ruiz@northwind.example", subject = "About: {title}", body = "Hi Marta" }} }}] }}
"#
    )
}

/// The sample discovery call's payload (utterance 10 asks for content, 11
/// promises a proposal, 12 proposes a meeting).
fn discovery_call() -> Value {
    let text = std::fs::read_to_string(root().join("examples/transcripts/discovery-call.json"))
        .expect("sample transcript");
    let v: Value = serde_json::from_str(&text).expect("json");
    v["event"]["payload"].clone()
}

/// The open gate of the child job queued for `event`.
async fn gate_of(s: &Server, children: &[Value], event: &str) -> Value {
    for id in children {
        let id = id.as_str().expect("child id");
        let (_, job) = s.get(&format!("/v1/jobs/{id}")).await;
        if job["event_type"] == event {
            return s.open_gate(id).await;
        }
    }
    panic!("no {event} child among {children:?}");
}

async fn decide(s: &Server, gate: &str, body: Value) -> (u16, Value) {
    s.post(&format!("/v1/approvals/{gate}/decision"), body)
        .await
}

backend_test!(
    not_right_marks_become_eval_cases_that_round_trip,
    not_right_marks_become_eval_cases_that_round_trip_body
);

async fn not_right_marks_become_eval_cases_that_round_trip_body(backend: Backend) {
    let slack = HttpPeer::answering(
        vec![],
        Answer::json(json!({ "ok": true, "channel": "D1", "ts": "1700000000.000100" })),
    );
    let db = TestDb::new(backend).await;
    let children = [
        "content_retrieval",
        "proposal_generation",
        "calendar_find_times",
    ]
    .map(follow_up);
    let s = start(
        db.store.clone(),
        Setup {
            sequences: &[MEETING, &children[0], &children[1], &children[2]],
            skills: &["detect-intents"],
            env: env(&[
                ("BATON_SLACK_SIGNING_SECRET", SECRET),
                ("BATON_SLACK_BOT_TOKEN", "xoxb-test"),
                (
                    "BATON_SLACK_API_URL",
                    &format!("http://127.0.0.1:{}/api", slack.port),
                ),
            ]),
            ..Setup::default()
        },
    )
    .await;
    let prefs = Preferences {
        slack_channel: Some("D1".into()),
        slack_user_id: Some("U-JORDAN".into()),
        ..Preferences::default()
    };
    s.app
        .store()
        .set_preferences(&s.org, &s.user, &prefs)
        .await
        .expect("prefs");
    let (status, accepted) = s
        .post(
            "/v1/events",
            json!({ "type": "meeting_ended", "user": "rep1", "payload": discovery_call() }),
        )
        .await;
    assert_eq!(status, 202, "{accepted}");
    let meeting = s
        .wait_job(accepted["job_id"].as_str().expect("job"), |j| {
            j["children"].as_array().is_some_and(|c| c.len() == 3)
        })
        .await;
    let kids = meeting["children"].as_array().expect("children").clone();
    let content = gate_of(&s, &kids, "content_retrieval").await;
    let proposal = gate_of(&s, &kids, "proposal_generation").await;
    let meeting_gate = gate_of(&s, &kids, "calendar_find_times").await;
    let content_id = content["id"].as_str().expect("id").to_owned();
    let proposal_id = proposal["id"].as_str().expect("id").to_owned();
    let meeting_id = meeting_gate["id"].as_str().expect("id").to_owned();

    // Bad feedback is refused naming the problem, and the gate stays open.
    let refused = [
        (json!({ "reason": "meh" }), "`meh` is not a reason"),
        (
            json!({ "reason": "wrong_intent", "labels": ["signal:vibes"] }),
            "`signal:vibes` is not an intent label",
        ),
        (
            json!({ "reason": "wrong_intent", "labels": ["fyi"] }),
            "`fyi` is not an intent label",
        ),
        (
            json!({ "reason": "bad_draft", "labels": ["signal:timeline"] }),
            "labels go with the reason `wrong_intent`",
        ),
        (
            json!({ "reason": "other", "colour": "red" }),
            "unknown field `colour`",
        ),
        (
            json!({ "reason": "other", "note": "x".repeat(501) }),
            "longer than 500 characters",
        ),
    ];
    for (feedback, says) in refused {
        let (status, body) = decide(
            &s,
            &content_id,
            json!({ "decision": "skipped", "feedback": feedback }),
        )
        .await;
        is_problem(status, &body, 422);
        assert!(
            body["detail"].as_str().is_some_and(|d| d.contains(says)),
            "{says}: {body:#}"
        );
    }
    let (status, body) = decide(
        &s,
        &content_id,
        json!({ "decision": "approved", "feedback": { "reason": "other" } }),
    )
    .await;
    is_problem(status, &body, 422);
    let (_, still) = s.get(&format!("/v1/approvals/{content_id}")).await;
    assert_eq!(still["status"], "open", "{still:#}");
    assert_eq!(still["feedback"], Value::Null);

    // 1. The API: the detection was wrong; the right labels, given out of
    // order, are kept in the labelling table's order.
    let (status, decided) = decide(
        &s,
        &content_id,
        json!({ "decision": "skipped", "feedback": {
            "reason": "wrong_intent",
            "labels": ["signal:multi_stakeholder", "request:send_content"],
            "note": "they asked for the SOC 2 report for IT" } }),
    )
    .await;
    assert_eq!(status, 200, "{decided:#}");
    assert_eq!(decided["decision"]["decision"], "skipped");
    assert_eq!(decided["decided_by"], "api:tests");
    assert_eq!(decided["feedback"]["reason"], "wrong_intent");
    assert_eq!(
        decided["feedback"]["labels"],
        json!(["request:send_content", "signal:multi_stakeholder"])
    );
    let done = s
        .wait_job(content["job_id"].as_str().expect("job"), |j| {
            j["status"] == "completed"
        })
        .await;
    assert_eq!(done["effects"], json!([]), "a skip sends nothing: {done:#}");
    let (_, shown) = s.get(&format!("/v1/approvals/{content_id}")).await;
    assert_eq!(shown["feedback"], decided["feedback"]);
    // Decided once: a second mark is refused.
    let (status, body) = decide(
        &s,
        &content_id,
        json!({ "decision": "skipped", "feedback": { "reason": "other" } }),
    )
    .await;
    is_problem(status, &body, 409);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("already decided")),
        "{body:#}"
    );
    s.clock.advance(1000);

    // 2. The inbox form: the page offers the intent labels; a bad form is
    // answered on the page; "none of these" means no label at all.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cookie = s.inbox_login(&s.token).await;
    let page = http
        .get(s.url(&format!("/inbox/approvals/{proposal_id}")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("id=\"not-right\""), "{page}");
    assert!(page.contains("value=\"signal:buying_negative\""), "{page}");
    let post = async |fields: &[(&str, &str)]| {
        http.post(s.url(&format!("/inbox/approvals/{proposal_id}")))
            .header("cookie", &cookie)
            .form(fields)
            .send()
            .await
            .expect("post")
    };
    let bad = post(&[
        ("decision", "not_right"),
        ("reason", "wrong_intent"),
        ("label", "none"),
        ("label", "signal:timeline"),
    ])
    .await;
    assert_eq!(bad.status().as_u16(), 422);
    assert!(bad.text().await.expect("html").contains("none of these"));
    let no_reason = post(&[("decision", "not_right"), ("reason", "")]).await;
    assert_eq!(no_reason.status().as_u16(), 422);
    let marked = post(&[
        ("decision", "not_right"),
        ("reason", "wrong_intent"),
        ("label", "none"),
        ("note", "small talk, not a promise"),
    ])
    .await;
    assert_eq!(marked.status().as_u16(), 303, "on to the job page");
    let stored = s
        .app
        .store()
        .gate_feedback(&s.org, &GateId::from(proposal_id.as_str()))
        .await
        .expect("feedback")
        .expect("stored");
    assert_eq!(stored.labels, Some(vec![]));
    assert_eq!(stored.note.as_deref(), Some("small talk, not a promise"));
    let gate = s
        .app
        .store()
        .pending_action(&s.org, &GateId::from(proposal_id.as_str()))
        .await
        .expect("gate")
        .expect("gate");
    assert_eq!(gate.status, GateStatus::Decided);
    assert_eq!(gate.decided_by.as_deref(), Some("inbox:token:tests"));
    let after = http
        .get(s.url(&format!("/inbox/approvals/{proposal_id}")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(after.contains("Marked not right"), "{after}");
    s.clock.advance(1000);

    // 3. Slack: the request the notifier posted carries "Not right…",
    // which opens a modal taking the reason, the corrected labels and a
    // note; labels that do not go with the reason are refused on the
    // field, and a good submission skips the gate and says so.
    until(
        "the meeting gate's request reaches Slack",
        PATIENCE,
        async || {
            slack
                .requests()
                .iter()
                .filter(|r| r.contains(&meeting_id))
                .count()
                >= 1
        },
    )
    .await;
    let posted: Value = slack
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST /api/chat.postMessage"))
        .map(|r| serde_json::from_str::<Value>(body_of(r)).expect("json"))
        .find(|m| m.to_string().contains(&meeting_id))
        .expect("the meeting gate's request");
    let button = posted["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .find(|e| e["action_id"] == "baton.not_right")
        .expect("a Not right button");
    assert_eq!(button["type"], "button");
    assert_eq!(button["text"]["text"], "Not right…");
    let respond = format!("http://127.0.0.1:{}/api/respond", slack.port);
    let payload = json!({ "type": "block_actions", "user": { "id": "U-JORDAN" },
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": respond,
        "actions": [{ "type": "button", "action_id": "baton.not_right",
                      "block_id": format!("gate:{meeting_id}"), "value": button["value"] }] });
    assert_eq!(
        s.slack_interaction(SECRET, s.app.now(), &payload).await,
        200
    );
    let opened = poll(PATIENCE, async || {
        slack
            .requests()
            .into_iter()
            .find(|r| r.starts_with("POST /api/views.open"))
    })
    .await
    .unwrap_or_else(|| panic!("no modal opened: {:#?}", slack.requests()));
    let opened: Value = serde_json::from_str(body_of(&opened)).expect("views.open body");
    assert_eq!(
        opened["trigger_id"],
        "13345224609.738474920.8088930838d88f008e0"
    );
    let view = &opened["view"];
    assert_eq!(view["type"], "modal");
    let report = validate_blocks(&json!({ "not_right_modal": view["blocks"] }));
    assert_eq!(
        report["not_right_modal"],
        json!([]),
        "valid Block Kit: {report}"
    );
    // A meeting's detections: the nine intent labels and "none of these".
    let labels = view["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .find(|b| b["block_id"] == "labels")
        .expect("a labels field")
        .clone();
    assert_eq!(labels["element"]["type"], "checkboxes");
    let vocabulary: Vec<&str> = labels["element"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(vocabulary.len(), 10, "{vocabulary:?}");
    assert_eq!(vocabulary.last(), Some(&"none"));
    let submit = |reason: &str, ticked: &[&str], note: &str| {
        let options: Vec<Value> = ticked.iter().map(|v| json!({ "value": v })).collect();
        json!({ "type": "view_submission", "user": { "id": "U-JORDAN" },
            "view": { "callback_id": view["callback_id"], "private_metadata": view["private_metadata"],
                "state": { "values": {
                    "reason": { "reason": { "type": "static_select", "selected_option": { "value": reason } } },
                    "labels": { "labels": { "type": "checkboxes", "selected_options": options } },
                    "note": { "note": { "type": "plain_text_input", "value": note } } } } } })
    };
    let post = async |payload: Value| -> (u16, Value) {
        let (status, body) = s.slack_answer(SECRET, s.app.now(), &payload).await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    };
    // Labels go with "Wrong intent or label": refused on the field.
    let (status, refused) = post(submit("wrong_timing", &["buying_positive"], "")).await;
    assert_eq!(status, 200);
    assert_eq!(refused["response_action"], "errors", "{refused}");
    assert!(
        refused["errors"]["labels"]
            .as_str()
            .is_some_and(|e| e.contains("wrong_intent")),
        "{refused}"
    );
    // So is "none of these" beside a label.
    let (_, refused) = post(submit("wrong_intent", &["none", "timeline"], "")).await;
    assert!(
        refused["errors"]["labels"]
            .as_str()
            .is_some_and(|e| e.contains("alone")),
        "{refused}"
    );
    let gate = s
        .app
        .store()
        .pending_action(&s.org, &GateId::from(meeting_id.as_str()))
        .await
        .expect("gate")
        .expect("gate");
    assert_eq!(gate.status, GateStatus::Open, "nothing changed");
    let done = submit("wrong_timing", &[], "  ask again after the holidays ");
    let (status, body) = s.slack_answer(SECRET, s.app.now(), &done).await;
    assert_eq!((status, body.as_str()), (200, ""), "the modal closes");
    until("Slack's message is replaced", PATIENCE, async || {
        slack
            .requests()
            .iter()
            .any(|r| r.starts_with("POST /api/respond"))
    })
    .await;
    let respond = slack
        .requests()
        .into_iter()
        .find(|r| r.starts_with("POST /api/respond"))
        .expect("respond");
    assert!(
        body_of(&respond).contains("Marked not right (wrong timing) by Jordan Avery"),
        "{respond}"
    );
    let stored = s
        .app
        .store()
        .gate_feedback(&s.org, &GateId::from(meeting_id.as_str()))
        .await
        .expect("feedback")
        .expect("stored");
    assert_eq!(stored.note.as_deref(), Some("ask again after the holidays"));
    assert_eq!(stored.reason.as_str(), "wrong_timing");
    assert_eq!(stored.labels, None);
    // Nothing a rep read in Slack names the machinery (issue 38, 2.3).
    assert!(
        baton_tests::plain::assert_plain_slack(&slack) > 0,
        "Slack was posted to"
    );
    s.stop().await;

    // The export: the two label corrections, in the eval format, in the
    // order they were given; the timing mark is not a label correction.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("feedback.jsonl");
    let run = baton([
        "eval",
        "export",
        "--since",
        "2026-11-01",
        "--out",
        &file.display().to_string(),
        "--database",
        &db.url,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr.contains("wrote 2 intent cases to")
            && run.stderr.contains("1 other \"Not right\" mark"),
        "{run:#?}"
    );
    assert_eq!(run.stdout, "", "the cases go to the file");
    let call = discovery_call();
    let said = |i: usize| {
        call["utterances"][i]["text"]
            .as_str()
            .expect("text")
            .to_owned()
    };
    let written = std::fs::read_to_string(&file).expect("export");
    let lines: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines,
        vec![
            json!({ "id": format!("fb-{content_id}"), "speaker": "prospect", "text": said(10),
                    "labels": ["request:send_content", "signal:multi_stakeholder"] }),
            json!({ "id": format!("fb-{proposal_id}"), "speaker": "rep", "text": said(11), "labels": [] }),
        ]
    );
    assert!(
        written.starts_with("{\"id\":\"fb-"),
        "keys in the eval set's order: {written}"
    );
    // Round trip: the eval command reads and scores the file.
    let scored = baton([
        "eval",
        "intents",
        &file.display().to_string(),
        "--skill",
        &skill("detect-intents").display().to_string(),
    ]);
    assert_eq!(scored.code, 0, "{scored:#?}");
    assert!(
        scored
            .stdout
            .starts_with("2 utterances, skill detect-intents"),
        "{scored:#?}"
    );
    let json = baton([
        "eval",
        "intents",
        &file.display().to_string(),
        "--skill",
        &skill("detect-intents").display().to_string(),
        "--json",
    ])
    .json();
    let support: u64 = json["labels"]
        .as_object()
        .expect("labels")
        .values()
        .map(|l| l["support"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        support, 2,
        "the corrected labels are the gold labels: {json:#}"
    );

    // Nothing for emails here; the window starts after every mark.
    let emails = baton([
        "eval",
        "export",
        "--kind",
        "emails",
        "--since",
        "2026-11-01",
        "--database",
        &db.url,
    ]);
    assert_eq!(emails.code, 0, "{emails:#?}");
    assert_eq!(emails.stdout, "");
    assert!(
        emails
            .stderr
            .contains("wrote 0 email cases to standard output"),
        "{emails:#?}"
    );
    let later = baton([
        "eval",
        "export",
        "--since",
        "2026-11-24T00:00:00Z",
        "--database",
        &db.url,
    ]);
    assert_eq!(later.code, 0, "{later:#?}");
    assert!(later.stderr.contains("wrote 0 intent cases"), "{later:#?}");
    // A bad window is refused, naming it.
    for bad in ["soon", "30", "2026-13-01"] {
        let run = baton(["eval", "export", "--since", bad, "--database", &db.url]);
        assert_ne!(run.code, 0, "{run:#?}");
        assert!(run.stderr.contains(&format!("--since `{bad}`")), "{run:#?}");
    }
    db.finish().await;
}
