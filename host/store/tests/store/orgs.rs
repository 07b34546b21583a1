//! What a job's context reads of its org in one statement
//! (`Store::standing`) is what the separate reads say, with and without
//! preferences, a budget and the user, and for another org's user.

use baton_store::{Preferences, Store};
use baton_testkit::store_test;

/// `standing` of an org that exists.
async fn standing(
    store: &Store,
    org: &baton_store::OrgId,
    user: &baton_store::UserId,
) -> baton_store::Standing {
    store
        .standing(org, user)
        .await
        .expect("standing")
        .expect("the org exists")
}

/// `standing` against the reads it replaces; returns it.
async fn agrees(
    store: &Store,
    org: &baton_store::OrgId,
    user: &baton_store::UserId,
) -> baton_store::Standing {
    let s = standing(store, org, user).await;
    let read = s.clone();
    assert_eq!(Some(s.org), store.org(org).await.expect("org"));
    assert_eq!(s.user, store.user(org, user).await.expect("user"));
    assert_eq!(
        s.preferences,
        store.preferences(org, user).await.expect("preferences")
    );
    assert_eq!(s.budget, store.budget(org).await.expect("budget"));
    read
}

store_test!(
    standing_reads_the_org_its_user_their_preferences_and_the_budget,
    |store: Store| async move {
        let (org, rep) = baton_testkit::fixtures::org_and_rep(&store).await;
        // Nothing set: the default preferences, no budget.
        let s = agrees(&store, &org, &rep).await;
        assert_eq!(s.preferences, Preferences::default());
        assert_eq!(s.budget, None);
        assert_eq!(s.user.as_ref().map(|u| u.handle.as_str()), Some("rep1"));

        let prefs = Preferences {
            timezone: "Europe/Madrid".into(),
            working_start_min: 8 * 60,
            working_end_min: 17 * 60,
            quiet_start_min: Some(22 * 60),
            quiet_end_min: Some(7 * 60),
            max_notifications_per_hour: 3,
            daily_send_cap: 12,
            slack_channel: Some("D024BE91L".into()),
            slack_user_id: Some("U024BE7LH".into()),
            email_signature: Some("Dana".into()),
        };
        store
            .set_preferences(&org, &rep, &prefs)
            .await
            .expect("preferences");
        store
            .set_budget(&org, Some(2_500_000))
            .await
            .expect("budget");
        let s = agrees(&store, &org, &rep).await;
        assert_eq!(s.preferences, prefs);
        assert_eq!(s.budget, Some(2_500_000));

        // Another org, asked about this org's rep: no user, the default
        // preferences and no budget (rep1's and the budget are Acme's).
        let other = store
            .upsert_org("globex", "Globex", &serde_json::json!({}))
            .await
            .expect("org");
        let s = standing(&store, &other, &rep).await;
        assert_eq!(s.user, None);
        assert_eq!(s.preferences, Preferences::default());
        assert_eq!(s.budget, None);
        // No such org: nothing.
        let nowhere = baton_store::OrgId::from("no-such-org".to_owned());
        assert_eq!(store.standing(&nowhere, &rep).await.expect("read"), None);
    }
);
