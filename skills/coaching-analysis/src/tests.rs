use super::*;
use baton_sdk::coaching::{Method, ObjectionKind, QUOTE_CHARS, Tone, Topic};
use baton_sdk::testing::FakeHost;

fn run_with(payload: Value, params: Value) -> Result<Analysis, SkillError> {
    let out = FakeHost::for_skill::<CoachingAnalysis>()
        .run::<CoachingAnalysis>(Input::for_event("meeting_ended", payload).with_params(params))?;
    Ok(serde_json::from_value(out.data).expect("an analysis"))
}

fn run(payload: Value) -> Analysis {
    run_with(payload, json!({})).expect("runs")
}

fn demo() -> Value {
    let text = include_str!("../../../examples/events/meeting_ended.json");
    serde_json::from_str(text).expect("the demo meeting")
}

#[test]
fn the_demo_meeting_is_measured_from_its_timestamps() {
    let a = run(demo());
    assert_eq!(a.method, Method::Timestamps);
    // 15:00:00 to 15:21:19.
    assert_eq!(a.duration_ms, Some(1_279_000));
    assert_eq!(a.participants.len(), 2, "{:?}", a.participants);
    assert!((a.rep_share + a.prospect_share - 1.0).abs() < 0.001);
    let rep = &a.participants[0];
    assert_eq!((rep.name.as_str(), rep.side), ("rep", Speaker::Rep));
    assert!(rep.words > 1000 && rep.talk_ms > 300_000, "{rep:?}");
    // The rep's first question about how they work: "can you tell me a
    // bit about your team…" at 0:50.
    assert_eq!(a.current_process_at_ms, Some(50_000));
    assert!(a.questions.discovery >= 6, "{:#?}", a.questions);
    assert!(a.questions.open > a.questions.closed, "{:#?}", a.questions);
    let who_else = a
        .questions
        .items
        .iter()
        .find(|q| q.quote.starts_with("Who else would weigh in"))
        .expect("asked");
    assert_eq!(
        (who_else.open, who_else.topic),
        (true, Some(Topic::Stakeholders))
    );
    assert_eq!(who_else.at_ms, Some(731_000));
    let kinds: Vec<ObjectionKind> = a.objections.iter().map(|o| o.kind).collect();
    assert!(
        kinds.contains(&ObjectionKind::Competitor),
        "{:#?}",
        a.objections
    );
    assert!(
        kinds.contains(&ObjectionKind::Authority),
        "{:#?}",
        a.objections
    );
    let gainsight = &a.objections[0];
    assert_eq!(gainsight.kind, ObjectionKind::Competitor);
    assert_eq!(gainsight.at_ms, Some(298_500));
    assert!(gainsight.answered, "{gainsight:#?}");
    let m = a.longest_monologue.as_ref().expect("the rep spoke");
    assert!(m.duration_ms.is_some_and(|d| d > 20_000), "{m:?}");
}

#[test]
fn feedback_is_two_or_three_bullets_each_at_a_moment() {
    let a = run(demo());
    assert!((2..=3).contains(&a.feedback.len()), "{:#?}", a.feedback);
    for b in &a.feedback {
        let at = b.at_ms.expect("a moment");
        assert!(b.text.contains(&clock(at)), "{b:?}");
        assert!(!b.quote.is_empty() && b.quote.chars().count() <= QUOTE_CHARS);
        assert!(b.text.contains(&b.quote), "{b:?}");
    }
    // The process question at 0:50 is well within five minutes.
    assert_eq!(a.feedback[0].tone, Tone::Strength);
    assert!(
        a.feedback[0].text.starts_with("Strong opening"),
        "{:?}",
        a.feedback[0]
    );
    assert!(
        a.overall.starts_with("Overall: Good discovery"),
        "{}",
        a.overall
    );
    // With a one-minute window, it is late.
    let late = run_with(demo(), json!({ "process_within_minutes": 0.5 })).expect("runs");
    assert!(
        late.feedback
            .iter()
            .all(|b| !b.text.starts_with("Strong opening")),
        "{:#?}",
        late.feedback
    );
}

