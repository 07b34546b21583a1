//! The pipeline scan's query: one rep's open deals quiet since a cutoff,
//! most stale first, capped; and its plan holds to the indexes (a bounded
//! smoke version of `cargo bench -p baton --bench pipeline_scan`, which
//! measures it at 500 deals and 50,000 activities).

use baton::store::{CrmTables, PipelineTables};
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
        let cutoff = NOW - 14 * DAY;
        let names = |v: Vec<baton::store::StaleDeal>| -> Vec<String> {
            v.into_iter().map(|d| d.name).collect()
        };
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep, cutoff, 10)
                    .await
                    .expect("scan")
            ),
            ["Never touched", "Quiet 40", "Quiet 30", "Quiet 20"],
            "never-touched first, then stalest; busy and closed deals and other reps' left out"
        );
        let two = store
            .stale_deals_of(&org, &rep, cutoff, 2)
            .await
            .expect("scan");
        assert_eq!(names(two.clone()), ["Never touched", "Quiet 40"]);
        assert_eq!(two[0].last_activity_at, None);
        assert_eq!(two[1].last_activity_at, Some(NOW - 40 * DAY));
        assert_eq!(
            names(
                store
                    .stale_deals_of(&org, &rep2, cutoff, 10)
                    .await
                    .expect("scan")
            ),
            ["Someone else's"]
        );
        assert!(
            store
                .stale_deals_of(&other, &rep, cutoff, 10)
                .await
                .expect("scan")
                .is_empty(),
            "scoped to the org"
        );

        // The plan: every activity lookup is a seek on activities_deal_time,
        // never a scan of the activity table.
        let plan = store
            .explain_stale_deals_of(&org, &rep, cutoff, 3)
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
