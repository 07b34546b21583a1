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
    assert_eq!(m["capabilities"], serde_json::json!([]));
    assert!(
        m["output_schema"]["required"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[test]
fn the_sample_call_queues_the_expected_follow_ups() {
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

/// The dev set's figures, as a regression guard well below the targets the
/// rules are written for (precision 0.92, recall 0.80 on unseen data).
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
    assert!(p >= 0.85, "micro precision fell to {p}");
    assert!(rcl >= 0.65, "micro recall fell to {rcl}");
    assert!(
        out["false_positive_rate"].as_f64().unwrap_or(1.0) <= 0.10,
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
    assert_eq!(none["agrees"], true, "{none:#}");
    assert!(call("revopsvault__sample-call-transcript")["agrees"].is_null());
    assert!(out["checked"].as_u64() >= Some(5), "{out:#}");

    let r = baton(["eval", "calls", "/no/such/dir"]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("sales_calls_metadata.json"), "{r:#?}");
}
