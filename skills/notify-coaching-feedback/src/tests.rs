use super::*;
use baton_sdk::testing::FakeHost;

fn analysis() -> Value {
    json!({
        "method": "timestamps", "duration_ms": 1_800_000, "participants": [],
        "rep_share": 0.58, "prospect_share": 0.42,
        "questions": { "total": 7, "open": 4, "closed": 3, "discovery": 5, "items": [] },
        "longest_monologue": null, "unanswered_questions": [], "objections": [],
        "current_process_at_ms": 95_000,
        "feedback": [
            { "text": "Strong opening \u{2014} asked about their current process at 1:35", "at_ms": 95_000,
              "quote": "How do you handle renewals today?", "tone": "strength" },
            { "text": "Missed Marta's budget concern at 14:23 \u{2014} she said \"we're being careful <with> spend\"",
              "at_ms": 863_000, "quote": "we're being careful with spend", "tone": "warning" }
        ],
        "overall": "Overall: good discovery, stronger close needed."
    })
}

fn input() -> Input {
    Input::for_event(
        "meeting_ended",
        json!({ "meeting_id": "m-1", "title": "Northwind discovery" }),
    )
    .after("coaching-analysis", analysis())
}

fn org(coaching: Option<&str>) -> Value {
    json!({ "preferences": { "timezone": "UTC", "coaching": coaching } })
}

#[test]
fn the_feedback_is_one_inform_post_in_the_seeds_format() {
    let out = FakeHost::for_skill::<NotifyCoachingFeedback>()
        .org(org(Some("both")))
        .run::<NotifyCoachingFeedback>(input())
        .expect("posted");
    assert_eq!(out.data["delivered"], true);
    assert_eq!(out.actions.len(), 1);
    let a = &out.actions[0];
    assert_eq!(a.kind, ActionKind::SlackPost);
    let text = a.payload["text"].as_str().expect("text");
    assert!(
        text.starts_with("\u{1f4a1} Quick feedback on your Northwind discovery call:\n\n\u{251c}\u{2500} \u{2705} Strong opening"),
        "{text}"
    );
    assert!(
        text.contains("\u{2514}\u{2500} \u{26a0}\u{fe0f} Missed Marta's budget concern at 14:23"),
        "{text}"
    );
    assert!(
        text.ends_with("Overall: good discovery, stronger close needed."),
        "{text}"
    );
    let blocks = a.payload["blocks"].to_string();
    assert!(blocks.contains("&lt;with&gt;"), "escaped: {blocks}");
    assert!(blocks.contains("current process asked at 1:35"), "{blocks}");
}

#[test]
fn nothing_is_posted_unless_the_rep_wants_per_meeting_feedback() {
    for (pref, posted) in [
        (Some("per_meeting"), true),
        (None, true),
        (Some("weekly"), false),
        (Some("off"), false),
    ] {
        let out = FakeHost::for_skill::<NotifyCoachingFeedback>()
            .org(org(pref))
            .run::<NotifyCoachingFeedback>(input())
            .expect("ran");
        assert_eq!(out.data["delivered"], posted, "{pref:?}");
        assert_eq!(out.actions.len(), usize::from(posted), "{pref:?}");
        if !posted {
            assert_eq!(
                out.data["reason"],
                format!("the rep's coaching preference is {}", pref.unwrap_or(""))
            );
        }
    }
}

#[test]
fn a_title_that_ends_in_call_is_not_followed_by_another() {
    let header = |t: Option<&str>| {
        title(&MeetingHeader {
            title: t.map(str::to_owned),
            ..MeetingHeader::default()
        })
    };
    assert_eq!(
        header(Some("Northwind discovery call")),
        "\u{1f4a1} Quick feedback on your Northwind discovery call"
    );
    assert_eq!(
        header(Some("Northwind discovery")),
        "\u{1f4a1} Quick feedback on your Northwind discovery call"
    );
    assert_eq!(header(None), "\u{1f4a1} Quick feedback on your call");
}
