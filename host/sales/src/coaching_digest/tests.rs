use super::*;
use baton_store::UserId;

fn row(share: f64, discovery: i64, process: Option<i64>, detail: &str) -> CoachingAnalysis {
    CoachingAnalysis {
        id: "a".into(),
        user_id: UserId::from("u"),
        meeting_id: "m".into(),
        job_id: "j".into(),
        deal_id: None,
        contact_id: None,
        title: Some("Call".into()),
        analysed_at: 0,
        ended_at: None,
        method: "timestamps".into(),
        rep_share: Some(share),
        questions: discovery + 2,
        discovery_questions: discovery,
        longest_monologue_ms: None,
        unanswered: 0,
        objections: 1,
        objections_answered_with_evidence: 1,
        current_process_at_ms: process,
        detail: detail.into(),
    }
}

#[test]
fn a_week_averages_its_meetings_and_times_its_follow_ups() {
    let rows = [
        row(0.6, 4, Some(120_000), "{}"),
        row(0.4, 6, Some(900_000), "{}"),
    ];
    let follow = [
        FollowUpTiming {
            meeting_id: "a".into(),
            ended_at: 0,
            sent_at: Some(5 * 60_000),
            child_sent_at: None,
        },
        FollowUpTiming {
            meeting_id: "b".into(),
            ended_at: 0,
            sent_at: None,
            child_sent_at: Some(45 * 60_000),
        },
        FollowUpTiming {
            meeting_id: "c".into(),
            ended_at: 0,
            sent_at: None,
            child_sent_at: None,
        },
    ];
    let w = week("2026-11-16".into(), &rows, &follow, 300_000);
    assert_eq!(w.meetings, 2);
    assert!((w.rep_share.unwrap_or(0.0) - 0.5).abs() < 1e-9);
    assert_eq!(w.discovery_per_meeting, Some(5.0));
    assert_eq!(w.process_early, 1);
    assert_eq!((w.follow_up.sent, w.follow_up.fast), (2, 1));
    assert_eq!(w.follow_up.median_minutes, Some(25.0));
}

#[test]
fn moments_come_from_the_stored_detail_worst_first() {
    let detail = r#"{"longest_monologue": {"start_ms": 60000, "duration_ms": 480000, "quote": "Let me walk you through"},
        "unanswered_questions": [{"at_ms": 180000, "quote": "Does it work with SAP?", "answered_at_ms": 540000},
                                 {"at_ms": 200000, "quote": "What about pricing?", "answered_at_ms": null}],
        "objections": [{"kind": "price", "at_ms": 5, "quote": "Too expensive", "with_evidence": false},
                       {"kind": "timing", "at_ms": 9, "quote": "Not now", "with_evidence": true}]}"#;
    let m = moments(&[row(0.6, 4, None, detail), row(0.5, 2, None, "not json")]);
    let kinds: Vec<MomentKind> = m.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MomentKind::Monologue,
            MomentKind::Unanswered,
            MomentKind::Unanswered,
            MomentKind::Objection
        ]
    );
    assert_eq!(m[1].quote, "What about pricing?", "never answered first");
    assert_eq!(m[2].duration_ms, Some(360_000));
    assert_eq!(m[3].detail.as_deref(), Some("price"));
    assert_eq!(short(&"x".repeat(300)).chars().count(), QUOTE_CHARS);
}
