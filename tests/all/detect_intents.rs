//! The shipped `detect-intents` skill through the real binary: its manifest,
//! the bundled sample transcript, and the eval command on the dev set.

use baton_tests::{baton, root, shared_data, skill};

#[test]
fn check_prints_the_detect_intents_manifest() {
    let r = baton([
        "skill",
        "check",
        &skill("detect-intents").display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let m = &r.json()["manifest"];
    assert_eq!(m["name"], "detect-intents");
    // It reads a stored call's words by id; its model is read from its data
    // folder; an LLM is optional.
    assert_eq!(
        m["capabilities"],
        serde_json::json!(["context:attachments", "llm", "files"])
    );
    assert!(
        m["output_schema"]["required"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[test]
fn the_sample_call_queues_the_expected_follow_ups() {
    let sample = root().join("examples/transcripts/discovery-call.json");
    let wasm = skill("detect-intents");
    let r = baton([
        "skill".to_owned(),
        "run".to_owned(),
        wasm.display().to_string(),
        "--input".to_owned(),
        format!("@{}", sample.display()),
        "--grant".to_owned(),
        "files".to_owned(),
        "--data".to_owned(),
        wasm.with_extension("data").display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    assert_eq!(out["data"]["method"], "rules+model", "{out:#}");
    // Granted `files` only: the skill declares `llm`, still loads, is
    // denied the model and answers without it.
    let path = out["data"]["llm"]["path"].as_str().unwrap_or_default();
    assert!(path.starts_with("denied: "), "{path}");
    let mut follow_ups: Vec<_> = out["follow_ups"]
        .as_array()
        .expect("follow_ups")
        .iter()
        .map(|f| f["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    follow_ups.sort();
    assert_eq!(
        follow_ups,
        [
            "calendar_find_times",
            "content_retrieval",
            "proposal_generation"
        ]
    );
    let labels: Vec<_> = out["data"]["intents"]
        .as_array()
        .expect("intents")
        .iter()
        .map(|i| {
            (
                i["utterance"].as_u64().unwrap_or(999),
                i["label"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // The rep's proposal promise, and nothing from the rep's small talk.
    assert!(
        labels.contains(&(11, "commitment:send_proposal".to_owned())),
        "{labels:?}"
    );
    assert!(
        labels.iter().all(|(u, _)| ![0, 2, 5, 14, 16].contains(u)),
        "{labels:?}"
    );
    // "The demo looked really nice" is mild approval, not a buying signal.
    assert!(
        !labels.contains(&(15, "signal:buying_positive".to_owned())),
        "{labels:?}"
    );
}

/// The dev set's figures with the shipped model (trained on this set among
/// others; the held-out figures are in docs/judgement.md). The rules alone
/// score 1.0 here; the model may add a label of its own.
#[test]
fn eval_reports_per_label_figures_on_the_dev_set() {
    let dev = shared_data().join("eval/intents-dev.jsonl");
    let r = baton([
        "eval".to_owned(),
        "intents".to_owned(),
        dev.display().to_string(),
        "--skill".to_owned(),
        skill("detect-intents").display().to_string(),
        "--json".to_owned(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    let labels = out["labels"].as_object().expect("labels");
    assert_eq!(labels.len(), 9);
    let support: u64 = labels
        .values()
        .map(|l| l["support"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(support, 113, "every gold label is counted");
    let micro = &out["micro"];
    let (p, rcl) = (
        micro["precision"].as_f64().unwrap_or(0.0),
        micro["recall"].as_f64().unwrap_or(0.0),
    );
    assert!(p >= 0.95, "micro precision fell to {p}");
    assert!(rcl >= 0.95, "micro recall fell to {rcl}");
    assert!(
        out["false_positive_rate"].as_f64().unwrap_or(1.0) <= 0.05,
        "{out}"
    );

    let table = baton([
        "eval",
        "intents",
        &dev.display().to_string(),
        "--skill",
        &skill("detect-intents").display().to_string(),
    ]);
    assert_eq!(table.code, 0, "{table:#?}");
    assert!(
        table.stdout.contains("signal:buying_negative") && table.stdout.contains("micro:"),
        "{table:#?}"
    );
}

/// The second author's set: the shipped skill with its model (trained on
/// every set, so this is no held-out figure; those are in
/// docs/judgement.md, from `cargo xtask train --report`).
#[test]
fn eval_on_the_second_authors_set_meets_the_targets() {
    let extra = shared_data().join("eval/intents-extra.jsonl");
    let r = baton([
        "eval",
        "intents",
        &extra.display().to_string(),
        "--skill",
        &skill("detect-intents").display().to_string(),
        "--json",
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    let micro = &out["micro"];
    let p = micro["precision"].as_f64().unwrap_or(0.0);
    let rcl = micro["recall"].as_f64().unwrap_or(0.0);
    let fp = out["false_positive_rate"].as_f64().unwrap_or(1.0);
    // The model only adds labels: the rules' three false positives on
    // this set (3 of 54 no-label lines) stay.
    assert!(p >= 0.92 && rcl >= 0.80 && fp <= 0.06, "{out:#}");
}

/// Without its data folder (here: `files` not granted) the skill runs on
/// the rules alone and says so.
#[test]
fn without_its_model_the_skill_says_it_used_the_rules() {
    let sample = root().join("examples/transcripts/discovery-call.json");
    let r = baton([
        "skill".to_owned(),
        "run".to_owned(),
        skill("detect-intents").display().to_string(),
        "--input".to_owned(),
        format!("@{}", sample.display()),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    assert_eq!(out["data"]["method"], "rules", "{out:#}");
    assert!(
        out["data"]["model_unavailable"]
            .as_str()
            .is_some_and(|m| m.contains("/data/model.json")),
        "{out:#}"
    );
    assert!(
        out["follow_ups"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["type"] == "proposal_generation")),
        "{out:#}"
    );
}

#[test]
fn eval_refuses_a_bad_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"1\",\"speaker\":\"rep\",\"text\":\"hi\",\"labels\":[\"signal:vibes\"]}\n",
    )
    .expect("write");
    let r = baton([
        "eval",
        "intents",
        &bad.display().to_string(),
        "--skill",
        &skill("detect-intents").display().to_string(),
    ]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(
        r.stderr.contains("line 1") && r.stderr.contains("signal:vibes"),
        "{r:#?}"
    );
    let r = baton(["eval", "intents", "/no/such.jsonl"]);
    assert_eq!(r.code, 2, "{r:#?}");
}

/// Whole sales calls against their recorded outcomes: the two the issue
/// names ("Demo scheduled" yields a meeting commitment, "No next step"
/// yields no next-step commitment), and every call is reported.
#[test]
fn eval_calls_sets_detections_against_each_calls_outcome() {
    let dir = shared_data().join("transcripts/normalized");
    let r = baton([
        "eval".to_owned(),
        "calls".to_owned(),
        dir.display().to_string(),
        "--skill".to_owned(),
        skill("detect-intents").display().to_string(),
        "--json".to_owned(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = r.json();
    let calls = out["calls"].as_array().expect("calls");
    assert_eq!(calls.len(), 8, "tribeai__* and revopsvault__*: {out:#}");
    let call = |id: &str| {
        calls
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no {id}: {out:#}"))
    };
    let demo = call("tribeai__discovery-call-01");
    assert!(
        demo["found"]["commitment:schedule_meeting"].as_u64() >= Some(1),
        "{demo:#}"
    );
    assert_eq!(demo["agrees"], true);
    let none = call("tribeai__cold-call-unsuccessful-01");
    assert_eq!(none["expected"]["kind"], "no_next_step");
    // The rep's "Maybe schedule a demo for next week?" proposes a meeting
    // (labelling rule 4) and the model finds it; the prospect declined, so
    // the call still had no next step. Nothing else may be found.
    assert!(
        none["agrees"] == true
            || none["found"] == serde_json::json!({ "commitment:schedule_meeting": 1 }),
        "{none:#}"
    );
    assert!(call("revopsvault__sample-call-transcript")["agrees"].is_null());
    assert!(out["checked"].as_u64() >= Some(5), "{out:#}");

    let r = baton(["eval", "calls", "/no/such/dir"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("sales_calls_metadata.json"), "{r:#?}");
}
