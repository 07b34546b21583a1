//! The CRM the skills read: stale deals from activity history, and a
//! contact's open deal when the event names none.

use baton::store::Store;
use baton::store::{ContextTables, CrmTables};
use baton_tests::store_test;

store_test!(
    stale_deals_come_from_activity_history,
    |store: Store| async move {
        use baton::store::NewDeal;
        let (org, rep) = baton_testkit::fixtures::org_and_rep(&store).await;
        let other = store
            .upsert_org("other", "Other", &serde_json::json!({}))
            .await
            .expect("org");
        let company = store
            .upsert_company(
                &org,
                "Northwind",
                Some("northwind.test"),
                Some("logistics"),
                Some(250),
            )
            .await
            .expect("company");
        let again = store
            .upsert_company(&org, "Northwind", None, None, None)
            .await
            .expect("company again");
        assert_eq!(company, again, "companies are keyed by name within the org");
        let contact = store
            .upsert_contact(
                &org,
                Some(&company),
                "Marta Ruiz",
                "marta@northwind.test",
                Some("Head of Ops"),
            )
            .await
            .expect("contact");
        assert_eq!(
            store
                .contact(&org, &contact)
                .await
                .expect("get")
                .expect("found")
                .name,
            "Marta Ruiz"
        );
        assert!(
            store
                .contact(&other, &contact)
                .await
                .expect("get")
                .is_none(),
            "scoped to its org"
        );

        let deal = |name, stage| NewDeal {
            company_id: Some(&company),
            contact_id: Some(&contact),
            owner: Some(&rep),
            name,
            stage,
            amount_cents: Some(4_800_000),
            currency: "USD",
            close_date: Some("2027-03-31"),
        };
        let quiet = store
            .insert_deal(&org, &deal("Quiet renewal", "proposal"), 0)
            .await
            .expect("deal");
        let busy = store
            .insert_deal(&org, &deal("Busy expansion", "negotiation"), 0)
            .await
            .expect("deal");
        let never = store
            .insert_deal(&org, &deal("Never touched", "discovery"), 0)
            .await
            .expect("deal");
        let won = store
            .insert_deal(&org, &deal("Already won", "closed_won"), 0)
            .await
            .expect("deal");
        let day = 86_400_000;
        let now = 100 * day;
        for (d, at) in [
            (&quiet, now - 30 * day),
            (&quiet, now - 20 * day),
            (&busy, now - 40 * day),
            (&busy, now - day),
            (&won, now - 90 * day),
        ] {
            let activity = baton::store::NewActivity {
                deal_id: Some(d),
                contact_id: Some(&contact),
                user: Some(&rep),
                kind: "email",
                summary: "follow-up",
                occurred_at: at,
            };
            store
                .insert_activity(&org, &activity)
                .await
                .expect("activity");
        }
        assert_eq!(store.deals_of(&org, &rep).await.expect("deals").len(), 4);

        let stale = store
            .stale_deals(&org, now - 14 * day, 10)
            .await
            .expect("stale");
        let names: Vec<_> = stale.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Never touched", "Quiet renewal"],
            "never-touched first, then stalest; busy and won excluded"
        );
        assert_eq!(stale[0].id, never);
        assert_eq!(stale[1].last_activity_at, Some(now - 20 * day));
        assert!(
            store
                .stale_deals(&other, now, 10)
                .await
                .expect("stale")
                .is_empty()
        );
    }
);

store_test!(
    a_contact_without_a_named_deal_gets_their_open_deal,
    |store: Store| async move {
        use baton::store::{ContactRef, NewDeal};
        let org = store
            .upsert_org("acme", "Acme", &serde_json::json!({}))
            .await
            .expect("org");
        let marta = store
            .upsert_contact(&org, None, "Marta Ruiz", "marta@northwind.test", None)
            .await
            .expect("contact");
        let solo = store
            .upsert_contact(&org, None, "Sol Oh", "sol@elsewhere.test", None)
            .await
            .expect("contact");
        for (name, stage) in [
            ("Northwind 2025", "closed_won"),
            ("Northwind rollout", "discovery"),
        ] {
            store
                .insert_deal(
                    &org,
                    &NewDeal {
                        contact_id: Some(&marta),
                        name,
                        stage,
                        currency: "USD",
                        ..NewDeal::default()
                    },
                    0,
                )
                .await
                .expect("deal");
        }
        let by_email = |email: &'static str| ContactRef {
            contact_email: Some(email),
            ..ContactRef::default()
        };
        let tier = store
            .contact_context(&org, &by_email("MARTA@northwind.test"))
            .await
            .expect("query")
            .expect("known");
        assert_eq!(tier["deal"]["name"], "Northwind rollout", "{tier:#}");
        assert_eq!(tier["deals"].as_array().map(Vec::len), Some(2));
        let named = store
            .contact_context(
                &org,
                &ContactRef {
                    deal_name: Some("Northwind 2025"),
                    ..by_email("marta@northwind.test")
                },
            )
            .await
            .expect("query")
            .expect("known");
        assert_eq!(named["deal"]["name"], "Northwind 2025", "a named deal wins");
        let alone = store
            .contact_context(&org, &by_email("sol@elsewhere.test"))
            .await
            .expect("query")
            .expect("known");
        assert!(alone["deal"].is_null(), "{alone:#}");
        assert_eq!(alone["contact"]["id"], solo.as_str());
    }
);