use baton_sdk::coaching::clock;

fn said(lines: &[(&str, &str, Option<f64>)]) -> Value {
    json!({
        "utterances": lines.iter().map(|(s, t, at)| json!({ "speaker": s, "text": t, "start": at }))
            .collect::<Vec<_>>()
    })
}

#[test]
fn a_monologue_is_quoted_from_its_body_not_its_greeting() {
    let a = run(said(&[
        ("prospect", "Hi, thanks for having us.", Some(0.0)),
        ("rep", "Thanks for joining, Owen.", Some(2.0)),
        (
            "rep",
            "So the routing engine rebuilds every lane each night from your carrier rates. \
             Then the dashboard shows each lane's margin against last quarter, and alerts fire when one drops.",
            Some(4.0),
        ),
        ("rep", "Make sense?", Some(40.0)),
        ("prospect", "Yes.", Some(42.0)),
    ]));
    let m = a.longest_monologue.expect("the rep spoke");
    assert_eq!(m.start_ms, Some(2_000), "it starts where the run starts");
    assert!(
        m.quote.starts_with("So the routing engine rebuilds"),
        "{m:?}"
    );
}

#[test]
fn without_timestamps_shares_come_from_words() {
    let a = run(said(&[
        ("rep", "one two three four five six", None),
        ("prospect", "one two", None),
        ("rep", "Is that right?", Some(4.0)),
    ]));
    assert_eq!(a.method, Method::WordCounts);
    assert_eq!(a.duration_ms, None);
    // 9 words of 11.
    assert_eq!(a.rep_share, 0.8182);
    assert_eq!(a.prospect_share, 0.1818);
    assert_eq!(a.questions.items[0].at_ms, None);
    assert_eq!(a.questions.closed, 1);
}

#[test]
fn names_and_ends_from_the_source_are_used() {
    let a = run(json!({ "utterances": [
        { "speaker": "rep", "speaker_name": "Jordan Avery", "text": "Hello there all", "start": 0.0, "end": 3.0 },
        { "speaker": "prospect", "name": "Marta", "text": "Hi", "start": 10.0, "end": 11.0 },
        { "speaker": "prospect", "name": "Ken", "text": "Hello", "start": 11.0 }
    ] }));
    let names: Vec<(&str, i64)> = a
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.talk_ms))
        .collect();
    // Ken's last line: one word at 150 a minute.
    assert_eq!(
        names,
        [("Jordan Avery", 3000), ("Marta", 1000), ("Ken", 400)]
    );
    assert_eq!(a.rep_share, 0.6818);
}

#[test]
fn a_gap_before_the_next_line_is_not_talk() {
    let a = run(said(&[
        ("rep", "Two words", Some(0.0)),
        ("prospect", "Back after a long silence", Some(60.0)),
    ]));
    // Two words at the slowest plausible pace plus a pause: 4 s, not 60.
    assert_eq!(a.participants[0].talk_ms, 4_000);
}

