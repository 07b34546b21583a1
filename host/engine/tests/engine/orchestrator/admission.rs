//! The door: a duplicate event makes one job, every refusal is recorded
//! with its reason, and quiet hours defer an event rather than drop it.

use baton_engine::orchestrator::{Event, Reason, Submitted};
use baton_engine::store::{JobStatus, Preferences, Store};
use baton_testkit::engine::{T0, harness};
use baton_testkit::store_test;
use serde_json::json;

store_test!(a_duplicate_event_makes_one_job, |store: Store| async move {
    let h = harness(
        store,
        &["event = \"meeting_ended\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n"],
    )
    .await;
    let first = h
        .send("meeting_ended", json!({ "meeting_id": "m-7" }))
        .await;
    let second = h
        .orch
        .submit(&h.event(
            "meeting_ended",
            json!({ "meeting_id": "m-7", "retry": true }),
        ))
        .await
        .expect("submit");
    match second {
        Submitted::Refused { reason, job_id, .. } => {
            assert_eq!(reason, Reason::Duplicate);
            assert_eq!(job_id.as_ref(), Some(&first));
        }
        other => panic!("expected a duplicate: {other:?}"),
    }
    assert_eq!(
        h.orch
            .store
            .jobs(&h.org, &baton_engine::store::Reach::Org, 10)
            .await
            .expect("jobs")
            .len(),
        1
    );
    let refused = h.orch.store.refusals("acme", 10).await.expect("refusals");
    assert_eq!(refused[0].reason, "duplicate");
    // Without the dedupe field the event is refused, and says why.
    let bad = h
        .orch
        .submit(&h.event("meeting_ended", json!({ "title": "x" })))
        .await
        .expect("submit");
    assert!(
        matches!(&bad, Submitted::Refused { reason: Reason::InvalidPayload, detail, .. } if detail.contains("meeting_id")),
        "{bad:?}"
    );
});

store_test!(
    every_refusal_is_recorded_with_its_reason,
    |store: Store| async move {
        let h = harness(
        store,
        &[
            "event = \"ok\"\n[[step]]\nskill = \"scripted\"\n",
            "event = \"needs_more\"\n[[step]]\nskill = \"scripted\"\n[[step]]\nskill = \"not-built-yet\"\n",
        ],
    )
    .await;
        h.orch
            .store
            .set_feature(&h.org, "ok", false)
            .await
            .expect("feature");
        let cases = [
            (
                Event {
                    org: "nope".into(),
                    ..h.event("ok", json!({}))
                },
                Reason::UnknownOrg,
            ),
            (
                Event {
                    user: "ghost".into(),
                    ..h.event("ok", json!({}))
                },
                Reason::UnknownUser,
            ),
            (h.event("no_such_type", json!({})), Reason::UnknownType),
            (h.event("ok", json!({})), Reason::Disabled),
            (
                h.event("needs_more", json!({})),
                Reason::SequenceUnavailable,
            ),
        ];
        for (event, want) in cases {
            match h.orch.submit(&event).await.expect("submit") {
                Submitted::Refused { reason, detail, .. } => {
                    assert_eq!(reason, want, "{detail}");
                    if want == Reason::SequenceUnavailable {
                        assert!(detail.contains("not-built-yet"), "{detail}");
                    }
                }
                other => panic!("expected {want:?}: {other:?}"),
            }
        }
        let recorded = h.orch.store.refusals("acme", 10).await.expect("refusals");
        assert_eq!(
            recorded.len(),
            4,
            "the unknown org's refusal is kept under its slug"
        );
        assert_eq!(h.orch.store.refusals("nope", 10).await.expect("r").len(), 1);
        assert!(
            h.orch
                .store
                .jobs(&h.org, &baton_engine::store::Reach::Org, 10)
                .await
                .expect("jobs")
                .is_empty()
        );
    }
);

store_test!(quiet_hours_defer_then_run, |store: Store| async move {
    let h = harness(
        store,
        &["event = \"ping\"\n[[step]]\nskill = \"scripted\"\n"],
    )
    .await;
    // T0 is 15:00 UTC = 10:00 in New York; quiet 09:00–11:00 there.
    let prefs = Preferences {
        timezone: "America/New_York".into(),
        quiet_start_min: Some(9 * 60),
        quiet_end_min: Some(11 * 60),
        ..Preferences::default()
    };
    h.orch
        .store
        .set_preferences(&h.org, &h.user, &prefs)
        .await
        .expect("prefs");
    let submitted = h
        .orch
        .submit(&h.event("ping", json!({})))
        .await
        .expect("submit");
    let Submitted::Accepted {
        job_id,
        scheduled_at,
        deferred,
    } = submitted
    else {
        panic!("quiet hours defer, they never drop: {submitted:?}");
    };
    assert!(deferred);
    assert_eq!(scheduled_at, T0 + 3_600_000, "11:00 New York");
    assert_eq!(h.orch.drain().await.expect("drain"), 0);
    assert_eq!(h.job(&job_id).await.status, JobStatus::Pending);
    h.clock.advance(3_600_000);
    h.orch.drain().await.expect("drain");
    assert_eq!(h.job(&job_id).await.status, JobStatus::Completed);
});
