//! The pipeline scan's query: one rep's open deals quiet since a cutoff
//! and with no meeting coming, most stale first, capped; and its plan
//! holds to the indexes (a bounded
//! smoke version of `cargo bench -p baton --bench pipeline_scan`, which
//! measures it at 500 deals and 50,000 activities).

use baton::store::{CrmTables, MeetingTables, PipelineTables, Scan, SyncedMeeting};
use baton::store::{NewActivity, NewDeal, Store};
use baton_tests::store_test;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_446_000_000;

store_test!(
    the_scan_is_per_rep_most_stale_first_and_capped,
    |store: Store| async move {
        let org = store
            .upsert_org("acme", "Acme", &serde_json::json!({}))
            .await
            .expect("org");
        let other = store
            .upsert_org("other", "Other", &serde_json::json!({}))
            .await
            .expect("org");
        let rep = store
            .upsert_user(&org, "rep1", "Dana", "dana@acme.test", "rep")
            .await
            .expect("rep");
        let rep2 = store
            .upsert_user(&org, "rep2", "Lee", "lee@acme.test", "rep")
            .await
            .expect("rep2");
        // (name, owner, stage, days since each activity)
        let deals: [(&str, &_, &str, &[i64]); 7] = [
            ("Quiet 40", &rep, "demo", &[40, 60]),
            ("Quiet 20", &rep, "proposal", &[20, 90]),
            ("Busy", &rep, "demo", &[3, 50]),
            ("Never touched", &rep, "discovery", &[]),
            ("Won long ago", &rep, "closed_won", &[200]),
            ("Quiet 30", &rep, "negotiation", &[30]),
            ("Someone else's", &rep2, "demo", &[100]),
        ];
        for (name, owner, stage, days) in deals {
            let id = store
                .insert_deal(
                    &org,
                    &NewDeal {
                        owner: Some(owner),
                        name,
                        stage,
                        currency: "USD",
                        ..NewDeal::default()
                    },
                    0,
                )
                .await
                .expect("deal");
            for d in days {
                store
                    .insert_activity(
                        &org,
                        &NewActivity {
                            deal_id: Some(&id),
                            contact_id: None,
                            user: Some(owner),
                            kind: "email",
                            summary: "touch",
                            occurred_at: NOW - d * DAY,
                        },
                    )
                    .await
                    .expect("activity");
            }
        }
        let scan = |limit| Scan {
            quiet_since: NOW - 14 * DAY,
            meetings_from: NOW,
            meetings_until: NOW + 14 * DAY,
            limit,
        };
        let names = |v: Vec<baton::store::StaleDeal>| -> Vec<String> {
            v.into_iter().map(|d| d.name).collect()
        };
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep, &scan(10))
                    .await
                    .expect("scan")
            ),
            ["Never touched", "Quiet 40", "Quiet 30", "Quiet 20"],
            "never-touched first, then stalest; busy and closed deals and other reps' left out"
        );
        let two = store
            .stale_deals_of(&org, &rep, &scan(2))
            .await
            .expect("scan");
        assert_eq!(names(two.clone()), ["Never touched", "Quiet 40"]);
        assert_eq!(two[0].last_activity_at, None);
        assert_eq!(two[1].last_activity_at, Some(NOW - 40 * DAY));
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep2, &scan(10))
                    .await
                    .expect("scan")
            ),
            ["Someone else's"]
        );
        assert!(
            store
                .stale_deals_of(&other, &rep, &scan(10))
                .await
                .expect("scan")
                .is_empty(),
            "scoped to the org"
        );

        // A meeting on the calendar within the window is the deal's next
        // step: one on the deal, or with its contact, takes it out; one
        // past the window, one before now or a cancelled one does not.
        let contact = store
            .upsert_contact(&org, None, "Ana", "ana@quiet.test", None)
            .await
            .expect("contact");
        let deal = |name: &'static str| {
            let store = store.clone();
            let org = org.clone();
            async move {
                store
                    .deal_named(&org, name)
                    .await
                    .expect("deal")
                    .expect(name)
                    .id
            }
        };
        let quiet40 = deal("Quiet 40").await;
        let quiet20 = deal("Quiet 20").await;
        let never = deal("Never touched").await;
        store
            .insert_deal(
                &org,
                &NewDeal {
                    owner: Some(&rep),
                    contact_id: Some(&contact),
                    name: "Quiet 30",
                    stage: "negotiation",
                    currency: "USD",
                    ..NewDeal::default()
                },
                0,
            )
            .await
            .expect("the deal gets its contact");
        let meetings: [(&str, Option<&str>, Option<&str>, i64); 4] = [
            ("on-deal", Some(&quiet40), None, NOW + 3 * DAY),
            ("with-contact", None, Some(&contact), NOW + 13 * DAY),
            ("too-far", Some(&quiet20), None, NOW + 15 * DAY),
            ("already-past", Some(&never), None, NOW - DAY),
        ];
        for (key, deal_id, contact_id, starts_at) in meetings {
            store
                .upsert_meeting(
                    &org,
                    &SyncedMeeting {
                        user_id: &rep,
                        external_id: key,
                        title: "Call",
                        starts_at,
                        ends_at: None,
                        contact_id,
                        deal_id,
                    },
                    NOW,
                )
                .await
                .expect("meeting");
        }
        let cancelled = SyncedMeeting {
            user_id: &rep,
            external_id: "cancelled",
            title: "Call",
            starts_at: NOW + DAY,
            ends_at: None,
            contact_id: None,
            deal_id: Some(&quiet20),
        };
        store
            .upsert_meeting(&org, &cancelled, NOW)
            .await
            .expect("meeting");
        assert!(
            store
                .cancel_meeting(&org, "cancelled", NOW)
                .await
                .expect("cancel")
        );
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep, &scan(10))
                    .await
                    .expect("scan")
            ),
            ["Never touched", "Quiet 20"],
            "deals with a meeting coming are left out"
        );
        let no_horizon = Scan {
            meetings_until: NOW,
            ..scan(10)
        };
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep, &no_horizon)
                    .await
                    .expect("scan")
            ),
            ["Never touched", "Quiet 40", "Quiet 30", "Quiet 20"],
            "a window of 0 days looks at no meeting"
        );

        // The plan: every activity lookup is a seek on activities_deal_time,
        // never a scan of the activity table.
        let plan = store
            .explain_stale_deals_of(&org, &rep, &scan(3))
            .await
            .expect("plan")
            .join("\n");
        assert!(plan.contains("activities_deal_time"), "{plan}");
        let scans_activities = plan.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("seq scan on activities") || (l.contains("scan a") && !l.contains("index"))
        });
        assert!(
            !scans_activities,
            "the activities are read by index: {plan}"
        );
    }
);