#[test]
fn a_question_taken_up_late_or_never_is_listed() {
    let a = run(said(&[
        ("rep", "Let me show you the dashboard.", Some(0.0)),
        (
            "prospect",
            "Does the dashboard export to Excel?",
            Some(60.0),
        ),
        (
            "rep",
            "Here the accounts are grouped by owner and region.",
            Some(65.0),
        ),
        ("prospect", "Okay.", Some(120.0)),
        (
            "rep",
            "And the alerts fire when an account goes quiet.",
            Some(125.0),
        ),
        (
            "rep",
            "Sorry, on your question: the dashboard exports to Excel and CSV.",
            Some(300.0),
        ),
        (
            "prospect",
            "Who maintains the integration with our warehouse system?",
            Some(320.0),
        ),
        ("rep", "Let me pull up the roadmap slide.", Some(330.0)),
        ("prospect", "How would that work for us?", Some(400.0)),
        (
            "rep",
            "Good question, it depends on your team.",
            Some(405.0),
        ),
    ]));
    let listed: Vec<(Option<i64>, Option<i64>)> = a
        .unanswered_questions
        .iter()
        .map(|u| (u.at_ms, u.answered_at_ms))
        .collect();
    assert_eq!(
        listed,
        [(Some(60_000), Some(300_000)), (Some(320_000), None)]
    );
    // Ten minutes' patience: only the one never answered.
    let patient = run_with(
        said(&[
            (
                "prospect",
                "Does the dashboard export to Excel?",
                Some(60.0),
            ),
            ("rep", "Here the accounts are grouped by owner.", Some(65.0)),
            (
                "rep",
                "On your question: the dashboard exports to Excel.",
                Some(300.0),
            ),
        ]),
        json!({ "unanswered_after_minutes": 10 }),
    )
    .expect("runs");
    assert!(patient.unanswered_questions.is_empty());
    let w = a
        .feedback
        .iter()
        .find(|b| b.tone == Tone::Warning && b.text.contains("unanswered"))
        .expect("a warning");
    assert!(
        w.text.contains("at 1:00") && w.text.contains("until 5:00"),
        "{w:?}"
    );
}

#[test]
fn objections_are_met_with_evidence_or_missed() {
    let a = run(said(&[
        (
            "prospect",
            "Honestly, this looks too expensive for us.",
            Some(0.0),
        ),
        (
            "rep",
            "I understand. One of our clients your size cut renewal losses by 30% in a quarter.",
            Some(5.0),
        ),
        ("prospect", "I'd need to run it by my boss.", Some(20.0)),
        ("rep", "Our platform has a great dashboard.", Some(25.0)),
        (
            "prospect",
            "We're not in a rush, maybe next quarter.",
            Some(40.0),
        ),
        (
            "rep",
            "Totally fair, what would change by next quarter?",
            Some(45.0),
        ),
    ]));
    let got: Vec<(ObjectionKind, bool, bool)> = a
        .objections
        .iter()
        .map(|o| (o.kind, o.answered, o.with_evidence))
        .collect();
    assert_eq!(
        got,
        [
            (ObjectionKind::Price, true, true),
            (ObjectionKind::Authority, false, false),
            (ObjectionKind::Timing, true, false),
        ]
    );
    assert!(
        a.objections[0]
            .answer_quote
            .as_deref()
            .is_some_and(|q| q.contains("30%"))
    );
    assert_eq!(a.objections[1].answer_quote, None);
    let texts: Vec<&str> = a.feedback.iter().map(|b| b.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Met their price concern at 0:00 with evidence")),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Missed their sign-off concern at 0:20")),
        "{texts:#?}"
    );
}

#[test]
fn an_empty_meeting_is_an_empty_analysis_and_bad_params_are_refused() {
    let a = run(json!({ "utterances": [] }));
    assert_eq!(a.method, Method::WordCounts);
    assert!(a.participants.is_empty() && a.feedback.is_empty());
    assert_eq!((a.rep_share, a.prospect_share), (0.0, 0.0));
    assert_eq!(a.longest_monologue, None);
    let r = run_with(demo(), json!({ "unanswered_after_minutes": -1 }));
    assert!(matches!(r, Err(SkillError::InvalidInput(_))), "{r:?}");
    let r = run_with(demo(), json!({ "after": 2 }));
    assert!(matches!(r, Err(SkillError::InvalidInput(_))), "{r:?}");
}

#[test]
fn the_manifest_derives_the_output_schema() {
    let m = CoachingAnalysis::manifest();
    let v = serde_json::to_value(&m).expect("manifest");
    assert_eq!(v["name"], "coaching-analysis");
    let required = v["output_schema"]["required"].as_array().expect("required");
    for field in [
        "method",
        "participants",
        "questions",
        "objections",
        "feedback",
    ] {
        assert!(required.iter().any(|r| r == field), "{field}");
    }
}
