use super::*;

fn gate(
    at: i64,
    label: &str,
    kind: &'static str,
    outcome: Outcome,
    distance: Option<f64>,
) -> Counted {
    Counted {
        at,
        skill: "s".into(),
        label: label.into(),
        kind,
        outcome,
        distance,
    }
}

fn facts() -> Facts {
    let t = 100 * DAY_MS;
    Facts {
        gates: vec![
            gate(t - 10 * DAY_MS, "l", "email_send", Outcome::Dismissed, None),
            gate(t - DAY_MS, "l", "email_send", Outcome::Accepted, None),
            gate(t, "m", "crm_update", Outcome::Dismissed, None),
            gate(t, "m", "crm_update", Outcome::Expired, None),
            gate(t, "l", "email_send", Outcome::Edited, Some(0.2)),
            gate(t, "l", "email_send", Outcome::Edited, Some(0.4)),
            gate(t, "l", "email_send", Outcome::Superseded, None),
        ],
        meetings: vec![(t, Some(300.0)), (t, Some(900.0)), (t, None)],
        crm: vec![(t, true), (t, false), (t - 40 * DAY_MS, true)],
        revivals: vec![
            Revival {
                created_at: t,
                sent_at: Some(t),
            },
            Revival {
                created_at: t - 10 * DAY_MS,
                sent_at: Some(t),
            },
            Revival {
                created_at: t,
                sent_at: None,
            },
        ],
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
    assert_eq!(week.suggestions.total(), 6);
    assert_eq!(week.suggestions.superseded, 1);
    assert_eq!(
        week.dismissal_rate,
        Some(1.0 / 5.0),
        "a superseded suggestion was never answered"
    );
    assert_eq!(week.by_skill_label[0].label, "l", "most suggestions first");
    // Trust: one approved as drafted out of six; edits moved 0.2 and 0.4.
    assert_eq!(week.approved_unchanged_share, Some(1.0 / 6.0));
    let mean = week.edit_distance_mean.expect("a mean");
    assert!((mean - 0.3).abs() < 1e-9, "{mean}");
    let email = &week.trust[0];
    assert_eq!(
        (email.skill.as_str(), email.kind.as_str()),
        ("s", "email_send")
    );
    assert_eq!(
        (
            email.counts.accepted,
            email.counts.edited,
            email.counts.superseded
        ),
        (1, 2, 1)
    );
    assert_eq!(email.approved_unchanged_share, Some(0.25));
    assert_eq!(week.trust[1].kind, "crm_update");
    assert_eq!(week.trust[1].approved_unchanged_share, Some(0.0));
    assert_eq!(
        week.trust[1].edit_distance_mean, None,
        "no edit, no distance"
    );
    assert_eq!(week.follow_up.meetings, 3);
    assert_eq!(week.follow_up.sent, 2);
    assert_eq!(week.follow_up.p50_seconds, Some(300.0));
    assert_eq!(week.follow_up.p90_seconds, Some(900.0));
    assert_eq!(week.scheduling.requests, 2);
    assert_eq!(week.scheduling.handled, 1);
    assert_eq!(week.scheduling.in_progress, 1);
    // The plan's goals: CRM updates in for 1 of 2 meetings; a person acted
    // on 4 of the 5 answered or expired; 1 stale deal re-engaged this week.
    assert_eq!(
        (week.crm_updates.meetings, week.crm_updates.updated),
        (2, 1)
    );
    assert_eq!(week.crm_updates.completeness, Some(0.5));
    assert_eq!((week.buttons.clicked, week.buttons.delivered), (4, 5));
    assert_eq!(week.buttons.engagement, Some(0.8));
    assert_eq!(
        (week.revivals.stale_deals, week.revivals.re_engaged),
        (2, 1)
    );
    assert_eq!(week.revivals.re_engaged_per_week, 1.0);
    let month = window(&f, now, 30);
    assert_eq!(month.revivals.re_engaged, 2);
    assert!((month.revivals.re_engaged_per_week - 14.0 / 30.0).abs() < 1e-9);
    assert_eq!(month.suggestions.dismissed, 2);
    assert_eq!(month.dismissal_rate, Some(2.0 / 6.0));
    let days = daily(&f, now, 3);
    assert_eq!(days.len(), 3);
    assert_eq!(days[2].suggestions.total(), 5);
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
