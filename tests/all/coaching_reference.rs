//! `coaching-analysis` against reference data, through the real component
//! (`baton skill run`):
//!
//! - Talk time on the five earnings calls (`earnings21__*`), against the
//!   per-speaker talk seconds summed from their reference diarization
//!   (`*.rttm_talk_seconds.json`): each speaker's share within 2 points.
//!   The transcript is given as a diarized source delivers it, one
//!   utterance per speech segment of the RTTM (named by its label, the
//!   turn's words spread over its segments), and also as the normalized
//!   turns alone, whose times include the pauses inside each turn.
//! - The sales calls (`tribeai__*`): the unsuccessful cold call shows fewer
//!   discovery questions than the successful one; the pricing call reports
//!   its price objection, answered with evidence.

use baton_tests::{baton, shared_data, skill};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

const CALLS: [&str; 5] = ["4320211", "4384683", "4386541", "4387383", "4394084"];

fn normalized(name: &str) -> PathBuf {
    shared_data().join("transcripts/normalized").join(name)
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn jsonl(name: &str) -> Vec<Value> {
    let path = normalized(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The skill's output `data` for a `meeting_ended` payload.
fn analyse(payload: Value) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input.json");
    let call = json!({
        "event": { "id": "evt-1", "type": "meeting_ended", "source": "test", "org": "demo",
                   "user": "rep1", "payload": payload },
        "params": {}, "previous": []
    });
    std::fs::write(&input, call.to_string()).expect("write input");
    let r = baton([
        "skill".to_owned(),
        "run".to_owned(),
        skill("coaching-analysis").display().to_string(),
        "--input".to_owned(),
        format!("@{}", input.display()),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    r.json()["data"].clone()
}

/// The RTTM's speech segments, `(label, start, end)` in order.
fn segments(call: &str) -> Vec<(String, f64, f64)> {
    let path = shared_data().join(format!("transcripts/earnings21/{call}.rttm"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .lines()
        .filter(|l| l.starts_with("SPEAKER"))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let start: f64 = f[3].parse().expect("onset");
            let dur: f64 = f[4].parse().expect("duration");
            (format!("spk{}", f[7]), start, start + dur)
        })
        .collect()
}

/// The reference talk shares, by label.
fn reference(call: &str) -> BTreeMap<String, f64> {
    let r = read_json(normalized(&format!(
        "earnings21__{call}.rttm_talk_seconds.json"
    )));
    let secs: BTreeMap<String, f64> = r["talk_seconds"]
        .as_object()
        .expect("talk_seconds")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().expect("seconds")))
        .collect();
    let total: f64 = secs.values().sum();
    secs.into_iter().map(|(k, v)| (k, v / total)).collect()
}

/// The largest gap, in points, between the skill's share and the
/// reference's over every reference speaker (a speaker the skill missed
/// counts as 0).
fn worst_gap(call: &str, data: &Value) -> (f64, String) {
    assert_eq!(data["method"], "timestamps", "{call}");
    let got: BTreeMap<String, f64> = data["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_owned(),
                p["share"].as_f64().expect("share"),
            )
        })
        .collect();
    reference(call)
        .into_iter()
        .map(|(k, want)| {
            let gap = (got.get(&k).copied().unwrap_or(0.0) - want).abs() * 100.0;
            (gap, k)
        })
        .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a })
}

#[test]
fn talk_shares_match_the_reference_diarization_within_two_points() {
    for call in CALLS {
        let turns = jsonl(&format!("earnings21__{call}.jsonl"));
        // Consecutive segments of one label make a turn; the transcript's
        // turns line up with them one to one.
        let segs = segments(call);
        let mut runs: Vec<Vec<(String, f64, f64)>> = Vec::new();
        for s in segs {
            match runs.last_mut() {
                Some(run) if run[0].0 == s.0 => run.push(s),
                _ => runs.push(vec![s]),
            }
        }
        assert_eq!(runs.len(), turns.len(), "{call}: turns");
        let mut utterances = Vec::new();
        for (run, turn) in runs.iter().zip(&turns) {
            let words: Vec<&str> = turn["text"]
                .as_str()
                .expect("text")
                .split_whitespace()
                .collect();
            let span: f64 = run.iter().map(|(_, a, b)| b - a).sum();
            // Each segment takes its share of the turn's words by length.
            let mut from = 0usize;
            let mut elapsed = 0.0;
            for (label, a, b) in run {
                elapsed += b - a;
                let to = ((elapsed / span) * words.len() as f64).round() as usize;
                let text = words[from..to.clamp(from, words.len())].join(" ");
                from = to.clamp(from, words.len());
                utterances.push(json!({
                    "speaker": "prospect", "name": label,
                    // A blank line is dropped as silence: a segment whose
                    // share of words rounds to none keeps one.
                    "text": if text.is_empty() { "uh".to_owned() } else { text },
                    "start": a, "end": b
                }));
            }
        }
        let data = analyse(json!({ "meeting_id": call, "utterances": utterances }));
        let (gap, who) = worst_gap(call, &data);
        eprintln!("earnings21 {call}: segments, worst gap {gap:.2} points ({who})");
        assert!(gap <= 2.0, "{call}: {who} is {gap:.2} points off");
    }
}

