use super::*;

fn facts() -> Facts {
    let t = 100 * DAY_MS;
    Facts {
        gates: vec![
            (t - 10 * DAY_MS, "s".into(), "l".into(), Outcome::Dismissed),
            (t - DAY_MS, "s".into(), "l".into(), Outcome::Accepted),
            (t, "s".into(), "m".into(), Outcome::Dismissed),
            (t, "s".into(), "m".into(), Outcome::Expired),
        ],
        meetings: vec![(t, Some(300.0)), (t, Some(900.0)), (t, None)],
        briefs: vec![],
        scheduling: vec![
            SchedulingRequest {
                created_at: t,
                status: "awaiting_approval".into(),
                gated: 1,
            },
            SchedulingRequest {
                created_at: t,
                status: "failed".into(),
                gated: 0,
            },
            SchedulingRequest {
                created_at: t,
                status: "running".into(),
                gated: 0,
            },
        ],
    }
}

#[test]
fn a_window_counts_what_ended_inside_it() {
    let f = facts();
    let now = 100 * DAY_MS + 1;
    let week = window(&f, now, 7);
    assert_eq!(week.suggestions.total(), 3);
    assert_eq!(week.dismissal_rate, Some(1.0 / 3.0));
    assert_eq!(week.by_skill_label[0].label, "m", "most suggestions first");
    assert_eq!(week.follow_up.meetings, 3);
    assert_eq!(week.follow_up.sent, 2);
    assert_eq!(week.follow_up.p50_seconds, Some(300.0));
    assert_eq!(week.follow_up.p90_seconds, Some(900.0));
    assert_eq!(week.scheduling.requests, 2);
    assert_eq!(week.scheduling.handled, 1);
    assert_eq!(week.scheduling.in_progress, 1);
    let month = window(&f, now, 30);
    assert_eq!(month.suggestions.dismissed, 2);
    assert_eq!(month.dismissal_rate, Some(0.5));
    let days = daily(&f, now, 3);
    assert_eq!(days.len(), 3);
    assert_eq!(days[2].suggestions.total(), 2);
    assert_eq!(days[2].follow_up_p50_seconds, Some(300.0));
    assert_eq!(days[1].suggestions.accepted, 1);
    assert_eq!(days[0].dismissal_rate, None);
}

#[test]
fn a_brief_is_on_time_late_pending_or_of_unknown_start() {
    let brief = |starts: Option<&str>, delivered: Option<i64>| MeetingBrief {
        created_at: 0,
        starts_at: starts.map(Into::into),
        meeting_starts_at: None,
        delivered_at: delivered,
    };
    let start = "2026-11-23T16:00:00Z";
    let at = stats::instant(start).expect("instant");
    let all = [
        brief(Some(start), Some(at - 1)),
        brief(Some(start), Some(at + 1)),
        brief(Some(start), None),
        brief(None, Some(at)),
    ];
    let b = briefs(all.iter(), at - 60_000);
    assert_eq!(
        (b.on_time, b.late, b.pending, b.unknown_start),
        (1, 1, 1, 1)
    );
    assert_eq!(b.on_time_share, Some(0.5));
    let b = briefs(all.iter(), at + 60_000);
    assert_eq!(b.late, 2, "not delivered by the start is late");
}