#[test]
fn turn_times_alone_are_within_two_points_where_turns_hold_no_long_pauses() {
    // 4384683's transcript has no turn times (its labels disagree with the
    // RTTM's in three turns). In 4386541 the presenter's first turn spans
    // 350 s of which 270 s are speech: turn times cannot show that, and the
    // share is 2.5 points off; the check keeps the three others.
    for call in ["4320211", "4387383", "4394084"] {
        let utterances: Vec<Value> = jsonl(&format!("earnings21__{call}.jsonl"))
            .into_iter()
            .map(|t| {
                json!({ "speaker": "prospect", "name": t["speaker"], "text": t["text"],
                        "start": t["start"], "end": t["end"] })
            })
            .collect();
        let data = analyse(json!({ "meeting_id": call, "utterances": utterances }));
        let (gap, who) = worst_gap(call, &data);
        eprintln!("earnings21 {call}: turns, worst gap {gap:.2} points ({who})");
        assert!(gap <= 2.0, "{call}: {who} is {gap:.2} points off");
    }
}

/// A `tribeai__*` call as a meeting: the header lines (call id, date,
/// participants, notes) dropped, stage directions (`*laughs*`) removed,
/// the seller's people (`(TribeAI …)` in the metadata) as the rep.
fn sales_call(name: &str) -> Value {
    let meta = read_json(normalized("sales_calls_metadata.json"));
    let reps: Vec<String> = meta[name]["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| p.contains("(TribeAI"))
        .filter_map(|p| p.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(!reps.is_empty(), "{name}: no rep in the metadata");
    let header = ["Call ID", "Date", "Duration", "Participants", "Outcome"];
    let utterances: Vec<Value> = jsonl(&format!("{name}.jsonl"))
        .into_iter()
        .filter_map(|u| {
            let speaker = u["speaker"].as_str()?.to_owned();
            if header.contains(&speaker.as_str()) || speaker.starts_with("Call Notes") {
                return None;
            }
            let text = stage_directions_removed(u["text"].as_str()?);
            if text.trim().is_empty() {
                return None;
            }
            let side = if reps.contains(&speaker) {
                "rep"
            } else {
                "prospect"
            };
            Some(json!({ "speaker": side, "name": speaker, "text": text }))
        })
        .collect();
    json!({ "meeting_id": name, "utterances": utterances })
}

fn stage_directions_removed(text: &str) -> String {
    text.split('*')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_failed_cold_call_asks_fewer_discovery_questions_than_the_successful_one() {
    let lost = analyse(sales_call("tribeai__cold-call-unsuccessful-01"));
    let won = analyse(sales_call("tribeai__cold-call-success-01"));
    assert_eq!(lost["method"], "word_counts");
    let discovery = |d: &Value| d["questions"]["discovery"].as_i64().expect("discovery");
    eprintln!(
        "discovery questions: unsuccessful {}, successful {}",
        discovery(&lost),
        discovery(&won)
    );
    assert!(
        discovery(&lost) < discovery(&won),
        "lost: {:#}\nwon: {:#}",
        lost["questions"],
        won["questions"]
    );
    // The failed call's "not interested" was talked past, not answered.
    let need = lost["objections"]
        .as_array()
        .expect("objections")
        .iter()
        .find(|o| o["kind"] == "need")
        .unwrap_or_else(|| panic!("{:#}", lost["objections"]));
    assert_eq!(need["answered"], false, "{need:#}");
    assert_eq!(lost["rep_share"].as_f64().map(|s| s > 0.6), Some(true));
}

#[test]
fn the_pricing_call_reports_its_price_objection_and_the_answer() {
    let data = analyse(sales_call("tribeai__objection-pricing-01"));
    let objections = data["objections"].as_array().expect("objections");
    let price = objections
        .iter()
        .find(|o| o["kind"] == "price")
        .unwrap_or_else(|| panic!("no price objection: {data:#}"));
    assert!(
        price["quote"]
            .as_str()
            .is_some_and(|q| q.contains("price is higher than what we budgeted")),
        "{price:#}"
    );
    // Nicole answers with the customer's revenue, the cycle-time gain and a
    // pilot: an answer with evidence.
    assert_eq!(price["answered"], true, "{price:#}");
    assert_eq!(price["with_evidence"], true, "{price:#}");
    assert!(
        price["answer_quote"]
            .as_str()
            .is_some_and(|q| !q.is_empty())
    );
    let feedback = data["feedback"].as_array().expect("feedback");
    assert!((2..=3).contains(&feedback.len()), "{feedback:#?}");
}
